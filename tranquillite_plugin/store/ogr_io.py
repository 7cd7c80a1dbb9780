"""Writing clean frames to a GeoPackage, fast and all-or-nothing.

:func:`write_layer` / :func:`write_layers` take frames with the contract's
columns (``core.contract.SPECS``: points as ``x``/``y`` columns, other
geometries as shapely objects in ``geometry``) and write them as GeoPackage
layers, in three steps:

1. **OGR creates each layer** under a temporary name (``<name>__tq_tmp``):
   ``gpkg_contents``, ``gpkg_geometry_columns``, the CRS in
   ``gpkg_spatial_ref_sys``, field types, the feature-count triggers and an
   empty R-tree spatial index are exactly what GDAL makes;
2. **Python's sqlite3 fills them in one transaction**: rows go in with
   ``executemany`` as GeoPackage geometry blobs (GP header + little-endian
   WKB, built with numpy: no per-feature Python object for points), and the
   R-tree is bulk-loaded (sort-tile-recursive packing written straight into
   its node tables, as GDAL ≥ 3.7 does) instead of inserting 2 million
   entries one by one (GDAL 3.6's ``CreateSpatialIndex`` took over a minute
   for 2 million points); the extent and feature count are set;
3. **OGR swaps them in, in one transaction**: the old layer of that name is
   deleted (``overwrite``) and the temporary layer renamed.

If anything fails, the temporary layers are removed, a file this call
created is deleted, and layers that existed before are untouched: a call
writes all its layers or none.

Datetimes are written as the GeoPackage standard says: UTC, to the millisecond,
``2026-07-14T20:30:00.000Z``. GDAL, QGIS and any other reader get the exact
instant without a warning; the plugin shows them in Europe/Paris time
(``store.qgis_time``: field formatter, form widget, temporal expressions).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.contract import DEFAULT_CRS, SPECS
from tranquillite_plugin.core.timeutil import parse_datetimes, to_epoch_us
from tranquillite_plugin.store.gdal_calls import call

FID_COLUMN = "fid"
GEOMETRY_COLUMN = "geom"
TMP_SUFFIX = "__tq_tmp"
_RESERVED = {"fid", "x", "y", "geometry"}


class LayerWriteError(IOError):
    """A layer cannot be written (bad frame, file not writable, ...)."""


def _ogr():
    from osgeo import ogr, osr

    return ogr, osr


# --- preparing a frame (pure numpy, before the file is touched) --------------------


@dataclass
class _Field:
    name: str
    type: str  # text, int, float, datetime
    values: list  # Python values (None for NULL), ready for sqlite3


@dataclass
class _Prepared:
    name: str
    kind: str
    n: int
    fids: np.ndarray
    fields: List[_Field]
    geom_type: str  # OGR geometry type name: Point, MultiPolygon, Unknown, ...
    xy: Optional[np.ndarray]  # points: (n, 2)
    geoms: Optional[np.ndarray]  # others: shapely
    bounds: Optional[np.ndarray]  # (n, 4) minx, miny, maxx, maxy; NaN for no geometry

    @property
    def tmp(self) -> str:
        return self.name + TMP_SUFFIX


def _ogr_type(kind_type: str):
    ogr, _ = _ogr()
    return {"text": ogr.OFTString, "int": ogr.OFTInteger64, "float": ogr.OFTReal, "datetime": ogr.OFTDateTime}[kind_type]


def _infer_type(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        return "datetime"
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    return "text"


def _text_values(series: pd.Series) -> list:
    obj = series.astype(object).to_numpy()
    missing = pd.isna(obj)
    out = obj.copy()
    if missing.any():
        out[missing] = None
    need = ~missing & np.array([not isinstance(v, str) for v in obj], dtype=bool) if len(obj) else missing
    for i in np.flatnonzero(need):
        out[i] = str(obj[i])
    return out.tolist()


def _number_values(series: pd.Series, kind_type: str, layer: str, column: str) -> list:
    if kind_type == "int" and pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
        return series.to_numpy(np.int64).tolist()
    nums = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(nums) & ~series.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise LayerWriteError(f"layer '{layer}', column '{column}': {series.iloc[i]!r} is not a number")
    missing = np.isnan(nums)
    if kind_type == "int":
        frac = ~missing & (nums != np.round(nums))
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise LayerWriteError(f"layer '{layer}', column '{column}': {series.iloc[i]!r} is not a whole number")
        out = np.where(missing, 0, nums).astype(np.int64).astype(object)
    else:
        out = nums.astype(object)
    if missing.any():
        out[missing] = None
    return out.tolist()


def _civil(days: np.ndarray):
    """Days since 1970-01-01 -> (year, month, day), proleptic Gregorian (H. Hinnant)."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (m <= 2)
    return y, m, d


