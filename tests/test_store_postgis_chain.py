"""importlayer -> scoreevents -> trainmodel -> predictevents on a PostGIS store, as on a GeoPackage one.

The events layer importlayer returns on PostGIS holds points, itineraries and
areas at once (``type=GeometryCollection``): QGIS leaves such a layer without
a CRS and counts 0 features; the algorithms take the provider's CRS and count
what they read.
"""

import conftest_store
import pytest
from osgeo import ogr

from tranquillite_plugin.core.democity import make_demo_city

pg_target = conftest_store.pg_target


@pytest.fixture(scope="module")
def city_file(tmp_path_factory):
    from tranquillite_plugin.store.ogr_io import write_layers

    folder = tmp_path_factory.mktemp("chain")
    city = make_demo_city(n_events=200, n_facts=12_000, years=2, seed=5)
    gpkg = str(folder / "city.gpkg")
    write_layers(gpkg, {"events": ("events", city.events), "facts": ("facts", city.facts),
                        "sectors": ("sectors", city.sectors), "planned": ("events", city.planned)})
    return folder, gpkg, city


def _chain(store, gpkg, folder, tag):
    import processing

    processing.run("tranquillite:createstore", {"STORE": store})
    out = {}
    for name, kind, planned in (("events", 1, False), ("facts", 0, False), ("sectors", 2, False), ("planned", 1, True)):
        res = processing.run("tranquillite:importlayer", {"INPUT": f"{gpkg}|layername={name}", "KIND": kind,
                                                          "STORE": store, "PLANNED": planned})
        out[name] = res["OUTPUT"]
    scored = str(folder / f"scored_{tag}.gpkg")
    s = processing.run("tranquillite:scoreevents", {"EVENTS": out["events"], "FACTS": out["facts"], "OUTPUT": scored})
    model = str(folder / f"model_{tag}.tqm")
    t = processing.run("tranquillite:trainmodel", {"EVENTS": scored, "SECTORS": out["sectors"], "N_TREES": 20,
                                                   "MIN_LEAF": 5, "SEED": 0, "OUTPUT_MODEL": model})
    predicted = str(folder / f"predicted_{tag}.gpkg")
    p = processing.run("tranquillite:predictevents", {"MODEL": model, "PLANNED": out["planned"], "K": 10, "OUTPUT": predicted})
    ds = ogr.Open(scored)  # kept open while its layer is read
    scores = {f["event_id"]: f["score"] for f in ds.GetLayer(0)}
    ds = ogr.Open(predicted)
    predictions = {f["event_id"]: round(f["predicted"], 9) for f in ds.GetLayer(0)}
    ds = None
    return out, s, t, p, scores, predictions


def test_the_postgis_events_source_opens_with_features_and_crs(tranquillite_provider, pg_target, city_file):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingUtils, QgsProject

    from tranquillite_plugin.store.qgis_layers import with_provider_crs

    folder, gpkg, city = city_file
    processing.run("tranquillite:createstore", {"STORE": pg_target})
    res = processing.run("tranquillite:importlayer", {"INPUT": f"{gpkg}|layername=events", "KIND": 1, "STORE": pg_target})
    assert res["OUTPUT"].startswith("postgres://") and "password" not in res["OUTPUT"]
    ctx = QgsProcessingContext()
    ctx.setProject(QgsProject.instance())
    layer = with_provider_crs(QgsProcessingUtils.mapLayerFromString(res["OUTPUT"], ctx))
    assert layer.isValid() and layer.crs().authid() == "EPSG:2154"
    kinds = {f.geometry().type() for f in layer.getFeatures()}
    assert sum(1 for _ in layer.getFeatures()) == len(city.events) and len(kinds) == 3  # points, lines, polygons


def test_full_chain_on_postgis_matches_the_geopackage(tranquillite_provider, pg_target, city_file):
    folder, gpkg, city = city_file
    pg = _chain(pg_target, gpkg, folder, "pg")
    gp = _chain(str(folder / "store.gpkg"), gpkg, folder, "gpkg")
    _, s, t, p, scores, predictions = pg
    assert s["N_SCORED"] == len(city.events) and s["N_REFUSED"] == 0
    assert p["N_PREDICTED"] == len(city.planned)
    assert scores == pytest.approx(gp[4], rel=1e-12) and sum(v > 0 for v in scores.values()) > 50
    assert predictions == gp[5] and len(predictions) == len(city.planned)
    from tranquillite_plugin.store.observatory import Observatory

    with Observatory.open(pg_target) as obs:
        algorithms = [r.algorithm for r in obs.audit_rows()]
        assert algorithms[0] == "createstore" and algorithms.count("importlayer") == 4
        assert {"scoreevents", "predictevents"} <= set(algorithms)
        assert obs.verify_audit().ok
