"""Export safety: facts aggregated to a grid or to sectors with a minimum count (core/aggregate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.aggregate import OTHER, aggregate_facts, period_labels
from tranquillite_plugin.core.timeutil import TZ


def _facts(rows):
    """rows: (x, y, category, count[, when])."""
    out = pd.DataFrame(
        {
            "x": [r[0] for r in rows],
            "y": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "count": [r[3] for r in rows],
            "occurred_at": [pd.Timestamp(r[4] if len(r) > 4 else "2024-05-01 12:00", tz=TZ) for r in rows],
        }
    )
    out["occurred_at"] = pd.to_datetime(out["occurred_at"]).dt.tz_convert(TZ)
    return out


def test_grid_cells_suppressed_merged_and_published():
    rows = (
        [(10, 10, "vol", 1)] * 6 + [(20, 30, "nuisance", 1)] * 5 + [(50, 50, "violence", 1)] * 2  # cell 0_0: 13 records
        + [(150, 10, "vol", 1)] * 3  # cell 1_0: 3 records -> suppressed
        + [(10, 150, "vol", 1)] * 4 + [(10, 160, "vol", 4)]  # cell 0_1: 5 records, 8 facts
    )
    agg = aggregate_facts(_facts(rows), cell_size=100, min_count=5)
    cells = agg.cells.set_index("cell_id")
    assert list(agg.cells["cell_id"]) == ["0_0", "0_1"]  # 1_0 is not written at all
    a = cells.loc["0_0"]
    # violence (2) is merged; 'other' would then hold 2 < 5 records, so the smallest
    # remaining category (nuisance, 5) is merged too
    assert a["n_records"] == 13 and a["n_facts"] == 13
    assert a["vol"] == 6 and a["nuisance"] == 0 and a["violence"] == 0 and a[OTHER] == 7
    b = cells.loc["0_1"]
    assert b["n_records"] == 5 and b["n_facts"] == 8 and b["vol"] == 8 and b[OTHER] == 0
    assert shapely.equals(b["geometry"], shapely.box(0, 100, 100, 200))
    r = agg.report
    assert (r.n_published_cells, r.n_suppressed_cells) == (2, 1)
    assert (r.n_published_records, r.n_suppressed_records, r.n_suppressed_facts) == (18, 3, 3)
    assert r.n_merged_values == 2
    assert "1 cells suppressed (3 records, 3 facts)" in r.summary()


def test_grid_is_aligned_on_multiples_of_the_size():
    rows = [(100.0, -0.5, "vol", 1)] * 5 + [(-250.0, 99.99, "vol", 1)] * 5
    agg = aggregate_facts(_facts(rows), cell_size=100, min_count=5)
    cells = agg.cells.set_index("cell_id")
    assert set(cells.index) == {"1_-1", "-3_0"}
    assert shapely.equals(cells.loc["1_-1", "geometry"], shapely.box(100, -100, 200, 0))
    assert shapely.equals(cells.loc["-3_0", "geometry"], shapely.box(-300, 0, -200, 100))


def test_invariants_on_random_facts():
    rng = np.random.default_rng(0)
    n = 20_000
    cats = np.array(["vol", "nuisance", "violence", "verbalisation", "secours"], dtype=object)
    facts = pd.DataFrame(
        {
            "x": rng.normal(0, 800, n),
            "y": rng.normal(0, 800, n),
            "category": cats[rng.choice(5, n, p=[0.5, 0.25, 0.15, 0.07, 0.03])],
            "count": rng.integers(1, 4, n),
            "occurred_at": pd.Series(pd.Timestamp("2024-01-01", tz=TZ) + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")),
        }
    )
    for k in (2, 5, 11):
        for period in ("", "month"):
            agg = aggregate_facts(facts, cell_size=250, min_count=k, period=period)
            c = agg.cells
            r = agg.report
            assert (c["n_records"] >= k).all()
            assert r.n_published_records + r.n_suppressed_records == n
            assert r.n_published_facts + r.n_suppressed_facts == pytest.approx(facts["count"].sum())
            assert c["n_facts"].sum() == pytest.approx(r.n_published_facts)
            figures = c[list(cats) + [OTHER]]
            np.testing.assert_allclose(figures.sum(axis=1), c["n_facts"])
            # every non-zero figure comes from at least k records: recount the records behind each
            key = np.floor(facts["x"] / 250).astype(int).astype(str) + "_" + np.floor(facts["y"] / 250).astype(int).astype(str)
            per = pd.DataFrame({"cell_id": key, "category": facts["category"],
                                "period": period_labels(facts["occurred_at"], period)})
            rec = per.groupby(["cell_id", "period", "category"]).size()
            for _, row in c.sample(min(200, len(c)), random_state=1).iterrows():
                p = row["period"] if period else ""
                merged_records = 0
                for cat in cats:
                    n_rec = rec.get((row["cell_id"], p, cat), 0)
                    if row[cat] > 0:
                        assert n_rec >= k
                    else:
                        merged_records += n_rec
                assert row[OTHER] == 0 or merged_records >= k


def test_sectors_all_written_suppressed_ones_without_figures():
    sectors = pd.DataFrame(
        {
            "sector_id": ["N", "S", "E"],
            "name": ["Nord", "Sud", "Est"],
            "geometry": [shapely.box(0, 100, 100, 200), shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 200)],
        }
    )
    rows = [(50, 150, "vol", 1)] * 6 + [(50, 50, "vol", 2)] * 2 + [(500, 500, "vol", 1)] * 3
    agg = aggregate_facts(_facts(rows), sectors=sectors, min_count=5)
    c = agg.cells.set_index("cell_id")
    assert list(agg.cells["cell_id"]) == ["E", "N", "S"]
    assert c.loc["N", "n_records"] == 6 and c.loc["N", "suppressed"] == 0 and c.loc["N", "name"] == "Nord"
    assert np.isnan(c.loc["S", "n_records"]) and np.isnan(c.loc["S", "vol"]) and c.loc["S", "suppressed"] == 1
    assert np.isnan(c.loc["E", "n_records"]) and c.loc["E", "suppressed"] == 1  # no fact: NULL as well
    assert shapely.equals(c.loc["S", "geometry"], sectors.loc[1, "geometry"])
    assert agg.report.n_outside_records == 3
    assert "3 records outside every sector" in agg.report.summary()


def test_periods_are_judged_separately():
    rows = [(10, 10, "vol", 1, "2024-05-03 10:00")] * 5 + [(10, 10, "vol", 1, "2024-06-03 10:00")] * 4
    agg = aggregate_facts(_facts(rows), cell_size=100, min_count=5, period="month")
    assert agg.cells[["cell_id", "period", "n_records"]].values.tolist() == [["0_0", "2024-05", 5]]
    # a fact at 00:30 local on 1 June is June, although it is still May in UTC
    labels = period_labels(pd.Series([pd.Timestamp("2024-06-01 00:30", tz=TZ)]), "month")
    assert labels.tolist() == ["2024-06"]
    assert period_labels(pd.Series([pd.Timestamp("2024-12-30 10:00", tz=TZ)]), "week").tolist() == ["2025-W01"]


def test_without_categories():
    rows = [(10, 10, "vol", 1)] * 3 + [(10, 10, "violence", 1)] * 2
    agg = aggregate_facts(_facts(rows), cell_size=100, min_count=5, by_category=False)
    assert list(agg.cells.columns) == ["cell_id", "n_records", "n_facts", "geometry"]


def test_bad_parameters():
    facts = _facts([(0, 0, "vol", 1)])
    with pytest.raises(ValueError, match="at least 2"):
        aggregate_facts(facts, cell_size=100, min_count=1)
    with pytest.raises(ValueError, match="grid"):
        aggregate_facts(facts)
    with pytest.raises(ValueError, match="positive"):
        aggregate_facts(facts, cell_size=0)
    with pytest.raises(ValueError, match="period"):
        aggregate_facts(facts, cell_size=10, period="hour")
