"""The docks' session: the parts that each do one job, put together for the panels.

* :class:`~tranquillite_plugin.gui.layers.LayerSession` — which layer is which, the planned events table;
* :class:`~tranquillite_plugin.gui.store_session.StoreSession` — the observatory store: open,
  close, restore, import, the audit trail;
* :class:`~tranquillite_plugin.gui.model_session.ModelSession` — train, predict, backtest, trends,
  the model kept between them;
* :class:`~tranquillite_plugin.gui.highlights.MapHighlights` — the footprint tool, rubber bands,
  zoom, the trend alerts' layer;
* :class:`~tranquillite_plugin.gui.runner.TaskRunner` — the tasks (gui/tasks.py) running the jobs
  (gui/jobs.py), which run the pipeline (tranquillite_plugin/pipeline) in QGIS's task manager.

The panels (gui/*_panel.py) are views: they call the controller and listen to
the signals of the parts, which the controller shows under one name each
(``controller.modelReady`` is ``controller.models.modelReady``).
"""

from __future__ import annotations

import os
import tempfile
from typing import Optional

import pandas as pd
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from tranquillite_plugin import settings
from tranquillite_plugin.core.score import ScoreSettings
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.highlights import MapHighlights
from tranquillite_plugin.gui.layers import DATA_KINDS, LayerSession, apply_style, guess_kind  # noqa: F401 - the docks' names
from tranquillite_plugin.gui.model_session import REQUIRED_FOR_MODEL, ModelSession  # noqa: F401
from tranquillite_plugin.gui.planned import PlannedEvents
from tranquillite_plugin.gui.runner import Messages, TaskRunner
from tranquillite_plugin.gui.store_session import StoreSession
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.pipeline.record import AuditRecord, inputs_list

#: the parts' signals, under the names the panels connect to
SIGNALS = {
    "messages": ("failed", "info"),
    "runner": ("busy", "progress", "idle"),
    "layers": ("layersChanged", "plannedListChanged", "plannedSaved"),
    "stores": ("storeChanged", "auditChanged", "importDone"),
    "models": ("modelReady", "predictionReady", "predictionSaved", "backtestDone", "trendsReady"),
    "map": ("footprintChanged", "selectionShown"),
}
#: what each part answers for the controller (methods and state)
DELEGATED = {
    "runner": ("run", "cancel_tasks", "is_busy", "running"),
    "layers": ("layer", "set_layer", "feature_count", "field_map", "add_layer", "add_file", "use_planned_table",
               "save_planned", "snapshot", "layer_ids", "field_maps", "import_reports", "drop_fields", "planned"),
    "stores": ("open_store", "close_store", "restore_store", "show_store_layers", "layer_is_in_store", "import_layer",
               "record_settings", "audit_rows", "verify_audit", "store", "store_target", "last_check"),
    "models": ("model_key", "train", "model_is_current", "load_model", "save_model", "predict", "backtest", "trends",
               "past_event", "facts_of", "layers_ready", "trained", "trained_key", "prediction", "saved_predictions",
               "trends_result", "last_backtest", "control", "fairness_control"),
    "map": ("start_drawing", "edit_footprint", "canvas_crs", "clear_highlights", "show_planned_footprint", "zoom_to_layers",
            "show_alerts_layer", "alerts_layer", "remove_alerts_layer", "highlights", "tool"),
}
_OWNER = {name: part for part, names in DELEGATED.items() for name in names}


