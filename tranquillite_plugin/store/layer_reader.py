"""Reading any layer into a :class:`~tranquillite_plugin.core.contract.RawLayer`.

Two paths, one result:

* files GDAL opens (GeoPackage, GeoJSON, Shapefile, CSV, ...) are read in bulk
  through ``osgeo.ogr``'s Arrow stream: columns arrive as numpy arrays, points
  as fixed-size WKB decoded with numpy, so two million facts read in about a
  second instead of minutes of per-feature Python;
* any other QGIS layer (PostGIS, memory, WFS, ...) is read with
  ``getFeatures``, asking only for the attributes it needs.

Datetimes come from the Arrow stream as int64 wall-clock milliseconds. GDAL
3.6's stream drops offsets, so which values are exact is decided per layer
and per field (:func:`datetime_encodings`): in a GeoPackage or SQLite file one
SQL aggregate tells whether the texts are all UTC (``...Z``), all without a
zone (local time Europe/Paris, or UTC in the observatory store, whose
convention it is), or carry offsets. Only the last (and datetime fields of
other formats, e.g. GeoJSON with offsets) take the text path: the values are
read as text and parsed by the core, which knows the Europe/Paris rules.
"""

from __future__ import annotations

import os
from typing import Iterable, List, Optional, Sequence

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.contract import RawLayer
from tranquillite_plugin.core.timeutil import from_epoch_us, localize_naive
from tranquillite_plugin.store.gdal_calls import GdalError, batches, call

NAT = np.iinfo(np.int64).min

_SQL_DRIVERS = {"GPKG", "SQLite"}


class LayerReadError(IOError):
    """A layer cannot be opened or read."""


def _ogr():
    from osgeo import ogr

    return ogr


def crs_of_srs(srs) -> Optional[str]:
    """An osr.SpatialReference -> 'EPSG:2154', or WKT when it has no authority."""
    if srs is None:
        return None
    srs = srs.Clone()
    try:
        call(srs.AutoIdentifyEPSG)
    except GdalError:  # not identifiable: keep the WKT
        pass
    name, code = srs.GetAuthorityName(None), srs.GetAuthorityCode(None)
    if name and code:
        return f"{name}:{code}"
    return srs.ExportToWkt() or None


def list_layers(path: str) -> List[str]:
    ogr = _ogr()
    try:
        ds = call(ogr.Open, path)
    except GdalError as err:
        raise LayerReadError(f"cannot open '{path}': {err}") from None
    return [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]


