"""Background work: every long job of the GUI runs as a :class:`QgsTask`.

A job is a plain function ``job(progress, is_cancelled) -> result`` built on the
main thread from what it needs (frames, layer snapshots) and run by
:class:`CoreTask` on QGIS's task manager: progress goes to the task (QGIS shows
it in the status bar, the dock shows it in its own bar), cancel stops the core
at its next check (``core.score.Cancelled``), and the result comes back on the
main thread through the task's signals ``succeeded``, ``failed`` and
``was_cancelled``. Errors are logged (tag "Tranquillité").

Layers are never read from a worker thread through the QgsVectorLayer that
lives on the main thread: :class:`LayerSnapshot` captures, on the main thread,
either the file the layer reads (an ``ogr`` layer: the bulk reader opens its
own handle in the worker), or the source to reopen in the worker (PostGIS,
WFS, CSV, ...), or the features themselves (a memory layer, usually small).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import numpy as np
import pandas as pd
from qgis.core import Qgis, QgsApplication, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import pyqtSignal

from tranquillite_plugin.core.contract import ContractError, ContractReport, RawLayer, validate
from tranquillite_plugin.core.score import Cancelled, FactIndex, ScoreResult, ScoreSettings, score_events
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import log
from tranquillite_plugin.store.layer_reader import read_ogr, reproject
from tranquillite_plugin.store.qgis_layers import layer_crs, ogr_source, read_layer


class JobError(Exception):
    """A job failed for a reason the user can act on (the message says which)."""


class _NoGuard(Exception):
    """Stands for core.privacy.PersonalDataError when the guard is not installed."""


# --- the task ------------------------------------------------------------------------------


class CoreTask(QgsTask):
    """Runs ``job(progress, is_cancelled)`` in the task manager's thread pool."""

    succeeded = pyqtSignal(object)
    failed = pyqtSignal(str)
    was_cancelled = pyqtSignal()

    def __init__(self, description: str, job: Callable, flags=QgsTask.CanCancel):
        super().__init__(description, flags)
        self.job = job
        self.result = None
        self.error: Optional[str] = None
        self.details: Optional[str] = None
        self.cancelled_by_job = False

    def run(self) -> bool:  # worker thread
        try:
            self.result = self.job(self._progress, self.isCanceled)
            return not self.isCanceled()
        except Cancelled:
            self.cancelled_by_job = True
            return False
        except (JobError, ContractError, ValueError, IOError, ImportError, KeyError) as err:
            self.error = str(err)
            self.details = traceback.format_exc()
            return False
        except Exception as err:  # noqa: BLE001 - anything else is reported, never lost
            self.error = f"{type(err).__name__}: {err}"
            self.details = traceback.format_exc()
            return False

    def _progress(self, percent: float) -> None:
        self.setProgress(max(0.0, min(100.0, float(percent))))

    def finished(self, ok: bool) -> None:  # main thread
        if ok:
            self.succeeded.emit(self.result)
        elif self.error is None and (self.cancelled_by_job or self.isCanceled()):
            log(tr("{}: cancelled").format(self.description()))
            self.was_cancelled.emit()
        else:
            message = self.error or tr("the task stopped without a result")
            log(tr("{} failed: {}").format(self.description(), message), Qgis.MessageLevel.Critical)
            if self.details:
                log(self.details, Qgis.MessageLevel.Info)
            self.failed.emit(message)


def start(task: QgsTask) -> QgsTask:
    QgsApplication.taskManager().addTask(task)
    return task


def sub_progress(progress: Callable[[float], None], start_pct: float, end_pct: float) -> Callable[[float], None]:
    """A ``progress(percent)`` callback mapped onto [start_pct, end_pct] of ``progress``."""

    def report(percent: float) -> None:
        progress(start_pct + (end_pct - start_pct) * float(percent) / 100.0)

    return report


# --- reading layers in a worker -------------------------------------------------------------


