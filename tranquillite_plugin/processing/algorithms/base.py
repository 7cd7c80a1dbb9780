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

from tranquillite_plugin.core.contract import ContractError, ContractReport, parse_weights, validate
from tranquillite_plugin.i18n import tr as _tr
from tranquillite_plugin.store.qgis_layers import DEFAULT_WORKING_CRS, read_layer

ICONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "resources", "icons")


def working_crs() -> str:
    try:
        from tranquillite_plugin import settings

        return settings.working_crs()
    except Exception:  # noqa: BLE001 - settings unavailable (bare qgis_process): default
        return DEFAULT_WORKING_CRS


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
        layer = self.parameterAsVectorLayer(parameters, name, context)
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
