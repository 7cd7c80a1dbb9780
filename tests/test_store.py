"""The observatory store, the same suite on both backends (GeoPackage and PostGIS)."""

import sqlite3

import conftest_store
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest_store import raw_sql, synthetic_facts

from tranquillite_plugin.core.axes import assign_sectors
from tranquillite_plugin.core.contract import ContractError, RawLayer
from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.store.backend import StoreError, parse_target
from tranquillite_plugin.store.observatory import Observatory, parse_field_map
from tranquillite_plugin.store.schema import SCHEMA_VERSION

# the store fixtures: every test below runs on a GeoPackage and on a PostGIS schema
pg_target = conftest_store.pg_target
store_target = conftest_store.store_target


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=80, n_facts=4000, years=1, seed=5)


def fill(obs, city):
    for name, (kind, frame) in city.layers().items():
        report = obs.import_layer("planned" if name == "planned" else kind, frame)
        assert report.refused == 0 and report.taken == len(frame), report.summary()


def same_times(a, b):
    return (pd.Series(a).reset_index(drop=True) == pd.Series(b).reset_index(drop=True)).all()


def test_round_trip_of_every_layer(store_target, city):
    with Observatory.create(store_target) as obs:
        fill(obs, city)
        assert obs.counts() == {
            "facts": len(city.facts), "events": len(city.events) + len(city.planned), "sectors": len(city.sectors),
            "axes": len(city.axes), "cameras": len(city.cameras), "planned": len(city.planned),
        }
    with Observatory.open(store_target) as obs:
        facts = obs.read("facts")
        ref = city.facts
        assert np.array_equal(facts["x"].to_numpy(), ref["x"].to_numpy())
        assert np.array_equal(facts["y"].to_numpy(), ref["y"].to_numpy())
        assert list(facts["category"]) == list(ref["category"])
        assert np.array_equal(facts["count"].to_numpy(), ref["count"].to_numpy())
        assert list(facts["source"]) == list(ref["source"])
        assert same_times(facts["occurred_at"], ref["occurred_at"])
        assert str(facts["occurred_at"].dtype) == "datetime64[us, Europe/Paris]"

        past = obs.read("events", status="past")
        ref = city.events
        assert list(past["event_id"]) == list(ref["event_id"])
        assert shapely.equals_exact(past["geometry"].to_numpy(), ref["geometry"].to_numpy(), 0).all()
        assert list(past["nature"]) == list(ref["nature"])
        # events without a sector get the sector of their footprint's centroid (SPEC §2)
        assert (ref["sector"] == "").any()
        assert list(past["sector"]) == list(assign_sectors(ref, city.sectors)["sector"])
        assert (past["sector"] != "").all()
        assert np.array_equal(past["participants"].to_numpy(), ref["participants"].to_numpy())
        assert same_times(past["start"], ref["start"]) and same_times(past["end"], ref["end"])
        assert set(past["status"]) == {"past"}

        planned = obs.read("planned")
        assert list(planned["event_id"]) == list(city.planned["event_id"])
        assert set(planned["status"]) == {"planned"}
        assert shapely.equals_exact(planned["geometry"].to_numpy(), city.planned["geometry"].to_numpy(), 0).all()

        sectors = obs.read("sectors")
        assert list(sectors["sector_id"]) == list(city.sectors["sector_id"])
        assert list(sectors["name"]) == list(city.sectors["name"])
        # single polygons are stored as multipolygons: same shape
        assert shapely.equals(sectors["geometry"].to_numpy(), city.sectors["geometry"].to_numpy()).all()
        assert set(shapely.get_type_id(sectors["geometry"].to_numpy())) == {6}

        axes = obs.read("axes")
        assert list(axes["axis_id"]) == list(city.axes["axis_id"])
        assert list(axes["status"]) == list(city.axes["status"])
        assert shapely.equals(axes["geometry"].to_numpy(), city.axes["geometry"].to_numpy()).all()
        assert same_times(axes["updated_at"], city.axes["updated_at"])

        cams = obs.read("cameras")
        ref = city.cameras
        assert list(cams["camera_id"]) == list(ref["camera_id"])
        for col in ("x", "y", "radius_m", "bearing_deg", "fov_deg"):
            assert np.allclose(cams[col].to_numpy(float), ref[col].to_numpy(float), rtol=0, atol=0, equal_nan=True), col
        assert obs.schema_version == SCHEMA_VERSION
        assert obs.verify_audit().ok


