"""The GeoPackage writer: exact round trips, datetimes across DST, multi-parts, R-tree, all-or-nothing."""

import os
import sqlite3
import subprocess

import numpy as np
import pandas as pd
import pytest
import shapely
from osgeo import ogr

from tranquillite_plugin.core.contract import SPECS, validate
from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.timeutil import TZ, parse_datetimes, parse_iso_zoned, to_epoch_us
from tranquillite_plugin.store.layer_reader import read_ogr
from tranquillite_plugin.store.ogr_io import (
    TMP_SUFFIX,
    LayerWriteError,
    _load_rtree,
    format_datetimes,
    write_layer,
    write_layers,
)
from tranquillite_plugin.store.qgis_time import instant_ms, to_paris


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=150, n_facts=6000, years=2, seed=4)


@pytest.fixture()
def gpkg(tmp_path, city):
    path = str(tmp_path / "demo.gpkg")
    write_layers(path, city.layers())
    return path


def _ogr_rows(path, layer):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer)
    rows = []
    for feat in lyr:
        geom = feat.GetGeometryRef()
        rows.append((feat.GetFID(), None if geom is None else shapely.from_wkb(bytes(geom.ExportToIsoWkb())), feat.items()))
    return rows


def _instant(ogr_datetime):
    """[y, m, d, h, mi, s, tzflag] from OGR -> UTC epoch µs (tzflag 100 = UTC, 100 + 4k = +k×15 min)."""
    y, mo, d, h, mi, s, tz = ogr_datetime
    assert tz >= 100, "written datetimes carry their offset"
    base = pd.Timestamp(year=y, month=mo, day=d, hour=h, minute=mi, second=int(s), microsecond=int(round((s % 1) * 1e6)))
    return int((base - pd.Timedelta(minutes=15 * (tz - 100))).value // 1000)


def test_every_layer_round_trips_through_the_contract(gpkg, city):
    for name, (kind, frame) in city.layers().items():
        raw = read_ogr(gpkg, name, points_as_xy=True)
        assert raw.crs == "EPSG:2154"
        clean, report = validate(kind, raw)
        assert report.refused == 0 and report.repaired == 0, report.summary()
        assert list(clean.columns) == list(frame.columns)
        for col in frame.columns:
            if col == "geometry":
                assert shapely.equals_exact(clean[col].to_numpy(object), frame[col].to_numpy(object), 0).all()
            else:
                pd.testing.assert_series_equal(clean[col], frame[col], check_exact=True)


def test_ogr_reads_values_fids_types_and_extent(gpkg, city):
    ds = ogr.Open(gpkg)
    lyr = ds.GetLayerByName("facts")
    assert lyr.GetFeatureCount() == len(city.facts)
    assert lyr.GetFIDColumn() == "fid" and lyr.GetGeometryColumn() == "geom"
    assert ogr.GT_Flatten(lyr.GetGeomType()) == ogr.wkbPoint
    defn = lyr.GetLayerDefn()
    types = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i).GetType() for i in range(defn.GetFieldCount())}
    assert types == {"category": ogr.OFTString, "occurred_at": ogr.OFTDateTime, "count": ogr.OFTInteger64, "source": ogr.OFTString}
    f = city.facts
    xmin, xmax, ymin, ymax = lyr.GetExtent()
    assert (xmin, xmax, ymin, ymax) == (f["x"].min(), f["x"].max(), f["y"].min(), f["y"].max())
    for i in (0, 1234, len(f) - 1):
        feat = lyr.GetFeature(int(f["fid"].iloc[i]))
        assert feat.GetGeometryRef().GetX() == f["x"].iloc[i] and feat.GetGeometryRef().GetY() == f["y"].iloc[i]
        assert feat["category"] == f["category"].iloc[i] and feat["count"] == f["count"].iloc[i]
        assert _instant(feat.GetFieldAsDateTime("occurred_at")) == to_epoch_us(f["occurred_at"].iloc[[i]])[0]
    ev = ds.GetLayerByName("events")
    assert ev.GetGeomType() == ogr.wkbUnknown  # points, lines and areas in one layer
    assert ds.GetLayerByName("sectors").GetGeomType() == ogr.wkbPolygon


def test_ogrinfo_summary(gpkg, city):
    out = subprocess.run(["ogrinfo", "-so", gpkg, "facts"], capture_output=True, text=True, check=True).stdout
    assert f"Feature Count: {len(city.facts)}" in out
    assert "Geometry: Point" in out
    assert 'ID["EPSG",2154]' in out
    f = city.facts
    assert f"Extent: ({f['x'].min():.6f}, {f['y'].min():.6f}) - ({f['x'].max():.6f}, {f['y'].max():.6f})" in out


