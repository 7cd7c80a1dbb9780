"""Offline copies of a shared store (the prefecture's laptop) and pushing their work back.

:func:`export_offline` writes a GeoPackage observatory from a store: its layers
(past events with their scores), settings, models and audit trail, the trail
copied row for row (hashes unchanged, so the copy verifies against the same
chain), then signed on this workstation and anchored, and closed by an
``exportoffline`` row. The copy remembers, per axis, camera and planned event,
the version and a digest of the row as exported.

:func:`sync_back` pushes to the shared store what was done offline:

* planned events created offline (their ``event_id`` is not in the store);
* edits of axes, cameras and planned events made offline: sent with the
  version they were exported at, so that the server refuses one whose row
  changed meanwhile (a conflict, reported per feature, never overwritten);
* audit rows written offline after the export, appended as ``offline:<algorithm>``
  rows that keep the offline time, user and hash in their summary.

A second run is a no-op: rows already pushed are recorded in the store's
``syncback`` audit row, features already equal are left alone. The offline
copy's own trail must verify first (anchors, signatures): a tampered copy is
refused.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.store import audit as _audit
from tranquillite_plugin.store import tamper
from tranquillite_plugin.store.backend import StoreError
from tranquillite_plugin.store.observatory import SCORE_COLUMNS, Observatory
from tranquillite_plugin.store.schema import CONTRACT_COLUMNS, META_TABLE

#: what is pushed back: (kind, status, key, columns compared and sent)
EDITABLE = (
    ("axes", None, "axis_id", ("name", "status")),
    ("cameras", None, "camera_id", ("radius_m", "bearing_deg", "fov_deg")),
    ("events", "planned", "event_id", ("nature", "participants", "start", "end", "sector")),
)


@dataclass
class SyncReport:
    planned_added: List[str] = field(default_factory=list)
    edits_pushed: List[str] = field(default_factory=list)
    conflicts: List[str] = field(default_factory=list)
    audit_rows_pushed: int = 0

    @property
    def nothing_done(self) -> bool:
        return not (self.planned_added or self.edits_pushed or self.audit_rows_pushed)

    def summary(self) -> dict:
        return {"planned_added": self.planned_added, "edits_pushed": self.edits_pushed, "conflicts": self.conflicts,
                "audit_rows_pushed": self.audit_rows_pushed}


def _contract(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    keep = ["fid"] + list(CONTRACT_COLUMNS[kind]) + [c for c in ("geometry", "x", "y") if c in frame]
    return frame[[c for c in keep if c in frame]].reset_index(drop=True)


def _value(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.tz_convert("UTC").isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def _geometry_text(row: pd.Series) -> str:
    if "geometry" in row and row["geometry"] is not None:
        return shapely.to_wkb(shapely.normalize(row["geometry"]), hex=True)
    return f"{float(row['x']):.6f} {float(row['y']):.6f}"


def _digests(obs: Observatory, kind: str, status: Optional[str], key: str, columns) -> Dict[str, Tuple[str, dict]]:
    frame = obs.read(kind, status) if status else obs.read(kind)
    out = {}
    for _, row in frame.iterrows():
        values = {c: _value(row[c]) for c in columns}
        text = json.dumps([values, _geometry_text(row)], sort_keys=True, default=str)
        out[str(row[key])] = (hashlib.sha256(text.encode("utf-8")).hexdigest(), values, row)
    return out


def _versions(obs: Observatory, table: str, key: str) -> Dict[str, int]:
    if obs.backend_name != "postgis":
        return {}
    return {str(k): int(v) for k, v in obs.backend.query(f'SELECT "{key}", version FROM {obs.backend.qname(table)}')}


def export_offline(source: Observatory, path: str) -> Observatory:
    """Writes the offline GeoPackage copy of ``source`` at ``path``; returns it open (caller closes)."""
    check = source.verify_audit()
    if not check.ok:
        raise StoreError(f"the store's audit trail is broken, no offline copy made: {check.message()}")
    dst = Observatory.create(path, source.crs)
    try:
        for kind in ("facts", "sectors", "axes", "cameras"):
            frame = source.read(kind)
            if len(frame):
                dst.import_layer(kind, _contract(frame, kind), audit=False)
        for status in ("past", "planned"):
            frame = source.read("events", status)
            if not len(frame):
                continue
            dst.import_layer("events", _contract(frame, "events"), status=status, audit=False)
            scores = frame[["event_id"] + [c for c in SCORE_COLUMNS if c in frame]]
            cols = [c for c in SCORE_COLUMNS if c in scores and scores[c].notna().any()]
            if cols and ("score" in cols or "predicted" in cols):
                dst.write_scores(scores[["event_id"] + cols], audit=False)
        for key, value in source.settings().items():
            dst.set_setting(key, value)
        for (name,) in source.backend.query(f"SELECT name FROM {source.backend.qname('model_state')}"):
            info = source.model_info(name) or {}
            dst.save_model(source.load_model_bytes(name), name, info.get("fingerprint"))
        entries = source.audit_rows()
        snapshot = {}
        for kind, status, key, columns in EDITABLE:
            versions = _versions(source, kind, key)
            snapshot[kind] = {k: [d, versions.get(k)] for k, (d, _v, _r) in _digests(source, kind, status, key, columns).items()}
        offline_id = uuid.uuid4().hex
        backend = dst.backend
        with backend.transaction() as tx:
            t = backend.qname("audit")
            tx.execute(f"DELETE FROM {t}")
            tx.execute(f"DELETE FROM {backend.qname(tamper.SIGNATURE_TABLE)}")
            cols = ", ".join(f'"{f}"' for f in ("fid",) + _audit.FIELDS)
            tx.executemany(
                f"INSERT INTO {t} ({cols}) VALUES ({', '.join('?' * (len(_audit.FIELDS) + 1))})",
                [(e.seq, e.at, e.os_user, e.algorithm, e.parameters, e.inputs, e.n_features, e.model_fingerprint, e.summary,
                  e.prev_hash, e.row_hash) for e in entries],
            )
            digest = tamper.digest_text(tamper.data_digests(tx, backend))
            for e in entries:  # this workstation verified them above: it signs them into the copy
                public, signature = tamper.sign(e.row_hash, digest)
                tx.execute(f"INSERT INTO {backend.qname(tamper.SIGNATURE_TABLE)} (seq, public_key, signature, data_digest) "
                           "VALUES (?, ?, ?, ?)", (e.seq, public, signature, digest))
            for k, v in (("offline_id", offline_id), ("offline_of", source.target), ("offline_base_rows", str(len(entries) + 1)),
                         ("offline_snapshot", json.dumps(snapshot, sort_keys=True))):
                _audit.meta_set(tx, backend, k, v)
            _audit.append(backend, tx, "exportoffline", {"STORE": source.target, "OUTPUT": path},
                          summary={"offline_id": offline_id, "audit_rows": len(entries), "head": check.head})
        dst.meta.update(dict(backend.query(f"SELECT key, value FROM {backend.qname(META_TABLE)}")))
        final = dst.verify_audit()  # anchors the copy on this workstation
        if not final.ok:
            raise StoreError(f"the offline copy does not verify: {final.message()}")
        source.record("exportoffline", {"OUTPUT": path}, summary={"offline_id": offline_id, "audit_rows": len(entries)})
    except BaseException:
        dst.close()
        raise
    return dst


def _pushed_through(store: Observatory, offline_id: str) -> int:
    done = 0
    for e in store.audit_rows():
        if e.algorithm == "syncback":
            s = e.as_dict().get("summary") or {}
            if s.get("offline_id") == offline_id:
                done = max(done, int(s.get("pushed_through") or 0))
    return done


def sync_back(offline: Observatory, store: Observatory) -> SyncReport:
    """Pushes the offline copy's planned events, edits and audit rows to ``store`` (see the module docstring)."""
    meta = dict(offline.backend.query(f"SELECT key, value FROM {offline.backend.qname(META_TABLE)}"))
    offline_id = meta.get("offline_id")
    if not offline_id:
        raise StoreError(f"{offline.target} is not an offline copy (made by tranquillite:exportoffline)")
    check = offline.verify_audit()
    if not check.ok:
        raise StoreError(f"the offline copy's audit trail is broken, nothing pushed: {check.message()}")
    snapshot = json.loads(meta.get("offline_snapshot") or "{}")
    report = SyncReport()
    for kind, status, key, columns in EDITABLE:
        mine = _digests(offline, kind, status, key, columns)
        theirs = _digests(store, kind, status, key, columns)
        exported = snapshot.get(kind, {})
        new_rows = []
        for k, (digest, values, row) in mine.items():
            if k in theirs and theirs[k][0] == digest:
                continue  # already the same (pushed before, or never changed)
            if k not in exported:
                if k in theirs:
                    report.conflicts.append(f"{kind} {k}: created offline and on the shared store, kept as it is there")
                elif status == "planned":
                    new_rows.append(row)
                continue
            if exported[k][0] == digest:
                continue  # not edited offline; a newer shared version is not pulled here
            if k not in theirs:
                report.conflicts.append(f"{kind} {k}: edited offline but deleted from the shared store")
                continue
            problem = _push_edit(store, kind, key, k, values, row, exported[k][1])
            if problem:
                report.conflicts.append(f"{kind} {k}: {problem}")
            else:
                report.edits_pushed.append(f"{kind} {k}")
        if new_rows:
            frame = _contract(pd.DataFrame(new_rows).reset_index(drop=True), "events")
            store.import_layer("planned", frame, parameters={"SYNCBACK": offline.target})
            report.planned_added += [str(r[key]) for r in new_rows]
    base = int(meta.get("offline_base_rows") or 0)
    done = _pushed_through(store, offline_id)
    last = done
    for e in offline.audit_rows():
        if e.seq <= max(base, done):
            continue
        d = e.as_dict()
        summary = {"offline": {"id": offline_id, "seq": e.seq, "at": e.at, "os_user": e.os_user, "row_hash": e.row_hash},
                   "summary": d.get("summary")}
        store.record(f"offline:{e.algorithm}", d.get("parameters") or {}, d.get("inputs") or [], e.n_features,
                     e.model_fingerprint, summary)
        report.audit_rows_pushed += 1
        last = e.seq
    if not report.nothing_done:
        summary = report.summary()
        summary.update({"offline_id": offline_id, "pushed_through": max(last, done, base)})
        store.record("syncback", {"OFFLINE": offline.target}, n_features=len(report.planned_added) + len(report.edits_pushed),
                     summary=summary)
    return report


