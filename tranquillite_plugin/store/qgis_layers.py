"""QGIS layers <-> the core's frames.

Reading takes the bulk OGR path for any layer of the ``ogr`` provider (file
formats) and ``getFeatures`` for every other provider, so that a PostGIS,
memory or WFS layer works too. Geometry is brought into the working CRS.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Iterable, Optional

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsFeatureRequest,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant

from tranquillite_plugin.core.contract import DEFAULT_CRS, RawLayer
from tranquillite_plugin.store.layer_reader import read_ogr, reproject


def layer_crs(layer: QgsVectorLayer) -> Optional[str]:
    crs = layer.crs()
    if not crs.isValid():
        return None
    return crs.authid() or crs.toWkt()


def with_provider_crs(layer: Optional[QgsVectorLayer]) -> Optional[QgsVectorLayer]:
    """The layer, given its provider's CRS when the layer itself has none.

    QGIS treats a ``GeometryCollection`` layer (every event of a PostGIS
    store at once: points, itineraries and areas in one table) as having no
    geometry type, and leaves its CRS unset although the provider knows it.
    """
    if layer is None or not layer.isValid() or layer.crs().isValid():
        return layer
    provider = layer.dataProvider()
    if provider is not None and provider.crs().isValid():
        layer.setCrs(provider.crs())
    return layer


def ogr_source(layer: QgsVectorLayer):
    """(path, layer name, subset) of an ``ogr`` layer, or None for other providers."""
    if layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not path:
        return None
    name = parts.get("layerName") or None
    if not name and parts.get("layerId") not in (None, ""):
        name = None  # layer index: let read_ogr take the first layer only when it is 0
        if int(parts.get("layerId")) != 0:
            return None
    return path, name, layer.subsetString() or parts.get("subset") or None


def to_python(value):
    """A QVariant-ish attribute -> a plain Python value (None for NULL)."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else to_python(value.value())
    if isinstance(value, QDateTime):
        if not value.isValid():
            return None
        py = value.toPyDateTime()
        spec = value.timeSpec()
        if spec == 1:  # Qt.UTC
            return py.replace(tzinfo=_dt.timezone.utc)
        if spec == 2:  # Qt.OffsetFromUTC
            return py.replace(tzinfo=_dt.timezone(_dt.timedelta(seconds=value.offsetFromUtc())))
        return py
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, QTime):
        return value.toString("HH:mm:ss") if value.isValid() else None
    return value


def read_layer(
    layer: QgsVectorLayer,
    working_crs: str = DEFAULT_CRS,
    fields: Optional[Iterable[str]] = None,
    points_as_xy: bool = False,
    name: Optional[str] = None,
    feedback=None,
) -> RawLayer:
    """Any vector layer -> RawLayer in the working CRS."""
    if layer is None or not layer.isValid():
        raise IOError(f"layer '{getattr(layer, 'name', lambda: '?')()}' is not valid")
    label = name or layer.name()
    src = ogr_source(layer)
    if src is not None:
        path, layer_name, subset = src
        if name is None and layer_name and label == os.path.splitext(os.path.basename(path))[0]:
            label = layer_name  # Processing names a layer after its file: the table says more
        raw = read_ogr(path, layer_name, subset, name=label, fields=fields, points_as_xy=points_as_xy)
        raw.crs = layer_crs(layer) or raw.crs
    elif layer.providerType() == "postgres" and _fids_are_keys(layer):
        raw = _read_postgres(layer, label, fields, points_as_xy, feedback)
    else:
        raw = _read_features(layer, label, fields, points_as_xy, feedback)
    return reproject(raw, working_crs) if raw.crs else raw


def _fids_are_keys(layer) -> bool:
    """True when QGIS's feature ids of a PostGIS layer are its key's values (a single int4 key).

    For an int8 key QGIS 3.22 numbers the features itself, in the order it meets them: ids a
    COPY cannot know, and that the algorithms need to write results back onto features.
    """
    from qgis.core import QgsDataSourceUri

    key = QgsDataSourceUri(layer.source()).keyColumn().strip('"')
    idx = layer.fields().indexOf(key) if key and "," not in key else -1
    return idx >= 0 and layer.fields().field(idx).typeName().lower() in ("int4", "integer", "serial")


def _read_postgres(layer, label, fields, points_as_xy, feedback) -> RawLayer:
    """PostGIS: one COPY stream (store.pg_reader); the provider's features if that cannot run."""
    from tranquillite_plugin.store.pg_reader import read_postgres_layer

    point_layer = QgsWkbTypes.flatType(layer.wkbType()) == QgsWkbTypes.Point
    try:
        return read_postgres_layer(layer, fields, points_as_xy and point_layer, label, layer_crs(layer))
    except Exception as err:  # noqa: BLE001 - no psycopg2, a view without a key...: the slow path is still right
        from tranquillite_plugin.logger import warning

        warning(f"layer '{label}': bulk PostGIS read failed ({err}); reading feature by feature")
        return _read_features(layer, label, fields, points_as_xy, feedback)


def _read_features(layer, label, fields, points_as_xy, feedback) -> RawLayer:
    names = [f.name() for f in layer.fields()]
    if fields is not None:
        wanted = {f.lower() for f in fields}
        names = [n for n in names if n.lower() in wanted]
    request = QgsFeatureRequest()
    request.setSubsetOfAttributes(names, layer.fields())
    columns = {name: [] for name in names}
    fids, wkbs = [], []
    for i, feat in enumerate(layer.getFeatures(request)):
        if feedback is not None and i % 10000 == 0 and feedback.isCanceled():
            break
        fids.append(feat.id())
        for name in names:
            columns[name].append(to_python(feat[name]))
        geom = feat.geometry()
        wkbs.append(None if geom is None or geom.isNull() else bytes(geom.asWkb()))
    attrs = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()}, index=range(len(fids)))
    geometry = np.empty(len(wkbs), dtype=object)
    present = [i for i, w in enumerate(wkbs) if w is not None]
    if present:
        geometry[present] = shapely.from_wkb([wkbs[i] for i in present], on_invalid="ignore")
    crs = layer_crs(layer)
    if points_as_xy and QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PointGeometry:
        xy = np.full((len(geometry), 2), np.nan)
        ok = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry)) & (shapely.get_type_id(geometry) == 0)
        xy[ok, 0] = shapely.get_x(geometry[ok])
        xy[ok, 1] = shapely.get_y(geometry[ok])
        if not (ok | shapely.is_missing(geometry) | shapely.is_empty(geometry)).all():
            return RawLayer(label, attrs, np.asarray(fids), geometry=geometry, crs=crs)
        return RawLayer(label, attrs, np.asarray(fids), xy=xy, crs=crs)
    return RawLayer(label, attrs, np.asarray(fids), geometry=geometry, crs=crs)