def _decode_column(values) -> np.ndarray:
    """A column from the Arrow stream -> numpy (object for text, float for masked numbers)."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.ma.getdata(values)
    if data.dtype.kind == "S":
        # codes, categories, services: few distinct values, each decoded once
        codes, uniques = pd.factorize(data)
        out = np.array([u.decode("utf-8") for u in uniques], dtype=object)[codes] if len(data) else np.zeros(0, object)
        if mask is not None:
            out[mask] = None
        return out
    if data.dtype.kind == "O":
        out = np.array([v.decode("utf-8") if isinstance(v, bytes) else v for v in data], dtype=object)
        if mask is not None:
            out[mask] = None
        return out
    if mask is not None and mask.any():
        if data.dtype.kind in "iufb":
            out = data.astype(float)
            out[mask] = np.nan
            return out
        out = data.astype(object)
        out[mask] = None
        return out
    return data


def points_from_wkb(wkb: np.ndarray) -> np.ndarray:
    """WKB of points -> (n, 2) float array; NaN for empty or missing points."""
    n = len(wkb)
    xy = np.full((n, 2), np.nan)
    if n == 0:
        return xy
    if wkb.dtype.kind == "V" and wkb.dtype.itemsize == 21:
        raw = np.frombuffer(wkb.tobytes(), dtype=np.uint8).reshape(n, 21)
        little_point = (raw[:, 0] == 1) & (raw[:, 1] == 1) & (raw[:, 2:5] == 0).all(axis=1)
        coords = np.frombuffer(raw[:, 5:21].tobytes(), dtype="<f8").reshape(n, 2)
        xy[little_point] = coords[little_point]
        rest = np.flatnonzero(~little_point)
        if len(rest):
            xy[rest] = _xy_of_geoms(shapely.from_wkb([bytes(w) for w in wkb[rest]], on_invalid="ignore"))
        return xy
    geoms = np.array([None if w is None else shapely.from_wkb(bytes(w), on_invalid="ignore") for w in wkb], dtype=object)
    return _xy_of_geoms(geoms)


def _xy_of_geoms(geoms) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object)
    xy = np.full((len(geoms), 2), np.nan)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) & (shapely.get_type_id(geoms) == 0)
    xy[ok, 0] = shapely.get_x(geoms[ok])
    xy[ok, 1] = shapely.get_y(geoms[ok])
    # multi-part and other geometry types stay NaN here; read_ogr keeps them as geometry
    return xy


def read_ogr(
    path: str,
    layer_name: Optional[str] = None,
    subset: Optional[str] = None,
    name: Optional[str] = None,
    fields: Optional[Iterable[str]] = None,
    points_as_xy: bool = False,
    naive_utc: bool = False,
    bbox: Optional[Sequence[float]] = None,
    datetime_path: str = "auto",
) -> RawLayer:
    """Reads a GDAL vector layer in bulk.

    ``fields`` limits the attributes read (case-insensitive); ``points_as_xy``
    returns point geometry as an (n, 2) array (fast path for facts) when every
    geometry is a single point, else as shapely geometries. Datetimes without
    a zone are local time Europe/Paris (the contract), or UTC with
    ``naive_utc`` (the observatory store's convention: QGIS 3.22 writes a
    form's UTC value without its 'Z'). Datetime columns come back tz-aware.
    ``bbox`` (minx, miny, maxx, maxy in the layer's CRS) keeps the features whose
    geometry's box meets it (the layer's spatial index does the work).
    ``datetime_path="text"`` reads every datetime as text (benchmarks compare the paths).
    """
    ogr = _ogr()
    if not os.path.exists(path) and not path.startswith(("/vsi", "PG:")):
        raise LayerReadError(f"file '{path}' does not exist")
    return _read_ogr(ogr, path, layer_name, subset, name, fields, points_as_xy, naive_utc, bbox, datetime_path)


def _read_ogr(ogr, path, layer_name, subset, name, fields, points_as_xy, naive_utc=False, bbox=None, datetime_path="auto") -> RawLayer:
    try:
        ds = call(ogr.Open, path)
    except GdalError as err:
        raise LayerReadError(f"cannot open '{path}': {err}") from None
    lyr = call(ds.GetLayerByName, layer_name, allow_none=True) if layer_name else call(ds.GetLayer, 0, allow_none=True)
    if lyr is None:
        raise LayerReadError(f"'{path}' has no layer '{layer_name}' (layers: {', '.join(list_layers(path))})")
    label = name or lyr.GetName()
    if subset:
        call(lyr.SetAttributeFilter, subset)

        def first() -> None:  # GDAL 3.6 may stream in a thread of its own: a bad filter must fail here
            lyr.GetNextFeature()
            lyr.ResetReading()

        call(first, allow_none=True)
    if bbox is not None:
        lyr.SetSpatialFilterRect(*(float(v) for v in bbox))
    defn = lyr.GetLayerDefn()
    all_fields = [defn.GetFieldDefn(i) for i in range(defn.GetFieldCount())]
    wanted = None if fields is None else {f.lower() for f in fields}
    keep = [f for f in all_fields if wanted is None or f.GetName().lower() in wanted]
    dt_types = (ogr.OFTDateTime, ogr.OFTDate, ogr.OFTTime)
    dt_fields = [f.GetName() for f in keep if f.GetType() in dt_types]
    if datetime_path == "text":
        encodings = {f: "text" for f in dt_fields}
    else:  # detected while GDAL streams the layer
        encodings = datetime_encodings(ds, lyr, [f for f in keep if f.GetType() in dt_types], naive_utc, path=path)
    text_fields = [f for f in dt_fields if isinstance(encodings, dict) and encodings[f] == "text"]
    ignored = [f.GetName() for f in all_fields if f not in keep or f.GetName() in text_fields]
    if ignored:
        call(lyr.SetIgnoredFields, ignored)
    fid_name = lyr.GetFIDColumn() or "OGC_FID"
    geom_name = lyr.GetGeometryColumn() or "wkb_geometry"
    columns = {}
    fids: List[np.ndarray] = []
    geoms: List[np.ndarray] = []
    for batch in batches(call(lyr.GetArrowStreamAsNumPy)):
        fids.append(np.asarray(batch.get(fid_name, batch.get("OGC_FID", np.zeros(0, np.int64)))))
        for f in keep:
            if f.GetName() in text_fields:
                continue
            if f.GetName() in dt_fields:
                columns.setdefault(f.GetName(), []).append(_wall_ms(batch[f.GetName()]))
                continue
            columns.setdefault(f.GetName(), []).append(_decode_column(batch[f.GetName()]))
        if geom_name in batch:
            geoms.append(batch[geom_name])
    lyr.SetIgnoredFields([])
    if not isinstance(encodings, dict):
        encodings = encodings.get()
        text_fields = [f for f in dt_fields if encodings[f] == "text"]
    fid = np.concatenate(fids) if fids else np.zeros(0, np.int64)
    attrs = pd.DataFrame({k: np.concatenate(v) for k, v in columns.items() if k not in dt_fields}, index=range(len(fid)))
    for f in dt_fields:
        if encodings[f] != "text":
            ms = np.concatenate(columns[f]) if columns.get(f) else np.zeros(0, np.int64)
            if len(ms) != len(fid):  # an empty layer: no batch
                ms = np.full(len(fid), NAT, np.int64)
            attrs[f] = wall_ms_to_datetimes(ms, utc=encodings[f] == "utc")
    if text_fields:
        texts = _datetime_texts(ds, lyr, text_fields, fid)
        for f in text_fields:
            attrs[f] = texts[f]
    attrs = attrs[[f.GetName() for f in keep]]
    crs = crs_of_srs(lyr.GetSpatialRef())
    wkb = np.concatenate(geoms) if geoms else None
    if wkb is None:
        geometry = np.full(len(fid), None, dtype=object)
        return RawLayer(label, attrs, fid, geometry=geometry, crs=crs)
    is_pointish = ogr.GT_Flatten(lyr.GetGeomType()) == ogr.wkbPoint
    if points_as_xy and is_pointish:
        return RawLayer(label, attrs, fid, xy=points_from_wkb(wkb), crs=crs)
    if np.ma.isMaskedArray(wkb):
        mask = np.ma.getmaskarray(wkb)
        wkb = np.ma.getdata(wkb)
    else:
        mask = np.zeros(len(wkb), bool)
    geometry = np.empty(len(wkb), dtype=object)
    valid = np.flatnonzero(~mask)
    if len(valid):
        geometry[valid] = shapely.from_wkb([bytes(w) for w in wkb[valid]], on_invalid="ignore")
    return RawLayer(label, attrs, fid, geometry=geometry, crs=crs)


def _wall_ms(values) -> np.ndarray:
    """A datetime (or date) column of the Arrow stream -> int64 wall-clock ms, ``NAT`` for NULL."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.ma.getdata(values)
    if data.dtype.kind != "M":
        data = np.asarray(data).astype("datetime64[ms]")
    ms = data.astype("datetime64[ms]").view(np.int64).copy()
    if mask is not None and mask.any():
        ms[mask] = NAT
    return ms


def wall_ms_to_datetimes(ms: np.ndarray, utc: bool) -> pd.Series:
    """Wall-clock ms (UTC's, or Europe/Paris's) -> tz-aware Europe/Paris series, vectorised."""
    ms = np.asarray(ms, np.int64)
    missing = ms == NAT
    if utc:
        us = np.where(missing, NAT, ms * 1000)
        return from_epoch_us(us)
    wall = pd.Series(np.where(missing, NAT, ms * 1000).view("datetime64[us]"))
    return localize_naive(wall)


def _probe_sql(table: str, names: Sequence[str]) -> str:
    """One scan for every datetime column: per column, values, values ending in 'Z', values with an offset
    (a sign 6, 5 or 3 characters from the end: +HH:MM, +HHMM, +HH) or stored as something else than text.
    A date alone ('2026-07-14') looks like '-14': it takes the text path, still exact."""
    parts = []
    for name in names:
        col = _quote_ident(name)
        tail = f"substr({col}, -6, 1) IN ('+', '-') OR substr({col}, -5, 1) IN ('+', '-') OR substr({col}, -3, 1) IN ('+', '-')"
        parts.append(
            f"count({col}), sum(substr({col}, -1) IN ('Z', 'z')), sum(typeof({col}) NOT IN ('text', 'null') OR {tail})"
        )
    return f"SELECT {', '.join(parts)} FROM {_quote_ident(table)}"


def _classify(n: int, n_z: int, n_other: int, naive_utc: bool) -> str:
    if n_other:
        return "text"
    if n_z == n or naive_utc:
        return "utc"
    return "local" if n_z == 0 else "text"


#: probe results by (file, size, modification time, table, columns): a file that changed is probed again
_PROBED: dict = {}


def _probe_key(path: str, table: str, names: Sequence[str], naive_utc: bool):
    st = os.stat(path)
    wal = path + "-wal"
    wal_state = (os.stat(wal).st_size, os.stat(wal).st_mtime_ns) if os.path.exists(wal) else None
    return (os.path.abspath(path), st.st_size, st.st_mtime_ns, wal_state, table, tuple(names), naive_utc)


class _Probe:
    """:func:`datetime_encodings` of a GeoPackage / SQLite file, run by SQLite in a thread while
    GDAL streams the layer (both release the GIL): the scan costs little wall time."""

    def __init__(self, path: str, table: str, names: Sequence[str], naive_utc: bool, key=None):
        import threading

        self._key = key
        self.names = list(names)
        self.naive_utc = naive_utc
        self.result: Optional[dict] = None
        self._sql = _probe_sql(table, self.names)
        self._path = path
        self._thread = threading.Thread(target=self._run, name="tq-datetime-probe", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import sqlite3

        try:
            conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, timeout=30)
            try:
                row = conn.execute(self._sql).fetchone()
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 - unreadable here: the text path is always right
            return
        vals = [int(v or 0) for v in row]
        self.result = {
            name: _classify(vals[3 * k], vals[3 * k + 1], vals[3 * k + 2], self.naive_utc) for k, name in enumerate(self.names)
        }
        if self._key is not None:
            if len(_PROBED) > 256:
                _PROBED.clear()
            _PROBED[self._key] = dict(self.result)

    def get(self) -> dict:
        self._thread.join()
        return self.result or {name: "text" for name in self.names}


def datetime_encodings(ds, lyr, field_defns, naive_utc: bool = False, path: Optional[str] = None):
    """How each datetime field of the layer is read: 'utc', 'local' (Arrow int64) or 'text'.

    GeoPackage / SQLite: one aggregate over the stored texts (the whole table,
    not a subset: a property of the column holds for any subset). Every value
    ends in 'Z' -> 'utc'; none has a zone -> 'local' (or 'utc' with
    ``naive_utc``); any offset, a value that is not text, or (outside the
    store) 'Z' mixed with zone-less values -> 'text'. Other formats: dates are
    exact in Arrow ('local'), datetimes and times take the text path.

    With the ``path`` of a local file the aggregate runs in a thread: the
    return value is then a :class:`_Probe` (``.get()`` waits for the dict).
    """
    ogr = _ogr()
    out = {}
    driver = ds.GetDriver().GetName()
    table = lyr.GetName()
    probed = []
    for fd in field_defns:
        name = fd.GetName()
        if fd.GetType() == ogr.OFTDate:
            out[name] = "local"
        elif fd.GetType() != ogr.OFTDateTime or driver not in _SQL_DRIVERS:
            out[name] = "text"
        else:
            probed.append(name)
    if not probed:
        return out
    if path is not None and os.path.isfile(path):
        key = _probe_key(path, table, probed, naive_utc)
        if key in _PROBED:  # the same file, unchanged: windowed reads scan the column once
            return {**out, **_PROBED[key]}
        probe = _Probe(path, table, probed, naive_utc, key)

        class _Joined:
            def get(self_inner) -> dict:
                return {**out, **probe.get()}

        return _Joined()
    try:
        result = call(ds.ExecuteSQL, _probe_sql(table, probed), dialect="SQLITE" if driver == "SQLite" else "")
    except GdalError:
        result = None
    if result is None:
        out.update({name: "text" for name in probed})
        return out
    try:
        feat = result.GetNextFeature()
        vals = [int(feat.GetFieldAsInteger64(i)) if feat.IsFieldSetAndNotNull(i) else 0 for i in range(3 * len(probed))]
    finally:
        ds.ReleaseResultSet(result)
    for k, name in enumerate(probed):
        out[name] = _classify(vals[3 * k], vals[3 * k + 1], vals[3 * k + 2], naive_utc)
    return out


def column_encoding(path: str, layer_name: Optional[str], field: str) -> Optional[str]:
    """:func:`datetime_encodings` of one field of a file layer ('utc', 'local', 'text'), None if absent."""
    ogr = _ogr()
    try:
        ds = call(ogr.Open, path)
    except GdalError:
        return None
    lyr = call(ds.GetLayerByName, layer_name, allow_none=True) if layer_name else call(ds.GetLayer, 0, allow_none=True)
    if lyr is None:
        return None
    defn = lyr.GetLayerDefn()
    i = defn.GetFieldIndex(field)
    if i < 0:
        return None
    found = datetime_encodings(ds, lyr, [defn.GetFieldDefn(i)])
    return found.get(field) if isinstance(found, dict) else found.get().get(field)


def _quote_ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _datetime_texts(ds, lyr, dt_fields: Sequence[str], fid: np.ndarray) -> dict:
    """Datetime fields as text with their offsets, aligned on ``fid`` (the layer's filtered features).

    GeoPackage / SQLite: one SQL cast of the whole column (identifiers quoted,
    no user text in the statement), aligned on ``fid``. Other formats: the
    layer's own features (its filter applies), datetime fields only.
    """
    driver = ds.GetDriver().GetName()
    fid_name = lyr.GetFIDColumn()
    if driver in _SQL_DRIVERS and fid_name:
        casts = ", ".join(f"CAST({_quote_ident(f)} AS TEXT) AS {_quote_ident(f)}" for f in dt_fields)
        sql = f"SELECT {_quote_ident(fid_name)} AS tq_fid, {casts} FROM {_quote_ident(lyr.GetName())}"
        result = call(ds.ExecuteSQL, sql)
        try:
            parts = {f: [] for f in dt_fields}
            ids = []
            for batch in batches(call(result.GetArrowStreamAsNumPy)):
                ids.append(np.asarray(batch["tq_fid"]))
                for f in dt_fields:
                    parts[f].append(_decode_column(batch[f]))
        finally:
            ds.ReleaseResultSet(result)
        got = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        out = {}
        for f in dt_fields:
            values = np.concatenate(parts[f]) if parts[f] else np.zeros(0, dtype=object)
            out[f] = values if np.array_equal(got, fid) else pd.Series(values, index=got).reindex(fid).to_numpy(object)
        return out
    defn = lyr.GetLayerDefn()
    index = [defn.GetFieldIndex(f) for f in dt_fields]
    keep = set(dt_fields)
    lyr.SetIgnoredFields([defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount()) if defn.GetFieldDefn(i).GetName() not in keep] + ["OGR_GEOMETRY"])
    lyr.ResetReading()
    ids, values = [], {f: [] for f in dt_fields}
    for feat in lyr:
        ids.append(feat.GetFID())
        for f, i in zip(dt_fields, index):
            values[f].append(_ogr_text_to_iso(feat.GetFieldAsString(i)) if feat.IsFieldSetAndNotNull(i) else None)
    lyr.SetIgnoredFields([])
    lyr.ResetReading()
    got = np.asarray(ids, np.int64)
    out = {}
    for f in dt_fields:
        v = np.array(values[f], dtype=object)
        out[f] = v if np.array_equal(got, fid) else pd.Series(v, index=got).reindex(fid).to_numpy(object)
    return out


