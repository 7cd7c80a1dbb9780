"""Forest, proximity and transfer (SPEC §4) against references and hand-computed cases."""

import numpy as np
import pandas as pd
import pytest
from conftest_model import DAY_US, hand_model, make_events, make_sectors

from tranquillite_plugin.core.axes import COLUMNS
from tranquillite_plugin.core.forest import (
    ForestSettings,
    PackedForest,
    train_model,
    transfers_frame,
    weighted_quantile,
)
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.core.timeutil import to_epoch_us


@pytest.fixture(scope="module")
def data():
    return make_events(500, seed=7)


@pytest.fixture(scope="module")
def model(data):
    ev, sc, bc, cats = data
    return train_model(ev, sc, bc, cats, sectors=make_sectors(), settings=ForestSettings(n_trees=40, min_leaf=5, seed=3))


# --- weighted quantile by hand ----------------------------------------------


def test_weighted_quantile_equal_weights_is_the_type_1_quantile():
    v = np.arange(1, 21, dtype=float)[::-1]  # 20 values, unsorted
    w = np.ones(20)
    assert weighted_quantile(v, w, 0.10) == 2.0  # cumulated weight 2/20 reaches 10 %
    assert weighted_quantile(v, w, 0.90) == 18.0
    assert weighted_quantile(v, w, 0.0) == 1.0
    assert weighted_quantile(v, w, 1.0) == 20.0


def test_weighted_quantile_uneven_weights_by_hand():
    v = [10.0, 20.0, 30.0, 40.0]
    w = [1.0, 1.0, 1.0, 7.0]  # total 10; cumulated 1, 2, 3, 10
    assert weighted_quantile(v, w, 0.10) == 10.0  # 1 >= 1
    assert weighted_quantile(v, w, 0.25) == 30.0  # first cumulated >= 2.5 is 3
    assert weighted_quantile(v, w, 0.30) == 30.0  # exactly 3 reaches 3
    assert weighted_quantile(v, w, 0.31) == 40.0
    assert weighted_quantile(v, w, 0.90) == 40.0
    # a zero weight is ignored; ties in values add up
    assert weighted_quantile([5.0, 1.0, 5.0], [1.0, 0.0, 1.0], 0.1) == 5.0
    assert np.isnan(weighted_quantile([1.0], [0.0], 0.5))
    with pytest.raises(ValueError):
        weighted_quantile([1.0], [-1.0], 0.5)


# --- packed trees ------------------------------------------------------------


def test_packed_forest_matches_sklearn_apply_and_predict():
    from sklearn.ensemble import RandomForestRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, len(COLUMNS))) * 1000 + 890_000  # large coordinates: float32 rounding matters
    X[:, 3] = rng.integers(0, 5, 400)
    y = X[:, 0] / 1000 + np.sin(X[:, 1]) + rng.normal(size=400)
    f = RandomForestRegressor(n_estimators=15, min_samples_leaf=3, max_features=0.5, random_state=1).fit(X, y)
    packed = PackedForest.from_sklearn(f)
    packed.check(len(COLUMNS))
    X_new = np.r_[X, rng.normal(size=(200, len(COLUMNS))) * 1500 + 890_000]
    assert (packed.apply(X_new) == f.apply(X_new)).all()
    assert packed.predict(X_new) == pytest.approx(f.predict(X_new), rel=1e-12)


def test_model_leaves_are_those_of_a_one_shot_sklearn_forest(model):
    """Chunked warm-start training gives the forest a single fit would give."""
    from sklearn.ensemble import RandomForestRegressor

    s = model.settings
    f = RandomForestRegressor(
        n_estimators=s.n_trees, min_samples_leaf=s.min_leaf, max_features=s.max_features, random_state=s.seed
    ).fit(model.X, np.log1p(model.score))
    assert (f.apply(model.X) == model.leaves).all()
    assert model.column_importances == pytest.approx(f.feature_importances_)


# --- proximity against the slow reference ---------------------------------------


def test_proximity_equals_a_pairwise_loop_over_forest_apply(model, data):
    from sklearn.ensemble import RandomForestRegressor

    s = model.settings
    f = RandomForestRegressor(
        n_estimators=s.n_trees, min_samples_leaf=s.min_leaf, max_features=s.max_features, random_state=s.seed
    ).fit(model.X, np.log1p(model.score))
    planned, _, _, _ = make_events(6, seed=99)
    _, Xp = model.matrix_of(planned)
    fast = model.proximity(Xp)
    Lp = f.apply(Xp)
    Lq = f.apply(model.X)
    T = Lp.shape[1]
    for i in range(len(Xp)):
        for j in range(0, model.n_events, 7):
            same = 0
            for t in range(T):
                if Lp[i, t] == Lq[j, t]:
                    same += 1
            assert fast[i, j] == same / T
    # a past event is fully similar to itself
    assert (model.proximity(model.X[:5])[np.arange(5), np.arange(5)] == 1.0).all()


