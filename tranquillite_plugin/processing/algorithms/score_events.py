"""tranquillite:scoreevents — the exact event score of SPEC §3."""

from __future__ import annotations

import time

from qgis.core import (
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.pipeline import scoring as pipeline
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm
from tranquillite_plugin.processing.algorithms.helpers import copy_feature, fields_with, output_wkb_type, score_settings_from, to_memory
from tranquillite_plugin.store.qgis_time import copied_datetimes

#: fields the algorithm adds to the events
SCORE_FIELDS = ("score", "n_facts", "score_detail", "score_note")


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

    def processAlgorithm(self, parameters, context, feedback):
        t0 = time.perf_counter()
        settings = score_settings_from(self, parameters, context)
        feedback.setProgressText(self.tr("Reading facts"))
        facts, facts_report, facts_layer = self.read_contract_layer(
            parameters, self.FACTS, "facts", context, feedback, points_as_xy=True
        )
        feedback.setProgress(10)
        events, events_report, events_layer = self.read_contract_layer(parameters, self.EVENTS, "events", context, feedback)
        t_read = time.perf_counter()
        feedback.setProgress(15)
        feedback.setProgressText(self.tr("Scoring {} events against {} facts").format(len(events), len(facts)))
        inputs = [(events_layer, events_report.read), (facts_layer, facts_report.read)]
        try:
            scoring = pipeline.score(
                facts, events, settings, inputs=self.layer_inputs(inputs), facts_report=facts_report, events_report=events_report,
                output=self.parameterAsOutputLayer(parameters, self.OUTPUT, context) or "",
                progress=self.progress(feedback, 15, 85), is_cancelled=self.cancelled(feedback),
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        t_score = time.perf_counter()
        result = scoring.result
        details = scoring.details()
        by_fid = {}
        for i, fid in enumerate(events["fid"].to_numpy()):
            by_fid[int(fid)] = (float(result.score[i]), int(round(result.n_facts[i])), details[i])
        notes = {}
        for problem in events_report.refusals():
            notes.setdefault(int(problem.fid), f"{problem.field}: {problem.message}")

        added = (("score", FieldType.Double), ("n_facts", FieldType.Int), ("score_detail", FieldType.String), ("score_note", FieldType.String))
        fields = fields_with(events_layer, added, lambda name: feedback.pushWarning(
            self.tr("Field '{}' of the events is replaced by the new value").format(name)))
        wkb_type = output_wkb_type(events_layer, events["geometry"], to_memory(self, parameters, self.OUTPUT, context))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb_type, events_layer.crs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        idx = {name: fields.indexOf(name) for name in SCORE_FIELDS}
        total = max(events_report.read, 1)  # a PostGIS layer of every event counts 0 features
        fix_datetimes = copied_datetimes(events_layer)  # UTC digits of a GeoPackage on QGIS 3.22
        for n, feat in enumerate(events_layer.getFeatures(QgsFeatureRequest())):
            if feedback.isCanceled():
                break
            out, attrs = copy_feature(feat, fields)
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
        self.write_record(scoring.record, parameters, context, feedback, [events_layer, facts_layer])
        return {self.OUTPUT: dest, "N_SCORED": len(events), "N_REFUSED": events_report.refused}
