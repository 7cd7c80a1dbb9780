"""The shared store: one PostgreSQL schema with PostGIS.

Access goes through Debian's ``python3-psycopg2`` (linked to the system
libpq, the same one QGIS uses). Creating the store (schema, tables, indexes,
notification triggers, metadata) is one transaction; so is every import
(``COPY ... FROM STDIN`` in batches inside ``BEGIN`` ... ``COMMIT``) and
every scoring write. If the client dies mid-way the server rolls the
transaction back: the other workstations never see half an import.

Live sharing: every layer table carries a statement-level trigger that runs
``pg_notify('qgis', '<schema>.<table>')`` after INSERT, UPDATE, DELETE or
TRUNCATE. QGIS layers on the store listen on the ``qgis`` channel
(``setRefreshOnNotifyEnabled``) with that message, so a change committed on
one workstation redraws the layer on the others. The payload is qualified by
the schema so that two stores in one database do not refresh each other.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.store.audit import redact
from tranquillite_plugin.store.backend import (
    CHUNK,
    NAT,
    Backend,
    Fetched,
    Rows,
    StoreError,
    Target,
    Transaction,
    as_multi,
    epoch_us_to_iso,
    resolve_authcfg,
    strip_password,
    transport_problem,
)
from tranquillite_plugin.store.schema import FID, GEOM, LAYER_KINDS, META_TABLE, SHARED_TABLES, AddColumn, CreateTable, Table

NOTIFY_CHANNEL = "qgis"
#: imports at least this large (and larger than a quarter of the table) rebuild the table's
#: secondary indexes after the COPY instead of updating them row by row (about twice as fast;
#: readers of that table wait for the COMMIT meanwhile)
BULK_ROWS = 100_000
_SQL_TYPES = {"text": "text", "int": "bigint", "float": "double precision", "datetime": "timestamptz", "blob": "bytea"}
_POINT_EWKB = np.dtype([("order", "u1"), ("type", "<u4"), ("srid", "<i4"), ("x", "<f8"), ("y", "<f8")])
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _psycopg2():
    try:
        import psycopg2
        import psycopg2.extensions
        import psycopg2.extras
    except ImportError:  # pragma: no cover - depends on the machine
        raise StoreError(
            "PostgreSQL stores need the psycopg2 module: install the Debian package python3-psycopg2"
        ) from None
    return psycopg2


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _srid(crs: str) -> int:
    text = (crs or "").upper()
    if text.startswith("EPSG:") and text[5:].isdigit():
        return int(text[5:])
    raise StoreError(f"a PostGIS store needs an EPSG CRS (got '{crs}')")


class PgTransaction(Transaction):
    def __init__(self, conn):
        self.conn = conn
        self.cur = conn.cursor()

    def execute(self, sql: str, params: Sequence = ()):
        self.cur.execute(sql.replace("?", "%s"), tuple(params))
        return self.cur

    def executemany(self, sql: str, rows) -> None:
        _psycopg2().extras.execute_batch(self.cur, sql.replace("?", "%s"), list(rows), page_size=1000)

    def query(self, sql: str, params: Sequence = ()) -> List[tuple]:
        self.cur.execute(sql.replace("?", "%s"), tuple(params))
        return self.cur.fetchall()


def _copy_text(values: np.ndarray) -> np.ndarray:
    """Text column -> COPY text format (escaped; \\N for NULL), each distinct value escaped once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    table = np.array([str(u).translate(_COPY_ESCAPES) for u in uniques] + ["\\N"], dtype=object)
    return table[codes]  # code -1 (NULL) takes the last entry


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    table = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\", "b": "\b", "f": "\f", "v": "\v"}
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(table.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class PostgisBackend(Backend):
    name = "postgis"
    provider = "postgres"

    def __init__(self, target: Target):
        self.target = target
        self.schema = target.schema
        self._conn = None
        self._srid: Optional[int] = None
        self._in_tx = False  # a transaction is open on the connection: reads must not end it

    # --- connection ---------------------------------------------------------------

    def conn(self):
        if self._conn is None or self._conn.closed:
            psycopg2 = _psycopg2()
            shown = self.target.display()
            try:
                if self.target.authcfg:
                    params = resolve_authcfg(self.conninfo_parts(), self.target.authcfg)
                    self._conn = psycopg2.connect(connect_timeout=15, application_name="tranquillite", **params)
                else:
                    self._conn = psycopg2.connect(self.target.conninfo, connect_timeout=15, application_name="tranquillite")
            except psycopg2.Error as err:
                raise StoreError(f"cannot connect to '{shown}': {redact(str(err).strip())}") from None
            with self._conn.cursor() as cur:
                cur.execute("SET TIME ZONE 'UTC'")
            self._conn.commit()
        return self._conn

    def transport_warning(self) -> str:
        """'' when the connection is loopback or verifies the server (verify-ca, verify-full); else why not."""
        used = self.conn().get_dsn_parameters()
        return transport_problem(used.get("host", ""), used.get("sslmode", ""))

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()
        self._conn = None

    def qname(self, table: str) -> str:
        return f"{_q(self.schema)}.{_q(table)}"

    def _end_read(self) -> None:
        """Reads outside a transaction never leave one open; inside one they leave it alone."""
        if not self._in_tx:
            self._conn.rollback()

    def _scalar(self, sql: str, params: Sequence = ()):
        conn = self.conn()
        with conn.cursor() as cur:
            cur.execute(sql, tuple(params))
            row = cur.fetchone()
        self._end_read()
        return row[0] if row else None

    def query(self, sql: str, params: Sequence = ()) -> List[tuple]:
        """A read outside any transaction ('?' placeholders)."""
        conn = self.conn()
        with conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), tuple(params))
            out = cur.fetchall()
        self._end_read()
        return out

    def exists(self) -> bool:
        return bool(self._scalar("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (self.schema,)))

    def is_store(self) -> bool:
        return self._scalar("SELECT to_regclass(%s)", (f"{_q(self.schema)}.{_q(META_TABLE)}",)) is not None

    def table_names(self) -> List[str]:
        conn = self.conn()
        with conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (self.schema,))
            out = [r[0] for r in cur.fetchall()]
        self._end_read()
        return out

    def column_names(self, table: str) -> List[str]:
        conn = self.conn()
        with conn.cursor() as cur:
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                "ORDER BY ordinal_position",
                (self.schema, table),
            )
            out = [r[0] for r in cur.fetchall()]
        self._end_read()
        return out

    # --- creation and migrations ------------------------------------------------------

    def create(self, tables: Sequence[Table], crs: str, meta: Dict[str, str]) -> None:
        srid = _srid(crs)
        psycopg2 = _psycopg2()
        with self.transaction() as tx:
            try:
                tx.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg2.Error as err:
                raise StoreError(
                    f"PostGIS is not installed in this database and cannot be created by this user: {str(err).strip()}"
                ) from None
            found = tx.query("SELECT count(*) FROM pg_tables WHERE schemaname = %s", (self.schema,))[0][0]
            if found:
                raise StoreError(f"schema '{self.schema}' already holds tables: choose another schema for the store")
            tx.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(self.schema)}")
            self._create_notify_function(tx)
            for table in tables:
                self._create_table(tx, table, srid)
            tx.executemany(f"INSERT INTO {self.qname(META_TABLE)} (key, value) VALUES (?, ?)", sorted(meta.items()))
            self._install_security(tx)

    def _install_security(self, tx) -> None:
        """Roles, rights, the server-chained append-only audit and row versions (store/pg_security.py)."""
        from tranquillite_plugin.store.pg_security import security_sql

        psycopg2 = _psycopg2()
        creator = tx.query("SELECT session_user")[0][0]
        for statement in security_sql(self.schema, creator):
            try:
                tx.cur.execute(statement)
            except psycopg2.errors.InsufficientPrivilege as err:
                raise StoreError(
                    f"the login '{creator}' may not create the store's roles ({str(err).strip()}): ask a DBA to run "
                    "docs/security.sql (python -m tranquillite_plugin.store.pg_security SCHEMA), or create the "
                    "store with a login that has CREATEROLE"
                ) from None
        self._server_audit = True

    def server_audit(self) -> bool:
        """True when the server chains the audit (a store created with roles); older stores are chained by clients."""
        if getattr(self, "_server_audit", None) is None:
            found = self._scalar(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'tq_audit_chain' AND tgrelid = to_regclass(%s)",
                (self.qname("audit"),),
            )
            self._server_audit = bool(found)
        return self._server_audit

    def _create_notify_function(self, tx) -> None:
        tx.execute(
            f"CREATE OR REPLACE FUNCTION {_q(self.schema)}.tq_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_notify('{NOTIFY_CHANNEL}', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME); RETURN NULL; END $$"
        )

    def _create_table(self, tx, table: Table, srid: int) -> None:
        cols = [f"{_q(FID)} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"]
        if table.geometry:
            cols.append(f"{_q(GEOM)} geometry({table.geometry}, {srid})")
        for c in table.columns:
            text = f"{_q(c.name)} {_SQL_TYPES[c.type]}"
            if c.not_null:
                text += " NOT NULL"
            if c.default is not None:
                text += f" DEFAULT {c.default}"
            if c.unique:
                text += " UNIQUE"
            cols.append(text)
        tx.execute(f"CREATE TABLE IF NOT EXISTS {self.qname(table.name)} ({', '.join(cols)})")
        if table.geometry:
            tx.execute(
                f"CREATE INDEX IF NOT EXISTS {_q(f'{table.name}_{GEOM}_gist')} ON {self.qname(table.name)} USING gist ({_q(GEOM)})"
            )
        for col in table.indexes:
            tx.execute(f"CREATE INDEX IF NOT EXISTS {_q(f'{table.name}_{col}_idx')} ON {self.qname(table.name)} ({_q(col)})")
        if table.name in SHARED_TABLES or table.kind in LAYER_KINDS:
            tx.execute(f"DROP TRIGGER IF EXISTS tq_notify ON {self.qname(table.name)}")
            tx.execute(
                f"CREATE TRIGGER tq_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {self.qname(table.name)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_q(self.schema)}.tq_notify()"
            )

    def apply_steps(self, steps: Sequence[object], crs: str, finish=None) -> None:
        """All migration steps, then ``finish(tx)``, in one transaction (PostgreSQL DDL is transactional).

        ``DatetimesToUtc`` changes nothing here: ``timestamptz`` holds instants.
        """
        srid = _srid(crs)
        with self.transaction() as tx:
            self._create_notify_function(tx)
            for step in steps:
                if isinstance(step, CreateTable):
                    self._create_table(tx, step.table, srid)
                elif isinstance(step, AddColumn):
                    c = step.column
                    default = f" DEFAULT {c.default}" if c.default is not None else ""
                    tx.execute(
                        f"ALTER TABLE {self.qname(step.table)} ADD COLUMN IF NOT EXISTS {_q(c.name)} {_SQL_TYPES[c.type]}{default}"
                    )
            if finish is not None:
                finish(tx)

    # --- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self):
        if self._in_tx:
            raise StoreError("a store transaction is already open on this connection")
        conn = self.conn()
        conn.rollback()  # start clean: BEGIN is implicit at the first statement
        tx = PgTransaction(conn)
        self._in_tx = True
        try:
            yield tx
        except BaseException:
            try:
                conn.rollback()
            except Exception:  # noqa: BLE001 - the connection may be gone: the server rolls back
                pass
            raise
        else:
            conn.commit()
        finally:
            self._in_tx = False
            tx.cur.close()

    # --- writing -----------------------------------------------------------------------

    def srid(self, table: Table) -> int:
        if self._srid is None:
            self._srid = int(
                self._scalar("SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s", (self.schema, table.name))
                or 0
            )
        return self._srid

    def _geometry_hex(self, chunk: Rows, table: Table, srid: int) -> np.ndarray:
        if chunk.xy is not None:
            a = np.zeros(chunk.n, dtype=_POINT_EWKB)
            a["order"] = 1
            a["type"] = 1 | 0x20000000
            a["srid"] = srid
            a["x"] = chunk.xy[:, 0]
            a["y"] = chunk.xy[:, 1]
            h = a.tobytes().hex()
            w = 2 * _POINT_EWKB.itemsize
            return np.array([h[i : i + w] for i in range(0, len(h), w)], dtype=object)
        geoms = as_multi(chunk.geometry, table.geometry)
        out = np.full(chunk.n, "\\N", dtype=object)
        present = ~shapely.is_missing(geoms)
        if present.any():
            out[present] = shapely.to_wkb(shapely.set_srid(geoms[present], srid), hex=True, include_srid=True)
        return out

    @staticmethod
    def _copy_column(col_type: str, values: np.ndarray) -> np.ndarray:
        if col_type == "datetime":
            iso = epoch_us_to_iso(values, unit="us", suffix="+00")
            iso[np.equal(iso, None)] = "\\N"
            return iso
        if col_type == "float":
            v = np.asarray(values, dtype=float)
            out = v.astype(str).astype(object)
            out[~np.isfinite(v)] = "\\N"
            return out
        if col_type == "int":
            v = np.asarray(values)
            if v.dtype.kind == "f":
                out = np.full(len(v), "\\N", dtype=object)
                ok = np.isfinite(v)
                out[ok] = v[ok].astype(np.int64).astype(str)
                return out
            return v.astype(np.int64).astype(str).astype(object)
        if col_type == "blob":
            return np.array(["\\N" if b is None else "\\\\x" + bytes(b).hex() for b in values], dtype=object)
        return _copy_text(values)

    def insert(self, tx, table: Table, rows: Rows, progress=None, is_cancelled=None) -> int:
        """COPY ``rows`` in batches inside ``tx``; checks ``is_cancelled`` between batches (raises Cancelled)."""
        from tranquillite_plugin.core.score import Cancelled

        columns = [c for c in table.columns if c.name in rows.columns]
        names = ([GEOM] if table.geometry else []) + [c.name for c in columns]
        sql = f"COPY {self.qname(table.name)} ({', '.join(map(_q, names))}) FROM STDIN"
        srid = 0
        if table.geometry:
            found = tx.query(
                "SELECT srid FROM geometry_columns WHERE f_table_schema = ? AND f_table_name = ?", (self.schema, table.name)
            )
            srid = int(found[0][0]) if found else 0
        rebuilt = []
        if rows.n >= BULK_ROWS:
            existing = tx.query(f"SELECT count(*) FROM {self.qname(table.name)}")[0][0]
            if rows.n > existing // 4:
                rebuilt = self._drop_secondary_indexes(tx, table)
        done = 0
        for chunk in rows.chunks(CHUNK):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            if chunk.n == 0:
                break
            parts = []
            if table.geometry:
                parts.append(self._geometry_hex(chunk, table, srid))
            for c in columns:
                parts.append(self._copy_column(c.type, chunk.columns[c.name]))
            text = "\n".join("\t".join(r) for r in zip(*parts)) + "\n"
            tx.cur.copy_expert(sql, io.StringIO(text), size=1 << 20)
            done += chunk.n
            if progress is not None:
                progress((90.0 if rebuilt else 99.0) * done / max(rows.n, 1))
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        if rebuilt:
            tx.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in rebuilt:
                tx.execute(definition)
        if progress is not None:
            progress(100.0)
        return done

    def _drop_secondary_indexes(self, tx, table: Table) -> List[str]:
        """Drops the table's indexes that back no constraint; returns their definitions."""
        found = tx.query(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = ?::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
            (self.qname(table.name),),
        )
        for name, _definition in found:
            tx.execute(f"DROP INDEX {_q(self.schema)}.{_q(name)}")
        return [definition for _name, definition in found]

    def delete(self, tx, table: Table, where: str = "", params: Sequence = ()) -> int:
        clause = f" WHERE {where}" if where else ""
        cur = tx.execute(f"DELETE FROM {self.qname(table.name)}{clause}", params)
        return cur.rowcount

    def update(self, tx, table: Table, key: str, keys: Sequence, values: Dict[str, np.ndarray]) -> int:
        psycopg2 = _psycopg2()
        types = {c.name: c.type for c in table.columns}
        names = list(values)
        cols = []
        for c in names:
            v = values[c]
            if types[c] == "datetime":
                cols.append(epoch_us_to_iso(v, unit="us", suffix="+00").tolist())
            elif types[c] in ("float", "int"):
                arr = np.asarray(v, dtype=float)
                obj = arr.astype(object)
                obj[~np.isfinite(arr)] = None
                if types[c] == "int":
                    obj = np.array([None if x is None else int(x) for x in obj], dtype=object)
                cols.append(obj.tolist())
            else:
                cols.append([None if x is None else str(x) for x in v])
        rows = list(zip(list(map(str, keys)), *cols))
        casts = ", ".join(f"{_q(c)} = v.{_q(c)}::{_SQL_TYPES[types[c]]}" for c in names)
        alias = ", ".join([_q("k")] + [_q(c) for c in names])
        sql = (
            f"UPDATE {self.qname(table.name)} AS t SET {casts} FROM (VALUES %s) AS v ({alias}) "
            f"WHERE t.{_q(key)} = v.{_q('k')}"
        )
        psycopg2.extras.execute_values(tx.cur, sql, rows, page_size=5000)
        return len(rows)

    # --- reading -----------------------------------------------------------------------

    def fetch(self, table: Table, columns: Sequence[str], where: str = "", params: Sequence = (), points: bool = False, box=None) -> Fetched:
        types = {c.name: c.type for c in table.columns}
        if box is not None and table.geometry:
            # the GiST index answers the box; numbers only, formatted here
            envelope = ", ".join(repr(float(v)) for v in box)
            test = f"{_q(GEOM)} && ST_MakeEnvelope({envelope}, {int(self.srid(table))})"
            where = f"({where}) AND {test}" if where else test
        select = [_q(FID)]
        if table.geometry:
            if points:
                select += [f"ST_X({_q(GEOM)})", f"ST_Y({_q(GEOM)})"]
            else:
                select.append(f"encode(ST_AsBinary({_q(GEOM)}), 'hex')")
        for c in columns:
            if types[c] == "datetime":
                select.append(f"(extract(epoch FROM {_q(c)}) * 1000000)::bigint")
            elif types[c] == "blob":
                select.append(f"encode({_q(c)}, 'hex')")
            else:
                select.append(_q(c))
        clause = f" WHERE {where}" if where else ""
        conn = self.conn()
        buf = io.StringIO()
        with conn.cursor() as cur:
            query = cur.mogrify(
                f"SELECT {', '.join(select)} FROM {self.qname(table.name)}{clause} ORDER BY {_q(FID)}", tuple(params)
            ).decode()
            cur.copy_expert(f"COPY ({query}) TO STDOUT", buf)
        self._end_read()
        buf.seek(0)
        n_geo = (2 if points else 1) if table.geometry else 0
        names = ["fid"] + [f"_g{i}" for i in range(n_geo)] + [f"c{i}" for i in range(len(columns))]
        dtypes = {"fid": np.int64}
        for i, c in enumerate(columns):
            dtypes[f"c{i}"] = {"int": "Int64", "float": float, "datetime": "Int64"}.get(types[c], object)
        if points and table.geometry:
            dtypes["_g0"] = dtypes["_g1"] = float
        frame = pd.read_csv(
            buf,
            sep="\t",
            header=None,
            names=names,
            dtype=dtypes,
            na_values=["\\N"],
            keep_default_na=False,
            quoting=3,
            float_precision="round_trip",
            engine="c",
        )
        out: Dict[str, object] = {}
        for i, c in enumerate(columns):
            s = frame[f"c{i}"]
            if types[c] == "datetime":
                out[c] = s.fillna(NAT).to_numpy(np.int64)
            elif types[c] == "int":
                out[c] = s.astype(float).to_numpy()
            elif types[c] == "float":
                out[c] = s.to_numpy(float)
            elif types[c] == "blob":
                out[c] = np.array([None if pd.isna(v) else bytes.fromhex(v) for v in s], dtype=object)
            else:
                obj = s.to_numpy(object)
                obj = np.array([None if (v is None or (isinstance(v, float) and v != v)) else _unescape(v) for v in obj], dtype=object)
                out[c] = obj
        fids = frame["fid"].to_numpy(np.int64)
        if not table.geometry:
            return Fetched(fids, out)
        if points:
            return Fetched(fids, out, xy=np.column_stack([frame["_g0"].to_numpy(float), frame["_g1"].to_numpy(float)]))
        hexes = frame["_g0"].to_numpy(object)
        geoms = np.full(len(hexes), None, dtype=object)
        ok = np.array([isinstance(h, str) for h in hexes], dtype=bool)
        if ok.any():
            geoms[ok] = shapely.from_wkb(hexes[ok].astype(str), on_invalid="ignore")
        return Fetched(fids, out, geometry=geoms)

    def count(self, table: Table, where: str = "", params: Sequence = ()) -> int:
        clause = f" WHERE {where}" if where else ""
        return int(self._scalar(f"SELECT count(*) FROM {self.qname(table.name)}{clause}", params))

    def conninfo_parts(self) -> Dict[str, str]:
        psycopg2 = _psycopg2()
        try:
            return psycopg2.extensions.parse_dsn(self.target.conninfo)
        except psycopg2.ProgrammingError as err:
            raise StoreError(f"invalid PostgreSQL connection '{strip_password(self.target.conninfo)}': {err}") from None

    def uri(self, table: Table, geometry_type: Optional[str] = None, where: str = "") -> str:
        """A QGIS ``postgres`` provider data source for the table."""
        parts = self.conninfo_parts()
        items = []
        if self.target.authcfg:
            parts["authcfg"] = self.target.authcfg
        # never a password: credentials come from the authcfg, a pg_service entry or ~/.pgpass
        for key in ("service", "dbname", "host", "port", "user", "sslmode", "sslrootcert", "sslcert", "sslkey", "authcfg"):
            if parts.get(key):
                value = str(parts[key]).replace("\\", "\\\\").replace("'", "\\'")
                items.append(f"{key}='{value}'")
        items.append(f"key='{FID}'")
        items.append("checkPrimaryKeyUnicity='0'")
        if table.geometry:
            srid = self.srid(table) or ""
            gtype = geometry_type or (table.geometry if table.geometry != "Geometry" else "GeometryCollection")
            items.append(f"srid={srid}")
            items.append(f"type={gtype}")
            if gtype == "GeometryCollection" and where:
                # every event at once, filtered: QGIS's provider returns no feature for a GeometryCollection
                # layer with a subset string, but reads a subquery (plain identifiers: no quotes needed)
                items.append(f'table="(SELECT * FROM {self.schema}.{table.name} WHERE {where.replace(chr(34), "")})" ({GEOM})')
                return " ".join(items)
            items.append(f'table="{self.schema}"."{table.name}" ({GEOM})')
        else:
            items.append(f'table="{self.schema}"."{table.name}"')
        text = " ".join(items)
        if where:
            text += f" sql={where}"
        return text

    def notify_message(self, table: Table) -> str:
        return f"{self.schema}.{table.name}"
