"""The store's datetimes in QGIS: stored in UTC, shown and typed in Europe/Paris time.

The store keeps instants as the standards say (GeoPackage: UTC text ``...Z``;
PostGIS: ``timestamptz``). What QGIS makes of them differs by provider and
version:

* PostGIS (``postgres`` provider): a ``QDateTime`` in UTC, the exact instant;
* GeoPackage on QGIS 3.22 (``ogr``): the stored digits as a *local-time*
  ``QDateTime``, the 'Z' dropped: UTC digits labelled local; QGIS 3.22 also
  writes a form's value as its digits without a zone;
* GeoPackage on later QGIS: a ``QDateTime`` carrying its zone (exact).

One rule reads all three: a ``QDateTime`` with a zone is that instant; one
without (local time spec) holds the store's UTC digits. :func:`instant_ms`
applies it; :class:`ParisDateTimeFormatter` (registered as
:data:`FORMATTER_ID`) shows every value in Europe/Paris wall time in the
attribute table, identify results, forms and ``represent_value()`` (map
tips); :func:`configure_store_layer` gives a store layer that formatter and
temporal properties that compare instants (the Temporal Controller's range
is an instant too), choosing, from what this QGIS actually returns, the
provider-filtered field mode or an expression that puts the 'Z' back.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import (
    QgsApplication,
    QgsEditorWidgetSetup,
    QgsFeatureRequest,
    QgsFieldFormatter,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, QVariant

from tranquillite_plugin.compat import is_date_or_datetime

#: the field formatter (and form widget) id of the store's datetimes
FORMATTER_ID = "TranquilliteDateTime"
DISPLAY_FORMAT = "dd/MM/yyyy HH:mm"
PARIS = QTimeZone(b"Europe/Paris")
#: a store datetime as an exact instant in a QGIS expression, whatever the provider gives
_ISO = "yyyy-MM-dd''T''HH:mm:ss.zzz"  # Qt's quoted 'T' inside a QGIS string literal


def _is_local_spec(value: QDateTime) -> bool:
    return value.timeSpec() == Qt.TimeSpec.LocalTime


def instant_ms(value) -> Optional[int]:
    """A store datetime attribute -> ms since the epoch (UTC), None for NULL or unreadable.

    ``QDateTime`` with a zone: its instant; without (local spec): its digits are
    UTC (the store's convention). Text: ISO 8601, a zone-less text is UTC too.
    """
    if value is None:
        return None
    if isinstance(value, QVariant):
        if value.isNull():
            return None
        value = value.value()
    if isinstance(value, str):
        value = QDateTime.fromString(value.strip(), Qt.DateFormat.ISODateWithMs)
    if isinstance(value, QDate):
        value = QDateTime(value, QTime(0, 0))
    if not isinstance(value, QDateTime) or not value.isValid():
        return None
    if _is_local_spec(value):
        value = QDateTime(value.date(), value.time(), Qt.TimeSpec.UTC)
    return int(value.toMSecsSinceEpoch())


def to_paris(value) -> Optional[QDateTime]:
    """A store datetime attribute -> the same instant as a QDateTime in Europe/Paris (None for NULL)."""
    ms = instant_ms(value)
    if ms is None:
        return None
    return QDateTime.fromMSecsSinceEpoch(ms, PARIS)


def utc_qdatetime(ms: int) -> QDateTime:
    """ms since the epoch -> a UTC QDateTime (what a form hands to the provider)."""
    return QDateTime.fromMSecsSinceEpoch(int(ms), Qt.TimeSpec.UTC)


class ParisDateTimeFormatter(QgsFieldFormatter):
    """Shows a store datetime in Europe/Paris wall time (``display_format`` of the widget config)."""

    def id(self) -> str:  # noqa: A003 - QGIS's name
        return FORMATTER_ID

    def representValue(self, layer, fieldIndex, config, cache, value):  # noqa: N802,N803 - QGIS's names
        paris = to_paris(value)
        if paris is None:
            if value is None or (isinstance(value, QVariant) and value.isNull()):
                return QgsApplication.nullRepresentation()
            return str(value)
        fmt = (config or {}).get("display_format") or DISPLAY_FORMAT
        return paris.toString(fmt)

    def sortValue(self, layer, fieldIndex, config, cache, value):  # noqa: N802,N803
        ms = instant_ms(value)
        return ms if ms is not None else value


_registered: Optional[ParisDateTimeFormatter] = None


def register() -> None:
    """Adds the formatter to QGIS's registry (idempotent); the form widget is gui's."""
    global _registered
    registry = QgsApplication.fieldFormatterRegistry()
    if registry.fieldFormatter(FORMATTER_ID).id() == FORMATTER_ID:
        return
    _registered = ParisDateTimeFormatter()
    registry.addFieldFormatter(_registered)


def unregister() -> None:
    global _registered
    registry = QgsApplication.fieldFormatterRegistry()
    if registry.fieldFormatter(FORMATTER_ID).id() == FORMATTER_ID:
        registry.removeFieldFormatter(FORMATTER_ID)
    _registered = None


def widget_setup() -> QgsEditorWidgetSetup:
    return QgsEditorWidgetSetup(FORMATTER_ID, {"display_format": DISPLAY_FORMAT, "allow_null": True})


def datetime_fields(layer: QgsVectorLayer):
    return [f.name() for f in layer.fields() if is_date_or_datetime(f)]


def digits_are_utc(layer: QgsVectorLayer, field: str) -> bool:
    """True when the field's zone-less values hold UTC digits: a store layer, or a
    GeoPackage whose column is all UTC (``...Z``, as the store and the algorithms write)."""
    if layer.customProperty("tranquillite/store"):
        return True
    if layer.providerType() != "ogr":
        return False
    from tranquillite_plugin.store.layer_reader import column_encoding
    from tranquillite_plugin.store.qgis_layers import ogr_source

    src = ogr_source(layer)
    if src is None:
        return False
    path, name, _subset = src
    return column_encoding(path, name, field) == "utc"


def configure_display(layer: QgsVectorLayer) -> None:
    """Every datetime field whose instant is known shows (and is typed) in Europe/Paris time.

    Fields of zone-less local digits (most city exports) keep QGIS's own
    widget: their digits already are Paris wall time.
    """
    register()
    for name in datetime_fields(layer):
        if instants_are_exact(layer, name) or digits_are_utc(layer, name):
            layer.setEditorWidgetSetup(layer.fields().indexOf(name), widget_setup())


def instants_are_exact(layer: QgsVectorLayer, field: str) -> bool:
    """True when this QGIS hands the field's values with their zone (PostGIS; GeoPackage after 3.22)."""
    if layer.providerType() == "postgres":
        return True
    idx = layer.fields().indexOf(field)
    if idx < 0:
        return False
    request = QgsFeatureRequest().setFilterExpression(f'"{field}" IS NOT NULL').setLimit(1)
    request.setSubsetOfAttributes([idx])
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    for feat in layer.getFeatures(request):
        value = feat[field]
        if isinstance(value, QDateTime) and value.isValid():
            return not _is_local_spec(value)
    return False


def instant_expression(field: str) -> str:
    """A QGIS expression giving a field of UTC digits (with or without a zone) as an exact instant."""
    quoted = '"' + field.replace('"', '""') + '"'
    return f"to_datetime(format_date({quoted}, '{_ISO}') || 'Z')"


def set_temporal(layer: QgsVectorLayer, start: str, end: Optional[str] = None, duration_h: float = 0.0) -> None:
    """Temporal properties on instants: the fields themselves when QGIS hands exact instants or
    local digits (compared as local time), an expression putting the 'Z' back on UTC digits."""
    props = layer.temporalProperties()
    props.setIsActive(True)
    names = [start] + ([end] if end else [])
    utc_digits = any(not instants_are_exact(layer, n) and digits_are_utc(layer, n) for n in names)
    if not utc_digits and end is None:
        props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
        props.setStartField(start)
        props.setDurationUnits(QgsUnitTypes.TemporalHours)
        props.setFixedDuration(float(duration_h))
        return
    if not utc_digits:
        props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromFields)
        props.setStartField(start)
        props.setEndField(end)
        return
    props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions)
    props.setStartExpression(instant_expression(start))
    if end is None:
        minutes = int(round(float(duration_h) * 60))
        props.setEndExpression(f"{instant_expression(start)} + make_interval(minutes:={minutes})")
    else:
        props.setEndExpression(instant_expression(end))


def copied_datetimes(layer: QgsVectorLayer):
    """A function fixing the datetimes of attributes copied from ``layer`` into an output, or None.

    QGIS 3.22 hands a GeoPackage's UTC values as local-time digits and writes a
    QDateTime's digits without its zone: copied as they are, an output would
    hold UTC digits that every reader takes for Paris time. The fix hands the
    same instant as Paris wall time with its offset (what a reader of a
    zone-less output gets right); fields QGIS hands with their zone are left.
    """
    idx = [layer.fields().indexOf(n) for n in datetime_fields(layer) if not instants_are_exact(layer, n) and digits_are_utc(layer, n)]
    if not idx:
        return None

    def fix(attrs: list) -> list:
        for i in idx:
            paris = to_paris(attrs[i])
            if paris is not None:
                attrs[i] = QDateTime(paris.date(), paris.time(), Qt.TimeSpec.OffsetFromUTC, paris.offsetFromUtc())
        return attrs

    return fix
