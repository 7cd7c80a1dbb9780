"""What the store keeps to account for itself (issue 17): the fairness control's history,
retention and its counts, the privacy guard's refusals.

* :func:`run_fairness_control` — the fairness audit of a model reduced to a
  snapshot, compared with the previous one (``core.fairness_control``), kept
  in ``fairness_control`` and audited, in one transaction. Run at every training.
* :func:`apply_retention` — facts (and past events, when a retention is set
  for them) older than their retention become sector × month × category
  counts in ``retention_counts`` and their detail is deleted, in one
  transaction with its audit row.
* :func:`record_refusal` — an import the privacy guard refused leaves an audit
  row naming the fields and reasons (never a value), so the notice can list
  refusals as well as drops.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional

import numpy as np
import pandas as pd

from tranquillite_plugin.core import fairness_control as control
from tranquillite_plugin.core import retention as ret
from tranquillite_plugin.store import audit as _audit
from tranquillite_plugin.store.schema import LAYER_TABLES

RETENTION_KEY = "retention"
CONTROL_RULE_KEY = "fairness_control_rule"
_IN_CHUNK = 500


# --- fairness control --------------------------------------------------------------------------


def control_rule(obs) -> control.ControlRule:
    return control.ControlRule.from_dict(obs.get_setting(CONTROL_RULE_KEY) or {})


def fairness_history(obs) -> List[Dict[str, Any]]:
    """Every control kept in the store, oldest first: at, model_fingerprint, period, n_events, snapshot, result."""
    rows = obs.backend.query(
        f'SELECT "at", "model_fingerprint", "period_start", "period_end", "n_events", "snapshot", "result" '
        f'FROM {obs.backend.qname("fairness_control")} ORDER BY "fid"'
    )
    out = []
    for at, fp, p0, p1, n, snap, res in rows:
        out.append({"at": at, "model_fingerprint": fp, "period_start": p0, "period_end": p1,
                    "n_events": None if n is None else int(n), "snapshot": json.loads(snap),
                    "result": control.ControlResult.from_dict(json.loads(res))})
    return out


def latest_control(obs) -> Optional[control.ControlResult]:
    history = fairness_history(obs)
    return history[-1]["result"] if history else None


def run_fairness_control(obs, model, rule: Optional[control.ControlRule] = None, audit=None) -> control.ControlResult:
    """Snapshot of ``model``'s fairness audit (or of ``audit``), compared with the last one kept; kept and audited."""
    rule = rule or control_rule(obs)
    audit = audit if audit is not None else control.model_audit(model)
    snap = control.snapshot(audit, model)
    history = fairness_history(obs)
    before = history[-1]["snapshot"] if history else None
    result = control.compare(before, snap, rule)
    first, last = model.training_period
    table = obs.backend.qname("fairness_control")
    with obs.backend.transaction() as tx:
        tx.execute(
            f'INSERT INTO {table} ("at", "model_fingerprint", "period_start", "period_end", "n_events", "snapshot", "result") '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_audit.now_utc(), model.fingerprint, first.isoformat(), last.isoformat(), int(model.n_events),
             _audit.canonical_json(snap), _audit.canonical_json(result.as_dict())),
        )
        _audit.append(obs.backend, tx, "fairnesscontrol", {"RULE": rule.to_dict()}, None, int(model.n_events),
                      model.fingerprint, {"drifted": result.drifted, "compared": result.compared, "first": result.first,
                                          "controls_kept": len(history) + 1})
    return result


# --- retention ---------------------------------------------------------------------------------


def retention_settings(obs) -> Dict[str, Optional[int]]:
    return ret.retention_settings(obs.get_setting(RETENTION_KEY))


def retention_counts(obs) -> pd.DataFrame:
    rows = obs.backend.query(
        f'SELECT "kind", "sector", "month", "category", "n_records", "n_facts" FROM {obs.backend.qname("retention_counts")} '
        'ORDER BY "kind", "sector", "month", "category"'
    )
    frame = pd.DataFrame(rows, columns=list(ret.AGGREGATE_COLUMNS))
    for c in ("n_records", "n_facts"):
        frame[c] = frame[c].astype(np.int64)
    return frame


def apply_retention(obs, now=None, settings: Optional[Mapping[str, Optional[int]]] = None) -> Dict[str, Any]:
    """Aggregates and deletes the detail older than each kind's retention; one transaction, audited.

    Returns per kind: months, cut, records aggregated, cells written.
    """
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    settings = ret.retention_settings(settings) if settings is not None else retention_settings(obs)
    plan = ret.retention_plan(settings, now)
    sectors = obs.read("sectors") if obs.count("sectors") else None
    existing = retention_counts(obs)
    work: Dict[str, Any] = {}
    new_parts = []
    old_fids: Dict[str, np.ndarray] = {}
    for kind, (months, cut) in plan.items():
        frame = obs.read("events", "past") if kind == "events" else obs.read(kind)
        old = ret.split_old(frame, kind, cut)
        part = ret.aggregate(frame.loc[old].reset_index(drop=True), kind, sectors)
        new_parts.append(part)
        old_fids[kind] = frame.loc[old, "fid"].to_numpy(np.int64)
        work[kind] = {"months": months, "cut": cut.isoformat(), "aggregated": int(old.sum()),
                      "kept": int((~old).sum()), "cells": int(len(part))}
    new = pd.concat(new_parts, ignore_index=True) if new_parts else existing.iloc[0:0]
    merged = ret.merge_aggregates(existing, new)
    table = obs.backend.qname("retention_counts")
    with obs.backend.transaction() as tx:
        for kind, fids in old_fids.items():
            t = LAYER_TABLES[kind]
            for i in range(0, len(fids), _IN_CHUNK):
                ids = fids[i : i + _IN_CHUNK].tolist()
                obs.backend.delete(tx, t, f'"fid" IN ({", ".join("?" * len(ids))})', ids)
        tx.execute(f"DELETE FROM {table}")
        if len(merged):
            tx.executemany(
                f'INSERT INTO {table} ("kind", "sector", "month", "category", "n_records", "n_facts") VALUES (?, ?, ?, ?, ?, ?)',
                [(r.kind, r.sector, r.month, r.category, int(r.n_records), int(r.n_facts)) for r in merged.itertuples()],
            )
        _audit.append(obs.backend, tx, "applyretention", {"RETENTION": settings, "NOW": now.isoformat()}, None,
                      int(sum(v["aggregated"] for v in work.values())), None, {"kinds": work, "cells_kept": int(len(merged))})
    return work


# --- privacy guard refusals ----------------------------------------------------------------------


def record_refusal(obs, kind: str, error) -> None:
    """An audit row for an import the privacy guard refused: fields, reasons, counts; never a value."""
    report = error.report
    fields = []
    for name in report.remaining:
        fields.append({"field": name, "reasons": report.reasons(name),
                       "rows": int(sum(f.rows for f in report.findings_for(name)))})
    obs.record("importrefused", {"KIND": kind}, [{"layer": report.layer, "n_features": None}], None, None,
               {"refused_fields": fields, "layer": report.layer})
