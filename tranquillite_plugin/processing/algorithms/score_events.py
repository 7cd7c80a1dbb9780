"""tranquillite:scoreevents — the exact event score of SPEC §3."""

from __future__ import annotations

import json
import time

import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.score import Cancelled, FactIndex, ScoreSettings, score_events
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm
from tranquillite_plugin.store.qgis_time import copied_datetimes

#: fields the algorithm adds to the events
SCORE_FIELDS = ("score", "n_facts", "score_detail", "score_note")


_FAMILY = {0: QgsWkbTypes.PointGeometry, 4: QgsWkbTypes.PointGeometry, 1: QgsWkbTypes.LineGeometry,
           2: QgsWkbTypes.LineGeometry, 5: QgsWkbTypes.LineGeometry, 3: QgsWkbTypes.PolygonGeometry,
           6: QgsWkbTypes.PolygonGeometry}


def output_wkb_type(layer, geometries, to_memory: bool):
    """The layer's geometry type, or Unknown when its events mix points, itineraries and areas.

    A memory layer cannot hold mixed types: there the layer's own type is kept.
    """
    families = {_FAMILY.get(int(t)) for t in shapely.get_type_id(geometries.to_numpy(object))} - {None}
    if len(families) <= 1 and families <= {QgsWkbTypes.geometryType(layer.wkbType())}:
        return layer.wkbType()
    if to_memory and layer.wkbType() != QgsWkbTypes.Unknown:
        return layer.wkbType()
    return QgsWkbTypes.GeometryCollection if to_memory else QgsWkbTypes.Unknown


