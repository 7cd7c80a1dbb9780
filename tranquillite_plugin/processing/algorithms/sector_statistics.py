"""tranquillite:sectorstatistics — mean score and facts per km² of each sector."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.sector_stats import STAT_FIELDS, sector_statistics
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm

_TYPES = {"n_events": FieldType.Int, "mean_score": FieldType.Double, "n_facts": FieldType.Int,
          "area_km2": FieldType.Double, "facts_per_km2": FieldType.Double}


class SectorStatisticsAlgorithm(TranquilliteAlgorithm):
    NAME = "sectorstatistics"
    DISPLAY = "Sector statistics"
    GROUP = "scoring"
    GROUP_DISPLAY = "Scoring and model"
    ICON = "tranquillite.svg"
    HELP = (
        "Adds to each sector the number of scored events and their mean score (an event without a sector "
        "goes to the sector containing its footprint's centroid, else the nearest), the number of facts "
        "inside it (counts included), its area in km² and its facts per km². The sectors' style is "
        "graduated on mean_score or facts_per_km2."
    )
    SECTORS = "SECTORS"
    EVENTS = "EVENTS"
    FACTS = "FACTS"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.SECTORS, self.tr("Sectors"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.EVENTS, self.tr("Scored events (with a score field)"),
                                              [QgsProcessing.TypeVectorAnyGeometry], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.FACTS, self.tr("Facts (incidents)"), [QgsProcessing.TypeVectorPoint], optional=True)
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Sectors with statistics")))

    def processAlgorithm(self, parameters, context, feedback):
        sectors, _, sectors_layer = self.read_contract_layer(parameters, self.SECTORS, "sectors", context, feedback)
        events = facts = None
        if parameters.get(self.EVENTS):
            events, _, events_layer = self.read_contract_layer(
                parameters, self.EVENTS, "events", context, feedback, extra_fields=("score",)
            )
            if "score" not in events:
                raise QgsProcessingException(
                    self.tr("layer '{}' has no field 'score': run Score events first").format(events_layer.name())
                )
            events = events[events["score"].notna()].copy()
            events["score"] = events["score"].astype(float)
        feedback.setProgress(30)
        if parameters.get(self.FACTS):
            facts, _, _ = self.read_contract_layer(parameters, self.FACTS, "facts", context, feedback, points_as_xy=True)
        feedback.setProgress(60)
        stats = sector_statistics(sectors, events, facts).set_index("fid")

        fields = QgsFields(sectors_layer.fields())
        for name in STAT_FIELDS:
            if fields.indexOf(name) < 0:
                fields.append(QgsField(name, _TYPES[name]))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, sectors_layer.wkbType(), sectors_layer.crs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for feat in sectors_layer.getFeatures():
            out = QgsFeature(fields)
            out.setGeometry(feat.geometry())
            attrs = list(feat.attributes()) + [None] * (fields.count() - len(feat.attributes()))
            if feat.id() in stats.index:
                row = stats.loc[feat.id()]
                for name in STAT_FIELDS:
                    value = row[name]
                    attrs[fields.indexOf(name)] = None if value is None or (isinstance(value, float) and np.isnan(value)) else (
                        int(value) if _TYPES[name] == FieldType.Int else float(value))
            out.setAttributes(attrs)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {self.OUTPUT: dest}