def test_datetimes_keep_milliseconds_and_offsets(store_target):
    frame = synthetic_facts(5)
    frame["occurred_at"] = pd.to_datetime(
        ["2024-03-31 01:59:59.123", "2024-03-31 03:00:00.000", "2024-10-27 02:30:00.000", "2024-10-27 02:30:00.000", "1999-12-31 23:59:59.999"]
    ).tz_localize("Europe/Paris", ambiguous=np.array([True, True, True, False, True]))
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", frame)
        back = obs.read("facts")
    assert same_times(back["occurred_at"], frame["occurred_at"])


def test_append_refuses_known_ids_and_replace_replaces(store_target, city):
    with Observatory.create(store_target) as obs:
        obs.import_layer("events", city.events.iloc[:50])
        report = obs.import_layer("events", city.events.iloc[40:60])
        assert (report.taken, report.refused) == (10, 10)
        assert all("already in the store" in p.message for p in report.refusals())
        assert obs.count("events") == 60
        # replacing the planned events leaves the past ones alone
        obs.import_layer("planned", city.planned)
        obs.import_layer("planned", city.planned.iloc[:2], mode="replace")
        assert obs.count("events", "planned") == 2 and obs.count("events", "past") == 60
        report = obs.import_layer("events", city.events.iloc[:5], mode="replace", status="past")
        assert report.taken == 5 and obs.count("events") == 7
        facts = synthetic_facts(300)
        obs.import_layer("facts", facts)
        obs.import_layer("facts", facts)  # facts have no id: appended twice
        assert obs.count("facts") == 600
        obs.import_layer("facts", facts.iloc[:10], mode="replace")
        assert obs.count("facts") == 10


def test_replace_on_a_fresh_connection_replaces(store_target, city):
    """Reads the backend makes inside an import (e.g. the table's SRID) never end its transaction."""
    with Observatory.create(store_target) as obs:
        obs.import_layer("sectors", city.sectors)
        obs.import_layer("facts", synthetic_facts(100))
    with Observatory.open(store_target) as obs:  # nothing cached on this connection yet
        obs.import_layer("facts", synthetic_facts(7, seed=3), mode="replace")
        assert obs.count("facts") == 7
    with Observatory.open(store_target) as obs:
        obs.import_layer("sectors", city.sectors.iloc[:2], mode="replace")
        assert obs.count("sectors") == 2
        assert [r.summary for r in obs.audit_rows()][-1].count('"deleted":16') == 1


def test_cancel_mid_import_leaves_the_store_as_it_was(store_target):
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", synthetic_facts(1000, seed=1))
        before = obs.read("facts")
        audit_before = len(obs.audit_rows())
        calls = []

        def progress(p):
            calls.append(p)

        def is_cancelled():
            # a user pressing Cancel after the first batch of rows went in
            return any(p > 30 for p in calls)

        with pytest.raises(Cancelled):
            obs.import_layer("facts", synthetic_facts(250_000, seed=2), progress=progress, is_cancelled=is_cancelled)
        assert any(30 < p < 100 for p in calls)  # rows had been written when it stopped
        assert obs.count("facts") == 1000
        after = obs.read("facts")
        assert np.array_equal(after["x"].to_numpy(), before["x"].to_numpy())
        assert len(obs.audit_rows()) == audit_before and obs.verify_audit().ok
        if obs.backend_name == "gpkg":
            assert obs.backend.integrity() == "ok"
            assert raw_sql(obs, "SELECT count(*) FROM rtree_facts_geom")[0][0] == 1000
        else:  # the bulk path had dropped the indexes inside the transaction: they are back
            assert pg_indexes(obs, "facts") == {"facts_pkey", "facts_geom_gist", "facts_occurred_at_idx"}
        # the store still works
        obs.import_layer("facts", synthetic_facts(10, seed=3))
        assert obs.count("facts") == 1010


def pg_indexes(obs, table):
    return {r[0] for r in raw_sql(obs, "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?", (obs.pg_schema, table))}