@dataclass
class LayerSnapshot:
    """What a worker needs to read one layer, captured on the main thread."""

    name: str
    kind: str
    field_map: Dict[str, str] = field(default_factory=dict)
    ogr: Optional[tuple] = None  # (path, layer name, subset)
    source: Optional[tuple] = None  # (uri, provider) to reopen in the worker
    raw: Optional[RawLayer] = None  # read already (memory layers)
    crs: Optional[str] = None
    points_as_xy: bool = False
    drop_fields: List[str] = field(default_factory=list)  # not imported (personal data)

    @classmethod
    def of(cls, layer: QgsVectorLayer, kind: str, field_map=None, working_crs: str = "EPSG:2154") -> "LayerSnapshot":
        if layer is None or not layer.isValid():
            raise JobError(tr("The {} layer is not valid").format(kind))
        points = kind in ("facts", "cameras")
        snap = cls(layer.name(), kind, dict(field_map or {}), crs=layer_crs(layer), points_as_xy=points)
        src = ogr_source(layer)
        if src is not None:
            snap.ogr = src
        elif layer.providerType() == "memory":
            snap.raw = read_layer(layer, working_crs, points_as_xy=points)
        else:
            snap.source = (layer.source(), layer.providerType())
        return snap

    def read(self, working_crs: str = "EPSG:2154") -> RawLayer:
        """The layer as a RawLayer in the working CRS (safe in a worker thread)."""
        if self.raw is not None:
            return self.raw
        if self.ogr is not None:
            path, layer_name, subset = self.ogr
            raw = read_ogr(path, layer_name, subset, name=self.name, points_as_xy=self.points_as_xy)
            raw.crs = self.crs or raw.crs
            return reproject(raw, working_crs) if raw.crs else raw
        uri, provider = self.source
        layer = QgsVectorLayer(uri, self.name, provider)
        if not layer.isValid():
            raise JobError(tr("Layer '{}' could not be opened again from its source").format(self.name))
        return read_layer(layer, working_crs, points_as_xy=self.points_as_xy)

    def clean(self, working_crs: str = "EPSG:2154"):
        """(clean frame, report) under the data contract."""
        raw = self.read(working_crs)
        return validate("events" if self.kind == "planned" else self.kind, raw, self.field_map or None)


# --- the jobs --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    kind: str
    layer_name: str
    report: Optional[ContractReport]
    frame: Optional[pd.DataFrame] = None
    stored: bool = False  # True when written into the observatory store
    store_message: str = ""
    personal_fields: List[str] = field(default_factory=list)  # refused: personal data, not dropped
    personal_message: str = ""


def import_job(snapshot: LayerSnapshot, working_crs: str, store_import: Optional[Callable] = None) -> Callable:
    """Validates a layer under the contract and, when a store is open, imports it.

    ``store_import(snapshot, progress, is_cancelled) -> (report, message)`` is
    the store's import (transactional); without it the layer is only checked.
    """

    def job(progress, is_cancelled):
        try:
            from tranquillite_plugin.core.privacy import PersonalDataError, check_personal_data
        except ImportError:  # the guard is not there: the contract's checks only
            PersonalDataError, check_personal_data = _NoGuard, None
        progress(5)
        try:
            if store_import is not None:
                report, message = store_import(snapshot, sub_progress(progress, 5, 100), is_cancelled)
                return ImportResult(snapshot.kind, snapshot.name, report, None, True, message)
            raw = snapshot.read(working_crs)
            if is_cancelled():
                raise Cancelled()
            progress(40)
            dropped = []
            if check_personal_data is not None:
                kept, privacy = check_personal_data(raw.attributes, raw.name, drop=snapshot.drop_fields)
                dropped = [c for c in raw.attributes.columns if c not in kept.columns]
                raw = RawLayer(raw.name, kept, raw.fids, geometry=raw.geometry, xy=raw.xy, crs=raw.crs)
            progress(60)
            clean, report = validate("events" if snapshot.kind == "planned" else snapshot.kind, raw, snapshot.field_map or None)
            report.dropped_fields = list(dropped)
            progress(100)
            return ImportResult(snapshot.kind, snapshot.name, report, clean)
        except PersonalDataError as err:
            return ImportResult(snapshot.kind, snapshot.name, None, personal_fields=list(err.fields), personal_message=str(err))

    return job


