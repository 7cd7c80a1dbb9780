"""The observatory store: one interface, two backends (SPEC §6).

    obs = Observatory.create("/data/marseille.gpkg")                 # embedded
    obs = Observatory.open("postgresql://obs@srv/ville?schema=obs")  # shared
    report = obs.import_layer("facts", qgis_layer, field_map={"category": "type_fait"})
    facts = obs.read("facts")            # clean frame of the data contract
    uri = obs.uri("axes")                # data source for a QGIS layer

* **Targets**: a ``.gpkg`` path, or a PostgreSQL connection (``postgresql://``,
  ``PG:``, ``service=``; schema ``tranquillite`` unless ``schema=`` says
  otherwise). See :mod:`tranquillite_plugin.store.backend`.
* **Tables**: see :mod:`tranquillite_plugin.store.schema` (past and planned
  events share ``events``, told apart by ``status``).
* **All-or-nothing**: an import (delete for *replace*, insert, audit row)
  and a scoring write (updates, audit row) are each one transaction; cancel,
  error or a killed process leave the store as it was.
* **Upgrades**: :meth:`Observatory.open` applies the missing migrations.
* **Privacy**: an import passes the attributes through the privacy guard
  (``core.privacy.check_personal_data``) before anything else; only the
  contract's fields are stored anyway.
* **Audit**: imports and scoring writes append their audit row in their own
  transaction; other computations call :meth:`Observatory.record`.

No QGIS import here (a QGIS layer given to :meth:`import_layer` is read by
``store.qgis_layers``), so benchmarks and tools use the store headless.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import numpy as np
import pandas as pd

from tranquillite_plugin.core.contract import (
    DEFAULT_CRS,
    ContractError,
    ContractReport,
    RawLayer,
    validate,
)
from tranquillite_plugin.core.privacy import privacy_guard
from tranquillite_plugin.core.timeutil import from_epoch_us, to_epoch_us
from tranquillite_plugin.store import audit as _audit
from tranquillite_plugin.store.backend import NAT, Backend, Rows, StoreError, Target, parse_target
from tranquillite_plugin.store.ogr_io import utc_texts
from tranquillite_plugin.store.schema import (
    CONTRACT_COLUMNS,
    EVENT_STATUSES,
    LAYER_KINDS,
    LAYER_TABLES,
    META_TABLE,
    SCHEMA_VERSION,
    TABLES,
    point_kind,
    steps_after,
    tables_at,
)

IMPORT_MODES = ("append", "replace")
#: columns write_scores may set on events
SCORE_COLUMNS = (
    "score", "n_facts", "score_detail", "scored_at",
    "predicted", "predicted_low", "predicted_high", "predicted_at", "model_fingerprint",
)
APPLICATION = "Tranquillité publique"


def _backend(target: Target) -> Backend:
    if target.backend == "gpkg":
        from tranquillite_plugin.store.gpkg_backend import GpkgBackend

        return GpkgBackend(target.path)
    from tranquillite_plugin.store.postgis_backend import PostgisBackend

    return PostgisBackend(target)


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


class Observatory:
    """An open observatory store (see the module docstring)."""

    def __init__(self, target: Target, backend: Backend, meta: Dict[str, str]):
        self._target = target
        self.backend = backend
        self.meta = meta

    # --- creating and opening ----------------------------------------------------------

    @classmethod
    def create(cls, target: str, crs: str = DEFAULT_CRS, schema_version: int = SCHEMA_VERSION) -> "Observatory":
        """Creates a new, empty store (fails if the file or schema already holds one)."""
        t = parse_target(target)
        backend = _backend(t)
        if t.backend == "gpkg" and backend.exists():
            kind = "an observatory store (open it instead)" if backend.is_store() else "a file that is not an observatory store"
            raise StoreError(f"'{t.path}' already exists and is {kind}")
        if t.backend == "postgis" and backend.is_store():
            backend.close()
            raise StoreError(f"schema '{t.schema}' already holds an observatory store (open it instead)")
        crs = _normalise_crs(crs)
        meta = {
            "schema_version": str(int(schema_version)),
            "crs": crs,
            "created_at": _audit.now_utc(),
            "created_by": _audit.os_user(),
            "application": APPLICATION,
        }
        try:
            backend.create(list(tables_at(schema_version).values()), crs, meta)
            obs = cls(t, backend, meta)
            obs.record("createstore", {"STORE": t.display(), "CRS": crs, "SCHEMA_VERSION": schema_version})
        except BaseException:
            backend.close()
            raise
        return obs

    @classmethod
    def open(cls, target: str, upgrade: bool = True) -> "Observatory":
        """Opens an existing store; applies the missing schema migrations unless ``upgrade`` is False."""
        t = parse_target(target)
        backend = _backend(t)
        if t.backend == "gpkg" and not backend.exists():
            raise StoreError(f"store '{t.path}' does not exist (create it first)")
        try:
            if not backend.is_store():
                where = f"'{t.path}'" if t.backend == "gpkg" else f"schema '{t.schema}' of {t.display()}"
                raise StoreError(f"{where} is not an observatory store (no '{META_TABLE}' table)")
            meta = dict(backend.query(f"SELECT key, value FROM {backend.qname(META_TABLE)}"))
            obs = cls(t, backend, meta)
            version = obs.schema_version
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"store {t.display()} has schema version {version}, newer than this plugin's "
                    f"({SCHEMA_VERSION}): update the plugin"
                )
            if version < SCHEMA_VERSION and upgrade:
                obs._upgrade(version)
        except BaseException:
            backend.close()
            raise
        return obs

    @classmethod
    def open_or_create(cls, target: str, crs: str = DEFAULT_CRS) -> "Observatory":
        return cls.open(target) if cls.is_store(target) else cls.create(target, crs)

    @staticmethod
    def is_store(target: str) -> bool:
        """True when ``target`` holds an observatory store (no error when it does not exist)."""
        try:
            t = parse_target(target)
        except StoreError:
            return False
        backend = _backend(t)
        try:
            return backend.is_store()
        except StoreError:
            return False
        except Exception:  # noqa: BLE001 - unreachable server, bad file: not a store we can use
            return False
        finally:
            backend.close()

    def _upgrade(self, version: int) -> None:
        """Missing migrations, the new version and its audit row: one transaction (tables a
        GeoPackage must create through OGR aside, which only the first version has)."""
        steps = [s for _v, s in steps_after(version)]

        def finish(tx) -> None:
            _audit.meta_set(tx, self.backend, "schema_version", str(SCHEMA_VERSION))
            _audit.append(
                self.backend, tx, "upgradestore",
                {"STORE": self.target, "FROM_VERSION": version, "TO_VERSION": SCHEMA_VERSION},
            )

        self.backend.apply_steps(steps, self.crs, finish=finish)
        self.meta["schema_version"] = str(SCHEMA_VERSION)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Observatory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- what it is ----------------------------------------------------------------------

    @property
    def target(self) -> str:
        """The store's target, without any password."""
        return self._target.display()

    @property
    def backend_name(self) -> str:
        return self._target.backend

    @property
    def provider(self) -> str:
        """The QGIS data provider of the store's layers ('ogr' or 'postgres')."""
        return self.backend.provider

    @property
    def crs(self) -> str:
        return self.meta.get("crs", DEFAULT_CRS)

    @property
    def schema_version(self) -> int:
        return int(self.meta.get("schema_version", "1"))

    @property
    def path(self) -> Optional[str]:
        return self._target.path or None

    @property
    def pg_schema(self) -> Optional[str]:
        return self._target.schema if self._target.backend == "postgis" else None

    def transport_warning(self) -> str:
        """Why the connection to a shared store is exposed (below verify-ca to a remote host), or ''."""
        check = getattr(self.backend, "transport_warning", None)
        return check() if check is not None else ""

    def count(self, kind: str, status: Optional[str] = None) -> int:
        kind, status = _kind_status(kind, status)
        return self.backend.count(LAYER_TABLES[kind], _status_where(kind, status))

    def counts(self) -> Dict[str, int]:
        out = {k: self.count(k) for k in LAYER_KINDS}
        out["planned"] = self.count("events", "planned")
        return out

    # --- importing -------------------------------------------------------------------------

    def import_layer(
        self,
        kind: str,
        source: Any,
        field_map: Optional[Mapping[str, str]] = None,
        drop_fields: Iterable[str] = (),
        mode: str = "append",
        status: Optional[str] = None,
        progress=None,
        is_cancelled=None,
        feedback=None,
        name: Optional[str] = None,
        audit: bool = True,
        parameters: Optional[Mapping] = None,
    ) -> ContractReport:
        """Validates a layer against the contract and stores it, all or nothing.

        ``kind``: facts, events, sectors, axes, cameras (or ``planned`` for
        planned events). ``source``: a QGIS vector layer, a :class:`RawLayer`,
        a clean frame of the contract, or a path (``file.gpkg|layername=x``).
        ``mode``: ``append`` adds the features (those whose id is already in
        the store are refused, and reported); ``replace`` empties the layer
        first (for events, only those of the same ``status``).

        Raises :class:`ContractError` when the layer breaks the contract as a
        whole, ``PersonalDataError`` when it holds personal fields that are
        not dropped, :class:`~tranquillite_plugin.core.score.Cancelled` when
        cancelled. Returns the report: read, taken, repaired, refused.
        """
        from tranquillite_plugin.core.score import Cancelled

        kind, status = _kind_status(kind, status)
        if mode not in IMPORT_MODES:
            raise ValueError(f"import mode '{mode}' is not one of {', '.join(IMPORT_MODES)}")
        if feedback is not None:
            progress = progress or feedback.setProgress
            is_cancelled = is_cancelled or feedback.isCanceled

        def stage(lo: float, hi: float):
            def report(percent: float) -> None:
                if progress is not None:
                    progress(lo + (hi - lo) * percent / 100.0)

            return report

        def check_cancel() -> None:
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()

        table = LAYER_TABLES[kind]
        raw = self._raw(kind, source, name, feedback)
        check_cancel()
        stage(0, 15)(100)
        before_guard = raw
        try:
            raw, dropped, privacy = privacy_guard(raw, drop_fields)
        except ValueError as err:
            from tranquillite_plugin.core.privacy import PersonalDataError

            if audit and isinstance(err, PersonalDataError):
                from tranquillite_plugin.store.transparency import record_refusal

                record_refusal(self, kind if status != "planned" else "planned", err)
            raise
        from tranquillite_plugin.store.layer_reader import reproject

        if raw.crs:
            raw = reproject(raw, self.crs)
        check_cancel()
        clean, report = validate(kind, raw, field_map)
        report.dropped_fields = list(dropped)
        stage(0, 25)(100)
        check_cancel()
        if kind == "events":
            clean = self._fill_sectors(clean)
        with self.backend.transaction() as tx:
            deleted = 0
            if mode == "replace":
                deleted = self.backend.delete(tx, table, _status_where(kind, status))
            elif table.key:
                clean = self._refuse_existing(tx, table, clean, report)
            rows = _rows_of(kind, clean, status)
            written = self.backend.insert(tx, table, rows, stage(25, 98), is_cancelled)
            if audit:
                params = dict(parameters or {})
                params.setdefault("KIND", kind if status != "planned" else "planned")
                params.setdefault("MODE", mode)
                params.setdefault("FIELD_MAP", dict(field_map or {}))
                params.setdefault("DROP_FIELDS", list(drop_fields or ()))
                summary = _audit.summary_of(report)
                summary.update({"written": int(written), "deleted": int(deleted), "table": table.name})
                if privacy is not None:
                    summary["personal_fields_dropped"] = list(getattr(privacy, "dropped", dropped))
                    summary["personal_fields_reasons"] = _drop_reasons(before_guard, summary["personal_fields_dropped"])
                _audit.append(
                    self.backend, tx, "importlayer", params,
                    [{"layer": raw.name, "source": _source_text(source), "n_features": report.read}],
                    report.taken, None, summary,
                )
        stage(0, 100)(100)
        return report

    def _raw(self, kind: str, source: Any, name: Optional[str], feedback=None) -> RawLayer:
        points = point_kind(kind)
        if isinstance(source, RawLayer):
            return source
        if isinstance(source, pd.DataFrame):
            return raw_of_frame(kind, source, source.attrs.get("crs") or self.crs, name or f"{kind} frame")
        if isinstance(source, str):
            from tranquillite_plugin.store.layer_reader import read_ogr

            path, _, rest = source.partition("|")
            layer = None
            for part in rest.split("|"):
                if part.startswith("layername="):
                    layer = part.split("=", 1)[1]
            return read_ogr(path, layer, name=name or os.path.basename(path), points_as_xy=points)
        if hasattr(source, "providerType"):
            from tranquillite_plugin.store.qgis_layers import read_layer

            return read_layer(source, self.crs, points_as_xy=points, name=name, feedback=feedback)
        raise TypeError(f"cannot import a {type(source).__name__}: give a QGIS layer, a RawLayer, a frame or a path")

    def _fill_sectors(self, clean: pd.DataFrame) -> pd.DataFrame:
        """Events without a sector get the sector of their footprint's centroid, else the nearest (SPEC §2)."""
        if not len(clean) or (clean["sector"].astype(str) != "").all() or self.count("sectors") == 0:
            return clean
        from tranquillite_plugin.core.axes import assign_sectors

        return assign_sectors(clean, self.read("sectors"))

    def _refuse_existing(self, tx, table, clean: pd.DataFrame, report: ContractReport) -> pd.DataFrame:
        key = table.key
        if not len(clean):
            return clean
        existing = {r[0] for r in tx.query(f'SELECT "{key}" FROM {self.backend.qname(table.name)}')}
        dup = clean[key].isin(existing).to_numpy()
        if dup.any():
            for fid, value in zip(clean.loc[dup, "fid"], clean.loc[dup, key]):
                report.add(
                    [fid], key,
                    f"{key} {value!r} is already in the store (import with mode 'replace' to replace the layer)",
                    "refused",
                )
            report.refused += int(dup.sum())
            report.taken -= int(dup.sum())
            clean = clean.loc[~dup].reset_index(drop=True)
        return clean

    # --- reading ---------------------------------------------------------------------------

    def read(self, kind: str, status: Optional[str] = None, with_report: bool = False, where: str = "", box=None):
        """A layer of the store as a clean frame of the data contract.

        Events also carry ``status`` and their score columns. Rows edited in
        QGIS into something the contract refuses are left out and listed in
        the report (``with_report=True`` returns ``(frame, report)``).
        ``where`` (a filter the store builds itself, never user text) and
        ``box`` (minx, miny, maxx, maxy) read a part of the layer.
        """
        kind, status = _kind_status(kind, status)
        table = LAYER_TABLES[kind]
        columns = [c.name for c in table.columns]
        clause = " AND ".join(f"({w})" for w in (_status_where(kind, status), where) if w)
        fetched = self.backend.fetch(table, columns, clause, points=point_kind(kind), box=box)
        attrs = {}
        types = {c.name: c.type for c in table.columns}
        for c in columns:
            values = fetched.columns[c]
            if types[c] == "datetime" and np.asarray(values).dtype.kind in "iu":
                attrs[c] = from_epoch_us(np.asarray(values, dtype=np.int64))
            else:
                attrs[c] = pd.Series(values)
        frame = pd.DataFrame(attrs)
        label = f"{self.target}:{table.name}"
        if fetched.xy is not None:
            raw = RawLayer(label, frame, fetched.fids, xy=fetched.xy, crs=self.crs)
        else:
            geometry = fetched.geometry if fetched.geometry is not None else np.full(len(fetched.fids), None, object)
            raw = RawLayer(label, frame, fetched.fids, geometry=geometry, crs=self.crs)
        clean, report = validate(kind, raw)
        extra = [c for c in columns if c not in CONTRACT_COLUMNS[kind]]
        if extra and len(clean):
            by_fid = frame[extra].copy()
            by_fid.index = pd.Index(np.asarray(fetched.fids, dtype=np.int64))
            picked = by_fid.loc[clean["fid"].to_numpy(np.int64)]
            for c in extra:
                values = picked[c].to_numpy()
                if types[c] == "datetime":
                    clean[c] = _datetimes(picked[c])
                elif types[c] in ("int", "float"):
                    clean[c] = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
                else:
                    clean[c] = values
        elif extra:
            for c in extra:
                clean[c] = pd.Series([], dtype=object)
        return (clean, report) if with_report else clean

    def facts_between(self, lo_us: int, hi_us: int, box=None) -> pd.DataFrame:
        """The clean facts whose instant may lie in ``[lo_us, hi_us]`` (µs UTC), in ``box``.

        A superset: the bounds are widened by 15 h, so that a text a tool other
        than the plugin wrote with an offset is not missed; the scoring filters
        exactly. The filter uses the ``occurred_at`` index (GeoPackage: UTC texts
        sort as their instants; PostGIS: timestamptz), the box the spatial index.
        """
        pad = 15 * 3600 * 1_000_000
        lo, hi = utc_texts(np.array([int(lo_us) - pad, int(hi_us) + pad], dtype=np.int64))
        where = f"\"occurred_at\" >= '{lo}' AND \"occurred_at\" <= '{hi}'"
        return self.read("facts", where=where, box=box)

    def fact_source(self):
        """:meth:`facts_between` as a fact source of :func:`core.windowed.score_events_windowed`."""
        return lambda lo, hi, box: self.facts_between(lo, hi, box)

    def uri(self, kind: str, geometry_type: Optional[str] = None, status: Optional[str] = None) -> str:
        """Data source of a QGIS layer on the store's ``kind`` (provider: :attr:`provider`).

        Events hold points, itineraries and areas: ``geometry_type`` (Point,
        LineString, Polygon) gives the layer of one of them, as QGIS shows
        mixed tables; without it the source gives every event (for Processing).
        """
        kind, status = _kind_status(kind, status)
        table = TABLES.get(kind) if kind not in LAYER_TABLES else LAYER_TABLES[kind]
        if table is None:
            raise KeyError(f"no layer or table '{kind}' in the store")
        return self.backend.uri(table, geometry_type, _status_where(kind, status) if kind in LAYER_TABLES else "")

    def notify_message(self, kind: str) -> Optional[str]:
        """The NOTIFY payload sent when ``kind`` changes (PostGIS), else None."""
        kind, _ = _kind_status(kind, None)
        if self.backend_name != "postgis":
            return None
        return self.backend.notify_message(LAYER_TABLES[kind])

    # --- scores ----------------------------------------------------------------------------

    def write_scores(
        self,
        scores: pd.DataFrame,
        algorithm: str = "scoreevents",
        parameters: Optional[Mapping] = None,
        inputs: Any = None,
        fingerprint: Optional[str] = None,
        summary: Any = None,
        audit: bool = True,
    ) -> int:
        """Writes event scores (all or nothing) and their audit row.

        ``scores``: ``event_id`` and any of :data:`SCORE_COLUMNS` (``score``,
        ``n_facts``, ``score_detail`` for observed scores; ``predicted``,
        ``predicted_low``, ``predicted_high``, ``model_fingerprint`` for
        transferred ones). ``scored_at`` / ``predicted_at`` default to now.
        Every event_id must be in the store, else nothing is written.
        """
        if "event_id" not in scores:
            raise ValueError("scores need an 'event_id' column")
        cols = [c for c in scores.columns if c in SCORE_COLUMNS]
        unknown = [c for c in scores.columns if c not in SCORE_COLUMNS and c != "event_id"]
        if unknown:
            raise ValueError(f"write_scores cannot set {', '.join(map(str, unknown))} (allowed: {', '.join(SCORE_COLUMNS)})")
        if not cols:
            raise ValueError("scores hold no score column")
        ids = scores["event_id"].astype(str).to_numpy(object)
        if len(set(ids)) != len(ids):
            raise ValueError("scores hold the same event_id twice")
        now_us = int(pd.Timestamp.now(tz="UTC").value // 1000)
        values: Dict[str, np.ndarray] = {}
        for c in cols:
            s = scores[c]
            if c in ("scored_at", "predicted_at"):
                values[c] = _epoch_us(s)
            elif c == "score_detail":
                values[c] = np.array([None if v is None else (v if isinstance(v, str) else json.dumps(v, sort_keys=True)) for v in s], dtype=object)
            elif c == "model_fingerprint":
                values[c] = s.astype(object).where(s.notna(), None).to_numpy(object)
            else:
                values[c] = pd.to_numeric(s, errors="coerce").to_numpy(float)
        if "score" in cols and "scored_at" not in cols:
            values["scored_at"] = np.full(len(ids), now_us, dtype=np.int64)
        if "predicted" in cols and "predicted_at" not in cols:
            values["predicted_at"] = np.full(len(ids), now_us, dtype=np.int64)
        table = LAYER_TABLES["events"]
        with self.backend.transaction() as tx:
            stored = {r[0] for r in tx.query(f'SELECT "event_id" FROM {self.backend.qname("events")}')}
            missing = [i for i in ids if i not in stored]
            if missing:
                raise StoreError(
                    f"{len(missing)} scored events are not in the store ({', '.join(missing[:10])}"
                    f"{', ...' if len(missing) > 10 else ''}): nothing written"
                )
            n = self.backend.update(tx, table, "event_id", ids, values)
            if audit:
                summ = dict(summary or {})
                summ.setdefault("events_written", int(len(ids)))
                if "score" in values:
                    sc = values["score"]
                    summ.setdefault("score_total", float(np.nansum(sc)))
                _audit.append(self.backend, tx, algorithm, dict(parameters or {}), inputs, len(ids), fingerprint, summ)
        return n

    # --- settings --------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.backend.query(f"SELECT value FROM {self.backend.qname('settings')} WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except (TypeError, ValueError):
            return rows[0][0]

    def set_setting(self, key: str, value: Any) -> None:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        t = self.backend.qname("settings")
        with self.backend.transaction() as tx:
            tx.execute(f"DELETE FROM {t} WHERE key = ?", (key,))
            tx.execute(f"INSERT INTO {t} (key, value) VALUES (?, ?)", (key, text))

    def settings(self) -> Dict[str, Any]:
        out = {}
        for key, value in self.backend.query(f"SELECT key, value FROM {self.backend.qname('settings')} ORDER BY key"):
            try:
                out[key] = json.loads(value)
            except (TypeError, ValueError):
                out[key] = value
        return out

    # --- model state -----------------------------------------------------------------------

    def save_model(self, model: Any, name: str = "default", fingerprint: Optional[str] = None) -> str:
        """Stores a trained model (or its bytes) under ``name``; returns its fingerprint.

        A model object is serialised with ``core.model_io.model_to_bytes``
        (a zip of JSON and numeric arrays: loading it never executes code).
        """
        if isinstance(model, (bytes, bytearray, memoryview)):
            data = bytes(model)
        else:
            from tranquillite_plugin.core.model_io import model_to_bytes

            data = model_to_bytes(model)
            fingerprint = fingerprint or getattr(model, "fingerprint", None)
        fingerprint = fingerprint or hashlib.sha256(data).hexdigest()
        t = self.backend.qname("model_state")
        blob = data
        if self.backend_name == "postgis":
            import psycopg2

            blob = psycopg2.Binary(data)
        with self.backend.transaction() as tx:
            tx.execute(f"DELETE FROM {t} WHERE name = ?", (name,))
            tx.execute(
                f"INSERT INTO {t} (name, saved_at, fingerprint, n_bytes, data) VALUES (?, ?, ?, ?, ?)",
                (name, _audit.now_utc(), fingerprint, len(data), blob),
            )
        return fingerprint

    def load_model_bytes(self, name: str = "default") -> Optional[bytes]:
        rows = self.backend.query(f"SELECT data FROM {self.backend.qname('model_state')} WHERE name = ?", (name,))
        return bytes(rows[0][0]) if rows else None

    def model_info(self, name: str = "default") -> Optional[Dict[str, Any]]:
        rows = self.backend.query(
            f"SELECT name, saved_at, fingerprint, n_bytes FROM {self.backend.qname('model_state')} WHERE name = ?", (name,)
        )
        if not rows:
            return None
        return dict(zip(("name", "saved_at", "fingerprint", "n_bytes"), rows[0]))

    def load_model(self, name: str = "default"):
        """The stored model, read by ``core.model_io.model_from_bytes`` (checked, no code executed)."""
        data = self.load_model_bytes(name)
        if data is None:
            raise StoreError(f"no model '{name}' in store {self.target}: train one first")
        from tranquillite_plugin.core.model_io import model_from_bytes

        return model_from_bytes(data)

    # --- audit -----------------------------------------------------------------------------

    def record(
        self,
        algorithm: str,
        parameters: Optional[Mapping] = None,
        inputs: Any = None,
        n_features: Optional[int] = None,
        fingerprint: Optional[str] = None,
        summary: Any = None,
    ) -> "_audit.AuditEntry":
        """Appends an audit row in its own transaction."""
        with self.backend.transaction() as tx:
            return _audit.append(self.backend, tx, algorithm, parameters, inputs, n_features, fingerprint, summary)

    def audit_rows(self, limit: Optional[int] = None) -> List["_audit.AuditEntry"]:
        return _audit.rows(self.backend, limit)

    def verify_audit(self) -> "_audit.AuditCheck":
        return _audit.verify(self.backend)


# --- helpers -------------------------------------------------------------------------------


def _normalise_crs(crs: str) -> str:
    text = (crs or DEFAULT_CRS).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    if text.lower().startswith("epsg:"):
        text = "EPSG:" + text[5:]
    return text


def _kind_status(kind: str, status: Optional[str]) -> Tuple[str, Optional[str]]:
    kind = (kind or "").strip().lower()
    if kind in ("planned", "planned_events"):
        kind, status = "events", "planned"
    if kind not in LAYER_KINDS:
        raise ContractError(f"unknown layer kind '{kind}' (one of {', '.join(LAYER_KINDS)}, planned)")
    if status is not None and kind != "events":
        raise ValueError("a status applies to events only")
    if status is not None and status not in EVENT_STATUSES:
        raise ValueError(f"event status '{status}' is not one of {', '.join(EVENT_STATUSES)}")
    return kind, status


def _status_where(kind: str, status: Optional[str]) -> str:
    return f'"status" = {_literal(status)}' if kind == "events" and status else ""


def _epoch_us(values) -> np.ndarray:
    s = pd.Series(values).reset_index(drop=True)
    if s.isna().all():
        return np.full(len(s), NAT, dtype=np.int64)
    us = to_epoch_us(s)
    return np.where(s.isna().to_numpy(), NAT, us).astype(np.int64)


def _datetimes(values: pd.Series) -> pd.Series:
    from tranquillite_plugin.core.timeutil import parse_datetimes

    parsed, _bad = parse_datetimes(values.reset_index(drop=True))
    return parsed


def _rows_of(kind: str, clean: pd.DataFrame, status: Optional[str]) -> Rows:
    """A clean frame -> rows for the layer's table."""
    table = LAYER_TABLES[kind]
    types = {c.name: c.type for c in table.columns}
    columns: Dict[str, np.ndarray] = {}
    for name in CONTRACT_COLUMNS[kind]:
        s = clean[name]
        t = types[name]
        if t == "datetime":
            columns[name] = _epoch_us(s)
        elif t == "int":
            columns[name] = s.to_numpy(np.int64)
        elif t == "float":
            columns[name] = pd.to_numeric(s, errors="coerce").to_numpy(float)
        else:
            columns[name] = s.astype(object).where(s.notna(), None).to_numpy(object)
    if kind == "events":
        columns["status"] = np.full(len(clean), status or "past", dtype=object)
    if point_kind(kind):
        xy = np.column_stack([clean["x"].to_numpy(float), clean["y"].to_numpy(float)]) if len(clean) else np.zeros((0, 2))
        return Rows(columns, xy=xy)
    return Rows(columns, geometry=clean["geometry"].to_numpy(object))


def raw_of_frame(kind: str, frame: pd.DataFrame, crs: str, name: str) -> RawLayer:
    """A frame with the contract's columns (e.g. a clean frame) -> RawLayer for validation."""
    attrs = frame[[c for c in frame.columns if c not in ("fid", "geometry", "x", "y")]].reset_index(drop=True)
    fids = frame["fid"].to_numpy() if "fid" in frame else np.arange(1, len(frame) + 1)
    if "geometry" in frame:
        return RawLayer(name, attrs, fids, geometry=frame["geometry"].to_numpy(object), crs=crs)
    if "x" in frame and "y" in frame:
        return RawLayer(name, attrs, fids, xy=frame[["x", "y"]].to_numpy(float), crs=crs)
    raise ContractError(f"frame '{name}' ({kind}) has neither a 'geometry' column nor 'x' and 'y'")


def _drop_reasons(raw: RawLayer, dropped: List[str]) -> Dict[str, List[str]]:
    """Why each dropped field looked personal (the guard's reasons, judged on a bounded sample; [] when it did not)."""
    if not dropped:
        return {}
    from tranquillite_plugin.core.privacy import scan_personal_data

    cols = [c for c in raw.attributes.columns if str(c) in set(dropped)]
    report = scan_personal_data(raw.attributes[cols], raw.name)
    return {f: report.reasons(f) for f in dropped}


def _source_text(source: Any) -> str:
    if isinstance(source, str):
        return _audit.redact(source)
    if hasattr(source, "source"):
        try:
            return _audit.redact(source.source())
        except Exception:  # noqa: BLE001 - a layer without source: its name
            return str(getattr(source, "name", lambda: "?")())
    if isinstance(source, RawLayer):
        return source.name
    return type(source).__name__


def parse_field_map(text: str) -> Dict[str, str]:
    """'category=type_fait, occurred_at=date' -> {'category': 'type_fait', 'occurred_at': 'date'}."""
    out: Dict[str, str] = {}
    for part in (text or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"field map entry '{part.strip()}' must read contract_field=layer_field")
        key, _, value = part.partition("=")
        if not key.strip() or not value.strip():
            raise ValueError(f"field map entry '{part.strip()}' must read contract_field=layer_field")
        out[key.strip().lower()] = value.strip()
    return out


def parse_list(text: str) -> List[str]:
    """'nom, telephone' -> ['nom', 'telephone']."""
    return [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]


def record(store_target: str, algorithm: str, *args, **kwargs) -> "_audit.AuditEntry":
    """Opens the store at ``store_target`` and appends one audit row (its own transaction):
    :meth:`Observatory.record`'s arguments."""
    with Observatory.open(store_target) as obs:
        return obs.record(algorithm, *args, **kwargs)