def format_datetimes(series) -> list:
    """tz-aware datetimes -> 'YYYY-MM-DDTHH:MM:SS.mmmZ' in UTC (None for NaT).

    Milliseconds, as GDAL writes them (finer digits are dropped, towards the
    past: the text never names a later instant than the value). Vectorised:
    digits are written into a byte matrix, no per-value strftime.
    """
    s = pd.Series(series).reset_index(drop=True)
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        s, _bad = parse_datetimes(s)
    n = len(s)
    if n == 0:
        return []
    missing = s.isna().to_numpy()
    return utc_texts(np.where(missing, NAT, to_epoch_us(s)))


NAT = np.iinfo(np.int64).min


def utc_texts(us: np.ndarray) -> list:
    """int64 µs since the epoch (``NAT`` for NULL) -> ISO 8601 UTC texts with 'Z' (None for NULL)."""
    us = np.asarray(us, np.int64)
    n = len(us)
    if n == 0:
        return []
    missing = us == NAT
    utc = np.where(missing, 0, us)
    ms_total = np.floor_divide(utc, 1000)
    days = np.floor_divide(ms_total, 86_400_000)
    ms_day = ms_total - days * 86_400_000
    y, mo, d = _civil(days)
    hh = ms_day // 3_600_000
    mi = (ms_day // 60_000) % 60
    ss = (ms_day // 1000) % 60
    ms = ms_day % 1000
    out = np.empty((n, 24), np.uint8)

    def put(col: int, values: np.ndarray, width: int) -> None:
        v = np.asarray(values, np.int64)
        for k in range(width - 1, -1, -1):
            out[:, col + k] = 48 + (v % 10)
            v = v // 10

    put(0, y, 4)
    out[:, 4] = ord("-")
    put(5, mo, 2)
    out[:, 7] = ord("-")
    put(8, d, 2)
    out[:, 10] = ord("T")
    put(11, hh, 2)
    out[:, 13] = ord(":")
    put(14, mi, 2)
    out[:, 16] = ord(":")
    put(17, ss, 2)
    out[:, 19] = ord(".")
    put(20, ms, 3)
    out[:, 23] = ord("Z")
    texts = out.view("S24").ravel().astype("U24").astype(object)
    if missing.any():
        texts[missing] = None
    return texts.tolist()


_FAMILIES = {
    frozenset({0}): "Point", frozenset({4}): "MultiPoint", frozenset({0, 4}): "MultiPoint",
    frozenset({1}): "LineString", frozenset({5}): "MultiLineString", frozenset({1, 5}): "MultiLineString",
    frozenset({3}): "Polygon", frozenset({6}): "MultiPolygon", frozenset({3, 6}): "MultiPolygon",
}


def _prepare(name: str, kind: str, frame: pd.DataFrame) -> _Prepared:
    if kind not in SPECS:
        raise LayerWriteError(f"layer '{name}': unknown kind '{kind}' (one of {', '.join(SPECS)})")
    if not isinstance(frame, pd.DataFrame):
        raise LayerWriteError(f"layer '{name}': expected a DataFrame, got {type(frame).__name__}")
    if not name or name.endswith(TMP_SUFFIX):
        raise LayerWriteError(f"invalid layer name '{name}'")
    spec = SPECS[kind]
    frame = frame.reset_index(drop=True)
    n = len(frame)
    lower = {}
    for col in frame.columns:
        key = str(col).lower()
        if key in lower:
            raise LayerWriteError(f"layer '{name}': columns '{lower[key]}' and '{col}' differ only by case")
        lower[key] = col
    for f in spec.fields:
        if f.required and f.name not in frame.columns:
            raise LayerWriteError(f"layer '{name}' ({kind}): the frame has no column '{f.name}'")
    if GEOMETRY_COLUMN in lower:
        raise LayerWriteError(f"layer '{name}': column name '{GEOMETRY_COLUMN}' is reserved for the geometry")

    # feature ids: the frame's own when they are unique positive integers
    fids = np.arange(1, n + 1, dtype=np.int64)
    if FID_COLUMN in frame.columns and n:
        raw = pd.to_numeric(frame[FID_COLUMN], errors="coerce").to_numpy(float)
        if np.isfinite(raw).all() and (raw >= 1).all() and (raw == np.round(raw)).all() and len(np.unique(raw)) == n:
            fids = raw.astype(np.int64)

    fields: List[_Field] = []
    specified = [f.name for f in spec.fields if f.name in frame.columns]
    extras = [c for c in frame.columns if str(c).lower() not in _RESERVED and c not in specified]
    for col in specified + extras:
        ftype = spec.field(col).type if col in specified else _infer_type(frame[col])
        series = frame[col]
        if ftype == "text":
            values = _text_values(series)
        elif ftype in ("int", "float"):
            values = _number_values(series, ftype, name, col)
        else:
            parsed, bad = parse_datetimes(series)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise LayerWriteError(f"layer '{name}', column '{col}': cannot read {series.iloc[i]!r} as a date and time")
            values = format_datetimes(parsed)
        fields.append(_Field(str(col), ftype, values))

    xy = geoms = None
    if spec.geometry == "point" and "x" in frame.columns and "y" in frame.columns:
        xy = np.column_stack([frame["x"].to_numpy(float), frame["y"].to_numpy(float)]) if n else np.zeros((0, 2))
        ok = np.isfinite(xy).all(axis=1)
        bounds = np.full((n, 4), np.nan)
        bounds[ok] = np.column_stack([xy[ok], xy[ok]])
        geom_type = "Point"
    elif "geometry" in frame.columns:
        geoms = np.asarray(frame["geometry"].to_numpy(object), dtype=object)
        notgeom = np.array([g is not None and not isinstance(g, shapely.Geometry) for g in geoms], dtype=bool)
        if notgeom.any():
            i = int(np.flatnonzero(notgeom)[0])
            raise LayerWriteError(f"layer '{name}', feature {fids[i]}: geometry {geoms[i]!r} is not a shapely geometry")
        present = ~shapely.is_missing(geoms)
        present[present] = ~shapely.is_empty(geoms[present])
        types = frozenset(int(t) for t in np.unique(shapely.get_type_id(geoms[present])))
        geom_type = _FAMILIES.get(types, "Unknown") if types else {"point": "Point", "line": "LineString", "polygon": "Polygon"}.get(spec.geometry, "Unknown")
        if geom_type.startswith("Multi") and len(types) == 2:
            single = present & (shapely.get_type_id(geoms) == min(types))
            promote = {0: shapely.multipoints, 1: shapely.multilinestrings, 3: shapely.multipolygons}[min(types)]
            geoms = geoms.copy()
            geoms[single] = promote(geoms[single], indices=np.arange(int(single.sum())))
        bounds = np.full((n, 4), np.nan)
        if present.any():
            bounds[present] = shapely.bounds(geoms[present])
    else:
        need = "x and y columns" if spec.geometry == "point" else "a 'geometry' column"
        raise LayerWriteError(f"layer '{name}' ({kind}): the frame has no geometry ({need})")
    return _Prepared(name, kind, n, fids, fields, geom_type, xy, geoms, bounds)


# --- GeoPackage geometry blobs --------------------------------------------------------


def point_blobs(xy: np.ndarray, srs_id: int) -> list:
    """GeoPackage blobs of points: 8-byte GP header (no envelope) + 21-byte LE WKB; None for NaN."""
    n = len(xy)
    rec = np.dtype(
        [("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"),
         ("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]
    )
    arr = np.zeros(n, rec)
    arr["magic"] = b"GP"
    arr["flags"] = 0x01  # little-endian, no envelope, not empty
    arr["srs"] = srs_id
    arr["order"] = 1
    arr["type"] = 1
    arr["x"] = xy[:, 0]
    arr["y"] = xy[:, 1]
    buf = arr.tobytes()
    size = rec.itemsize
    blobs = [buf[i : i + size] for i in range(0, len(buf), size)]
    bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    for i in bad:
        blobs[i] = None
    return blobs


def geometry_blobs(geoms: np.ndarray, srs_id: int) -> list:
    """GeoPackage blobs of shapely geometries: GP header with an XY envelope + ISO WKB."""
    n = len(geoms)
    out: List[Optional[bytes]] = [None] * n
    present = np.flatnonzero(~shapely.is_missing(geoms))
    if not len(present):
        return out
    g = geoms[present]
    wkb = shapely.to_wkb(g, output_dimension=2, byte_order=1, flavor="iso")
    empty = shapely.is_empty(g)
    b = shapely.bounds(g)
    rec = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"), ("env", "<f8", 4)])
    head = np.zeros(len(g), rec)
    head["magic"] = b"GP"
    head["flags"] = 0x01 | (1 << 1)  # little-endian, envelope [minx, maxx, miny, maxy]
    head["srs"] = srs_id
    head["env"] = b[:, [0, 2, 1, 3]]
    buf = head.tobytes()
    size = rec.itemsize
    small = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4")])
    for k, i in enumerate(present):
        if empty[k]:
            h = np.zeros(1, small)
            h["magic"] = b"GP"
            h["flags"] = 0x01 | 0x10  # empty, no envelope
            h["srs"] = srs_id
            out[i] = h.tobytes() + wkb[k]
        else:
            out[i] = buf[k * size : (k + 1) * size] + wkb[k]
    return out


# --- R-tree bulk load -------------------------------------------------------------------


_RND_TOWARDS = 1.0 - 1.0 / 8388608.0
_RND_AWAY = 1.0 + 1.0 / 8388608.0


def _f32_down(v: np.ndarray) -> np.ndarray:
    """float32 not above ``v``, exactly as SQLite's rtreeValueDown computes it."""
    v = np.asarray(v, np.float64)
    f = v.astype(np.float32)
    fix = f.astype(np.float64) > v
    f[fix] = (v[fix] * np.where(v[fix] < 0, _RND_AWAY, _RND_TOWARDS)).astype(np.float32)
    return f


def _f32_up(v: np.ndarray) -> np.ndarray:
    """float32 not below ``v``, exactly as SQLite's rtreeValueUp computes it."""
    v = np.asarray(v, np.float64)
    f = v.astype(np.float32)
    fix = f.astype(np.float64) < v
    f[fix] = (v[fix] * np.where(v[fix] < 0, _RND_TOWARDS, _RND_AWAY)).astype(np.float32)
    return f


def rtree_nodes(ids: np.ndarray, bounds: np.ndarray, node_size: int):
    """Sort-tile-recursive packing of an SQLite R*Tree (5 columns: id, minx, maxx, miny, maxy).

    Returns ``(nodes, parents, rowids)``: ``nodes`` a list of (nodeno, blob),
    ``parents`` (nodeno, parentnode) for every non-root node and ``rowids``
    (id, leaf nodeno) for every entry, in the format of SQLite's rtree.c: a
    node is a big-endian 2-byte depth (root only), 2-byte cell count, then
    cells of an 8-byte id and four 4-byte floats, zero-padded to the node
    size. Coordinates are rounded outwards to float32 exactly as rtree.c does.
    """
    cell = 8 + 4 * 4
    max_cells = (node_size - 4) // cell
    rec = np.dtype([("id", ">i8"), ("c", ">f4", 4)])
    lo_x, hi_x = _f32_down(bounds[:, 0]), _f32_up(bounds[:, 2])
    lo_y, hi_y = _f32_down(bounds[:, 1]), _f32_up(bounds[:, 3])
    box = np.column_stack([lo_x, hi_x, lo_y, hi_y]).astype(np.float32)
    entry_ids = np.asarray(ids, np.int64)
    levels = []  # per level: (entry ids, boxes, node index of each entry) bottom-up
    while True:
        m = len(entry_ids)
        n_nodes = max(1, -(-m // max_cells))
        if m:
            cx = (box[:, 0].astype(np.float64) + box[:, 1]) / 2
            cy = (box[:, 2].astype(np.float64) + box[:, 3]) / 2
            slices = max(1, int(np.ceil(np.sqrt(n_nodes))))
            per_slice = slices * max_cells
            by_x = np.argsort(cx, kind="stable")
            slice_of = np.empty(m, np.int64)
            slice_of[by_x] = np.arange(m) // per_slice
            order = np.lexsort((cy, slice_of))
        else:
            order = np.zeros(0, np.int64)
        entry_ids = entry_ids[order]
        box = box[order]
        # nodes fill slice by slice so that no node spans two slices
        if m:
            s_sorted = slice_of[order]
            start_of_slice = np.searchsorted(s_sorted, s_sorted, side="left")
            pos_in_slice = np.arange(m) - start_of_slice
            node_in_slice = pos_in_slice // max_cells
            first_node = np.zeros(int(s_sorted.max()) + 2, np.int64)
            counts = np.bincount(s_sorted)
            nodes_per_slice = -(-counts // max_cells)
            first_node[1:] = np.cumsum(nodes_per_slice)
            node_of = first_node[s_sorted] + node_in_slice
            n_nodes = int(first_node[-1])
        else:
            node_of = np.zeros(0, np.int64)
        levels.append((entry_ids, box, node_of, n_nodes))
        if n_nodes == 1:
            break
        # parent entries: one per node, its bounding box
        starts = np.flatnonzero(np.r_[True, node_of[1:] != node_of[:-1]])
        pbox = np.column_stack(
            [
                np.minimum.reduceat(box[:, 0], starts),
                np.maximum.reduceat(box[:, 1], starts),
                np.minimum.reduceat(box[:, 2], starts),
                np.maximum.reduceat(box[:, 3], starts),
            ]
        ).astype(np.float32)
        entry_ids = np.arange(n_nodes, dtype=np.int64)  # provisional: node index at this level
        box = pbox
    # number the nodes: root 1, then level by level from the top
    depth = len(levels) - 1
    numbering = []
    next_no = 1
    for lev in range(depth, -1, -1):
        count = levels[lev][3]
        numbering.append(np.arange(next_no, next_no + count, dtype=np.int64))
        next_no += count
    numbering = numbering[::-1]  # numbering[lev][node index] = nodeno
    nodes = []
    parents = []
    rowids = None
    for lev, (entry_ids, box, node_of, count) in enumerate(levels):
        nodeno = numbering[lev]
        cells = np.zeros(len(entry_ids), rec)
        cells["id"] = entry_ids if lev == 0 else numbering[lev - 1][entry_ids]
        cells["c"] = box
        per_node = np.bincount(node_of, minlength=count) if len(node_of) else np.zeros(count, np.int64)
        start = np.r_[0, np.cumsum(per_node)[:-1]]
        raw = cells.tobytes()
        for k in range(count):
            header = np.array([depth if (lev == depth) else 0, per_node[k]], dtype=">u2").tobytes()
            body = raw[start[k] * cell : (start[k] + per_node[k]) * cell]
            blob = header + body
            nodes.append((int(nodeno[k]), blob + bytes(node_size - len(blob))))
        if lev == 0:
            rowids = (entry_ids, nodeno[node_of])
        else:
            parents.append((numbering[lev - 1][entry_ids], nodeno[node_of]))
    if parents:
        par = (np.concatenate([p[0] for p in parents]), np.concatenate([p[1] for p in parents]))
    else:
        par = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return nodes, par, rowids


def _load_rtree(conn: sqlite3.Connection, rtree: str, fids: np.ndarray, bounds: np.ndarray) -> None:
    q = _quote
    ok = np.isfinite(bounds).all(axis=1)
    row = conn.execute(f"SELECT length(data) FROM {q(rtree + '_node')} WHERE nodeno = 1").fetchone()
    node_size = int(row[0]) if row and row[0] else 1228
    nodes, (pno, ppar), (rid, rnode) = rtree_nodes(fids[ok], bounds[ok], node_size)
    conn.execute(f"DELETE FROM {q(rtree + '_node')}")
    conn.execute(f"DELETE FROM {q(rtree + '_parent')}")
    conn.execute(f"DELETE FROM {q(rtree + '_rowid')}")
    conn.executemany(f"INSERT INTO {q(rtree + '_node')}(nodeno, data) VALUES (?, ?)", nodes)
    conn.executemany(f"INSERT INTO {q(rtree + '_parent')}(nodeno, parentnode) VALUES (?, ?)", zip(pno.tolist(), ppar.tolist()))
    conn.executemany(f"INSERT INTO {q(rtree + '_rowid')}(rowid, nodeno) VALUES (?, ?)", zip(rid.tolist(), rnode.tolist()))


# --- writing --------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _srs(crs: str):
    _, osr = _ogr()
    srs = osr.SpatialReference()
    try:
        call(srs.SetFromUserInput, str(crs))
    except RuntimeError as err:
        raise LayerWriteError(f"unknown CRS '{crs}': {err}") from None
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _layer_index(ds, name: str) -> int:
    for i in range(ds.GetLayerCount()):
        if ds.GetLayer(i).GetName() == name:
            return i
    return -1


def write_layer(path: str, layer_name: str, kind: str, frame: pd.DataFrame, crs: str = DEFAULT_CRS, overwrite: bool = True) -> int:
    """Writes one clean frame as layer ``layer_name`` of the GeoPackage ``path``; returns its feature count."""
    return write_layers(path, {layer_name: (kind, frame)}, crs, overwrite)[layer_name]


def write_layers(
    path: str,
    layers: Mapping[str, Tuple[str, pd.DataFrame]],
    crs: str = DEFAULT_CRS,
    overwrite: bool = True,
) -> Dict[str, int]:
    """Writes ``{layer name: (contract kind, clean frame)}`` to the GeoPackage ``path``, all or nothing.

    The file is created when absent. With ``overwrite`` an existing layer of
    the same name is replaced; without, its presence is an error. Returns the
    number of features written per layer.
    """
    ogr, _ = _ogr()
    path = os.fspath(path)
    prepared = [_prepare(name, kind, frame) for name, (kind, frame) in layers.items()]
    names = [p.name.lower() for p in prepared]
    if len(set(names)) != len(names):
        raise LayerWriteError("two layers of the same name (names are case-insensitive in a GeoPackage)")
    srs = _srs(crs)
    created = not os.path.exists(path)
    driver = ogr.GetDriverByName("GPKG")
    try:
        if created:
            ds = call(driver.CreateDataSource, path)
        else:
            ds = call(ogr.Open, path, update=1)
    except RuntimeError as err:
        raise LayerWriteError(f"cannot open '{path}' for writing: {err}") from None
    if ds is None or ds.GetDriver().GetName() != "GPKG":
        raise LayerWriteError(f"'{path}' is not a GeoPackage")
    try:
        existing = {ds.GetLayer(i).GetName().lower() for i in range(ds.GetLayerCount())}
        if not overwrite:
            clash = [p.name for p in prepared if p.name.lower() in existing]
            if clash:
                raise LayerWriteError(f"'{path}' already has layer(s) {', '.join(clash)} (overwrite is off)")
        # 1. OGR creates the layers under temporary names
        for p in prepared:
            stale = _layer_index(ds, p.tmp)
            if stale >= 0:
                call(ds.DeleteLayer, stale)
            geom_type = getattr(ogr, "wkb" + p.geom_type)
            lyr = call(ds.CreateLayer, p.tmp, srs, geom_type, options=[f"FID={FID_COLUMN}", f"GEOMETRY_NAME={GEOMETRY_COLUMN}"])
            for f in p.fields:
                call(lyr.CreateField, ogr.FieldDefn(f.name, _ogr_type(f.type)))
        ds = None  # flushes the layer definitions and the (empty) spatial index
    except Exception as err:
        ds = None
        _cleanup(path, prepared, created)
        if isinstance(err, LayerWriteError):
            raise
        raise LayerWriteError(f"cannot create layers in '{path}': {err}") from err
    try:
        # 2. sqlite3 fills them in one transaction
        _fill(path, prepared)
        # 3. OGR swaps them in, in one transaction
        ds = call(ogr.Open, path, update=1)
        call(ds.StartTransaction)
        try:
            for p in prepared:
                old = _layer_index(ds, p.name)
                if old < 0:
                    old = next((i for i in range(ds.GetLayerCount()) if ds.GetLayer(i).GetName().lower() == p.name.lower()), -1)
                if old >= 0:
                    call(ds.DeleteLayer, old)
                call(call(ds.GetLayerByName, p.tmp).Rename, p.name)
            for p in prepared:
                call(
                    ds.ExecuteSQL,
                    f"UPDATE gpkg_ogr_contents SET feature_count = {int(p.n)} WHERE lower(table_name) = lower('{p.name.replace(chr(39), chr(39) * 2)}')",
                    allow_none=True,
                )
            call(ds.CommitTransaction)
        except Exception:
            ds.RollbackTransaction()  # its own failure must not hide the first one: not checked
            raise
        finally:
            ds = None
    except Exception as err:
        _cleanup(path, prepared, created)
        if isinstance(err, LayerWriteError):
            raise
        raise LayerWriteError(f"writing to '{path}' failed, nothing written: {err}") from err
    return {p.name: p.n for p in prepared}


def _cleanup(path: str, prepared: List[_Prepared], created: bool) -> None:
    """After a failure: no temporary layer left, and no file this call created."""
    ogr, _ = _ogr()
    if created:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(path + suffix)
            except OSError:
                pass
        return
    try:
        ds = call(ogr.Open, path, update=1)
    except RuntimeError:
        return
    try:
        for p in prepared:
            i = _layer_index(ds, p.tmp)
            if i >= 0:
                ds.DeleteLayer(i)  # best effort: a failure leaves a temporary layer, nothing more
    finally:
        ds = None


def _fill(path: str, prepared: List[_Prepared]) -> None:
    q = _quote
    conn = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        conn.execute("PRAGMA cache_size = -131072")  # 128 MB
        conn.execute("BEGIN IMMEDIATE")
        current = None
        try:
            for p in prepared:
                current = p.name
                table = p.tmp
                srs_id = conn.execute(
                    "SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", (table,)
                ).fetchone()[0]
                triggers = conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?)", (table,)
                ).fetchall()
                for name, _sql in triggers:
                    conn.execute(f"DROP TRIGGER {q(name)}")
                blobs = point_blobs(p.xy, srs_id) if p.xy is not None else geometry_blobs(p.geoms, srs_id)
                columns = ", ".join(q(c) for c in [FID_COLUMN, GEOMETRY_COLUMN] + [f.name for f in p.fields])
                # rows go to a scratch table first: the layer's AUTOINCREMENT key costs a
                # sqlite_sequence update per INSERT statement, so one INSERT ... SELECT is faster
                conn.execute("DROP TABLE IF EXISTS temp._tq_rows")
                conn.execute(f"CREATE TEMP TABLE _tq_rows ({columns})")
                conn.executemany(
                    f"INSERT INTO temp._tq_rows VALUES ({', '.join('?' * (2 + len(p.fields)))})",
                    zip(p.fids.tolist(), blobs, *[f.values for f in p.fields]),
                )
                del blobs
                conn.execute(f"INSERT INTO {q(table)} ({columns}) SELECT {columns} FROM temp._tq_rows")
                conn.execute("DROP TABLE temp._tq_rows")
                rtree = f"rtree_{table}_{GEOMETRY_COLUMN}"
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone():
                    _load_rtree(conn, rtree, p.fids, p.bounds)
                for _name, trigger_sql in triggers:
                    conn.execute(trigger_sql)
                ok = np.isfinite(p.bounds).all(axis=1)
                extent = (
                    [float(p.bounds[ok, 0].min()), float(p.bounds[ok, 1].min()), float(p.bounds[ok, 2].max()), float(p.bounds[ok, 3].max())]
                    if ok.any()
                    else [None] * 4
                )
                conn.execute(
                    "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                    "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(?)",
                    (*extent, table),
                )
                conn.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)", (p.n, table))
            conn.execute("COMMIT")
        except BaseException as err:
            conn.execute("ROLLBACK")
            if isinstance(err, Exception) and not isinstance(err, LayerWriteError):
                raise LayerWriteError(f"writing layer '{current}' to '{path}' failed, nothing written: {err}") from err
            raise
    except sqlite3.Error as err:
        raise LayerWriteError(f"writing to '{path}' failed, nothing written: {err}") from err
    finally:
        conn.close()


def write_demo_city(path: str, city) -> Dict[str, int]:
    """Writes the layers of a core.democity.DemoCity to the GeoPackage ``path``."""
    from tranquillite_plugin.core.democity import CRS, LAYERS, demo_kind

    return write_layers(path, {name: (demo_kind(name), getattr(city, name)) for name in LAYERS}, CRS)