# --- transfer by hand ----------------------------------------------------------------


def planned_row(x):
    X = np.zeros((1, len(COLUMNS)))
    X[0, 0] = x
    return X


def test_hand_made_proximities():
    m = hand_model()
    # x = 3 shares a leaf with e1 in 2 trees, e2 in 3, e3 in 4, e4 in 3, e5 in 2
    assert list(m.proximity(planned_row(3.0))[0]) == [0.5, 0.75, 1.0, 0.75, 0.5]


def test_hand_made_transfer_k3_ties_go_to_the_most_recent():
    m = hand_model()
    (t,) = m.transfer_matrix(planned_row(3.0), [10 * DAY_US], ["p"], k=3)
    # e3 (4 trees), then e2 and e4 tie at 3 trees: e4 started later, so it comes first
    assert t.similar_ids == ["e3", "e4", "e2"]
    assert t.predicted == pytest.approx((4 * 30 + 3 * 40 + 3 * 20) / 10)
    # sorted scores 20 (w 3), 30 (w 4), 40 (w 3): cumulated 3, 7, 10
    assert (t.band_low, t.band_high) == (20.0, 40.0)
    assert list(t.similar["proximity"]) == [1.0, 0.75, 0.75]
    assert list(t.similar["weight"]) == pytest.approx([0.4, 0.3, 0.3])
    assert list(t.similar["facts_violence"]) == [27.0, 36.0, 18.0]
    assert list(t.facts_by_category().loc["e4"]) == [4.0, 36.0]
    assert t.n_candidates == 5 and t.note == ""
    assert str(t.similar["start"].dt.tz) == "Europe/Paris"


def test_hand_made_transfer_all_five():
    m = hand_model()
    (t,) = m.transfer_matrix(planned_row(3.0), [10 * DAY_US], ["p"], k=5)
    assert t.predicted == pytest.approx((2 * 10 + 3 * 20 + 4 * 30 + 3 * 40 + 2 * 50) / 14)
    # cumulated weights 2, 5, 9, 12, 14: 10 % of 14 = 1.4 -> 10; 90 % = 12.6 -> 50
    assert (t.band_low, t.band_high) == (10.0, 50.0)
    (t20,) = m.transfer_matrix(planned_row(3.0), [10 * DAY_US], ["p"], k=20)
    assert len(t20.similar) == 5 and "only 5" in t20.note
    assert t20.predicted == pytest.approx(t.predicted)


def test_only_events_that_started_before_serve():
    m = hand_model()
    # planned on day 3: only e1, e2 (strictly before) qualify; e3 starts the same instant and is excluded
    (t,) = m.transfer_matrix(planned_row(3.0), [3 * DAY_US], ["p"], k=3)
    assert t.similar_ids == ["e2", "e1"]
    assert t.n_candidates == 2
    assert t.predicted == pytest.approx((3 * 20 + 2 * 10) / 5)


def test_no_shared_leaf_falls_back_to_the_most_recent_with_equal_weights():
    m = hand_model()
    # x = 100 goes right everywhere; of the candidates (e1, e2) neither goes right in every tree:
    # e2 goes right only in the x <= 1.5 stump, so it shares one leaf; restrict to e1 alone
    (t,) = m.transfer_matrix(planned_row(100.0), [int(1.5 * DAY_US)], ["p"], k=3)
    assert t.similar_ids == ["e1"]
    assert t.similar["proximity"].iloc[0] == 0.0
    assert t.predicted == 10.0 and "equal weights" in t.note


def test_no_past_event_gives_no_transfer():
    m = hand_model()
    (t,) = m.transfer_matrix(planned_row(3.0), [0], ["p"], k=3)
    assert np.isnan(t.predicted) and np.isnan(t.band_low) and len(t.similar) == 0
    assert "no past event" in t.note
    frame = transfers_frame([t])
    assert frame["similar_ids"].iloc[0] == ""


# --- on synthetic data ------------------------------------------------------------