def test_spatial_index_is_consistent_and_answers_queries(gpkg, city):
    con = sqlite3.connect(gpkg)
    for name in city.layers():
        assert con.execute(f"SELECT rtreecheck('rtree_{name}_geom')").fetchone()[0] == "ok"
        assert con.execute(f"SELECT count(*) FROM rtree_{name}_geom").fetchone()[0] == len(getattr(city, name))
    ext = con.execute("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'facts'").fetchall()
    assert ext == [("gpkg_rtree_index",)]
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    ds = ogr.Open(gpkg)
    lyr = ds.GetLayerByName("facts")
    f = city.facts
    x0, y0 = f["x"].quantile(0.3), f["y"].quantile(0.4)
    x1, y1 = x0 + 700, y0 + 500
    lyr.SetSpatialFilterRect(x0, y0, x1, y1)
    expect = ((f["x"] >= x0) & (f["x"] <= x1) & (f["y"] >= y0) & (f["y"] <= y1)).sum()
    assert expect > 50
    assert sum(1 for _ in lyr) == expect


def test_datetimes_across_dst_keep_their_instant(tmp_path):
    # spring forward (29 March 2026) and fall back (25 October 2026: 02:30 happens twice)
    utc = pd.to_datetime(
        [
            "2026-03-29T00:59:59Z",  # 01:59:59 CET
            "2026-03-29T01:00:00Z",  # 03:00:00 CEST
            "2026-10-25T00:30:00Z",  # 02:30 CEST (first)
            "2026-10-25T01:30:00Z",  # 02:30 CET (second)
            "2026-07-14T20:30:00.250Z",
            "2026-12-31T23:59:59Z",
        ],
        utc=True,
        format="ISO8601",
    )
    local = pd.Series(utc).dt.tz_convert(TZ).astype(f"datetime64[us, {TZ}]")
    frame = pd.DataFrame(
        {
            "fid": np.arange(1, 7),
            "x": np.linspace(892000, 893000, 6),
            "y": np.full(6, 6247000.0),
            "category": ["vol"] * 6,
            "occurred_at": local,
            "count": np.ones(6, np.int64),
            "source": ["police municipale"] * 6,
        }
    )
    path = str(tmp_path / "dst.gpkg")
    write_layer(path, "facts", "facts", frame)
    con = sqlite3.connect(path)
    texts = [r[0] for r in con.execute("SELECT occurred_at FROM facts ORDER BY fid")]
    # UTC, as the GeoPackage standard says
    assert texts == [
        "2026-03-29T00:59:59.000Z",
        "2026-03-29T01:00:00.000Z",
        "2026-10-25T00:30:00.000Z",
        "2026-10-25T01:30:00.000Z",
        "2026-07-14T20:30:00.250Z",
        "2026-12-31T23:59:59.000Z",
    ]
    rows = _ogr_rows(path, "facts")
    got = []
    ds = ogr.Open(path)
    for feat in ds.GetLayerByName("facts"):
        got.append(_instant(feat.GetFieldAsDateTime("occurred_at")))
    assert got == list(to_epoch_us(local))
    assert len(rows) == 6
    back, _ = validate("facts", read_ogr(path, "facts", points_as_xy=True))
    pd.testing.assert_series_equal(back["occurred_at"], frame["occurred_at"], check_exact=True)


