"""The docks' jobs: each reads its layers in the worker and runs one use case of the pipeline.

A job is a plain function ``job(progress, is_cancelled) -> result`` built on
the main thread from what it needs (layer snapshots, frames, settings) and run
by :class:`~tranquillite_plugin.gui.tasks.CoreTask`. The computing is the
pipeline's (``tranquillite_plugin.pipeline``), the same functions the
Processing algorithms call; a job only reads the layers, maps the progress and
puts the result in the shape the docks show. Each result carries the audit
record the pipeline made, which the controller writes to the open store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Optional

import pandas as pd

from tranquillite_plugin import settings as user_settings
from tranquillite_plugin.core.contract import ContractError
from tranquillite_plugin.core.score import Cancelled, ScoreSettings
from tranquillite_plugin.gui.tasks import JobError, LayerSnapshot
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.pipeline import accountability, importing, model, scoring
from tranquillite_plugin.pipeline.record import AuditRecord, LayerInput, sub_progress

# --- import -------------------------------------------------------------------------------


@dataclass
class ImportResult(importing.Imported):
    store_message: str = ""


def import_job(snapshot: LayerSnapshot, working_crs: str, store_target: str = "") -> Callable:
    """Checks a layer (privacy guard, data contract) and, with a store, imports it (transactional)."""

    def job(progress, is_cancelled):
        progress(5)
        raw = snapshot.read(working_crs)
        if is_cancelled():
            raise Cancelled()
        options = {"field_map": snapshot.field_map or None, "drop_fields": snapshot.drop_fields,
                   "progress": sub_progress(progress, 5, 100), "is_cancelled": is_cancelled}
        if not store_target:
            return ImportResult(**vars(importing.import_layer(snapshot.kind, raw, **options)))
        from tranquillite_plugin.store.observatory import Observatory

        obs = Observatory.open(store_target)
        try:
            done = importing.import_layer(snapshot.kind, raw, store=obs, mode="append", **options)
            return ImportResult(**vars(done), store_message=tr("written to the store {}").format(obs.target) if done.stored else "")
        finally:
            obs.close()

    return job


# --- score and train ------------------------------------------------------------------------


def read_clean(snapshot: LayerSnapshot, working_crs: str):
    """(clean frame, LayerInput) of a snapshot, in the worker."""
    frame, report = snapshot.clean(working_crs)
    return frame, LayerInput(snapshot.name, int(report.read), snapshot.source)


def score_past_events(facts: LayerSnapshot, events: LayerSnapshot, settings: ScoreSettings, working_crs: str,
                      progress, is_cancelled) -> scoring.Scoring:
    progress(0)
    facts_frame, facts_report = facts.clean(working_crs)
    if is_cancelled():
        raise Cancelled()
    progress(35)
    events_frame, events_report = events.clean(working_crs)
    if not len(events_frame):
        raise JobError(tr("No usable past event in layer '{}'").format(events.name))
    progress(45)
    inputs = [LayerInput(facts.name, int(facts_report.read), facts.source), LayerInput(events.name, int(events_report.read), events.source)]
    return scoring.score(facts_frame, events_frame, settings, inputs, facts_report, events_report,
                         progress=sub_progress(progress, 50, 100), is_cancelled=is_cancelled)


@dataclass
class TrainedModel:
    model: Any  # core.forest.TransferModel
    scored: Optional[scoring.Scoring]  # None for a model loaded from a file
    sectors: Optional[pd.DataFrame] = None
    path: str = ""
    fairness: Any = None  # core.fairness.FairnessAudit of the scored past events (made in the worker)
    record: Optional[AuditRecord] = None  # the training's audit record
    fairness_error: str = ""  # why ``fairness`` could not be made


def train_job(facts: LayerSnapshot, events: LayerSnapshot, sectors: Optional[LayerSnapshot], settings: ScoreSettings,
              forest_settings, working_crs: str, save_to: str = "") -> Callable:
    """Scores the past events, then trains the similarity model on them (pipeline.model.train); auto mode and
    context axes as the settings say (the background axis uses the facts just scored)."""
    auto = user_settings.auto_mode()  # read here, in the main thread

    def job(progress, is_cancelled):
        scored = score_past_events(facts, events, settings, working_crs, sub_progress(progress, 0, 40), is_cancelled)
        sectors_frame, sectors_input = read_clean(sectors, working_crs) if sectors is not None else (None, None)
        progress(45)
        inputs = scored.record.inputs + ([sectors_input] if sectors_input is not None else [])
        training = model.train(
            scored.events, scored.result, forest_settings, settings, sectors=sectors_frame, crs=working_crs, path=save_to,
            inputs=inputs, with_fairness=True, facts=scored.facts if "background" in forest_settings.context else None,
            auto=auto, configuration="enriched" if auto and forest_settings.context and forest_settings.calibrate else "",
            progress=sub_progress(progress, 45, 100), is_cancelled=is_cancelled,
        )
        return TrainedModel(training.model, scored, sectors_frame, save_to, training.fairness, training.record, training.fairness_error)

    return job


# --- predict --------------------------------------------------------------------------------


@dataclass
class Prediction:
    """The transferred score of one planned event, with what the docks show."""

    planned: pd.DataFrame  # the planned event (clean events frame, one row)
    transfer: Any  # core.forest.Transfer
    trained: TrainedModel
    clashes: list = field(default_factory=list)
    coverage: Any = None  # core.clash.Coverage
    notes: List[str] = field(default_factory=list)
    sector: str = ""  # the planned event's sector (its own, else the one the model assigned)
    fairness_flag: Any = None  # core.fairness.SectorFlag when the fairness audit flags that sector
    record: Optional[AuditRecord] = None  # the prediction's audit record


def predict_job(planned: pd.DataFrame, trained: Optional[TrainedModel], train: Optional[Callable], k: int,
                others=None, axes: Optional[LayerSnapshot] = None, cameras: Optional[LayerSnapshot] = None,
                working_crs: str = "") -> Callable:
    """Transfers a score to ``planned`` (one clean event) and checks its clashes (pipeline.model.predict).

    ``trained``: a model trained already; else ``train`` (a train job) makes one.
    ``others``: the planned events layer (clashes with other planned events), or a
    function returning their clean frame (read in the worker).
    """

    def job(progress, is_cancelled):
        done = trained
        if done is None:
            if train is None:
                raise JobError(tr("No model: choose the facts and past events layers first"))
            done = train(sub_progress(progress, 0, 85), is_cancelled)
        if is_cancelled():
            raise Cancelled()
        progress(86)
        notes = []
        frames: Dict[str, Optional[pd.DataFrame]] = {}
        event_id = str(planned["event_id"].iloc[0])
        inputs = [LayerInput(tr("planned event {}").format(event_id), 1)]
        for snap, what in ((others, "planned"), (axes, "axes"), (cameras, "cameras")):
            frames[what] = None
            if snap is None:
                continue
            try:
                if callable(snap) and not isinstance(snap, LayerSnapshot):
                    frames[what] = snap()
                else:
                    frames[what], used = read_clean(snap, working_crs)
                    if what != "planned":
                        inputs.append(used)
            except (ContractError, JobError, IOError, ValueError) as err:
                notes.append(tr("Layer '{}' was not used: {}").format(snap.name, err))
        scored = done.scored
        audit = done.fairness
        if audit is None and scored is not None:
            try:
                audit = accountability.scored_fairness(scored.events, scored.result, done.sectors)
            except (ValueError, KeyError):
                audit = None
        result = model.predict(
            done.model, planned, k, model_path=done.path, inputs=inputs, fairness=audit,
            past_events=scored.events if scored is not None else None, score_settings=scored.settings if scored is not None else None,
            others=frames["planned"], axes=frames["axes"], cameras=frames["cameras"],
            progress=sub_progress(progress, 86, 100), is_cancelled=is_cancelled,
        )
        if result.fairness_error:
            notes.append(tr("Fairness audit not computed: {}").format(result.fairness_error))
        progress(100)
        return Prediction(planned, result.transfers[0], done, result.clashes[0], result.coverage[0], notes,
                          result.sectors[0], result.flags[0], result.record)

    return job


# --- backtest -------------------------------------------------------------------------------


@dataclass
class BacktestRun:
    result: Any  # core.backtest.BacktestResult
    path: str  # the report ("" without a folder)
    record: AuditRecord
    fairness: Any = None  # core.fairness.FairnessAudit of the test events (the Audit tab shows it)
    fairness_error: str = ""


def backtest_job(trained: TrainedModel, cut, forest_settings, k: int, folder: str = "", compare: bool = True) -> Callable:
    """Backtest of the trained model's scored events (pipeline.model.backtest), and its fairness audit: the
    published configuration against the enriched one (the user's, when the settings go beyond the published
    method; else context axes, auto mode and the calibrated band), on the same events."""
    from tranquillite_plugin.core.backtest import enriched_settings

    scored = trained.scored
    auto = user_settings.auto_mode()  # read here, in the main thread
    published = replace(forest_settings, averaging="raw", context=(), calibrate=False)
    challenger = None
    if compare:
        challenger = forest_settings if (auto or not forest_settings.is_published) else enriched_settings(forest_settings, facts=True)

    def job(progress, is_cancelled):
        run = model.backtest(scored.events, scored.result, cut, published, scored.settings, k, sectors=trained.sectors,
                             folder=folder, inputs=(trained.record or scored.record).inputs, facts=scored.facts,
                             challenger=challenger, challenger_auto=bool(auto or (compare and forest_settings.is_published)),
                             progress=sub_progress(progress, 0, 95), is_cancelled=is_cancelled)
        out = BacktestRun(run.result, run.report, run.record)
        try:
            out.fairness = accountability.fairness(scored.events, scored.result, trained.sectors, backtest_result=run.result).audit
        except (ValueError, KeyError) as err:
            out.fairness_error = str(err)
        progress(100)
        return out

    return job


# --- trends and alerts ---------------------------------------------------------------------


@dataclass
class Trends:
    """Trends and alerts per sector (core.trends.TrendResult) with what the docks draw."""

    result: Any  # core.trends.TrendResult
    sectors: pd.DataFrame  # the clean sectors (geometry in the working CRS)
    n_facts: int  # facts read
    record: Optional[AuditRecord] = None

    @property
    def parameters(self) -> dict:
        return dict(self.record.parameters) if self.record is not None else {}


def trends_job(facts: LayerSnapshot, sectors: LayerSnapshot, window_days: float = 7, baseline: str = "weeks",
               periods: int = 8, rule=None, working_crs: str = "", end=None) -> Callable:
    """Reads the facts and sectors and runs pipeline.accountability.trends (in the worker)."""

    def job(progress, is_cancelled):
        progress(2)
        facts_frame, facts_input = read_clean(facts, working_crs)
        if is_cancelled():
            raise Cancelled()
        progress(60)
        sectors_frame, sectors_input = read_clean(sectors, working_crs)
        if not len(sectors_frame):
            raise JobError(tr("No usable sector in layer '{}'").format(sectors.name))
        if not len(facts_frame):
            raise JobError(tr("No usable fact in layer '{}'").format(facts.name))
        progress(70)
        run = accountability.trends(facts_frame, sectors_frame, window_days, baseline, periods, rule, end, [facts_input, sectors_input])
        progress(100)
        return Trends(run.result, sectors_frame, len(facts_frame), run.record)

    return job
