"""The docks with an observatory store: import into it, personal data dropped on request,
planned events and predictions stored, the audit trail shown and verified."""

import sqlite3

import conftest_store
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, Qt

from tests.conftest_gui import demo_gpkg, wait_until
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.controller import DATA_KINDS, Controller
from tranquillite_plugin.gui.dock import add_dock

pg_target = conftest_store.pg_target  # the throw-away PostgreSQL server's fresh schema


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_gpkg(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path):
    controller = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    d = add_dock(qgis_iface, controller)
    d.show()
    yield d
    controller.cancel_tasks()
    wait_until(lambda: not controller.running, 30)
    controller.close()
    d.close()
    d.deleteLater()


def import_everything(dock):
    dock.data_panel.import_all()
    assert wait_until(lambda: not dock.controller.running, 120), dock.status.text()


def test_layers_imported_into_a_new_store_replace_the_sources_and_are_audited(dock, demo_path, tmp_path):
    c = dock.controller
    c.open_observatory(demo_path)
    store_path = str(tmp_path / "observatoire.gpkg")
    assert c.open_store(store_path, create=True)
    assert dock.data_panel.store_label.text().startswith(store_path)
    assert dock.data_panel.import_button.text() == "Check and import"
    sources = {k: c.layer(k).source() for k in DATA_KINDS}
    import_everything(dock)
    counts = c.store.counts()
    for kind in DATA_KINDS:
        report = c.import_reports[kind]
        assert counts[kind] == report.taken > 0, kind
        # the kind now reads the store's layer, not the demo file
        assert c.layer(kind).source() != sources[kind]
        assert c.layer_is_in_store(kind)
    assert "15\u202f000 facts, 250 past events, 0 planned events, 16 sectors" in dock.data_panel.store_label.text()
    text = dock.data_panel.report.toPlainText()
    assert "written to the store" in text
    # importing again is refused: the layers are the store's own
    assert c.import_layer("facts") is None
    # the Audit tab: one row per import, and an intact chain
    audit = dock.audit_panel
    assert audit.table.isVisibleTo(audit) and not audit.placeholder.isVisibleTo(audit)
    operations = [audit.table.item(i, 3).text() for i in range(audit.table.rowCount())]
    assert operations.count("importlayer") == 5 and operations[-1] == "createstore"
    audit.verify_button.click()
    assert audit.verification.text().startswith("The audit trail is intact: 6 rows")


def test_personal_fields_are_refused_until_the_user_drops_them(dock, tmp_path):
    c = dock.controller
    assert c.open_store(str(tmp_path / "obs.gpkg"), create=True)
    layer = QgsVectorLayer(
        "Point?crs=EPSG:2154&field=category:string&field=occurred_at:string&field=temoin:string&field=telephone:string",
        "mains courantes",
        "memory",
    )
    names = ["Jean Dupont", "Marie Martin", "Ahmed Benali", "Sophie Bernard", "Luc Moreau", "Claire Petit"]
    phones = ["06 12 34 56 78", "+33 6 98 76 54 32", "04 91 55 11 22", "07 81 22 33 44", "06 55 44 33 22", "04 91 00 11 22"]
    feats = []
    for i, (name, phone) in enumerate(zip(names, phones)):
        f = QgsFeature(layer.fields())
        f.setAttributes(["vol", f"2025-06-0{i + 1} 10:00", name, phone])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(893_000 + 10 * i, 6_247_000)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    dock.data_panel.combos["facts"].setLayer(layer)
    task = c.import_layer("facts")
    assert tasks.wait_for(task, 30) and wait_until(lambda: not c.running, 10)
    panel = dock.data_panel
    assert panel.drop_button.isVisibleTo(panel)
    assert "temoin" in panel.drop_button.text() and "telephone" in panel.drop_button.text()
    assert "personal data" in panel.report.toPlainText()
    assert c.store.count("facts") == 0  # nothing stored
    panel.drop_button.click()
    assert wait_until(lambda: not c.running and "facts" in c.import_reports, 30)
    report = c.import_reports["facts"]
    assert report.taken == 6 and sorted(report.dropped_fields) == ["telephone", "temoin"]
    assert c.store.count("facts") == 6
    assert "fields dropped: " in panel.report.toPlainText()
    assert not panel.drop_button.isVisibleTo(panel)


