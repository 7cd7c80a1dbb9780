"""Export safety (SPEC §7): facts leave the observatory aggregated, never one by one.

Facts are counted per **cell** — a square of a grid (``cell_size`` metres,
aligned on multiples of the size in the working CRS, so the same cell always
has the same bounds whatever the data's extent) or a **sector** — and,
optionally, per **period** (year, month, ISO week or day, local time).

The rule, so that no single fact can be singled out (``k`` = ``min_count``,
5 by default, at least 2):

1. The threshold is on fact **records** (rows): a record whose ``count`` is 3
   is still one place and one time.  Published figures are sums of ``count``.
2. A cell (× period) with fewer than ``k`` records is **suppressed**.  On a
   grid, suppressed cells are not written at all, so they look like empty
   cells; for sectors, every sector is written and a suppressed one has no
   figures (NULL) and ``suppressed = 1`` — sectors with no fact at all too, so
   that NULL means "fewer than k", never "a few".
3. In a published cell, the categories with fewer than ``k`` records are
   **merged into** ``other``; if ``other`` then holds fewer than ``k`` records
   (but some), the smallest remaining category is merged too.  So every
   published figure is 0 or comes from at least ``k`` records, and no small
   figure can be recovered by subtracting the others from the total.
4. The report gives the totals: records and facts published, suppressed,
   outside every sector.

Pure Python (pandas, numpy, shapely): no QGIS import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.sector_stats import facts_sector_index
from tranquillite_plugin.core.timeutil import TZ

PERIODS = ("", "year", "month", "week", "day")
OTHER = "other"
DEFAULT_MIN_COUNT = 5


@dataclass
class AggregateReport:
    mode: str  # "grid" or "sectors"
    min_count: int
    cell_size: float = 0.0
    period: str = ""
    n_records: int = 0
    n_facts: float = 0.0
    n_cells: int = 0  # cells (× periods) holding facts
    n_published_cells: int = 0
    n_published_records: int = 0
    n_published_facts: float = 0.0
    n_suppressed_cells: int = 0
    n_suppressed_records: int = 0
    n_suppressed_facts: float = 0.0
    n_outside_records: int = 0
    n_merged_values: int = 0  # category figures merged into "other"
    categories: List[str] = field(default_factory=list)

    def summary(self) -> str:
        where = f"a {self.cell_size:g} m grid" if self.mode == "grid" else "sectors"
        when = f" and {self.period}" if self.period else ""
        text = (
            f"{self.n_records} fact records ({self.n_facts:.0f} facts) aggregated to {where}{when}, at least "
            f"{self.min_count} records per published figure: {self.n_published_cells} cells published "
            f"({self.n_published_records} records), {self.n_suppressed_cells} cells suppressed "
            f"({self.n_suppressed_records} records, {self.n_suppressed_facts:.0f} facts)"
        )
        if self.n_merged_values:
            text += f", {self.n_merged_values} small category figures merged into '{OTHER}'"
        if self.n_outside_records:
            text += f", {self.n_outside_records} records outside every sector not exported"
        return text + "."

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Aggregation:
    cells: pd.DataFrame  # cell_id, [name], [period], n_records, n_facts, <categories...>, other, [suppressed], geometry
    report: AggregateReport


def sector_of_points(sectors: pd.DataFrame, x, y) -> np.ndarray:
    """Row of ``sectors`` holding each point, -1 outside every sector.

    The rule of ``core.sector_stats.facts_sector_index``, which it is: a point
    on a boundary shared by two sectors goes to the sector whose ``sector_id``
    comes first.
    """
    return facts_sector_index(sectors, x, y)


def _check_min_count(min_count) -> int:
    if isinstance(min_count, bool) or not float(min_count).is_integer() or int(min_count) < 2:
        raise ValueError(f"the minimum count per cell must be a whole number of at least 2, not {min_count!r}")
    return int(min_count)


def period_labels(occurred_at: pd.Series, period: str) -> np.ndarray:
    """Local-time period of each datetime: '2024', '2024-05', '2024-W18', '2024-05-01' ('' for none)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(p or 'none' for p in PERIODS)}, not {period!r}")
    s = pd.Series(occurred_at).reset_index(drop=True)
    if not period:
        return np.full(len(s), "", dtype=object)
    local = s.dt.tz_convert(TZ) if isinstance(s.dtype, pd.DatetimeTZDtype) else s
    year = local.dt.year.to_numpy(np.int64)
    if period == "year":
        code = year
        fmt = lambda c: f"{c}"  # noqa: E731
    elif period == "month":
        code = year * 100 + local.dt.month.to_numpy(np.int64)
        fmt = lambda c: f"{c // 100}-{c % 100:02d}"  # noqa: E731
    elif period == "week":
        iso = local.dt.isocalendar()
        code = iso["year"].to_numpy(np.int64) * 100 + iso["week"].to_numpy(np.int64)
        fmt = lambda c: f"{c // 100}-W{c % 100:02d}"  # noqa: E731
    else:
        code = year * 10000 + local.dt.month.to_numpy(np.int64) * 100 + local.dt.day.to_numpy(np.int64)
        fmt = lambda c: f"{c // 10000}-{c // 100 % 100:02d}-{c % 100:02d}"  # noqa: E731
    codes, uniques = pd.factorize(code)
    labels = np.array([fmt(int(u)) for u in uniques], dtype=object)
    return labels[codes]


