"""Retention and minimisation (issue 17): detail older than a layer kind's retention becomes counts.

The store keeps a retention per layer kind (the ``retention`` setting, months;
``None`` keeps everything). ``tranquillite:applyretention`` turns the facts
(and, when a retention is set for them, the past events) older than the cut
into counts per sector × month × category — the category of a fact, the nature
of an event — and deletes the detail, in one transaction.  Trends and
backtests keep working: trends read the detail of the retained period (which
is left as it was), the long-run history stays in the counts, and events keep
the scores that were computed while the facts were there.

Pure Python (numpy, pandas): no QGIS import.
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional, Tuple

import numpy as np
import pandas as pd

from tranquillite_plugin.core.aggregate import period_labels, sector_of_points
from tranquillite_plugin.core.timeutil import TZ

#: months of detail kept per layer kind; None keeps everything. Sectors, axes and cameras are
#: the city's map (no history to minimise); events are the model's history, kept by default.
DEFAULT_RETENTION: Dict[str, Optional[int]] = {"facts": 60, "events": None, "sectors": None, "axes": None, "cameras": None}
#: the kinds whose old detail can be turned into counts, and the column that is their category
AGGREGATED = {"facts": ("occurred_at", "category"), "events": ("start", "nature")}
NO_SECTOR = "(no sector)"
AGGREGATE_COLUMNS = ("kind", "sector", "month", "category", "n_records", "n_facts")


def retention_settings(stored: Optional[Mapping]) -> Dict[str, Optional[int]]:
    """The stored ``retention`` setting merged over the defaults, checked."""
    out = dict(DEFAULT_RETENTION)
    for kind, months in (stored or {}).items():
        if kind not in out:
            raise ValueError(f"retention: unknown layer kind '{kind}' (one of {', '.join(out)})")
        if months is None:
            out[kind] = None
            continue
        if isinstance(months, bool) or not float(months).is_integer() or int(months) < 1:
            raise ValueError(f"retention of {kind}: a whole number of months >= 1 (or none), not {months!r}")
        out[kind] = int(months)
    for kind in out:
        if out[kind] is not None and kind not in AGGREGATED:
            raise ValueError(f"retention of {kind}: only {', '.join(AGGREGATED)} can be aggregated")
    return out


def cutoff(now, months: int) -> pd.Timestamp:
    """Local midnight of the first day of the month ``months`` months before ``now``'s month (Europe/Paris).

    Whole months: a month is either kept in detail or aggregated, never split.
    """
    t = pd.Timestamp(now)
    t = t.tz_localize(TZ) if t.tzinfo is None else t.tz_convert(TZ)
    first = pd.Timestamp(year=t.year, month=t.month, day=1)
    return (first - pd.DateOffset(months=int(months))).tz_localize(TZ)


def split_old(frame: pd.DataFrame, kind: str, cut: pd.Timestamp) -> np.ndarray:
    """Mask of the rows of a clean frame of ``kind`` strictly older than ``cut``."""
    column, _ = AGGREGATED[kind]
    when = pd.Series(frame[column]).reset_index(drop=True)
    return (when < cut).fillna(False).to_numpy(bool)


def aggregate(frame: pd.DataFrame, kind: str, sectors: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Counts per sector × month × category of a clean frame of ``kind`` (AGGREGATE_COLUMNS).

    Facts are placed in the sector holding them (``sectors``), else ``(no
    sector)``; ``n_facts`` is the sum of their ``count``. Events keep their
    ``sector``; ``n_facts`` is their number.
    """
    column, cat = AGGREGATED[kind]
    n = len(frame)
    if not n:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in ("kind", "sector", "month", "category") else np.int64)
                             for c in AGGREGATE_COLUMNS})
    if kind == "facts":
        if sectors is not None and len(sectors):
            idx = sector_of_points(sectors, frame["x"].to_numpy(float), frame["y"].to_numpy(float))
            ids = sectors["sector_id"].astype(str).to_numpy(object)
            sector = np.where(idx >= 0, ids[np.maximum(idx, 0)], NO_SECTOR)
        else:
            sector = np.full(n, NO_SECTOR, dtype=object)
        weight = frame["count"].to_numpy(np.int64) if "count" in frame else np.ones(n, np.int64)
    else:
        sector = frame["sector"].fillna("").astype(str).to_numpy(object)
        sector = np.where(sector == "", NO_SECTOR, sector)
        weight = np.ones(n, np.int64)
    work = pd.DataFrame({
        "sector": sector,
        "month": period_labels(frame[column], "month"),
        "category": frame[cat].astype(str).to_numpy(object),
        "n_records": np.ones(n, np.int64),
        "n_facts": weight,
    })
    g = work.groupby(["sector", "month", "category"], sort=True, as_index=False)[["n_records", "n_facts"]].sum()
    g.insert(0, "kind", kind)
    return g[list(AGGREGATE_COLUMNS)].reset_index(drop=True)


def merge_aggregates(existing: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Counts already in the store plus new ones, cell by cell (retention applied twice adds up)."""
    both = pd.concat([existing, new], ignore_index=True) if len(existing) else new
    if not len(both):
        return new
    keys = ["kind", "sector", "month", "category"]
    g = both.groupby(keys, sort=True, as_index=False)[["n_records", "n_facts"]].sum()
    return g[list(AGGREGATE_COLUMNS)].reset_index(drop=True)


def monthly_counts(detail: pd.DataFrame, aggregates: pd.DataFrame, kind: str = "facts",
                   sectors: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """sector × month × category counts of detail and aggregates together: what a long-run trend reads.

    Equal before and after retention (the test's identity).
    """
    a = aggregate(detail, kind, sectors)
    agg = aggregates[aggregates["kind"] == kind] if len(aggregates) else aggregates
    return merge_aggregates(agg, a)


def retention_plan(settings: Mapping[str, Optional[int]], now) -> Dict[str, Tuple[int, pd.Timestamp]]:
    """{kind: (months, cut)} for the kinds with a retention."""
    return {k: (m, cutoff(now, m)) for k, m in settings.items() if m is not None and k in AGGREGATED}
