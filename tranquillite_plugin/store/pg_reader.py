"""Reading a QGIS PostGIS layer in bulk: one ``COPY (SELECT ...) TO STDOUT``, parsed by pandas' C reader.

The ``postgres`` provider's ``getFeatures`` costs a Python round trip per
feature (minutes for millions of facts). Here the server sends the columns
the caller needs as one COPY stream (points as two doubles, other geometries
as WKB hex, timestamps as integer microseconds since the epoch, so no
datetime text is parsed), on the layer's own connection settings, filtered
by the layer's own subset string, and pandas' C parser turns it into arrays.
Text values are unescaped once per distinct value. No per-feature Python.
"""

from __future__ import annotations

import io
from typing import Iterable, Optional

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.contract import RawLayer
from tranquillite_plugin.core.timeutil import from_epoch_us, localize_naive

NAT = np.iinfo(np.int64).min


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def unescape_column(values) -> np.ndarray:
    """COPY text values (NaN for \\N) -> str / None, each distinct value unescaped once."""
    from tranquillite_plugin.store.postgis_backend import _unescape

    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    table = np.array([_unescape(str(u)) for u in uniques] + [None], dtype=object)
    return table[codes]  # -1 (NULL) takes the last entry


def read_postgres_layer(layer, fields: Optional[Iterable[str]], points_as_xy: bool, label: str, crs: Optional[str]) -> RawLayer:
    """A ``postgres`` QgsVectorLayer -> RawLayer through COPY (see the module docstring)."""
    import psycopg2
    from qgis.core import QgsDataSourceUri

    uri = QgsDataSourceUri(layer.source())
    names = [f.name() for f in layer.fields()]
    if fields is not None:
        wanted = {f.lower() for f in fields}
        names = [n for n in names if n.lower() in wanted]
    kinds = {f.name(): f.type() for f in layer.fields()}
    # timestamptz: the instant; timestamp and date: wall time, read as Paris time by the contract's rules
    zoned = {f.name(): f.typeName().lower() in ("timestamptz", "timestamp with time zone") for f in layer.fields()}
    key = uri.keyColumn().strip('"') or None
    geom = uri.geometryColumn()
    select = [f"{_q(key)}::bigint" if key else "row_number() OVER ()"]
    if geom:
        if points_as_xy:
            select += [f"ST_X({_q(geom)})", f"ST_Y({_q(geom)})"]
        else:
            select.append(f"encode(ST_AsBinary({_q(geom)}), 'hex')")
    for n in names:
        if kinds[n] in (FieldType.DateTime, FieldType.Date):
            value = _q(n) if zoned[n] else f"{_q(n)}::timestamp"
            select.append(f"(extract(epoch FROM {value}) * 1000000)::bigint")
        else:
            select.append(_q(n))
    table = f"{_q(uri.schema())}.{_q(uri.table())}" if uri.schema() else _q(uri.table())
    subset = layer.subsetString() or uri.sql()
    where = f" WHERE {subset}" if subset else ""  # the layer's own filter, as QGIS sends it
    order = " ORDER BY 1" if key else ""
    conn = psycopg2.connect(uri.connectionInfo(True), connect_timeout=15, application_name="tranquillite")
    buf = io.StringIO()
    try:
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")
            cur.copy_expert(f"COPY (SELECT {', '.join(select)} FROM {table}{where}{order}) TO STDOUT", buf)
        conn.rollback()
    finally:
        conn.close()
    buf.seek(0)
    n_geo = (2 if points_as_xy else 1) if geom else 0
    cols = ["fid"] + [f"_g{i}" for i in range(n_geo)] + [f"c{i}" for i in range(len(names))]
    dtypes = {"fid": np.int64}
    for i, n in enumerate(names):
        k = kinds[n]
        dtypes[f"c{i}"] = (
            "Int64" if k in (FieldType.DateTime, FieldType.Date, FieldType.Int, FieldType.LongLong)
            else float if k == FieldType.Double else object
        )
    if points_as_xy and geom:
        dtypes["_g0"] = dtypes["_g1"] = float
    frame = pd.read_csv(buf, sep="\t", header=None, names=cols, dtype=dtypes, na_values=["\\N"], keep_default_na=False,
                        quoting=3, float_precision="round_trip", engine="c")
    attrs = {}
    for i, n in enumerate(names):
        s = frame[f"c{i}"]
        k = kinds[n]
        if k in (FieldType.DateTime, FieldType.Date):
            us = s.fillna(NAT).to_numpy(np.int64)
            attrs[n] = from_epoch_us(us) if zoned[n] else localize_naive(pd.Series(us.view("datetime64[us]")))
        elif k in (FieldType.Int, FieldType.LongLong):
            attrs[n] = s.astype(float).to_numpy()
        elif k == FieldType.Double:
            attrs[n] = s.to_numpy(float)
        else:
            attrs[n] = pd.Series(unescape_column(s.to_numpy(object)), dtype=object)
    fids = frame["fid"].to_numpy(np.int64)
    attributes = pd.DataFrame(attrs, index=range(len(fids)))
    if not geom:
        return RawLayer(label, attributes, fids, geometry=np.full(len(fids), None, dtype=object), crs=crs)
    if points_as_xy:
        xy = np.column_stack([frame["_g0"].to_numpy(float), frame["_g1"].to_numpy(float)])
        return RawLayer(label, attributes, fids, xy=xy, crs=crs)
    hexes = frame["_g0"].to_numpy(object)
    geometry = np.full(len(hexes), None, dtype=object)
    ok = np.array([isinstance(h, str) for h in hexes], dtype=bool)
    if ok.any():
        geometry[ok] = shapely.from_wkb(hexes[ok].astype(str), on_invalid="ignore")
    return RawLayer(label, attributes, fids, geometry=geometry, crs=crs)
