"""Fairness audit per sector (SPEC §7): does the model feed on its own patrols?

Police-initiated facts are those the police create by patrolling rather than
those the public reports: the categories ``verbalisation`` (fines) and
``enlevement`` (towing), and every fact counted for an ``operation_police``
event.  A sector where they make most of the score looks "risky" because it is
patrolled, and a model trained on it sends more patrols there: the audit shows
where.

Per sector it gives:

* ``n_events`` — events of the sector (all those given: the history the model
  learns from), ``n_predicted`` — those with a prediction (the backtest's test
  events);
* ``observed_mean``, ``predicted_mean`` — over the predicted events;
* ``residual_mean`` = mean of (predicted − observed), ``residual_log1p_mean`` =
  mean of (log1p(predicted) − log1p(observed)), over the predicted events:
  positive means the model over-predicts the sector;
* ``ratio`` = Σ predicted / Σ observed over the predicted events (NaN when
  nothing was observed);
* ``police_score_share`` — share of the sector's score (all events, weighted as
  scored) that police-initiated facts make, and ``police_fact_share`` — the
  same in numbers of facts when the fact counts are known;
* ``police_driven`` — the flag: ``police_score_share`` above the threshold
  (more than 50 % by default).

The option to score with police-initiated facts down-weighted is
:func:`police_downweighted_weights` (weights for a new scoring) or, without
going back to the facts, :func:`downweighted_scores` (the same scores from the
per-category table, exact); :func:`backtest_with_downweighting` runs the
backtest of ``core.backtest`` with both weightings and
:func:`compare_backtests` puts their metrics side by side.

Pure Python (pandas, numpy): no QGIS import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from tranquillite_plugin.core.contract import DEFAULT_WEIGHTS, category_weights, normalise_code
from tranquillite_plugin.core.score import ScoreResult

POLICE_CATEGORIES: Tuple[str, ...] = ("verbalisation", "enlevement")
POLICE_NATURES: Tuple[str, ...] = ("operation_police",)
#: a sector is flagged when police-initiated facts make more than this share of its score
DEFAULT_THRESHOLD = 0.5
NO_SECTOR = "(no sector)"

AUDIT_FIELDS = (
    "sector",
    "n_events",
    "n_predicted",
    "n_police_events",
    "observed_mean",
    "predicted_mean",
    "residual_mean",
    "residual_log1p_mean",
    "ratio",
    "score_total",
    "police_score",
    "police_score_share",
    "police_fact_share",
    "police_driven",
)


# --- police-initiated shares -----------------------------------------------------------------


def _police_columns(categories: Sequence[str], police_categories: Iterable[str]) -> np.ndarray:
    police = {normalise_code(c) for c in police_categories}
    return np.array([normalise_code(c) in police for c in categories], dtype=bool)


def _police_events(natures, n: int, police_natures: Iterable[str]) -> np.ndarray:
    if natures is None:
        return np.zeros(n, bool)
    police = {normalise_code(v) for v in police_natures}
    return np.array([normalise_code(v) in police for v in np.asarray(natures, dtype=object)], dtype=bool)


def police_parts(
    by_category,
    categories: Sequence[str],
    natures=None,
    police_categories: Iterable[str] = POLICE_CATEGORIES,
    police_natures: Iterable[str] = POLICE_NATURES,
) -> Tuple[np.ndarray, np.ndarray]:
    """(total, police-initiated part) of each event's row of a per-category table.

    ``by_category`` is ``(n_events, n_categories)`` (weighted scores as in
    ``ScoreResult.by_category``, or fact counts).  An event whose nature is
    police-initiated counts whole.
    """
    table = np.asarray(by_category, float)
    if table.ndim != 2 or table.shape[1] != len(categories):
        raise ValueError(f"the per-category table has shape {table.shape}, not (events, {len(categories)} categories)")
    total = table.sum(axis=1)
    police = table[:, _police_columns(categories, police_categories)].sum(axis=1)
    whole = _police_events(natures, len(table), police_natures)
    police = np.where(whole, total, police)
    return total, police


def category_tables(
    facts: pd.DataFrame,
    membership: Optional[Sequence] = None,
    n_events: Optional[int] = None,
    weights: Optional[Mapping[str, float]] = None,
    pairs: Optional[Tuple[Sequence[int], Sequence[int]]] = None,
) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """(weighted scores, fact counts, categories) per event and category from fact membership.

    ``facts``: the clean facts frame (category, count); ``membership``: for
    each event the indices (rows of ``facts``) of the facts that count for it
    (as ``core.score.facts_of_event`` returns); or ``pairs``, two arrays
    ``(event_index, fact_index)``, with ``n_events``.
    """
    cats = facts["category"].to_numpy(object)
    counts = facts["count"].to_numpy(float) if "count" in facts else np.ones(len(facts))
    codes, uniques = pd.factorize(pd.Series(cats, dtype=object), sort=True)
    categories = [str(u) for u in uniques]
    w = category_weights(np.asarray(uniques, dtype=object), weights)
    if pairs is not None:
        ev_idx = np.asarray(pairs[0], np.int64)
        fact_idx = np.asarray(pairs[1], np.int64)
        if n_events is None:
            n_events = int(ev_idx.max()) + 1 if len(ev_idx) else 0
    else:
        parts = [np.asarray(m, np.int64) for m in (membership or [])]
        if n_events is not None and len(parts) != n_events:
            raise ValueError(f"membership lists {len(parts)} events, not {n_events}")
        n_events = len(parts)
        ev_idx = np.repeat(np.arange(n_events), [len(p) for p in parts])
        fact_idx = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    n_cat = len(categories)
    flat = ev_idx * n_cat + codes[fact_idx]
    count_table = np.bincount(flat, weights=counts[fact_idx], minlength=n_events * n_cat).reshape(n_events, n_cat)
    score_table = count_table * w[None, :]
    return score_table, count_table, categories


# --- the audit --------------------------------------------------------------------------------


@dataclass
class FairnessAudit:
    sectors: pd.DataFrame  # one row per sector, AUDIT_FIELDS (+ name when sectors were given)
    threshold: float
    police_categories: Tuple[str, ...]
    police_natures: Tuple[str, ...]
    overall: Dict[str, float] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)

    @property
    def flagged(self) -> List[str]:
        """Sectors whose score is driven mostly by police-initiated facts."""
        return self.sectors.loc[self.sectors["police_driven"], "sector"].tolist()

    def summary(self) -> str:
        o = self.overall
        lines = [
            f"Fairness audit: {int(o.get('n_events', 0))} events in {len(self.sectors)} sectors; "
            f"police-initiated facts ({', '.join(self.police_categories)}, and facts of "
            f"{', '.join(self.police_natures)} events) make {_pct(o.get('police_score_share'))} of the score.",
        ]
        if self.flagged:
            lines.append(
                f"Sectors whose score comes mostly (> {self.threshold:.0%}) from police-initiated facts: "
                + ", ".join(self.flagged)
            )
        else:
            lines.append(f"No sector gets more than {self.threshold:.0%} of its score from police-initiated facts.")
        if np.isfinite(o.get("residual_log1p_mean", np.nan)):
            lines.append(
                f"Backtest: mean residual (predicted − observed) {o['residual_mean']:+.2f}, "
                f"{o['residual_log1p_mean']:+.3f} in log1p, over {int(o['n_predicted'])} predicted events."
            )
        lines.extend(self.notes)
        return "\n".join(lines)

    def markdown(self) -> str:
        cols = ["sector", "n_events", "n_predicted", "observed_mean", "predicted_mean", "residual_mean",
                "residual_log1p_mean", "ratio", "police_score_share", "police_fact_share", "police_driven"]
        cols = [c for c in cols if c in self.sectors]
        lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
        for _, r in self.sectors.iterrows():
            cells = []
            for c in cols:
                v = r[c]
                if c in ("police_score_share", "police_fact_share"):
                    cells.append(_pct(v))
                elif c == "police_driven":
                    cells.append("**yes**" if v else "no")
                elif isinstance(v, (float, np.floating)):
                    cells.append("n/a" if not np.isfinite(v) else f"{v:.3f}")
                else:
                    cells.append(str(v))
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def _pct(v) -> str:
    return "n/a" if v is None or not np.isfinite(v) else f"{v:.1%}"


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")


def fairness_audit(
    events: pd.DataFrame,
    observed,
    by_category,
    categories: Sequence[str],
    predicted=None,
    counts_by_category=None,
    threshold: float = DEFAULT_THRESHOLD,
    police_categories: Iterable[str] = POLICE_CATEGORIES,
    police_natures: Iterable[str] = POLICE_NATURES,
    sectors: Optional[pd.DataFrame] = None,
) -> FairnessAudit:
    """The audit table, one row per sector.

    ``events``: a frame with ``sector`` (and ``nature``, to know the
    police-initiated events; and ``geometry``, to place events without a
    sector when ``sectors`` is given); ``observed``: each event's score;
    ``by_category``: its per-category weighted score table
    (``ScoreResult.by_category``) with ``categories`` its columns;
    ``predicted``: the backtest's prediction for each event, NaN for events
    that were not predicted (training events); ``counts_by_category``: the
    same table in numbers of facts, for ``police_fact_share``.
    ``sectors`` (``sector_id``, ``name``, ``geometry``): lists sectors without
    events too and names them.
    """
    threshold = float(threshold)
    if not 0 <= threshold <= 1:
        raise ValueError(f"the police share threshold must be between 0 and 1, not {threshold!r}")
    police_categories = tuple(normalise_code(c) for c in police_categories)
    police_natures = tuple(normalise_code(c) for c in police_natures)
    events = events.reset_index(drop=True)
    n = len(events)
    observed = np.asarray(observed, float)
    if len(observed) != n:
        raise ValueError(f"{len(observed)} observed scores for {n} events")
    predicted = np.full(n, np.nan) if predicted is None else np.asarray(predicted, float)
    if len(predicted) != n:
        raise ValueError(f"{len(predicted)} predictions for {n} events")
    if sectors is not None and "geometry" in events:
        from tranquillite_plugin.core.axes import assign_sectors

        events = assign_sectors(events, sectors)
    sector = events["sector"].fillna("").astype(str).to_numpy(object) if "sector" in events else np.full(n, "", object)
    sector = np.where(sector == "", NO_SECTOR, sector)
    natures = events["nature"].to_numpy(object) if "nature" in events else None
    total, police = police_parts(by_category, categories, natures, police_categories, police_natures)
    if counts_by_category is not None:
        f_total, f_police = police_parts(counts_by_category, categories, natures, police_categories, police_natures)
    else:
        f_total = f_police = np.full(n, np.nan)
    police_event = _police_events(natures, n, police_natures)
    has_pred = np.isfinite(predicted)
    pred = np.where(has_pred, predicted, 0.0)
    obs_p = np.where(has_pred, observed, 0.0)
    resid = np.where(has_pred, pred - obs_p, 0.0)
    resid_log = np.where(has_pred, np.log1p(np.maximum(pred, 0)) - np.log1p(np.maximum(obs_p, 0)), 0.0)
    frame = pd.DataFrame(
        {
            "sector": sector,
            "one": 1,
            "has_pred": has_pred.astype(int),
            "police_event": police_event.astype(int),
            "obs_p": obs_p,
            "pred": pred,
            "resid": resid,
            "resid_log": resid_log,
            "total": total,
            "police": police,
            "f_total": f_total,
            "f_police": f_police,
        }
    )
    g = frame.groupby("sector", sort=True).sum(min_count=1)
    out = pd.DataFrame({"sector": g.index.astype(str)})
    k = g["has_pred"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["n_events"] = g["one"].to_numpy(np.int64)
        out["n_predicted"] = g["has_pred"].to_numpy(np.int64)
        out["n_police_events"] = g["police_event"].to_numpy(np.int64)
        out["observed_mean"] = np.where(k > 0, g["obs_p"].to_numpy(float) / k, np.nan)
        out["predicted_mean"] = np.where(k > 0, g["pred"].to_numpy(float) / k, np.nan)
        out["residual_mean"] = np.where(k > 0, g["resid"].to_numpy(float) / k, np.nan)
        out["residual_log1p_mean"] = np.where(k > 0, g["resid_log"].to_numpy(float) / k, np.nan)
        out["ratio"] = [_ratio(a, b) if kk > 0 else np.nan for a, b, kk in zip(g["pred"], g["obs_p"], k)]
        out["score_total"] = g["total"].to_numpy(float)
        out["police_score"] = g["police"].to_numpy(float)
        out["police_score_share"] = [_ratio(a, b) for a, b in zip(g["police"], g["total"])]
        out["police_fact_share"] = [_ratio(a, b) for a, b in zip(g["f_police"].fillna(0), g["f_total"].fillna(0))]
    out["police_driven"] = (out["police_score_share"].fillna(0.0) > threshold).to_numpy(bool)
    if sectors is not None and len(sectors):
        ids = sectors["sector_id"].astype(str).tolist()
        names = dict(zip(ids, sectors["name"].astype(str) if "name" in sectors else ids))
        missing = [s for s in ids if s not in set(out["sector"])]
        if missing:
            empty = pd.DataFrame({"sector": missing})
            for c in AUDIT_FIELDS[1:]:
                empty[c] = 0 if c.startswith("n_") else (False if c == "police_driven" else np.nan)
            empty["score_total"] = 0.0
            empty["police_score"] = 0.0
            out = pd.concat([out, empty], ignore_index=True).sort_values("sector", kind="stable").reset_index(drop=True)
        out.insert(1, "name", [names.get(s, "") for s in out["sector"]])
    kk = has_pred.sum()
    overall = {
        "n_events": float(n),
        "n_predicted": float(kk),
        "residual_mean": float(resid[has_pred].mean()) if kk else float("nan"),
        "residual_log1p_mean": float(resid_log[has_pred].mean()) if kk else float("nan"),
        "ratio": _ratio(pred[has_pred].sum(), obs_p[has_pred].sum()) if kk else float("nan"),
        "police_score_share": _ratio(police.sum(), total.sum()),
        "police_fact_share": _ratio(np.nansum(f_police), np.nansum(f_total)) if counts_by_category is not None else float("nan"),
    }
    notes = []
    if not kk:
        notes.append("No prediction given: residuals need a backtest (core.backtest).")
    return FairnessAudit(out, threshold, police_categories, police_natures, overall, notes)


@dataclass
class SectorFlag:
    """A sector the audit flags: its score comes mostly from police-initiated facts."""

    sector: str
    name: str
    police_score_share: float
    threshold: float
    n_events: int


def sector_flag(audit: Optional[FairnessAudit], sector_id) -> Optional[SectorFlag]:
    """The flag of ``sector_id`` when ``audit`` says its score is driven by police-initiated facts.

    None when there is no audit, no sector (empty id), a sector the audit does
    not know, or a sector that is not flagged.  Used to warn that a score
    transferred to a planned event in that sector may reflect patrols as much
    as incidents.
    """
    if audit is None or sector_id is None:
        return None
    sector_id = str(sector_id).strip()
    if not sector_id or sector_id == NO_SECTOR:
        return None
    frame = audit.sectors
    hit = frame[frame["sector"].astype(str) == sector_id]
    if not len(hit):
        return None
    r = hit.iloc[0]
    if not bool(r["police_driven"]):
        return None
    name = str(r["name"]) if "name" in frame and isinstance(r["name"], str) else ""
    return SectorFlag(sector_id, name if name != sector_id else "", float(r["police_score_share"]),
                      float(audit.threshold), int(r["n_events"]))


def model_fairness(model, **options) -> FairnessAudit:
    """The audit (police-initiated shares per sector) of the past events a trained
    ``core.forest.TransferModel`` holds: their sectors (assigned at training),
    natures, scores and per-category scores; works for a model loaded from a file too.
    ``options`` go to :func:`fairness_audit`."""
    events = pd.DataFrame({
        "sector": np.asarray(model.sector, dtype=object).astype(str),
        "nature": np.asarray(model.nature, dtype=object),
    })
    sectors = getattr(model, "sectors", None)
    if sectors is not None and len(sectors):
        options.setdefault("sectors", sectors[[c for c in ("sector_id", "name") if c in sectors]])
    return fairness_audit(events, model.score, model.by_category, list(model.categories), **options)


def fairness_from_backtest(
    result,
    events: pd.DataFrame,
    scores: ScoreResult,
    method: str = "transfer",
    counts_by_category=None,
    **options,
) -> FairnessAudit:
    """The audit of a ``core.backtest.BacktestResult``.

    ``events`` and ``scores`` are those the backtest ran on (all events,
    training and test); the test events' predictions are matched by
    ``event_id``.  ``options`` go to :func:`fairness_audit`.
    """
    preds = result.predictions
    if method not in preds:
        raise ValueError(f"the backtest has no method '{method}' (methods: {', '.join(c for c in preds.columns)})")
    events = events.reset_index(drop=True)
    lookup = pd.Series(preds[method].to_numpy(float), index=preds["event_id"].astype(str).to_numpy())
    predicted = events["event_id"].astype(str).map(lookup).to_numpy(float)
    if "sector" in preds and "sector" in events:
        # the model placed events without a sector: use its sector for those
        model_sector = pd.Series(preds["sector"].astype(str).to_numpy(), index=preds["event_id"].astype(str).to_numpy())
        own = events["sector"].fillna("").astype(str)
        filled = events["event_id"].astype(str).map(model_sector).fillna("")
        events = events.assign(sector=np.where(own == "", filled, own))
    audit = fairness_audit(events, scores.score, scores.by_category, scores.categories, predicted,
                           counts_by_category, **options)
    audit.overall["method"] = method
    return audit


# --- down-weighting police-initiated facts -------------------------------------------------------


def police_downweighted_weights(
    weights: Optional[Mapping[str, float]] = None,
    factor: float = 0.0,
    police_categories: Iterable[str] = POLICE_CATEGORIES,
) -> Dict[str, float]:
    """Category weights with the police-initiated categories multiplied by ``factor`` (0..1).

    ``weights`` default to the contract's; the result is a full table, ready
    for ``ScoreSettings(weights=...)``.
    """
    factor = _check_factor(factor)
    out = dict(DEFAULT_WEIGHTS)
    out.update({normalise_code(k): float(v) for k, v in (weights or {}).items()})
    for c in police_categories:
        c = normalise_code(c)
        out[c] = out.get(c, 1.0) * factor
    return out


def _check_factor(factor) -> float:
    f = float(factor)
    if not 0 <= f <= 1:
        raise ValueError(f"the down-weighting factor must be between 0 and 1, not {factor!r}")
    return f


def downweighted_scores(
    scores: ScoreResult,
    factor: float = 0.0,
    natures=None,
    police_categories: Iterable[str] = POLICE_CATEGORIES,
    police_natures: Iterable[str] = POLICE_NATURES,
) -> ScoreResult:
    """The scores again, police-initiated facts weighing ``factor`` times as much.

    Exact without going back to the facts: ``by_category`` holds each
    category's weighted sum, so multiplying a column by ``factor`` is scoring
    with that category's weight multiplied by ``factor`` (the same as
    rescoring with :func:`police_downweighted_weights`).  With ``natures``
    (each event's nature), the whole rows of police-initiated events are
    multiplied too.
    """
    factor = _check_factor(factor)
    table = np.array(scores.by_category, float, copy=True)
    table[:, _police_columns(scores.categories, police_categories)] *= factor
    whole = _police_events(natures, len(table), police_natures)
    table[whole] = np.asarray(scores.by_category, float)[whole] * factor
    return ScoreResult(table.sum(axis=1), np.array(scores.n_facts, copy=True), table, list(scores.categories))


def compare_backtests(base, downweighted, labels: Tuple[str, str] = ("as scored", "police down-weighted")) -> pd.DataFrame:
    """Metrics of two backtests side by side: method, metric, both values and the change.

    ``base`` and ``downweighted`` are ``core.backtest.BacktestResult`` objects
    or their ``metrics`` tables (a ``method`` column and one column per metric).
    Note that the two backtests are scored differently, so their observed
    scores differ too: the comparison says how well each weighting can be
    predicted, and the audits of both say where each puts the risk.
    """
    a = getattr(base, "metrics", base)
    b = getattr(downweighted, "metrics", downweighted)
    metrics = [c for c in ("spearman", "mae_log1p", "top_decile_hit", "band_coverage") if c in a and c in b]
    rows = []
    for method in a["method"]:
        if method not in set(b["method"]):
            continue
        ra = a.loc[a["method"] == method].iloc[0]
        rb = b.loc[b["method"] == method].iloc[0]
        for m in metrics:
            va, vb = float(ra[m]), float(rb[m])
            rows.append({"method": method, "metric": m, labels[0]: va, labels[1]: vb, "change": vb - va})
    return pd.DataFrame(rows, columns=["method", "metric", labels[0], labels[1], "change"])


def compare_audits(base: FairnessAudit, downweighted: FairnessAudit) -> pd.DataFrame:
    """Per sector: police share, mean log1p residual and flag under both weightings."""
    cols = ["sector", "police_score_share", "residual_log1p_mean", "predicted_mean", "police_driven"]
    a = base.sectors[cols].set_index("sector")
    b = downweighted.sectors[cols].set_index("sector")
    out = a.join(b, lsuffix="_base", rsuffix="_downweighted", how="outer").reset_index()
    return out


@dataclass
class DownweightingComparison:
    base: object  # BacktestResult
    downweighted: object  # BacktestResult
    metrics: pd.DataFrame  # compare_backtests
    audit_base: FairnessAudit
    audit_downweighted: FairnessAudit
    sectors: pd.DataFrame  # compare_audits
    factor: float


def backtest_with_downweighting(
    events: pd.DataFrame,
    scores: ScoreResult,
    cut,
    factor: float = 0.0,
    counts_by_category=None,
    audit_options: Optional[dict] = None,
    **backtest_options,
) -> DownweightingComparison:
    """Runs ``core.backtest.backtest`` on the scores as they are and down-weighted; compares both.

    ``backtest_options`` go to both backtests (``sectors``, ``settings``,
    ``k``, ``progress``...). ``audit_options`` go to both audits.
    """
    from tranquillite_plugin.core.backtest import backtest

    audit_options = dict(audit_options or {})
    natures = events["nature"].to_numpy(object) if "nature" in events else None
    police_categories = audit_options.get("police_categories", POLICE_CATEGORIES)
    police_natures = audit_options.get("police_natures", POLICE_NATURES)
    low = downweighted_scores(scores, factor, natures, police_categories, police_natures)
    progress = backtest_options.pop("progress", None)

    def sub(p0, p1):
        return None if progress is None else (lambda v: progress(p0 + (p1 - p0) * v / 100.0))

    base = backtest(events, scores, cut, progress=sub(0, 50), **backtest_options)
    down = backtest(events, low, cut, progress=sub(50, 100), **backtest_options)
    audit_base = fairness_from_backtest(base, events, scores, counts_by_category=counts_by_category, **audit_options)
    audit_down = fairness_from_backtest(down, events, low, counts_by_category=counts_by_category, **audit_options)
    return DownweightingComparison(
        base, down, compare_backtests(base, down), audit_base, audit_down, compare_audits(audit_base, audit_down),
        _check_factor(factor),
    )