def test_prediction_with_a_store_saves_the_planned_event_and_the_audit(dock, demo_path, tmp_path):
    c = dock.controller
    c.open_observatory(demo_path)
    store_path = str(tmp_path / "obs.gpkg")
    assert c.open_store(store_path, create=True)
    import_everything(dock)
    panel = dock.event_panel
    panel.event_id.setText("P-STORE-1")
    panel.nature.setCurrentIndex(panel.nature.findData("festival"))
    panel.participants.setValue(20000)
    start = QDateTime.fromString("2026-11-20T18:00:00", Qt.DateFormat.ISODate)
    panel.start.setDateTime(start)
    panel.end.setDateTime(start.addSecs(6 * 3600))
    panel.set_footprint(QgsGeometry.fromWkt("POLYGON((892500 6246000, 892800 6246000, 892800 6246300, 892500 6246300, 892500 6246000))"))
    # another planned event in the store, same evening, next door: a clash to report
    from tranquillite_plugin.gui.planned import PlannedEvent

    other = PlannedEvent(
        "P-STORE-0", "rassemblement", 300, start.addSecs(3600).toPyDateTime(), start.addSecs(3 * 3600).toPyDateTime(),
        QgsGeometry.fromWkt("POINT(892830 6246150)"),
    )
    assert c.save_planned(other)
    task = panel.predict()
    assert tasks.wait_for(task, 180)
    assert wait_until(lambda: c.prediction is not None and not c.running, 60), dock.status.text()
    t = c.prediction.transfer
    assert wait_until(lambda: "P-STORE-1" in c.saved_predictions, 10)
    # the planned event is in the store's events, status planned, with its prediction
    planned = c.store.read("events", status="planned")
    row = planned[planned["event_id"] == "P-STORE-1"].iloc[0]
    assert row["nature"] == "festival" and row["participants"] == 20000
    assert row["start"].isoformat() == "2026-11-20T18:00:00+01:00"
    assert row["predicted"] == pytest.approx(t.predicted)
    assert row["predicted_low"] == pytest.approx(t.band_low)
    assert panel.existing.findData("P-STORE-1") > 0
    assert [x.ref for x in c.prediction.clashes] == ["P-STORE-0"]
    # the model went into the store, and the audit has the training and the prediction
    info = c.store.model_info()
    assert info is not None
    rows = c.audit_rows()
    ops = [r["algorithm"] for r in rows]
    assert "trainmodel" in ops and ops[-1] == "predictevents"
    last = rows[-1]
    assert last["model_fingerprint"] == c.trained.model.fingerprint
    assert "EVENT_ID=P-STORE-1" in last["parameters"]
    ok, message = c.verify_audit()
    assert ok, message


def test_a_tampered_audit_trail_is_shown_broken(dock, tmp_path):
    c = dock.controller
    path = str(tmp_path / "obs.gpkg")
    assert c.open_store(path, create=True)
    c._record("predictevents", {"EVENT_ID": "X"}, [], 1, "abc")
    c._record("eventsheet", {"EVENT_ID": "X"}, [], 1, "abc")
    with sqlite3.connect(path) as conn:
        table = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%audit%'")][0]
        conn.execute(f"UPDATE {table} SET os_user = 'someone else' WHERE algorithm = 'predictevents'")
    audit = dock.audit_panel
    audit.verify_button.click()
    assert audit.verification.text().startswith("The audit trail is BROKEN at row 2")


def test_the_project_remembers_its_store(dock, tmp_path):
    c = dock.controller
    path = str(tmp_path / "obs.gpkg")
    assert c.open_store(path, create=True)
    c.close_store()
    assert c.store is None
    assert c.restore_store()
    assert c.store is not None and c.store.path == path