@dataclass
class ScoredEvents:
    """Past events with their exact scores (SPEC §3)."""

    events: pd.DataFrame
    result: ScoreResult
    facts: pd.DataFrame
    index: FactIndex
    settings: ScoreSettings
    reports: List[ContractReport] = field(default_factory=list)


def score_past_events(facts: LayerSnapshot, events: LayerSnapshot, settings: ScoreSettings, working_crs: str, progress, is_cancelled) -> ScoredEvents:
    progress(0)
    facts_frame, facts_report = facts.clean(working_crs)
    if is_cancelled():
        raise Cancelled()
    progress(35)
    events_frame, events_report = events.clean(working_crs)
    if not len(events_frame):
        raise JobError(tr("No usable past event in layer '{}'").format(events.name))
    progress(45)
    index = FactIndex.build(facts_frame, settings.weights)
    result = score_events(events_frame, index, settings, sub_progress(progress, 50, 100), is_cancelled)
    return ScoredEvents(events_frame, result, facts_frame, index, settings, [facts_report, events_report])


@dataclass
class TrainedModel:
    model: Any  # core.forest.TransferModel
    scored: ScoredEvents
    sectors: Optional[pd.DataFrame] = None
    path: str = ""
    fairness: Any = None  # core.fairness.FairnessAudit of the scored past events (made in the worker)


def fairness_of(scored: ScoredEvents, sectors: Optional[pd.DataFrame]):
    """Police-initiated share per sector of the scored past events (None when the module is missing)."""
    try:
        from tranquillite_plugin.core.fairness import fairness_audit
    except ImportError:
        return None
    r = scored.result
    return fairness_audit(scored.events, r.score, r.by_category, r.categories, sectors=sectors)


def read_optional(snapshot: Optional[LayerSnapshot], working_crs: str) -> Optional[pd.DataFrame]:
    if snapshot is None:
        return None
    frame, _report = snapshot.clean(working_crs)
    return frame


def train_job(
    facts: LayerSnapshot,
    events: LayerSnapshot,
    sectors: Optional[LayerSnapshot],
    settings: ScoreSettings,
    forest_settings,
    working_crs: str,
    save_to: str = "",
) -> Callable:
    """Scores the past events, then trains the similarity model on them (auto mode and context axes
    as the settings say: the background axis uses the facts just scored)."""
    from tranquillite_plugin import settings as user_settings

    auto = user_settings.auto_mode()  # read here, in the main thread

    def job(progress, is_cancelled):
        from tranquillite_plugin.core.forest import train_model

        scored = score_past_events(facts, events, settings, working_crs, sub_progress(progress, 0, 40), is_cancelled)
        sectors_frame = read_optional(sectors, working_crs)
        progress(45)
        model = train_model(
            scored.events,
            scored.result,
            sectors=sectors_frame,
            settings=forest_settings,
            score_settings=settings,
            progress=sub_progress(progress, 45, 98),
            is_cancelled=is_cancelled,
            facts=scored.facts if "background" in forest_settings.context else None,
            auto=auto,
            configuration="enriched" if auto and forest_settings.context and forest_settings.calibrate else "",
        )
        if save_to:
            from tranquillite_plugin.core.model_io import save_model

            save_model(model, save_to)
        try:
            fairness = fairness_of(scored, sectors_frame)
        except (ValueError, KeyError):
            fairness = None  # the Audit tab computes it again and says why
        progress(100)
        return TrainedModel(model, scored, sectors_frame, save_to, fairness)

    return job


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


