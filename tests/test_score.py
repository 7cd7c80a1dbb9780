"""The score is exact: equal to a brute-force loop, bounds included (SPEC §3)."""

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tranquillite_plugin.core.contract import DEFAULT_WEIGHTS, UNKNOWN_CATEGORY_WEIGHT
from tranquillite_plugin.core.footprint import footprint
from tranquillite_plugin.core.score import Cancelled, FactIndex, ScoreSettings, facts_of_event, score_events
from tranquillite_plugin.core.timeutil import TZ

T0 = pd.Timestamp("2024-06-01 14:00", tz=TZ)


def brute_force(events: pd.DataFrame, facts: pd.DataFrame, s: ScoreSettings) -> np.ndarray:
    """The definition, one fact and one event at a time, in plain Python."""
    out = []
    for ev in events.itertuples():
        fp = footprint(ev.geometry, s.line_buffer_m, s.point_buffer_m)
        lo = ev.start - pd.Timedelta(hours=s.before_h)
        hi = ev.end + pd.Timedelta(hours=s.after_h)
        total = 0.0
        for f in facts.itertuples():
            if not (lo <= f.occurred_at <= hi):
                continue
            if shapely.Point(f.x, f.y).distance(fp) <= s.radius_m:
                total += s.weights.get(f.category, UNKNOWN_CATEGORY_WEIGHT) * f.count
        out.append(total)
    return np.array(out)


def make_events(geoms, starts, ends):
    return pd.DataFrame(
        {
            "fid": range(len(geoms)),
            "geometry": np.array(geoms, dtype=object),
            "event_id": [f"e{i}" for i in range(len(geoms))],
            "nature": "manifestation",
            "participants": 100,
            "start": pd.Series(starts, dtype=f"datetime64[us, {TZ}]"),
            "end": pd.Series(ends, dtype=f"datetime64[us, {TZ}]"),
            "sector": "",
        }
    )


def make_facts(xy, times, categories, counts=None):
    xy = np.asarray(xy, float).reshape(-1, 2)
    return pd.DataFrame(
        {
            "fid": range(len(xy)),
            "x": xy[:, 0],
            "y": xy[:, 1],
            "category": list(categories),
            "occurred_at": pd.Series(times, dtype=f"datetime64[us, {TZ}]"),
            "count": np.ones(len(xy), int) if counts is None else np.asarray(counts),
            "source": "",
        }
    )


def test_facts_exactly_on_the_bounds_count():
    s = ScoreSettings()
    two_h = pd.Timedelta(hours=2)
    us = pd.Timedelta(microseconds=1)
    start, end = T0, T0 + pd.Timedelta(hours=3)
    events = make_events(
        [shapely.Point(0, 0), shapely.LineString([(0, 0), (100, 0)]), shapely.box(0, 0, 100, 100)],
        [start] * 3,
        [end] * 3,
    )
    # point footprint: 50 m buffer whose first vertex is (50, 0); fact at x=350 is exactly 300 m away
    # line footprint: 15 m buffer, flat side at y = 15; fact at y = 315 is exactly 300 m away
    # polygon: side x = 100; fact at x = 400 is exactly 300 m away
    xy = [
        (350, 0), (350.001, 0),            # point event: in, out
        (50, 315), (50, 315.001),          # line event: in, out
        (400, 50), (400.001, 50),          # polygon event: in, out
        (50, 50), (50, 50), (50, 50), (50, 50),  # at the time bounds, inside all footprints' reach
    ]
    times = [start] * 6 + [start - two_h, end + two_h, start - two_h - us, end + two_h + us]
    cats = ["violence", "violence", "vol", "vol", "secours", "secours", "nuisance", "autre", "violence", "violence"]
    facts = make_facts(xy, times, cats, counts=[1, 1, 1, 1, 2, 2, 1, 3, 1, 1])
    got = score_events(events, facts, s)
    expected_time_bounds = 1.0 * 1 + 1.0 * 3  # nuisance + 3 x autre; the facts 1 µs outside do not count
    # fact (350, 0) lies 300 m from the point event, and also within reach of the line/polygon events
    ref = brute_force(events, facts, s)
    np.testing.assert_allclose(got.score, ref, rtol=1e-9, atol=0)
    assert got.score[0] == pytest.approx(3.0 + expected_time_bounds + 2.0 * 2 * 0 + _reach(events, 0, xy, cats, s))
    # spelled out for the polygon: 2 x secours at exactly 300 m (4.0), the time-bound facts (4.0),
    # plus every other fact within 300 m of the square (the point and line facts are)
    assert got.score[2] == pytest.approx(ref[2])
    assert got.n_facts[0] >= 1


def _reach(events, i, xy, cats, s):
    """Weights of the facts at start (first 6) other than the first, within R of event i."""
    fp = footprint(events.geometry[i])
    total = 0.0
    for (x, y), c in list(zip(xy, cats))[1:6]:
        if shapely.Point(x, y).distance(fp) <= s.radius_m:
            total += s.weights[c] * (2 if c == "secours" else 1)
    return total


