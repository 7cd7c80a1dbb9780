"""Fairness audit, trends and alerts, aggregated export (SPEC §7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import pandas as pd

from tranquillite_plugin.core.fairness import backtest_with_downweighting, fairness_audit, fairness_from_backtest
from tranquillite_plugin.core.score import ScoreResult
from tranquillite_plugin.core.trends import TrendRule, sector_trends
from tranquillite_plugin.pipeline.record import AuditRecord, forest_parameters, inputs_list, sub_progress

# --- fairness audit -----------------------------------------------------------------------------


def scored_fairness(events: pd.DataFrame, scores: ScoreResult, sectors: Optional[pd.DataFrame] = None):
    """Police-initiated share per sector of scored past events (core.fairness.FairnessAudit), default options."""
    return fairness_audit(events, scores.score, scores.by_category, scores.categories, sectors=sectors)


@dataclass
class Fairness:
    audit: Any  # core.fairness.FairnessAudit
    comparison: Any  # core.fairness.DownweightingComparison or None
    record: AuditRecord


def fairness(
    events: pd.DataFrame,
    scores: ScoreResult,
    sectors: Optional[pd.DataFrame] = None,
    threshold: float = 0.5,
    police_categories: Optional[Sequence[str]] = None,
    police_natures: Optional[Sequence[str]] = None,
    cut: str = "",
    compare: bool = False,
    factor: float = 0.0,
    forest_settings=None,
    backtest_result=None,
    inputs: Sequence = (),
    progress=None,
    is_cancelled=None,
) -> Fairness:
    """Police-initiated share per sector; with ``cut`` (or a ``backtest_result`` already made) the
    residuals of a backtest, and with ``compare`` a second backtest with police facts × ``factor``."""
    options = {"threshold": float(threshold), "sectors": sectors}
    if police_categories is not None:
        options["police_categories"] = list(police_categories)
    if police_natures is not None:
        options["police_natures"] = list(police_natures)
    comparison = None
    fingerprint = None
    if backtest_result is not None:
        audit = fairness_from_backtest(backtest_result, events, scores, **options)
        fingerprint = backtest_result.fingerprint or None
    elif cut:
        bt = {"sectors": sectors, "settings": forest_settings, "progress": sub_progress(progress, 0, 90), "is_cancelled": is_cancelled}
        if compare:
            comparison = backtest_with_downweighting(events, scores, cut, factor, audit_options=options, **bt)
            audit = comparison.audit_base
            fingerprint = comparison.base.fingerprint
        else:
            from tranquillite_plugin.core.backtest import backtest

            result = backtest(events, scores, cut, **bt)
            audit = fairness_from_backtest(result, events, scores, **options)
            fingerprint = result.fingerprint
    else:
        audit = fairness_audit(events, scores.score, scores.by_category, scores.categories, **options)
    parameters = {"THRESHOLD": float(threshold), "CUT_DATE": cut or "", "COMPARE_DOWNWEIGHTED": bool(compare),
                  "FACTOR": float(factor), "POLICE_CATEGORIES": list(audit.police_categories),
                  "POLICE_NATURES": list(audit.police_natures)}
    if forest_settings is not None and cut:
        parameters.update(forest_parameters(forest_settings))
    summary = {"flagged": list(audit.flagged), "n_sectors": len(audit.sectors), "threshold": audit.threshold,
               "cut_date": cut or None, "compared_downweighted": comparison is not None,
               **{k: v for k, v in audit.overall.items() if isinstance(v, (int, float, str))}}
    if comparison is not None:
        summary["factor"] = comparison.factor
    record = AuditRecord("fairnessaudit", parameters, inputs_list(inputs), len(events), fingerprint, summary)
    return Fairness(audit, comparison, record)


# --- trends and alerts ------------------------------------------------------------------------------


@dataclass
class Trends:
    result: Any  # core.trends.TrendResult
    record: AuditRecord


def trends(
    facts: pd.DataFrame,
    sectors: pd.DataFrame,
    window_days: float = 7,
    baseline: str = "weeks",
    periods: int = 8,
    rule: Optional[TrendRule] = None,
    end=None,
    inputs: Sequence = (),
) -> Trends:
    """core.trends.sector_trends, with the audit record of the run."""
    result = sector_trends(facts, sectors, end=end, window_days=window_days, baseline=baseline, periods=periods, rule=rule)
    parameters = {"WINDOW_DAYS": float(window_days), "BASELINE": baseline, "PERIODS": int(periods),
                  "END": "" if end is None else str(end)}
    if result.rule is not None:
        parameters.update({"MIN_RATIO": result.rule.min_ratio, "MIN_Z": result.rule.min_z, "MIN_COUNT": result.rule.min_count})
    alerts, w = result.alerts, result.windows
    summary = {
        "alerts": alerts["sector"].tolist(),
        "driving": dict(zip(alerts["sector"], alerts["driving_category"])),
        "recent_window": [w["start"].iloc[0].isoformat(), w["end"].iloc[0].isoformat()],
        "baseline_windows": len(w) - 1,
        "rule": result.rule.to_dict() if result.rule is not None else None,
    }
    return Trends(result, AuditRecord("trends", parameters, inputs_list(inputs), len(facts), None, summary))


# --- aggregated export ------------------------------------------------------------------------------


@dataclass
class Export:
    aggregation: Any  # core.aggregate.Aggregation
    record: AuditRecord


def export_aggregated(
    facts: pd.DataFrame,
    cell_size: Optional[float] = None,
    sectors: Optional[pd.DataFrame] = None,
    min_count: int = 5,
    period: str = "",
    by_category: bool = True,
    inputs: Sequence = (),
) -> Export:
    """Facts aggregated to a grid or to sectors, small counts suppressed, with the audit record."""
    from tranquillite_plugin.core.aggregate import aggregate_facts

    agg = aggregate_facts(facts, cell_size=cell_size, sectors=sectors, min_count=min_count, period=period, by_category=by_category)
    parameters = {"MODE": "grid" if sectors is None else "sectors", "CELL_SIZE": cell_size, "MIN_COUNT": int(min_count),
                  "PERIOD": period, "BY_CATEGORY": bool(by_category)}
    return Export(agg, AuditRecord("exportaggregated", parameters, inputs_list(inputs), len(facts), None, agg.report.as_dict()))
