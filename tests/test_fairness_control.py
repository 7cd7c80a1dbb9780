"""The regular control (core.fairness_control, store.transparency): a planted drift in one sector is
flagged, and only there; the history is kept in the store."""

from __future__ import annotations

import conftest_store
import numpy as np
import pytest

from tests.conftest_model import make_events
from tranquillite_plugin.core.fairness import model_fairness
from tranquillite_plugin.core.fairness_control import (
    ControlResult,
    ControlRule,
    compare,
    drift_for_sector,
    model_audit,
    recent_predictions,
    snapshot,
)
from tranquillite_plugin.core.forest import ForestSettings, train_model

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target

PLANTED = "S11"


def two_periods(n=1200, seed=4):
    events, scores, by_cat, cats = make_events(n, seed=seed, days=4 * 365, with_sector=True)
    order = np.argsort(events["start"].to_numpy())
    events = events.iloc[order].reset_index(drop=True)
    scores, by_cat = scores[order], by_cat[order]
    half = n // 2
    a = (events.iloc[:half].reset_index(drop=True), scores[:half], by_cat[:half].copy())
    ev_b, sc_b, bc_b = events.iloc[half:].reset_index(drop=True), scores[half:].copy(), by_cat[half:].copy()
    # the drift: in the second period, fines make most of sector S11's score
    hit = (ev_b["sector"] == PLANTED).to_numpy()
    fines = cats.index("verbalisation")
    extra = 3.0 * bc_b[hit].sum(axis=1)
    bc_b[hit, fines] += extra
    sc_b[hit] = bc_b[hit].sum(axis=1)
    return a, (ev_b, sc_b, bc_b), cats


def fit(part, cats):
    ev, sc, bc = part
    return train_model(ev, sc, bc, cats, settings=ForestSettings(n_trees=20, min_leaf=3, k=10))


@pytest.fixture(scope="module")
def models():
    a, b, cats = two_periods()
    return fit(a, cats), fit(b, cats), fit(a, cats)


def test_a_planted_drift_is_flagged_in_exactly_that_sector(models):
    first, second, _ = models
    before = snapshot(model_audit(first), first)
    after = snapshot(model_audit(second), second)
    assert all(v["n_predicted"] > 0 and v["residual_log1p_mean"] is not None for v in after.values())
    result = compare(before, after)
    assert result.drifted == [PLANTED]
    d = result.drifts[0]
    assert "share" in d.reasons and d.share_after - d.share_before > 0.4
    assert result.compared >= 14  # the 4 x 4 grid, each with enough events
    # the same period twice: nothing drifts; the way back drifts in the same sector
    assert compare(before, snapshot(model_audit(models[2]), models[2])).drifted == []
    assert compare(after, before).drifted == [PLANTED]
    assert drift_for_sector(result, PLANTED) is d and drift_for_sector(result, "S00") is None


def test_the_rule_is_a_threshold():
    before = {"A": {"n_events": 10, "n_predicted": 12, "police_score_share": 0.20, "residual_log1p_mean": 0.0, "flagged": False},
              "B": {"n_events": 10, "n_predicted": 12, "police_score_share": 0.45, "residual_log1p_mean": 0.1, "flagged": False},
              "C": {"n_events": 3, "n_predicted": 0, "police_score_share": 0.10, "residual_log1p_mean": None, "flagged": False},
              "D": {"n_events": 10, "n_predicted": 2, "police_score_share": 0.30, "residual_log1p_mean": 0.0, "flagged": False}}
    after = {"A": {"n_events": 10, "n_predicted": 12, "police_score_share": 0.35, "residual_log1p_mean": 0.0, "flagged": False},
             "B": {"n_events": 10, "n_predicted": 12, "police_score_share": 0.52, "residual_log1p_mean": 0.7, "flagged": True},
             "C": {"n_events": 3, "n_predicted": 0, "police_score_share": 0.90, "residual_log1p_mean": None, "flagged": True},
             "D": {"n_events": 10, "n_predicted": 2, "police_score_share": 0.30, "residual_log1p_mean": 2.0, "flagged": False}}
    r = compare(before, after, ControlRule(share_delta=0.15, residual_delta=0.5, min_events=5))
    # A: +0.15 is not above; D: its residual rests on 2 predictions
    assert r.drifted == ["B"] and r.drifts[0].reasons == ["residual", "flagged"] and r.compared == 3
    loose = compare(before, after, ControlRule(share_delta=0.1, residual_delta=1.0, min_events=3, min_predicted=3))
    assert loose.drifted == ["A", "B", "C"]
    assert compare(before, after, ControlRule(min_predicted=2)).drifted == ["B", "D"]
    assert compare(None, after).first and compare(None, after).drifted == []
    assert ControlResult.from_dict(r.as_dict()).drifted == ["B"]
    with pytest.raises(ValueError):
        ControlRule(share_delta=0)


def test_history_kept_in_the_store_and_audited(models, store_target):
    from tranquillite_plugin.store.observatory import Observatory
    from tranquillite_plugin.store.transparency import fairness_history, latest_control, run_fairness_control

    first, second, _ = models
    with Observatory.create(store_target) as obs:
        assert latest_control(obs) is None
        r1 = run_fairness_control(obs, first)
        r2 = run_fairness_control(obs, second)
        assert r1.first and r2.drifted == [PLANTED]
        history = fairness_history(obs)
        assert [h["model_fingerprint"] for h in history] == [first.fingerprint, second.fingerprint]
        assert history[1]["snapshot"][PLANTED]["police_score_share"] == pytest.approx(
            after_share(second), rel=1e-9)
        assert latest_control(obs).drifted == [PLANTED]
        rows = [r for r in obs.audit_rows() if r.algorithm == "fairnesscontrol"]
        assert len(rows) == 2 and rows[-1].as_dict()["summary"]["drifted"] == [PLANTED]
        assert obs.verify_audit().ok


def after_share(model):
    audit = model_fairness(model)
    s = audit.sectors.set_index("sector")
    return float(s.loc[PLANTED, "police_score_share"])


def test_the_event_sheet_warns_of_a_drift_in_the_planned_events_sector(models, tmp_path):
    from tranquillite_plugin.report.sheet import drift_of, warning_lines

    first, second, _ = models
    result = compare(snapshot(model_audit(first), first), snapshot(model_audit(second), second))
    here = drift_of(result, None, {"sector": PLANTED})
    elsewhere = drift_of(result, None, {"sector": "S00"})
    assert here is not None and elsewhere is None
    lines = warning_lines([], None, None, here)
    share = int(round(here.share_after * 100))
    assert len(lines) == 1 and PLANTED in lines[0] and f"{share} %" in lines[0]
    assert warning_lines([], None, None, elsewhere) == []


def test_recent_predictions_are_transfers_from_earlier_events(models):
    first = models[0]
    pred = recent_predictions(first)
    m = int(round(first.n_events * 0.2))
    assert np.isnan(pred[:-m]).all() and np.isfinite(pred[-m:]).all()
    i = first.n_events - 1
    one = first.transfer_matrix(first.X[[i]], first.start_us[[i]], first.event_id[[i]], explain=True)[0]
    assert pred[i] == pytest.approx(one.predicted)
    starts = dict(zip(first.event_id, first.start_us))
    assert all(starts[e] < first.start_us[i] for e in one.similar_ids)
