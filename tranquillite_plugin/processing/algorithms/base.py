"""Shared base of the provider's algorithms.

Each algorithm is one file on this base; the base gives them names, help,
translation, reading a layer under the data contract with its report, and
progress/cancel adapters between Processing's feedback and the core.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence, Tuple

import pandas as pd
from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtGui import QIcon

from tranquillite_plugin.core.contract import DEFAULT_CRS, ContractError, ContractReport, parse_weights, validate
from tranquillite_plugin.i18n import tr as _tr
from tranquillite_plugin.store.qgis_layers import read_layer, with_provider_crs

ICONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "resources", "icons")


def working_crs() -> str:
    try:
        from tranquillite_plugin import settings

        return settings.working_crs()
    except Exception:  # noqa: BLE001 - settings unavailable (bare qgis_process): default
        return DEFAULT_CRS


def carry_fields(raw, clean: pd.DataFrame, names: Sequence[str]) -> None:
    """Copies source fields that are not in the contract onto the clean frame, by fid."""
    by_lower = {str(c).lower(): c for c in raw.attributes.columns}
    for name in names:
        source = by_lower.get(name.lower())
        if source is None:
            continue
        values = pd.Series(raw.attributes[source].to_numpy(), index=raw.fids)
        clean[name] = values.reindex(clean["fid"].to_numpy()).to_numpy()


class TranquilliteAlgorithm(QgsProcessingAlgorithm):
    """Base: subclasses set NAME, DISPLAY, GROUP, GROUP_DISPLAY, HELP, ICON."""

    NAME = ""
    DISPLAY = ""
    GROUP = "observatory"
    GROUP_DISPLAY = "Observatory"
    HELP = ""
    ICON = "tranquillite.svg"

    def tr(self, text: str) -> str:
        return _tr(text)

    def name(self):
        return self.NAME

    def displayName(self):
        return self.tr(self.DISPLAY)

    def group(self):
        return self.tr(self.GROUP_DISPLAY)

    def groupId(self):
        return self.GROUP

    def shortHelpString(self):
        return self.tr(self.HELP)

    def icon(self):
        return QIcon(os.path.join(ICONS, self.ICON))

    def createInstance(self):
        return type(self)()

    # --- helpers for subclasses -------------------------------------------------

    def vector_layer(self, parameters, name: str, context):
        """A layer parameter, with its provider's CRS when QGIS left the layer without one (PostGIS events)."""
        return with_provider_crs(self.parameterAsVectorLayer(parameters, name, context))

    def read_contract_layer(
        self,
        parameters,
        name: str,
        kind: str,
        context,
        feedback,
        field_map=None,
        points_as_xy: bool = False,
        extra_fields: Sequence[str] = (),
    ) -> Tuple[pd.DataFrame, ContractReport, object]:
        """Reads a layer parameter and checks it against the contract.

        Returns (clean frame, report, layer). A layer that breaks the
        contract as a whole raises a QgsProcessingException with the reason;
        refused features are reported as warnings, naming each feature.
        ``extra_fields`` (e.g. ``score``) are carried over from the source
        when it has them (matched case-insensitively).
        """
        layer = self.vector_layer(parameters, name, context)
        if layer is None:
            raise QgsProcessingException(self.tr("Layer {} could not be opened").format(name))
        try:
            raw = read_layer(layer, working_crs(), points_as_xy=points_as_xy, feedback=feedback)
            clean, report = validate(kind, raw, field_map)
            carry_fields(raw, clean, extra_fields)
        except ContractError as err:
            raise QgsProcessingException(str(err)) from None
        except (IOError, ValueError) as err:
            raise QgsProcessingException(f"layer '{layer.name()}': {err}") from None
        self.push_report(report, feedback)
        return clean, report, layer

    def warn_transport(self, obs, feedback) -> None:
        """Warns when the store's connection does not verify a remote server (below sslmode=verify-ca)."""
        problem = obs.transport_warning()
        if problem:
            feedback.pushWarning(self.tr("Connection not verified: {}").format(problem))

    def push_report(self, report: ContractReport, feedback) -> None:
        text = report.summary()
        if report.refused:
            feedback.reportError(text, False)
        else:
            feedback.pushInfo(text)

    def parse_weights(self, text: Optional[str]):
        try:
            return parse_weights(text or "")
        except (ValueError, TypeError) as err:
            raise QgsProcessingException(self.tr("WEIGHTS: {}").format(err)) from None

    @staticmethod
    def progress(feedback, start: float = 0.0, end: float = 100.0):
        """A core ``progress(percent)`` callback mapped onto [start, end] of the feedback."""

        def report(percent: float) -> None:
            feedback.setProgress(start + (end - start) * percent / 100.0)

        return report

    @staticmethod
    def cancelled(feedback):
        return feedback.isCanceled

    # --- audit trail (SPEC §7) -------------------------------------------------------------

    def audit_parameters(self, parameters, context) -> dict:
        """The run's parameters as plain JSON values (layers as their sources, no passwords)."""
        out = {}
        for definition in self.parameterDefinitions():
            name = definition.name()
            if name in parameters:
                out[name] = _plain(parameters[name])
        return out

    def layer_inputs(self, inputs) -> list:
        """(layer or name, number of features) pairs -> the inputs of an audit row (sources without passwords)."""
        from tranquillite_plugin.store.audit import redact

        described = []
        for item, count in inputs:
            if hasattr(item, "source"):
                described.append({"layer": item.name(), "source": redact(item.source()), "n_features": count})
            else:
                described.append({"layer": str(item), "n_features": count})
        return described

    def audit(self, parameters, context, feedback, inputs=(), n_features=None, fingerprint=None, summary=None, store=None):
        """Appends this run's row (its Processing parameters) to the audit trail of the store it worked on.

        ``inputs``: (layer or name, number of features) pairs. See :meth:`write_record`.
        """
        from tranquillite_plugin.pipeline.record import AuditRecord

        described = self.layer_inputs(inputs)
        if n_features is None:
            n_features = sum(int(d["n_features"] or 0) for d in described)
        record = AuditRecord(self.name(), self.audit_parameters(parameters, context), described, n_features, fingerprint, summary)
        return self.write_record(record, parameters, context, feedback, [item for item, _ in inputs], store)

    def write_record(self, record, parameters, context, feedback, layers=(), store=None):
        """Appends a pipeline's audit record to the store this run worked on.

        The store is ``store``, else the STORE parameter when the algorithm has
        one, else the store an input layer lives in (a GeoPackage or PostgreSQL
        schema holding an observatory store). Without a store the row is only
        logged. Returns the audit entry (None when only logged). A store that
        cannot take the row (a login without the right to append, a broken
        connection) fails the run: a computation on a store is never left
        unaudited.
        """
        from tranquillite_plugin.logger import log
        from tranquillite_plugin.store.audit import canonical_json, redact
        from tranquillite_plugin.store.observatory import record as store_record
        from tranquillite_plugin.store.qgis_store import store_target_of_layer

        target = store
        if target is None and self.parameterDefinition("STORE") is not None:
            target = self.parameterAsString(parameters, "STORE", context) or None
        for layer in layers:
            if target is None and hasattr(layer, "source"):
                target = store_target_of_layer(layer)
        row = record.as_kwargs()
        if target is None:
            log(f"audit {row['algorithm']}: " + canonical_json({k: row[k] for k in ("parameters", "inputs", "summary")}))
            feedback.pushInfo(self.tr("No observatory store among the inputs: the audit row is only logged"))
            return None
        shown = redact(target)
        try:
            entry = store_record(target, **row)
        except Exception as err:  # noqa: BLE001 - whatever stopped it, the run must not pass unaudited
            raise QgsProcessingException(
                self.tr("The audit row could not be written to {}, so this run is refused: {}").format(
                    shown, redact(str(err).strip())
                )
            ) from None
        feedback.pushInfo(self.tr("Audit row {} written to {}").format(entry.seq, shown))
        return entry


def _plain(value):
    """A Processing parameter value -> a JSON-friendly value."""
    from tranquillite_plugin.store.audit import redact

    if value is None or isinstance(value, (bool, int, float, str)):
        return redact(value) if isinstance(value, str) else value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "source") and callable(value.source):  # a map layer
        return redact(value.source())
    for attr in ("source", "sink"):  # feature source / output definitions
        inner = getattr(value, attr, None)
        if inner is not None and hasattr(inner, "staticValue"):
            return _plain(inner.staticValue())
    if hasattr(value, "authid"):
        return value.authid()
    if hasattr(value, "staticValue"):
        return _plain(value.staticValue())
    return str(value)
