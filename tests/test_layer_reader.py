"""Any layer QGIS reads gives the same RawLayer: bulk OGR path and getFeatures path alike."""

import json

import numpy as np
import pandas as pd
import pytest
from osgeo import ogr, osr

from tranquillite_plugin.core.contract import validate
from tranquillite_plugin.store.layer_reader import LayerReadError, points_from_wkb, read_ogr, reproject

ROWS = [
    # x, y, category, occurred_at as OGR (y, m, d, H, M, S, tzflag), count
    (892400.0, 6247000.0, "vol", (2024, 3, 31, 1, 30, 0, 100), 1),  # UTC -> 03:30 Paris (DST started)
    (892500.0, 6247100.0, "violence", (2024, 7, 14, 22, 0, 0, 0), 2),  # unknown tz -> local
    (892600.0, 6247200.0, "secours", (2024, 12, 24, 23, 0, 0, 1), None),  # naive local
]


def write_gpkg(path, rows=ROWS, layer="facts", epsg=2154):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer(layer, srs, ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("category", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("occurred_at", ogr.OFTDateTime))
    lyr.CreateField(ogr.FieldDefn("count", ogr.OFTInteger))
    for x, y, cat, when, count in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("category", cat)
        f.SetField("occurred_at", *when)
        if count is not None:
            f.SetField("count", count)
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        lyr.CreateFeature(f)
    ds = None
    return f"{path}"


def test_gpkg_bulk_read_keeps_values_offsets_and_nulls(tmp_path):
    path = write_gpkg(tmp_path / "f.gpkg")
    raw = read_ogr(path, "facts", points_as_xy=True)
    assert raw.crs == "EPSG:2154"
    assert raw.fids.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(raw.xy, [[892400, 6247000], [892500, 6247100], [892600, 6247200]])
    assert raw.attributes["category"].tolist() == ["vol", "violence", "secours"]
    assert np.isnan(raw.attributes["count"][2])
    clean, report = validate("facts", raw)
    assert report.taken == 3
    when = clean["occurred_at"]
    assert str(when[0]) == "2024-03-31 03:30:00+02:00"
    assert str(when[2]) == "2024-12-24 23:00:00+01:00"
    assert clean["count"].tolist() == [1, 2, 1]


def test_subset_and_field_selection(tmp_path):
    path = write_gpkg(tmp_path / "f.gpkg")
    raw = read_ogr(path, "facts", subset="category <> 'vol'", fields=["CATEGORY"])
    assert list(raw.attributes.columns) == ["category"]
    assert raw.fids.tolist() == [2, 3]
    assert [g.x for g in raw.geometry] == [892500, 892600]


def test_geojson_with_offsets_and_polygons(tmp_path):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"event_id": "E1", "nature": "concert", "participants": 800,
                               "start": "2024-06-21T18:00:00+00:00", "end": "2024-06-21T23:30:00+02:00"},
                "geometry": {"type": "Polygon", "coordinates": [[[5.37, 43.29], [5.38, 43.29], [5.38, 43.30], [5.37, 43.29]]]},
            },
            {
                "type": "Feature",
                "properties": {"event_id": "E2", "nature": "marche", "participants": 50,
                               "start": "2024-06-22T10:00:00", "end": "2024-06-22T12:00:00"},
                "geometry": {"type": "LineString", "coordinates": [[5.37, 43.29], [5.375, 43.295]]},
            },
        ],
    }
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps(fc))
    raw = reproject(read_ogr(str(path)), "EPSG:2154")
    assert raw.crs == "EPSG:2154"
    clean, report = validate("events", raw)
    assert report.taken == 2
    assert str(clean["start"][0]) == "2024-06-21 20:00:00+02:00"
    assert str(clean["end"][0]) == "2024-06-21 23:30:00+02:00"
    x, y = clean["geometry"][1].coords[0]
    assert 890_000 < x < 895_000 and 6_240_000 < y < 6_250_000  # Marseille in Lambert-93


def test_csv_with_wkt(tmp_path):
    path = tmp_path / "faits.csv"
    path.write_text(
        "WKT,category,occurred_at\n"
        '"POINT (892400 6247000)",vol,2024-05-01 10:00\n'
        '"POINT (892401 6247001)",nuisance,01/05/2024 23:15\n'
    )
    raw = read_ogr(str(path), points_as_xy=False)
    raw.crs = "EPSG:2154"  # a CSV has no CRS of its own: the import dialog sets it
    clean, report = validate("facts", raw)
    assert report.taken == 2
    assert str(clean["occurred_at"][1]) == "2024-05-01 23:15:00+02:00"


def test_unknown_layer_and_file_messages(tmp_path):
    path = write_gpkg(tmp_path / "f.gpkg")
    with pytest.raises(LayerReadError, match="has no layer 'evenements' \\(layers: facts\\)"):
        read_ogr(path, "evenements")
    with pytest.raises(LayerReadError, match="does not exist"):
        read_ogr(str(tmp_path / "absent.gpkg"))


def test_points_from_wkb_mixed_empty_and_big_endian():
    import shapely

    wkb = [shapely.to_wkb(shapely.Point(1, 2)), shapely.to_wkb(shapely.Point(3, 4), byte_order=0)]
    arr = np.array(wkb, dtype="V21")
    np.testing.assert_array_equal(points_from_wkb(arr), [[1, 2], [3, 4]])


def test_qgis_memory_layer_reads_like_a_file(qgis_app, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QDateTime, Qt

    from tranquillite_plugin.store.qgis_layers import read_layer

    mem = QgsVectorLayer("Point?crs=EPSG:4326&field=category:string&field=occurred_at:datetime&field=count:integer", "faits", "memory")
    feats = []
    for i, (lon, lat, cat, when) in enumerate(
        [(5.37, 43.29, "vol", QDateTime(2024, 5, 1, 8, 0, 0, 0, Qt.TimeSpec.UTC)), (5.38, 43.30, "violence", QDateTime(2024, 5, 1, 12, 0, 0))]
    ):
        f = QgsFeature(mem.fields())
        f.setAttributes([cat, when, None if i else 3])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lon, lat)))
        feats.append(f)
    mem.dataProvider().addFeatures(feats)
    raw = read_layer(mem, "EPSG:2154", points_as_xy=True)
    clean, report = validate("facts", raw)
    assert report.taken == 2 and raw.crs == "EPSG:2154"
    assert str(clean["occurred_at"][0]) == "2024-05-01 10:00:00+02:00"  # UTC converted
    assert str(clean["occurred_at"][1]) == "2024-05-01 12:00:00+02:00"  # local kept
    assert clean["count"].tolist() == [3, 1]
    assert 890_000 < clean["x"][0] < 895_000

    gpkg = write_gpkg(tmp_path / "f.gpkg")
    layer = QgsVectorLayer(f"{gpkg}|layername=facts", "f", "ogr")
    layer.setSubsetString("\"category\" = 'secours'")
    raw = read_layer(layer, "EPSG:2154", points_as_xy=True)
    assert raw.fids.tolist() == [3] and pd.isna(raw.attributes["count"][0])
