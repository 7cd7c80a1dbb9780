"""The observatory store the docks work with: open, close, restore, import into it, and its audit trail."""

from __future__ import annotations

import os
from typing import Dict, List, Optional

import pandas as pd
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from tranquillite_plugin import settings
from tranquillite_plugin.core.contract import ContractError
from tranquillite_plugin.gui import jobs, tasks
from tranquillite_plugin.gui.access import describe_change
from tranquillite_plugin.gui.layers import apply_style
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.store.backend import StoreError
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.qgis_store import remember_store, remembered_store, store_layer
from tranquillite_plugin.vocabulary import kind_labels


class StoreSession(QObject):
    storeChanged = pyqtSignal()  # noqa: N815 - Qt signal names
    auditChanged = pyqtSignal()  # noqa: N815
    importDone = pyqtSignal(object)  # noqa: N815 - jobs.ImportResult

    def __init__(self, messages, runner, layers, working_crs, parent=None):
        super().__init__(parent)
        self.messages = messages
        self.runner = runner
        self.layers = layers
        self.working_crs = working_crs
        self.store = None  # the observatory store, once open (store/observatory.py)
        self.store_target = ""  # as the user gave it (a password stays out of the project)
        self.last_check = None  # the last verification of the audit trail (the Audit tab paints its first bad row)

    # --- open, close, restore ---------------------------------------------------------------------

    def open_store(self, target: str, create: bool = False) -> bool:
        """Opens (or creates) the observatory store and shows its layers."""
        from tranquillite_plugin.gui.planned import StorePlannedEvents

        try:
            store = Observatory.create(target, self.working_crs()) if create else Observatory.open(target)
        except (StoreError, ContractError, IOError, ValueError, ImportError) as err:
            self.messages.failed.emit(tr("Store not opened: {}").format(err))
            return False
        self.close_store()
        self.store = store
        self.store_target = target
        remember_store(store.target)
        self.layers.use_planned(StorePlannedEvents(store))
        self.show_store_layers()
        self.storeChanged.emit()
        self.auditChanged.emit()
        self.messages.info.emit(tr("Observatory store {} open").format(store.target))
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
        target = remembered_store(fallback_to_last=False)
        if not target:
            return False
        if not Observatory.is_store(target):
            self.messages.info.emit(tr("The project's observatory store {} cannot be opened").format(target))
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
                    self.messages.info.emit(str(err))
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
            layers = self.layers.add_geometry_sublayers(
                "", "", title, "events", layer_of=lambda wkb, name: store_layer(store, "events", name, geometry_type=wkb, status="past")
            )
            if layers:
                shown["events"] = layers[0]
        for kind, layer in shown.items():
            self.layers.map_layer(kind, layer)
        if shown:
            self.layers.layersChanged.emit()
        return shown

    def layer_is_in_store(self, kind: str) -> bool:
        layer = self.layers.layer(kind)
        if layer is None or self.store is None:
            return False
        source = layer.source()
        if self.store.path:
            return os.path.abspath(source.split("|")[0]) == os.path.abspath(self.store.path)
        return source == self.store.uri(kind) or f'"{self.store.pg_schema}"' in source

    # --- import --------------------------------------------------------------------------------

    def import_layer(self, kind: str) -> Optional[tasks.CoreTask]:
        snap = self.layers.snapshot_or_fail(kind)
        if snap is None:
            return None
        if self.layer_is_in_store(kind):
            self.messages.info.emit(tr("{}: the layer is the store's own, nothing to import").format(kind_labels()[kind]))
            return None
        snap.drop_fields = list(self.layers.drop_fields.get(kind, []))
        job = jobs.import_job(snap, self.working_crs(), self.store_target if self.store is not None else "")
        task = tasks.CoreTask(tr("Importing “{}” as {}").format(snap.name, kind_labels()[kind].lower()), job)

        def done(result):
            if result.report is not None:
                self.layers.import_reports[kind] = result.report
            if result.stored:
                shown = self.show_store_layers()
                if kind in shown:
                    self.layers.import_reports[kind] = result.report
                self.auditChanged.emit()
            self.importDone.emit(result)

        return self.runner.run(task, done)

    # --- the store's settings and audit trail --------------------------------------------------------

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
            self.messages.failed.emit(tr("The settings were not written to the store: {}").format(err))
            return False
        return True

    def record(self, record) -> None:
        """Appends a pipeline's audit record (pipeline.record.AuditRecord) to the open store;
        a failure is reported, never raised."""
        if self.store is None or record is None:
            return
        try:
            self.store.record(**record.as_kwargs())
        except Exception as err:  # noqa: BLE001 - the audit must not break the work it records
            self.messages.failed.emit(tr("The audit row of {} was not written: {}").format(record.algorithm, err))
            return
        self.auditChanged.emit()

    def audit_rows(self) -> List[dict]:
        """The store's audit rows, oldest first, as the Audit tab shows them."""
        if self.store is None:
            return []
        return [audit_row(entry) for entry in self.store.audit_rows()]

    def verify_audit(self):
        """(ok, message) of the audit chain's verification."""
        if self.store is None:
            return False, tr("No observatory store is open")
        check = self.last_check = self.store.verify_audit()  # the Audit tab paints its first bad row
        if check.ok:
            return True, tr("The audit trail is intact: {} rows, none edited, deleted or reordered.").format(check.n_rows)
        where = tr("row {}").format(check.first_bad) if check.first_bad is not None else tr("the end of the trail")
        return False, tr("The audit trail is BROKEN at {}: {}").format(where, check.reason)

    def reader(self, kind: str, status: Optional[str] = None):
        """A function reading a clean frame from the store, on its own connection (for a worker)."""
        target = self.store_target

        def read():
            obs = Observatory.open(target)
            try:
                return obs.read(kind, status=status)
            finally:
                obs.close()

        read.name = f"{kind} ({status})" if status else kind
        return read


def audit_row(entry) -> dict:
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
    out["change"] = describe_change(d)  # an edit audited by the server: who changed what (gui/access.py)
    params = d.get("parameters")
    if isinstance(params, dict):
        out["parameters"] = ", ".join(f"{k}={v}" for k, v in params.items())
    return out
