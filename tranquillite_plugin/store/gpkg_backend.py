"""The embedded store: one GeoPackage file.

Tables are created through OGR (so that QGIS, GDAL and any GeoPackage reader
see proper layers: ``gpkg_contents``, geometry columns, R-tree spatial
index), in a temporary file renamed into place once complete. Rows are
written through SQLite itself, in **one** transaction per import or scoring
write (``BEGIN IMMEDIATE`` ... ``COMMIT``): a cancel, an error, or the
process being killed mid-way leaves the file as it was (SQLite's journal is
rolled back at the next open).

Bulk inserts bypass the per-row triggers GDAL installs (R-tree and feature
count, which call GDAL's SQL functions ``ST_MinX``...): inside the same
transaction the insert triggers are dropped, the rows and their R-tree
entries are inserted in batches, and the triggers are re-created from their
saved text, so the file is, after COMMIT, exactly what GDAL would have
written. Geometry blobs are encoded with numpy (GeoPackage header + ISO WKB).
Datetimes are stored as the GeoPackage specification says: ISO 8601 text in
UTC, ``YYYY-MM-DDTHH:MM:SS.SSSZ`` (millisecond precision).
"""

from __future__ import annotations

import os
import sqlite3
import struct
import time
import uuid
from contextlib import contextmanager
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.store.backend import (
    CHUNK,
    NAT,
    Backend,
    Fetched,
    Rows,
    StoreError,
    Transaction,
    as_multi,
)
from tranquillite_plugin.store.gdal_calls import call
from tranquillite_plugin.store.ogr_io import geometry_blobs, point_blobs, rtree_nodes, utc_texts
from tranquillite_plugin.store.schema import FID, GEOM, META_TABLE, AddColumn, CreateTable, DatetimesToUtc, Table

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
#: above this many new rows (or a quarter of the table), the R-tree is rebuilt packed
BULK_RTREE_ROWS = 50_000


def _ogr():
    from osgeo import ogr

    return ogr


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- GeoPackage geometry blobs ----------------------------------------------------------
# Encoding is ogr_io's (point_blobs, geometry_blobs, utc_texts, rtree_nodes): one
# GeoPackage writer for the project. Decoding the envelope serves the R-tree triggers.


def blob_wkb(blob: bytes) -> bytes:
    flags = blob[3]
    return bytes(blob[8 + _ENVELOPE_BYTES.get((flags >> 1) & 7, 0):])


def _envelope(blob) -> Optional[tuple]:
    """(minx, maxx, miny, maxy) of a GeoPackage blob, None when empty or NULL."""
    if blob is None or len(blob) < 8:
        return None
    flags = blob[3]
    if flags & 0b10000:
        return None
    env = (flags >> 1) & 7
    if env:
        order = "<" if flags & 1 else ">"
        return struct.unpack_from(order + "4d", blob, 8)
    g = shapely.from_wkb(blob_wkb(blob), on_invalid="ignore")
    if g is None or g.is_empty:
        return None
    minx, miny, maxx, maxy = g.bounds
    return minx, maxx, miny, maxy


def _register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions GDAL's R-tree triggers call, for rows this connection edits."""

    def is_empty(blob):
        return None if blob is None else int(_envelope(blob) is None)

    def part(i):
        def f(blob):
            env = _envelope(blob)
            return None if env is None else env[i]

        return f

    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, part(i), deterministic=True)


# --- transactions -------------------------------------------------------------------


class GpkgTransaction(Transaction):
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: Sequence = ()):
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows) -> None:
        self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence = ()) -> List[tuple]:
        return self.conn.execute(sql, tuple(params)).fetchall()


_OGR_TYPES = {"text": "OFTString", "int": "OFTInteger64", "float": "OFTReal", "datetime": "OFTDateTime", "blob": "OFTBinary"}
_OGR_GEOMS = {"Point": "wkbPoint", "MultiLineString": "wkbMultiLineString", "MultiPolygon": "wkbMultiPolygon", "Geometry": "wkbUnknown"}


