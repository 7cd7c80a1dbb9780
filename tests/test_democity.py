"""The demo city: deterministic, complete, contract-clean, and with risk where it should be."""

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.contract import AXIS_STATUSES, CATEGORIES, NATURES, SPECS, RawLayer, validate
from tranquillite_plugin.core.democity import ORIGIN, SOURCES, make_demo_city
from tranquillite_plugin.core.score import FactIndex, ScoreSettings, score_events


@pytest.fixture(scope="module")
def city():
    return make_demo_city()


def _assert_same(a: pd.DataFrame, b: pd.DataFrame):
    assert list(a.columns) == list(b.columns)
    for col in a.columns:
        if col == "geometry":
            wa = shapely.to_wkb(a[col].to_numpy(object))
            wb = shapely.to_wkb(b[col].to_numpy(object))
            assert list(wa) == list(wb), col
        else:
            pd.testing.assert_series_equal(a[col], b[col], check_exact=True)


def test_same_seed_same_city_bit_for_bit():
    a = make_demo_city(n_events=150, n_facts=8000, years=2, seed=7)
    b = make_demo_city(n_events=150, n_facts=8000, years=2, seed=7)
    for name in ("sectors", "axes", "cameras", "events", "facts", "planned"):
        _assert_same(getattr(a, name), getattr(b, name))


def test_another_seed_another_city():
    a = make_demo_city(n_events=150, n_facts=8000, years=2, seed=7)
    b = make_demo_city(n_events=150, n_facts=8000, years=2, seed=8)
    assert not np.array_equal(a.facts["x"].to_numpy(), b.facts["x"].to_numpy())
    assert not a.events["nature"].equals(b.events["nature"])


def test_sizes(city):
    assert len(city.events) == 600
    assert len(city.facts) == 60_000
    assert len(city.sectors) == 16
    assert 25 <= len(city.axes) <= 40
    assert len(city.cameras) == 60
    assert 3 <= len(city.planned) <= 5
    small = make_demo_city(n_events=40, n_facts=1234, years=1, seed=1)
    assert (len(small.events), len(small.facts)) == (40, 1234)


def test_every_nature_and_geometry_type(city):
    assert set(city.events["nature"]) == set(NATURES)
    types = set(shapely.get_type_id(city.events["geometry"].to_numpy(object)))
    # Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon
    assert {0, 1, 3, 4, 5, 6} <= types
    assert shapely.is_valid(city.events["geometry"].to_numpy(object)).all()
    assert shapely.is_valid(city.sectors["geometry"].to_numpy(object)).all()


def test_itineraries_are_multi_vertex_routes_of_1_to_4_km(city):
    ev = city.events
    geoms = ev["geometry"].to_numpy(object)
    lines = (shapely.get_type_id(geoms) == 1) & ev["nature"].isin(["manifestation", "marche"]).to_numpy()
    assert lines.sum() >= 50
    length = shapely.length(geoms[lines])
    assert length.min() >= 990 and length.max() <= 4010
    assert shapely.get_num_coordinates(geoms[lines]).min() >= 10


def test_sectors_tile_the_city_around_the_port(city):
    names = set(city.sectors["name"])
    assert {"Vieux-Port", "Belsunce", "Noailles", "Le Panier", "Joliette", "Castellane", "Prado"} <= names
    assert list(city.sectors["sector_id"]) == [f"S{i:02d}" for i in range(1, 17)]
    polys = city.sectors["geometry"].to_numpy(object)
    union = shapely.union_all(polys)
    assert shapely.area(union) == pytest.approx(shapely.area(polys).sum(), rel=1e-6)  # no overlap
    assert shapely.area(union) == pytest.approx(shapely.area(city.land), rel=1e-6)  # no gap
    port = shapely.Point(ORIGIN)
    assert shapely.distance(polys[list(city.sectors["name"]).index("Vieux-Port")], port) < 300
    assert city.crs == "EPSG:2154"


def test_facts_cameras_and_events_are_in_the_city(city):
    land = shapely.buffer(city.land, 1e-6)
    shapely.prepare(land)
    assert shapely.contains_xy(land, city.facts["x"].to_numpy(), city.facts["y"].to_numpy()).all()
    assert shapely.contains_xy(land, city.cameras["x"].to_numpy(), city.cameras["y"].to_numpy()).all()
    cents = shapely.centroid(city.events["geometry"].to_numpy(object))
    xmin, ymin, xmax, ymax = city.extent
    assert ((shapely.get_x(cents) > xmin) & (shapely.get_x(cents) < xmax)).all()
    assert ((shapely.get_y(cents) > ymin) & (shapely.get_y(cents) < ymax)).all()


