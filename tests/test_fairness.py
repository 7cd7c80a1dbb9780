"""Fairness audit per sector (core/fairness.py), on data built so the answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.contract import CATEGORIES, DEFAULT_WEIGHTS
from tranquillite_plugin.core.fairness import (
    NO_SECTOR,
    backtest_with_downweighting,
    category_tables,
    compare_backtests,
    downweighted_scores,
    fairness_audit,
    police_downweighted_weights,
    police_parts,
)
from tranquillite_plugin.core.score import FactIndex, ScoreResult, ScoreSettings, facts_of_event, score_events
from tranquillite_plugin.core.timeutil import TZ

CATS = list(CATEGORIES)


def _row(**parts):
    row = np.zeros(len(CATS))
    for k, v in parts.items():
        row[CATS.index(k)] = v
    return row


def _known():
    """Four sectors whose police share and residual sign are known by construction."""
    rows = [
        # A: fines and towing only -> share 1, flagged; predicted twice the observed
        ("A", "marche", _row(verbalisation=4.0), 8.0),
        ("A", "concert", _row(verbalisation=1.0, enlevement=1.0), 4.0),
        # B: balanced -> share 1/6, not flagged; predicted 1 below
        ("B", "concert", _row(violence=3.0, vol=2.0, verbalisation=1.0), 5.0),
        ("B", "festival", _row(violence=6.0, vol=4.0, verbalisation=2.0), 11.0),
        # C: an operation_police event (its facts count whole) and a demonstration -> 10/14
        ("C", "operation_police", _row(violence=6.0, vol=4.0), np.nan),
        ("C", "manifestation", _row(vol=4.0), np.nan),
        # D: exactly half -> not flagged (more than 50 % is needed)
        ("D", "sport", _row(enlevement=3.0, nuisance=3.0), 6.0),
    ]
    events = pd.DataFrame({"sector": [r[0] for r in rows], "nature": [r[1] for r in rows],
                           "event_id": [f"E{i}" for i in range(len(rows))]})
    table = np.vstack([r[2] for r in rows])
    observed = table.sum(axis=1)
    predicted = np.array([r[3] for r in rows])
    return events, observed, table, predicted


def test_police_driven_sector_is_flagged_and_balanced_one_is_not():
    events, observed, table, predicted = _known()
    audit = fairness_audit(events, observed, table, CATS, predicted)
    s = audit.sectors.set_index("sector")
    assert audit.flagged == ["A", "C"]
    assert s.loc["A", "police_score_share"] == pytest.approx(1.0)
    assert s.loc["B", "police_score_share"] == pytest.approx(3.0 / 18.0)
    assert s.loc["C", "police_score_share"] == pytest.approx(10.0 / 14.0)
    assert s.loc["D", "police_score_share"] == pytest.approx(0.5) and not s.loc["D", "police_driven"]
    assert s.loc["C", "n_police_events"] == 1 and s.loc["A", "n_police_events"] == 0
    # residuals: sign and size known
    assert s.loc["A", "residual_mean"] == pytest.approx(((8 - 4) + (4 - 2)) / 2)
    assert s.loc["A", "ratio"] == pytest.approx(2.0)
    assert s.loc["A", "residual_log1p_mean"] == pytest.approx(np.mean([np.log1p(8) - np.log1p(4), np.log1p(4) - np.log1p(2)]))
    assert s.loc["B", "residual_mean"] == pytest.approx(-1.0)
    assert s.loc["B", "ratio"] == pytest.approx(16.0 / 18.0)
    assert s.loc["B", "residual_log1p_mean"] < 0
    assert s.loc["D", "residual_mean"] == pytest.approx(0.0)
    # C has no prediction: residuals undefined, the share still computed
    assert s.loc["C", "n_predicted"] == 0 and np.isnan(s.loc["C", "residual_mean"]) and np.isnan(s.loc["C", "ratio"])
    assert s.loc["A", "n_events"] == 2 and s.loc["A", "n_predicted"] == 2
    assert audit.overall["police_score_share"] == pytest.approx((6 + 3 + 10 + 3) / observed.sum())
    assert "A, C" in audit.summary()
    assert "**yes**" in audit.markdown()


def test_threshold_is_a_parameter():
    events, observed, table, predicted = _known()
    assert fairness_audit(events, observed, table, CATS, predicted, threshold=0.75).flagged == ["A"]
    assert fairness_audit(events, observed, table, CATS, predicted, threshold=0.4).flagged == ["A", "C", "D"]
    with pytest.raises(ValueError, match="between 0 and 1"):
        fairness_audit(events, observed, table, CATS, predicted, threshold=50)


def test_fact_counts_give_the_share_in_facts():
    events, observed, table, predicted = _known()
    counts = table / np.array([DEFAULT_WEIGHTS[c] for c in CATS])[None, :]
    audit = fairness_audit(events, observed, table, CATS, predicted, counts_by_category=counts)
    s = audit.sectors.set_index("sector")
    # A: 8 fines + 2 fines + 2 towings, all police
    assert s.loc["A", "police_fact_share"] == pytest.approx(1.0)
    # B: verbalisation 3 / 0.5 = 6 facts of 6/3*... computed from the weights
    b = counts[2] + counts[3]
    assert s.loc["B", "police_fact_share"] == pytest.approx(b[CATS.index("verbalisation")] / b.sum())


def test_events_without_sector_and_empty_sectors():
    events, observed, table, predicted = _known()
    events.loc[6, "sector"] = ""
    sectors = pd.DataFrame({"sector_id": ["A", "B", "C", "D", "E"], "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
                            "geometry": [shapely.box(i, 0, i + 1, 1) for i in range(5)]})
    audit = fairness_audit(events, observed, table, CATS, predicted, sectors=sectors)
    s = audit.sectors.set_index("sector")
    assert NO_SECTOR in s.index and s.loc[NO_SECTOR, "n_events"] == 1
    assert s.loc["E", "n_events"] == 0 and not s.loc["E", "police_driven"] and s.loc["E", "name"] == "Epsilon"
    assert s.loc["A", "name"] == "Alpha"


def _scored_world():
    """Facts and events in two sectors: West gets fines only, East a balanced mix."""
    rng = np.random.default_rng(3)
    t0 = pd.Timestamp("2023-05-01 10:00", tz=TZ)
    ev_rows, fact_rows = [], []
    for i in range(20):
        west = i % 2 == 0
        x = 1000.0 if west else 5000.0
        start = t0 + pd.Timedelta(days=i)
        ev_rows.append({"geometry": shapely.Point(x, 1000.0), "event_id": f"E{i:02d}", "nature": "concert",
                        "start": start, "end": start + pd.Timedelta(hours=2), "sector": "W" if west else "E"})
        cats = ["verbalisation", "enlevement"] if west else ["violence", "vol", "nuisance", "verbalisation", "secours"]
        for _ in range(int(rng.integers(3, 9))):
            fact_rows.append({"x": x + rng.uniform(-100, 100), "y": 1000.0 + rng.uniform(-100, 100),
                              "category": cats[int(rng.integers(0, len(cats)))],
                              "occurred_at": start + pd.Timedelta(minutes=int(rng.integers(0, 120))),
                              "count": int(rng.integers(1, 3))})
    events = pd.DataFrame(ev_rows)
    facts = pd.DataFrame(fact_rows)
    facts["occurred_at"] = pd.to_datetime(facts["occurred_at"]).dt.tz_convert(TZ)
    return events, facts


def test_audit_on_real_scores_and_membership():
    events, facts = _scored_world()
    settings = ScoreSettings()
    result = score_events(events, facts, settings)
    audit = fairness_audit(events, result.score, result.by_category, result.categories)
    assert audit.flagged == ["W"]
    s = audit.sectors.set_index("sector")
    assert s.loc["W", "police_score_share"] == pytest.approx(1.0)
    assert s.loc["E", "police_score_share"] < 0.5
    # the same tables from the facts of each event
    index = FactIndex.build(facts, settings.weights)
    membership = [facts_of_event(g, a, b, index, settings) for g, a, b in zip(events["geometry"], events["start"], events["end"])]
    scores_t, counts_t, cats = category_tables(facts, membership, len(events), settings.weights)
    assert cats == result.categories
    np.testing.assert_allclose(scores_t, result.by_category, rtol=1e-12)
    np.testing.assert_allclose(counts_t.sum(axis=1), result.n_facts)
    pairs = (np.repeat(np.arange(len(events)), [len(m) for m in membership]), np.concatenate(membership))
    scores_p, _, _ = category_tables(facts, pairs=pairs, n_events=len(events), weights=settings.weights)
    np.testing.assert_allclose(scores_p, scores_t)
    audit2 = fairness_audit(events, result.score, result.by_category, result.categories, counts_by_category=counts_t)
    assert audit2.sectors.set_index("sector").loc["W", "police_fact_share"] == pytest.approx(1.0)


def test_downweighting_equals_rescoring_with_the_weights():
    events, facts = _scored_world()
    base = score_events(events, facts, ScoreSettings())
    for factor in (0.0, 0.25, 1.0):
        weights = police_downweighted_weights(None, factor)
        assert weights["verbalisation"] == pytest.approx(0.5 * factor)
        assert weights["enlevement"] == pytest.approx(0.5 * factor)
        assert weights["violence"] == DEFAULT_WEIGHTS["violence"]
        rescored = score_events(events, facts, ScoreSettings(weights=weights))
        cheap = downweighted_scores(base, factor)
        np.testing.assert_allclose(cheap.score, rescored.score, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(cheap.by_category, rescored.by_category, rtol=1e-12, atol=1e-12)
    zero = downweighted_scores(base, 0.0)
    audit = fairness_audit(events, zero.score, zero.by_category, zero.categories)
    assert audit.flagged == [] and audit.overall["police_score_share"] == 0.0
    with pytest.raises(ValueError, match="between 0 and 1"):
        police_downweighted_weights(None, 2)


def test_downweighting_police_events_counts_their_rows_whole():
    table = np.vstack([_row(violence=6.0, verbalisation=2.0), _row(violence=6.0, verbalisation=2.0)])
    scores = ScoreResult(table.sum(axis=1), np.ones(2), table, CATS)
    out = downweighted_scores(scores, 0.5, natures=["operation_police", "concert"])
    assert out.score.tolist() == [4.0, 7.0]
    total, police = police_parts(table, CATS, ["operation_police", "concert"])
    assert total.tolist() == [8.0, 8.0] and police.tolist() == [8.0, 2.0]


def test_compare_backtest_tables():
    a = pd.DataFrame({"method": ["transfer", "knn20"], "spearman": [0.6, 0.4], "mae_log1p": [0.5, 0.7]})
    b = pd.DataFrame({"method": ["transfer", "knn20"], "spearman": [0.5, 0.45], "mae_log1p": [0.55, 0.6]})
    c = compare_backtests(a, b).set_index(["method", "metric"])
    assert c.loc[("transfer", "spearman"), "change"] == pytest.approx(-0.1)
    assert c.loc[("knn20", "mae_log1p"), "police down-weighted"] == pytest.approx(0.6)


def test_backtest_with_downweighting_runs_both_and_compares():
    pytest.importorskip("sklearn")
    from conftest_model import make_events

    from tranquillite_plugin.core.forest import ForestSettings

    events, scores, by_cat, cats = make_events(n=300, seed=4, with_sector=True)
    # make sector S00 police-driven: its events' facts become fines
    s00 = (events["sector"] == "S00").to_numpy()
    by_cat = by_cat.copy()
    by_cat[s00] = 0.0
    by_cat[s00, cats.index("verbalisation")] = scores[s00]
    result = ScoreResult(np.asarray(scores, float), np.ones(len(scores)), by_cat, cats)
    cut = events["start"].sort_values().iloc[200]
    cmp_ = backtest_with_downweighting(events, result, cut, factor=0.0, settings=ForestSettings(n_trees=20, min_leaf=3))
    assert "S00" in cmp_.audit_base.flagged
    assert "S00" not in cmp_.audit_downweighted.flagged
    assert set(cmp_.metrics["method"]) >= {"transfer", "global_mean"}
    assert set(cmp_.metrics["metric"]) >= {"spearman", "mae_log1p", "top_decile_hit"}
    row = cmp_.sectors.set_index("sector").loc["S00"]
    assert row["police_score_share_base"] == pytest.approx(1.0)
    assert np.isnan(row["police_score_share_downweighted"])  # nothing left to share: its score is 0
    assert row["predicted_mean_downweighted"] < row["predicted_mean_base"]
    # the audit of the base backtest has residuals for the test events only
    assert cmp_.audit_base.overall["n_predicted"] == cmp_.base.n_test