def test_exact_bound_cases_one_by_one():
    """Each bound case alone, with its expected verdict written down."""
    s = ScoreSettings()
    start, end = T0, T0 + pd.Timedelta(hours=1)
    cases = [
        (shapely.Point(0, 0), (350, 0), start, True),
        (shapely.Point(0, 0), (350.0001, 0), start, False),
        (shapely.LineString([(0, 0), (100, 0)]), (50, 315), start, True),
        (shapely.LineString([(0, 0), (100, 0)]), (50, 315.0001), start, False),
        (shapely.box(0, 0, 100, 100), (400, 50), start, True),
        (shapely.box(0, 0, 100, 100), (50, 50), start - pd.Timedelta(hours=2), True),
        (shapely.box(0, 0, 100, 100), (50, 50), end + pd.Timedelta(hours=2), True),
        (shapely.box(0, 0, 100, 100), (50, 50), start - pd.Timedelta(hours=2, microseconds=1), False),
        (shapely.box(0, 0, 100, 100), (50, 50), end + pd.Timedelta(hours=2, microseconds=1), False),
    ]
    for geom, xy, t, counts in cases:
        events = make_events([geom], [start], [end])
        facts = make_facts([xy], [t], ["violence"])
        got = score_events(events, facts, s).score[0]
        assert got == (3.0 if counts else 0.0), (geom.geom_type, xy, t)


def test_weights_counts_unknown_codes_and_breakdown():
    s = ScoreSettings(weights={"violence": 10})
    events = make_events([shapely.box(0, 0, 10, 10)], [T0], [T0])
    facts = make_facts([(5, 5)] * 4, [T0] * 4, ["violence", "vol", "code_inconnu", "verbalisation"], [2, 1, 3, 4])
    r = score_events(events, facts, s)
    assert r.score[0] == 10 * 2 + 2 * 1 + 1 * 3 + 0.5 * 4
    assert r.n_facts[0] == 10
    detail = dict(zip(r.categories, r.by_category[0]))
    assert detail == {"code_inconnu": 3.0, "verbalisation": 2.0, "violence": 20.0, "vol": 2.0}
    assert DEFAULT_WEIGHTS["violence"] == 3.0  # the default table is untouched


def test_no_facts_and_empty_windows():
    s = ScoreSettings()
    events = make_events([shapely.Point(0, 0)], [T0], [T0])
    empty = make_facts(np.zeros((0, 2)), [], [])
    assert score_events(events, empty, s).score.tolist() == [0.0]
    far_in_time = make_facts([(0, 0)], [T0 + pd.Timedelta(days=1)], ["violence"])
    assert score_events(events, far_in_time, s).score.tolist() == [0.0]
    assert len(score_events(events.iloc[:0], far_in_time, s).score) == 0


def test_window_is_in_absolute_time_across_dst():
    """2 h before 03:30 on the spring-forward night is 00:30 local, not 01:30."""
    s = ScoreSettings()
    start = pd.Timestamp("2024-03-31 03:30", tz=TZ)
    events = make_events([shapely.Point(0, 0)], [start], [start])
    facts = make_facts(
        [(0, 0), (0, 0)],
        [pd.Timestamp("2024-03-31 00:30", tz=TZ), pd.Timestamp("2024-03-31 00:29:59", tz=TZ)],
        ["violence", "vol"],
    )
    assert score_events(events, facts, s).score[0] == 3.0
    np.testing.assert_allclose(score_events(events, facts, s).score, brute_force(events, facts, s))


def test_multipart_footprints():
    s = ScoreSettings(radius_m=10)
    geoms = [
        shapely.MultiPoint([(0, 0), (1000, 0)]),
        shapely.MultiLineString([[(0, 500), (100, 500)], [(2000, 0), (2000, 100)]]),
        shapely.MultiPolygon([shapely.box(0, 1000, 10, 1010), shapely.box(500, 1000, 510, 1010)]),
    ]
    events = make_events(geoms, [T0] * 3, [T0] * 3)
    facts = make_facts([(1055, 0), (2020, 50), (515, 1005), (700, 700)], [T0] * 4, ["violence"] * 4)
    r = score_events(events, facts, s)
    assert r.score.tolist() == [3.0, 3.0, 3.0]
    np.testing.assert_allclose(r.score, brute_force(events, facts, s))


def test_facts_of_event_gives_the_original_rows():
    s = ScoreSettings()
    facts = make_facts([(0, 0), (5000, 0), (10, 10)], [T0, T0, T0 + pd.Timedelta(hours=1)], ["vol"] * 3)
    idx = FactIndex.build(facts, s.weights)
    got = facts_of_event(shapely.Point(0, 0), T0, T0, idx, s)
    assert got.tolist() == [0, 2]


