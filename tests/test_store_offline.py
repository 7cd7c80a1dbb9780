"""Offline copy of a shared PostGIS store, work offline, push back: round trip, conflicts, second run."""

import conftest_store
import pandas as pd
import pytest
from conftest_store import raw_sql

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.store.observatory import Observatory

pg_target = conftest_store.pg_target


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=40, n_facts=800, years=1, seed=9)


def test_export_work_offline_and_sync_back(tranquillite_provider, pg_target, city, tmp_path):
    import processing

    with Observatory.create(pg_target) as shared:
        for kind in ("facts", "sectors", "axes", "cameras", "events"):
            shared.import_layer(kind, getattr(city, kind))
        shared.import_layer("planned", city.planned)
        shared.write_scores(pd.DataFrame({"event_id": city.events["event_id"].iloc[:5], "score": [1.0, 2.0, 3.0, 4.0, 5.0]}))
        shared.set_setting("radius_m", 275)
        shared.save_model(b"model bytes", fingerprint="fp-1")
        n_shared = len(shared.audit_rows())
    path = str(tmp_path / "prefecture.gpkg")
    out = processing.run("tranquillite:exportoffline", {"STORE": pg_target, "OUTPUT": path})
    assert out["N_AUDIT_ROWS"] == n_shared + 1
    open_axes = city.axes[city.axes["status"] != "ferme"]["axis_id"]
    axis_a, axis_b = open_axes.iloc[0], open_axes.iloc[1]
    with Observatory.open(path) as offline:
        assert offline.counts() == {"facts": len(city.facts), "events": len(city.events) + len(city.planned), "sectors": len(city.sectors),
                                    "axes": len(city.axes), "cameras": len(city.cameras), "planned": len(city.planned)}
        assert offline.get_setting("radius_m") == 275 and offline.load_model_bytes() == b"model bytes"
        assert offline.read("events", "past").set_index("event_id").loc[city.events["event_id"].iloc[2], "score"] == 3.0
        rows = offline.audit_rows()
        with Observatory.open(pg_target) as shared:
            assert [r.row_hash for r in rows[:n_shared]] == [r.row_hash for r in shared.audit_rows()[:n_shared]]
        assert rows[n_shared].algorithm == "exportoffline" and offline.verify_audit().ok
        # offline: a new planned event (audited), two axes closed, a computation recorded
        new = city.planned.iloc[:1].copy()
        new["event_id"] = "PREF-1"
        offline.import_layer("planned", new)
        raw_sql(offline, "UPDATE {axes} SET status = 'ferme' WHERE axis_id IN (?, ?)", (axis_a, axis_b))
        offline.record("predictevents", {"EVENT_ID": "PREF-1"}, n_features=1)
        assert offline.verify_audit().ok
    # meanwhile on the shared store, someone changes axis B
    with Observatory.open(pg_target) as shared:
        with shared.backend.transaction() as tx:
            tx.execute(f"UPDATE {shared.backend.qname('axes')} SET status = 'sature' WHERE axis_id = ?", (axis_b,))
    first = processing.run("tranquillite:syncback", {"OFFLINE": path, "STORE": pg_target})
    assert (first["N_PLANNED"], first["N_EDITS"], first["N_CONFLICTS"], first["N_AUDIT_ROWS"]) == (1, 1, 1, 2), first["CONFLICTS"]
    assert f"axes {axis_b}: changed on the shared store since the export" in first["CONFLICTS"]
    with Observatory.open(pg_target) as shared:
        axes = shared.read("axes").set_index("axis_id")
        assert axes.loc[axis_a, "status"] == "ferme" and axes.loc[axis_b, "status"] == "sature"  # nothing overwritten
        assert "PREF-1" in set(shared.read("events", "planned")["event_id"])
        algorithms = [r.algorithm for r in shared.audit_rows()]
        assert algorithms.count("offline:importlayer") == 1 and algorithms.count("offline:predictevents") == 1
        assert algorithms[-1] == "syncback" and shared.verify_audit().ok
        n_after = len(algorithms)
    second = processing.run("tranquillite:syncback", {"OFFLINE": path, "STORE": pg_target})
    assert (second["N_PLANNED"], second["N_EDITS"], second["N_AUDIT_ROWS"]) == (0, 0, 0)
    with Observatory.open(pg_target) as shared:
        assert len(shared.audit_rows()) == n_after  # a second run is a no-op


def test_a_tampered_offline_copy_is_refused(tranquillite_provider, pg_target, city, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with Observatory.create(pg_target) as shared:
        shared.import_layer("facts", city.facts)
    path = str(tmp_path / "copy.gpkg")
    processing.run("tranquillite:exportoffline", {"STORE": pg_target, "OUTPUT": path})
    with Observatory.open(path) as offline:
        raw_sql(offline, "UPDATE {facts} SET category = 'violence' WHERE category = 'vol'")
    with pytest.raises(QgsProcessingException, match="Nothing pushed.*broken"):
        processing.run("tranquillite:syncback", {"OFFLINE": path, "STORE": pg_target})