class ScoreEventsAlgorithm(TranquilliteAlgorithm):
    NAME = "scoreevents"
    DISPLAY = "Score events"
    GROUP = "scoring"
    GROUP_DISPLAY = "Scoring and model"
    ICON = "score.svg"
    HELP = (
        "Scores every event with the facts (incidents) around it: a fact counts for an event when it lies "
        "within RADIUS metres of the event's footprint (a polygon as it is, a line buffered by 15 m, a point "
        "by 50 m) and happened between BEFORE_H hours before the start and AFTER_H hours after the end, "
        "bounds included. The score is the sum of weight(category) × count of those facts.\n\n"
        "WEIGHTS overrides category weights, e.g. 'violence=4, vol=2.5' (defaults: main_courante 1, "
        "verbalisation 0.5, enlevement 0.5, secours 2, intervention 1.5, degradation 2, violence 3, vol 2, "
        "nuisance 1, other codes 1).\n\n"
        "The output is the events layer with fields score, n_facts (number of facts, counts included), "
        "score_detail (score by category, JSON) and score_note (why an event that breaks the data contract "
        "has no score)."
    )

    EVENTS = "EVENTS"
    FACTS = "FACTS"
    RADIUS = "RADIUS"
    BEFORE_H = "BEFORE_H"
    AFTER_H = "AFTER_H"
    WEIGHTS = "WEIGHTS"
    LINE_BUFFER = "LINE_BUFFER"
    POINT_BUFFER = "POINT_BUFFER"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.EVENTS, self.tr("Events"), [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.FACTS, self.tr("Facts (incidents)"), [QgsProcessing.TypeVectorPoint])
        )
        number = QgsProcessingParameterNumber
        self.addParameter(number(self.RADIUS, self.tr("Radius around the footprint (m)"), number.Double, 300.0, False, 0.0))
        self.addParameter(number(self.BEFORE_H, self.tr("Hours before the start"), number.Double, 2.0, False, 0.0))
        self.addParameter(number(self.AFTER_H, self.tr("Hours after the end"), number.Double, 2.0, False, 0.0))
        self.addParameter(
            QgsProcessingParameterString(self.WEIGHTS, self.tr("Category weights (e.g. violence=4, vol=2.5)"), "", False, True)
        )
        for name, label, default in (
            (self.LINE_BUFFER, self.tr("Itinerary footprint half-width (m)"), 15.0),
            (self.POINT_BUFFER, self.tr("Point footprint radius (m)"), 50.0),
        ):
            param = number(name, label, number.Double, default, False, 0.0)
            param.setFlags(param.flags() | param.FlagAdvanced)
            self.addParameter(param)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Scored events")))

    def _to_memory(self, parameters, context) -> bool:
        dest = self.parameterAsOutputLayer(parameters, self.OUTPUT, context) or ""
        return dest.startswith("memory:") or dest == QgsProcessing.TEMPORARY_OUTPUT

    def processAlgorithm(self, parameters, context, feedback):
        t0 = time.perf_counter()
        settings = ScoreSettings(
            radius_m=self.parameterAsDouble(parameters, self.RADIUS, context),
            before_h=self.parameterAsDouble(parameters, self.BEFORE_H, context),
            after_h=self.parameterAsDouble(parameters, self.AFTER_H, context),
            line_buffer_m=self.parameterAsDouble(parameters, self.LINE_BUFFER, context),
            point_buffer_m=self.parameterAsDouble(parameters, self.POINT_BUFFER, context),
            weights=self.parse_weights(self.parameterAsString(parameters, self.WEIGHTS, context)),
        )
        feedback.setProgressText(self.tr("Reading facts"))
        facts, facts_report, facts_layer = self.read_contract_layer(
            parameters, self.FACTS, "facts", context, feedback, points_as_xy=True
        )
        feedback.setProgress(10)
        events, events_report, events_layer = self.read_contract_layer(parameters, self.EVENTS, "events", context, feedback)
        t_read = time.perf_counter()
        feedback.setProgress(15)
        index = FactIndex.build(facts, settings.weights)
        feedback.setProgressText(self.tr("Scoring {} events against {} facts").format(len(events), len(facts)))
        try:
            result = score_events(
                events, index, settings, progress=self.progress(feedback, 15, 85), is_cancelled=self.cancelled(feedback)
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        t_score = time.perf_counter()

        by_fid = {}
        cats = result.categories
        for i, fid in enumerate(events["fid"].to_numpy()):
            row = result.by_category[i]
            detail = {cats[j]: round(float(row[j]), 9) for j in np.flatnonzero(row)}
            by_fid[int(fid)] = (float(result.score[i]), int(round(result.n_facts[i])), json.dumps(detail, sort_keys=True))
        notes = {}
        for problem in events_report.refusals():
            notes.setdefault(int(problem.fid), f"{problem.field}: {problem.message}")

        fields = QgsFields(events_layer.fields())
        present = {f.name().lower() for f in events_layer.fields()}
        for name, kind in (("score", FieldType.Double), ("n_facts", FieldType.Int), ("score_detail", FieldType.String), ("score_note", FieldType.String)):
            if name in present:
                feedback.pushWarning(self.tr("Field '{}' of the events is replaced by the new value").format(name))
                continue
            fields.append(QgsField(name, kind))
        wkb_type = output_wkb_type(events_layer, events["geometry"], self._to_memory(parameters, context))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb_type, events_layer.crs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        idx = {name: fields.indexOf(name) for name in SCORE_FIELDS}
        total = max(events_layer.featureCount(), 1)
        fix_datetimes = copied_datetimes(events_layer)  # UTC digits of a GeoPackage on QGIS 3.22
        for n, feat in enumerate(events_layer.getFeatures(QgsFeatureRequest())):
            if feedback.isCanceled():
                break
            out = QgsFeature(fields)
            out.setGeometry(feat.geometry())
            attrs = list(feat.attributes()) + [None] * (fields.count() - len(feat.attributes()))
            if fix_datetimes is not None:
                attrs = fix_datetimes(attrs)
            got = by_fid.get(feat.id())
            if got is not None:
                attrs[idx["score"]], attrs[idx["n_facts"]], attrs[idx["score_detail"]] = got
                attrs[idx["score_note"]] = None
            else:
                attrs[idx["score"]] = None
                attrs[idx["n_facts"]] = None
                attrs[idx["score_detail"]] = None
                attrs[idx["score_note"]] = notes.get(feat.id(), self.tr("not scored"))
            out.setAttributes(attrs)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            if n % 1000 == 0:
                feedback.setProgress(85 + 15 * n / total)
        t_write = time.perf_counter()
        feedback.pushInfo(
            self.tr("Timing: read {:.2f} s, score {:.2f} s, write {:.2f} s").format(
                t_read - t0, t_score - t_read, t_write - t_score
            )
        )
        feedback.pushInfo(
            self.tr("{} events scored, {} not scored; {} facts used, {} refused").format(
                len(events), events_report.refused, facts_report.taken, facts_report.refused
            )
        )
        self.audit(
            parameters, context, feedback,
            inputs=[(events_layer, events_report.read), (facts_layer, facts_report.read)],
            n_features=len(events),
            summary={
                "scored": len(events), "not_scored": events_report.refused, "facts_used": facts_report.taken,
                "facts_refused": facts_report.refused, "score_total": float(np.sum(result.score)),
            },
        )
        return {self.OUTPUT: dest, "N_SCORED": len(events), "N_REFUSED": events_report.refused}
