"""Which layer is which: the layers the docks use, mapped to their kinds, and the planned events table."""

from __future__ import annotations

import os
from typing import Dict, List, Optional

from qgis.core import QgsProject, QgsProviderRegistry, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import QObject, pyqtSignal

from tranquillite_plugin.core.contract import ContractError
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.mapping_dialog import guess_field_map, missing_required
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import log
from tranquillite_plugin.store.layer_reader import list_layers
from tranquillite_plugin.vocabulary import kind_labels

#: the kinds of layer the Data panel maps, in display order
DATA_KINDS = ("facts", "events", "sectors", "axes", "cameras")
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


def apply_style(layer: QgsVectorLayer, kind: str, field_map=None) -> bool:
    """Applies the shipped style; a style that cannot be applied is logged, never fails the caller."""
    from tranquillite_plugin import styles

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


class LayerSession(QObject):
    layersChanged = pyqtSignal()  # noqa: N815 - Qt signal names
    plannedListChanged = pyqtSignal()  # noqa: N815
    plannedSaved = pyqtSignal(str)  # noqa: N815

    def __init__(self, messages, planned, working_crs, parent=None):
        """``planned``: the planned events table (gui.planned.PlannedEvents); ``working_crs()``: the user's."""
        super().__init__(parent)
        self.messages = messages
        self.working_crs = working_crs
        self.planned = planned
        self.layer_ids: Dict[str, str] = {}
        self.field_maps: Dict[str, Dict[str, str]] = {}
        self.import_reports: Dict[str, object] = {}
        self.drop_fields: Dict[str, List[str]] = {}  # per kind: fields not to import (personal data)
        QgsProject.instance().layersWillBeRemoved.connect(self._on_layers_removed)

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

    def map_layer(self, kind: str, layer: QgsVectorLayer) -> None:
        """Maps ``layer`` to ``kind`` with its guessed field map (no signal: the caller says when it is done)."""
        self.layer_ids[kind] = layer.id()
        self.field_maps[kind] = guess_field_map(kind, [f.name() for f in layer.fields()])

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
            self.messages.failed.emit(tr("Layer “{}” could not be opened ({})").format(name, uri))
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
        tables = {t.lower(): t for t in list_layers(path)}
        found = {}
        for kind, names in OBSERVATORY_TABLES.items():
            for n in names:
                if n in tables:
                    found[kind] = tables[n]
                    break
        if not found:
            self.messages.failed.emit(tr("{} holds no observatory layer (sectors, axes, cameras, events, facts)").format(path))
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
            self.map_layer(kind, layer)
            added[kind] = layer
        if "events" in found:
            layers = self.add_geometry_sublayers(path, found["events"], labels["events"], "events")
            if layers:
                self.map_layer("events", layers[0])
                added["events"] = layers[0]
        if "planned" in found:
            self.use_planned_table(path, found["planned"])
        self.layersChanged.emit()
        return added

    def add_geometry_sublayers(self, path: str, table: str, title: str, style_kind: str, layer_of=None) -> List[QgsVectorLayer]:
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

    # --- planned events ------------------------------------------------------------------------

    def use_planned(self, planned) -> None:
        """Planned events go to ``planned`` (gui.planned.PlannedEvents or StorePlannedEvents) from now on."""
        self.planned.remove_from_project()
        self.planned.close()
        self.planned = planned
        self.planned.add_to_project(apply_style)
        self.plannedListChanged.emit()

    def use_planned_table(self, path: str, table: str) -> None:
        """Planned events go to ``table`` of ``path`` from now on (and show on the map)."""
        from tranquillite_plugin.gui.planned import PlannedEvents

        self.use_planned(PlannedEvents(path, table, crs=self.working_crs()))

    def save_planned(self, event, prediction=None) -> bool:
        try:
            event.clean_frame(self.working_crs())
            self.planned.add_to_project(apply_style)
            self.planned.save(event, prediction)
        except (ContractError, IOError, ValueError) as err:
            self.messages.failed.emit(tr("Planned event {} not saved: {}").format(event.event_id, err))
            return False
        self.plannedSaved.emit(event.event_id)
        self.plannedListChanged.emit()
        return True

    # --- snapshots for the workers ---------------------------------------------------------------

    def snapshot(self, kind: str) -> Optional[tasks.LayerSnapshot]:
        layer = self.layer(kind)
        if layer is None:
            return None
        return tasks.LayerSnapshot.of(layer, kind, self.field_map(kind), self.working_crs())

    def snapshot_or_fail(self, kind: str):
        try:
            snap = self.snapshot(kind)
        except (tasks.JobError, ContractError, IOError, ValueError) as err:
            self.messages.failed.emit(str(err))
            return None
        if snap is None:
            self.messages.failed.emit(tr("Choose the {} layer first").format(kind_labels()[kind].lower()))
        return snap

    def optional_snapshot(self, kind: str):
        try:
            return self.snapshot(kind)
        except (tasks.JobError, IOError, ValueError) as err:
            self.messages.info.emit(str(err))
            return None

    def close(self) -> None:
        self.planned.close()
        try:
            QgsProject.instance().layersWillBeRemoved.disconnect(self._on_layers_removed)
        except TypeError:
            pass
