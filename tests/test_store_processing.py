"""The store through Processing: createstore, importlayer, verifyaudit, and scoring on store layers."""

import conftest_store
import numpy as np
import pandas as pd
import pytest
from conftest_store import raw_sql
from osgeo import ogr, osr

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.score import ScoreSettings, score_events
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.schema import SCHEMA_VERSION

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=60, n_facts=6000, years=1, seed=11)


def write_facts_file(path, n=40, with_phone=True, category_field="type_fait"):
    """A facts GeoPackage as a city service would send it: other field names, a personal column."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    lyr = ds.CreateLayer("incidents", srs, ogr.wkbPoint)
    for name in (category_field, "date") + (("telephone_declarant",) if with_phone else ()):
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    rng = np.random.default_rng(1)
    for i in range(n):
        f = ogr.Feature(lyr.GetLayerDefn())
        f[category_field] = ["vol", "Violence", "nuisance"][i % 3]
        f["date"] = f"2024-06-{1 + i % 28:02d} 2{i % 4}:15:00" if i != 7 else "pas une date"
        if with_phone:
            f["telephone_declarant"] = f"06 {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)}"
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(5.37 + i * 1e-4, 43.29 + i * 1e-4)
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None
    return f"{path}|layername=incidents"


def test_createstore_creates_then_opens(tranquillite_provider, store_target):
    import processing

    first = processing.run("tranquillite:createstore", {"STORE": store_target, "CRS": "EPSG:2154"})
    assert first["CREATED"] is True and first["SCHEMA_VERSION"] == SCHEMA_VERSION
    again = processing.run("tranquillite:createstore", {"STORE": store_target})
    assert again["CREATED"] is False
    assert Observatory.is_store(store_target)


def test_importlayer_maps_drops_and_reports(tranquillite_provider, store_target, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    source = write_facts_file(tmp_path / "incidents.gpkg")
    processing.run("tranquillite:createstore", {"STORE": store_target})
    params = {"INPUT": source, "KIND": 0, "STORE": store_target, "FIELD_MAP": "category=type_fait, occurred_at=date"}
    with pytest.raises(QgsProcessingException, match="personal data.*telephone_declarant"):
        processing.run("tranquillite:importlayer", params)
    result = processing.run("tranquillite:importlayer", {**params, "DROP_FIELDS": "telephone_declarant"})
    assert (result["READ"], result["TAKEN"], result["REFUSED"]) == (40, 39, 1)
    assert result["REPAIRED"] >= 1  # 'Violence' read as 'violence'
    assert "fields dropped: telephone_declarant" in result["REPORT"]
    assert "cannot read 'pas une date'" in result["REPORT"]
    with Observatory.open(store_target) as obs:
        facts = obs.read("facts")
        assert len(facts) == 39 and set(facts["category"]) == {"vol", "violence", "nuisance"}
        assert 890_000 < facts["x"].min() < 900_000  # reprojected from WGS 84 into Lambert-93
        row = obs.audit_rows()[-1].as_dict()
        assert row["algorithm"] == "importlayer" and row["parameters"]["DROP_FIELDS"] == "telephone_declarant"
        assert row["summary"]["dropped_fields"] == ["telephone_declarant"] and row["summary"]["taken"] == 39
        assert "telephone" not in obs.backend.column_names("facts")[-1]
    # the output is a layer on the store
    from qgis.core import QgsProcessingUtils, QgsProject

    context = _context(QgsProject.instance())  # owns the layer it loads
    layer = QgsProcessingUtils.mapLayerFromString(result["OUTPUT"], context)
    assert layer is not None and layer.isValid() and sum(1 for _ in layer.getFeatures()) == 39


def _context(project):
    from qgis.core import QgsProcessingContext

    ctx = QgsProcessingContext()
    ctx.setProject(project)
    return ctx


def test_importlayer_fails_with_the_contract_report(tranquillite_provider, store_target, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    source = write_facts_file(tmp_path / "incidents.gpkg", with_phone=False, category_field="genre")
    processing.run("tranquillite:createstore", {"STORE": store_target})
    with pytest.raises(QgsProcessingException) as err:
        processing.run("tranquillite:importlayer", {"INPUT": source, "KIND": 0, "STORE": store_target, "FIELD_MAP": "occurred_at=date"})
    text = str(err.value)
    assert "breaks the data contract" in text and "has no field 'category'" in text and "40 read, 0 taken" in text
    with pytest.raises(QgsProcessingException, match="field 'nope' mapped onto 'category' does not exist"):
        processing.run("tranquillite:importlayer", {"INPUT": source, "KIND": 0, "STORE": store_target, "FIELD_MAP": "category=nope"})
    with pytest.raises(QgsProcessingException, match="not an observatory store|does not exist"):
        processing.run("tranquillite:importlayer", {"INPUT": source, "KIND": 0, "STORE": str(tmp_path / "none.gpkg")})
    with Observatory.open(store_target) as obs:
        assert obs.count("facts") == 0
        assert [r.algorithm for r in obs.audit_rows()] == ["createstore"]


def test_scoreevents_on_store_layers(tranquillite_provider, store_target, city, tmp_path):
    """Scoring reads the store's layers like any other (GeoPackage or PostGIS) and audits into the store."""
    import processing

    from tranquillite_plugin.store.qgis_store import store_layer

    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", city.facts)
        obs.import_layer("events", city.events)
        events_layer = store_layer(obs, "events")  # every event: points, itineraries, areas
        facts_layer = store_layer(obs, "facts")
        assert events_layer.isValid() and facts_layer.isValid()
        expected = score_events(obs.read("events"), obs.read("facts"), ScoreSettings(radius_m=250))
        stored_ids = list(obs.read("events")["event_id"])
        n_audit = len(obs.audit_rows())
    # a GeoPackage output keeps points, itineraries and areas together (a memory layer cannot)
    dest = str(tmp_path / "scored.gpkg")
    processing.run(
        "tranquillite:scoreevents", {"EVENTS": events_layer, "FACTS": facts_layer, "RADIUS": 250, "OUTPUT": dest}
    )
    ds = ogr.Open(dest)
    got = {f["event_id"]: f["score"] for f in ds.GetLayer(0)}
    assert len(got) == len(city.events)
    want = dict(zip(stored_ids, expected.score))
    assert got == pytest.approx(want, rel=1e-12, abs=0)
    assert sum(v > 0 for v in got.values()) > 20
    with Observatory.open(store_target) as obs:
        rows = obs.audit_rows()
        assert len(rows) == n_audit + 1
        row = rows[-1].as_dict()
        assert row["algorithm"] == "scoreevents" and row["parameters"]["RADIUS"] == 250
        assert [i["n_features"] for i in row["inputs"]] == [len(city.events), len(city.facts)]
        assert row["summary"]["scored"] == len(city.events)
        assert "password" not in str(row)
        assert obs.verify_audit().ok