def planned_fairness(model: TrainedModel, planned: pd.DataFrame):
    """(sector of the planned event, core.fairness.SectorFlag or None), in the worker.

    The sector is the event's own, else the one the model assigns (centroid of
    the footprint, else nearest sector).  The audit is the training's
    (``model.fairness``), else made from the scored past events, else from the
    past events the model holds (a model loaded from a file).
    """
    try:
        from tranquillite_plugin.core.fairness import model_fairness, sector_flag
    except ImportError:
        return "", None
    m = model.model
    sector = str(planned["sector"].iloc[0] or "") if "sector" in planned else ""
    if not sector and getattr(m, "sectors", None) is not None:
        from tranquillite_plugin.core.axes import assign_sectors
        from tranquillite_plugin.core.footprint import LINE_BUFFER_M, POINT_BUFFER_M

        s = getattr(m, "score_settings", None) or {}
        s = s.to_dict() if hasattr(s, "to_dict") else dict(s)
        placed = assign_sectors(planned, m.sectors, float(s.get("line_buffer_m", LINE_BUFFER_M)),
                                float(s.get("point_buffer_m", POINT_BUFFER_M)))
        sector = str(placed["sector"].iloc[0] or "")
    audit = getattr(model, "fairness", None)
    if audit is None and model.scored is not None:
        audit = fairness_of(model.scored, model.sectors)
    if audit is None:
        audit = model_fairness(m)
    return sector, sector_flag(audit, sector)


def predict_job(
    planned: pd.DataFrame,
    trained: Optional[TrainedModel],
    train: Optional[Callable],
    k: int,
    others: Optional[LayerSnapshot] = None,
    axes: Optional[LayerSnapshot] = None,
    cameras: Optional[LayerSnapshot] = None,
    working_crs: str = "EPSG:2154",
) -> Callable:
    """Transfers a score to ``planned`` (one clean event) and checks its clashes.

    ``trained``: a model trained already; else ``train`` (a train job) makes one.
    ``others``: the planned events layer (clashes with other planned events), or a
    function returning their clean frame (read in the worker).
    """

    def job(progress, is_cancelled):
        from tranquillite_plugin.core.clash import camera_coverage, find_clashes

        model = trained
        if model is None:
            if train is None:
                raise JobError(tr("No model: choose the facts and past events layers first"))
            model = train(sub_progress(progress, 0, 85), is_cancelled)
        if is_cancelled():
            raise Cancelled()
        progress(86)
        transfer = model.model.transfer(planned, k=k, progress=sub_progress(progress, 86, 92), is_cancelled=is_cancelled)[0]
        row = planned.iloc[0]
        if model.scored is not None:
            settings, past_events = model.scored.settings, model.scored.events
        else:  # a model loaded from a file: its recorded settings, no past footprints at hand
            settings, past_events = ScoreSettings.from_dict(model.model.score_settings), None
        notes = []
        planned_frame = axes_frame = cameras_frame = None
        for snap, what in ((others, "planned"), (axes, "axes"), (cameras, "cameras")):
            if snap is None:
                continue
            try:
                frame = snap() if callable(snap) else read_optional(snap, working_crs)
            except (ContractError, JobError, IOError, ValueError) as err:
                notes.append(tr("Layer '{}' was not used: {}").format(snap.name, err))
                frame = None
            if what == "planned":
                planned_frame = frame
            elif what == "axes":
                axes_frame = frame
            else:
                cameras_frame = frame
        progress(95)
        clashes = find_clashes(
            row["geometry"],
            row["start"],
            row["end"],
            planned=planned_frame,
            events=past_events,
            axes=axes_frame,
            event_id=str(row["event_id"]),
            line_buffer=settings.line_buffer_m,
            point_buffer=settings.point_buffer_m,
        )
        coverage = None
        if cameras_frame is not None:
            coverage = camera_coverage(row["geometry"], cameras_frame, settings.line_buffer_m, settings.point_buffer_m)
        try:
            sector, flag = planned_fairness(model, planned)
        except (ValueError, KeyError, AttributeError) as err:
            sector, flag = "", None
            notes.append(tr("Fairness audit not computed: {}").format(err))
        progress(100)
        return Prediction(planned, transfer, model, clashes, coverage, notes, sector, flag)

    return job


