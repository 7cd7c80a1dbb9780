"""Import a layer: the privacy guard and the data contract, then the store (SPEC §2, §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Mapping, Optional, Sequence

import pandas as pd

from tranquillite_plugin.core.contract import ContractReport, RawLayer, validate
from tranquillite_plugin.core.privacy import PersonalDataError, privacy_guard
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.pipeline.record import sub_progress


@dataclass
class Imported:
    kind: str
    layer_name: str
    report: Optional[ContractReport]
    frame: Optional[pd.DataFrame] = None  # the clean frame (checked only, no store)
    stored: bool = False  # written into the store (which wrote the audit row in the same transaction)
    personal_fields: List[str] = field(default_factory=list)  # refused: personal data, not dropped
    personal_message: str = ""


def contract_kind(kind: str) -> str:
    return "events" if kind == "planned" else kind


def import_layer(
    kind: str,
    raw: RawLayer,
    store=None,
    field_map: Optional[Mapping[str, str]] = None,
    drop_fields: Sequence[str] = (),
    mode: str = "append",
    status: Optional[str] = None,
    parameters: Optional[Mapping] = None,
    progress=None,
    is_cancelled=None,
) -> Imported:
    """Checks ``raw`` (read in the working CRS) under the privacy guard and the contract.

    With a ``store`` (an open store.observatory.Observatory) the layer is imported into
    it, all or nothing, and the store appends the ``importlayer`` audit row in the same
    transaction; without, the layer is only checked and its clean frame returned.
    Personal fields that are not dropped come back in ``personal_fields`` (nothing imported).
    """
    try:
        if store is not None:
            report = store.import_layer(
                kind, raw, field_map=field_map or None, drop_fields=list(drop_fields or ()), mode=mode, status=status,
                progress=sub_progress(progress, 0, 100), is_cancelled=is_cancelled, name=raw.name, parameters=parameters,
            )
            return Imported(kind, raw.name, report, None, True)
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        sub_progress(progress, 0, 100)(40)
        kept, dropped, _privacy = privacy_guard(raw, drop_fields)
        sub_progress(progress, 0, 100)(60)
        clean, report = validate(contract_kind(kind), kept, field_map or None)
        report.dropped_fields = list(dropped)
        sub_progress(progress, 0, 100)(100)
        return Imported(kind, raw.name, report, clean)
    except PersonalDataError as err:
        return Imported(kind, raw.name, None, personal_fields=list(err.fields), personal_message=str(err))
