"""Backtest metrics by hand, and the backtest protocol on synthetic data (SPEC §4)."""

import os

import numpy as np
import pandas as pd
import pytest
from conftest_model import hand_model, make_events, make_sectors

from tranquillite_plugin.core.axes import COLUMNS
from tranquillite_plugin.core.backtest import (
    backtest,
    band_coverage,
    knn_means,
    mae_log1p,
    nature_sector_means,
    pai,
    permutation_importances,
    spearman,
    top_decile_hit_rate,
    top_membership,
    write_report,
)
from tranquillite_plugin.core.forest import ForestSettings
from tranquillite_plugin.core.timeutil import to_epoch_us


def test_spearman_by_hand():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ranks (1, 2, 3) against (1, 3, 2): 1 - 6 * 2 / (3 * 8) = 0.5
    assert spearman([1, 2, 3], [5, 9, 7]) == pytest.approx(0.5)
    assert np.isnan(spearman([1, 2, 3], [7, 7, 7]))


def test_mae_log1p_by_hand():
    assert mae_log1p([0.0, np.e - 1], [np.e - 1, np.e - 1]) == pytest.approx(0.5)


def test_top_membership_shares_ties():
    assert list(top_membership([5, 1, 3, 3, 0], 2)) == [1.0, 0.0, 0.5, 0.5, 0.0]
    assert list(top_membership([7, 7, 7, 7], 1)) == [0.25] * 4


def test_top_decile_hit_rate_by_hand():
    observed = np.arange(20, dtype=float)  # true top 2: indices 18, 19
    predicted = np.zeros(20)
    predicted[19] = 5  # finds one
    predicted[3] = 4  # misses the other
    assert top_decile_hit_rate(observed, predicted) == pytest.approx(0.5)
    assert top_decile_hit_rate(observed, observed) == 1.0
    assert top_decile_hit_rate(observed, -observed) == 0.0
    assert top_decile_hit_rate(observed, np.ones(20)) == pytest.approx(0.1)  # constant: chance
    # 25 events: ceil(2.5) = 3 flagged
    obs = np.arange(25, dtype=float)
    pred = obs.copy()
    pred[24] = -1
    assert top_decile_hit_rate(obs, pred) == pytest.approx(2 / 3)


def test_pai_by_hand():
    obs = np.array([10.0] + [0.0] * 9)
    assert pai(obs, obs) == pytest.approx(10.0)  # all of the score in the 10 % flagged
    assert pai(obs, np.ones(10)) == pytest.approx(1.0)  # chance
    assert pai(np.ones(10), np.arange(10)) == pytest.approx(1.0)
    assert np.isnan(pai(np.zeros(10), np.arange(10)))


def test_band_coverage_by_hand():
    assert band_coverage([1, 5, 9, 3], [0, 0, 0, np.nan], [2, 4, 10, np.nan]) == pytest.approx(2 / 3)


def test_nature_sector_means_fall_back_to_nature_then_global():
    out = nature_sector_means(
        ["a", "a", "a", "b"], ["S1", "S1", "S2", "S1"], [1.0, 3.0, 10.0, 100.0],
        ["a", "a", "b", "c"], ["S1", "S9", "S2", "S1"],
    )
    assert list(out) == pytest.approx([2.0, 14 / 3, 100.0, 114 / 4])


def test_knn_means_by_hand():
    X = np.zeros((5, len(COLUMNS)))
    X[:, 0] = [0.0, 1.0, 2.0, 3.0, 10.0]
    y = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    q = np.zeros((1, len(COLUMNS)))
    q[0, 0] = 1.1
    assert knn_means(X, y, q, k=2)[0] == pytest.approx(2.5)  # nearest: x = 1 and x = 2
    assert knn_means(X, y, q, k=99)[0] == pytest.approx(y.mean())