def backtest_job(scored: ScoredEvents, sectors: Optional[pd.DataFrame], cut, forest_settings, k: int, folder: str = "",
                 compare: bool = True) -> Callable:
    """The published configuration against the enriched one (the user's, when the settings go beyond the
    published method; else context axes, auto mode and the calibrated band), on the same events."""
    from dataclasses import replace

    from tranquillite_plugin import settings as user_settings

    auto = user_settings.auto_mode()
    published = replace(forest_settings, averaging="raw", context=(), calibrate=False)

    def job(progress, is_cancelled):
        from tranquillite_plugin.core.backtest import backtest, enriched_settings, write_report

        challenger = None
        if compare:
            challenger = forest_settings if (auto or not forest_settings.is_published) else enriched_settings(forest_settings, facts=True)
        result = backtest(
            scored.events,
            scored.result,
            cut,
            sectors=sectors,
            settings=published,
            k=k,
            score_settings=scored.settings,
            progress=sub_progress(progress, 0, 95),
            is_cancelled=is_cancelled,
            facts=scored.facts,
            challenger=challenger,
            challenger_auto=bool(auto or (compare and forest_settings.is_published)),
        )
        path = write_report(result, folder) if folder else ""
        progress(100)
        return result, path

    return job


@dataclass
class Trends:
    """Trends and alerts per sector (core.trends.TrendResult) with what the docks draw."""

    result: Any  # core.trends.TrendResult
    sectors: pd.DataFrame  # the clean sectors (geometry in the working CRS)
    n_facts: int  # facts read
    parameters: Dict[str, Any] = field(default_factory=dict)


def trends_job(
    facts: LayerSnapshot,
    sectors: LayerSnapshot,
    window_days: float = 7,
    baseline: str = "weeks",
    periods: int = 8,
    rule=None,
    working_crs: str = "EPSG:2154",
    end=None,
) -> Callable:
    """Reads the facts and sectors and runs core.trends.sector_trends (in the worker)."""

    def job(progress, is_cancelled):
        from tranquillite_plugin.core.trends import sector_trends

        progress(2)
        facts_frame, _ = facts.clean(working_crs)
        if is_cancelled():
            raise Cancelled()
        progress(60)
        sectors_frame, _ = sectors.clean(working_crs)
        if not len(sectors_frame):
            raise JobError(tr("No usable sector in layer '{}'").format(sectors.name))
        if not len(facts_frame):
            raise JobError(tr("No usable fact in layer '{}'").format(facts.name))
        progress(70)
        result = sector_trends(facts_frame, sectors_frame, end=end, window_days=window_days, baseline=baseline,
                               periods=periods, rule=rule)
        progress(100)
        parameters = {"WINDOW_DAYS": float(window_days), "BASELINE": baseline, "PERIODS": int(periods),
                      "END": "" if end is None else str(end)}
        if result.rule is not None:
            parameters.update({"MIN_RATIO": result.rule.min_ratio, "MIN_Z": result.rule.min_z, "MIN_COUNT": result.rule.min_count})
        return Trends(result, sectors_frame, len(facts_frame), parameters)

    return job


def wait_until(predicate: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    """Processes events until ``predicate()`` is true (tests, scripts); False after ``timeout_s``."""
    import time

    from qgis.PyQt.QtCore import QCoreApplication

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


def wait_for(task: QgsTask, timeout_s: float = 60.0) -> bool:
    """Processes events until ``task`` is complete or terminated (tests, scripts)."""
    import time

    from qgis.PyQt.QtCore import QCoreApplication

    t0 = time.monotonic()
    done = (QgsTask.Complete, QgsTask.Terminated)
    while time.monotonic() - t0 < timeout_s:
        QCoreApplication.processEvents()
        try:
            if task.status() in done:
                # let the finished() slot run and its signals reach the docks
                for _ in range(5):
                    QCoreApplication.processEvents()
                return True
        except RuntimeError:  # the task manager deleted the task: it is over
            return True
        time.sleep(0.01)
    return False


def nan_to_none(v):
    try:
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else v
    except TypeError:
        return v
