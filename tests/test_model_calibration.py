"""The conformal band on cases whose coverage is known; auto mode's record; the backtest's comparison."""

import numpy as np
import pandas as pd
import pytest
from conftest_model import make_events, make_sectors

from tranquillite_plugin.core.backtest import backtest, bootstrap_difference, enriched_settings
from tranquillite_plugin.core.calibration import ConformalBand, coverage_table
from tranquillite_plugin.core.forest import ForestSettings, prepare_training, train_model
from tranquillite_plugin.core.model_io import model_from_bytes, model_to_bytes
from tranquillite_plugin.core.selection import GRID, choose_settings, split_index


def test_order_statistics_by_hand():
    # n = 19: (n + 1) * 0.1 = 2 -> the 2nd smallest; (n + 1) * 0.9 = 18 -> the 18th smallest
    r = np.arange(1, 20, dtype=float)
    band = ConformalBand.fit(r)
    assert band.offsets[0.8] == (2.0, 18.0)
    assert band.n == 19 and not band.approximate
    # 50 %: floor(20 * 0.25) = 5, ceil(20 * 0.75) = 15
    assert band.offsets[0.5] == (5.0, 15.0)
    # 95 % needs floor(20 * 0.025) = 0 -> not enough events: the extreme residual
    assert band.offsets[0.95] == (1.0, 19.0)
    assert ConformalBand.fit(np.arange(8.0)).approximate  # floor(9 * 0.1) = 0: the 80 % band itself is approximate


def test_known_coverage_gaussian_residuals():
    """Predictions p, observations log1p(y) = log1p(p) + e, e ~ N(0, 0.7): the 80 % band must hold 80 % of new events."""
    rng = np.random.default_rng(0)

    def draw(n):
        p = np.exp(rng.uniform(0, 6, n))
        y = np.expm1(np.log1p(p) + rng.normal(0, 0.7, n))
        return p, np.maximum(y, 0)

    p_cal, y_cal = draw(2000)
    band = ConformalBand.fit(np.log1p(y_cal) - np.log1p(p_cal))
    # offsets close to the normal quantiles ±1.2816 σ
    assert band.offsets[0.8][0] == pytest.approx(-1.2816 * 0.7, abs=0.06)
    assert band.offsets[0.8][1] == pytest.approx(1.2816 * 0.7, abs=0.06)
    p, y = draw(200_000)
    table = {r["level"]: r for r in coverage_table(y, p, band)}
    for level in (0.5, 0.8, 0.9):
        assert table[level]["coverage"] == pytest.approx(level, abs=0.02)
    assert table[0.8]["below"] <= 0.115 and table[0.8]["above"] <= 0.115


def test_finite_sample_guarantee_averaged_over_repetitions():
    """Exchangeable residuals, n = 30: coverage over repetitions is at least 80 % and each side at most 10 %."""
    rng = np.random.default_rng(1)
    cov, below, above = [], [], []
    for _ in range(3000):
        r = rng.standard_t(3, 31)
        band = ConformalBand.fit(r[:30])
        lo, hi = band.offsets[0.8]
        cov.append(lo <= r[30] <= hi)
        below.append(r[30] < lo)
        above.append(r[30] > hi)
    # floor(31 * 0.1) = 3 -> P(below) = 3/31 = 9.7 %; ceil(31 * 0.9) = 28 -> P(above) = 3/31
    assert np.mean(below) == pytest.approx(3 / 31, abs=0.02)
    assert np.mean(above) == pytest.approx(3 / 31, abs=0.02)
    assert np.mean(cov) == pytest.approx(25 / 31, abs=0.025)


def test_band_round_trip_and_refusals():
    band = ConformalBand.fit(np.linspace(-1, 1, 101), period=("a", "b"))
    again = ConformalBand.from_dict(band.to_dict())
    assert again.offsets == band.offsets and again.period == ("a", "b")
    bad = band.to_dict()
    bad["low"][3] = 5.0  # low above high
    with pytest.raises(ValueError, match="not valid"):
        ConformalBand.from_dict(bad)
    lo, hi = band.band([0.0, 100.0])
    assert lo[0] == 0.0 and hi[1] > 100.0


@pytest.fixture(scope="module")
def data():
    events, scores, by_cat, cats = make_events(500, seed=7)
    return events, scores, by_cat, cats


def test_auto_mode_records_every_candidate(data):
    events, scores, by_cat, cats = data
    grid = {"max_features": (0.5, 1.0), "min_leaf": (5, 20), "n_trees": (30, 15), "averaging": ("raw", "log")}
    prep = prepare_training(events, scores, by_cat, cats, make_sectors())
    chosen, record, band = choose_settings(prep, ForestSettings(n_trees=30, calibrate=True), grid=grid)
    assert len(record["candidates"]) == 16
    assert record["n_fit"] == split_index(500) == 400 and record["n_holdout"] == 100
    best = min(record["candidates"], key=lambda c: (c["mean_rank"], c["mae_log1p"]))
    assert record["chosen"] == {k: best[k] for k in ("max_features", "min_leaf", "n_trees", "averaging", "k")}
    assert (chosen.max_features, chosen.min_leaf, chosen.n_trees, chosen.averaging, chosen.k) == tuple(record["chosen"].values())
    assert band is not None and band.n == 100
    # the holdout events come after the fitting ones
    assert record["fit_period"][1] < record["holdout_period"][0]
    assert GRID["max_features"][0] == ForestSettings().max_features  # the published value is tried first