def _ogr_text_to_iso(value):
    """OGR SQL's '2024/05/01 10:00:00+00' -> '2024-05-01 10:00:00+00:00'."""
    if value is None or value == "":
        return None
    text = str(value).strip().replace("/", "-")
    if len(text) >= 3 and text[-3] in "+-" and text[-2:].isdigit() and ":" in text[:-3]:
        text = text + ":00"
    return text


def reproject(raw: RawLayer, target_crs: str) -> RawLayer:
    """The layer's geometry in ``target_crs`` (no-op when it already is)."""
    if not raw.crs or not target_crs or raw.crs == target_crs:
        return raw
    from osgeo import osr

    src = osr.SpatialReference()
    call(src.SetFromUserInput, raw.crs)
    dst = osr.SpatialReference()
    call(dst.SetFromUserInput, target_crs)
    if src.IsSame(dst):
        raw.crs = target_crs
        return raw
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = call(osr.CoordinateTransformation, src, dst)

    def transform(coords: np.ndarray) -> np.ndarray:
        if len(coords) == 0:
            return coords
        out = np.asarray(call(ct.TransformPoints, coords[:, :2].tolist()), dtype=float)
        return out[:, :2]

    if raw.xy is not None:
        xy = np.asarray(raw.xy, float).copy()
        ok = np.isfinite(xy).all(axis=1)
        xy[ok] = transform(xy[ok])
        return RawLayer(raw.name, raw.attributes, raw.fids, xy=xy, crs=target_crs)
    geoms = np.asarray(raw.geometry, dtype=object)
    present = ~shapely.is_missing(geoms)
    out = geoms.copy()
    if present.any():
        out[present] = shapely.transform(geoms[present], transform)
    return RawLayer(raw.name, raw.attributes, raw.fids, geometry=out, crs=target_crs)