class Controller(QObject):
    settingsChanged = pyqtSignal(list)  # noqa: N815 - keys of settings.py changed on the settings page

    def __init__(self, iface, planned_path: Optional[str] = None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.messages = Messages(self)
        self.runner = TaskRunner(self.messages, self)
        planned = PlannedEvents(planned_path or default_planned_path(), crs=self.working_crs)
        self.layers = LayerSession(self.messages, planned, settings.working_crs, self)
        self.map = MapHighlights(self.canvas, self.messages, lambda: (self.working_crs, self.score_settings()), self)
        self.stores = StoreSession(self.messages, self.runner, self.layers, settings.working_crs, self)
        self.models = ModelSession(self.messages, self.runner, self.layers, self.stores, self.map, self)
        for part, names in SIGNALS.items():
            for name in names:
                setattr(self, name, getattr(getattr(self, part), name))
        settings.notifier().changed.connect(self._on_settings_changed)

    def __getattr__(self, name):  # only for names not found on the controller itself
        part = _OWNER.get(name)
        if part is None or part not in self.__dict__:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        return getattr(self.__dict__[part], name)

    def __setattr__(self, name, value):
        part = _OWNER.get(name)
        if part is not None and part in self.__dict__:
            setattr(self.__dict__[part], name, value)
        else:
            super().__setattr__(name, value)

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
        self.stores.record_settings()
        models = self.models
        if models.trained is not None and models.trained_key is not None and not models.model_is_current():
            self.info.emit(tr("Settings changed: the model will be trained again at the next estimate"))
        elif "working_crs" in keys:
            self.info.emit(tr("Working CRS: {} (layers read from now on)").format(self.working_crs))
        self.settingsChanged.emit(keys)

    # --- what takes more than one part -------------------------------------------------------------

    def open_observatory(self, path: str):
        """Loads an observatory GeoPackage (demo city or store): every layer styled and mapped, and zooms to it."""
        added = self.layers.open_observatory(path)
        self.map.zoom_to_layers(list(added.values()))
        return added

    def open_demo_city(self, path: Optional[str] = None, n_events: int = 600, n_facts: int = 60_000, seed: int = 0):
        """Builds the demo observatory in a task (once; then reopens the file) and opens it."""
        path = path or os.path.join(data_dir(), "demo_city.gpkg")
        if os.path.exists(path):
            self.open_observatory(path)
            return None

        def job(progress, is_cancelled):
            from tranquillite_plugin.core.democity import make_demo_city
            from tranquillite_plugin.store.ogr_io import write_demo_city

            progress(5)
            city = make_demo_city(n_events=n_events, n_facts=n_facts, seed=seed)
            if is_cancelled():
                raise tasks.Cancelled()
            progress(60)
            tmp = path + ".part"
            if os.path.exists(tmp):
                os.remove(tmp)
            write_demo_city(tmp, city)
            os.replace(tmp, path)
            progress(100)
            return path

        return self.runner.run(tasks.CoreTask(tr("Building the demo city"), job), self.open_observatory)

    def show_past_event(self, event_id: str, similar_row: Optional[pd.Series] = None) -> bool:
        """Zooms to a similar past event and highlights its footprint and its facts."""
        event = self.models.past_event(event_id)
        facts = self.models.facts_of(event) if event is not None else None
        return self.map.show_event(event_id, event, facts, similar_row)

    def show_sector(self, sector_id: str) -> bool:
        """Zooms to a sector of the last trends and outlines it."""
        trends = self.models.trends_result
        if trends is None:
            return False
        hit = trends.sectors[trends.sectors["sector_id"].astype(str) == str(sector_id)]
        if not len(hit) or hit["geometry"].iloc[0] is None:
            return False
        self.map.show_shape(hit["geometry"].iloc[0], self.working_crs)
        return True

    def event_sheet(self, path: str) -> Optional[str]:
        """Writes the event sheet PDF of the last prediction (report module)."""
        from tranquillite_plugin.report.sheet import drift_of, write_prediction_sheet

        prediction = self.models.prediction
        if prediction is None:
            self.failed.emit(tr("Estimate the score of a planned event first"))
            return None
        layers = {kind: self.layers.layer(kind) for kind in ("sectors", "axes") if self.layers.layer(kind) is not None}
        try:
            drift = drift_of(self.models.control, self.stores.store, prediction.planned)
            out = write_prediction_sheet(prediction, path, self.score_settings(), self.k(), layers, self.working_crs, drift)
        except (IOError, ValueError, RuntimeError) as err:
            self.failed.emit(tr("Event sheet not written: {}").format(err))
            return None
        self.info.emit(tr("Event sheet written to {}").format(out))
        row = prediction.planned.iloc[0]
        self._record(
            "eventsheet",
            {"EVENT_ID": str(row["event_id"]), "OUTPUT": out},
            [{"layer": tr("planned event {}").format(row["event_id"]), "n_features": 1}],
            1,
            prediction.trained.model.fingerprint,
        )
        return out

    def _record(self, algorithm: str, parameters=None, inputs=None, n_features=None, fingerprint=None, summary=None) -> None:
        """An audit row in the store (when one is open); a failure is reported, never raised."""
        self.stores.record(AuditRecord(algorithm, dict(parameters or {}), inputs_list(inputs or []), n_features, fingerprint, summary or {}))

    # --- unload ------------------------------------------------------------------------------------

    def close(self) -> None:
        self.runner.cancel_tasks()
        self.map.close()
        self.layers.close()
        self.stores.close_store()
        try:
            settings.notifier().changed.disconnect(self._on_settings_changed)
        except TypeError:
            pass


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