def _safe_categories(records: np.ndarray, facts: np.ndarray, k: int):
    """Rule 3 on a (cells × categories) table: (published facts, other facts, other records, n merged)."""
    small = (records > 0) & (records < k)
    other_r = (records * small).sum(axis=1)
    need = (other_r > 0) & (other_r < k)
    if need.any():
        # merge the smallest category still published (first in category order on a tie)
        big = np.where((records >= k) & ~small, records, np.iinfo(np.int64).max)
        j = np.argmin(big[need], axis=1)
        rows = np.flatnonzero(need)
        small[rows, j] = True
        other_r = (records * small).sum(axis=1)
    published = np.where(small, 0.0, facts)
    other_f = (facts * small).sum(axis=1)
    return published, other_f, other_r, int(small.sum())


def aggregate_facts(
    facts: pd.DataFrame,
    cell_size: Optional[float] = None,
    sectors: Optional[pd.DataFrame] = None,
    min_count: int = DEFAULT_MIN_COUNT,
    period: str = "",
    by_category: bool = True,
) -> Aggregation:
    """Aggregates the clean facts frame to a grid (``cell_size``) or to ``sectors`` (see the module's doc).

    Returns the published cells — ``cell_id`` (grid: ``"i_j"``, the cell
    ``[i·size, (i+1)·size) × [j·size, (j+1)·size)``; sectors: ``sector_id``),
    ``name`` (sectors), ``period``, ``n_records``, ``n_facts``, one column per
    category and ``other`` (``by_category``), ``suppressed`` (sectors),
    ``geometry`` — and the report.
    """
    k = _check_min_count(min_count)
    if (cell_size is None) == (sectors is None):
        raise ValueError("aggregate either to a grid (cell_size) or to sectors, not both and not neither")
    if cell_size is not None:
        cell_size = float(cell_size)
        if not np.isfinite(cell_size) or cell_size <= 0:
            raise ValueError(f"the cell size must be a positive number of metres, not {cell_size!r}")
    facts = facts.reset_index(drop=True)
    n = len(facts)
    x = facts["x"].to_numpy(float)
    y = facts["y"].to_numpy(float)
    counts = facts["count"].to_numpy(float) if "count" in facts else np.ones(n)
    cat_values = facts["category"].to_numpy(object)
    cat_codes, cat_uniques = pd.factorize(cat_values, sort=True)
    if any(not isinstance(c, str) for c in cat_uniques):  # codes read as numbers: one text code each
        cat_codes, cat_uniques = pd.factorize(facts["category"].astype(str).to_numpy(object), sort=True)
    categories = [str(c) for c in cat_uniques] if by_category else []
    periods = period_labels(facts["occurred_at"], period) if n else np.zeros(0, object)
    report = AggregateReport("grid" if cell_size else "sectors", k, cell_size or 0.0, period, n, float(counts.sum()),
                             categories=list(categories))

    # the place of each fact, as an integer
    if cell_size is not None:
        i = np.floor(x / cell_size).astype(np.int64)
        j = np.floor(y / cell_size).astype(np.int64)
        inside = np.ones(n, bool)
        place = (i << 32) + (j & 0xFFFFFFFF)
    else:
        sectors = sectors.reset_index(drop=True)
        place = sector_of_points(sectors, x, y)
        inside = place >= 0
        report.n_outside_records = int((~inside).sum())
    if period:
        place_idx, place_uniques = pd.factorize(place[inside])
        period_idx, period_uniques = pd.factorize(periods[inside])
        n_per = max(1, len(period_uniques))
        key_idx, key_uniques = pd.factorize(place_idx.astype(np.int64) * n_per + period_idx)
    else:  # one hash pass: the key is the place
        key_idx, place_uniques = pd.factorize(place[inside])
        key_uniques = np.arange(len(place_uniques), dtype=np.int64)
        period_uniques = np.array([""], dtype=object)
        n_per = 1
    cats = cat_codes[inside] if by_category else np.zeros(len(key_idx), np.int64)
    n_cat = max(1, len(categories))
    n_keys = len(key_uniques)
    flat = key_idx.astype(np.int64) * n_cat + cats
    records = np.bincount(flat, minlength=n_keys * n_cat).reshape(n_keys, n_cat).astype(np.int64)
    fact_sums = np.bincount(flat, weights=counts[inside], minlength=n_keys * n_cat).reshape(n_keys, n_cat)

    total_r = records.sum(axis=1)
    total_f = fact_sums.sum(axis=1)
    kept = total_r >= k
    report.n_cells = n_keys
    report.n_published_cells = int(kept.sum())
    report.n_published_records = int(total_r[kept].sum())
    report.n_published_facts = float(total_f[kept].sum())
    report.n_suppressed_cells = int((~kept).sum())
    report.n_suppressed_records = int(total_r[~kept].sum())
    report.n_suppressed_facts = float(total_f[~kept].sum())

    key_kept = np.asarray(key_uniques)[kept]
    place_of = np.asarray(place_uniques)[key_kept // n_per] if len(key_kept) else np.zeros(0, np.int64)
    out = pd.DataFrame()
    if cell_size is not None:
        ci = place_of >> 32
        cj = (place_of & 0xFFFFFFFF).astype(np.int64)
        cj = np.where(cj >= 2**31, cj - 2**32, cj)
        out["cell_id"] = [f"{a}_{b}" for a, b in zip(ci, cj)]
    else:
        sid = sectors["sector_id"].astype(str).to_numpy(object)
        out["cell_id"] = sid[place_of.astype(np.int64)] if len(place_of) else np.zeros(0, object)
    if period:
        out["period"] = np.asarray(period_uniques, dtype=object)[key_kept % n_per] if len(key_kept) else np.zeros(0, object)
    out["n_records"] = total_r[kept]
    out["n_facts"] = total_f[kept]
    if by_category:
        published, other_f, _, merged = _safe_categories(records[kept], fact_sums[kept], k)
        report.n_merged_values = merged
        for c, name in enumerate(categories):
            out[name] = published[:, c]
        out[OTHER] = other_f

    if cell_size is not None:
        if len(out):
            x0 = ci * cell_size
            y0 = cj * cell_size
            out["geometry"] = shapely.box(x0, y0, x0 + cell_size, y0 + cell_size)
        else:
            out["geometry"] = np.zeros(0, object)
        order = np.lexsort(((out["period"].astype(str).to_numpy() if period else np.zeros(len(out))), cj, ci))
        out = out.iloc[order].reset_index(drop=True)
    else:
        out = _all_sectors(out, sectors, period)
    return Aggregation(out, report)


def _all_sectors(published: pd.DataFrame, sectors: pd.DataFrame, period: str) -> pd.DataFrame:
    """Every sector (× period seen), suppressed ones with NULL figures (rule 2)."""
    sid = sectors["sector_id"].astype(str).tolist()
    names = sectors["name"].astype(str).tolist() if "name" in sectors else [""] * len(sid)
    geoms = dict(zip(sid, sectors["geometry"].to_numpy(object)))
    name_of = dict(zip(sid, names))
    if period:
        seen = sorted(set(published["period"])) if len(published) else []
        frame = pd.DataFrame([(s, p) for s in sid for p in seen], columns=["cell_id", "period"])
        on = ["cell_id", "period"]
    else:
        frame = pd.DataFrame({"cell_id": sid})
        on = ["cell_id"]
    out = frame.merge(published, on=on, how="left")
    out["suppressed"] = out["n_records"].isna().astype(np.int64)
    out.insert(1, "name", [name_of[s] for s in out["cell_id"]])
    out["geometry"] = [geoms[s] for s in out["cell_id"]]
    return out.sort_values(on, kind="stable").reset_index(drop=True)