def test_format_datetimes_matches_pandas():
    rng = np.random.default_rng(3)
    us = rng.integers(-10**15, 4 * 10**15, 3000) // 1000 * 1000  # 1938..2096, whole ms
    s = pd.Series(pd.to_datetime(us, unit="us", utc=True)).dt.tz_convert(TZ)
    expect = [t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z" for t in s]
    assert format_datetimes(s) == expect
    with_nat = pd.Series([s.iloc[0], pd.NaT], dtype=s.dtype)
    assert format_datetimes(with_nat)[1] is None
    # Paris mean time (+00:09:21) before 1911: UTC keeps the instant
    old = pd.Series(pd.to_datetime(["1905-06-01T12:00:00Z"], utc=True)).dt.tz_convert(TZ)
    assert format_datetimes(old) == ["1905-06-01T12:00:00.000Z"]
    # sub-millisecond digits are dropped towards the past, also before 1970
    neg = pd.Series(pd.to_datetime(["1969-12-31T23:59:59.9996Z"], utc=True, format="ISO8601"))
    assert format_datetimes(neg) == ["1969-12-31T23:59:59.999Z"]


def test_written_datetimes_read_back_fast_and_exact():
    rng = np.random.default_rng(5)
    us = rng.integers(-2 * 10**15, 4 * 10**15, 50_000) // 1000 * 1000  # 1906..2096, whole ms
    s = pd.Series(pd.to_datetime(us, unit="us", utc=True)).dt.tz_convert(TZ)
    texts = format_datetimes(s)
    got, ok = parse_iso_zoned(np.array(texts, dtype=object))
    assert ok.all() and np.array_equal(got, us)
    parsed, bad = parse_datetimes(pd.Series(texts, dtype=object))
    assert not bad.any() and np.array_equal(to_epoch_us(parsed), us)
    # the fast path parses what pandas parses, and leaves the rest to it
    forms = [
        "2024-05-01T10:00:00Z", "2024-05-01 10:00:00+02:00", "2024-05-01T10:00:00.5-03:30",
        "2024-02-29T23:59:59.999999+00:00", "2023-02-29T10:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:00:00",
        "2024-05-01", "1500-01-01T00:00:00Z", " 2024-05-01T10:00:00Z", "2024-05-01T10:00:00.1234567Z",
        "2024-05-01T10:00:00+0200", "2024-13-01T10:00:00Z", "2024-05-01T10:00:60Z", "23/11/2026 14:30",
    ]
    got, ok = parse_iso_zoned(np.array(forms, dtype=object))
    ref = pd.to_datetime(pd.Series(forms, dtype=object), utc=True, format="ISO8601", errors="coerce")
    assert ok.sum() == 4
    for g, o, r in zip(got, ok, ref):
        if o:
            assert g == r.value // 1000


def test_multipart_and_mixed_geometries_round_trip_exactly(tmp_path):
    geoms = [
        shapely.Point(892400.5, 6247000.25),
        shapely.MultiPoint([(892000, 6247000), (892100, 6247050)]),
        shapely.LineString([(892000, 6247000), (892500, 6247100), (893000, 6247000)]),
        shapely.MultiLineString([[(892000, 6246000), (892300, 6246000)], [(892400, 6246100), (892600, 6246300)]]),
        shapely.Polygon([(892000, 6248000), (892100, 6248000), (892100, 6248100), (892000, 6248000)]),
        shapely.MultiPolygon(
            [
                shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 0)]),
                shapely.Polygon([(20, 20), (30, 20), (30, 30), (20, 20)], [[(25, 22), (29, 22), (29, 26), (25, 22)]]),
            ]
        ),
    ]
    start = pd.Series(pd.to_datetime(["2026-05-01 10:00"] * 6)).dt.tz_localize(TZ).astype(f"datetime64[us, {TZ}]")
    events = pd.DataFrame(
        {
            "fid": [11, 12, 13, 14, 15, 16],
            "geometry": geoms,
            "event_id": [f"E{i}" for i in range(6)],
            "nature": ["manifestation"] * 6,
            "participants": [10, 20, 30, 40, 50, 60],
            "start": start,
            "end": start + pd.Timedelta(hours=2),
            "sector": ["S01", "", "S02", "", "S03", "S04"],
            "score": [1.5, 0.0, np.nan, 2.25, 3.0, 4.0],  # an extra column keeps its type
        }
    )
    path = str(tmp_path / "multi.gpkg")
    assert write_layer(path, "events", "events", events) == 6
    rows = _ogr_rows(path, "events")
    assert [r[0] for r in rows] == [11, 12, 13, 14, 15, 16]  # the frame's fids are kept
    for (_, g, _attrs), expect in zip(rows, geoms):
        assert g.geom_type == expect.geom_type and shapely.equals_exact(g, expect, 0)
    assert [r[2]["score"] for r in rows][:3] == [1.5, 0.0, None]
    assert [r[2]["sector"] for r in rows][:2] == ["S01", ""]
    ds = ogr.Open(path)
    assert ds.GetLayerByName("events").GetGeomType() == ogr.wkbUnknown
    # a polygon layer with single and multi parts is declared MultiPolygon, parts promoted
    sectors = pd.DataFrame({"fid": [1, 2], "geometry": [geoms[4], geoms[5]], "sector_id": ["A", "B"], "name": ["a", "b"]})
    write_layer(path, "sectors", "sectors", sectors)
    ds = ogr.Open(path)
    assert ds.GetLayerByName("sectors").GetGeomType() == ogr.wkbMultiPolygon
    back = _ogr_rows(path, "sectors")
    assert back[0][1].geom_type == "MultiPolygon" and shapely.equals(back[0][1], geoms[4])
    assert shapely.equals_exact(back[1][1], geoms[5], 0)


