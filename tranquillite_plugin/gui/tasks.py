"""Background work: every long job of the GUI runs as a :class:`QgsTask`.

A job (gui/jobs.py) is a plain function ``job(progress, is_cancelled) -> result``
built on the main thread from what it needs (frames, layer snapshots) and run by
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

import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from qgis.core import Qgis, QgsApplication, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from tranquillite_plugin.core.contract import DEFAULT_CRS, ContractError, RawLayer, validate
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import log
from tranquillite_plugin.store.audit import redact
from tranquillite_plugin.store.layer_reader import read_ogr, reproject
from tranquillite_plugin.store.qgis_layers import layer_crs, ogr_source, read_layer


class JobError(Exception):
    """A job failed for a reason the user can act on (the message says which)."""


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
    source: Optional[str] = None  # the layer's source without password (for the audit trail)

    @classmethod
    def of(cls, layer: QgsVectorLayer, kind: str, field_map=None, working_crs: str = DEFAULT_CRS) -> "LayerSnapshot":
        if layer is None or not layer.isValid():
            raise JobError(tr("The {} layer is not valid").format(kind))
        points = kind in ("facts", "cameras")
        snap = cls(layer.name(), kind, dict(field_map or {}), crs=layer_crs(layer), points_as_xy=points, source=redact(layer.source()))
        src = ogr_source(layer)
        if src is not None:
            snap.ogr = src
        elif layer.providerType() == "memory":
            snap.raw = read_layer(layer, working_crs, points_as_xy=points)
        else:
            snap.source = (layer.source(), layer.providerType())
        return snap

    def read(self, working_crs: str = DEFAULT_CRS) -> RawLayer:
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

    def clean(self, working_crs: str = DEFAULT_CRS):
        """(clean frame, report) under the data contract."""
        raw = self.read(working_crs)
        return validate("events" if self.kind == "planned" else self.kind, raw, self.field_map or None)


# --- waiting (tests, scripts) ------------------------------------------------------------------


def wait_until(predicate: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    """Processes events until ``predicate()`` is true (tests, scripts); False after ``timeout_s``."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


def wait_for(task: QgsTask, timeout_s: float = 60.0) -> bool:
    """Processes events until ``task`` is complete or terminated (tests, scripts)."""
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