def test_permutation_importances_only_the_axis_the_forest_uses_matters():
    m = hand_model()  # four stumps on x (the location axis); other columns are zero
    X = np.zeros((40, len(COLUMNS)))
    X[:, 0] = np.tile([1.0, 2.0, 3.0, 4.0, 5.0], 8)
    observed = np.expm1(m.forest.predict(X))  # the forest is exact on these rows: base MAE 0
    imp = permutation_importances(m, X, observed, repeats=3, seed=0).set_index("axis")
    assert imp.loc["location", "mae_increase"] > 0.2
    assert (imp.drop(index="location")["mae_increase"] == 0).all()
    assert imp.index[0] == "location"
    again = permutation_importances(m, X, observed, repeats=3, seed=0).set_index("axis")
    assert again.equals(imp)


@pytest.fixture(scope="module")
def result():
    # ~1000 test events, so that the top decile (~100 events) is not decided by one or two of them
    ev, sc, bc, cats = make_events(3000, seed=5)
    return ev, sc, backtest(ev, sc, "2022-01-01", bc, cats, sectors=make_sectors(), settings=ForestSettings(n_trees=60))


def test_backtest_protocol_and_leakage(result):
    ev, sc, r = result
    cut_us = to_epoch_us(pd.Series([pd.Timestamp("2022-01-01", tz="Europe/Paris")]))[0]
    start = dict(zip(ev["event_id"], to_epoch_us(ev["start"])))
    assert r.n_train == sum(v < cut_us for v in start.values())
    assert r.n_train + r.n_test == len(ev) == r.n_train + len(r.predictions)
    test_ids = set(r.predictions["event_id"])
    for eid, sims in zip(r.predictions["event_id"], r.predictions["similar_ids"]):
        assert start[eid] >= cut_us
        for s in sims.split(","):
            assert start[s] < cut_us and s not in test_ids
    assert set(r.metrics["method"]) == {"transfer", "forest", "global_mean", "nature_sector_mean", "knn20"}
    obs = dict(zip(ev["event_id"], sc))
    assert list(r.predictions["observed"]) == [obs[e] for e in r.predictions["event_id"]]


def test_transfer_beats_the_baselines_on_data_with_structure(result):
    _, _, r = result
    m = r.metrics.set_index("method")
    assert np.isnan(m.loc["global_mean", "spearman"])
    flagged = np.ceil(0.1 * r.n_test)
    assert m.loc["global_mean", "top_decile_hit"] == pytest.approx(flagged / r.n_test)  # chance level
    beats = r.beats_baselines()
    assert beats["spearman"] and beats["top_decile_hit"], r.metrics
    assert 0.5 < m.loc["transfer", "band_coverage"] <= 1.0
    perm = r.permutation.set_index("axis")["mae_increase"]
    assert perm.idxmax() in ("nature", "participants") and len(perm) == 8


def test_backtest_refuses_a_cut_with_nothing_on_one_side():
    ev, sc, _, _ = make_events(50, seed=6)
    with pytest.raises(ValueError, match="nothing to train"):
        backtest(ev, sc, "2000-01-01", settings=ForestSettings(n_trees=2))
    with pytest.raises(ValueError, match="nothing to predict"):
        backtest(ev, sc, "2099-01-01", settings=ForestSettings(n_trees=2))
    with pytest.raises(ValueError, match="cut date"):
        backtest(ev, sc, "not a date", settings=ForestSettings(n_trees=2))


def test_report_is_written(result, tmp_path):
    _, _, r = result
    path = write_report(r, str(tmp_path / "report"))
    text = open(path, encoding="utf-8").read()
    assert "| Transfer (forest proximity, k most similar) |" in text
    assert "Spearman" in text and "top-decile hit rate" in text
    for name in ("metrics.png", "observed_vs_transfer.png", "importances.png", "pai_by_nature.png", "predictions.csv"):
        p = tmp_path / "report" / name
        assert p.exists() and p.stat().st_size > 1000, name
        if name.endswith(".png"):
            assert f"({name})" in text or name == "predictions.csv"
    with open(tmp_path / "report" / "metrics.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert len(pd.read_csv(tmp_path / "report" / "predictions.csv")) == r.n_test
    assert os.path.basename(path) == "report.md"
