"""The figures of the algorithm notice and of the record of processing, read from the store (issue 17).

:func:`gather` reads everything the two documents state — layers, counts,
date ranges, ``source`` values, the privacy guard's drops and refusals per
import, the model's settings, weights and importances, a worked example, the
latest backtest, the fairness control's history, retention, roles and the
security measures in force — and returns it as plain data. Nothing here is
written by hand: ``core.disclosure`` turns these figures into sentences and
``report.notice`` into HTML and PDF. No QGIS import.
"""

from __future__ import annotations

import json
import os
import stat
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from tranquillite_plugin.store import audit as _audit
from tranquillite_plugin.store import transparency as _tr
from tranquillite_plugin.store.schema import CONTRACT_COLUMNS, LAYER_KINDS, LAYER_TABLES

#: the date column of each layer kind (its date range is stated)
DATE_COLUMNS = {"facts": "occurred_at", "events": "start", "axes": "updated_at"}
ROLES = ("reader", "editor", "analyst", "owner")
NOT_CONFIGURED = "not configured"


def _iso(value) -> Optional[str]:
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or pd.isna(value):
        return None
    return pd.Timestamp(value).isoformat()


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None


def layers(obs) -> List[Dict[str, Any]]:
    """Each layer: kind, count, the contract fields stored, the date range (from the stored rows)."""
    out = []
    for kind in LAYER_KINDS:
        table = LAYER_TABLES[kind]
        item: Dict[str, Any] = {"kind": kind, "count": obs.count(kind), "fields": list(CONTRACT_COLUMNS[kind]),
                                "first": None, "last": None}
        if kind == "events":
            item["past"] = obs.count("events", "past")
            item["planned"] = obs.count("events", "planned")
        column = DATE_COLUMNS.get(kind)
        if column and item["count"]:
            when = _instants(obs, table, column)
            if len(when):
                item["first"], item["last"] = _iso(when.min()), _iso(when.max())
        item["table"] = table.name
        out.append(item)
    return out


def _instants(obs, table, column: str) -> pd.Series:
    """One datetime column of a layer table as instants (only that column is read)."""
    from tranquillite_plugin.core.timeutil import from_epoch_us, parse_datetimes

    values = obs.backend.fetch(table, [column]).columns[column]
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        arr = arr[arr != np.iinfo(np.int64).min]
        return from_epoch_us(arr.astype(np.int64)).dropna()
    parsed, _bad = parse_datetimes(pd.Series(values, dtype=object).dropna().reset_index(drop=True))
    return parsed.dropna()


def sources(obs) -> List[Dict[str, Any]]:
    """The facts' ``source`` values and how many facts each (empty source: '')."""
    rows = obs.backend.query(
        f'SELECT COALESCE("source", \'\'), COUNT(*) FROM {obs.backend.qname("facts")} GROUP BY COALESCE("source", \'\') ORDER BY 2 DESC, 1'
    )
    return [{"source": str(s), "count": int(n)} for s, n in rows]


def guard_log(entries) -> List[Dict[str, Any]]:
    """Per import (audit rows): what the privacy guard dropped or refused — field names and reasons, never values."""
    out = []
    for e in entries:
        d = e.as_dict()
        summary = d.get("summary") or {}
        params = d.get("parameters") or {}
        inputs = d.get("inputs") or []
        layer = inputs[0].get("layer", "") if inputs and isinstance(inputs[0], dict) else ""
        if e.algorithm == "importlayer":
            reasons = summary.get("personal_fields_reasons") or {}
            dropped = summary.get("personal_fields_dropped") or summary.get("dropped_fields") or []
            out.append({"seq": e.seq, "at": e.at, "kind": params.get("KIND", ""), "layer": layer, "decision": "imported",
                        "taken": summary.get("taken"), "refused_rows": summary.get("refused"),
                        "fields": [{"field": f, "reasons": list(reasons.get(f) or [])} for f in dropped]})
        elif e.algorithm == "importrefused":
            out.append({"seq": e.seq, "at": e.at, "kind": params.get("KIND", ""), "layer": summary.get("layer", layer),
                        "decision": "refused", "taken": 0, "refused_rows": None,
                        "fields": [{"field": f["field"], "reasons": list(f.get("reasons") or [])}
                                   for f in summary.get("refused_fields", [])]})
    return out


def latest(entries, algorithm: str):
    for e in reversed(entries):
        if e.algorithm == algorithm:
            return e
    return None


def backtest_figures(entries) -> Optional[Dict[str, Any]]:
    e = latest(entries, "backtest")
    if e is None:
        return None
    s = e.as_dict().get("summary") or {}
    return {"at": e.at, "seq": e.seq, "fingerprint": e.model_fingerprint, "cut": s.get("cut"),
            "n_train": s.get("n_train"), "n_test": s.get("n_test"), "metrics": s.get("metrics") or {}}


