"""Context axes (background rate, weather, city's load): brute-force reference, no leakage, determinism."""

import numpy as np
import pandas as pd
import pytest
import shapely
from conftest_model import X0, Y0, make_events, make_sectors

from tranquillite_plugin.core.axes import event_axes
from tranquillite_plugin.core.context import (
    BackgroundFacts,
    ContextSource,
    background_mask,
    check_context,
    city_load,
    compute_context,
    demo_weather,
    hour_of_week,
    local_day,
    read_weather,
)
from tranquillite_plugin.core.footprint import footprints
from tranquillite_plugin.core.forest import ForestSettings, train_model
from tranquillite_plugin.core.model_io import ModelFileError, model_from_bytes, model_to_bytes
from tranquillite_plugin.core.score import FactIndex, ScoreSettings, score_events
from tranquillite_plugin.core.timeutil import HOUR_US, TZ, from_epoch_us, to_epoch_us


def make_facts(events, n=6000, seed=3, days=3 * 365, start="2020-01-01"):
    """Background facts with a hot corner and an evening peak, plus facts inside some events' windows."""
    rng = np.random.default_rng(seed)
    hot = rng.random(n) < 0.4
    x = np.where(hot, X0 + 2000 + rng.normal(0, 600, n), X0 + rng.uniform(0, 8000, n))
    y = np.where(hot, Y0 + 6000 + rng.normal(0, 600, n), Y0 + rng.uniform(0, 8000, n))
    t0 = pd.Timestamp(start).tz_localize(TZ)
    hours = rng.choice(24, n, p=np.r_[np.full(18, 0.7), np.full(6, 2.0)] / np.r_[np.full(18, 0.7), np.full(6, 2.0)].sum())
    t = to_epoch_us(pd.Series([t0])) + (rng.integers(0, days, n) * 86400 + hours * 3600 + rng.integers(0, 3600, n)) * 1_000_000
    # some facts on events, inside their windows (they must not count as background)
    ev = events.sample(min(100, len(events)), random_state=seed)
    cen = shapely.centroid(footprints(ev["geometry"].to_numpy(object)))
    ex = shapely.get_x(cen) + rng.normal(0, 40, len(ev))
    ey = shapely.get_y(cen) + rng.normal(0, 40, len(ev))
    et = to_epoch_us(ev["start"]) + HOUR_US // 2
    x, y, t = np.r_[x, ex], np.r_[y, ey], np.r_[t, et]
    cats = rng.choice(["vol", "violence", "nuisance"], len(x))
    return pd.DataFrame(
        {"fid": np.arange(1, len(x) + 1), "x": x, "y": y, "category": cats, "occurred_at": from_epoch_us(t), "count": np.ones(len(x), np.int64)}
    )


@pytest.fixture(scope="module")
def city():
    events, scores, by_cat, cats = make_events(400, seed=5)
    facts = make_facts(events)
    return events, scores, by_cat, cats, facts