def test_training_and_backtest_from_the_dock_fill_the_report_the_fairness_and_the_audit(dock, demo_path, tmp_path):
    c = dock.controller
    c.open_observatory(demo_path)
    assert c.open_store(str(tmp_path / "obs.gpkg"), create=True)
    import_everything(dock)
    task = c.train()
    assert tasks.wait_for(task, 180) and wait_until(lambda: c.trained is not None and not c.running, 30)
    assert dock.data_panel.model_status.text().startswith("Trained on 250 past events")
    assert c.store.model_info() is not None
    events = c.trained.scored.events
    cut = events["start"].sort_values().iloc[int(len(events) * 0.7)].strftime("%Y-%m-%d")
    task = c.backtest(cut, str(tmp_path / "backtest"))
    assert tasks.wait_for(task, 300) and wait_until(lambda: not c.running, 30), dock.status.text()
    text = dock.data_panel.report.toPlainText()
    assert "Backtest: trained on" in text and "transfer: Spearman" in text, dock.status.text()
    assert (tmp_path / "backtest").exists() and any((tmp_path / "backtest").iterdir())
    audit = dock.audit_panel
    assert audit.fairness.overall["n_predicted"] > 0
    assert "Backtest: predicted / observed" in audit.fairness_summary.text()
    ops = [r["algorithm"] for r in c.audit_rows()]
    assert ops[-2:] == ["trainmodel", "backtest"]
    assert c.verify_audit()[0]


def test_a_postgis_store_gives_live_layers_and_takes_the_planned_events(dock, pg_target, qgis_canvas):
    """The shared store of a supervision centre: its layers redraw on NOTIFY (SPEC §6)."""
    c = dock.controller
    assert c.open_store(pg_target, create=True), dock.status.text()
    assert "PostgreSQL/PostGIS" in dock.data_panel.store_label.text()
    layer = QgsVectorLayer("LineString?crs=EPSG:2154&field=axis_id:string&field=name:string&field=status:string", "axes", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["A1", "La Canebière", "ferme"])
    f.setGeometry(QgsGeometry.fromWkt("LINESTRING(893000 6247000, 893400 6247100)"))
    layer.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(layer)
    dock.data_panel.combos["axes"].setLayer(layer)
    task = c.import_layer("axes")
    assert tasks.wait_for(task, 60) and wait_until(lambda: not c.running and "axes" in c.import_reports, 30)
    assert c.store.count("axes") == 1
    stored = c.layer("axes")
    assert stored.providerType() == "postgres" and stored.isRefreshOnNotifyEnabled()
    # a planned event drawn on this workstation goes into the shared store's events
    panel = dock.event_panel
    panel.event_id.setText("P-PG-1")
    panel.nature.setCurrentIndex(panel.nature.findData("manifestation"))
    panel.set_footprint(QgsGeometry.fromWkt("LINESTRING(893000 6246900, 893300 6247200)"))
    assert panel.save(), dock.status.text()
    planned = c.store.read("events", status="planned")
    assert planned["event_id"].tolist() == ["P-PG-1"]
    assert planned["geometry"].iloc[0].length == pytest.approx(300 * 2 ** 0.5)
    # changed (a longer itinerary), then redrawn as an area: one event, of the right geometry type
    panel.set_footprint(QgsGeometry.fromWkt("LINESTRING(893000 6246900, 893300 6247200, 893600 6247200)"))
    panel.participants.setValue(5000)
    assert panel.save(), dock.status.text()
    planned = c.store.read("events", status="planned")
    assert planned["event_id"].tolist() == ["P-PG-1"] and planned["participants"].iloc[0] == 5000
    assert planned["geometry"].iloc[0].geom_type == "LineString"
    assert planned["geometry"].iloc[0].length == pytest.approx(300 * 2 ** 0.5 + 300)
    panel.set_footprint(QgsGeometry.fromWkt("POLYGON((893000 6246900, 893100 6246900, 893100 6247000, 893000 6246900))"))
    assert panel.save(), dock.status.text()
    planned = c.store.read("events", status="planned")
    assert planned["event_id"].tolist() == ["P-PG-1"]
    assert planned["geometry"].iloc[0].geom_type == "Polygon" and planned["geometry"].iloc[0].area == pytest.approx(5000)
    displayed = c.planned.display_layers()
    assert displayed and all(lyr.providerType() == "postgres" and lyr.isRefreshOnNotifyEnabled() for lyr in displayed)
    assert any(lyr.featureCount() == 1 for lyr in displayed)