def model_figures(model, info: Optional[dict] = None) -> Optional[Dict[str, Any]]:
    if model is None:
        return None
    first, last = model.training_period
    imp = model.importances()
    st = model.settings
    ss = dict(model.score_settings or {})
    return {
        "fingerprint": model.fingerprint,
        "saved_at": (info or {}).get("saved_at"),
        "configuration": model.configuration,
        "n_events": int(model.n_events),
        "period": (first.isoformat(), last.isoformat()),
        "n_trees": int(model.n_trees),
        "k": int(st.k),
        "min_leaf": int(st.min_leaf),
        "max_features": float(st.max_features),
        "averaging": st.averaging,
        "context": list(st.context),
        "band": model.band_method,
        "importances": [{"axis": r.axis, "label_fr": r.label_fr, "label_en": r.label_en, "importance": float(r.importance)}
                        for r in imp.itertuples()],
        "radius_m": _num(ss.get("radius_m")),
        "before_h": _num(ss.get("before_h")),
        "after_h": _num(ss.get("after_h")),
        "line_buffer_m": _num(ss.get("line_buffer_m")),
        "point_buffer_m": _num(ss.get("point_buffer_m")),
        "weights": {str(k): float(v) for k, v in (ss.get("weights") or {}).items()},
    }


def worked_example(obs, model) -> Optional[Dict[str, Any]]:
    """The latest past event of the store the model knows, transferred from the events before it."""
    if model is None or obs.count("events", "past") == 0:
        return None
    events = obs.read("events", "past")
    known = set(np.asarray(model.event_id, dtype=object).astype(str))
    events = events[events["event_id"].astype(str).isin(known)]
    if not len(events):
        return None
    events = events.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
    # the most recent event with facts (a score above 0) and a history of at least k events before it
    scored = pd.to_numeric(events["score"], errors="coerce").fillna(0).to_numpy(float) > 0 if "score" in events else np.ones(len(events), bool)
    order = [i for i in range(len(events) - 1, -1, -1) if scored[i] and i >= int(model.settings.k)]
    order += [i for i in range(len(events) - 1, -1, -1) if i not in set(order)]
    for i in order:
        row = events.iloc[[i]].reset_index(drop=True)
        try:
            t = model.transfer(row)[0]
        except (ValueError, KeyError):
            continue
        if not np.isfinite(t.predicted):
            continue
        r = row.iloc[0]
        similar = [{"event_id": str(s.event_id), "nature": str(s.nature), "start": _iso(s.start),
                    "proximity": float(s.proximity), "score": float(s.score)} for s in t.similar.head(5).itertuples()]
        return {"event_id": str(r["event_id"]), "nature": str(r["nature"]), "participants": int(r["participants"]),
                "start": _iso(r["start"]), "sector": str(r.get("sector") or ""), "observed": _num(r.get("score")),
                "predicted": float(t.predicted), "band": (float(t.band_low), float(t.band_high)),
                "n_similar": int(len(t.similar)), "n_candidates": int(t.n_candidates), "similar": similar}
    return None


def roles(obs) -> Dict[str, Any]:
    """The store's roles and how many logins hold each (PostGIS: ``<schema>_<role>`` group roles)."""
    if obs.backend_name != "postgis":
        return {"configured": False, "why": "embedded GeoPackage: access is the file's permissions", "roles": []}
    schema = obs.pg_schema
    out = []
    for r in ROLES:
        name = f"{schema}_{r}"
        exists = obs.backend.query("SELECT 1 FROM pg_roles WHERE rolname = ?", (name,))
        if not exists:
            continue
        # logins given this role directly (the roles nest: an editor is also a reader, store/pg_security.py)
        n = obs.backend.query(
            "SELECT COUNT(*) FROM pg_auth_members a JOIN pg_roles p ON p.oid = a.member "
            "WHERE a.roleid = (SELECT oid FROM pg_roles WHERE rolname = ?) AND p.rolcanlogin",
            (name,),
        )
        out.append({"role": r, "name": name, "logins": int(n[0][0])})
    return {"configured": bool(out), "why": "" if out else NOT_CONFIGURED, "roles": out}