def brute_rate(fp, start_us, end_us, facts, mask, settings, weeks, cell_m=100.0):
    """Plain-Python reference of bg_rate (module doc of core.context)."""
    hi = (start_us - settings.before_us) // 1_000_000
    t_s = [int(t // 1_000_000) for t in facts.t_us]
    known_from, known_to = t_s[0], t_s[-1] + 1
    hi = min(hi, known_to)
    lo = max(hi - int(weeks * 7 * 86400), known_from)
    covered = (hi - lo) / (7 * 86400)
    if covered < 1:
        return float("nan")
    disk = shapely.buffer(fp, settings.radius_m, quad_segs=4)
    how_all = hour_of_week(facts.t_us)
    n_disk = 0
    city = [0] * 168
    for i in range(len(facts)):
        if not mask[i] or not (lo <= t_s[i] < hi):
            continue
        city[how_all[i]] += 1
        cx, cy = np.floor(facts.x[i] / cell_m), np.floor(facts.y[i] / cell_m)
        if disk.contains(shapely.Point((cx + 0.5) * cell_m, (cy + 0.5) * cell_m)):
            n_disk += 1
    first = int(hour_of_week(np.array([start_us - settings.before_us]))[0])
    n_hours = min(168, max(1, int(np.ceil((end_us + settings.after_us - (start_us - settings.before_us)) / HOUR_US + 1e-9))))
    slots = [(first + j) % 168 for j in range(n_hours)]
    total = sum(city)
    share = sum(city[h] for h in slots) / total if total else 0.0
    return n_disk * share / (n_hours * covered)


def test_background_rate_matches_brute_force(city):
    events, scores, _, _, facts = city
    settings = ScoreSettings()
    index = FactIndex.build(facts)
    mask = background_mask(index, events, settings)
    # the facts put inside events' windows are not background
    assert mask.sum() < len(index)
    bg = BackgroundFacts.from_facts(index, mask)
    sub = events.iloc[::25].reset_index(drop=True)
    fps = footprints(sub["geometry"].to_numpy(object))
    s_us, e_us = to_epoch_us(sub["start"]), to_epoch_us(sub["end"])
    got = bg.rates(fps, s_us, e_us, settings, weeks=26)
    want = np.array([brute_rate(fps[i], s_us[i], e_us[i], index, mask, settings, 26) for i in range(len(sub))])
    assert np.isnan(got).sum() == np.isnan(want).sum()
    ok = np.isfinite(want)
    assert ok.sum() >= 10
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12, atol=1e-15)
    assert (got[ok] > 0).any()


def test_background_mask_excludes_counted_facts(city):
    events, _, _, _, facts = city
    settings = ScoreSettings()
    index = FactIndex.build(facts)
    mask = background_mask(index, events, settings)
    res = score_events(events, facts, settings)
    # every fact an event counts is outside the background: counted total = non-background total (weights 1 here? no: counts)
    counted = index.count[~mask].sum()
    assert counted == pytest.approx(res.n_facts.sum() - _double_counted(index, events, settings), abs=0)


def _double_counted(index, events, settings):
    """Facts counted by several events appear once in the mask but several times in n_facts."""
    from tranquillite_plugin.core.score import counted_facts, event_windows

    fps = footprints(events["geometry"].to_numpy(object))
    lo, hi = event_windows(to_epoch_us(events["start"]), to_epoch_us(events["end"]), index, settings)
    b = shapely.bounds(fps)
    hits = np.zeros(len(index))
    for i in range(len(fps)):
        hits[counted_facts(fps[i], lo[i], hi[i], b[i], index, settings.radius_m)] += 1
    return float((index.count * np.maximum(hits - 1, 0)).sum())


def _context(events, facts, weather=None):
    settings = ScoreSettings()
    index = FactIndex.build(facts)
    bg = BackgroundFacts.from_facts(index, background_mask(index, events, settings))
    ev = events.reset_index(drop=True)
    raw = event_axes(ev)
    src = ContextSource(bg, weather, raw["start_us"].to_numpy(), raw["participants"].to_numpy(float), raw["event_id"].to_numpy(object))
    return compute_context(("background", "load") + (("weather",) if weather is not None else ()), ev, raw, src, settings)


def test_no_leakage_from_later_facts_or_events(city):
    """Changing every fact and event after a planned event's start (minus the score's before-window) leaves its context as it was."""
    events, _, _, _, facts = city
    events = events.sort_values("start").reset_index(drop=True)
    i = 300
    target = events.iloc[i]
    s_us = int(to_epoch_us(pd.Series([target["start"]]))[0])
    base = _context(events, facts).iloc[i]
    # 1. facts from the event's pre-window on are replaced by a flood of facts right on its footprint
    t_f = to_epoch_us(facts["occurred_at"])
    cut = s_us - ScoreSettings().before_us
    kept = facts[t_f < cut]
    cen = shapely.centroid(footprints(np.array([target["geometry"]], dtype=object)))[0]
    rng = np.random.default_rng(0)
    m = 3000
    flood = pd.DataFrame({
        "fid": np.arange(10**6, 10**6 + m), "x": cen.x + rng.normal(0, 50, m), "y": cen.y + rng.normal(0, 50, m),
        "category": "vol", "occurred_at": from_epoch_us(cut + rng.integers(0, 400 * 86400, m) * 1_000_000), "count": 1,
    })
    # 2. the events that start after it are moved to the same day, just after it, with huge crowds
    later = events.index > i
    moved = events.copy()
    moved.loc[later, "start"] = target["start"] + pd.Timedelta(minutes=1)
    moved.loc[later, "end"] = target["start"] + pd.Timedelta(hours=3)
    moved.loc[later, "participants"] = 10**6
    changed = _context(moved, pd.concat([kept, flood], ignore_index=True)).iloc[i]
    assert changed["bg_rate"] == base["bg_rate"]
    assert changed["load_events"] == base["load_events"]
    assert changed["load_participants"] == base["load_participants"]
    # and the same changes *before* it do move the context (the test can fail)
    earlier = pd.concat([facts, flood.assign(occurred_at=from_epoch_us(cut - 1_000_000 - rng.integers(0, 20 * 86400, m) * 1_000_000))],
                        ignore_index=True)
    assert _context(events, earlier).iloc[i]["bg_rate"] > base["bg_rate"]


def test_city_load_counts_same_day_earlier_events_only():
    day = pd.Timestamp("2024-06-01 00:00").tz_localize(TZ)
    starts = [day + pd.Timedelta(hours=h) for h in (1, 9, 9, 15, 23.5)] + [day + pd.Timedelta(hours=25)]
    s_us = to_epoch_us(pd.Series(starts))
    ids = np.array(list("abcdef"), dtype=object)
    part = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
    load = city_load(s_us, ids, s_us, part, ids)
    np.testing.assert_array_equal(load[:, 0], [0, 1, 1, 3, 4, 0])
    np.testing.assert_array_equal(load[:, 1], [0, 10, 10, 60, 100, 0])
    assert local_day(s_us)[0] == local_day(s_us)[4] != local_day(s_us)[5]


def test_read_weather_meteo_france_and_plain():
    mf = pd.DataFrame({"NUM_POSTE": ["13055001"] * 3, "AAAAMMJJ": ["20240101", "20240102", "20240103"],
                       "TN": [3.0, 4.0, ""], "TX": [11.0, 12.0, ""], "RR": ["0,4", "0", "12.5"], "FFM": [3.1, 8.0, None]})
    w = read_weather(mf)
    np.testing.assert_allclose(w.temperature[:2], [7.0, 8.0])
    assert np.isnan(w.temperature[2])
    np.testing.assert_allclose(w.precipitation, [0.4, 0.0, 12.5])
    assert np.isnan(w.wind[2])
    d = local_day(to_epoch_us(pd.Series([pd.Timestamp("2024-01-02 23:30").tz_localize(TZ)])))
    np.testing.assert_allclose(w.values(d)[0], [8.0, 0.0, 8.0])
    plain = read_weather(pd.DataFrame({"date": ["2024-01-02"], "temperature": [5], "precipitation": [1], "wind": [2]}))
    assert plain.values(d)[0].tolist() == [5.0, 1.0, 2.0]
    with pytest.raises(ValueError, match=r"row 2, field 'AAAAMMJJ'"):
        read_weather(pd.DataFrame({"AAAAMMJJ": ["20240101", "2024-13-45"], "TM": [1, 2]}))
    with pytest.raises(ValueError, match=r"row 1, field 'RR'.*not a number"):
        read_weather(pd.DataFrame({"AAAAMMJJ": ["20240101"], "RR": ["beaucoup"]}))
    with pytest.raises(ValueError, match="no date column"):
        read_weather(pd.DataFrame({"TM": [1]}))


def test_demo_weather_is_plausible_and_deterministic():
    w = demo_weather("2023-01-01", "2025-12-31", seed=0)
    assert w.equals(demo_weather("2023-01-01", "2025-12-31", seed=0))
    t = read_weather(w)
    month = pd.to_datetime(w["AAAAMMJJ"]).dt.month.to_numpy()
    assert 4 < t.temperature[month == 1].mean() < 10 < 22 < t.temperature[month == 7].mean() < 28
    rainy = (t.precipitation > 0).sum() / 3
    assert 40 < rainy < 90
    assert (t.wind >= 0).all() and 3 < t.wind.mean() < 8


def test_check_context():
    assert check_context("load, background") == ("background", "load")
    assert check_context(None) == ()
    with pytest.raises(ValueError, match="unknown context axis 'moon'"):
        check_context(["moon"])


def test_model_with_context_round_trip_and_determinism(city):
    events, scores, by_cat, cats, facts = city
    weather = demo_weather("2019-06-01", "2023-12-31", seed=1)
    s = ForestSettings(n_trees=40, context=("background", "weather", "load"), calibrate=True)
    a = train_model(events, scores, by_cat, cats, make_sectors(), s, facts=facts, weather=weather)
    b = train_model(events.iloc[::-1].reset_index(drop=True), scores[::-1], by_cat[::-1], cats, make_sectors(), s,
                    facts=facts.iloc[::-1].reset_index(drop=True), weather=weather.iloc[::-1].reset_index(drop=True))
    assert a.fingerprint == b.fingerprint
    assert list(a.columns[-6:]) == ["bg_rate", "temperature", "precipitation", "wind", "load_events", "load_participants"]
    assert set(a.importances()["axis"]) >= {"background", "weather", "load"}
    loaded = model_from_bytes(model_to_bytes(a))
    assert loaded.fingerprint == a.fingerprint
    planned = events.iloc[:5].copy()
    planned["start"] = planned["start"] + pd.Timedelta(days=5 * 365)
    planned["end"] = planned["end"] + pd.Timedelta(days=5 * 365)
    planned["event_id"] = [f"P{i}" for i in range(5)]
    pa = a.predict(planned)
    pb = loaded.predict(planned)
    np.testing.assert_allclose(pa["predicted"], pb["predicted"])
    (t,) = loaded.transfer(planned.iloc[[0]])
    assert t.configuration == "custom" and "conformal" in t.band_method
    assert set(t.context) == {"bg_rate", "temperature", "precipitation", "wind", "load_events", "load_participants"}
    # planned days after the weather table: the training median, said so
    assert t.context["temperature"]["filled"] is True
    assert 0 <= t.context["bg_rate"]["percentile"] <= 1
    assert "context bg_rate" in t.summary()


def test_context_needs_its_inputs(city):
    events, scores, by_cat, cats, _ = city
    with pytest.raises(ValueError, match="background context axis needs the facts"):
        train_model(events, scores, settings=ForestSettings(n_trees=5, context=("background",)))
    with pytest.raises(ValueError, match="weather context axis needs a weather table"):
        train_model(events, scores, settings=ForestSettings(n_trees=5, context=("weather",)))


def test_tampered_context_model_refused(city):
    import io
    import json
    import zipfile

    events, scores, by_cat, cats, facts = city
    m = train_model(events, scores, settings=ForestSettings(n_trees=10, context=("load",)))
    blob = model_to_bytes(m)
    z = zipfile.ZipFile(io.BytesIO(blob))
    meta = json.loads(z.read("model.json"))
    meta["encoder"]["context"] = ["load", "background"]

    def rewrite(meta):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as w:
            w.writestr("model.json", json.dumps(meta))
            w.writestr("arrays.npz", z.read("arrays.npz"))
        return out.getvalue()

    with pytest.raises(ModelFileError):
        model_from_bytes(rewrite(meta))
    meta = json.loads(z.read("model.json"))
    meta["selection"] = {"x": {"__class__": object.__name__, "f": [1, {"a": [[[[[[[1]]]]]]]}]}}
    with pytest.raises(ModelFileError, match="nested too deep"):
        model_from_bytes(rewrite(meta))


def test_load_with_a_model_index_equals_the_general_path():
    """A model's past events (sorted, indexed) plus a batch repeating some of them: same load as the plain path."""
    rng = np.random.default_rng(2)
    t0 = int(to_epoch_us(pd.Series([pd.Timestamp("2024-03-30").tz_localize(TZ)]))[0])
    past = np.sort(t0 + rng.integers(0, 3 * 86400, 300) * 1_000_000)
    past_ids = np.array([f"E{i}" for i in range(300)], dtype=object)
    past_p = rng.integers(0, 500, 300).astype(float)
    batch_s = t0 + rng.integers(0, 3 * 86400, 12) * 1_000_000
    batch_ids = np.array([f"P{i}" for i in range(9)] + ["E5", "E100", "E200"], dtype=object)
    batch_p = rng.integers(0, 500, 12).astype(float)
    src_s, src_p, src_i = np.r_[past, batch_s], np.r_[past_p, batch_p], np.r_[past_ids, batch_ids]
    plain = city_load(batch_s, batch_ids, src_s, src_p, src_i)
    fast = city_load(batch_s, batch_ids, src_s, src_p, src_i, base=300, base_index={v: i for i, v in enumerate(past_ids)})
    np.testing.assert_allclose(fast, plain)
    assert plain[:, 0].max() > 0


def test_hour_of_week_and_local_day_small_path_match():
    t = to_epoch_us(pd.Series(pd.date_range("2026-03-28 20:00", periods=90, freq="47min", tz="Europe/Paris")))
    np.testing.assert_array_equal(hour_of_week(t), np.concatenate([hour_of_week(t[i : i + 9]) for i in range(0, 90, 9)]))
    np.testing.assert_array_equal(local_day(t), np.concatenate([local_day(t[i : i + 9]) for i in range(0, 90, 9)]))