def test_bulk_import_keeps_every_index(store_target):
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", synthetic_facts(120_000, seed=6))
        obs.import_layer("facts", synthetic_facts(30_000, seed=7))  # below the bulk threshold
        assert obs.count("facts") == 150_000
        if obs.backend_name == "postgis":
            assert pg_indexes(obs, "facts") == {"facts_pkey", "facts_geom_gist", "facts_occurred_at_idx"}
            query = "EXPLAIN SELECT count(*) FROM {facts} WHERE geom && ST_MakeEnvelope(892000, 6247000, 892100, 6247100, 2154)"
            plan = "\n".join(r[0] for r in raw_sql(obs, query))
            assert "facts_geom_gist" in plan
            n = raw_sql(obs, "SELECT count(*) FROM {facts} WHERE ST_Intersects(geom, ST_MakeEnvelope(892000, 6247000, 893000, 6248000, 2154))")[0][0]
        else:
            from osgeo import ogr

            ds = ogr.Open(obs.path)  # keep the dataset alive while its layer is used
            lyr = ds.GetLayerByName("facts")
            lyr.SetSpatialFilterRect(892000, 6247000, 893000, 6248000)
            n = sum(1 for _ in lyr)
        facts = obs.read("facts")
        inside = ((facts.x >= 892000) & (facts.x <= 893000) & (facts.y >= 6247000) & (facts.y <= 6248000)).sum()
        assert n == inside > 1000


def test_failed_import_rolls_back(store_target, city):
    with Observatory.create(store_target) as obs:
        fill(obs, city)
        counts = obs.counts()

        def boom(p):
            if p > 30:
                raise RuntimeError("disk full")

        with pytest.raises(RuntimeError, match="disk full"):
            obs.import_layer("facts", synthetic_facts(150_000), progress=boom)
        with pytest.raises(RuntimeError, match="disk full"):
            obs.import_layer("sectors", city.sectors, mode="replace", progress=boom)
        assert obs.counts() == counts
        assert list(obs.read("sectors")["sector_id"]) == list(city.sectors["sector_id"])


def test_gpkg_spatial_index_after_bulk_and_small_imports(tmp_path):
    """The packed R-tree (large imports) and row-by-row entries (small ones) both answer queries."""
    from osgeo import ogr

    path = str(tmp_path / "obs.gpkg")
    facts = synthetic_facts(120_000, seed=4)
    with Observatory.create(path) as obs:
        obs.import_layer("facts", facts)  # packed
        obs.import_layer("facts", synthetic_facts(500, seed=5))  # incremental
        assert raw_sql(obs, "SELECT rtreecheck('rtree_facts_geom')")[0][0] == "ok"
        assert obs.backend.integrity() == "ok"
        allf = obs.read("facts")
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName("facts")
    box = (892_000.0, 6_247_000.0, 893_500.0, 6_248_000.0)
    lyr.SetSpatialFilterRect(*box)
    got = sorted(f.GetFID() for f in lyr)
    inside = (allf.x >= box[0]) & (allf.x <= box[2]) & (allf.y >= box[1]) & (allf.y <= box[3])
    assert got == sorted(allf.loc[inside, "fid"].tolist()) and len(got) > 100
    # every stored point is found by a query on its own position (the index holds every row)
    conn = sqlite3.connect(path)
    try:
        n = conn.execute(
            "SELECT count(*) FROM facts f WHERE EXISTS (SELECT 1 FROM rtree_facts_geom r WHERE r.id = f.fid "
            "AND r.minx <= ? AND r.maxx >= ?)", (1e9, -1e9)
        ).fetchone()[0]
    finally:
        conn.close()
    assert n == len(allf) == 120_500
    assert lyr.TestCapability("FastSpatialFilter")


def test_contract_errors_and_field_map(store_target, city):
    with Observatory.create(store_target) as obs:
        renamed = city.facts.rename(columns={"category": "type_fait", "occurred_at": "date"})
        with pytest.raises(ContractError, match="has no field 'category'"):
            obs.import_layer("facts", renamed)
        assert obs.count("facts") == 0
        report = obs.import_layer("facts", renamed, field_map=parse_field_map("category=type_fait, occurred_at=date"))
        assert report.taken == len(city.facts)
        bad = city.events.iloc[:4].copy()
        bad.loc[1, "end"] = bad.loc[1, "start"] - pd.Timedelta(hours=1)
        bad.loc[2, "participants"] = -3
        report = obs.import_layer("events", bad)
        assert (report.taken, report.refused) == (2, 2)
        assert obs.count("events") == 2
        assert {p.field for p in report.refusals()} == {"end", "participants"}