def test_cancel_and_progress():
    s = ScoreSettings()
    n = 300
    events = make_events([shapely.Point(i, 0) for i in range(n)], [T0] * n, [T0] * n)
    facts = make_facts([(0, 0)], [T0], ["vol"])
    seen = []
    score_events(events, facts, s, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 100.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        score_events(events, facts, s, is_cancelled=lambda: True)


def test_settings_refuse_nonsense():
    with pytest.raises(ValueError, match="radius_m"):
        ScoreSettings(radius_m=-1)
    with pytest.raises(ValueError, match="before_h"):
        ScoreSettings(before_h=float("nan"))


def test_random_city_against_brute_force():
    rng = np.random.default_rng(7)
    s = ScoreSettings(radius_m=120, before_h=1.5, after_h=0.5)
    geoms = []
    for i in range(40):
        x, y = rng.uniform(0, 2000, 2)
        kind = i % 4
        if kind == 0:
            geoms.append(shapely.Point(x, y))
        elif kind == 1:
            geoms.append(shapely.LineString(rng.uniform(0, 2000, (4, 2))))
        elif kind == 2:
            geoms.append(shapely.box(x, y, x + rng.uniform(10, 300), y + rng.uniform(10, 300)))
        else:
            geoms.append(shapely.MultiPoint(rng.uniform(0, 2000, (3, 2))))
    starts = [T0 + pd.Timedelta(minutes=int(m)) for m in rng.integers(0, 3000, 40)]
    ends = [st + pd.Timedelta(minutes=int(m)) for st, m in zip(starts, rng.integers(0, 600, 40))]
    events = make_events(geoms, starts, ends)
    nf = 3000
    times = [T0 + pd.Timedelta(minutes=int(m)) for m in rng.integers(-200, 3800, nf)]
    cats = rng.choice(["violence", "vol", "secours", "nuisance", "xyz"], nf)
    facts = make_facts(rng.uniform(0, 2000, (nf, 2)).round(), times, cats, rng.integers(1, 4, nf))
    got = score_events(events, facts, s)
    np.testing.assert_allclose(got.score, brute_force(events, facts, s), rtol=1e-9, atol=0)
    assert (got.score > 0).sum() > 10  # the test is not vacuous


coords = st.integers(-50, 50).map(lambda v: v * 10.0)
minutes = st.integers(-300, 300)


@st.composite
def event_geometry(draw):
    kind = draw(st.sampled_from(["point", "line", "polygon", "multipoint", "multiline", "multipolygon"]))
    x, y = draw(coords), draw(coords)
    if kind == "point":
        return shapely.Point(x, y)
    if kind == "line":
        return shapely.LineString([(x, y), (draw(coords), draw(coords)), (draw(coords), draw(coords))])
    if kind == "polygon":
        w, h = draw(st.integers(1, 30)) * 10.0, draw(st.integers(1, 30)) * 10.0
        return shapely.box(x, y, x + w, y + h)
    if kind == "multipoint":
        return shapely.MultiPoint([(x, y), (draw(coords), draw(coords))])
    if kind == "multiline":
        return shapely.MultiLineString([[(x, y), (x + 100, y)], [(draw(coords), draw(coords)), (x, y + 200)]])
    return shapely.MultiPolygon([shapely.box(x, y, x + 50, y + 50), shapely.box(x + 300, y, x + 320, y + 80)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    geoms=st.lists(event_geometry(), min_size=1, max_size=5),
    ev_minutes=st.lists(st.tuples(minutes, st.integers(0, 240)), min_size=5, max_size=5),
    facts_spec=st.lists(st.tuples(coords, coords, minutes, st.sampled_from(["violence", "vol", "autre", "zzz"]), st.integers(1, 3)), max_size=40),
    radius=st.sampled_from([0.0, 50.0, 100.0, 300.0]),
    before=st.sampled_from([0.0, 1.0, 2.0]),
    after=st.sampled_from([0.0, 2.0]),
)
def test_hypothesis_against_brute_force(geoms, ev_minutes, facts_spec, radius, before, after):
    s = ScoreSettings(radius_m=radius, before_h=before, after_h=after)
    starts = [T0 + pd.Timedelta(minutes=m) for m, _ in ev_minutes[: len(geoms)]]
    ends = [st_ + pd.Timedelta(minutes=d) for st_, (_, d) in zip(starts, ev_minutes)]
    events = make_events(geoms, starts, ends)
    facts = make_facts(
        [(x, y) for x, y, *_ in facts_spec] or np.zeros((0, 2)),
        [T0 + pd.Timedelta(minutes=m) for _, _, m, _, _ in facts_spec],
        [c for *_, c, _ in facts_spec],
        [n for *_, n in facts_spec],
    )
    got = score_events(events, facts, s).score
    np.testing.assert_allclose(got, brute_force(events, facts, s), rtol=1e-9, atol=0)
