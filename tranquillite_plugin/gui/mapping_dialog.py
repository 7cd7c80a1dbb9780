"""Field mapping: which field of a layer carries each field of the contract.

One combo per contract field, prefilled by a case-insensitive match of the
names; required fields are marked and must be chosen before OK.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from tranquillite_plugin.core.contract import SPECS
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.vocabulary import kind_labels

NONE = ""


def contract_kind(kind: str) -> str:
    return "events" if kind == "planned" else kind


def field_meanings() -> Dict[str, str]:
    return {
        "category": tr("incident category code"),
        "occurred_at": tr("when it happened"),
        "count": tr("identical facts at that place and time (1 when absent)"),
        "source": tr("reporting service"),
        "event_id": tr("unique identifier"),
        "nature": tr("nature code (manifestation, concert, …)"),
        "participants": tr("expected or counted participants"),
        "start": tr("start date and time"),
        "end": tr("end date and time"),
        "sector": tr("sector id (found from the sectors when absent)"),
        "sector_id": tr("sector identifier"),
        "name": tr("name"),
        "axis_id": tr("axis identifier"),
        "status": tr("fluide, dense, sature, ferme or inconnu"),
        "updated_at": tr("when the status was last updated"),
        "camera_id": tr("camera identifier"),
        "radius_m": tr("coverage radius in metres"),
        "bearing_deg": tr("direction, degrees clockwise from north"),
        "fov_deg": tr("field of view in degrees"),
    }


def guess_field_map(kind: str, source_fields: List[str]) -> Dict[str, str]:
    """{contract field: source field} for the names that match case-insensitively."""
    by_lower = {f.lower(): f for f in source_fields}
    out = {}
    for spec_field in SPECS[contract_kind(kind)].fields:
        if spec_field.name in by_lower:
            out[spec_field.name] = by_lower[spec_field.name]
    return out


def missing_required(kind: str, field_map: Dict[str, str]) -> List[str]:
    return [f.name for f in SPECS[contract_kind(kind)].fields if f.required and not field_map.get(f.name)]


class FieldMappingDialog(QDialog):
    def __init__(self, kind: str, layer_name: str, source_fields: List[str], field_map: Optional[Dict[str, str]] = None, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("TranquilliteFieldMapping")
        self.setWindowTitle(tr("Fields of “{}”").format(layer_name))
        self.source_fields = list(source_fields)
        current = dict(guess_field_map(kind, source_fields))
        current.update({k: v for k, v in (field_map or {}).items() if v in source_fields})
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("Choose the field of “{}” that holds each field of the {} contract. Fields marked * are required.").format(
                layer_name, kind_labels().get(kind, kind).lower()
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.combos: Dict[str, QComboBox] = {}
        meanings = field_meanings()
        for spec_field in SPECS[contract_kind(kind)].fields:
            combo = QComboBox()
            combo.setObjectName(f"map_{spec_field.name}")
            combo.addItem(tr("(none)") if not spec_field.required else tr("(choose a field)"), NONE)
            for name in self.source_fields:
                combo.addItem(name, name)
            chosen = current.get(spec_field.name)
            if chosen:
                combo.setCurrentIndex(combo.findData(chosen))
            combo.setToolTip(meanings.get(spec_field.name, ""))
            combo.currentIndexChanged.connect(self._check)
            label = spec_field.name + (" *" if spec_field.required else "")
            form.addRow(label, combo)
            self.combos[spec_field.name] = combo
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def field_map(self) -> Dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def _check(self) -> None:
        missing = missing_required(self.kind, self.field_map())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not missing)
        self.problem.setText(tr("Still to choose: {}").format(", ".join(missing)) if missing else "")
