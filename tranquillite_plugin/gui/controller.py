"""The docks' brain: which layer is which, the running tasks, the model, the map.

The panels (gui/panels.py) are views; they call the controller and listen to
its signals. Everything the controller computes goes through the core (score,
forest, clash) inside :class:`~tranquillite_plugin.gui.tasks.CoreTask`; the
results come back as signals on the main thread.
"""

from __future__ import annotations

import os
import tempfile
from typing import Dict, List, Optional

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtCore import QObject, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor

from tranquillite_plugin import settings
from tranquillite_plugin.core.contract import ContractError
from tranquillite_plugin.core.footprint import footprint
from tranquillite_plugin.core.score import ScoreSettings, facts_of_event
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.footprint_tool import POLYGON, FootprintTool
from tranquillite_plugin.gui.geometry import buffered_footprint, from_shapely, transform
from tranquillite_plugin.gui.labels import kind_labels
from tranquillite_plugin.gui.mapping_dialog import guess_field_map, missing_required
from tranquillite_plugin.gui.planned import PlannedEvent, PlannedEvents, StorePlannedEvents
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import log

#: the kinds of layer the Data panel maps, in display order
DATA_KINDS = ("facts", "events", "sectors", "axes", "cameras")
REQUIRED_FOR_MODEL = ("facts", "events")
#: table names of an observatory GeoPackage (the demo city's, the store's)
OBSERVATORY_TABLES = {
    "sectors": ("sectors",),
    "facts": ("facts",),
    "axes": ("axes", "traffic_axes"),
    "cameras": ("cameras",),
    "events": ("events", "past_events"),
    "planned": ("planned", "planned_events"),
}
GEOMETRY_SUBLAYERS = (("Point", "point"), ("LineString", "line"), ("Polygon", "polygon"))

HIGHLIGHT = QColor(255, 140, 0)
HIGHLIGHT_FILL = QColor(255, 140, 0, 50)
FACT_COLOUR = QColor(200, 20, 40)


def apply_style(layer: QgsVectorLayer, kind: str, field_map=None) -> bool:
    """Applies the shipped style when the styles module is there; never fails the caller."""
    try:
        from tranquillite_plugin import styles
    except ImportError:
        return False
    try:
        styles.apply_style(layer, kind, field_map or None)
        return True
    except (ValueError, RuntimeError, KeyError) as err:
        log(tr("Layer '{}' keeps its default style: {}").format(layer.name(), err))
        return False


def guess_kind(layer: QgsVectorLayer) -> Optional[str]:
    """The contract kind whose required fields the layer has (case-insensitively)."""
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return None
    names = [f.name() for f in layer.fields()]
    gtype = layer.geometryType()
    candidates = {
        "facts": QgsWkbTypes.PointGeometry,
        "cameras": QgsWkbTypes.PointGeometry,
        "sectors": QgsWkbTypes.PolygonGeometry,
        "axes": QgsWkbTypes.LineGeometry,
        "events": None,
    }
    for kind, wanted in candidates.items():
        if wanted is not None and gtype != wanted:
            continue
        if not missing_required(kind, guess_field_map(kind, names)):
            if kind == "events" and "status" in {n.lower() for n in names} and _planned_only(layer):
                return "planned"
            return kind
    return None


def _planned_only(layer: QgsVectorLayer) -> bool:
    idx = layer.fields().lookupField("status")
    if idx < 0:
        return False
    values = {str(v) for v in layer.uniqueValues(idx)}
    return values == {"planned"}


