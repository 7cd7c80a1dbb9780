"""tranquillite:predictevents — the transferred score of planned events (SPEC §4)."""

from __future__ import annotations

import time

import pandas as pd
from qgis.core import (
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.contract import ContractError, validate
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.pipeline import model as pipeline
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.helpers import MODEL_FILTER, copy_feature, fields_with, output_wkb_type, to_memory
from tranquillite_plugin.processing.algorithms.model_options import read_weather_layer
from tranquillite_plugin.store.qgis_layers import read_layer
from tranquillite_plugin.store.qgis_time import copied_datetimes

#: fields added to the planned events
PREDICTION_FIELDS = (
    ("predicted", FieldType.Double),
    ("band_low", FieldType.Double),
    ("band_high", FieldType.Double),
    ("similar_ids", FieldType.String),
    ("transfer_note", FieldType.String),
)


class PredictEventsAlgorithm(TranquilliteAlgorithm):
    NAME = "predictevents"
    DISPLAY = "Predict planned events"
    GROUP = "scoring"
    GROUP_DISPLAY = "Scoring and model"
    ICON = "tranquillite.svg"
    HELP = (
        "Transfers a score to each planned event from the K most similar past events of the MODEL (made by "
        "'Train the similarity model'). Similarity is the share of the forest's trees in which the two events "
        "fall in the same leaf; only past events that started before the planned one are used.\n\n"
        "Adds the fields predicted (proximity-weighted mean of the similar events' scores), band_low and "
        "band_high (weighted 10 % and 90 % quantiles of those scores), similar_ids (their event_id, most "
        "similar first, comma-separated) and transfer_note (why an event has no or a degraded transfer).\n\n"
        "A model trained with context axes computes them for each planned event: the background incident rate "
        "from the recent facts saved in the model, the city's load from the past events and the other planned "
        "events, and the weather of the day from WEATHER (a forecast table; else the table saved with the model; "
        "a day in neither gets the training median, said in transfer_note)."
    )
    MODEL = "MODEL"
    PLANNED = "PLANNED"
    K = "K"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(
                self.MODEL, self.tr("Model file"), QgsProcessingParameterFile.File, fileFilter=self.tr(MODEL_FILTER) + ";;All files (*)"
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.PLANNED, self.tr("Planned events"), [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.K, self.tr("Number of similar past events (k)"), QgsProcessingParameterNumber.Integer, 20, False, 1)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "WEATHER", self.tr("Weather table by day (date, temperature, precipitation, wind; Météo-France columns accepted)"),
                [QgsProcessing.TypeVector], optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Planned events with their transferred score")))
        self.addOutput(QgsProcessingOutputNumber("N_PREDICTED", self.tr("Events predicted")))
        self.addOutput(QgsProcessingOutputString("FINGERPRINT", self.tr("Model fingerprint")))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.core.model_io import ModelFileError, load_model

        t0 = time.perf_counter()
        path = self.parameterAsFile(parameters, self.MODEL, context)
        k = self.parameterAsInt(parameters, self.K, context)
        try:
            model = load_model(path)
        except ModelFileError as err:
            raise QgsProcessingException(str(err)) from None
        first, last = model.training_period
        feedback.pushInfo(
            self.tr("Model {}: {} past events ({} – {}), {} trees").format(
                model.fingerprint[:16], model.n_events, f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}", model.n_trees
            )
        )
        layer = self.vector_layer(parameters, self.PLANNED, context)
        if layer is None:
            raise QgsProcessingException(self.tr("Layer {} could not be opened").format(self.PLANNED))
        crs = model.crs or working_crs()
        try:
            raw = read_layer(layer, crs, feedback=feedback)
            planned, report = validate("events", raw)
        except ContractError as err:
            raise QgsProcessingException(str(err)) from None
        except (IOError, ValueError) as err:
            raise QgsProcessingException(f"layer '{layer.name()}': {err}") from None
        self.push_report(report, feedback)
        weather, weather_inputs = read_weather_layer(self, parameters, context)
        feedback.pushInfo(self.tr("Configuration: {}; band: {}").format(model.configuration, model.band_method))
        feedback.setProgress(10)
        feedback.setProgressText(self.tr("Transferring scores to {} planned events").format(len(planned)))
        try:
            prediction = pipeline.predict(
                model, planned, k, model_path=path, inputs=self.layer_inputs([(layer, report.read)] + weather_inputs),
                explain=bool(model.encoder.context), weather=weather,
                progress=self.progress(feedback, 10, 90), is_cancelled=self.cancelled(feedback),
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        except ValueError as err:
            raise QgsProcessingException(f"layer '{layer.name()}': {err}") from None
        transfers = prediction.transfers
        for event_id, sector, flag in zip(planned["event_id"], prediction.sectors, prediction.flags):
            if flag is not None:
                feedback.pushWarning(
                    self.tr("Planned event {}: in sector {}, {:.0%} of the past score comes from police-initiated facts "
                            "(fairness audit)").format(event_id, sector, flag.police_score_share)
                )
        by_fid = {}
        for fid, t in zip(planned["fid"].to_numpy(), transfers):
            by_fid[int(fid)] = t
        notes = {}
        for problem in report.refusals():
            notes.setdefault(int(problem.fid), f"{problem.field}: {problem.message}")

        fields = fields_with(layer, PREDICTION_FIELDS, lambda name: feedback.pushWarning(
            self.tr("Field '{}' of the planned events is replaced by the new value").format(name)))
        geoms = pd.Series(raw.geometry) if raw.geometry is not None else planned["geometry"]
        wkb_type = output_wkb_type(layer, geoms, to_memory(self, parameters, self.OUTPUT, context))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb_type, layer.crs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        idx = {name: fields.indexOf(name) for name, _ in PREDICTION_FIELDS}
        n_done = 0
        unwritten = []
        id_index = next((i for i, f in enumerate(layer.fields()) if f.name().lower() == "event_id"), -1)
        fix_datetimes = copied_datetimes(layer)  # UTC digits of a GeoPackage on QGIS 3.22
        for feat in layer.getFeatures(QgsFeatureRequest()):
            if feedback.isCanceled():
                break
            out, attrs = copy_feature(feat, fields)
            if fix_datetimes is not None:
                attrs = fix_datetimes(attrs)
            t = by_fid.get(feat.id())
            if t is not None and t.predicted == t.predicted:  # not NaN
                attrs[idx["predicted"]] = float(t.predicted)
                attrs[idx["band_low"]] = float(t.band_low)
                attrs[idx["band_high"]] = float(t.band_high)
                attrs[idx["similar_ids"]] = ",".join(t.similar_ids)
                filled = [c for c, v in t.context.items() if v.get("filled")]
                note = "; ".join(x for x in (t.note, (self.tr("unknown context (training median): {}").format(", ".join(filled))
                                                        if filled else "")) if x)
                attrs[idx["transfer_note"]] = note or None
                n_done += 1
            else:
                for name in ("predicted", "band_low", "band_high", "similar_ids"):
                    attrs[idx[name]] = None
                attrs[idx["transfer_note"]] = t.note if t is not None else notes.get(feat.id(), self.tr("not predicted"))
            out.setAttributes(attrs)
            if not sink.addFeature(out, QgsFeatureSink.FastInsert):
                unwritten.append(str(feat.attributes()[id_index]) if id_index >= 0 else str(feat.id()))
        if unwritten:
            feedback.reportError(
                self.tr("{} planned events could not be written to the output ({}): a memory layer holds one geometry "
                        "type, write mixed points, itineraries and areas to a GeoPackage").format(
                    len(unwritten), ", ".join(unwritten[:10])
                ),
                False,
            )
        feedback.setProgress(100)
        feedback.pushInfo(
            self.tr("{} planned events predicted, {} without a transfer, in {:.2f} s").format(
                n_done, report.read - n_done, time.perf_counter() - t0
            )
        )
        self.write_record(prediction.record, parameters, context, feedback, [layer])
        return {self.OUTPUT: dest, "N_PREDICTED": n_done, "N_UNWRITTEN": len(unwritten), "FINGERPRINT": model.fingerprint}
