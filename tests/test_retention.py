"""Retention (core.retention, store.transparency.apply_retention) on a store with a known age profile:
counts before = detail after + counts kept; trends over the retained period unchanged; one transaction."""

from __future__ import annotations

import conftest_store
import numpy as np
import pandas as pd
import pytest

from tranquillite_plugin.core import retention as ret
from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.core.trends import sector_trends
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.transparency import RETENTION_KEY, apply_retention, retention_counts

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target

NOW = pd.Timestamp("2026-11-15T10:00:00", tz=TZ)


@pytest.fixture
def store(store_target):
    city = make_demo_city(n_events=80, n_facts=5000, years=4, seed=7)
    obs = Observatory.create(store_target)
    obs.import_layer("sectors", city.sectors)
    obs.import_layer("facts", city.facts)
    obs.import_layer("events", city.events)
    yield obs, city
    obs.close()


def test_cutoff_is_a_whole_month():
    assert ret.cutoff(NOW, 24) == pd.Timestamp("2024-11-01", tz=TZ)
    assert ret.cutoff(pd.Timestamp("2026-03-31T23:30:00Z"), 1) == pd.Timestamp("2026-03-01", tz=TZ)  # already April in Paris
    with pytest.raises(ValueError):
        ret.retention_settings({"facts": 0})
    with pytest.raises(ValueError):
        ret.retention_settings({"sectors": 12})


def test_counts_before_equal_detail_after_plus_counts_kept(store):
    obs, city = store
    sectors = obs.read("sectors")
    facts = obs.read("facts")
    cut = ret.cutoff(NOW, 24)
    old = (facts["occurred_at"] < cut).to_numpy()
    assert 0 < old.sum() < len(facts)  # the age profile: four years, two of them kept
    before = ret.monthly_counts(facts, retention_counts(obs), "facts", sectors)
    n_rows_audit = len(obs.audit_rows())
    obs.set_setting(RETENTION_KEY, {"facts": 24})
    work = apply_retention(obs, now=NOW)
    assert work["facts"]["aggregated"] == int(old.sum()) and work["facts"]["kept"] == int((~old).sum())
    after_detail = obs.read("facts")
    counts = retention_counts(obs)
    assert len(after_detail) == int((~old).sum()) and (after_detail["occurred_at"] >= cut).all()
    assert int(counts["n_records"].sum()) == int(old.sum())
    assert int(counts["n_facts"].sum()) == int(facts.loc[old, "count"].sum())
    assert (counts["month"] < f"{cut:%Y-%m}").all()
    after = ret.monthly_counts(after_detail, counts, "facts", sectors)
    pd.testing.assert_frame_equal(before, after)
    # per sector, month and category the cells equal a brute-force count of the old facts
    idx = ret.sector_of_points(sectors, facts["x"].to_numpy(), facts["y"].to_numpy())
    sid = np.where(idx >= 0, sectors["sector_id"].to_numpy(object)[np.maximum(idx, 0)], ret.NO_SECTOR)
    month = facts["occurred_at"].dt.tz_convert(TZ).dt.strftime("%Y-%m").to_numpy(object)
    brute = {}
    for i in np.flatnonzero(old):
        key = (sid[i], month[i], facts["category"].iloc[i])
        brute[key] = brute.get(key, 0) + int(facts["count"].iloc[i])
    assert {(r.sector, r.month, r.category): r.n_facts for r in counts.itertuples()} == brute
    # audited, one row
    rows = obs.audit_rows()
    assert len(rows) == n_rows_audit + 1 and rows[-1].algorithm == "applyretention" and obs.verify_audit().ok
    # events untouched (no retention set for them)
    assert obs.count("events") == len(city.events)
    # applied again: nothing more to aggregate, the counts stay
    again = apply_retention(obs, now=NOW)
    assert again["facts"]["aggregated"] == 0
    pd.testing.assert_frame_equal(retention_counts(obs), counts)


def test_trends_over_the_retained_period_are_unchanged(store):
    obs, city = store
    sectors = obs.read("sectors")
    end = pd.Timestamp("2026-10-01", tz=TZ)
    before = sector_trends(obs.read("facts"), sectors, end=end, window_days=28, periods=8)
    assert before.windows["start"].min() >= ret.cutoff(NOW, 12)  # the trend reads the retained period only
    work = apply_retention(obs, now=NOW, settings={"facts": 12})
    assert work["facts"]["aggregated"] > 0
    after = sector_trends(obs.read("facts"), sectors, end=end, window_days=28, periods=8)
    pd.testing.assert_frame_equal(before.cells, after.cells)
    pd.testing.assert_frame_equal(before.sectors, after.sectors)
    assert before.cells["recent"].sum() > 0


def test_one_transaction_a_failure_leaves_the_store_as_it_was(store, monkeypatch):
    obs, city = store
    n, rows = obs.count("facts"), len(obs.audit_rows())
    from tranquillite_plugin.store import transparency

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transparency._audit, "append", broken)
    with pytest.raises(RuntimeError):
        apply_retention(obs, now=NOW, settings={"facts": 12, "events": 12})
    assert obs.count("facts") == n and obs.count("events") == len(city.events)
    assert len(retention_counts(obs)) == 0 and len(obs.audit_rows()) == rows


def test_events_retention_counts_natures(store):
    obs, city = store
    cut = ret.cutoff(NOW, 36)
    old = (city.events["start"] < cut).to_numpy()
    apply_retention(obs, now=NOW, settings={"facts": None, "events": 36})
    counts = retention_counts(obs)
    assert obs.count("events") == int((~old).sum()) and int(counts["n_records"].sum()) == int(old.sum())
    assert set(counts["kind"]) <= {"events"} and set(counts["category"]) <= set(city.events["nature"])