def test_scoreevents_without_a_store_only_logs(tranquillite_provider, tmp_path, city):
    import processing

    from tranquillite_plugin.store.ogr_io import write_layers

    path = str(tmp_path / "plain.gpkg")
    write_layers(path, {"events": ("events", city.events.iloc[:10]), "facts": ("facts", city.facts.iloc[:500])})
    result = processing.run(
        "tranquillite:scoreevents", {"EVENTS": f"{path}|layername=events", "FACTS": f"{path}|layername=facts", "OUTPUT": "memory:"}
    )
    assert result["N_SCORED"] == 10
    assert not Observatory.is_store(path)


def test_verifyaudit(tranquillite_provider, store_target):
    import processing

    with Observatory.create(store_target) as obs:
        for i in range(4):
            obs.record("predict", {"i": i}, n_features=i)
    ok = processing.run("tranquillite:verifyaudit", {"STORE": store_target})
    assert ok["OK"] is True and ok["N_ROWS"] == 5 and len(ok["HEAD"]) == 64 and not ok["FIRST_BAD"]
    with Observatory.open(store_target) as obs:
        raw_sql(obs, "UPDATE {audit} SET n_features = 99 WHERE fid = 3")
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="BROKEN at row 3: its content was changed"):
        processing.run("tranquillite:verifyaudit", {"STORE": store_target})


def test_store_layers_in_qgis_and_the_project_store(qgis_app, store_target, city, tmp_path):
    from qgis.core import QgsProject

    from tranquillite_plugin.store.qgis_store import remember_store, remembered_store, store_layers, store_target_of_layer

    with Observatory.create(store_target) as obs:
        for name, (kind, frame) in city.layers().items():
            obs.import_layer("planned" if name == "planned" else kind, frame)
        layers = store_layers(obs)
        counts = {lyr.name(): sum(1 for _ in lyr.getFeatures()) for lyr in layers}
        assert counts["Facts"] == len(city.facts) and counts["Sectors"] == len(city.sectors)
        parts = [counts[f"Events ({p})"] for p in ("points", "itineraries", "areas")]
        assert sum(parts) == len(city.events) + len(city.planned) and min(parts) > 0
        assert all(lyr.isRefreshOnNotifyEnabled() == (obs.backend_name == "postgis") for lyr in layers)
        assert store_target_of_layer(layers[0]) is not None
        target = obs.target
    project = QgsProject()
    shown = remember_store(store_target, project)
    assert shown == target and remembered_store(project) == target
    path = tmp_path / "p.qgz"
    assert project.write(str(path))
    again = QgsProject()
    assert again.read(str(path)) and remembered_store(again, fallback_to_last=False) == target


def test_store_target_detection(qgis_app, tmp_path, city):
    from qgis.core import QgsVectorLayer

    from tranquillite_plugin.store.ogr_io import write_layers
    from tranquillite_plugin.store.qgis_store import store_target_of_layer

    plain = str(tmp_path / "plain.gpkg")
    write_layers(plain, {"facts": ("facts", city.facts.iloc[:5])})
    assert store_target_of_layer(QgsVectorLayer(f"{plain}|layername=facts", "f", "ogr")) is None
    store = str(tmp_path / "store.gpkg")
    with Observatory.create(store) as obs:
        obs.import_layer("facts", pd.DataFrame(city.facts.iloc[:5]))
    assert store_target_of_layer(QgsVectorLayer(f"{store}|layername=facts", "f", "ogr")) == store