def test_overwrite_replaces_one_layer_and_leaves_the_others(gpkg, city):
    half = city.facts.iloc[: len(city.facts) // 2]
    write_layer(gpkg, "facts", "facts", half)
    ds = ogr.Open(gpkg)
    assert ds.GetLayerByName("facts").GetFeatureCount() == len(half)
    assert ds.GetLayerByName("events").GetFeatureCount() == len(city.events)
    names = sorted(ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount()))
    assert names == sorted(city.layers())
    with pytest.raises(LayerWriteError, match="overwrite is off"):
        write_layer(gpkg, "facts", "facts", city.facts, overwrite=False)
    assert ogr.Open(gpkg).GetLayerByName("facts").GetFeatureCount() == len(half)


def _snapshot(path):
    con = sqlite3.connect(path)
    try:
        tables = sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"))
        contents = con.execute("SELECT table_name, min_x, max_x, srs_id FROM gpkg_contents ORDER BY table_name").fetchall()
        facts = con.execute("SELECT count(*), sum(count), max(occurred_at) FROM facts").fetchone()
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return tables, contents, facts, ok


def test_a_failing_write_leaves_no_partial_layer(gpkg, city):
    before = _snapshot(gpkg)
    assert before[3] == "ok"
    bad = city.events.copy()
    bad.loc[len(bad) // 2, "event_id"] = "E\ud800"  # cannot be encoded: fails in the middle of the insert
    new_facts = city.facts.iloc[:100]
    with pytest.raises(LayerWriteError, match="events"):
        write_layers(gpkg, {"facts": ("facts", new_facts), "extra": ("sectors", city.sectors), "events": ("events", bad)})
    assert _snapshot(gpkg) == before  # old facts intact, no 'extra', no temporary layer
    assert not any(TMP_SUFFIX in t for t in before[0])
    ds = ogr.Open(gpkg)
    assert ds.GetLayerByName("extra") is None
    assert ds.GetLayerByName("facts").GetFeatureCount() == len(city.facts)


def test_a_failing_write_to_a_new_file_leaves_no_file(tmp_path, city):
    path = str(tmp_path / "new.gpkg")
    bad = city.facts.iloc[:50].copy()
    bad.loc[10, "source"] = "\udcff"
    with pytest.raises(LayerWriteError):
        write_layers(path, {"sectors": ("sectors", city.sectors), "facts": ("facts", bad)})
    assert not os.path.exists(path)


def test_bad_frames_are_refused_before_the_file_is_touched(gpkg, city):
    before = _snapshot(gpkg)
    mtime = os.path.getmtime(gpkg)
    with pytest.raises(LayerWriteError, match="no column 'category'"):
        write_layer(gpkg, "facts", "facts", city.facts.drop(columns=["category"]))
    with pytest.raises(LayerWriteError, match="'count'.*not a whole number"):
        write_layer(gpkg, "facts", "facts", city.facts.assign(count=1.5))
    with pytest.raises(LayerWriteError, match="no geometry"):
        write_layer(gpkg, "events", "events", city.events.drop(columns=["geometry"]))
    with pytest.raises(LayerWriteError, match="unknown kind"):
        write_layer(gpkg, "x", "incidents", city.facts)
    assert os.path.getmtime(gpkg) == mtime and _snapshot(gpkg) == before


def test_bulk_loaded_rtree_equals_sqlite_own(tmp_path):
    rng = np.random.default_rng(11)
    n = 6000
    x = rng.random(n) * 5000 + 890000
    y = rng.random(n) * 7000 + 6243000
    w = rng.random(n) * 200 * (rng.random(n) < 0.5)
    bounds = np.column_stack([x, y, x + w, y + w * 0.5])
    ids = rng.permutation(np.arange(1, 3 * n))[:n]
    con = sqlite3.connect(str(tmp_path / "rt.sqlite"))
    con.execute("CREATE VIRTUAL TABLE bulk USING rtree(id, minx, maxx, miny, maxy)")
    con.execute("CREATE VIRTUAL TABLE ref USING rtree(id, minx, maxx, miny, maxy)")
    _load_rtree(con, "bulk", ids, bounds)
    con.executemany("INSERT INTO ref VALUES (?, ?, ?, ?, ?)", zip(ids.tolist(), x.tolist(), (x + w).tolist(), y.tolist(), (y + w * 0.5).tolist()))
    con.commit()
    assert con.execute("SELECT rtreecheck('bulk')").fetchone()[0] == "ok"
    depth = int.from_bytes(con.execute("SELECT data FROM bulk_node WHERE nodeno = 1").fetchone()[0][:2], "big")
    assert depth >= 2  # several levels were packed
    assert con.execute("SELECT * FROM bulk ORDER BY id").fetchall() == con.execute("SELECT * FROM ref ORDER BY id").fetchall()
    for _ in range(30):
        qx, qy = rng.random() * 5000 + 890000, rng.random() * 7000 + 6243000
        box = (qx + 300, qx, qy + 200, qy)
        sql = "SELECT id FROM {} WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ? ORDER BY id"
        assert con.execute(sql.format("bulk"), box).fetchall() == con.execute(sql.format("ref"), box).fetchall()
    # the index stays usable by SQLite's own inserts and deletes
    gone = [(int(i),) for i in ids[::6]]
    con.executemany("DELETE FROM bulk WHERE id = ?", gone)
    con.executemany("INSERT INTO bulk VALUES (?, ?, ?, ?, ?)", [(10**7 + i, 0.0 + i, 1.0 + i, 0.0, 1.0) for i in range(500)])
    assert con.execute("SELECT rtreecheck('bulk')").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM bulk").fetchone()[0] == n - len(gone) + 500


def test_empty_frame_writes_an_empty_layer(tmp_path):
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ["fid", "x", "y", "category", "occurred_at", "count", "source"]})
    path = str(tmp_path / "empty.gpkg")
    assert write_layer(path, "facts", "facts", frame.astype({"x": float, "y": float})) == 0
    ds = ogr.Open(path)
    assert ds.GetLayerByName("facts").GetFeatureCount() == 0


