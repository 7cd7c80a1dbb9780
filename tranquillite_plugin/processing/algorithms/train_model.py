"""tranquillite:trainmodel — the random forest of SPEC §4 on scored past events, saved without pickle."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.core.contract import CATEGORIES
from tranquillite_plugin.core.score import Cancelled, ScoreResult, ScoreSettings
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.model_options import add_model_options, model_options_from

MODEL_FILTER = "Tranquillité model (*.tqm)"


def scored_events(events: pd.DataFrame, layer_name: str):
    """Clean events carrying ``score`` (and ``score_detail``) -> (events with a score, ScoreResult, skipped ids).

    Events whose score is empty (refused by Score events) are left out and
    returned in ``skipped``; a ``score_detail`` that is not the JSON Score
    events writes is an error naming the feature.
    """
    if "score" not in events:
        raise ValueError(f"layer '{layer_name}' has no field 'score': run 'Score events' on it first")
    score = pd.to_numeric(events["score"], errors="coerce").to_numpy(float)
    keep = np.isfinite(score)
    skipped = events.loc[~keep, "event_id"].astype(str).tolist()
    events = events.loc[keep].reset_index(drop=True)
    score = score[keep]
    bad = np.flatnonzero(score < 0)
    if len(bad):
        raise ValueError(f"layer '{layer_name}', feature {events['fid'].iloc[bad[0]]}, field 'score': negative score {score[bad[0]]:g}")
    details = []
    texts = events["score_detail"].to_numpy(object) if "score_detail" in events else np.full(len(events), None, dtype=object)
    for i, text in enumerate(texts):
        if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
            details.append({})
            continue
        try:
            d = json.loads(str(text))
            if not isinstance(d, dict):
                raise TypeError
            details.append({str(k): float(v) for k, v in d.items()})
        except (ValueError, TypeError):
            raise ValueError(
                f"layer '{layer_name}', feature {events['fid'].iloc[i]}, field 'score_detail': "
                f"{str(text)[:60]!r} is not the JSON that 'Score events' writes"
            ) from None
    seen = {c for d in details for c in d}
    categories = [c for c in CATEGORIES if c in seen] + sorted(seen - set(CATEGORIES))
    col = {c: j for j, c in enumerate(categories)}
    table = np.zeros((len(events), len(categories)))
    for i, d in enumerate(details):
        for c, v in d.items():
            table[i, col[c]] = v
    return events, ScoreResult(score, np.zeros(len(events)), table, categories), skipped


def add_forest_parameters(alg, advanced_k: bool = True) -> None:
    """N_TREES, MIN_LEAF, SEED (and MAX_FEATURES, advanced) — shared with the backtest."""
    number = QgsProcessingParameterNumber
    alg.addParameter(number("N_TREES", alg.tr("Number of trees"), number.Integer, 200, False, 1, 5000))
    alg.addParameter(number("MIN_LEAF", alg.tr("Minimum events per leaf"), number.Integer, 5, False, 1))
    alg.addParameter(number("SEED", alg.tr("Random seed"), number.Integer, 0, False, 0))
    mf = number("MAX_FEATURES", alg.tr("Share of the axes tried at each split"), number.Double, 0.5, False, 0.01, 1.0)
    mf.setFlags(mf.flags() | mf.FlagAdvanced)
    alg.addParameter(mf)


def add_score_parameters(alg) -> None:
    """The scoring settings that made the ``score`` field (recorded with the model), advanced."""
    number = QgsProcessingParameterNumber
    params = [
        number("RADIUS", alg.tr("Radius used by the score (m)"), number.Double, 300.0, False, 0.0),
        number("BEFORE_H", alg.tr("Hours before the start used by the score"), number.Double, 2.0, False, 0.0),
        number("AFTER_H", alg.tr("Hours after the end used by the score"), number.Double, 2.0, False, 0.0),
        QgsProcessingParameterString("WEIGHTS", alg.tr("Category weights used by the score (e.g. violence=4)"), "", False, True),
        number("LINE_BUFFER", alg.tr("Itinerary footprint half-width (m)"), number.Double, 15.0, False, 0.0),
        number("POINT_BUFFER", alg.tr("Point footprint radius (m)"), number.Double, 50.0, False, 0.0),
    ]
    for p in params:
        p.setFlags(p.flags() | p.FlagAdvanced)
        alg.addParameter(p)


def forest_settings_from(alg, parameters, context, k: int = 20):
    from tranquillite_plugin.core.forest import ForestSettings

    try:
        return ForestSettings(
            n_trees=alg.parameterAsInt(parameters, "N_TREES", context),
            min_leaf=alg.parameterAsInt(parameters, "MIN_LEAF", context),
            seed=alg.parameterAsInt(parameters, "SEED", context),
            max_features=alg.parameterAsDouble(parameters, "MAX_FEATURES", context),
            k=k,
        )
    except ValueError as err:
        raise QgsProcessingException(str(err)) from None


def score_settings_from(alg, parameters, context) -> ScoreSettings:
    return ScoreSettings(
        radius_m=alg.parameterAsDouble(parameters, "RADIUS", context),
        before_h=alg.parameterAsDouble(parameters, "BEFORE_H", context),
        after_h=alg.parameterAsDouble(parameters, "AFTER_H", context),
        line_buffer_m=alg.parameterAsDouble(parameters, "LINE_BUFFER", context),
        point_buffer_m=alg.parameterAsDouble(parameters, "POINT_BUFFER", context),
        weights=alg.parse_weights(alg.parameterAsString(parameters, "WEIGHTS", context)),
    )


def read_scored_events(alg, parameters, name, context, feedback):
    """Reads a scored events layer: (events with a score, ScoreResult, layer, features read)."""
    events, report, layer = alg.read_contract_layer(parameters, name, "events", context, feedback, extra_fields=("score", "score_detail"))
    try:
        events, result, skipped = scored_events(events, layer.name())
    except ValueError as err:
        raise QgsProcessingException(str(err)) from None
    if skipped:
        shown = ", ".join(skipped[:10]) + (" …" if len(skipped) > 10 else "")
        feedback.pushWarning(alg.tr("{} events without a score are left out: {}").format(len(skipped), shown))
    if not result.categories:
        feedback.pushWarning(alg.tr("No field 'score_detail': the explanation will not show facts by category"))
    if not len(events):
        raise QgsProcessingException(alg.tr("layer '{}' has no event with a score").format(layer.name()))
    return events, result, layer, report.read


def read_sectors(alg, parameters, name, context, feedback):
    """The optional sectors layer: (clean frame, [(layer, features read)]) or (None, [])."""
    if not parameters.get(name):
        return None, []
    sectors, report, layer = alg.read_contract_layer(parameters, name, "sectors", context, feedback)
    return sectors, [(layer, report.read)]


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
        add_forest_parameters(self)
        add_model_options(self)
        add_score_parameters(self)
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT_MODEL, self.tr("Model file"), self.tr(MODEL_FILTER)))
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
        from tranquillite_plugin.core.forest import require_sklearn, train_model
        from tranquillite_plugin.core.model_io import save_model

        try:
            require_sklearn()
        except ImportError as err:
            raise QgsProcessingException(str(err)) from None
        t0 = time.perf_counter()
        settings = forest_settings_from(self, parameters, context)
        score_settings = score_settings_from(self, parameters, context)
        path = self.parameterAsFileOutput(parameters, self.OUTPUT_MODEL, context)
        feedback.setProgressText(self.tr("Reading the scored events"))
        events, result, events_layer, n_read = read_scored_events(self, parameters, self.EVENTS, context, feedback)
        sectors, sector_inputs = read_sectors(self, parameters, self.SECTORS, context, feedback)
        settings, auto, facts, weather, option_inputs = model_options_from(self, parameters, context, feedback, settings)
        feedback.setProgress(10)
        feedback.setProgressText(self.tr("Training {} trees on {} past events").format(settings.n_trees, len(events)))
        try:
            model = train_model(
                events,
                result,
                sectors=sectors,
                settings=settings,
                score_settings=score_settings,
                progress=self.progress(feedback, 10, 95),
                is_cancelled=self.cancelled(feedback),
                crs=working_crs(),
                facts=facts,
                weather=weather,
                auto=auto,
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None
        save_model(model, path)
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
        self.audit(
            parameters, context, feedback,
            inputs=[(events_layer, n_read)] + sector_inputs + option_inputs,
            n_features=model.n_events,
            fingerprint=model.fingerprint,
            summary={
                "model": path, "n_events": model.n_events, "first_start": first.isoformat(), "last_start": last.isoformat(),
                "settings": model.settings.to_dict(), "importances": dict(zip(imp["axis"], imp["importance"].round(6).tolist())),
                "configuration": model.configuration,
                "auto_chosen": model.selection["chosen"] if model.selection else None,
                "calibration": model.calibration.to_dict() if model.calibration is not None else None,
            },
        )
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