def test_personal_fields_are_refused_unless_dropped(store_target):
    from tranquillite_plugin.core.privacy import PersonalDataError

    facts = synthetic_facts(60)
    facts["telephone"] = [f"06 12 34 {i:02d} {i:02d}" for i in range(60)]
    facts["remarque"] = [f"contact marie.dupont{i}@example.fr" for i in range(60)]
    with Observatory.create(store_target) as obs:
        with pytest.raises(PersonalDataError):
            obs.import_layer("facts", facts)
        with pytest.raises(PersonalDataError):
            obs.import_layer("facts", facts, drop_fields=["telephone"])
        assert obs.count("facts") == 0
        report = obs.import_layer("facts", facts, drop_fields=["Telephone", "remarque"])
        assert report.taken == 60 and sorted(report.dropped_fields) == ["remarque", "telephone"]
        with pytest.raises(ContractError, match="no field 'nope' to drop"):
            obs.import_layer("facts", facts, drop_fields=["nope"])
        row = obs.audit_rows()[-1]
        assert sorted(row.as_dict()["parameters"]["DROP_FIELDS"]) == ["Telephone", "remarque"]


def test_write_scores_is_all_or_nothing(store_target, city):
    with Observatory.create(store_target) as obs:
        fill(obs, city)
        ids = city.events["event_id"].iloc[:10].tolist()
        scores = pd.DataFrame({"event_id": ids, "score": np.arange(10) * 1.5, "n_facts": np.arange(10), "score_detail": [{"vol": 1.5 * i} for i in range(10)]})
        n_audit = len(obs.audit_rows())
        assert obs.write_scores(scores, parameters={"RADIUS": 300}) == 10
        ev = obs.read("events").set_index("event_id")
        assert ev.loc[ids, "score"].tolist() == list(np.arange(10) * 1.5)
        assert ev.loc[ids[3], "score_detail"] == '{"vol": 4.5}'
        assert ev.loc[ids, "scored_at"].notna().all() and ev["score"].isna().sum() == len(ev) - 10
        rows = obs.audit_rows()
        # PostGIS: the server also audits the change of the events' rows (one 'edit' row per statement)
        edits = 1 if obs.backend_name == "postgis" else 0
        assert len(rows) == n_audit + 1 + edits and rows[-1].algorithm == "scoreevents" and rows[-1].n_features == 10
        if edits:
            edit = rows[-2].as_dict()
            assert edit["algorithm"] == "edit" and edit["parameters"] == {"table": "events", "operation": "UPDATE"}
            assert edit["n_features"] == 10 and {c["key"] for c in edit["summary"]["changes"]} == set(ids)
        bad = pd.DataFrame({"event_id": [ids[0], "NOPE"], "score": [99.0, 1.0]})
        with pytest.raises(StoreError, match="NOPE"):
            obs.write_scores(bad)
        assert obs.read("events").set_index("event_id").loc[ids[0], "score"] == 0.0
        assert len(obs.audit_rows()) == n_audit + 1 + edits
        planned = pd.DataFrame({"event_id": ["P001"], "predicted": [12.5], "predicted_low": [3.0], "predicted_high": [40.0], "model_fingerprint": ["abc"]})
        obs.write_scores(planned, algorithm="predict")
        p = obs.read("planned").set_index("event_id").loc["P001"]
        assert (p["predicted"], p["predicted_low"], p["predicted_high"], p["model_fingerprint"]) == (12.5, 3.0, 40.0, "abc")
        assert obs.verify_audit().ok


def test_rows_edited_into_nonsense_are_reported_on_read(store_target, city):
    with Observatory.create(store_target) as obs:
        obs.import_layer("axes", city.axes)
        raw_sql(obs, "UPDATE {axes} SET status = 'bouchon' WHERE axis_id = ?", (city.axes["axis_id"].iloc[0],))
        axes, report = obs.read("axes", with_report=True)
        assert len(axes) == len(city.axes) - 1 and report.refused == 1
        assert "unknown status 'bouchon'" in report.refusals()[0].message


def test_settings_and_model_state(store_target):
    from tranquillite_plugin.core.model_io import ModelFileError

    with Observatory.create(store_target) as obs:
        obs.set_setting("radius_m", 250.0)
        obs.set_setting("weights", {"violence": 4, "vol": 2.5})
        obs.set_setting("radius_m", 300.0)
        assert obs.settings() == {"radius_m": 300.0, "weights": {"violence": 4, "vol": 2.5}}
        assert obs.get_setting("missing", "x") == "x"
        blob = bytes(range(256)) * 100 + b"\x00\x00"
        fp = obs.save_model(blob, name="m1")
        assert obs.load_model_bytes("m1") == blob
        assert obs.model_info("m1")["fingerprint"] == fp and obs.model_info("m1")["n_bytes"] == len(blob)
        assert obs.load_model_bytes("other") is None
        with pytest.raises(ModelFileError):  # checked loader: arbitrary bytes are refused, never executed
            obs.load_model("m1")
        with pytest.raises(StoreError, match="no model"):
            obs.load_model("other")


