"""The dock's tabs driven offscreen: data, mapping, import, event form, empty states."""

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QWidget

from tests.conftest_gui import demo_gpkg, wait_until
from tranquillite_plugin.gui.controller import Controller, guess_kind
from tranquillite_plugin.gui.dock import DATA_TAB, EVENT_TAB, add_dock
from tranquillite_plugin.gui.mapping_dialog import FieldMappingDialog, guess_field_map


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_gpkg(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path):
    controller = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    d = add_dock(qgis_iface, controller)
    d.show()
    yield d
    controller.close()
    d.close()
    d.deleteLater()


def test_the_dock_has_four_tabs_and_says_what_to_do_when_empty(dock):
    titles = [dock.tabs.tabText(i) for i in range(dock.tabs.count())]
    assert titles == ["Data", "Event", "Results", "Audit"]
    assert "Draw a planned event" in dock.results_panel.empty.text()
    assert not dock.results_panel.body.isVisibleTo(dock.results_panel)
    assert "store" in dock.audit_panel.placeholder.text()
    assert dock.data_panel.report.placeholderText()
    assert dock.data_panel.status["facts"].text() == "required for the model"


def test_opening_the_demo_observatory_maps_every_layer(dock, demo_path):
    added = dock.controller.open_observatory(demo_path)
    assert set(added) == {"sectors", "axes", "cameras", "events", "facts"}
    for kind, layer in added.items():
        assert dock.data_panel.combos[kind].currentLayer() is layer
        assert "fields matched" in dock.data_panel.status[kind].text()
    assert dock.data_panel.status["events"].text().startswith("250 features in the whole table")
    # the mixed events table shows as one layer per geometry type
    names = sorted(lyr.name() for lyr in QgsProject.instance().mapLayers().values())
    assert any("points" in n for n in names) and any("itineraries" in n for n in names) and any("areas" in n for n in names)
    # the demo's planned table becomes the planned events store
    assert dock.controller.planned.table == "planned"
    assert dock.event_panel.existing.count() == 1 + 5


def test_mapping_dialog_prefills_by_case_insensitive_name_and_requires_the_rest(qgis_iface):
    fields = ["CATEGORIE", "Occurred_At", "nb", "Source"]
    assert guess_field_map("facts", fields) == {"occurred_at": "Occurred_At", "source": "Source"}
    dialog = FieldMappingDialog("facts", "main courante 2025", fields)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "category" in dialog.problem.text()
    dialog.combos["category"].setCurrentIndex(dialog.combos["category"].findData("CATEGORIE"))
    dialog.combos["count"].setCurrentIndex(dialog.combos["count"].findData("nb"))
    assert ok.isEnabled() and dialog.problem.text() == ""
    assert dialog.field_map() == {"category": "CATEGORIE", "occurred_at": "Occurred_At", "count": "nb", "source": "Source"}


