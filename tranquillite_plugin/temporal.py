"""Temporal properties: the Temporal Controller plays facts back (each for an hour) and shows events from start to end."""

from __future__ import annotations

from qgis.core import QgsUnitTypes, QgsVectorLayer, QgsVectorLayerTemporalProperties

from tranquillite_plugin.compat import is_date_or_datetime
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.store.qgis_time import set_temporal

#: how long a fact is shown by the Temporal Controller
FACT_DURATION_H = 1.0


def set_facts_temporal(layer: QgsVectorLayer, field: str = "occurred_at", hours: float = FACT_DURATION_H) -> None:
    """The Temporal Controller shows each fact from ``occurred_at`` for ``hours``."""
    idx = layer.fields().indexOf(field)
    if idx < 0:
        raise ValueError(tr("Layer '{}' has no field '{}': its facts cannot be played back in time.").format(layer.name(), field))
    props = layer.temporalProperties()
    props.setIsActive(True)
    props.setDurationUnits(QgsUnitTypes.TemporalHours)
    props.setFixedDuration(hours)
    props.setAccumulateFeatures(False)
    if is_date_or_datetime(layer.fields().field(idx)):
        set_temporal(layer, field, duration_h=hours)  # on instants, whatever the provider hands
    else:  # a text field (CSV...): read it as a date-time
        props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions)
        props.setStartExpression(f'to_datetime("{field}")')
        minutes = int(round(hours * 60))
        props.setEndExpression(f'to_datetime("{field}") + make_interval(minutes:={minutes})')


def set_events_temporal(layer: QgsVectorLayer, start: str = "start", end: str = "end") -> bool:
    """Events are shown from their start to their end; False when the fields are missing."""
    fields = layer.fields()
    if fields.indexOf(start) < 0 or fields.indexOf(end) < 0:
        return False
    props = layer.temporalProperties()
    props.setIsActive(True)
    if is_date_or_datetime(fields.field(start)) and is_date_or_datetime(fields.field(end)):
        set_temporal(layer, start, end)  # on instants, whatever the provider hands
    else:
        props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions)
        props.setStartExpression(f'to_datetime("{start}")')
        props.setEndExpression(f'to_datetime("{end}")')
    return True