def test_qgis_reads_the_layers(qgis_app, gpkg, city):
    from qgis.core import QgsFeatureRequest, QgsRectangle, QgsVectorLayer, QgsWkbTypes

    facts = QgsVectorLayer(gpkg + "|layername=facts", "facts", "ogr")
    assert facts.isValid()
    assert facts.featureCount() == len(city.facts)
    assert facts.crs().authid() == "EPSG:2154"
    assert QgsWkbTypes.flatType(facts.wkbType()) == QgsWkbTypes.Point
    f = city.facts
    ext = facts.extent()
    assert (ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum()) == pytest.approx(
        (f["x"].min(), f["y"].min(), f["x"].max(), f["y"].max()), abs=1e-6
    )
    for i in (0, 777, len(f) - 1):
        feat = facts.getFeature(int(f["fid"].iloc[i]))
        assert feat["category"] == f["category"].iloc[i] and feat["count"] == f["count"].iloc[i]
        assert feat.geometry().asPoint().x() == f["x"].iloc[i]
        # QGIS gives the instant written (UTC), shown in Paris time by the plugin's formatter
        wall = f["occurred_at"].iloc[i]
        assert instant_ms(feat["occurred_at"]) == wall.value // 1_000_000
        assert to_paris(feat["occurred_at"]).toString("yyyy-MM-dd HH:mm:ss") == wall.strftime("%Y-%m-%d %H:%M:%S")
    rect = QgsRectangle(f["x"].quantile(0.2), f["y"].quantile(0.2), f["x"].quantile(0.2) + 600, f["y"].quantile(0.2) + 400)
    got = sum(1 for _ in facts.getFeatures(QgsFeatureRequest().setFilterRect(rect).setNoAttributes()))
    expect = ((f["x"] >= rect.xMinimum()) & (f["x"] <= rect.xMaximum()) & (f["y"] >= rect.yMinimum()) & (f["y"] <= rect.yMaximum())).sum()
    assert got == expect > 10
    events = QgsVectorLayer(gpkg + "|layername=events", "events", "ogr")
    assert events.isValid() and events.featureCount() == len(city.events)
    kinds = {QgsWkbTypes.geometryType(feat.geometry().wkbType()) for feat in events.getFeatures()}
    assert kinds == {QgsWkbTypes.PointGeometry, QgsWkbTypes.LineGeometry, QgsWkbTypes.PolygonGeometry}
    sectors = QgsVectorLayer(gpkg + "|layername=sectors", "sectors", "ogr")
    assert sectors.featureCount() == 16 and {s["name"] for s in sectors.getFeatures()} == set(city.sectors["name"])
    for kind in SPECS:
        assert QgsVectorLayer(f"{gpkg}|layername={kind}", kind, "ogr").isValid()