def test_no_leakage_a_later_event_never_serves(model, data):
    ev, _, _, _ = data
    # re-predict every past event as if it were planned: its candidates must all have started before it
    res = model.transfer(ev, k=20)
    start = dict(zip(ev["event_id"], to_epoch_us(ev["start"])))
    checked = 0
    for t in res:
        for sid in t.similar_ids:
            assert start[sid] < start[t.event_id]
            checked += 1
        assert t.event_id not in t.similar_ids
    assert checked > 1000


def test_same_data_same_seed_same_model_whatever_the_row_order(data):
    ev, sc, bc, cats = data
    s = ForestSettings(n_trees=20, seed=5)
    a = train_model(ev, sc, bc, cats, sectors=make_sectors(), settings=s)
    perm = np.random.default_rng(0).permutation(len(ev))
    b = train_model(ev.iloc[perm], sc[perm], bc[perm], cats, sectors=make_sectors(), settings=ForestSettings(n_trees=20, seed=5, n_jobs=1))
    assert a.fingerprint == b.fingerprint
    planned, _, _, _ = make_events(30, seed=11, start="2023-06-01", days=30)
    assert a.predict(planned).equals(b.predict(planned))
    c = train_model(ev, sc, bc, cats, sectors=make_sectors(), settings=ForestSettings(n_trees=20, seed=6))
    assert c.fingerprint != a.fingerprint


def test_predict_frame_and_summary(model):
    planned, _, _, _ = make_events(3, seed=12, start="2023-06-01", days=10)
    frame = model.predict(planned)
    assert list(frame.columns[:4]) == ["event_id", "predicted", "band_low", "band_high"]
    assert (frame["band_low"] <= frame["predicted"]).all() and (frame["predicted"] <= frame["band_high"]).all()
    assert all(len(s.split(",")) == 20 for s in frame["similar_ids"])
    (t,) = model.transfer(planned.iloc[:1])
    assert t.similar_ids == frame["similar_ids"].iloc[0].split(",")
    text = t.summary()
    assert "transferred score" in text and t.similar_ids[0] in text
    imp = t.importances
    assert len(imp) == 8 and imp["importance"].sum() == pytest.approx(1.0)


def test_planned_event_without_sector_gets_one_from_the_model(model):
    planned, _, _, _ = make_events(4, seed=13, start="2023-06-01", days=10)
    raw = model.axes_of(planned)
    assert all(s.startswith("S") for s in raw["sector"])


def test_training_refuses_bad_scores_and_duplicates(data):
    ev, sc, _, _ = data
    bad = sc.copy()
    bad[3] = -1
    with pytest.raises(ValueError, match=f"{ev['event_id'].iloc[3]}.*score"):
        train_model(ev, bad, settings=ForestSettings(n_trees=2))
    dup = ev.copy()
    dup.loc[1, "event_id"] = dup.loc[0, "event_id"]
    with pytest.raises(ValueError, match="more than once"):
        train_model(dup, sc, settings=ForestSettings(n_trees=2))
    with pytest.raises(ValueError, match="no past event"):
        train_model(ev.iloc[:0], sc[:0])
    with pytest.raises(ValueError, match="n_trees"):
        ForestSettings(n_trees=0)


def test_training_reports_progress_and_can_be_cancelled(data):
    ev, sc, _, _ = data
    seen = []
    train_model(ev, sc, settings=ForestSettings(n_trees=16), progress=seen.append)
    assert seen[-1] == 100.0 and seen == sorted(seen)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        train_model(ev, sc, settings=ForestSettings(n_trees=16), is_cancelled=cancel)


def test_training_period_and_sorted_events(model, data):
    ev, _, _, _ = data
    first, last = model.training_period
    assert first == ev["start"].min() and last == ev["start"].max()
    assert (np.diff(model.start_us) >= 0).all()
    assert isinstance(first, pd.Timestamp)


def test_unseen_categories_at_predict_time(model):
    planned, _, _, _ = make_events(2, seed=14, start="2023-06-01", days=10)
    planned["sector"] = ["NOWHERE", "S00"]
    planned["nature"] = ["never_seen", "concert"]
    raw, X = model.matrix_of(planned)
    assert X[0, COLUMNS.index("sector")] == model.encoder.categories["sector"].unseen
    assert X[0, COLUMNS.index("nature")] == model.encoder.categories["nature"].unseen
    t = model.transfer(planned)
    assert np.isfinite(t[0].predicted) and len(t[0].similar) == 20