def _push_edit(store: Observatory, kind: str, key: str, k: str, values: dict, row: pd.Series, version) -> str:
    """Sends one offline edit, based on the version exported; '' when taken, else why not."""
    if store.backend_name != "postgis" or version is None:
        return "the shared store keeps no versions: not pushed"
    import psycopg2

    backend = store.backend
    sets = [f'"{c}" = %s' for c in values]
    params = list(values.values())
    if "geometry" in row and row["geometry"] is not None:
        sets.append('"geom" = ST_Multi(ST_SetSRID(ST_GeomFromWKB(decode(%s, \'hex\')), ST_SRID("geom")))'
                    if kind == "axes" else
                    '"geom" = ST_SetSRID(ST_GeomFromWKB(decode(%s, \'hex\')), ST_SRID("geom"))')
        params.append(shapely.to_wkb(row["geometry"], hex=True))
    elif "x" in row:
        sets.append('"geom" = ST_SetSRID(ST_MakePoint(%s, %s), ST_SRID("geom"))')
        params += [float(row["x"]), float(row["y"])]
    sets.append("version = %s")
    params += [int(version), k]
    try:
        with backend.transaction() as tx:
            tx.cur.execute(f'UPDATE {backend.qname(kind)} SET {", ".join(sets)} WHERE "{key}" = %s', params)
    except psycopg2.errors.SerializationFailure as err:
        return "changed on the shared store since the export, not overwritten (" + str(err).strip().splitlines()[0] + ")"
    except psycopg2.Error as err:
        return str(err).strip().splitlines()[0]
    return ""
