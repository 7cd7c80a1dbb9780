"""What both store backends implement, and how a store target is read.

A *target* names a store:

* a GeoPackage path (``/data/observatoire.gpkg``) — the default, embedded;
* a PostgreSQL connection: ``postgresql://user@host:5432/db``, ``PG:dbname=db
  host=...`` (GDAL style) or ``service=name``; the PostgreSQL schema holding
  the store is ``tranquillite`` unless the target says otherwise with
  ``schema=name`` (a query parameter of a URI, or a ``key=value`` pair).

Rows travel between the observatory and a backend as :class:`Rows`: columns
in neutral numpy form (text as object arrays with ``None`` for NULL, numbers,
datetimes as int64 microseconds since the epoch UTC with :data:`NAT` for
NULL) and the geometry as an ``(n, 2)`` array of points or as shapely
geometries. Each backend encodes them for its own engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List, Optional, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import shapely

from tranquillite_plugin.store.schema import Table

DEFAULT_PG_SCHEMA = "tranquillite"
NAT = np.iinfo(np.int64).min
#: rows written per statement batch: progress and cancel are checked between batches
CHUNK = 100_000


class StoreError(RuntimeError):
    """The store cannot be created, opened, read or written."""


# --- targets ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    backend: str  # "gpkg" or "postgis"
    path: str = ""  # gpkg
    conninfo: str = ""  # postgis: libpq connection string, without the schema (nor authcfg)
    schema: str = DEFAULT_PG_SCHEMA
    authcfg: str = ""  # postgis: a QGIS authentication configuration holding the credentials

    def display(self) -> str:
        """The target without any password, for logs, projects and the audit."""
        if self.backend == "gpkg":
            return self.path
        text = strip_password(self.conninfo)
        extra = {"authcfg": self.authcfg} if self.authcfg else {}
        if "://" in text:
            return _with_query(text, **extra, schema=self.schema)
        return " ".join([text] + [f"authcfg={self.authcfg}"] * bool(self.authcfg) + [f"schema={self.schema}"])


#: resolves a QGIS ``authcfg`` into libpq parameters (None: QGIS's, store/qgis_auth.py)
_authcfg_resolver: Optional[Callable[[Dict[str, str], str], Dict[str, str]]] = None


def set_authcfg_resolver(fn: Optional[Callable[[Dict[str, str], str], Dict[str, str]]]) -> None:
    global _authcfg_resolver
    _authcfg_resolver = fn


def resolve_authcfg(parts: Dict[str, str], authcfg: str) -> Dict[str, str]:
    """libpq parameters with the credentials of ``authcfg`` filled in (kept in memory only)."""
    if not authcfg:
        return parts
    if _authcfg_resolver is not None:
        return _authcfg_resolver(dict(parts), authcfg)
    try:  # QGIS's authentication manager (imported here: qgis_auth needs QGIS, the store's core does not)
        from tranquillite_plugin.store.qgis_auth import AuthcfgError, resolve
    except ImportError:
        raise StoreError(
            f"authcfg '{authcfg}' is a QGIS authentication configuration: open the store from QGIS or qgis_process"
        ) from None
    try:
        return resolve(dict(parts), authcfg)
    except AuthcfgError as err:
        raise StoreError(str(err)) from None


LOOPBACK_NAMES = ("", "localhost", "localhost.localdomain")


def is_loopback(host: str) -> bool:
    import ipaddress

    host = (host or "").strip()
    if host in LOOPBACK_NAMES or host.startswith("/"):  # no host or a Unix socket: this machine
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def transport_problem(host: str, sslmode: str) -> str:
    """Why a connection is exposed on the network ('' when it is not): below verify-ca to a remote host."""
    hosts = [h for h in (host or "").split(",")] or [""]
    remote = [h for h in hosts if not is_loopback(h)]
    mode = (sslmode or "prefer").strip().lower()
    if not remote or mode in ("verify-ca", "verify-full"):
        return ""
    return (
        f"the connection to {', '.join(remote)} uses sslmode={mode}: the server's identity is not verified "
        "(anyone on the network path can read or change the data); use sslmode=verify-full with sslrootcert"
    )


_KV = re.compile(r"""(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)""")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def is_postgres_target(target: str) -> bool:
    t = (target or "").strip()
    return (
        t.startswith(("postgresql://", "postgres://", "PG:", "pg:"))
        or re.match(r"^\s*(service|dbname|host)\s*=", t) is not None
    )


def parse_target(target: str) -> Target:
    """A store target string -> :class:`Target` (no connection made)."""
    text = (target or "").strip()
    if not text:
        raise StoreError("no store given: a .gpkg path or a PostgreSQL connection string")
    if not is_postgres_target(text):
        if text.lower().startswith("file://"):
            text = text[7:]
        text = text.split("|", 1)[0]
        if not text.lower().endswith(".gpkg"):
            raise StoreError(f"store '{text}': a GeoPackage store is a .gpkg file (or give a PostgreSQL connection)")
        return Target("gpkg", path=text)
    if text[:3].upper() == "PG:":
        text = text[3:].strip()
    schema = DEFAULT_PG_SCHEMA
    authcfg = ""
    if "://" in text:
        parts = urlsplit(text)
        query = []
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key in ("schema", "active_schema", "schemas"):
                schema = value.split(",")[0]
            elif key == "authcfg":
                authcfg = value
            else:
                query.append((key, value))
        conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    else:
        kept = []
        for m in _KV.finditer(text):
            key, value = m.group(1), m.group(2)
            if key in ("schema", "active_schema", "schemas"):
                schema = value.strip("'").split(",")[0]
            elif key == "authcfg":
                authcfg = value.strip("'")
            elif key in ("tables", "table", "key", "srid", "type", "checkPrimaryKeyUnicity", "estimatedmetadata", "sql"):
                continue  # QGIS/GDAL layer options, not libpq's
            else:
                kept.append(f"{key}={value}")
        conninfo = " ".join(kept)
    if not _IDENT.match(schema):
        raise StoreError(f"PostgreSQL schema name '{schema}' is not a plain identifier")
    if authcfg and not re.match(r"^[A-Za-z0-9]{1,32}$", authcfg):
        raise StoreError(f"authcfg '{authcfg}' is not a QGIS authentication configuration id")
    return Target("postgis", conninfo=conninfo, schema=schema.lower(), authcfg=authcfg)


def strip_password(conninfo: str) -> str:
    if "://" in conninfo:
        parts = urlsplit(conninfo)
        netloc = parts.netloc
        if "@" in netloc:
            cred, host = netloc.rsplit("@", 1)
            netloc = f"{cred.split(':', 1)[0]}@{host}"
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"]
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), parts.fragment))
    return " ".join(f"{m.group(1)}={m.group(2)}" for m in _KV.finditer(conninfo) if m.group(1) != "password")


def _with_query(uri: str, **extra) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(extra.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


# --- rows ---------------------------------------------------------------------------


@dataclass
class Rows:
    """Rows for one table, in neutral form (see the module docstring)."""

    columns: Dict[str, np.ndarray]
    xy: Optional[np.ndarray] = None
    geometry: Optional[np.ndarray] = None
    n: int = 0

    def __post_init__(self):
        if self.xy is not None:
            self.n = len(self.xy)
        elif self.geometry is not None:
            self.n = len(self.geometry)
        elif self.columns:
            self.n = len(next(iter(self.columns.values())))

    def slice(self, start: int, stop: int) -> "Rows":
        return Rows(
            {k: v[start:stop] for k, v in self.columns.items()},
            None if self.xy is None else self.xy[start:stop],
            None if self.geometry is None else self.geometry[start:stop],
        )

    def chunks(self, size: int = CHUNK) -> Iterator["Rows"]:
        for start in range(0, max(self.n, 1), size):
            if start >= self.n and self.n:
                break
            yield self.slice(start, start + size)


@dataclass
class Fetched:
    """Rows read back from a table: fids, attributes (neutral form), geometry."""

    fids: np.ndarray
    columns: Dict[str, object]
    xy: Optional[np.ndarray] = None
    geometry: Optional[np.ndarray] = None


def as_multi(geoms: np.ndarray, geometry: str) -> np.ndarray:
    """Single parts -> multi parts for MultiPolygon / MultiLineString columns."""
    geoms = np.asarray(geoms, dtype=object)
    if geometry not in ("MultiPolygon", "MultiLineString") or len(geoms) == 0:
        return geoms
    single = 3 if geometry == "MultiPolygon" else 1
    tid = shapely.get_type_id(geoms)
    out = geoms.copy()
    idx = np.flatnonzero(tid == single)
    make = shapely.MultiPolygon if single == 3 else shapely.MultiLineString
    for i in idx:
        out[i] = make([geoms[i]])
    return out


def epoch_us_to_iso(us: np.ndarray, unit: str = "us", suffix: str = "Z") -> np.ndarray:
    """int64 µs UTC (NAT for NULL) -> ISO 8601 text in UTC (None for NULL)."""
    us = np.asarray(us, dtype=np.int64)
    out = np.full(len(us), None, dtype=object)
    ok = us != NAT
    if ok.any():
        text = np.datetime_as_string(us[ok].astype("datetime64[us]").astype(f"datetime64[{unit}]"), unit=unit)
        out[ok] = np.char.add(text.astype(str), suffix).astype(object)
    return out


# --- backend interface ----------------------------------------------------------------


class Transaction:
    """One backend transaction: SQL with '?' placeholders, names quoted by the backend."""

    def execute(self, sql: str, params: Sequence = ()):  # pragma: no cover - interface
        raise NotImplementedError

    def executemany(self, sql: str, rows) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def query(self, sql: str, params: Sequence = ()) -> List[tuple]:  # pragma: no cover - interface
        raise NotImplementedError


ProgressFn = Optional[Callable[[float], None]]
CancelFn = Optional[Callable[[], bool]]


class Backend:
    """Interface of a store backend (see gpkg_backend and postgis_backend)."""

    name = ""
    provider = ""  # QGIS data provider of its layers

    def qname(self, table: str) -> str:  # pragma: no cover - interface
        """The quoted, qualified name of a table."""
        raise NotImplementedError

    def query(self, sql: str, params: Sequence = ()) -> List[tuple]:  # pragma: no cover - interface
        """A read outside any transaction, '?' placeholders."""
        raise NotImplementedError

    def exists(self) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def is_store(self) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def create(self, tables: Sequence[Table], crs: str, meta: Dict[str, str]) -> None:  # pragma: no cover
        raise NotImplementedError

    def apply_steps(self, steps: Sequence[object], crs: str, finish=None) -> None:  # pragma: no cover - interface
        """Migration steps; ``finish(tx)`` runs inside the same transaction as the data changes."""
        raise NotImplementedError

    def transaction(self):  # pragma: no cover - interface
        raise NotImplementedError

    def insert(self, tx, table: Table, rows: Rows, progress: ProgressFn = None, is_cancelled: CancelFn = None) -> int:
        raise NotImplementedError  # pragma: no cover - interface

    def delete(self, tx, table: Table, where: str = "", params: Sequence = ()) -> int:  # pragma: no cover
        raise NotImplementedError

    def update(self, tx, table: Table, key: str, keys: Sequence, values: Dict[str, np.ndarray]) -> int:
        raise NotImplementedError  # pragma: no cover - interface

    def count(self, table: Table, where: str = "", params: Sequence = ()) -> int:  # pragma: no cover
        raise NotImplementedError

    def fetch(self, table: Table, columns: Sequence[str], where: str = "", params: Sequence = (), points: bool = False, box=None) -> Fetched:
        """Rows of ``table`` (``where``: SQL filter; ``box``: minx, miny, maxx, maxy the geometry's box must meet)."""
        raise NotImplementedError  # pragma: no cover - interface

    def uri(self, table: Table, geometry_type: Optional[str] = None, where: str = "") -> str:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError
