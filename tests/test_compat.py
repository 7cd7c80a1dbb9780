"""compat: the QGIS/Qt differences are decided in one place and give working values on this QGIS."""

from __future__ import annotations

import ast
import pathlib

import pytest

pytest.importorskip("qgis.core")

from qgis.core import Qgis, QgsField, QgsPalLayerSettings, QgsVectorLayer  # noqa: E402

from tranquillite_plugin import compat, styles  # noqa: E402
from tranquillite_plugin.compat import FieldType, LabelPlacement  # noqa: E402

PLUGIN = pathlib.Path(__file__).resolve().parents[1] / "tranquillite_plugin"
TYPES = ["String", "Int", "LongLong", "Double", "Bool", "Date", "DateTime"]


@pytest.mark.parametrize("name", TYPES)
def test_field_types_round_trip_through_qgsfield_and_a_memory_layer(name):
    kind = getattr(FieldType, name)
    field = QgsField("x", kind)
    assert field.type() == kind
    layer = QgsVectorLayer("Point?crs=EPSG:2154", "t", "memory")
    assert layer.dataProvider().addAttributes([field])
    layer.updateFields()
    assert layer.fields().field("x").type() == kind
    assert compat.is_date_or_datetime(layer.fields().field("x")) == (name in ("Date", "DateTime"))


def test_field_types_are_the_kind_this_qgis_wants():
    # by name: PyQt6 has no QVariant.Type to compare with (the Qt6 name test caught `QVariant.Type` here)
    kind = repr(type(FieldType.String))
    assert kind.endswith(".QMetaType.Type'>" if Qgis.QGIS_VERSION_INT >= 33800 else ".QVariant.Type'>"), kind
    assert len({int(getattr(FieldType, n)) for n in TYPES}) == len(TYPES)


def test_over_point_is_a_placement_not_a_predefined_position():
    """On 3.26+ QgsPalLayerSettings.OverPoint may be a Qgis.LabelPredefinedPointPosition; ours is a placement."""
    settings = QgsPalLayerSettings()
    settings.placement = LabelPlacement.OverPoint
    assert settings.placement == LabelPlacement.OverPoint
    assert int(LabelPlacement.OverPoint) == 1  # QgsPalLayerSettings::OverPoint / Qgis::LabelPlacement::OverPoint
    settings.quadOffset = compat.LABEL_QUADRANT_BELOW
    assert int(settings.quadOffset) == 7  # QuadrantBelow, bottom centre
    if hasattr(Qgis, "LabelPlacement"):
        assert isinstance(settings.placement, Qgis.LabelPlacement)


def test_sector_and_alert_labels_use_the_placement(tmp_path):
    layer = QgsVectorLayer("Polygon?crs=EPSG:2154&field=sector_id:string&field=name:string", "sectors", "memory")
    labeling = styles.sector_labeling(layer)
    assert labeling.settings().placement == LabelPlacement.OverPoint
    trends = QgsVectorLayer("Polygon?crs=EPSG:2154&field=alert:integer&field=sector:string&field=driving_category:string",
                            "trends", "memory")
    styles.style_trends_layer(trends)
    settings = trends.labeling().settings()
    assert settings.placement == LabelPlacement.OverPoint
    assert settings.quadOffset == compat.LABEL_QUADRANT_BELOW


def test_no_qvariant_field_type_outside_compat():
    """QVariant.<Type> does not exist in PyQt6: field types go through compat.FieldType."""
    offenders = []
    for path in PLUGIN.rglob("*.py"):
        if path.name == "compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "QVariant":
                offenders.append(f"{path.relative_to(PLUGIN)}:{node.lineno} QVariant.{node.attr}")
    assert offenders == []

