"""The QGIS and Qt API differences the plugin meets, decided once, here.

The rest of the plugin uses these names and never checks a version itself.
Supported: QGIS 3.22 (Qt5) up to QGIS 4.x (Qt6).

- Field types: ``QgsField`` takes a ``QMetaType.Type`` from QGIS 3.38 on (the
  ``QVariant.Type`` overload is deprecated there, and PyQt6 has no
  ``QVariant.Type`` at all); QGIS 3.22 only takes ``QVariant.Type``.
- Label placement: from QGIS 3.26 the placements live in ``Qgis.LabelPlacement``.
  The old alias ``QgsPalLayerSettings.OverPoint`` is then re-bound to a
  ``Qgis.LabelPredefinedPointPosition`` (the enum added later has an
  ``OverPoint`` too): setting ``placement`` to it raises a TypeError (inside a
  Qt slot, that kills QGIS). Quadrants likewise moved to
  ``Qgis.LabelQuadrantPosition`` (``Below`` instead of ``QuadrantBelow``).
"""

from __future__ import annotations

from qgis.core import Qgis, QgsPalLayerSettings

#: True where QgsField wants QMetaType.Type (QGIS >= 3.38)
FIELDS_USE_QMETATYPE = Qgis.QGIS_VERSION_INT >= 33800


class FieldType:
    """The field types the plugin writes, as this QGIS's QgsField wants them.

    ``QgsField.type()`` returns the same kind, so ``field.type() == FieldType.DateTime`` holds
    on every supported version.
    """

    if FIELDS_USE_QMETATYPE:
        from qgis.PyQt.QtCore import QMetaType

        String = QMetaType.Type.QString
        Int = QMetaType.Type.Int
        LongLong = QMetaType.Type.LongLong
        Double = QMetaType.Type.Double
        Bool = QMetaType.Type.Bool
        Date = QMetaType.Type.QDate
        DateTime = QMetaType.Type.QDateTime
        del QMetaType
    else:  # QGIS 3.22 .. 3.36, Qt5 only: the Qt6 name test skips lines marked qt5-only
        from qgis.PyQt.QtCore import QVariant

        String = QVariant.String  # qt5-only
        Int = QVariant.Int  # qt5-only
        LongLong = QVariant.LongLong  # qt5-only
        Double = QVariant.Double  # qt5-only
        Bool = QVariant.Bool  # qt5-only
        Date = QVariant.Date  # qt5-only
        DateTime = QVariant.DateTime  # qt5-only
        del QVariant


def is_date_or_datetime(field) -> bool:
    """True if a QgsField holds dates or date-times (not times alone)."""
    return field.type() in (FieldType.DateTime, FieldType.Date)


if hasattr(Qgis, "LabelPlacement"):  # QGIS >= 3.26
    #: label placement modes: .OverPoint, .AroundPoint, .Horizontal, .Curved, ...
    LabelPlacement = Qgis.LabelPlacement
    #: label below the point (with OverPoint)
    LABEL_QUADRANT_BELOW = Qgis.LabelQuadrantPosition.Below
else:
    LabelPlacement = QgsPalLayerSettings.Placement
    LABEL_QUADRANT_BELOW = QgsPalLayerSettings.QuadrantPosition.QuadrantBelow