class Controller(QObject):
    layersChanged = pyqtSignal()  # noqa: N815 - Qt signal names
    busy = pyqtSignal(str)
    progress = pyqtSignal(float)
    idle = pyqtSignal()
    failed = pyqtSignal(str)
    info = pyqtSignal(str)
    importDone = pyqtSignal(object)  # noqa: N815
    modelReady = pyqtSignal(object)  # noqa: N815
    predictionReady = pyqtSignal(object)  # noqa: N815
    backtestDone = pyqtSignal(object, str)  # noqa: N815
    plannedSaved = pyqtSignal(str)  # noqa: N815
    plannedListChanged = pyqtSignal()  # noqa: N815
    footprintChanged = pyqtSignal(object)  # noqa: N815 - QgsGeometry (working CRS) or None
    selectionShown = pyqtSignal(str)  # noqa: N815 - event_id highlighted on the map
    storeChanged = pyqtSignal()  # noqa: N815
    predictionSaved = pyqtSignal(str)  # noqa: N815 - event_id written with its prediction
    auditChanged = pyqtSignal()  # noqa: N815
    settingsChanged = pyqtSignal(list)  # noqa: N815 - keys of settings.py changed on the settings page
    trendsReady = pyqtSignal(object)  # noqa: N815 - tasks.Trends

    def __init__(self, iface, planned_path: Optional[str] = None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.layer_ids: Dict[str, str] = {}
        self.field_maps: Dict[str, Dict[str, str]] = {}
        self.import_reports: Dict[str, object] = {}
        self.trained: Optional[tasks.TrainedModel] = None
        self.trained_key = None
        self.prediction: Optional[tasks.Prediction] = None
        self.saved_predictions: List[str] = []  # event ids whose prediction was written, in order
        self.running: List[tasks.CoreTask] = []
        self.highlights: List[QgsRubberBand] = []
        self.store = None  # the observatory store, once open (store/observatory.py)
        self.control = None  # the latest fairness control (core.fairness_control.ControlResult)
        self.store_target = ""  # as the user gave it (a password stays out of the project)
        self.trends_result: Optional[tasks.Trends] = None  # the last trends and alerts (Audit tab)
        self.alerts_layer_id = ""  # their temporary layer on the map
        self.drop_fields: Dict[str, List[str]] = {}  # per kind: fields not to import (personal data)
        self.planned = PlannedEvents(planned_path or default_planned_path(), crs=self.working_crs)
        self.tool = FootprintTool(self.canvas, POLYGON, self._buffer_preview)
        self.tool.footprintFinished.connect(self._on_footprint)
        self.tool.drawingCancelled.connect(lambda: self.footprintChanged.emit(None))
        QgsProject.instance().layersWillBeRemoved.connect(self._on_layers_removed)
        settings.notifier().changed.connect(self._on_settings_changed)

    # --- settings (tranquillite_plugin.settings: what the settings page saved) ------------------

    @property
    def working_crs(self) -> str:
        return settings.working_crs()

    def score_settings(self) -> ScoreSettings:
        return settings.score_settings()

    def forest_settings(self):
        return settings.forest_settings()

    def k(self) -> int:
        return settings.k()

    def show_settings(self):
        """The settings page (QGIS's Options dialog, or a dialog of its own without the plugin)."""
        from tranquillite_plugin.gui.settings_page import show_settings

        return show_settings(self.iface)

    def _on_settings_changed(self, keys) -> None:
        keys = list(keys)
        self.record_settings()
        if self.trained is not None and self.trained_key is not None and not self.model_is_current():
            self.info.emit(tr("Settings changed: the model will be trained again at the next estimate"))
        elif "working_crs" in keys:
            self.info.emit(tr("Working CRS: {} (layers read from now on)").format(self.working_crs))
        self.settingsChanged.emit(keys)

    def record_settings(self, values: Optional[dict] = None) -> bool:
        """Writes the score and model settings (by default the user's) into the open store's
        settings table; False without a store."""
        if self.store is None or not hasattr(self.store, "set_setting"):
            return False
        values = settings.model_settings() if values is None else values
        try:
            for key, value in values.items():
                self.store.set_setting(key, value)
        except Exception as err:  # noqa: BLE001 - the store's copy must not break the work
            self.failed.emit(tr("The settings were not written to the store: {}").format(err))
            return False
        return True

    # --- layers -----------------------------------------------------------------------------

    def layer(self, kind: str) -> Optional[QgsVectorLayer]:
        layer_id = self.layer_ids.get(kind)
        return QgsProject.instance().mapLayer(layer_id) if layer_id else None

    def set_layer(self, kind: str, layer: Optional[QgsVectorLayer], field_map: Optional[Dict[str, str]] = None) -> None:
        if layer is None:
            self.layer_ids.pop(kind, None)
            self.field_maps.pop(kind, None)
        else:
            self.layer_ids[kind] = layer.id()
            names = [f.name() for f in layer.fields()]
            self.field_maps[kind] = dict(field_map) if field_map is not None else guess_field_map(kind, names)
        self.import_reports.pop(kind, None)
        self.layersChanged.emit()

    def feature_count(self, kind: str):
        """(number of features read for ``kind``, True when that is a whole mixed-geometry table).

        A GeoPackage table holding points, lines and polygons shows as one layer
        per geometry type; whichever is chosen, the whole table is read.
        """
        layer = self.layer(kind)
        if layer is None:
            return 0, False
        if layer.providerType() == "ogr":
            parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
            if parts.get("geometryType") and parts.get("path"):
                uri = parts["path"] + (f"|layername={parts['layerName']}" if parts.get("layerName") else "")
                whole = QgsVectorLayer(uri, "count", "ogr")
                if whole.isValid():
                    return whole.featureCount(), True
        return layer.featureCount(), False

    def field_map(self, kind: str) -> Dict[str, str]:
        return dict(self.field_maps.get(kind, {}))

    def _on_layers_removed(self, layer_ids) -> None:
        gone = [k for k, v in self.layer_ids.items() if v in set(layer_ids)]
        for kind in gone:
            self.layer_ids.pop(kind, None)
        if gone:
            self.layersChanged.emit()

    def add_layer(self, uri: str, name: str, provider: str = "ogr", kind: Optional[str] = None) -> Optional[QgsVectorLayer]:
        """Adds a vector layer to the project, styles it and maps it when its kind is known."""
        layer = QgsVectorLayer(uri, name, provider)
        if not layer.isValid():
            self.failed.emit(tr("Layer “{}” could not be opened ({})").format(name, uri))
            return None
        kind = kind or guess_kind(layer)
        if kind in DATA_KINDS:
            apply_style(layer, kind, guess_field_map(kind, [f.name() for f in layer.fields()]))
        QgsProject.instance().addMapLayer(layer)
        if kind in DATA_KINDS and self.layer(kind) is None:
            self.set_layer(kind, layer)
        return layer

    def add_file(self, path: str) -> List[QgsVectorLayer]:
        """Adds every vector layer of a file (all tables of a GeoPackage)."""
        from tranquillite_plugin.store.layer_reader import list_layers

        base = os.path.splitext(os.path.basename(path))[0]
        try:
            names = list_layers(path)
        except Exception:  # noqa: BLE001 - not an OGR dataset: let the provider say why
            names = []
        if len(names) <= 1:
            layer = self.add_layer(path, base)
            return [layer] if layer is not None else []
        return [lyr for lyr in (self.add_layer(f"{path}|layername={n}", n) for n in names) if lyr is not None]

    def open_observatory(self, path: str) -> Dict[str, QgsVectorLayer]:
        """Loads an observatory GeoPackage (demo city or store): every layer styled and mapped."""
        from tranquillite_plugin.store.layer_reader import list_layers

        tables = {t.lower(): t for t in list_layers(path)}
        found = {}
        for kind, names in OBSERVATORY_TABLES.items():
            for n in names:
                if n in tables:
                    found[kind] = tables[n]
                    break
        if not found:
            self.failed.emit(tr("{} holds no observatory layer (sectors, axes, cameras, events, facts)").format(path))
            return {}
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        labels = kind_labels()
        added = {}
        # bottom to top: sectors, facts, axes, cameras, past events, planned events
        for kind in ("sectors", "facts", "axes", "cameras"):
            if kind not in found:
                continue
            layer = QgsVectorLayer(f"{path}|layername={found[kind]}", labels[kind], "ogr")
            if not layer.isValid():
                continue
            apply_style(layer, kind)
            project.addMapLayer(layer, False)
            root.insertLayer(0, layer)
            self.layer_ids[kind] = layer.id()
            self.field_maps[kind] = guess_field_map(kind, [f.name() for f in layer.fields()])
            added[kind] = layer
        if "events" in found:
            layers = self._add_geometry_sublayers(path, found["events"], labels["events"], "events")
            if layers:
                self.layer_ids["events"] = layers[0].id()
                self.field_maps["events"] = guess_field_map("events", [f.name() for f in layers[0].fields()])
                added["events"] = layers[0]
        if "planned" in found:
            self.use_planned_table(path, found["planned"])
        self.layersChanged.emit()
        self.zoom_to_layers(list(added.values()))
        return added

    def open_demo_city(self, path: Optional[str] = None, n_events: int = 600, n_facts: int = 60_000, seed: int = 0):
        """Builds the demo observatory in a task (once; then reopens the file) and opens it."""
        path = path or os.path.join(data_dir(), "demo_city.gpkg")
        if os.path.exists(path):
            self.open_observatory(path)
            return None

        def job(progress, is_cancelled):
            from tranquillite_plugin.core.democity import make_demo_city
            from tranquillite_plugin.processing.algorithms.make_demo_city import LAYERS, demo_kind
            from tranquillite_plugin.store.ogr_io import write_layers

            progress(5)
            city = make_demo_city(n_events=n_events, n_facts=n_facts, seed=seed)
            if is_cancelled():
                raise tasks.Cancelled()
            progress(60)
            tmp = path + ".part"
            if os.path.exists(tmp):
                os.remove(tmp)
            write_layers(tmp, {name: (demo_kind(name), getattr(city, name)) for name in LAYERS}, "EPSG:2154")
            os.replace(tmp, path)
            progress(100)
            return path

        task = tasks.CoreTask(tr("Building the demo city"), job)
        return self.run(task, self.open_observatory)

    def _add_geometry_sublayers(self, path: str, table: str, title: str, style_kind: str, layer_of=None) -> List[QgsVectorLayer]:
        """A table with points, lines and polygons: one layer per geometry type, in a group.

        ``layer_of(geometry_type, name)``: makes each layer (default: ``table`` of the GeoPackage ``path``).
        """
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.findGroup(title) or root.insertGroup(0, title)
        names = {"point": tr("points"), "line": tr("itineraries"), "polygon": tr("areas")}
        layer_of = layer_of or (lambda wkb, name: QgsVectorLayer(f"{path}|layername={table}|geometrytype={wkb}", name, "ogr"))
        layers = []
        for wkb, gname in GEOMETRY_SUBLAYERS:
            try:
                layer = layer_of(wkb, f"{title} ({names[gname]})")
            except IOError:
                continue
            if not layer.isValid() or layer.featureCount() == 0:
                continue
            apply_style(layer, style_kind)
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            layers.append(layer)
        if not layers:
            root.removeChildNode(group)
        return layers

    def use_planned_table(self, path: str, table: str) -> None:
        """Planned events go to ``table`` of ``path`` from now on (and show on the map)."""
        self.planned.remove_from_project()
        self.planned.close()
        self.planned = PlannedEvents(path, table, crs=self.working_crs)
        self.planned.add_to_project(apply_style)
        self.plannedListChanged.emit()

    def zoom_to_layers(self, layers) -> None:
        extent = QgsRectangle()
        extent.setMinimal()
        dest = self.canvas.mapSettings().destinationCrs()
        for layer in layers:
            if layer is None or not layer.isValid():
                continue
            rect = layer.extent()
            if rect.isEmpty():
                continue
            g = transform(QgsGeometry.fromRect(rect), layer.crs(), dest)
            extent.combineExtentWith(g.boundingBox())
        if not extent.isEmpty():
            extent.scale(1.05)
            self.canvas.setExtent(extent)
            self.canvas.refresh()

    def layers_ready(self) -> List[str]:
        """Kinds still missing for the model (empty when ready)."""
        return [k for k in REQUIRED_FOR_MODEL if self.layer(k) is None and self.trained is None]

    def snapshot(self, kind: str) -> Optional[tasks.LayerSnapshot]:
        layer = self.layer(kind)
        if layer is None:
            return None
        return tasks.LayerSnapshot.of(layer, kind, self.field_map(kind), self.working_crs)

    # --- tasks -------------------------------------------------------------------------------

    def run(self, task: tasks.CoreTask, on_success, on_failure=None, on_cancel=None) -> tasks.CoreTask:
        """Starts a task; its result goes to ``on_success`` on the main thread."""
        self.running.append(task)
        description = task.description()
        over = []

        def forget() -> bool:
            """False when the task was already accounted for (one outcome per task)."""
            if over:
                return False
            over.append(True)
            if task in self.running:
                self.running.remove(task)
            if not self.running:
                self.idle.emit()
            return True

        def succeeded(result):
            if not forget():
                return
            try:
                on_success(result)
            except Exception as err:  # noqa: BLE001 - a display problem is reported, not raised in Qt
                self._report_failure(description, f"{type(err).__name__}: {err}")
                raise

        def failed(message):
            if not forget():
                return
            self._report_failure(description, message)
            if on_failure is not None:
                on_failure(message)

        def cancelled():
            if not forget():
                return
            self.info.emit(tr("{}: cancelled").format(description))
            if on_cancel is not None:
                on_cancel()

        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        task.was_cancelled.connect(cancelled)
        # a task cancelled before it started is terminated without running finished()
        task.taskTerminated.connect(lambda: cancelled() if task.error is None else None)
        task.progressChanged.connect(self.progress.emit)
        self.busy.emit(description)
        tasks.start(task)
        return task

    def _report_failure(self, description: str, message: str) -> None:
        self.failed.emit(tr("{} failed: {}").format(description, message))

    def cancel_tasks(self) -> None:
        for task in list(self.running):
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass

    def is_busy(self) -> bool:
        return bool(self.running)

    # --- import ------------------------------------------------------------------------------

    def import_layer(self, kind: str) -> Optional[tasks.CoreTask]:
        snap = self._snapshot_or_fail(kind)
        if snap is None:
            return None
        if self.layer_is_in_store(kind):
            self.info.emit(tr("{}: the layer is the store's own, nothing to import").format(kind_labels()[kind]))
            return None
        snap.drop_fields = list(self.drop_fields.get(kind, []))
        store_import = self._store_import(kind)
        task = tasks.CoreTask(tr("Importing “{}” as {}").format(snap.name, kind_labels()[kind].lower()), tasks.import_job(snap, self.working_crs, store_import))

        def done(result):
            if result.report is not None:
                self.import_reports[kind] = result.report
            if result.stored:
                shown = self.show_store_layers()
                if kind in shown:
                    self.import_reports[kind] = result.report
                self.auditChanged.emit()
            self.importDone.emit(result)

        return self.run(task, done)

    def _store_import(self, kind: str):
        """The store's import (run in the worker, on its own connection), or None without a store."""
        if self.store is None:
            return None
        target = self.store_target
        working_crs = self.working_crs
        from tranquillite_plugin.store.observatory import Observatory

        def store_import(snapshot, progress, is_cancelled):
            obs = Observatory.open(target)
            try:
                raw = snapshot.read(working_crs)
                report = obs.import_layer(
                    kind,
                    raw,
                    field_map=snapshot.field_map or None,
                    drop_fields=snapshot.drop_fields,
                    mode="append",
                    progress=progress,
                    is_cancelled=is_cancelled,
                    name=snapshot.name,
                )
                return report, tr("written to the store {}").format(obs.target)
            finally:
                obs.close()

        return store_import

    def layer_is_in_store(self, kind: str) -> bool:
        layer = self.layer(kind)
        if layer is None or self.store is None:
            return False
        source = layer.source()
        if self.store.path:
            return os.path.abspath(source.split("|")[0]) == os.path.abspath(self.store.path)
        return source == self.store.uri(kind) or f'"{self.store.pg_schema}"' in source

    # --- the observatory store -----------------------------------------------------------------

    def open_store(self, target: str, create: bool = False) -> bool:
        """Opens (or creates) the observatory store and shows its layers."""
        from tranquillite_plugin.store.backend import StoreError
        from tranquillite_plugin.store.observatory import Observatory

        try:
            store = Observatory.create(target, self.working_crs) if create else Observatory.open(target)
        except (StoreError, ContractError, IOError, ValueError, ImportError) as err:
            self.failed.emit(tr("Store not opened: {}").format(err))
            return False
        self.close_store()
        self.store = store
        self.store_target = target
        from tranquillite_plugin.store.qgis_store import remember_store

        remember_store(store.target)
        self.planned.remove_from_project()
        self.planned.close()
        self.planned = StorePlannedEvents(store)
        self.planned.add_to_project(apply_style)
        self.plannedListChanged.emit()
        self.show_store_layers()
        self.storeChanged.emit()
        self.auditChanged.emit()
        self.info.emit(tr("Observatory store {} open").format(store.target))
        return True

    def close_store(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # noqa: BLE001 - closing never fails the caller
                pass
        self.store = None
        self.store_target = ""

    def restore_store(self) -> bool:
        """Reopens the store the project remembers, when there is one."""
        from tranquillite_plugin.store.observatory import Observatory
        from tranquillite_plugin.store.qgis_store import remembered_store

        target = remembered_store(fallback_to_last=False)
        if not target:
            return False

        if not Observatory.is_store(target):
            self.info.emit(tr("The project's observatory store {} cannot be opened").format(target))
            return False
        return self.open_store(target)

    def show_store_layers(self) -> Dict[str, QgsVectorLayer]:
        """The store's layers in the project (those that hold features), mapped to their kinds."""
        store = self.store
        if store is None:
            return {}
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        labels = kind_labels()
        counts = store.counts()
        shown = {}
        from tranquillite_plugin.store.qgis_store import store_layer

        for kind in ("sectors", "facts", "axes", "cameras"):
            uri = store.uri(kind)
            existing = [lyr for lyr in project.mapLayers().values() if lyr.source() == uri]
            if existing:
                existing[0].dataProvider().reloadData()
                existing[0].triggerRepaint()
                shown[kind] = existing[0]
            elif counts.get(kind, 0) > 0:
                try:
                    layer = store_layer(store, kind, labels[kind])
                except IOError as err:
                    self.info.emit(str(err))
                    continue
                apply_style(layer, kind)
                project.addMapLayer(layer, False)
                root.insertLayer(0, layer)
                shown[kind] = layer
        title = labels["events"]
        existing = [lyr for lyr in project.mapLayers().values() if lyr.source() == store.uri("events", "Point", "past")]
        if existing:
            for lyr in project.mapLayers().values():
                if lyr.source().startswith(store.uri("events").split("|subset")[0]) and lyr.providerType() == store.provider:
                    lyr.dataProvider().reloadData()
                    lyr.triggerRepaint()
            shown["events"] = existing[0]
        elif store.count("events", "past") > 0:
            layers = self._add_geometry_sublayers(
                "", "", title, "events", layer_of=lambda wkb, name: store_layer(store, "events", name, geometry_type=wkb, status="past")
            )
            if layers:
                shown["events"] = layers[0]
        for kind, layer in shown.items():
            self.layer_ids[kind] = layer.id()
            self.field_maps[kind] = guess_field_map(kind, [f.name() for f in layer.fields()])
        if shown:
            self.layersChanged.emit()
        return shown

    def _record(self, algorithm: str, parameters=None, inputs=None, n_features=None, fingerprint=None, summary=None) -> None:
        """An audit row in the store (when one is open); a failure is reported, never raised.

        ``inputs`` may be a function (called only when there is a store to write to).
        """
        if self.store is None:
            return
        try:
            inputs = inputs() if callable(inputs) else inputs
            self.store.record(algorithm, parameters or {}, inputs or [], n_features, fingerprint, summary)
        except Exception as err:  # noqa: BLE001 - the audit must not break the work it records
            self.failed.emit(tr("The audit row of {} was not written: {}").format(algorithm, err))
            return
        self.auditChanged.emit()

    def _inputs(self, *kinds) -> List[dict]:
        out = []
        for kind in kinds:
            layer = self.layer(kind)
            if layer is not None:
                out.append({"layer": layer.name(), "kind": kind, "source": _public_source(layer), "n_features": self.feature_count(kind)[0]})
        return out

    def _snapshot_or_fail(self, kind: str):
        try:
            snap = self.snapshot(kind)
        except (tasks.JobError, ContractError, IOError, ValueError) as err:
            self.failed.emit(str(err))
            return None
        if snap is None:
            self.failed.emit(tr("Choose the {} layer first").format(kind_labels()[kind].lower()))
        return snap

    # --- model -------------------------------------------------------------------------------

    def model_key(self):
        s = self.score_settings()
        return (
            tuple(sorted(self.layer_ids.items())),
            tuple(sorted((k, tuple(sorted(v.items()))) for k, v in self.field_maps.items())),
            tuple(sorted(s.to_dict().items(), key=lambda kv: kv[0])).__repr__(),
            (settings.get("n_trees"), settings.get("min_leaf"), self.working_crs),
        )

    def _train_function(self):
        facts = self._snapshot_or_fail("facts")
        events = self._snapshot_or_fail("events") if facts is not None else None
        if facts is None or events is None:
            return None
        try:
            sectors = self.snapshot("sectors")
        except (tasks.JobError, IOError) as err:
            self.info.emit(str(err))
            sectors = None
        job = tasks.train_job(facts, events, sectors, self.score_settings(), self.forest_settings(), self.working_crs)
        return job

    def train(self) -> Optional[tasks.CoreTask]:
        job = self._train_function()
        if job is None:
            return None
        key = self.model_key()
        task = tasks.CoreTask(tr("Scoring the past events and training the model"), job)

        def done(trained):
            self.trained, self.trained_key = trained, key
            self._model_trained(trained)
            self.modelReady.emit(trained)

        return self.run(task, done)

    def fairness_control(self, model) -> None:
        """The regular control at every training (issue 17): kept in the store, a drift reported."""
        try:
            from tranquillite_plugin.store.transparency import run_fairness_control

            self.control = run_fairness_control(self.store, model)
        except Exception as err:  # noqa: BLE001 - reported, the model stays usable
            self.failed.emit(tr("The fairness control could not be run: {}").format(err))
            return
        if self.control.drifted:
            self.failed.emit(tr("Fairness drift since the last model in: {}").format(", ".join(self.control.drifted)))

    def _model_trained(self, trained: tasks.TrainedModel) -> None:
        """Audit row of a training, and the model saved into the store."""
        model = trained.model
        if self.store is not None:
            try:
                self.store.save_model(model)
            except Exception as err:  # noqa: BLE001 - reported, the model stays usable
                self.failed.emit(tr("The model was not saved into the store: {}").format(err))
            self.fairness_control(model)
        used = _settings_of(model, self.working_crs)  # those it was trained with
        self.record_settings(used)
        self._record(
            "trainmodel",
            {
                "N_TREES": model.n_trees,
                "MIN_LEAF": used.get("min_leaf"),
                "K": self.k(),
                "RADIUS": used.get("radius_m"),
                "BEFORE_H": used.get("before_h"),
                "AFTER_H": used.get("after_h"),
                "LINE_BUFFER": used.get("line_buffer_m"),
                "POINT_BUFFER": used.get("point_buffer_m"),
                "WEIGHTS": used.get("weights"),
            },
            lambda: self._inputs("facts", "events", "sectors"),
            int(model.n_events),
            model.fingerprint,
        )

    def model_is_current(self) -> bool:
        return self.trained is not None and (self.trained_key is None or self.trained_key == self.model_key())

    def load_model(self, path: str) -> bool:
        from tranquillite_plugin.core.model_io import ModelFileError, load_model

        try:
            model = load_model(path)
        except ModelFileError as err:
            self.failed.emit(str(err))
            return False
        self.trained = tasks.TrainedModel(model, None, None, path)
        self.trained_key = None  # a loaded model stays until another is trained
        self.modelReady.emit(self.trained)
        return True

    def save_model(self, path: str) -> bool:
        if self.trained is None:
            self.failed.emit(tr("No model to save: train one first"))
            return False
        from tranquillite_plugin.core.model_io import save_model

        save_model(self.trained.model, path)
        self.trained.path = path
        self.info.emit(tr("Model saved to {}").format(path))
        return True

    # --- planned events and prediction -------------------------------------------------------------

    def save_planned(self, event: PlannedEvent, prediction=None) -> bool:
        try:
            event.clean_frame(self.working_crs)
            self.planned.add_to_project(apply_style)
            self.planned.save(event, prediction)
        except (ContractError, IOError, ValueError) as err:
            self.failed.emit(tr("Planned event {} not saved: {}").format(event.event_id, err))
            return False
        self.plannedSaved.emit(event.event_id)
        self.plannedListChanged.emit()
        return True

    def predict(self, event: PlannedEvent) -> Optional[tasks.CoreTask]:
        """Saves the planned event, then transfers its score in a task (training first when needed)."""
        try:
            frame = event.clean_frame(self.working_crs)
        except ContractError as err:
            self.failed.emit(tr("Planned event {}: {}").format(event.event_id, err))
            return None
        if not self.save_planned(event):
            return None
        trained = self.trained if self.model_is_current() else None
        train = None
        key = self.model_key()
        if trained is None:
            train_job = self._train_function()
            if train_job is None:
                return None
            train = train_job
        others = None
        if self.store is not None:
            others = _store_reader(self.store_target, "events", "planned")
        else:
            try:
                layer = self.planned.open()
                others = tasks.LayerSnapshot.of(layer, "planned", {}, self.working_crs)
            except (IOError, tasks.JobError) as err:
                self.info.emit(str(err))
        job = tasks.predict_job(
            frame,
            trained,
            train,
            self.k(),
            others=others,
            axes=self._optional_snapshot("axes"),
            cameras=self._optional_snapshot("cameras"),
            working_crs=self.working_crs,
        )
        task = tasks.CoreTask(tr("Estimating the score of {}").format(event.event_id), job)

        def done(prediction: tasks.Prediction):
            if trained is None:
                self.trained, self.trained_key = prediction.trained, key
                self._model_trained(prediction.trained)
                self.modelReady.emit(prediction.trained)
            t = prediction.transfer
            self._record(
                "predictevents",
                {"K": self.k(), "EVENT_ID": event.event_id, "NATURE": event.nature, "PARTICIPANTS": int(event.participants)},
                lambda: [{"layer": tr("planned event {}").format(event.event_id), "n_features": 1}] + self._inputs("axes", "cameras"),
                1,
                prediction.trained.model.fingerprint,
                {"predicted": _num(t.predicted), "band_low": _num(t.band_low), "band_high": _num(t.band_high), "similar_ids": t.similar_ids},
            )
            self.prediction = prediction
            for note in prediction.notes:
                self.info.emit(note)
            self.predictionReady.emit(prediction)

            def write():  # after the results show, in its own turn of the event loop
                try:
                    self.planned.save(event, prediction.transfer, prediction.trained.model.fingerprint)
                except (IOError, ValueError) as err:
                    self.info.emit(str(err))
                self.saved_predictions.append(event.event_id)
                self.predictionSaved.emit(event.event_id)

            QTimer.singleShot(0, write)

        return self.run(task, done)

    def _optional_snapshot(self, kind: str):
        try:
            return self.snapshot(kind)
        except (tasks.JobError, IOError, ValueError) as err:
            self.info.emit(str(err))
            return None

    def backtest(self, cut, folder: str = "") -> Optional[tasks.CoreTask]:
        if self.trained is None or self.trained.scored is None:
            self.failed.emit(tr("Train the model on the facts and past events first"))
            return None
        job = tasks.backtest_job(self.trained.scored, self.trained.sectors, cut, self.forest_settings(), self.k(), folder)
        task = tasks.CoreTask(tr("Backtest"), job)

        def done(res):
            result, path = res
            metrics = result.metrics.set_index("method")
            self._record(
                "backtest",
                {"CUT_DATE": str(cut), "K": self.k(), "OUTPUT_REPORT": path},
                lambda: self._inputs("facts", "events", "sectors"),
                int(result.n_train + result.n_test),
                result.fingerprint or None,
                {m: {k: _num(v) for k, v in row.items()} for m, row in metrics.iterrows()},
            )
            self.backtestDone.emit(result, path)

        return self.run(task, done)

    # --- drawing -----------------------------------------------------------------------------

    def start_drawing(self, mode: str) -> None:
        self.tool.set_mode(mode)
        self.canvas.setMapTool(self.tool)
        self.footprintChanged.emit(None)

    def edit_footprint(self, geometry_working: Optional[QgsGeometry]) -> None:
        """Loads a footprint (working CRS) into the tool to drag its vertices."""
        if geometry_working is None:
            return
        self.tool.set_geometry(transform(geometry_working, self.working_crs, self.canvas_crs()))
        self.canvas.setMapTool(self.tool)

    def canvas_crs(self) -> QgsCoordinateReferenceSystem:
        return self.canvas.mapSettings().destinationCrs()

    def _buffer_preview(self, geometry_canvas: QgsGeometry):
        s = self.score_settings()
        return buffered_footprint(geometry_canvas, self.canvas_crs(), self.working_crs, s.line_buffer_m, s.point_buffer_m)

    def _on_footprint(self, geometry_canvas) -> None:
        if geometry_canvas is None:
            self.footprintChanged.emit(None)
            return
        self.footprintChanged.emit(transform(geometry_canvas, self.canvas_crs(), self.working_crs))

    # --- results on the map ----------------------------------------------------------------------

    def clear_highlights(self) -> None:
        scene = self.canvas.scene()
        for band in self.highlights:
            band.reset()
            if band.scene() is not None:
                scene.removeItem(band)
        self.highlights = []
        self.canvas.refresh()

    def _band(self, geometry_type, stroke: QColor, fill: QColor, width: int = 2) -> QgsRubberBand:
        band = QgsRubberBand(self.canvas, geometry_type)
        band.setStrokeColor(stroke)
        band.setFillColor(fill)
        band.setWidth(width)
        self.highlights.append(band)
        return band

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

    def show_past_event(self, event_id: str, similar_row: Optional[pd.Series] = None) -> bool:
        """Zooms to a similar past event and highlights its footprint and its facts."""
        self.clear_highlights()
        event = self.past_event(event_id)
        dest = self.canvas_crs()
        work = self.working_crs
        s = self.score_settings()
        if event is None:
            if similar_row is None or not np.isfinite(similar_row.get("x", np.nan)):
                self.info.emit(tr("Event {} is not in the loaded layers: its footprint cannot be shown").format(event_id))
                return False
            point = shapely.Point(float(similar_row["x"]), float(similar_row["y"]))
            band = self._band(QgsWkbTypes.PointGeometry, HIGHLIGHT, HIGHLIGHT_FILL, 3)
            band.setIcon(QgsRubberBand.ICON_CIRCLE)
            band.setIconSize(18)
            band.setToGeometry(from_shapely(point, work, dest), None)
            self._zoom_to(point.buffer(s.radius_m), work)
            self.selectionShown.emit(str(event_id))
            return True
        geom = event["geometry"]
        fp = footprint(geom, s.line_buffer_m, s.point_buffer_m)
        area = self._band(QgsWkbTypes.PolygonGeometry, HIGHLIGHT, HIGHLIGHT_FILL, 3)
        area.setToGeometry(from_shapely(fp, work, dest), None)
        reach = self._band(QgsWkbTypes.PolygonGeometry, QColor(255, 140, 0, 160), QColor(0, 0, 0, 0), 1)
        reach.setLineStyle(Qt.PenStyle.DashLine)
        reach.setToGeometry(from_shapely(fp.buffer(s.radius_m, quad_segs=16), work, dest), None)
        facts = self.facts_of(event)
        if len(facts):
            pts = self._band(QgsWkbTypes.PointGeometry, FACT_COLOUR, QColor(0, 0, 0, 0), 2)
            pts.setIcon(QgsRubberBand.ICON_CIRCLE)
            pts.setIconSize(12)
            multi = from_shapely(shapely.multipoints(np.column_stack([facts["x"], facts["y"]])), work, dest)
            pts.setToGeometry(multi, None)
        self._zoom_to(fp.buffer(s.radius_m), work)
        self.selectionShown.emit(str(event_id))
        return True

    def _zoom_to(self, shape, crs: str) -> None:
        g = from_shapely(shapely.envelope(shape), crs, self.canvas_crs())
        rect = g.boundingBox()
        rect.scale(1.1)
        self.canvas.setExtent(rect)
        self.canvas.refresh()

    def show_planned_footprint(self, geometry_working: Optional[QgsGeometry]) -> None:
        """Shows a (loaded) planned footprint with the tool's bands, ready to edit."""
        if geometry_working is None:
            self.tool.clear()
            return
        self.tool.set_geometry(transform(geometry_working, self.working_crs, self.canvas_crs()))

    # --- event sheet ------------------------------------------------------------------------------

    def event_sheet(self, path: str) -> Optional[str]:
        """Writes the event sheet PDF of the last prediction (report module)."""
        if self.prediction is None:
            self.failed.emit(tr("Estimate the score of a planned event first"))
            return None
        try:
            from tranquillite_plugin.report import sheet
        except ImportError:
            self.failed.emit(tr("The event sheet is not available in this version of the plugin"))
            return None
        try:
            out = sheet.write_event_sheet_from_gui(self, path)
        except (IOError, ValueError, RuntimeError) as err:
            self.failed.emit(tr("Event sheet not written: {}").format(err))
            return None
        self.info.emit(tr("Event sheet written to {}").format(out))
        row = self.prediction.planned.iloc[0]
        self._record(
            "eventsheet",
            {"EVENT_ID": str(row["event_id"]), "OUTPUT": out},
            [{"layer": tr("planned event {}").format(row["event_id"]), "n_features": 1}],
            1,
            self.prediction.trained.model.fingerprint,
        )
        return out

    # --- audit ----------------------------------------------------------------------------------

    def audit_rows(self) -> List[dict]:
        """The store's audit rows, oldest first, as the Audit tab shows them."""
        if self.store is None:
            return []
        return [_audit_row(entry) for entry in self.store.audit_rows()]

    def verify_audit(self):
        """(ok, message) of the audit chain's verification."""
        if self.store is None:
            return False, tr("No observatory store is open")
        check = self.store.verify_audit()
        if check.ok:
            return True, tr("The audit trail is intact: {} rows, none edited, deleted or reordered.").format(check.n_rows)
        where = tr("row {}").format(check.first_bad) if check.first_bad is not None else tr("the end of the trail")
        return False, tr("The audit trail is BROKEN at {}: {}").format(where, check.reason)

    # --- trends and alerts (Audit tab) ---------------------------------------------------------------

    def trends(self, window_days: float = 7, baseline: str = "weeks", periods: int = 8, rule=None, end=None):
        """core.trends.sector_trends on the facts and sectors layers, in a task; the sectors in
        alert go on the map (a styled temporary layer) and an audit row to the store."""
        facts = self._snapshot_or_fail("facts")
        sectors = self._snapshot_or_fail("sectors") if facts is not None else None
        if facts is None or sectors is None:
            return None
        job = tasks.trends_job(facts, sectors, window_days, baseline, periods, rule, self.working_crs, end)
        task = tasks.CoreTask(tr("Trends and alerts per sector"), job)

        def done(trends: tasks.Trends):
            self.trends_result = trends
            self.show_alerts_layer(trends)
            result = trends.result
            alerts = result.alerts
            w = result.windows
            self._record(
                "trends",
                trends.parameters,
                lambda: self._inputs("facts", "sectors"),
                trends.n_facts,
                None,
                {
                    "alerts": alerts["sector"].tolist(),
                    "driving": dict(zip(alerts["sector"], alerts["driving_category"])),
                    "recent_window": [w["start"].iloc[0].isoformat(), w["end"].iloc[0].isoformat()],
                    "baseline_windows": len(w) - 1,
                },
            )
            self.trendsReady.emit(trends)

        return self.run(task, done)

    def show_alerts_layer(self, trends) -> Optional[QgsVectorLayer]:
        """Replaces the temporary layer of trend alerts (red sectors labelled with their driving category)."""
        from tranquillite_plugin.gui.alerts import alerts_layer

        self.remove_alerts_layer()
        try:
            layer = alerts_layer(trends.result, trends.sectors, self.working_crs)
        except (ValueError, RuntimeError) as err:
            self.failed.emit(tr("The trend alerts could not be drawn: {}").format(err))
            return None
        QgsProject.instance().addMapLayer(layer, False)
        QgsProject.instance().layerTreeRoot().insertLayer(0, layer)
        self.alerts_layer_id = layer.id()
        return layer

    def alerts_layer(self) -> Optional[QgsVectorLayer]:
        return QgsProject.instance().mapLayer(self.alerts_layer_id) if self.alerts_layer_id else None

    def remove_alerts_layer(self) -> None:
        if self.alerts_layer() is not None:
            QgsProject.instance().removeMapLayer(self.alerts_layer_id)
        self.alerts_layer_id = ""

    def show_sector(self, sector_id: str) -> bool:
        """Zooms to a sector of the last trends and outlines it."""
        trends = self.trends_result
        if trends is None:
            return False
        hit = trends.sectors[trends.sectors["sector_id"].astype(str) == str(sector_id)]
        if not len(hit) or hit["geometry"].iloc[0] is None:
            return False
        self.clear_highlights()
        shape = hit["geometry"].iloc[0]
        band = self._band(QgsWkbTypes.PolygonGeometry, HIGHLIGHT, QColor(0, 0, 0, 0), 3)
        band.setToGeometry(from_shapely(shape, self.working_crs, self.canvas_crs()), None)
        self._zoom_to(shape, self.working_crs)
        return True

    # --- unload ------------------------------------------------------------------------------------

    def close(self) -> None:
        self.cancel_tasks()
        self.clear_highlights()
        self.remove_alerts_layer()
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
        self.tool.remove_from_canvas()
        self.planned.close()
        self.close_store()
        try:
            QgsProject.instance().layersWillBeRemoved.disconnect(self._on_layers_removed)
        except TypeError:
            pass
        try:
            settings.notifier().changed.disconnect(self._on_settings_changed)
        except TypeError:
            pass


def _settings_of(model, working_crs: str) -> dict:
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


def _store_reader(target: str, kind: str, status: Optional[str] = None):
    """A function reading a clean frame from the store, on its own connection (for a worker)."""

    def read():
        from tranquillite_plugin.store.observatory import Observatory

        obs = Observatory.open(target)
        try:
            return obs.read(kind, status=status)
        finally:
            obs.close()

    read.name = f"{kind} ({status})" if status else kind
    return read


def _num(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _audit_row(entry) -> dict:
    """An audit entry with readable cells: local time, layer names, parameters as k=v."""
    d = entry.as_dict() if hasattr(entry, "as_dict") else dict(entry)
    out = dict(d)
    try:
        ts = pd.Timestamp(d.get("at"))
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
        out["at"] = ts.tz_convert("Europe/Paris").strftime("%d/%m/%Y %H:%M:%S")
    except (ValueError, TypeError):
        pass
    inputs = d.get("inputs")
    if isinstance(inputs, list):
        out["inputs"] = ", ".join(str(i.get("layer", i.get("source", ""))) if isinstance(i, dict) else str(i) for i in inputs)
    params = d.get("parameters")
    if isinstance(params, dict):
        out["parameters"] = ", ".join(f"{k}={v}" for k, v in params.items())
    return out


def _public_source(layer) -> str:
    """A layer's source without any password (for the audit)."""
    from tranquillite_plugin.store.backend import strip_password

    try:
        return strip_password(layer.source())
    except Exception:  # noqa: BLE001
        return layer.name()


def data_dir() -> str:
    """The plugin's folder in the QGIS profile (demo city, planned events without a project)."""
    root = QgsApplication.qgisSettingsDirPath() or tempfile.gettempdir()
    return os.path.join(root, "tranquillite")


def default_planned_path() -> str:
    """Where planned events go when no observatory is open: beside the project, else the profile."""
    project = QgsProject.instance()
    home = project.homePath() if project.fileName() else ""
    if home:
        base = os.path.splitext(os.path.basename(project.fileName()))[0]
        return os.path.join(home, f"{base}_planned_events.gpkg")
    return os.path.join(data_dir(), "planned_events.gpkg")
