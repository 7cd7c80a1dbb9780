"""tranquillite:scoreevents through Processing, on file layers and on a memory layer."""

import json
import os

import numpy as np
import shapely
from osgeo import ogr, osr

from tranquillite_plugin.core.contract import validate
from tranquillite_plugin.core.score import ScoreSettings, score_events


def write_layer(path, name, geom_type, fields, rows):
    """A layer of a test GeoPackage (EPSG:2154), one feature per (WKT, values) row."""
    # an existing file is opened, a new one created: with GDAL's exceptions on (as another plugin may set
    # them), ogr.Open of an absent file raises instead of returning None
    driver = ogr.GetDriverByName("GPKG")
    ds = driver.Open(str(path), 1) if os.path.exists(str(path)) else driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    lyr = ds.CreateLayer(name, srs, geom_type)
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    lyr.StartTransaction()
    for wkt, values in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for (fname, _), v in zip(fields, values):
            if v is not None:
                f.SetField(fname, v)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    lyr.CommitTransaction()
    ds = None


def city(tmp_path, n_events=30, n_facts=3000, seed=3):
    rng = np.random.default_rng(seed)
    path = tmp_path / "city.gpkg"
    ev_rows = []
    for i in range(n_events):
        x, y = rng.uniform(0, 3000, 2)
        kind = i % 3
        wkt = (
            f"POINT ({x} {y})" if kind == 0
            else f"LINESTRING ({x} {y}, {x + 400} {y + 50}, {x + 500} {y + 400})" if kind == 1
            else shapely.box(x, y, x + 200, y + 150).wkt
        )
        day = int(rng.integers(1, 28))
        ev_rows.append((wkt, [f"E{i}", "manifestation", 100 * i, f"2024-05-{day:02d} 14:00:00", f"2024-05-{day:02d} 18:00:00"]))
    # one event breaking the contract: end before start
    ev_rows.append(("POINT (10 10)", ["BAD", "concert", 5, "2024-05-02 14:00:00", "2024-05-02 10:00:00"]))
    write_layer(
        path, "events", ogr.wkbUnknown,
        [("event_id", ogr.OFTString), ("nature", ogr.OFTString), ("participants", ogr.OFTInteger),
         ("start", ogr.OFTString), ("end", ogr.OFTString)],
        ev_rows,
    )
    cats = ["violence", "vol", "nuisance", "secours", "verbalisation", "inconnu"]
    fact_rows = []
    for _ in range(n_facts):
        x, y = rng.uniform(-300, 3300, 2).round()
        day, hour, minute = int(rng.integers(1, 29)), int(rng.integers(0, 24)), int(rng.integers(0, 60))
        fact_rows.append((f"POINT ({x} {y})", [str(rng.choice(cats)), f"2024-05-{day:02d} {hour:02d}:{minute:02d}:00", int(rng.integers(1, 3))]))
    write_layer(path, "facts", ogr.wkbPoint, [("category", ogr.OFTString), ("occurred_at", ogr.OFTString), ("count", ogr.OFTInteger)], fact_rows)
    return path


def read_clean(path, name, kind, xy=False):
    from tranquillite_plugin.store.layer_reader import read_ogr

    return validate(kind, read_ogr(str(path), name, points_as_xy=xy))[0]


def test_scoreevents_on_geopackage_matches_core(tranquillite_provider, tmp_path):
    import processing
    from qgis.core import NULL, QgsVectorLayer

    path = city(tmp_path)
    out = str(tmp_path / "scored.gpkg")
    result = processing.run(
        "tranquillite:scoreevents",
        {"EVENTS": f"{path}|layername=events", "FACTS": f"{path}|layername=facts", "RADIUS": 250, "BEFORE_H": 1,
         "AFTER_H": 3, "WEIGHTS": "violence=5", "OUTPUT": out},
    )
    assert result["N_REFUSED"] == 1
    layer = QgsVectorLayer(result["OUTPUT"], "scored", "ogr")
    got = {f["event_id"]: f for f in layer.getFeatures()}
    assert len(got) == 31  # the refused event is kept, with a note
    assert got["BAD"]["score"] == NULL and got["BAD"]["n_facts"] == NULL
    assert "before start" in got["BAD"]["score_note"]

    settings = ScoreSettings(radius_m=250, before_h=1, after_h=3, weights={"violence": 5})
    events = read_clean(path, "events", "events")
    facts = read_clean(path, "facts", "facts", xy=True)
    expected = score_events(events, facts, settings)
    for i, eid in enumerate(events["event_id"]):
        assert got[eid]["score"] == expected.score[i]
        assert got[eid]["n_facts"] == expected.n_facts[i]
        detail = json.loads(got[eid]["score_detail"])
        assert abs(sum(detail.values()) - expected.score[i]) <= 1e-9 * max(1.0, expected.score[i])
    assert sum(1 for eid in events["event_id"] if got[eid]["score"] > 0) > 10


def test_scoreevents_on_memory_layers(tranquillite_provider, tmp_path):
    """Layers of a non-file provider go through getFeatures and give the same scores."""
    import processing
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    path = city(tmp_path, n_events=9, n_facts=600)
    events_file = QgsVectorLayer(f"{path}|layername=events", "ev", "ogr")
    facts_file = QgsVectorLayer(f"{path}|layername=facts", "fa", "ogr")
    events_mem = events_file.materialize(QgsFeatureRequest())
    facts_mem = facts_file.materialize(QgsFeatureRequest())
    assert events_mem.providerType() == "memory"
    mem = processing.run("tranquillite:scoreevents", {"EVENTS": events_mem, "FACTS": facts_mem, "OUTPUT": "memory:"})["OUTPUT"]
    fil = processing.run("tranquillite:scoreevents", {"EVENTS": events_file, "FACTS": facts_file, "OUTPUT": "memory:"})["OUTPUT"]
    a = {f["event_id"]: f["score"] for f in mem.getFeatures()}
    b = {f["event_id"]: f["score"] for f in fil.getFeatures()}
    assert a == b and any(v for v in a.values() if v)


def test_scoreevents_refuses_a_layer_missing_a_field(tranquillite_provider, tmp_path):
    import processing
    import pytest
    from qgis.core import QgsProcessingException

    path = tmp_path / "bad.gpkg"
    write_layer(path, "facts", ogr.wkbPoint, [("type", ogr.OFTString), ("occurred_at", ogr.OFTString)], [("POINT (0 0)", ["vol", "2024-05-01 10:00"])])
    write_layer(path, "events", ogr.wkbPoint, [("event_id", ogr.OFTString)], [("POINT (0 0)", ["E"])])
    with pytest.raises(QgsProcessingException, match="layer 'facts' \\(facts\\) has no field 'category'"):
        processing.run("tranquillite:scoreevents", {"EVENTS": f"{path}|layername=events", "FACTS": f"{path}|layername=facts", "OUTPUT": "memory:"})
