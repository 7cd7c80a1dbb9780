"""The observatory store's tables, and their migrations, as data.

Both backends (GeoPackage, PostGIS) render the same declarations into their
own DDL, so the two stores hold the same tables with the same columns:

* layer tables: ``facts`` (points), ``events`` (points, itineraries and
  areas in one table), ``sectors`` (multipolygons), ``axes`` (multilines),
  ``cameras`` (points);
* ``settings`` (key, JSON value), ``model_state`` (the trained model's bytes,
  one row per model name), ``audit`` (the hash-chained trail), and
  ``tq_meta`` (schema version, CRS, creation), whose presence marks a store.

Past and planned events share the ``events`` table; a ``status`` column says
``past`` or ``planned``. One table keeps an event's identity when it moves
from planned to past (same ``event_id``, same row, same attachments), lets
one QGIS layer show both (styled or filtered on ``status``), and lets the
model read "every event that started before p" with one query.

Migrations: :data:`MIGRATIONS` maps each schema version to the steps that
bring a store from the version before to it. A store records its version in
``tq_meta``; opening a store applies the missing steps in one transaction.
Steps are declarative (create a table, add a column, convert datetimes) so
that each backend applies them in its own dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Tuple

#: the version a new store is created at
SCHEMA_VERSION = 4

#: marker table: a GeoPackage or PostgreSQL schema holding it is a store
META_TABLE = "tq_meta"

LAYER_KINDS = ("facts", "events", "sectors", "axes", "cameras")
EVENT_STATUSES = ("past", "planned")

#: column types: text, int, float, datetime (instant, tz-aware), blob
COLUMN_TYPES = ("text", "int", "float", "datetime", "blob")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool = False
    default: Optional[str] = None  # SQL literal, e.g. "1" or "'past'"
    unique: bool = False

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column '{self.name}': unknown type '{self.type}'")


@dataclass(frozen=True)
class Table:
    name: str
    columns: Tuple[Column, ...]
    #: None for an attribute table; else 'Point', 'MultiLineString', 'MultiPolygon' or 'Geometry'
    geometry: Optional[str] = None
    #: the layer kind of the data contract it holds, if any
    kind: Optional[str] = None
    #: the column that identifies a feature across imports (unique), if any
    key: Optional[str] = None
    #: plain (non-unique) indexes: column names
    indexes: Tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table '{self.name}' has no column '{name}'")

    @property
    def column_names(self) -> List[str]:
        return [c.name for c in self.columns]


FID = "fid"
GEOM = "geom"


def _t(name, columns, geometry=None, kind=None, key=None, indexes=()) -> Table:
    return Table(name, tuple(columns), geometry, kind, key, tuple(indexes))


C = Column

# --- version 1 -----------------------------------------------------------------------

_V1_TABLES = (
    _t(META_TABLE, [C("key", "text", True, unique=True), C("value", "text")]),
    _t("settings", [C("key", "text", True, unique=True), C("value", "text")]),
    _t(
        "model_state",
        [
            C("name", "text", True, unique=True),
            C("saved_at", "text", True),
            C("fingerprint", "text"),
            C("n_bytes", "int"),
            C("data", "blob", True),
        ],
    ),
    _t(
        "audit",
        [
            C("at", "text", True),
            C("os_user", "text", True),
            C("algorithm", "text", True),
            C("parameters", "text"),
            C("inputs", "text"),
            C("n_features", "int"),
            C("model_fingerprint", "text"),
            C("summary", "text"),
            C("prev_hash", "text", True),
            C("row_hash", "text", True),
        ],
    ),
    _t(
        "facts",
        [
            C("category", "text", True),
            C("occurred_at", "datetime", True),
            C("count", "int", True, "1"),
            C("source", "text"),
        ],
        geometry="Point",
        kind="facts",
        indexes=("occurred_at",),
    ),
    _t(
        "events",
        [
            C("event_id", "text", True, unique=True),
            C("nature", "text", True),
            C("participants", "int", True),
            C("start", "datetime", True),
            C("end", "datetime", True),
            C("sector", "text"),
            C("status", "text", True, "'past'"),
            C("score", "float"),
            C("n_facts", "int"),
            C("score_detail", "text"),
            C("scored_at", "datetime"),
        ],
        geometry="Geometry",
        kind="events",
        key="event_id",
        indexes=("start", "status"),
    ),
    _t(
        "sectors",
        [C("sector_id", "text", True, unique=True), C("name", "text")],
        geometry="MultiPolygon",
        kind="sectors",
        key="sector_id",
    ),
    _t(
        "axes",
        [
            C("axis_id", "text", True, unique=True),
            C("name", "text"),
            C("status", "text", True, "'inconnu'"),
            C("updated_at", "datetime"),
        ],
        geometry="MultiLineString",
        kind="axes",
        key="axis_id",
    ),
    _t(
        "cameras",
        [
            C("camera_id", "text", True, unique=True),
            C("radius_m", "float", True),
            C("bearing_deg", "float"),
            C("fov_deg", "float"),
        ],
        geometry="Point",
        kind="cameras",
        key="camera_id",
    ),
)


# --- migration steps ------------------------------------------------------------------


@dataclass(frozen=True)
class CreateTable:
    table: Table


@dataclass(frozen=True)
class AddColumn:
    table: str
    column: Column


@dataclass(frozen=True)
class DatetimesToUtc:
    """Every datetime of the store's tables stored in UTC.

    GeoPackage: texts rewritten ``YYYY-MM-DDTHH:MM:SS.sssZ``, as the standard
    says (schema 2 wrote Paris time with its offset; a zone-less text, as QGIS
    3.22's forms wrote them, was Paris time). PostGIS: ``timestamptz`` already
    holds instants, nothing to change.
    """


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    steps: Tuple[object, ...] = field(default_factory=tuple)


MIGRATIONS: Dict[int, Migration] = {
    1: Migration(1, "layers, settings, model state and audit trail", tuple(CreateTable(t) for t in _V1_TABLES)),
    2: Migration(
        2,
        "transferred score and band of planned events",
        (
            AddColumn("events", C("predicted", "float")),
            AddColumn("events", C("predicted_low", "float")),
            AddColumn("events", C("predicted_high", "float")),
            AddColumn("events", C("predicted_at", "datetime")),
            AddColumn("events", C("model_fingerprint", "text")),
        ),
    ),
    3: Migration(
        3,
        "fairness control history and counts kept after retention",
        (
            CreateTable(
                _t(
                    "fairness_control",
                    [
                        C("at", "text", True),
                        C("model_fingerprint", "text"),
                        C("period_start", "text"),
                        C("period_end", "text"),
                        C("n_events", "int"),
                        C("snapshot", "text", True),
                        C("result", "text", True),
                    ],
                )
            ),
            CreateTable(
                _t(
                    "retention_counts",
                    [
                        C("kind", "text", True),
                        C("sector", "text", True),
                        C("month", "text", True),
                        C("category", "text", True),
                        C("n_records", "int", True),
                        C("n_facts", "int", True),
                    ],
                    indexes=("month",),
                )
            ),
        ),
    ),
    4: Migration(4, "datetimes stored in UTC (GeoPackage standard); shown in Europe/Paris time", (DatetimesToUtc(),)),
}


def tables_at(version: int = SCHEMA_VERSION) -> Dict[str, Table]:
    """The tables of a store at ``version``, by name."""
    if version < 1 or version > SCHEMA_VERSION:
        raise ValueError(f"schema version {version} is not between 1 and {SCHEMA_VERSION}")
    out: Dict[str, Table] = {}
    for v in range(1, version + 1):
        for step in MIGRATIONS[v].steps:
            if isinstance(step, CreateTable):
                out[step.table.name] = step.table
            elif isinstance(step, AddColumn):
                t = out[step.table]
                out[step.table] = replace(t, columns=t.columns + (step.column,))
    return out


TABLES = tables_at(SCHEMA_VERSION)

#: the layer table of each contract kind
LAYER_TABLES: Dict[str, Table] = {t.kind: t for t in TABLES.values() if t.kind}

#: contract columns of each layer kind, in the store's tables (geometry aside)
CONTRACT_COLUMNS = {
    "facts": ("category", "occurred_at", "count", "source"),
    "events": ("event_id", "nature", "participants", "start", "end", "sector"),
    "sectors": ("sector_id", "name"),
    "axes": ("axis_id", "name", "status", "updated_at"),
    "cameras": ("camera_id", "radius_m", "bearing_deg", "fov_deg"),
}

#: the tables whose changes other workstations must see (NOTIFY on PostGIS)
SHARED_TABLES = LAYER_KINDS + ("audit", "settings", "model_state", "fairness_control", "retention_counts")


def steps_after(version: int, target: int = SCHEMA_VERSION) -> List[Tuple[int, object]]:
    """Migration steps that bring a store from ``version`` to ``target``."""
    out = []
    for v in range(version + 1, target + 1):
        out.extend((v, s) for s in MIGRATIONS[v].steps)
    return out


def point_kind(kind: str) -> bool:
    return LAYER_TABLES[kind].geometry == "Point"
