"""The model the docks work with: training, prediction, backtest, trends, and the model kept between them."""

from __future__ import annotations

from typing import List, Optional

import pandas as pd
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from tranquillite_plugin import settings
from tranquillite_plugin.core.contract import ContractError
from tranquillite_plugin.core.model_io import ModelFileError, load_model, save_model
from tranquillite_plugin.core.score import facts_of_event
from tranquillite_plugin.gui import jobs, tasks
from tranquillite_plugin.i18n import tr

#: the layers the model needs
REQUIRED_FOR_MODEL = ("facts", "events")


class ModelSession(QObject):
    modelReady = pyqtSignal(object)  # noqa: N815 - jobs.TrainedModel
    predictionReady = pyqtSignal(object)  # noqa: N815 - jobs.Prediction
    predictionSaved = pyqtSignal(str)  # noqa: N815 - event_id written with its prediction
    backtestDone = pyqtSignal(object, str)  # noqa: N815 - core.backtest.BacktestResult, report path
    trendsReady = pyqtSignal(object)  # noqa: N815 - jobs.Trends

    def __init__(self, messages, runner, layers, stores, highlights, parent=None):
        super().__init__(parent)
        self.messages = messages
        self.runner = runner
        self.layers = layers
        self.stores = stores
        self.highlights = highlights
        self.trained: Optional[jobs.TrainedModel] = None
        self.trained_key = None
        self.prediction: Optional[jobs.Prediction] = None
        self.saved_predictions: List[str] = []  # event ids whose prediction was written, in order
        self.last_backtest: Optional[jobs.BacktestRun] = None
        self.trends_result: Optional[jobs.Trends] = None  # the last trends and alerts (Audit tab)
        self.control = None  # the latest fairness control (core.fairness_control.ControlResult)

    # --- training --------------------------------------------------------------------------------

    def model_key(self):
        s = settings.score_settings()
        return (
            tuple(sorted(self.layers.layer_ids.items())),
            tuple(sorted((k, tuple(sorted(v.items()))) for k, v in self.layers.field_maps.items())),
            tuple(sorted(s.to_dict().items(), key=lambda kv: kv[0])).__repr__(),
            (settings.get("n_trees"), settings.get("min_leaf"), settings.working_crs()),
        )

    def layers_ready(self) -> List[str]:
        """Kinds still missing for the model (empty when ready)."""
        return [k for k in REQUIRED_FOR_MODEL if self.layers.layer(k) is None and self.trained is None]

    def train_function(self):
        facts = self.layers.snapshot_or_fail("facts")
        events = self.layers.snapshot_or_fail("events") if facts is not None else None
        if facts is None or events is None:
            return None
        sectors = self.layers.optional_snapshot("sectors")
        return jobs.train_job(facts, events, sectors, settings.score_settings(), settings.forest_settings(), settings.working_crs())

    def train(self) -> Optional[tasks.CoreTask]:
        job = self.train_function()
        if job is None:
            return None
        key = self.model_key()
        task = tasks.CoreTask(tr("Scoring the past events and training the model"), job)

        def done(trained):
            self.model_trained(trained, key)

        return self.runner.run(task, done)

    def model_trained(self, trained: jobs.TrainedModel, key) -> None:
        """Keeps the model, saves it into the store, writes the settings it used and its audit row."""
        self.trained, self.trained_key = trained, key
        model = trained.model
        if self.stores.store is not None:
            try:
                self.stores.store.save_model(model)
            except Exception as err:  # noqa: BLE001 - reported, the model stays usable
                self.messages.failed.emit(tr("The model was not saved into the store: {}").format(err))
            self.fairness_control(model)
        self.stores.record_settings(settings_of(model, settings.working_crs()))  # those it was trained with
        self.stores.record(trained.record)
        self.modelReady.emit(trained)

    def fairness_control(self, model) -> None:
        """The regular control at every training (issue 17): kept in the store, a drift reported."""
        try:
            from tranquillite_plugin.store.transparency import run_fairness_control

            self.control = run_fairness_control(self.stores.store, model)
        except Exception as err:  # noqa: BLE001 - reported, the model stays usable
            self.messages.failed.emit(tr("The fairness control could not be run: {}").format(err))
            return
        if self.control.drifted:
            self.messages.failed.emit(tr("Fairness drift since the last model in: {}").format(", ".join(self.control.drifted)))

    def model_is_current(self) -> bool:
        return self.trained is not None and (self.trained_key is None or self.trained_key == self.model_key())

    def load_model(self, path: str) -> bool:
        try:
            model = load_model(path)
        except ModelFileError as err:
            self.messages.failed.emit(str(err))
            return False
        self.trained = jobs.TrainedModel(model, None, None, path)
        self.trained_key = None  # a loaded model stays until another is trained
        self.modelReady.emit(self.trained)
        return True

    def save_model(self, path: str) -> bool:
        if self.trained is None:
            self.messages.failed.emit(tr("No model to save: train one first"))
            return False
        save_model(self.trained.model, path)
        self.trained.path = path
        self.messages.info.emit(tr("Model saved to {}").format(path))
        return True

    # --- prediction ---------------------------------------------------------------------------------

    def predict(self, event) -> Optional[tasks.CoreTask]:
        """Saves the planned event, then transfers its score in a task (training first when needed)."""
        working_crs = settings.working_crs()
        try:
            frame = event.clean_frame(working_crs)
        except ContractError as err:
            self.messages.failed.emit(tr("Planned event {}: {}").format(event.event_id, err))
            return None
        if not self.layers.save_planned(event):
            return None
        trained = self.trained if self.model_is_current() else None
        train = None
        key = self.model_key()
        if trained is None:
            train = self.train_function()
            if train is None:
                return None
        others = None
        if self.stores.store is not None:
            others = self.stores.reader("events", "planned")
        else:
            try:
                others = tasks.LayerSnapshot.of(self.layers.planned.open(), "planned", {}, working_crs)
            except (IOError, tasks.JobError) as err:
                self.messages.info.emit(str(err))
        job = jobs.predict_job(frame, trained, train, settings.k(), others=others, axes=self.layers.optional_snapshot("axes"),
                               cameras=self.layers.optional_snapshot("cameras"), working_crs=working_crs)
        task = tasks.CoreTask(tr("Estimating the score of {}").format(event.event_id), job)

        def done(prediction: jobs.Prediction):
            if trained is None:
                self.model_trained(prediction.trained, key)
            self.stores.record(prediction.record)
            self.prediction = prediction
            for note in prediction.notes:
                self.messages.info.emit(note)
            self.predictionReady.emit(prediction)

            def write():  # after the results show, in its own turn of the event loop
                try:
                    self.layers.planned.save(event, prediction.transfer, prediction.trained.model.fingerprint)
                except (IOError, ValueError) as err:
                    self.messages.info.emit(str(err))
                self.saved_predictions.append(event.event_id)
                self.predictionSaved.emit(event.event_id)

            QTimer.singleShot(0, write)

        return self.runner.run(task, done)

    # --- backtest and trends ----------------------------------------------------------------------------

    def backtest(self, cut, folder: str = "") -> Optional[tasks.CoreTask]:
        if self.trained is None or self.trained.scored is None:
            self.messages.failed.emit(tr("Train the model on the facts and past events first"))
            return None
        job = jobs.backtest_job(self.trained, cut, settings.forest_settings(), settings.k(), folder)
        task = tasks.CoreTask(tr("Backtest"), job)

        def done(run: jobs.BacktestRun):
            self.last_backtest = run
            self.stores.record(run.record)
            self.backtestDone.emit(run.result, run.path)

        return self.runner.run(task, done)

    def trends(self, window_days: float = 7, baseline: str = "weeks", periods: int = 8, rule=None, end=None):
        """Trends and alerts per sector of the facts and sectors layers, in a task; the sectors in
        alert go on the map (a styled temporary layer) and an audit row to the store."""
        facts = self.layers.snapshot_or_fail("facts")
        sectors = self.layers.snapshot_or_fail("sectors") if facts is not None else None
        if facts is None or sectors is None:
            return None
        job = jobs.trends_job(facts, sectors, window_days, baseline, periods, rule, settings.working_crs(), end)
        task = tasks.CoreTask(tr("Trends and alerts per sector"), job)

        def done(trends: jobs.Trends):
            self.trends_result = trends
            self.highlights.show_alerts_layer(trends)
            self.stores.record(trends.record)
            self.trendsReady.emit(trends)

        return self.runner.run(task, done)

    # --- past events of the model ------------------------------------------------------------------

    def past_event(self, event_id: str) -> Optional[pd.Series]:
        scored = self.trained.scored if self.trained is not None else None
        if scored is None:
            return None
        hit = scored.events.index[scored.events["event_id"].astype(str) == str(event_id)]
        return scored.events.loc[hit[0]] if len(hit) else None

    def facts_of(self, event: pd.Series) -> pd.DataFrame:
        """The facts that made a past event's score (SPEC §3), from the scored facts."""
        scored = self.trained.scored
        idx = facts_of_event(event["geometry"], event["start"], event["end"], scored.index, scored.settings)
        return scored.facts.iloc[idx]


def settings_of(model, working_crs: str) -> dict:
    """The score and forest settings a trained model records, keyed as in settings.py."""
    out = {"working_crs": getattr(model, "crs", "") or working_crs}
    score = getattr(model, "score_settings", None) or {}
    score = score.to_dict() if hasattr(score, "to_dict") else dict(score)
    for key in ("radius_m", "before_h", "after_h", "line_buffer_m", "point_buffer_m", "weights"):
        if key in score:
            out[key] = dict(score[key]) if key == "weights" else score[key]
    forest = getattr(model, "settings", None)
    for key in ("k", "n_trees", "min_leaf"):
        if hasattr(forest, key):
            out[key] = getattr(forest, key)
    return out
