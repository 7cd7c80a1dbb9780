"""Trends and alerts per sector and category (the city's tender; SPEC §7 issue).

For every sector and category, the facts of a **recent window** (the
``window_days`` days before ``end``) are counted (``count`` included) and set
against a **seasonal baseline**: the same window shifted back by whole weeks
(``baseline="weeks"``: the previous ``periods`` weeks, same weekdays) or by 52
weeks (``baseline="years"``: the same weeks of the previous ``periods`` years,
same weekdays too).  When the window is longer than a week the weekly shift is
the window rounded up to whole weeks, so that no two windows overlap.  Windows
are half-open, ``[start, end)``, in local time Europe/Paris (a shift of 7 days
keeps local midnight across a change of daylight saving time).

For each cell (sector × category, and the sector's total):

* ``recent`` — facts in the recent window;
* ``baseline_mean``, ``baseline_std`` — mean and standard deviation (ddof=1)
  of the counts of the baseline windows;
* ``ratio`` = recent / baseline_mean (``inf`` when the baseline is 0 and
  something happened);
* ``z`` = (recent − baseline_mean) / sd, where sd = √max(std², mean, 1): the
  spread of the baseline, never below what Poisson counts of that mean would
  show, so that a quiet baseline (all zeros) does not make every fact an alert;
* ``alert`` — the user's rule (:class:`TrendRule`): ``ratio ≥ min_ratio`` and
  ``z ≥ min_z`` and ``recent ≥ min_count`` (1.5, 2 and 5 by default).

A sector is in alert when one of its categories or its total is; the
**driving category** is, among its alerting categories, the one with the
largest excess (recent − baseline_mean) — or, when only the total alerts, the
category with the largest excess.

Facts are placed in sectors by point-in-polygon (``core.aggregate.sector_of_points``,
the rule of ``core.sector_stats``: a fact on a boundary shared by two sectors
goes to the sector whose ``sector_id`` comes first); facts outside every
sector are counted in the notes.

Pure Python (pandas, numpy, shapely): no QGIS import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional

import numpy as np
import pandas as pd

from tranquillite_plugin.core.aggregate import sector_of_points
from tranquillite_plugin.core.timeutil import TZ, parse_datetimes, to_epoch_us

TOTAL = "(all)"
BASELINES = ("weeks", "years")


@dataclass
class TrendRule:
    """When a cell is in alert: all three conditions (set one to 0 to drop it)."""

    min_ratio: float = 1.5
    min_z: float = 2.0
    min_count: float = 5.0

    def __post_init__(self):
        for name in ("min_ratio", "min_z", "min_count"):
            value = float(getattr(self, name))
            if not np.isfinite(value):
                raise ValueError(f"alert rule {name} must be a number, not {getattr(self, name)!r}")
            setattr(self, name, value)
        if self.min_ratio < 0 or self.min_count < 0:
            raise ValueError("alert rule min_ratio and min_count must be >= 0")

    def text(self) -> str:
        return f"ratio ≥ {self.min_ratio:g} and z ≥ {self.min_z:g} and at least {self.min_count:g} facts"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrendResult:
    cells: pd.DataFrame  # sector, category, recent, baseline_mean, baseline_std, ratio, z, alert
    sectors: pd.DataFrame  # one row per sector, see SECTOR_FIELDS
    windows: pd.DataFrame  # window (0 = recent), start, end
    rule: TrendRule
    notes: List[str] = field(default_factory=list)

    @property
    def alerts(self) -> pd.DataFrame:
        """Sectors in alert, highest excess first."""
        s = self.sectors[self.sectors["alert"]]
        return s.sort_values(["driving_excess", "sector"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def summary(self) -> str:
        w = self.windows
        head = (
            f"Recent window {w['start'].iloc[0]:%Y-%m-%d %H:%M} – {w['end'].iloc[0]:%Y-%m-%d %H:%M} against "
            f"{len(w) - 1} baseline windows; rule: {self.rule.text()}."
        )
        lines = [head]
        a = self.alerts
        if len(a):
            for _, r in a.iterrows():
                lines.append(
                    f"ALERT sector {r['sector']}{' (' + r['name'] + ')' if r.get('name') else ''}: "
                    f"{r['driving_category']} {int(r['driving_recent'])} facts against "
                    f"{r['driving_baseline']:.1f} usually (ratio {_fmt_ratio(r['driving_ratio'])}, z {r['driving_z']:.1f})"
                )
        else:
            lines.append("No sector in alert.")
        return "\n".join(lines + self.notes)


SECTOR_FIELDS = (
    "sector",
    "name",
    "recent",
    "baseline_mean",
    "ratio",
    "z",
    "alert",
    "n_alert_categories",
    "driving_category",
    "driving_recent",
    "driving_baseline",
    "driving_ratio",
    "driving_z",
    "driving_excess",
    "alert_categories",
)


def _fmt_ratio(v) -> str:
    return "∞" if np.isinf(v) else f"{v:.2f}"


def _timestamp(value) -> pd.Timestamp:
    s, bad = parse_datetimes(pd.Series([value], dtype=object))
    if bad.any() or pd.isna(s.iloc[0]):
        raise ValueError(f"cannot read {value!r} as a date and time")
    return s.iloc[0]


def trend_windows(end, window_days: float = 7, baseline: str = "weeks", periods: int = 8) -> pd.DataFrame:
    """The recent window (row 0) and the baseline windows: ``window``, ``start``, ``end`` (Europe/Paris)."""
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {', '.join(BASELINES)}, not {baseline!r}")
    window_days = float(window_days)
    if not window_days > 0:
        raise ValueError(f"the window must last more than 0 days, not {window_days!r}")
    periods = int(periods)
    if periods < 1:
        raise ValueError(f"at least one baseline period is needed, not {periods!r}")
    if baseline == "years" and window_days > 364:
        raise ValueError("a window longer than 52 weeks cannot be compared with the previous years")
    end_ts = _timestamp(end)
    if baseline == "weeks":
        step_days = 7 * int(np.ceil(window_days / 7 - 1e-12))
    else:
        step_days = 364
    length = pd.Timedelta(days=window_days)
    rows = []
    for k in range(periods + 1):
        e = end_ts - pd.DateOffset(days=step_days * k)  # calendar days: local midnight stays midnight
        rows.append({"window": k, "start": e - length, "end": e})
    out = pd.DataFrame(rows)
    # a whole number of days: start from the calendar too (DST-proof)
    if float(window_days).is_integer():
        out["start"] = [e - pd.DateOffset(days=int(window_days)) for e in out["end"]]
    out["start"] = pd.to_datetime(out["start"]).dt.tz_convert(TZ)
    out["end"] = pd.to_datetime(out["end"]).dt.tz_convert(TZ)
    return out


def _default_end(facts: pd.DataFrame) -> pd.Timestamp:
    """Midnight after the day of the latest fact (so that day is wholly in the window)."""
    last = facts["occurred_at"].max()
    return (last.tz_convert(TZ).normalize() + pd.DateOffset(days=1)).tz_convert(TZ)


def sector_trends(
    facts: pd.DataFrame,
    sectors: pd.DataFrame,
    end=None,
    window_days: float = 7,
    baseline: str = "weeks",
    periods: int = 8,
    rule: Optional[TrendRule] = None,
    categories: Optional[List[str]] = None,
) -> TrendResult:
    """Trends and alerts per sector and category (see the module's doc).

    ``facts``: the clean facts frame (x, y, category, occurred_at, count);
    ``sectors``: the clean sectors frame (sector_id, name, geometry); ``end``:
    the end of the recent window (exclusive; default: midnight after the
    latest fact); ``categories``: restrict to these (default: all found).
    """
    rule = rule or TrendRule()
    if sectors is None or not len(sectors):
        raise ValueError("trends need a sectors layer with at least one sector")
    if end is None:
        if not len(facts):
            raise ValueError("no facts, and no end date for the recent window")
        end = _default_end(facts)
    windows = trend_windows(end, window_days, baseline, periods)
    starts_us = to_epoch_us(windows["start"])
    ends_us = to_epoch_us(windows["end"])
    n_win = len(windows)
    t = to_epoch_us(facts["occurred_at"]) if len(facts) else np.zeros(0, np.int64)
    # which window holds each fact (windows do not overlap)
    order = np.argsort(starts_us)
    pos = np.searchsorted(starts_us[order], t, side="right") - 1
    win = np.full(len(t), -1, np.int64)
    ok = pos >= 0
    cand = order[pos[ok]]
    inside = t[ok] < ends_us[cand]
    win[np.flatnonzero(ok)[inside]] = cand[inside]
    live = np.flatnonzero(win >= 0)
    live_cats = facts["category"].to_numpy(object)[live].astype(str).astype(object)
    codes, uniques = pd.factorize(live_cats, sort=True)
    if categories is None:
        categories = [str(u) for u in uniques]
    categories = list(categories)
    cat_index = {c: i for i, c in enumerate(categories)}
    remap = np.array([cat_index.get(str(u), -1) for u in uniques], dtype=np.int64)
    cat_code = remap[codes] if len(codes) else np.zeros(0, np.int64)
    keep = cat_code >= 0
    live, cat_code = live[keep], cat_code[keep]
    x = facts["x"].to_numpy(float)[live]
    y = facts["y"].to_numpy(float)[live]
    sectors = sectors.reset_index(drop=True)
    owner = sector_of_points(sectors, x, y)
    notes = []
    outside = owner < 0
    if outside.any():
        notes.append(f"{int(outside.sum())} facts of the compared windows lie outside every sector and are not counted")
    counts = facts["count"].to_numpy(float)[live] if "count" in facts else np.ones(len(live))
    n_sec, n_cat = len(sectors), len(categories)
    sel = ~outside
    flat = (win[live][sel] * n_sec + owner[sel]) * n_cat + cat_code[sel]
    cube = np.bincount(flat, weights=counts[sel], minlength=n_win * n_sec * n_cat).reshape(n_win, n_sec, n_cat)
    cube = np.concatenate([cube, cube.sum(axis=2, keepdims=True)], axis=2)  # + the total
    cat_names = categories + [TOTAL]

    recent = cube[0]
    base = cube[1:]
    mean = base.mean(axis=0)
    std = base.std(axis=0, ddof=1) if len(base) > 1 else np.zeros_like(mean)
    sd = np.sqrt(np.maximum(np.maximum(std**2, mean), 1.0))
    z = (recent - mean) / sd
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mean > 0, recent / np.where(mean > 0, mean, 1.0), np.where(recent > 0, np.inf, np.nan))
    alert = (recent >= rule.min_count) & (z >= rule.min_z) & (np.nan_to_num(ratio, nan=0.0, posinf=np.inf) >= rule.min_ratio)

    sid = sectors["sector_id"].astype(str).to_numpy(object)
    names = sectors["name"].astype(str).to_numpy(object) if "name" in sectors else np.full(n_sec, "", object)
    cells = pd.DataFrame(
        {
            "sector": np.repeat(sid, n_cat + 1),
            "category": np.tile(np.array(cat_names, dtype=object), n_sec),
            "recent": recent.ravel(),
            "baseline_mean": mean.ravel(),
            "baseline_std": std.ravel(),
            "ratio": ratio.ravel(),
            "z": z.ravel(),
            "alert": alert.ravel(),
        }
    )
    rows = []
    for s in range(n_sec):
        excess = recent[s, :n_cat] - mean[s, :n_cat]
        cat_alert = alert[s, :n_cat]
        if cat_alert.any():
            j = int(np.flatnonzero(cat_alert)[np.argmax(excess[cat_alert])])
        elif n_cat:
            j = int(np.argmax(excess))
        else:
            j = -1
        sector_alert = bool(cat_alert.any() or alert[s, n_cat])
        if not sector_alert:
            j = -1  # the driving category is only named for a sector in alert
        rows.append(
            {
                "sector": sid[s],
                "name": names[s],
                "recent": recent[s, n_cat],
                "baseline_mean": mean[s, n_cat],
                "ratio": ratio[s, n_cat],
                "z": z[s, n_cat],
                "alert": sector_alert,
                "n_alert_categories": int(cat_alert.sum()),
                "driving_category": categories[j] if j >= 0 else "",
                "driving_recent": recent[s, j] if j >= 0 else np.nan,
                "driving_baseline": mean[s, j] if j >= 0 else np.nan,
                "driving_ratio": ratio[s, j] if j >= 0 else np.nan,
                "driving_z": z[s, j] if j >= 0 else np.nan,
                "driving_excess": excess[j] if j >= 0 else np.nan,
                "alert_categories": ",".join(categories[i] for i in np.flatnonzero(cat_alert)),
            }
        )
    sector_table = pd.DataFrame(rows, columns=list(SECTOR_FIELDS))
    return TrendResult(cells, sector_table, windows, rule, notes)