class GpkgBackend(Backend):
    name = "gpkg"
    provider = "ogr"

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self._conn: Optional[sqlite3.Connection] = None
        self._srs: Dict[str, int] = {}

    # --- connection ---------------------------------------------------------------

    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            if not os.path.exists(self.path):
                raise StoreError(f"store '{self.path}' does not exist")
            # autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT)
            self._conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA cache_size=-131072")  # 128 MB: R-tree inserts need it
            _register_functions(self._conn)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def qname(self, table: str) -> str:
        return _q(table)

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def is_store(self) -> bool:
        if not os.path.exists(self.path):
            return False
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10.0)
            try:
                row = conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", (META_TABLE,)
                ).fetchone()
                return bool(row and row[0])
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return False

    def query(self, sql: str, params: Sequence = ()) -> List[tuple]:
        """A read outside any transaction."""
        return self.conn().execute(sql, tuple(params)).fetchall()

    def table_names(self) -> List[str]:
        return [r[0] for r in self.conn().execute("SELECT name FROM sqlite_master WHERE type='table'")]

    def column_names(self, table: str) -> List[str]:
        return [r[1] for r in self.conn().execute(f"PRAGMA table_info({_q(table)})")]

    # --- creation and migrations ------------------------------------------------------

    def create(self, tables: Sequence[Table], crs: str, meta: Dict[str, str]) -> None:
        if os.path.exists(self.path):
            raise StoreError(f"'{self.path}' already exists")
        folder = os.path.dirname(self.path) or "."
        if not os.path.isdir(folder):
            raise StoreError(f"folder '{folder}' does not exist")
        tmp = os.path.join(folder, f".creating-{uuid.uuid4().hex[:8]}-{os.path.basename(self.path)}")
        try:
            ogr = _ogr()
            ds = call(ogr.GetDriverByName("GPKG").CreateDataSource, tmp)
            for table in tables:
                self._create_table(ds, table, crs)
            ds = None
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("BEGIN")
                for table in tables:
                    self._create_indexes(conn, table)
                conn.executemany(
                    f"INSERT INTO {_q(META_TABLE)} (key, value) VALUES (?, ?)", sorted(meta.items())
                )
                conn.execute("COMMIT")
                conn.execute("PRAGMA journal_mode=DELETE")
            finally:
                conn.close()
            os.replace(tmp, self.path)  # atomic: the store appears complete or not at all
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)

    @staticmethod
    def _create_table(ds, table: Table, crs: str) -> None:
        ogr = _ogr()
        from osgeo import osr

        srs = None
        gtype = ogr.wkbNone
        options = [f"FID={FID}"]
        if table.geometry:
            srs = osr.SpatialReference()
            call(srs.SetFromUserInput, crs)
            gtype = getattr(ogr, _OGR_GEOMS[table.geometry])
            options += [f"GEOMETRY_NAME={GEOM}", "SPATIAL_INDEX=YES"]
        lyr = call(ds.CreateLayer, table.name, srs, gtype, options)
        for col in table.columns:
            fd = ogr.FieldDefn(col.name, getattr(ogr, _OGR_TYPES[col.type]))
            if col.not_null:
                fd.SetNullable(False)
            if col.default is not None:
                fd.SetDefault(col.default)
            if col.unique:
                fd.SetUnique(True)
            call(lyr.CreateField, fd)

    @staticmethod
    def _create_indexes(conn, table: Table) -> None:
        for col in table.indexes:
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {_q(f'idx_{table.name}_{col}')} ON {_q(table.name)} ({_q(col)})"
            )

    def apply_steps(self, steps: Sequence[object], crs: str, finish=None) -> None:
        """Migration steps, each idempotent: created tables through OGR, then columns, datetime
        conversions and ``finish(tx)`` in one transaction."""
        existing = set(self.table_names())
        creates = [s.table for s in steps if isinstance(s, CreateTable) and s.table.name not in existing]
        if creates:
            self.close()
            ogr = _ogr()
            ds = call(ogr.Open, self.path, update=1)
            try:
                call(ds.StartTransaction)
                for table in creates:
                    self._create_table(ds, table, crs)
                call(ds.CommitTransaction)
            finally:
                ds = None
        with self.transaction() as tx:
            for step in steps:
                if isinstance(step, CreateTable):
                    self._create_indexes(tx.conn, step.table)
                elif isinstance(step, AddColumn):
                    if step.column.name in self.column_names(step.table):
                        continue
                    col = step.column
                    sql_type = {"text": "TEXT", "int": "INTEGER", "float": "REAL", "datetime": "DATETIME", "blob": "BLOB"}[col.type]
                    default = f" DEFAULT {col.default}" if col.default is not None else ""
                    not_null = " NOT NULL" if col.not_null and col.default is not None else ""
                    tx.execute(f"ALTER TABLE {_q(step.table)} ADD COLUMN {_q(col.name)} {sql_type}{not_null}{default}")
                elif isinstance(step, DatetimesToUtc):
                    self._datetimes_to_utc(tx.conn)
            if finish is not None:
                finish(tx)

    def _datetimes_to_utc(self, conn) -> int:
        """Rewrites every datetime text of the store in UTC ('...Z'); returns the values changed.

        Offsets give the instant; zone-less texts are Paris time (schema 2's
        convention). A text that cannot be read is left as it is (the reader
        reports it, naming the feature).
        """
        from tranquillite_plugin.core.timeutil import parse_datetimes, to_epoch_us
        from tranquillite_plugin.store.schema import TABLES

        present = set(self.table_names())
        changed = 0
        for table in TABLES.values():
            cols = [c.name for c in table.columns if c.type == "datetime" and table.name in present]
            cols = [c for c in cols if c in self.column_names(table.name)]
            if not cols:
                continue
            rows = conn.execute(f"SELECT {_q(FID)}, {', '.join(map(_q, cols))} FROM {_q(table.name)}").fetchall()
            if not rows:
                continue
            fids = [r[0] for r in rows]
            new_cols = []
            for k, _c in enumerate(cols):
                old = np.array([r[k + 1] for r in rows], dtype=object)
                text = np.array([v if isinstance(v, str) else None for v in old], dtype=object)
                parsed, bad = parse_datetimes(pd.Series(text, dtype=object))
                us = np.where(parsed.isna().to_numpy(), NAT, to_epoch_us(parsed))
                new = np.array(utc_texts(us), dtype=object)
                keep = bad | pd.isna(text)
                new[keep] = old[keep]
                new_cols.append(new)
            differs = np.zeros(len(rows), bool)
            for k, new in enumerate(new_cols):
                old = np.array([r[k + 1] for r in rows], dtype=object)
                differs |= new != old
            idx = np.flatnonzero(differs)
            if not len(idx):
                continue
            sets = ", ".join(f"{_q(c)} = ?" for c in cols)
            conn.executemany(
                f"UPDATE {_q(table.name)} SET {sets} WHERE {_q(FID)} = ?",
                zip(*[new[idx].tolist() for new in new_cols], [fids[i] for i in idx]),
            )
            changed += int(len(idx))
        return changed

    # --- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self):
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield GpkgTransaction(conn)
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        else:
            conn.execute("COMMIT")

    # --- writing -----------------------------------------------------------------------

    def srs_id(self, table: str) -> int:
        if table not in self._srs:
            row = self.conn().execute(
                "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
            ).fetchone()
            self._srs[table] = int(row[0]) if row else 0
        return self._srs[table]

    def _triggers(self, conn, table: str, event: str) -> List[tuple]:
        """(name, sql) of the row triggers GDAL put on ``table`` for INSERT or DELETE."""
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name=?", (table,)
        ).fetchall()
        word = f"AFTER {event} ON"
        return [(n, s) for n, s in rows if s and word in s.upper()]

    @staticmethod
    def _encode(col_type: str, values: np.ndarray) -> list:
        if col_type == "datetime":
            return utc_texts(np.asarray(values, dtype=np.int64))
        if col_type == "float":
            v = np.asarray(values, dtype=float)
            out = v.astype(object)
            out[~np.isfinite(v)] = None
            return out.tolist()
        if col_type == "int":
            v = np.asarray(values)
            if v.dtype.kind == "f":
                out = np.full(len(v), None, dtype=object)
                ok = np.isfinite(v)
                out[ok] = v[ok].astype(np.int64).tolist()
                return out.tolist()
            return v.astype(np.int64).tolist()
        return list(values)

    def insert(self, tx, table: Table, rows: Rows, progress=None, is_cancelled=None) -> int:
        """Inserts ``rows`` inside ``tx``; checks ``is_cancelled`` between batches (raises Cancelled)."""
        from tranquillite_plugin.core.score import Cancelled

        conn = tx.conn
        name = table.name
        columns = [c for c in table.columns if c.name in rows.columns]
        start = self._next_fid(conn, name)
        existing = conn.execute(f"SELECT count(*) FROM {_q(name)}").fetchone()[0]
        saved = self._triggers(conn, name, "INSERT")
        for trig, _sql in saved:
            conn.execute(f"DROP TRIGGER {_q(trig)}")
        has_geom = table.geometry is not None
        names = [FID] + ([GEOM] if has_geom else []) + [c.name for c in columns]
        sql = f"INSERT INTO {_q(name)} ({', '.join(map(_q, names))}) VALUES ({', '.join('?' * len(names))})"
        rtree = f"rtree_{name}_{GEOM}"
        has_rtree = has_geom and rtree in self.table_names()
        packed = has_rtree and rows.n > 0 and (rows.n >= BULK_RTREE_ROWS or rows.n > existing // 4)
        new_ids: List[np.ndarray] = []
        new_bounds: List[np.ndarray] = []
        srs = self.srs_id(name) if has_geom else 0
        done = 0
        extent = None
        for chunk in rows.chunks(CHUNK):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            n = chunk.n
            if n == 0:
                break
            fids = np.arange(start + done, start + done + n, dtype=np.int64)
            values = [fids.tolist()]
            if has_geom:
                if chunk.xy is not None:
                    xy = np.asarray(chunk.xy, dtype=float)
                    values.append(point_blobs(xy, srs))
                    b = np.column_stack([xy[:, 0], xy[:, 1], xy[:, 0], xy[:, 1]])
                else:
                    geoms = as_multi(chunk.geometry, table.geometry)
                    values.append(geometry_blobs(geoms, srs))
                    b = shapely.bounds(geoms)  # minx, miny, maxx, maxy
            for c in columns:
                values.append(self._encode(c.type, chunk.columns[c.name]))
            conn.executemany(sql, zip(*values))
            if has_geom:
                ok = np.isfinite(b).all(axis=1)
                if packed:
                    new_ids.append(fids[ok])
                    new_bounds.append(b[ok])
                elif has_rtree and ok.any():
                    conn.executemany(
                        f"INSERT INTO {_q(rtree)} VALUES (?, ?, ?, ?, ?)",
                        zip(fids[ok].tolist(), b[ok, 0].tolist(), b[ok, 2].tolist(), b[ok, 1].tolist(), b[ok, 3].tolist()),
                    )
                if ok.any():
                    e = (b[ok, 0].min(), b[ok, 1].min(), b[ok, 2].max(), b[ok, 3].max())
                    extent = e if extent is None else (min(extent[0], e[0]), min(extent[1], e[1]), max(extent[2], e[2]), max(extent[3], e[3]))
            done += n
            if progress is not None:
                progress(97.0 * done / max(rows.n, 1))
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        if packed:
            self._rebuild_rtree(conn, rtree, new_ids, new_bounds)
        for _trig, trig_sql in saved:
            conn.execute(trig_sql)
        self._after_change(conn, name, extent)
        if progress is not None:
            progress(100.0)
        return done

    @staticmethod
    def _rebuild_rtree(conn, rtree: str, new_ids: List[np.ndarray], new_bounds: List[np.ndarray]) -> None:
        """Rewrites the R-tree packed (sort-tile-recursive, ogr_io.rtree_nodes): old entries plus new ones."""
        old = np.array(conn.execute(f"SELECT id, minx, miny, maxx, maxy FROM {_q(rtree)}").fetchall(), dtype=float)
        ids = [old[:, 0].astype(np.int64)] if len(old) else []
        bounds = [old[:, 1:5]] if len(old) else []
        ids = np.concatenate(ids + new_ids) if (ids or new_ids) else np.zeros(0, np.int64)
        bounds = np.concatenate(bounds + new_bounds) if (bounds or new_bounds) else np.zeros((0, 4))
        row = conn.execute(f"SELECT length(data) FROM {_q(rtree + '_node')} WHERE nodeno = 1").fetchone()
        node_size = int(row[0]) if row and row[0] else 1228
        nodes, (pno, ppar), (rid, rnode) = rtree_nodes(ids, bounds, node_size)
        for part in ("_node", "_parent", "_rowid"):
            conn.execute(f"DELETE FROM {_q(rtree + part)}")
        conn.executemany(f"INSERT INTO {_q(rtree + '_node')} (nodeno, data) VALUES (?, ?)", nodes)
        conn.executemany(f"INSERT INTO {_q(rtree + '_parent')} (nodeno, parentnode) VALUES (?, ?)", zip(pno.tolist(), ppar.tolist()))
        conn.executemany(f"INSERT INTO {_q(rtree + '_rowid')} (rowid, nodeno) VALUES (?, ?)", zip(rid.tolist(), rnode.tolist()))

    @staticmethod
    def _next_fid(conn, name: str) -> int:
        top = conn.execute(f"SELECT max({_q(FID)}) FROM {_q(name)}").fetchone()[0] or 0
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)).fetchone()
        return max(int(top), int(seq[0]) if seq and seq[0] is not None else 0) + 1

    def _after_change(self, conn, name: str, extent=None) -> None:
        """Bookkeeping GDAL keeps: feature count, last change, extent."""
        count = conn.execute(f"SELECT count(*) FROM {_q(name)}").fetchone()[0]
        conn.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)", (count, name))
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        conn.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, name))
        if extent is not None:
            conn.execute(
                "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), "
                "max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?) WHERE table_name = ?",
                (extent[0], extent[0], extent[1], extent[1], extent[2], extent[2], extent[3], extent[3], name),
            )

    def delete(self, tx, table: Table, where: str = "", params: Sequence = ()) -> int:
        conn = tx.conn
        name = table.name
        if where:
            cur = conn.execute(f"DELETE FROM {_q(name)} WHERE {where}", tuple(params))
            n = cur.rowcount
        else:
            # whole table: without row triggers SQLite truncates at once
            saved = self._triggers(conn, name, "DELETE")
            for trig, _sql in saved:
                conn.execute(f"DROP TRIGGER {_q(trig)}")
            n = conn.execute(f"DELETE FROM {_q(name)}").rowcount
            rtree = f"rtree_{name}_{GEOM}"
            if table.geometry and rtree in self.table_names():
                conn.execute(f"DELETE FROM {_q(rtree)}")
            for _trig, trig_sql in saved:
                conn.execute(trig_sql)
        self._after_change(conn, name)
        return n

    def update(self, tx, table: Table, key: str, keys: Sequence, values: Dict[str, np.ndarray]) -> int:
        """Sets ``values`` (column -> array aligned on ``keys``) on the rows whose ``key`` is in ``keys``."""
        types = {c.name: c.type for c in table.columns}
        names = list(values)
        encoded = [self._encode(types[c], values[c]) for c in names]
        sets = ", ".join(f"{_q(c)} = ?" for c in names)
        before = tx.conn.total_changes
        tx.conn.executemany(f"UPDATE {_q(table.name)} SET {sets} WHERE {_q(key)} = ?", zip(*encoded, list(keys)))
        return tx.conn.total_changes - before

    # --- reading -----------------------------------------------------------------------

    def fetch(self, table: Table, columns: Sequence[str], where: str = "", params: Sequence = (), points: bool = False, box=None) -> Fetched:
        from tranquillite_plugin.store.layer_reader import read_ogr

        if params:
            raise StoreError("GeoPackage fetch takes a literal filter")
        raw = read_ogr(
            self.path, table.name, subset=where or None, fields=list(columns), points_as_xy=points, naive_utc=True,
            bbox=box if table.geometry else None,
        )
        cols = {c: raw.attributes[c].to_numpy() if c in raw.attributes else np.full(len(raw), None, object) for c in columns}
        return Fetched(np.asarray(raw.fids, dtype=np.int64), cols, xy=raw.xy, geometry=raw.geometry)

    def count(self, table: Table, where: str = "", params: Sequence = ()) -> int:
        clause = f" WHERE {where}" if where else ""
        return int(self.conn().execute(f"SELECT count(*) FROM {_q(table.name)}{clause}", tuple(params)).fetchone()[0])

    def uri(self, table: Table, geometry_type: Optional[str] = None, where: str = "") -> str:
        uri = f"{self.path}|layername={table.name}"
        if geometry_type:
            uri += f"|geometrytype={geometry_type}"
        if where:
            uri += f"|subset={where}"
        return uri

    def integrity(self) -> str:
        return self.conn().execute("PRAGMA integrity_check").fetchone()[0]