def security(obs, entries) -> Dict[str, Any]:
    """Security measures in force, read from the live configuration."""
    check = obs.verify_audit()
    out: Dict[str, Any] = {
        "backend": obs.backend_name,
        "audit_rows": check.n_rows,
        "audit_intact": bool(check.ok),
        "audit_head": check.head,
        "personal_data_guard": "in force at every import (core.privacy)",
    }
    meta = dict(obs.backend.query(f"SELECT key, value FROM {obs.backend.qname('tq_meta')}"))
    anchor = {k: v for k, v in meta.items() if k.startswith(("audit_anchor", "audit_sign"))}
    if obs.backend_name == "postgis":
        ssl = obs.backend.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        out["tls"] = (f"TLS {ssl[0][1]}" if ssl and ssl[0][0] else "off (connection not encrypted)") if ssl else NOT_CONFIGURED
        trig = obs.backend.query(
            "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relname = 'audit' AND NOT t.tgisinternal",
            (obs.pg_schema,),
        )
        out["audit_server_chain"] = "in force (server triggers)" if int(trig[0][0]) else NOT_CONFIGURED
    else:
        out["tls"] = "not applicable (embedded GeoPackage, no network)"
        out["audit_server_chain"] = "not applicable (client-side hash chain in the file)"
        path = obs.path
        if path and os.path.exists(path):
            mode = stat.S_IMODE(os.stat(path).st_mode)
            out["file_mode"] = f"{mode:04o}"
    out["audit_anchoring"] = ", ".join(f"{k}={v}" for k, v in sorted(anchor.items())) if anchor else NOT_CONFIGURED
    return out


def gather(obs, model=None, now=None) -> Dict[str, Any]:
    """Every figure of the notice and of the record, read from ``obs`` and ``model`` (the store's when None)."""
    if model is None and obs.model_info() is not None:
        model = obs.load_model()
    entries = obs.audit_rows()
    info = obs.model_info()
    history = _tr.fairness_history(obs)
    ret = _tr.retention_settings(obs)
    counts = _tr.retention_counts(obs)
    latest_result = history[-1]["result"] if history else None
    return {
        "generated_at": _audit.now_utc() if now is None else pd.Timestamp(now).isoformat(),
        "store": obs.target,
        "backend": obs.backend_name,
        "crs": obs.crs,
        "created_at": obs.meta.get("created_at"),
        "layers": layers(obs),
        "sources": sources(obs),
        "guard": guard_log(entries),
        "model": model_figures(model, info if info and model is not None and info.get("fingerprint") == model.fingerprint else None),
        "example": worked_example(obs, model),
        "backtest": backtest_figures(entries),
        "fairness": {
            "history": [{"at": h["at"], "model_fingerprint": h["model_fingerprint"], "period_end": h["period_end"],
                         "n_events": h["n_events"], "drifted": h["result"].drifted, "compared": h["result"].compared,
                         "shares": {s: v.get("police_score_share") for s, v in h["snapshot"].items()}}
                        for h in history],
            "latest": None if latest_result is None else latest_result.as_dict(),
            "flagged": sorted(s for s, v in (history[-1]["snapshot"].items() if history else []) if v.get("flagged")),
        },
        "retention": ret,
        "retention_counts": {k: int(g["n_records"].sum()) for k, g in counts.groupby("kind")} if len(counts) else {},
        "retention_runs": [{"at": e.at, **(e.as_dict().get("summary") or {})} for e in entries if e.algorithm == "applyretention"],
        "roles": roles(obs),
        "security": security(obs, entries),
        "audit_algorithms": _algorithm_counts(entries),
        "fairness_now": fairness_now(model),
        "extra_columns": extra_columns(obs),
    }


#: columns a store adds to its layer tables that are not attributes of the contract
SYSTEM_COLUMNS = {"fid", "geom", "version", "updated_by", "updated_at"}


def extra_columns(obs) -> List[str]:
    """Columns of the layer tables beyond the schema's declared ones (where a personal field could hide): 'table.column'."""
    out = []
    for kind in LAYER_KINDS:
        table = LAYER_TABLES[kind]
        if obs.backend_name == "postgis":
            rows = obs.backend.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                (obs.pg_schema, table.name),
            )
            names = [r[0] for r in rows]
        else:
            names = obs.backend.column_names(table.name)
        declared = set(table.column_names) | SYSTEM_COLUMNS
        out += [f"{table.name}.{n}" for n in names if n not in declared]
    return out


def fairness_now(model) -> Optional[Dict[str, Any]]:
    """The current model's fairness audit: overall police-initiated share, flagged sectors, threshold."""
    if model is None:
        return None
    from tranquillite_plugin.core.fairness import model_fairness

    audit = model_fairness(model)
    return {"police_score_share": _num(audit.overall.get("police_score_share")), "flagged": list(audit.flagged),
            "threshold": float(audit.threshold), "n_sectors": int(len(audit.sectors))}


def _algorithm_counts(entries) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for e in entries:
        out[e.algorithm] = out.get(e.algorithm, 0) + 1
    return out


def to_json(figures: Dict[str, Any]) -> str:
    return json.dumps(figures, ensure_ascii=False, sort_keys=True, indent=1, default=str)