def test_a_layer_with_other_field_names_is_mapped_then_imported_with_its_report(dock, monkeypatch):
    layer = QgsVectorLayer(
        "Point?crs=EPSG:2154&field=CATEGORIE:string&field=quand:string&field=nb:integer", "main courante", "memory"
    )
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    rows = [("vol", "2025-06-01 10:00", 1), ("violence", "pas une date", 1), ("nuisance", "2025-06-01 12:00", 0), ("secours", "01/06/2025 13:30", 2)]
    feats = []
    for i, (cat, when, n) in enumerate(rows):
        f = QgsFeature(layer.fields())
        f.setAttributes([cat, when, n])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(892_000 + i, 6_246_000)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    assert guess_kind(layer) is None  # its names are not the contract's
    dock.data_panel.combos["facts"].setLayer(layer)
    assert dock.controller.layer("facts") is layer
    assert "fields to map: category, occurred_at" in dock.data_panel.status["facts"].text()

    def accept_with_mapping(dialog_self):
        dialog_self.combos["category"].setCurrentIndex(dialog_self.combos["category"].findData("CATEGORIE"))
        dialog_self.combos["occurred_at"].setCurrentIndex(dialog_self.combos["occurred_at"].findData("quand"))
        dialog_self.combos["count"].setCurrentIndex(dialog_self.combos["count"].findData("nb"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FieldMappingDialog, "exec", accept_with_mapping)
    assert dock.data_panel.map_fields("facts")
    assert dock.controller.field_map("facts") == {"category": "CATEGORIE", "occurred_at": "quand", "count": "nb"}
    dock.data_panel.import_all()
    assert wait_until(lambda: "facts" in dock.controller.import_reports and not dock.controller.running, 30)
    report = dock.controller.import_reports["facts"]
    assert (report.read, report.taken, report.refused) == (4, 2, 2)
    text = dock.data_panel.report.toPlainText()
    assert "4 read, 2 taken, 0 repaired, 2 refused" in text
    assert "'pas une date'" in text and "count" in text  # each refusal names its field
    assert dock.data_panel.status["facts"].text() == "2 taken, 0 repaired, 2 refused"


def test_event_form_builds_a_planned_event_that_the_contract_accepts(dock):
    from qgis.core import QgsGeometry

    dock.show_tab(EVENT_TAB)
    panel = dock.event_panel
    assert panel.event_id.text().startswith("P-")
    assert [panel.nature.itemData(i) for i in range(panel.nature.count())][:3] == ["manifestation", "rassemblement", "sport"]
    assert panel.nature.itemText(0) == "Demonstration"
    panel.nature.setCurrentIndex(panel.nature.findData("concert"))
    panel.participants.setValue(12000)
    start = QDateTime.fromString("2026-06-21T18:00:00", Qt.DateFormat.ISODate)
    panel.start.setDateTime(start)
    panel.end.setDateTime(start.addSecs(5 * 3600))
    panel._add_attachment("/data/photos/scene.jpg")
    panel.set_footprint(QgsGeometry.fromWkt("POLYGON((892000 6246000, 892100 6246000, 892100 6246100, 892000 6246000))"))
    assert panel.footprint_info.text() == "Area of 5,000 m²".replace(",", "\u202f")
    event = panel.planned_event()
    frame = event.clean_frame("EPSG:2154")
    row = frame.iloc[0]
    assert (row["nature"], row["participants"]) == ("concert", 12000)
    assert row["start"].isoformat() == "2026-06-21T18:00:00+02:00"
    assert (row["end"] - row["start"]).total_seconds() == 5 * 3600
    assert event.attachments == ["/data/photos/scene.jpg"]
    # an end before the start is refused, naming the field
    panel.end.setDateTime(start.addSecs(-3600))
    panel.start.blockSignals(True)
    assert dock.controller.save_planned(panel.planned_event()) is False
    assert dock.data_panel is not None
    assert dock.status.text().startswith("Planned event") and "end" in dock.status.text()


def test_saved_planned_event_is_listed_and_reopened(dock):
    from qgis.core import QgsGeometry

    panel = dock.event_panel
    panel.event_id.setText("P-TEST-1")
    panel.nature.setCurrentIndex(panel.nature.findData("marche"))
    panel.set_footprint(QgsGeometry.fromWkt("LINESTRING(892000 6246000, 892300 6246000, 892300 6246400)"))
    panel._add_attachment("/data/video.mp4")
    start = QDateTime.fromString("2026-07-14T21:30:00", Qt.DateFormat.ISODate)  # summer time
    panel.start.setDateTime(start)
    panel.end.setDateTime(start.addSecs(2 * 3600))
    assert panel.save()
    # the file holds the instants the officer typed, in Paris time (read as the contract reads it)
    from tranquillite_plugin.core.contract import validate
    from tranquillite_plugin.store.layer_reader import read_ogr

    planned = dock.controller.planned
    clean, _ = validate("events", read_ogr(planned.path, planned.table, name="planned"))
    assert clean["start"].iloc[0].isoformat() == "2026-07-14T21:30:00+02:00"
    assert clean["end"].iloc[0].isoformat() == "2026-07-14T23:30:00+02:00"
    assert panel.existing.findData("P-TEST-1") > 0
    layers = dock.controller.planned.display_layers()
    assert any(lyr.featureCount() == 1 for lyr in layers)
    panel.new_event()
    assert panel.geometry is None and panel.event_id.text() != "P-TEST-1"
    assert panel.open_event("P-TEST-1")
    assert panel.nature.currentData() == "marche"
    assert panel.geometry.length() == pytest.approx(700)
    assert [panel.attachments.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.attachments.count())] == ["/data/video.mp4"]
    assert panel.footprint_info.text().startswith("Itinerary of 700 m")


def test_data_tab_is_the_first_shown(dock):
    assert dock.tabs.currentIndex() == DATA_TAB


def test_layers_are_added_from_files_and_from_qgis_source_selectors(dock, demo_path, monkeypatch, tmp_path):
    from qgis.PyQt.QtWidgets import QFileDialog

    panel = dock.data_panel
    menu = panel.add_button.menu()
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "From files…"
    db_menu = menu.actions()[1].menu()
    offered = [a.text() for a in db_menu.actions()]
    assert any("PostgreSQL" in t for t in offered) and any("WFS" in t or "OGC" in t for t in offered)
    # a GeoPackage with several tables: every table is added, and known ones are mapped
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([demo_path], ""))
    menu.actions()[0].trigger()
    names = sorted(lyr.name() for lyr in QgsProject.instance().mapLayers().values())
    assert {"sectors", "axes", "cameras", "events", "facts", "planned"} <= set(names)
    assert dock.controller.layer("facts").name() == "facts"
    assert dock.controller.layer("sectors").name() == "sectors"
    assert dock.controller.layer("cameras").name() == "cameras"
    # QGIS's own selector of a provider opens in a dialog and its layers reach the controller
    from qgis.gui import QgsGui

    provider = QgsGui.sourceSelectProviderRegistry().providersByKey("delimitedtext")[0]
    seen = {}
    monkeypatch.setattr(QDialog, "exec", lambda self: seen.setdefault("widget", self.findChildren(QWidget)[0]) and 0)
    panel.open_source_select(provider)
    assert "widget" in seen
    # what the selector emits (a CSV of facts with x/y) becomes a layer whose kind is recognised
    csv = tmp_path / "faits.csv"
    csv.write_text("category,occurred_at,x,y\nvol,2025-06-01 10:00,893000,6247000\nsecours,2025-06-01 11:00,893050,6247020\n")
    seen["widget"].addVectorLayer.emit(f"file://{csv}?delimiter=,&xField=x&yField=y&crs=EPSG:2154", "faits", "delimitedtext")
    added = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == "faits"]
    assert len(added) == 1 and added[0].featureCount() == 2 and guess_kind(added[0]) == "facts"