def test_holdout_variants_equal_the_plain_transfer(data):
    """One pass with k = 40 gives, for k = 10 and 20 and both averagings, what a model with those settings transfers."""
    from dataclasses import replace

    from tranquillite_plugin.core.forest import fit_model
    from tranquillite_plugin.core.selection import _truncated, holdout_predictions, holdout_variants

    events, scores, by_cat, cats = data
    prep = prepare_training(events, scores, by_cat, cats, make_sectors())
    m = split_index(len(prep))
    model = fit_model(prep, ForestSettings(n_trees=25), rows=m)
    got = holdout_variants(model, prep, m, (10, 20, 40), ("raw", "log"))
    for k in (10, 40):
        for avg in ("raw", "log"):
            other = _truncated(model, 25, avg)
            other.settings = replace(other.settings, k=k)
            np.testing.assert_allclose(got[(k, avg)], holdout_predictions(other, prep, m), rtol=1e-12)


def test_auto_model_is_deterministic_and_saved(data):
    events, scores, by_cat, cats = data
    s = ForestSettings(n_trees=20, calibrate=True)
    from tranquillite_plugin.core import selection

    small = {"max_features": (0.5, 0.8), "min_leaf": (5,), "n_trees": (20, 10), "averaging": ("raw", "log")}
    old = selection.GRID
    selection.GRID = small
    try:
        a = train_model(events, scores, by_cat, cats, make_sectors(), s, auto=True)
        b = train_model(events, scores, by_cat, cats, make_sectors(), s, auto=True)
    finally:
        selection.GRID = old
    assert a.fingerprint == b.fingerprint
    assert a.configuration == "enriched" and a.selection["candidates"]
    loaded = model_from_bytes(model_to_bytes(a))
    assert loaded.selection == a.selection
    assert loaded.calibration.offsets == a.calibration.offsets


def test_published_model_unchanged_by_the_new_options(data):
    """Default settings: the file is format 1, without the new keys, as before."""
    import io
    import json
    import zipfile

    events, scores, by_cat, cats = data
    m = train_model(events, scores, by_cat, cats, settings=ForestSettings(n_trees=10))
    meta = json.loads(zipfile.ZipFile(io.BytesIO(model_to_bytes(m))).read("model.json"))
    assert meta["format_version"] == 1 and "calibration" not in meta and "averaging" not in meta["settings"]
    assert m.configuration == "published"


def test_log_averaging_is_the_weighted_geometric_mean():
    from conftest_model import hand_model

    from tranquillite_plugin.core.axes import COLUMNS

    m = hand_model()
    x = np.zeros((1, len(COLUMNS)))
    x[0, 0] = 3.0
    raw = m.transfer_matrix(x, [10 * 86_400 * 10**6], ["p"], k=3)[0]
    m.settings.averaging = "log"
    log = m.transfer_matrix(x, [10 * 86_400 * 10**6], ["p"], k=3)[0]
    assert raw.similar_ids == log.similar_ids == ["e3", "e4", "e2"]
    s = m.score[[2, 3, 1]]
    w = np.array([4.0, 3.0, 3.0])
    assert raw.predicted == pytest.approx(np.dot(w, s) / w.sum())
    assert log.predicted == pytest.approx(np.expm1(np.dot(w, np.log1p(s)) / w.sum()))
    assert log.predicted < raw.predicted


def test_bootstrap_difference_calls_noise_noise():
    rng = np.random.default_rng(0)
    o = rng.exponential(10, 300)
    a = o * np.exp(rng.normal(0, 0.5, 300))
    b = o * np.exp(rng.normal(0, 0.5, 300))
    diff, lo, hi = bootstrap_difference(o, a, b, "mae_log1p", n_boot=300)
    assert lo < diff < hi and lo < 0 < hi
    better = o * np.exp(rng.normal(0, 0.1, 300))
    diff, lo, hi = bootstrap_difference(o, a, better, "mae_log1p", n_boot=300)
    assert hi < 0


def test_backtest_two_configurations(data):
    events, scores, by_cat, cats = data
    cut = events["start"].sort_values().iloc[375]
    res = backtest(events, scores, cut, by_cat, cats, make_sectors(), ForestSettings(n_trees=30),
                   challenger=enriched_settings(ForestSettings(n_trees=30), facts=False), n_boot=200)
    m = res.metrics.set_index("method")
    assert {"transfer", "enriched", "forest", "knn20", "nature_sector_mean"} <= set(m.index)
    for col in ("hit_5", "hit_10", "hit_20", "pai_5", "pai_10", "pai_20", "band_below", "band_above"):
        assert col in m.columns
    assert m.loc["transfer", "hit_10"] == m.loc["transfer", "top_decile_hit"]
    assert list(res.comparison["metric"]) == ["spearman", "mae_log1p", "top_decile_hit"]
    row = res.comparison.set_index("metric").loc["mae_log1p"]
    assert row["difference"] == pytest.approx(m.loc["enriched", "mae_log1p"] - m.loc["transfer", "mae_log1p"])
    assert row["verdict"] in ("enriched better", "transfer better", "within noise")
    cal = res.calibration
    assert set(cal["method"]) == {"transfer", "enriched"}
    assert len(cal[cal.method == "enriched"]) == 6
    assert res.configurations["enriched"]["settings"]["calibrate"] is True
    # the published row is the one a plain backtest gives
    plain = backtest(events, scores, cut, by_cat, cats, make_sectors(), ForestSettings(n_trees=30))
    pd.testing.assert_series_equal(plain.metrics.set_index("method").loc["transfer", ["spearman", "mae_log1p"]],
                                   m.loc["transfer", ["spearman", "mae_log1p"]])
