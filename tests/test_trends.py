"""Trends and alerts per sector (core/trends.py), with a planted surge."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.core.trends import TOTAL, TrendRule, sector_trends, trend_windows

CATS = ["vol", "nuisance", "degradation", "verbalisation"]


def _sectors(n_side=3, size=1000.0):
    rows = []
    for i in range(n_side):
        for j in range(n_side):
            rows.append({"fid": len(rows) + 1, "sector_id": f"S{i}{j}", "name": f"Secteur {i}{j}",
                         "geometry": shapely.box(i * size, j * size, (i + 1) * size, (j + 1) * size)})
    return pd.DataFrame(rows)


def _facts(end="2024-03-18", weeks=10, rate=10, seed=0, surge=None):
    """Background facts: every week, sector and category ``rate`` facts, give or take one.

    ``surge``: (sector i, j, category, n facts) added in the last 7 days.
    """
    rng = np.random.default_rng(seed)
    end_ts = pd.Timestamp(end, tz=TZ)
    rows = []
    for k in range(weeks):
        w_end = end_ts - pd.DateOffset(days=7 * k)
        for i in range(3):
            for j in range(3):
                for c in CATS:
                    for _ in range(rate + int(rng.integers(-1, 2))):
                        rows.append((i * 1000 + rng.uniform(1, 999), j * 1000 + rng.uniform(1, 999), c,
                                     w_end - pd.Timedelta(seconds=float(rng.uniform(1, 7 * 86400 - 3600)))))
    if surge:
        i, j, c, n = surge
        for _ in range(n):
            rows.append((i * 1000 + rng.uniform(1, 999), j * 1000 + rng.uniform(1, 999), c,
                         end_ts - pd.Timedelta(seconds=float(rng.uniform(1, 7 * 86400 - 3600)))))
    facts = pd.DataFrame(rows, columns=["x", "y", "category", "occurred_at"])
    facts["occurred_at"] = pd.to_datetime(facts["occurred_at"]).dt.tz_convert(TZ)
    facts["count"] = 1
    return facts


def test_planted_surge_is_found_with_its_category():
    facts = _facts(surge=(2, 1, "degradation", 12))
    res = sector_trends(facts, _sectors(), end="2024-03-18", window_days=7, baseline="weeks", periods=8)
    alerts = res.alerts
    assert alerts["sector"].tolist() == ["S21"]
    row = alerts.iloc[0]
    assert row["driving_category"] == "degradation" and row["name"] == "Secteur 21"
    assert row["driving_recent"] >= 21 and row["driving_ratio"] >= 1.5 and row["driving_z"] >= 2
    s = res.sectors.set_index("sector")
    assert not s.drop("S21")["alert"].any()
    assert (s.drop("S21")["driving_category"] == "").all()
    assert "ALERT sector S21 (Secteur 21): degradation" in res.summary()
    cell = res.cells.set_index(["sector", "category"]).loc[("S21", "degradation")]
    assert bool(cell["alert"])


def test_counts_are_exact_and_windows_half_open():
    sectors = _sectors()
    end = pd.Timestamp("2024-03-18", tz=TZ)
    w = trend_windows(end, 7, "weeks", 2)
    assert w["end"].tolist() == [end, end - pd.DateOffset(days=7), end - pd.DateOffset(days=14)]
    times = [
        end - pd.DateOffset(days=7),  # start of the recent window: in
        end - pd.Timedelta(microseconds=1),  # in
        end,  # end is excluded
        end - pd.DateOffset(days=7) - pd.Timedelta(microseconds=1),  # last instant of baseline window 1
        end - pd.DateOffset(days=21) - pd.Timedelta(microseconds=1),  # before every window
    ]
    facts = pd.DataFrame({"x": [500.0] * 5, "y": [500.0] * 5, "category": ["vol"] * 5,
                          "occurred_at": pd.Series(times).dt.tz_convert(TZ), "count": [1, 2, 4, 8, 16]})
    res = sector_trends(facts, sectors, end=end, periods=2)
    c = res.cells.set_index(["sector", "category"])
    assert c.loc[("S00", "vol"), "recent"] == 3
    assert c.loc[("S00", "vol"), "baseline_mean"] == pytest.approx((8 + 0) / 2)
    assert c.loc[("S00", TOTAL), "recent"] == 3
    assert c.loc[("S11", "vol"), "recent"] == 0


def test_windows_keep_local_midnight_across_daylight_saving():
    w = trend_windows("2024-04-01", 7, "weeks", 2)  # DST began on 31 March 2024
    assert all(t.hour == 0 for t in list(w["start"]) + list(w["end"]))
    assert w["start"].iloc[0] == pd.Timestamp("2024-03-25", tz=TZ)


def test_the_rule_is_the_users():
    facts = _facts(surge=(2, 1, "degradation", 12))
    strict = sector_trends(facts, _sectors(), end="2024-03-18", rule=TrendRule(min_ratio=20))
    assert strict.alerts.empty
    few = sector_trends(facts, _sectors(), end="2024-03-18", rule=TrendRule(min_count=100))
    assert few.alerts.empty
    loose = sector_trends(facts, _sectors(), end="2024-03-18", rule=TrendRule(min_ratio=0, min_z=-100, min_count=0))
    assert loose.sectors["alert"].all()
    with pytest.raises(ValueError):
        TrendRule(min_ratio=float("nan"))


def test_no_surge_no_alert():
    res = sector_trends(_facts(seed=1), _sectors(), end="2024-03-18")
    assert res.alerts.empty


def test_baseline_same_weeks_of_previous_years():
    # facts every year in the same week: a seasonal peak is not an alert against previous years
    rng = np.random.default_rng(2)
    rows = []
    for year in (2021, 2022, 2023, 2024):
        end = pd.Timestamp("2024-07-15", tz=TZ) - pd.DateOffset(days=364 * (2024 - year))
        n = 40 if year < 2024 else 42
        for _ in range(n):
            rows.append((500.0, 500.0, "nuisance", end - pd.Timedelta(seconds=float(rng.uniform(1, 7 * 86400)))))
    # and a quiet rest of the year: against the previous weeks it is a surge
    for k in range(1, 9):
        end = pd.Timestamp("2024-07-15", tz=TZ) - pd.DateOffset(days=7 * k)
        for _ in range(2):
            rows.append((500.0, 500.0, "nuisance", end - pd.Timedelta(hours=30)))
    facts = pd.DataFrame(rows, columns=["x", "y", "category", "occurred_at"])
    facts["occurred_at"] = pd.to_datetime(facts["occurred_at"]).dt.tz_convert(TZ)
    facts["count"] = 1
    sectors = _sectors()
    weeks = sector_trends(facts, sectors, end="2024-07-15", baseline="weeks", periods=8)
    years = sector_trends(facts, sectors, end="2024-07-15", baseline="years", periods=3)
    assert weeks.alerts["sector"].tolist() == ["S00"]
    assert years.alerts.empty
    cell = years.cells.set_index(["sector", "category"]).loc[("S00", "nuisance")]
    assert cell["recent"] == 42 and cell["baseline_mean"] == pytest.approx(40.0)
    assert years.windows["start"].iloc[1] == pd.Timestamp("2023-07-10", tz=TZ)  # 52 weeks back, a Monday


def test_facts_outside_sectors_are_reported():
    facts = _facts(weeks=3)
    extra = facts.iloc[:5].copy()
    extra["x"] = 99_999.0
    facts = pd.concat([facts, extra], ignore_index=True)
    end = facts["occurred_at"].max().normalize() + pd.DateOffset(days=1)
    res = sector_trends(facts, _sectors(), end=end, periods=2)
    assert any("outside every sector" in n for n in res.notes)
    default = sector_trends(facts, _sectors(), periods=2)  # end: midnight after the latest fact
    assert default.windows["end"].iloc[0] == end


def test_bad_parameters():
    facts = _facts(weeks=2)
    with pytest.raises(ValueError, match="baseline"):
        sector_trends(facts, _sectors(), baseline="months")
    with pytest.raises(ValueError, match="date"):
        sector_trends(facts, _sectors(), end="not a date")
    with pytest.raises(ValueError, match="sectors"):
        sector_trends(facts, _sectors().iloc[:0])