def test_values_follow_the_contract_vocabularies(city):
    f = city.facts
    assert set(f["category"]) <= set(CATEGORIES)
    assert set(f["source"]) <= set(SOURCES)
    assert f["count"].between(1, 5).all() and (f["count"] == 1).mean() > 0.8
    assert str(f["occurred_at"].dtype) == "datetime64[us, Europe/Paris]"
    assert f["occurred_at"].is_monotonic_increasing
    assert set(city.axes["status"]) <= set(AXIS_STATUSES)
    assert city.cameras["radius_m"].between(30, 120).all()
    directed = city.cameras["bearing_deg"].notna()
    assert 0 < directed.sum() < len(city.cameras)
    assert city.cameras.loc[directed, "fov_deg"].notna().all()
    ev = city.events
    assert (ev["end"] >= ev["start"]).all()
    assert (ev["participants"] >= 0).all()
    assert ev["event_id"].is_unique


def test_sector_blank_for_some_and_right_for_the_others(city):
    ev = city.events
    blank = ev["sector"] == ""
    assert 0.02 < blank.mean() < 0.2
    cents = shapely.centroid(ev["geometry"].to_numpy(object))
    polys = city.sectors["geometry"].to_numpy(object)
    ids = city.sectors["sector_id"].to_numpy(object)
    for i in np.flatnonzero(~blank.to_numpy())[:200]:
        inside = np.flatnonzero(shapely.contains(polys, cents[i]))
        expect = ids[inside[0]] if len(inside) else ids[np.argmin(shapely.distance(polys, cents[i]))]
        assert ev["sector"].iloc[i] == expect


@pytest.mark.parametrize("name", ["sectors", "axes", "cameras", "events", "facts", "planned"])
def test_frames_pass_the_contract_unchanged(city, name):
    kind, frame = city.layers()[name]
    spec = SPECS[kind]
    point = spec.geometry == "point"
    raw = RawLayer(
        name,
        frame[[f.name for f in spec.fields]],
        frame["fid"].to_numpy(),
        geometry=None if point else frame["geometry"].to_numpy(object),
        xy=frame[["x", "y"]].to_numpy() if point else None,
        crs=city.crs,
    )
    clean, report = validate(kind, raw)
    assert report.refused == 0 and report.repaired == 0, report.summary()
    _assert_same(clean, frame)


def test_planned_events_are_in_the_future_without_facts(city):
    planned = city.planned
    assert planned["start"].min() > city.facts["occurred_at"].max()
    assert planned["start"].min() > city.events["end"].max()
    assert planned["start"].min() >= city.end_date
    assert {"manifestation", "concert", "festival"} <= set(planned["nature"])
    canebiere = planned.loc[planned["nature"] == "manifestation", "geometry"].iloc[0]
    assert canebiere.geom_type == "LineString" and 1000 < canebiere.length < 4000
    assert score_events(planned, city.facts).score.sum() == 0
    assert (planned["sector"] != "").all()


def test_risky_natures_score_clearly_above_quiet_ones(city):
    result = score_events(city.events, city.facts)
    mean = pd.Series(result.score).groupby(city.events["nature"].to_numpy()).mean()
    quiet = max(mean["ceremonie"], mean["travaux"])
    for nature in ("manifestation", "sport", "festival"):
        assert mean[nature] > 5 * quiet, mean.to_dict()


def test_more_participants_more_facts_within_a_nature():
    c = make_demo_city(n_events=2000, n_facts=100_000, years=3, seed=0)
    ev = c.events.assign(score=score_events(c.events, c.facts).score)
    for nature in ("manifestation", "sport", "festival", "concert"):
        sub = ev[ev["nature"] == nature]
        crowded = sub["participants"] > sub["participants"].median()
        assert sub.loc[crowded, "score"].mean() > 1.5 * sub.loc[~crowded, "score"].mean(), nature


def test_facts_concentrate_around_events_with_background_noise(city):
    result = score_events(city.events, city.facts)
    assert (result.score > 0).mean() > 0.6
    share = city.info["event_facts"] / len(city.facts)
    assert 0.3 < share < 0.5
    # background noise: plenty of facts far from every event window
    t = city.facts["occurred_at"]
    hours = t.dt.hour.to_numpy()
    assert (hours == 20).sum() > 1.5 * (hours == 5).sum()  # daily cycle
    # hot sectors: Belsunce has more facts per km2 than Endoume
    polys = dict(zip(city.sectors["name"], city.sectors["geometry"]))
    x, y = city.facts["x"].to_numpy(), city.facts["y"].to_numpy()

    def density(name):
        return shapely.contains_xy(polys[name], x, y).sum() / polys[name].area

    assert density("Belsunce") > 3 * density("Endoume")


def test_category_mix_depends_on_nature():
    c = make_demo_city(n_events=400, n_facts=40_000, years=2, seed=2)
    ev = c.events
    cats = {}
    index = FactIndex.build(c.facts)
    for nature in ("sport", "travaux"):
        sub = ev[ev["nature"] == nature]
        res = score_events(sub.reset_index(drop=True), index, ScoreSettings())
        frame = res.category_frame()
        cats[nature] = frame.sum() / frame.sum().sum()
    assert cats["sport"].get("violence", 0) > 3 * cats["travaux"].get("violence", 0)
    assert cats["travaux"].get("verbalisation", 0) > 2 * cats["sport"].get("verbalisation", 0)
