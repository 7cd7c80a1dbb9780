"""Scoring by time windows, streamed from the store, equals the in-memory score (to 1e-9 relative)."""

import conftest_store
import numpy as np
import pandas as pd
import pytest

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.score import ScoreSettings, score_events
from tranquillite_plugin.core.windowed import HOUR_US, frame_source, score_events_windowed
from tranquillite_plugin.store.observatory import Observatory

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=150, n_facts=20_000, years=2, seed=11)


def _same(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.allclose(a, b, rtol=1e-9, atol=0)


def _check(got, ref):
    assert _same(got.score, ref.score)
    assert _same(got.n_facts, ref.n_facts)
    assert got.categories == ref.categories
    assert _same(got.by_category, ref.by_category)


@pytest.mark.parametrize("window_h", [1, 24 * 7, 24 * 31, 24 * 365 * 3])
def test_windowed_equals_in_memory(city, window_h):
    settings = ScoreSettings(radius_m=300, before_h=2, after_h=2, weights={"violence": 4})
    ref = score_events(city.events, city.facts, settings)
    assert (ref.score > 0).sum() > 20  # a workload where scores could be wrong
    calls = []

    def source(lo, hi, box):
        calls.append((lo, hi, box))
        return frame_source(city.facts)(lo, hi, box)

    got = score_events_windowed(city.events, source, settings, window_us=window_h * HOUR_US)
    _check(got, ref)
    if window_h < 24 * 365:
        # no batch asked for the whole table
        most = max(len(frame_source(city.facts)(lo, hi, box)) for lo, hi, box in calls)
        assert most < len(city.facts)


def test_windowed_bounds_are_exact():
    """Facts exactly at start - B, end + A, and at R, in separate batches' edges."""
    import shapely

    from tranquillite_plugin.core.timeutil import TZ

    t0 = pd.Timestamp("2026-10-25T00:00:00Z")
    starts = [t0 + pd.Timedelta(hours=h) for h in (0, 24, 48)]
    events = pd.DataFrame(
        {
            "event_id": ["A", "B", "C"],
            "geometry": [shapely.Point(0, 0), shapely.Point(10_000, 0), shapely.Point(0, 0)],
            "start": pd.Series(starts).dt.tz_convert(TZ),
            "end": pd.Series([s + pd.Timedelta(hours=3) for s in starts]).dt.tz_convert(TZ),
        }
    )
    us = pd.Timedelta(microseconds=1)
    times, xs = [], []
    for s in starts:
        for dt in (-pd.Timedelta(hours=2) - us, -pd.Timedelta(hours=2), pd.Timedelta(hours=5), pd.Timedelta(hours=5) + us):
            times.append(s + dt)
            xs.append(350.0)  # 50 m buffer + 300 m: exactly at R
    facts = pd.DataFrame(
        {
            "x": xs + [350.000001],
            "y": np.zeros(len(xs) + 1),
            "category": "vol",
            "occurred_at": pd.Series(times + [starts[0]]).dt.tz_convert(TZ),
            "count": 1,
        }
    )
    settings = ScoreSettings()
    ref = score_events(events, facts, settings)
    got = score_events_windowed(events, frame_source(facts), settings, window_us=HOUR_US)
    _check(got, ref)
    assert list(ref.n_facts) == [2, 0, 2]


def test_store_source_equals_in_memory(store_target, city):
    settings = ScoreSettings()
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", city.facts)
        facts = obs.read("facts")
        ref = score_events(city.events, facts, settings)
        sizes = []
        source = obs.fact_source()

        def counted(lo, hi, box):
            frame = source(lo, hi, box)
            sizes.append(len(frame))
            return frame

        got = score_events_windowed(city.events, counted, settings, window_us=24 * 31 * HOUR_US)
    _check(got, ref)
    assert max(sizes) < len(city.facts) / 4  # the store was asked for windows and boxes, not the table
