"""Planned events: the events an officer draws, kept in a GeoPackage table.

A planned event has the contract's event fields (``event_id``, ``nature``,
``participants``, ``start``, ``end``, ``sector``) plus ``status`` (always
``planned``), ``attachments`` (photos and videos, ``;``-separated paths, the
convention of :mod:`tranquillite_plugin.styles`) and the last prediction
(``predicted``, ``band_low``, ``band_high``, ``similar_ids``).

Points, itineraries and areas share one table (GeoPackage geometry type
GEOMETRY); the project shows it as one layer per geometry type so that each
gets its style, and writes go through one data layer on the whole table.
Datetimes are written as local wall time (Europe/Paris), as the contract reads
naive values.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np
import pandas as pd
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsLayerTreeGroup,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.contract import DEFAULT_CRS, ContractError, RawLayer, validate
from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.gui.geometry import to_shapely
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.store.gdal_calls import GdalError, call

TABLE = "planned_events"
GEOMETRY_TYPES = (("Point", "point"), ("LineString", "line"), ("Polygon", "polygon"))

#: name, type (compat.FieldType) of the table's fields
FIELDS = (
    ("event_id", FieldType.String),
    ("nature", FieldType.String),
    ("participants", FieldType.Int),
    ("start", FieldType.DateTime),
    ("end", FieldType.DateTime),
    ("sector", FieldType.String),
    ("status", FieldType.String),
    ("attachments", FieldType.String),
    ("predicted", FieldType.Double),
    ("band_low", FieldType.Double),
    ("band_high", FieldType.Double),
    ("similar_ids", FieldType.String),
)


@dataclass
class PlannedEvent:
    event_id: str
    nature: str
    participants: int
    start: _dt.datetime  # local wall time (naive) or tz-aware
    end: _dt.datetime
    geometry: Optional[QgsGeometry] = None  # in the working CRS
    sector: str = ""
    attachments: List[str] = field(default_factory=list)
    fid: Optional[int] = None

    def clean_frame(self, working_crs: str) -> pd.DataFrame:
        """The event as the contract's clean events frame (one row).

        Raises ContractError naming the field when the event breaks the contract
        (no footprint, end before start, negative participants, ...).
        """
        shape = to_shapely(self.geometry) if self.geometry is not None else None
        if shape is None:
            raise ContractError(tr("The planned event has no footprint: draw it on the map first"))
        raw = RawLayer(
            name=tr("planned event {}").format(self.event_id),
            attributes=pd.DataFrame(
                {
                    "event_id": [self.event_id],
                    "nature": [self.nature],
                    "participants": [self.participants],
                    "start": pd.Series([_local(self.start)], dtype=object),
                    "end": pd.Series([_local(self.end)], dtype=object),
                    "sector": [self.sector or None],
                }
            ),
            fids=np.array([self.fid if self.fid is not None else 0]),
            geometry=np.array([shape], dtype=object),
            crs=working_crs,
        )
        clean, report = validate("events", raw)
        if not len(clean):
            raise ContractError("; ".join(f"{p.field}: {p.message}" for p in report.refusals()), report)
        return clean


def _local(value) -> _dt.datetime:
    """Naive local wall time of a datetime (tz-aware ones converted to Europe/Paris)."""
    if isinstance(value, QDateTime):
        value = value.toPyDateTime()
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(TZ).tz_localize(None)
    return ts.to_pydatetime()


def _qdatetime(value) -> QDateTime:
    """A local (Europe/Paris) wall time as a QDateTime with its UTC offset.

    The offset makes the instant explicit in the file (``…T18:00:00+01:00``);
    a UTC QDateTime would be written without its 'Z' by the OGR provider and
    read back as local time, one or two hours off.
    """
    ts = pd.Timestamp(_local(value)).tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    offset = int(ts.utcoffset().total_seconds())
    return QDateTime(QDate(ts.year, ts.month, ts.day), QTime(ts.hour, ts.minute, ts.second), Qt.TimeSpec.OffsetFromUTC, offset)


def _utc_qdatetime(value) -> QDateTime:
    """A local (Europe/Paris) wall time as the same instant in a UTC QDateTime (the store's convention)."""
    from tranquillite_plugin.store.qgis_time import utc_qdatetime

    ts = pd.Timestamp(_local(value)).tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    return utc_qdatetime(ts.value // 1_000_000)


def create_table(path: str, crs: str = DEFAULT_CRS, table: str = TABLE) -> None:
    """Creates the planned events table (GEOMETRY) in a GeoPackage, new or existing."""
    from osgeo import ogr, osr

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    driver = ogr.GetDriverByName("GPKG")
    try:
        ds = call(driver.Open, path, 1) if os.path.exists(path) else call(driver.CreateDataSource, path)
    except GdalError as err:
        raise IOError(tr("Cannot write the planned events file {}").format(path) + f" ({err})") from None
    try:
        if call(ds.GetLayerByName, table, allow_none=True) is not None:
            return
        srs = osr.SpatialReference()
        call(srs.SetFromUserInput, crs)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        lyr = call(ds.CreateLayer, table, srs, ogr.wkbUnknown, ["FID=fid", "GEOMETRY_NAME=geom"])
        kinds = {FieldType.String: ogr.OFTString, FieldType.Int: ogr.OFTInteger, FieldType.Double: ogr.OFTReal, FieldType.DateTime: ogr.OFTDateTime}
        for name, kind in FIELDS:
            call(lyr.CreateField, ogr.FieldDefn(name, kinds[kind]))
    finally:
        ds = None


class PlannedEvents:
    """The planned events table and its layers in the project (a GeoPackage of their own)."""

    def __init__(self, path: str, table: str = TABLE, crs: str = DEFAULT_CRS):
        self.path = path
        self.table = table
        self.crs = crs
        self.data_layer: Optional[QgsVectorLayer] = None
        self.display_ids: Dict[str, str] = {}  # geometry name -> layer id in the project
        self.group_name = tr("Planned events")

    @property
    def uri(self) -> str:
        return f"{self.path}|layername={self.table}"

    #: QGIS data provider of the layers
    provider = "ogr"
    #: our field name -> the table's (a store names the band predicted_low / predicted_high)
    aliases: Dict[str, str] = {}
    #: datetimes kept as UTC digits (the store) rather than Paris time with its offset
    utc_digits = False

    def display_uri(self, geometry_type: str) -> str:
        return f"{self.uri}|geometrytype={geometry_type}"

    def _display_layer(self, geometry_type: str, name: str) -> Optional[QgsVectorLayer]:
        return QgsVectorLayer(self.display_uri(geometry_type), name, self.provider)

    def open(self) -> QgsVectorLayer:
        """Opens (and creates when needed) the table; adds the missing fields."""
        if self.data_layer is not None and self.data_layer.isValid():
            return self.data_layer
        create_table(self.path, self.crs, self.table)
        layer = QgsVectorLayer(self.uri, self.group_name, self.provider)
        if not layer.isValid():
            raise IOError(tr("Cannot open the planned events table {}").format(self.uri))
        names = {f.name().lower() for f in layer.fields()}
        missing = [QgsField(n, t) for n, t in FIELDS if n not in names]
        if missing:
            layer.dataProvider().addAttributes(missing)
            layer.updateFields()
        self.data_layer = layer
        return layer

    def close(self) -> None:
        """Releases the data layer (before QGIS exits: a provider must not outlive the registry)."""
        self.data_layer = None

    def display_layers(self) -> List[QgsVectorLayer]:
        project = QgsProject.instance()
        return [project.mapLayer(i) for i in self.display_ids.values() if project.mapLayer(i) is not None]

    def add_to_project(self, style=None) -> List[QgsVectorLayer]:
        """One layer per geometry type in a group "Planned events", on top of the tree."""
        self.open()
        existing = self.display_layers()
        if existing:
            return existing
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.findGroup(self.group_name)
        if group is None:
            group = root.insertGroup(0, self.group_name)
        labels = {"point": tr("points"), "line": tr("itineraries"), "polygon": tr("areas")}
        layers = []
        for wkb, name in GEOMETRY_TYPES:
            layer = self._display_layer(wkb, f"{self.group_name} ({labels[name]})")
            if layer is None or not layer.isValid():
                continue
            if style is not None:
                try:
                    style(layer, "planned")
                except (ValueError, RuntimeError):
                    pass
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            self.display_ids[name] = layer.id()
            layers.append(layer)
        return layers

    def remove_from_project(self) -> None:
        project = QgsProject.instance()
        for layer_id in list(self.display_ids.values()):
            if project.mapLayer(layer_id) is not None:
                project.removeMapLayer(layer_id)
        self.display_ids = {}
        group = project.layerTreeRoot().findGroup(self.group_name)
        if isinstance(group, QgsLayerTreeGroup) and not group.children():
            project.layerTreeRoot().removeChildNode(group)

    def refresh(self) -> None:
        for layer in self.display_layers():
            layer.dataProvider().reloadData()
            layer.updateExtents()
            layer.triggerRepaint()

    # --- reading and writing -------------------------------------------------------------

    def layers(self) -> List[QgsVectorLayer]:
        """The layers that, together, hold every planned event (here: the whole table)."""
        return [self.open()]

    def find(self, event_id: str):
        """(layer, feature id) of the event, or (None, None)."""
        request = QgsFeatureRequest().setFilterExpression(f'"event_id" = {_quote(event_id)}')
        request.setFlags(QgsFeatureRequest.NoGeometry)
        for layer in self.layers():
            for feat in layer.getFeatures(request):
                return layer, feat.id()
        return None, None

    def ids(self) -> List[str]:
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
        out = set()
        for layer in self.layers():
            out.update(str(f["event_id"]) for f in layer.getFeatures(request) if f["event_id"] not in (None, ""))
        return sorted(out)

    def next_id(self, when: Optional[_dt.date] = None) -> str:
        """A new id 'P-YYYYMMDD-n' not yet in the table."""
        when = when or _dt.date.today()
        taken = set(self.ids())
        n = 1
        while f"P-{when:%Y%m%d}-{n}" in taken:
            n += 1
        return f"P-{when:%Y%m%d}-{n}"

    def save(self, event: PlannedEvent, prediction=None, fingerprint: Optional[str] = None) -> int:
        """Adds or updates (same event_id) the event; returns its feature id.

        ``prediction``: its transfer (core.forest.Transfer), written with the
        model's ``fingerprint``.
        """
        layer = self.open()
        fields = layer.fields()
        values = {
            "event_id": event.event_id,
            "nature": event.nature,
            "participants": int(event.participants),
            "start": (_utc_qdatetime if self.utc_digits else _qdatetime)(event.start),
            "end": (_utc_qdatetime if self.utc_digits else _qdatetime)(event.end),
            "sector": event.sector or None,
            "status": "planned",
            "attachments": ";".join(event.attachments) if event.attachments else None,
        }
        if prediction is not None:
            values.update(
                {
                    "predicted": _finite(prediction.predicted),
                    "band_low": _finite(prediction.band_low),
                    "band_high": _finite(prediction.band_high),
                    "similar_ids": ",".join(prediction.similar_ids),
                }
            )
        if prediction is not None:
            values["predicted_at"] = QDateTime.currentDateTimeUtc()
            values["model_fingerprint"] = fingerprint
        # the table's names, and only the fields it has
        values = {self.aliases.get(k, k): v for k, v in values.items()}
        values = {k: v for k, v in values.items() if fields.indexOf(k) >= 0}
        found, fid = self.find(event.event_id)
        if fid is not None and event.geometry is not None:
            old = found.getFeature(fid).geometry()
            if old is not None and not old.isEmpty() and old.type() != event.geometry.type():
                # redrawn as another kind of footprint: replaced, through the layer of its type
                if not found.dataProvider().deleteFeatures([fid]):
                    raise IOError(tr("Cannot replace the planned event: {}").format("; ".join(found.dataProvider().errors())))
                fid = None
        writer = self.writer_for(event.geometry)
        fields = writer.fields()
        provider = writer.dataProvider()
        if fid is None:
            feat = QgsFeature(fields)
            for name, value in values.items():
                feat[fields.indexOf(name)] = value
            if event.geometry is not None:
                feat.setGeometry(event.geometry)
            ok, added = provider.addFeatures([feat])
            if not ok:
                raise IOError(tr("Cannot add the planned event: {}").format("; ".join(provider.errors())))
            fid = added[0].id()
        else:
            changes = {fields.indexOf(name): value for name, value in values.items()}
            if not provider.changeAttributeValues({fid: changes}):
                raise IOError(tr("Cannot update the planned event: {}").format("; ".join(provider.errors())))
            if event.geometry is not None and not provider.changeGeometryValues({fid: event.geometry}):
                raise IOError(tr("Cannot update the planned event's footprint: {}").format("; ".join(provider.errors())))
        event.fid = fid
        for lyr in {id(x): x for x in self.layers() + [layer, writer]}.values():
            lyr.reload()
        self.refresh()
        return fid

    def writer_for(self, geometry: Optional[QgsGeometry]) -> QgsVectorLayer:
        """The layer new features of that geometry are written through (the whole table here)."""
        return self.open()

    def load(self, event_id: str) -> Optional[PlannedEvent]:
        layer, fid = self.find(event_id)
        if fid is None:
            return None
        feat = layer.getFeature(fid)
        start, end = _from_field(feat["start"], self.utc_digits), _from_field(feat["end"], self.utc_digits)
        return PlannedEvent(
            event_id=str(feat["event_id"]),
            nature=str(feat["nature"] or "autre"),
            participants=int(feat["participants"] or 0),
            start=start,
            end=end,
            geometry=QgsGeometry(feat.geometry()),
            sector=str(feat["sector"] or ""),
            attachments=[p for p in str(_attr(feat, "attachments") or "").split(";") if p],
            fid=fid,
        )

    def delete(self, event_id: str) -> bool:
        layer, fid = self.find(event_id)
        if fid is None:
            return False
        ok = layer.dataProvider().deleteFeatures([fid])
        for lyr in self.layers():
            lyr.reload()
        self.refresh()
        return bool(ok)


def _from_field(value, utc_digits: bool = False) -> Optional[_dt.datetime]:
    """A datetime attribute -> naive local (Europe/Paris) wall time (``utc_digits``: a store's)."""
    from tranquillite_plugin.store.qgis_layers import to_python

    if utc_digits:
        from tranquillite_plugin.store.qgis_time import instant_ms

        ms = instant_ms(value)
        if ms is None:
            return None
        return pd.Timestamp(ms * 1000, unit="us", tz="UTC").tz_convert(TZ).tz_localize(None).to_pydatetime()

    py = to_python(value)
    if py is None:
        return None
    if isinstance(py, str):
        from tranquillite_plugin.core.timeutil import parse_datetimes

        parsed, bad = parse_datetimes(pd.Series([py]))
        if bad.any() or pd.isna(parsed.iloc[0]):
            return None
        return parsed.iloc[0].tz_localize(None).to_pydatetime()
    return _local(py)


_POINT = QgsGeometry.fromWkt("POINT(0 0)")
_LINE = QgsGeometry.fromWkt("LINESTRING(0 0, 1 1)")
_POLYGON = QgsGeometry.fromWkt("POLYGON((0 0, 1 0, 1 1, 0 0))")


def _attr(feat, name: str):
    return feat[name] if feat.fields().indexOf(name) >= 0 else None


def _finite(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


class StorePlannedEvents(PlannedEvents):
    """Planned events in the observatory store: its ``events`` table, ``status = 'planned'``.

    Written through the store's QGIS layer (the provider of the store: ``ogr``
    for a GeoPackage, ``postgres`` for PostGIS, whose triggers tell the other
    workstations); the fields the store has no column for (attachments,
    similar_ids) are not kept there.
    """

    aliases = {"band_low": "predicted_low", "band_high": "predicted_high"}
    utc_digits = True

    def __init__(self, store):
        super().__init__(store.path or store.target, "events", crs=store.crs)
        self.store = store
        self.provider = store.provider
        self._writers: Dict[str, QgsVectorLayer] = {}

    @property
    def uri(self) -> str:
        return self.store.uri("events", status="planned")

    def display_uri(self, geometry_type: str) -> str:
        return self.store.uri("events", geometry_type=geometry_type, status="planned")

    def writer_for(self, geometry: Optional[QgsGeometry]) -> QgsVectorLayer:
        """A layer of the geometry's own type: PostGIS layers on a mixed table are typed, and
        a point written through a GeometryCollection layer would be stored as a collection."""
        if geometry is None or geometry.isEmpty():
            return self.open()
        wkb = {0: "Point", 1: "LineString", 2: "Polygon"}.get(int(geometry.type()))
        if wkb is None:
            return self.open()
        layer = self._writers.get(wkb)
        if layer is None or not layer.isValid():
            layer = QgsVectorLayer(self.display_uri(wkb), self.group_name, self.provider)
            if not layer.isValid():
                raise IOError(tr("Cannot open the planned events of the store {}").format(self.store.target))
            self._writers[wkb] = layer
        return layer

    def layers(self) -> List[QgsVectorLayer]:
        """One layer per geometry type: a PostGIS layer on a mixed table only shows its own type."""
        return [self.writer_for(g) for g in (_POINT, _LINE, _POLYGON)]

    def close(self) -> None:
        self._writers = {}
        super().close()

    def _display_layer(self, geometry_type: str, name: str) -> Optional[QgsVectorLayer]:
        """The store's layer (on PostGIS it redraws when another workstation changes it)."""
        from tranquillite_plugin.store.qgis_store import store_layer

        try:
            return store_layer(self.store, "planned", name, geometry_type=geometry_type)
        except IOError:
            return None

    def open(self) -> QgsVectorLayer:
        if self.data_layer is not None and self.data_layer.isValid():
            return self.data_layer
        layer = QgsVectorLayer(self.uri, self.group_name, self.provider)
        if not layer.isValid():
            raise IOError(tr("Cannot open the planned events of the store {}").format(self.store.target))
        self.data_layer = layer
        return layer