def test_upgrade_from_schema_version_1(store_target, city):
    with Observatory.create(store_target, schema_version=1) as obs:
        assert obs.schema_version == 1
        obs.import_layer("events", city.events.iloc[:20])
        assert "predicted" not in obs.backend.column_names("events")
    with Observatory.open(store_target, upgrade=False) as obs:
        assert obs.schema_version == 1
    with Observatory.open(store_target) as obs:
        assert obs.schema_version == SCHEMA_VERSION
        assert {"predicted", "predicted_low", "predicted_high"} <= set(obs.backend.column_names("events"))
        assert list(obs.read("events")["event_id"]) == list(city.events["event_id"].iloc[:20])
        assert obs.audit_rows()[-1].algorithm == "upgradestore"
        assert obs.verify_audit().ok
        obs.write_scores(pd.DataFrame({"event_id": ["E00001"], "predicted": [3.0]}), algorithm="predict")
    with Observatory.open(store_target) as obs:  # opening again changes nothing
        assert obs.schema_version == SCHEMA_VERSION and obs.audit_rows()[-1].algorithm == "predict"


def test_create_open_and_targets(store_target, tmp_path):
    assert not Observatory.is_store(store_target)
    with pytest.raises(StoreError, match="(does not exist|not an observatory store)"):
        Observatory.open(store_target)
    Observatory.create(store_target).close()
    assert Observatory.is_store(store_target)
    with pytest.raises(StoreError, match="already"):
        Observatory.create(store_target)
    with Observatory.open_or_create(store_target) as obs:
        assert obs.crs == "EPSG:2154"
        assert obs.audit_rows()[0].algorithm == "createstore"
    other = tmp_path / "plain.gpkg"
    other.write_bytes(b"")
    with pytest.raises(StoreError):
        Observatory.create(str(other))


def test_target_parsing():
    t = parse_target("postgresql://obs:secret@srv:5433/ville?schema=marseille&sslmode=require")
    assert (t.backend, t.schema) == ("postgis", "marseille")
    assert "schema" not in t.conninfo and "sslmode=require" in t.conninfo
    assert "secret" not in t.display() and "schema=marseille" in t.display()
    t = parse_target("PG:dbname='ville' host=srv user=obs password=secret active_schema=obs2")
    assert (t.schema, t.conninfo) == ("obs2", "dbname='ville' host=srv user=obs password=secret")
    assert "secret" not in t.display()
    assert parse_target("service=observatoire").schema == "tranquillite"
    assert parse_target("/data/obs.gpkg").path == "/data/obs.gpkg"
    assert parse_target("/data/obs.gpkg|layername=facts").path == "/data/obs.gpkg"
    with pytest.raises(StoreError):
        parse_target("/data/obs.shp")
    with pytest.raises(StoreError):
        parse_target("service=x schema=bad-name;drop")


def test_import_from_a_raw_layer_in_another_crs(store_target):
    pts = np.array([[5.3698, 43.2965], [5.40, 43.30]])
    raw = RawLayer(
        "wgs84 cameras",
        pd.DataFrame({"camera_id": ["C1", "C2"], "radius_m": [80, 120.5]}),
        np.array([1, 2]),
        xy=pts,
        crs="EPSG:4326",
    )
    with Observatory.create(store_target) as obs:
        obs.import_layer("cameras", raw)
        cams = obs.read("cameras")
    assert 890_000 < cams["x"].iloc[0] < 895_000 and 6_245_000 < cams["y"].iloc[0] < 6_250_000
    assert cams["radius_m"].tolist() == [80.0, 120.5]


@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_postgresql_fails_in_ci_and_skips_elsewhere(monkeypatch, ci, outcome):
    import pg_server

    monkeypatch.setattr(pg_server, "BINDIR", "/nonexistent/postgresql/bin")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match=f"postgresql-{pg_server.PG_VERSION}-postgis-3"):
        conftest_store.start_pg_server()
