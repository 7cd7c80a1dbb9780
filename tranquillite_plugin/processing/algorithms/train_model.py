"""tranquillite:trainmodel — the random forest of SPEC §4 on scored past events, saved without pickle."""

from __future__ import annotations

import time

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.pipeline import model as pipeline
from tranquillite_plugin.processing.algorithms import helpers
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.model_options import add_model_options, model_options_from


class TrainModelAlgorithm(TranquilliteAlgorithm):
    NAME = "trainmodel"
    DISPLAY = "Train the similarity model"
    GROUP = "scoring"
    GROUP_DISPLAY = "Scoring and model"
    ICON = "tranquillite.svg"
    HELP = (
        "Trains the random forest that finds similar past events, on events scored by 'Score events' (field "
        "score, and score_detail for the facts by category shown in explanations). The eight factor axes: "
        "location (centroid of the footprint), participants, nature, sector (from SECTORS when an event has "
        "none: the sector containing its centroid, else the nearest), weekday or weekend, winter or summer "
        "(daylight saving time), footprint area, duration. The forest learns log(1 + score); two events are "
        "similar when they fall in the same leaf of many trees.\n\n"
        "The published method (above) is the default. Options beyond it, each off unless chosen: MODE auto "
        "picks the share of axes tried per split, the minimum events per leaf, the number of trees and the "
        "averaging by a backtest inside the training period (the last 20 % of its events predicted from the "
        "first 80 %), and records every candidate's figures in the model; AVERAGING log is a weighted geometric "
        "mean; context axes add the background incident rate around the footprint at the event's hours of the "
        "week (from FACTS: facts of the 52 weeks before the event that no event counts), the weather of the "
        "day (from the WEATHER table) and the city's load that day (other events that started earlier that day "
        "and their participants); CALIBRATE makes the 10-90 % band conformal in log space, calibrated on the "
        "most recent training events.\n\n"
        "The model file (.tqm) holds only data (JSON and numeric arrays, no pickle): loading it never runs "
        "code. It records the settings, the scoring settings and weights (advanced parameters: give those "
        "that made the scores), the training period and a fingerprint. Same events, settings and seed: same "
        "model, same fingerprint."
    )
    EVENTS = "EVENTS"
    SECTORS = "SECTORS"
    OUTPUT_MODEL = "OUTPUT_MODEL"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.EVENTS, self.tr("Scored past events (field score)"), [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.SECTORS, self.tr("Sectors"), [QgsProcessing.TypeVectorPolygon], optional=True)
        )
        helpers.add_forest_parameters(self)
        add_model_options(self)
        helpers.add_score_parameters(self)
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT_MODEL, self.tr("Model file"), self.tr(helpers.MODEL_FILTER)))
        self.addOutput(QgsProcessingOutputString("FINGERPRINT", self.tr("Model fingerprint")))
        self.addOutput(QgsProcessingOutputNumber("N_EVENTS", self.tr("Past events in the model")))
        self.addOutput(QgsProcessingOutputString("FIRST_START", self.tr("Start of the first past event")))
        self.addOutput(QgsProcessingOutputString("LAST_START", self.tr("Start of the last past event")))
        self.addOutput(QgsProcessingOutputString("CONFIGURATION", self.tr("Configuration (published, enriched or custom)")))
        self.addOutput(QgsProcessingOutputString("DRIFTED", self.tr("Sectors whose fairness drifted since the last model")))

    def fairness_control(self, model, events_layer, feedback) -> list:
        """The regular control, run at every training on the store the events live in (issue 17)."""
        from tranquillite_plugin.store.qgis_store import store_target_of_layer
        from tranquillite_plugin.store.transparency import run_fairness_control

        target = store_target_of_layer(events_layer) if hasattr(events_layer, "source") else None
        if target is None:
            return []
        try:
            from tranquillite_plugin.store.observatory import Observatory

            with Observatory.open(target) as obs:
                result = run_fairness_control(obs, model)
        except Exception as err:  # noqa: BLE001 - the model stands; the missing control is reported
            feedback.pushWarning(self.tr("The fairness control could not be run: {}").format(err))
            return []
        feedback.pushInfo(result.summary())
        if result.drifted:
            feedback.pushWarning(self.tr("Fairness drift in: {}").format(", ".join(result.drifted)))
        return result.drifted

    def processAlgorithm(self, parameters, context, feedback):
        helpers.require_forest()
        t0 = time.perf_counter()
        settings = helpers.forest_settings_from(self, parameters, context)
        score_settings = helpers.score_settings_from(self, parameters, context)
        path = self.parameterAsFileOutput(parameters, self.OUTPUT_MODEL, context)
        feedback.setProgressText(self.tr("Reading the scored events"))
        events, result, events_layer, n_read = helpers.read_scored_events(self, parameters, self.EVENTS, context, feedback)
        sectors, sector_inputs = helpers.read_sectors(self, parameters, self.SECTORS, context, feedback)
        settings, auto, facts, weather, option_inputs = model_options_from(self, parameters, context, feedback, settings)
        feedback.setProgress(10)
        feedback.setProgressText(self.tr("Training {} trees on {} past events").format(settings.n_trees, len(events)))
        inputs = [(events_layer, n_read)] + sector_inputs + option_inputs
        try:
            training = pipeline.train(
                events, result, settings, score_settings, sectors=sectors, crs=working_crs(), path=path,
                inputs=self.layer_inputs(inputs), facts=facts, weather=weather, auto=auto,
                progress=self.progress(feedback, 10, 95), is_cancelled=self.cancelled(feedback),
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None
        model = training.model
        feedback.setProgress(100)
        first, last = model.training_period
        feedback.pushInfo(
            self.tr("Model trained on {} events ({} – {}) in {:.1f} s; fingerprint {}").format(
                model.n_events, f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}", time.perf_counter() - t0, model.fingerprint
            )
        )
        imp = model.importances()
        feedback.pushInfo(
            self.tr("Axes' importances: {}").format(", ".join(f"{a} {v:.0%}" for a, v in zip(imp["label_en"], imp["importance"])))
        )
        feedback.pushInfo(self.tr("Configuration: {}; band: {}").format(model.configuration, model.band_method))
        if model.selection:
            feedback.pushInfo(self.tr("Auto mode chose {} out of {} candidates (figures in the model file)").format(
                model.selection["chosen"], len(model.selection["candidates"])))
        if model.calibration is not None:
            c = model.calibration
            feedback.pushInfo(self.tr("Calibrated band: offsets {:+.2f} / {:+.2f} in log1p on {} events").format(
                c.offsets[0.8][0], c.offsets[0.8][1], c.n))
        self.write_record(training.record, parameters, context, feedback, [layer for layer, _ in inputs])
        drifted = self.fairness_control(model, events_layer, feedback)
        return {
            self.OUTPUT_MODEL: path,
            "DRIFTED": ",".join(drifted),
            "FINGERPRINT": model.fingerprint,
            "N_EVENTS": model.n_events,
            "FIRST_START": first.isoformat(),
            "LAST_START": last.isoformat(),
            "CONFIGURATION": model.configuration,
        }
