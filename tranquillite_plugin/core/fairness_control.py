"""The regular control (issue 17): does the fairness audit drift from one model to the next?

A member of parliament asked that the system and its results be *régulièrement
contrôlés afin d'éviter toute dérive notamment discriminatoire*. Every time a
model is trained, its fairness audit (``core.fairness``) is reduced to a
:func:`snapshot` per sector — number of events, the share of the score that
police-initiated facts make, the mean log1p score, the mean log1p residual of
a backtest when there is one, the flag — and :func:`compare` sets it against
the previous snapshot with a threshold rule (:class:`ControlRule`):

* the police-initiated share moved by more than ``share_delta`` (15 points by
  default), or
* the mean log1p residual of its recent events (each transferred from the
  events before it, :func:`recent_predictions`) moved by more than
  ``residual_delta`` (0.5), when both snapshots predicted at least
  ``min_predicted`` (10) of the sector's events, or
* the sector became flagged (its score now comes mostly from police-initiated
  facts),

each only for sectors with at least ``min_events`` events in both snapshots
(a sector of three events drifts by chance). The store keeps every snapshot
and its comparison (``Observatory.record_fairness_control``), the Audit tab
charts the history, the event sheet and the algorithm notice warn of a drift.

Pure Python (numpy, pandas): no QGIS import.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Mapping, Optional

import numpy as np

SNAPSHOT_FIELDS = ("n_events", "n_predicted", "police_score_share", "mean_log1p_score", "residual_log1p_mean", "flagged")


@dataclass(frozen=True)
class ControlRule:
    share_delta: float = 0.15
    residual_delta: float = 0.5
    min_events: int = 5
    min_predicted: int = 10  # residuals compared only when both snapshots predicted this many of the sector's events

    def __post_init__(self):
        for name in ("share_delta", "residual_delta"):
            v = float(getattr(self, name))
            if not math.isfinite(v) or v <= 0:
                raise ValueError(f"the control's {name} must be a number > 0, not {getattr(self, name)!r}")
        for name in ("min_events", "min_predicted"):
            v = getattr(self, name)
            if isinstance(v, bool) or int(v) < 1:
                raise ValueError(f"the control's {name} must be a whole number >= 1, not {v!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Optional[Mapping]) -> "ControlRule":
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class SectorDrift:
    sector: str
    name: str
    reasons: List[str]  # "share", "residual", "flagged"
    share_before: float
    share_after: float
    residual_before: float
    residual_after: float

    def as_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in asdict(self).items()}


@dataclass
class ControlResult:
    rule: ControlRule
    drifts: List[SectorDrift] = field(default_factory=list)
    compared: int = 0  # sectors compared (enough events in both snapshots)
    first: bool = False  # no earlier snapshot: nothing to compare

    @property
    def drifted(self) -> List[str]:
        return [d.sector for d in self.drifts]

    def as_dict(self) -> dict:
        return {"rule": self.rule.to_dict(), "compared": self.compared, "first": self.first,
                "drifted": self.drifted, "drifts": [d.as_dict() for d in self.drifts]}

    @classmethod
    def from_dict(cls, data: Mapping) -> "ControlResult":
        def num(v):
            return float("nan") if v is None else float(v)

        drifts = [SectorDrift(d["sector"], d.get("name", ""), list(d.get("reasons", [])), num(d.get("share_before")),
                              num(d.get("share_after")), num(d.get("residual_before")), num(d.get("residual_after")))
                  for d in data.get("drifts", [])]
        return cls(ControlRule.from_dict(data.get("rule")), drifts, int(data.get("compared", 0)), bool(data.get("first", False)))

    def summary(self) -> str:
        if self.first:
            return "Fairness control: first snapshot, nothing to compare yet."
        if not self.drifts:
            return (f"Fairness control: no drift over {self.compared} sectors (police share within "
                    f"±{self.rule.share_delta:.0%}, residual within ±{self.rule.residual_delta:g}, no sector newly flagged).")
        parts = [f"{d.sector} ({', '.join(d.reasons)}: police share {_pct(d.share_before)} → {_pct(d.share_after)})" for d in self.drifts]
        return f"Fairness control: drift in {len(self.drifts)} of {self.compared} sectors: " + "; ".join(parts)


def _pct(v) -> str:
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.0%}"


def _num(v) -> Optional[float]:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


#: the share of a model's most recent events transferred from the events before them, for the residuals
RECENT_SHARE = 0.2
RECENT_AT_MOST = 2000


def recent_predictions(model, share: float = RECENT_SHARE, at_most: int = RECENT_AT_MOST) -> np.ndarray:
    """Each of the model's most recent events (the last ``share``, at most ``at_most``) transferred from the
    events that started before it, as the model would have served it; NaN for the other events.

    The forest has seen these events, so the residuals are optimistic; what the control compares is their
    change from one model to the next, per sector.
    """
    n = int(model.n_events)
    m = min(int(round(n * share)), int(at_most))
    out = np.full(n, np.nan)
    if m < 1:
        return out
    idx = np.arange(n - m, n)
    transfers = model.transfer_matrix(model.X[idx], model.start_us[idx], model.event_id[idx], explain=False)
    out[idx] = [t.predicted for t in transfers]
    return out


def model_audit(model, **options):
    """The fairness audit of ``model`` with the residuals of its recent events (:func:`recent_predictions`)."""
    from tranquillite_plugin.core.fairness import model_fairness

    return model_fairness(model, predicted=recent_predictions(model), **options)


def snapshot(audit, model=None) -> Dict[str, dict]:
    """{sector: {n_events, police_score_share, mean_log1p_score, residual_log1p_mean, flagged, name}} of a
    ``core.fairness.FairnessAudit``; ``model`` (the TransferModel it was made from) adds each sector's
    mean log1p score. JSON-ready (NaN -> None)."""
    frame = audit.sectors
    level: Dict[str, float] = {}
    if model is not None:
        sec = np.asarray(model.sector, dtype=object).astype(str)
        logs = np.log1p(np.maximum(np.asarray(model.score, float), 0))
        for s in np.unique(sec):
            level[str(s)] = float(logs[sec == s].mean())
    out: Dict[str, dict] = {}
    for _, r in frame.iterrows():
        s = str(r["sector"])
        out[s] = {
            "name": str(r["name"]) if "name" in frame and isinstance(r["name"], str) else "",
            "n_events": int(r["n_events"]),
            "n_predicted": int(r["n_predicted"]),
            "police_score_share": _num(r["police_score_share"]),
            "mean_log1p_score": _num(level.get(s)),
            "residual_log1p_mean": _num(r["residual_log1p_mean"]),
            "flagged": bool(r["police_driven"]),
        }
    return out


def compare(before: Optional[Mapping[str, Mapping]], after: Mapping[str, Mapping], rule: Optional[ControlRule] = None) -> ControlResult:
    """The drift from snapshot ``before`` to ``after`` under ``rule`` (None ``before``: a first snapshot)."""
    rule = rule or ControlRule()
    if not before:
        return ControlResult(rule, [], 0, True)
    drifts: List[SectorDrift] = []
    compared = 0
    for sector in sorted(after):
        a, b = after[sector], before.get(sector)
        if b is None or int(a.get("n_events", 0)) < rule.min_events or int(b.get("n_events", 0)) < rule.min_events:
            continue
        compared += 1
        reasons = []
        sb, sa = _num(b.get("police_score_share")), _num(a.get("police_score_share"))
        rb, ra = _num(b.get("residual_log1p_mean")), _num(a.get("residual_log1p_mean"))
        if sb is not None and sa is not None and abs(sa - sb) > rule.share_delta:
            reasons.append("share")
        residuals_enough = min(int(a.get("n_predicted", 0)), int(b.get("n_predicted", 0))) >= rule.min_predicted
        if rb is not None and ra is not None and residuals_enough and abs(ra - rb) > rule.residual_delta:
            reasons.append("residual")
        if a.get("flagged") and not b.get("flagged"):
            reasons.append("flagged")
        if reasons:
            nan = float("nan")
            drifts.append(SectorDrift(sector, str(a.get("name", "")), reasons,
                                      nan if sb is None else sb, nan if sa is None else sa,
                                      nan if rb is None else rb, nan if ra is None else ra))
    return ControlResult(rule, drifts, compared, False)


def drift_for_sector(result: Optional[ControlResult], sector_id) -> Optional[SectorDrift]:
    """The drift of ``sector_id`` in the latest control, if any (for the event sheet's warning)."""
    if result is None or sector_id is None:
        return None
    sid = str(sector_id).strip()
    for d in result.drifts:
        if d.sector == sid:
            return d
    return None
