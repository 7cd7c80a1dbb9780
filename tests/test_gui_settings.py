"""The settings page driven offscreen: what it saves, what the docks then use, what it refuses.

Every test works on a QGIS settings file of its own (``isolated_settings``):
the suite's shared settings file keeps its defaults for the other tests.
"""

import json

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsSettings
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog

from tests.conftest_gui import demo_gpkg, isolated_qgs_settings, wait_until
from tranquillite_plugin import settings
from tranquillite_plugin.core.contract import CATEGORIES, DEFAULT_WEIGHTS
from tranquillite_plugin.core.score import FactIndex, ScoreSettings, score_events
from tranquillite_plugin.gui import settings_page, tasks
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.dock import add_dock
from tranquillite_plugin.gui.settings_page import PAGE_NAME, SettingsDialog, SettingsPage, SettingsPageFactory


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_gpkg(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def isolated_settings(qgis_app, tmp_path):
    """QgsSettings written to a file of this test's own, put back afterwards."""
    with isolated_qgs_settings(tmp_path / "profile") as folder:
        yield folder


@pytest.fixture
def page(isolated_settings):
    factory = SettingsPageFactory()
    widget = factory.createWidget(None)
    assert isinstance(widget, SettingsPage) and widget.objectName() == PAGE_NAME
    widget.resize(600, 900)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()


@pytest.fixture
def controller(qgis_iface, qgis_new_project, tmp_path):
    c = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    yield c
    c.cancel_tasks()
    wait_until(lambda: not c.running, 30)
    c.close()


def type_into(spin, text: str) -> None:
    """Selects the spin box's text and types ``text`` then Enter, as a user does."""
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)
    spin.interpretText()


def stored(key: str):
    return QgsSettings().value(f"{settings.SECTION}/{key}")


def test_the_page_shows_the_defaults_with_units_and_explanations(page):
    form = page.form
    assert form.spins["radius_m"].value() == 300 and form.spins["radius_m"].suffix() == " m"
    assert form.spins["before_h"].value() == 2 and form.spins["before_h"].suffix() == " h"
    assert form.spins["after_h"].value() == 2
    assert form.spins["line_buffer_m"].value() == 15 and form.spins["point_buffer_m"].value() == 50
    assert form.spins["k"].value() == 20 and form.spins["n_trees"].value() == 200 and form.spins["min_leaf"].value() == 5
    assert form.weights_table.rowCount() == len(CATEGORIES) == 10
    assert form.weights() == {c: DEFAULT_WEIGHTS[c] for c in CATEGORIES}
    assert form.weights_table.item(CATEGORIES.index("violence"), 0).text() == "Violence"
    assert form.crs_widget.crs().authid() == "EPSG:2154" and not form.crs_problem.isVisibleTo(form)
    # every number field has a line saying what it changes
    assert len(form.help_texts()) == len(form.spins) + 2  # + weights, CRS
    # the weights table is as tall as its rows: all ten are visible
    table = form.weights_table
    assert table.height() >= sum(table.rowHeight(r) for r in range(table.rowCount()))


def test_radius_and_weight_set_on_the_page_are_saved_and_used_by_the_controllers_scoring(page, controller, demo_path):
    form = page.form
    type_into(form.spins["radius_m"], "250")
    type_into(form.weight_spins["violence"], "4")
    type_into(form.spins["n_trees"], "30")
    type_into(form.spins["min_leaf"], "3")
    type_into(form.spins["k"], "12")
    assert form.spins["radius_m"].value() == 250 and form.weight_spins["violence"].value() == 4
    heard = []
    controller.settingsChanged.connect(heard.append)
    page.apply()  # what QGIS's Options dialog calls on OK

    assert float(stored("radius_m")) == 250.0
    assert json.loads(stored("weights"))["violence"] == 4.0
    assert json.loads(stored("weights"))["vol"] == DEFAULT_WEIGHTS["vol"]
    assert int(stored("n_trees")) == 30 and int(stored("min_leaf")) == 3 and int(stored("k")) == 12
    assert heard and set(heard[0]) == {"radius_m", "weights", "n_trees", "min_leaf", "k"}
    assert form.message.text() == "Settings saved."

    s = controller.score_settings()
    assert s.radius_m == 250.0 and s.weights["violence"] == 4.0 and s.weights["vol"] == 2.0
    f = controller.forest_settings()
    assert (f.n_trees, f.min_leaf, f.k) == (30, 3, 12) and controller.k() == 12

    # a scoring and training run by the controller uses them
    controller.open_observatory(demo_path)
    task = controller.train()
    assert task is not None and tasks.wait_for(task, 120)
    assert wait_until(lambda: controller.trained is not None, 60)
    trained = controller.trained
    assert trained.scored.settings.radius_m == 250.0 and trained.scored.settings.weights["violence"] == 4.0
    assert trained.model.n_trees == 30 and trained.model.settings.min_leaf == 3
    facts, events = trained.scored.facts, trained.scored.events
    mine = score_events(events, FactIndex.build(facts, s.weights), s).score
    default = score_events(events, FactIndex.build(facts, ScoreSettings().weights), ScoreSettings()).score
    assert trained.scored.result.score == pytest.approx(mine, rel=1e-12)
    assert abs(mine - default).max() > 0  # the settings did change the scores
    assert controller.model_is_current()

    # changing a setting again makes the model stale: the next estimate trains again
    type_into(form.spins["radius_m"], "260")
    page.apply()
    assert not controller.model_is_current()
    assert controller.score_settings().radius_m == 260.0


def test_the_store_records_the_settings_applied(page, controller, tmp_path):
    assert controller.open_store(str(tmp_path / "store.gpkg"), create=True)
    form = page.form
    type_into(form.spins["before_h"], "3.5")
    type_into(form.weight_spins["vol"], "2.75")
    page.apply()
    saved = controller.store.settings()
    assert saved["before_h"] == 3.5
    assert saved["weights"]["vol"] == 2.75 and saved["weights"]["violence"] == 3.0
    assert saved["radius_m"] == 300.0 and saved["working_crs"] == "EPSG:2154" and saved["n_trees"] == 200


def test_restore_defaults_puts_back_the_weights_then_everything(page):
    form = page.form
    type_into(form.weight_spins["violence"], "7")
    type_into(form.weight_spins["main_courante"], "0")
    type_into(form.spins["radius_m"], "500")
    page.apply()
    assert settings.weights()["violence"] == 7.0 and settings.weights()["main_courante"] == 0.0
    row = CATEGORIES.index("violence")
    assert form.weights_table.item(row, 0).font().bold()  # a changed weight stands out

    QTest.mouseClick(form.restore_weights_button, Qt.MouseButton.LeftButton)
    assert form.weights() == {c: DEFAULT_WEIGHTS[c] for c in CATEGORIES}
    assert not form.weights_table.item(row, 0).font().bold()
    assert form.spins["radius_m"].value() == 500  # only the weights
    assert settings.weights()["violence"] == 7.0  # saved on apply only
    page.apply()
    assert settings.weights() == DEFAULT_WEIGHTS

    type_into(form.spins["after_h"], "6")
    form.crs_widget.setCrs(QgsCoordinateReferenceSystem("EPSG:32631"))
    page.apply()
    assert settings.get("after_h") == 6.0 and settings.working_crs() == "EPSG:32631"
    QTest.mouseClick(form.restore_all_button, Qt.MouseButton.LeftButton)
    assert form.spins["radius_m"].value() == 300 and form.spins["after_h"].value() == 2
    assert form.crs_widget.crs().authid() == "EPSG:2154"
    page.apply()
    assert settings.score_settings() == ScoreSettings()
    assert settings.working_crs() == "EPSG:2154" and settings.forest_settings().n_trees == 200


def test_negative_values_cannot_be_entered(page):
    form = page.form
    for spin in (form.spins["radius_m"], form.spins["before_h"], form.weight_spins["vol"]):
        before = spin.value()
        type_into(spin, "-5")
        assert spin.minimum() == 0
        assert spin.value() in (before, 5.0, 0.0)  # the minus is refused, or the value held at the minimum
    type_into(form.spins["n_trees"], "0")
    assert form.spins["n_trees"].value() >= 1
    page.apply()
    assert settings.score_settings().radius_m >= 0 and min(settings.weights().values()) >= 0

    # nor through the settings module: refused with the setting named, nothing written
    with pytest.raises(ValueError, match="radius_m"):
        settings.set("radius_m", -1)
    with pytest.raises(ValueError, match="violence"):
        settings.update({"radius_m": 100.0, "weights": {"violence": -2}})
    assert settings.get("radius_m") != 100.0 and settings.weights()["violence"] >= 0
    with pytest.raises(ValueError, match="k"):
        settings.set("k", 2.5)
    # a hand-edited negative reads as the default
    QgsSettings().setValue(f"{settings.SECTION}/radius_m", "-40")
    QgsSettings().setValue(f"{settings.SECTION}/weights", json.dumps({"violence": -1, "vol": 9}))
    assert settings.get("radius_m") == 300.0
    assert settings.weights() == DEFAULT_WEIGHTS  # the whole unreadable table


def test_a_crs_that_does_not_measure_in_metres_is_refused(page):
    form = page.form
    form.crs_widget.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    assert form.crs_problem.isVisibleTo(form) and "metres" in form.crs_problem.text()
    type_into(form.spins["radius_m"], "280")
    page.apply()
    assert settings.working_crs() == "EPSG:2154"  # kept
    assert settings.get("radius_m") == 280.0  # the rest is saved
    assert "not changed" in form.message.text()
    with pytest.raises(ValueError):
        settings.set("working_crs", "EPSG:4326")
    form.crs_widget.setCrs(QgsCoordinateReferenceSystem("EPSG:32631"))
    assert not form.crs_problem.isVisibleTo(form)
    page.apply()
    assert settings.working_crs() == "EPSG:32631"


def test_the_docks_settings_button_opens_the_page(isolated_settings, qgis_iface, controller):
    dock = add_dock(qgis_iface, controller)
    try:
        button = dock.data_panel.settings_button
        assert button.text() == "Settings…"
        # without the plugin's Options page: a dialog of its own
        assert settings_page.registered() is None
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        dialogs = [w for w in qgis_iface.mainWindow().findChildren(QDialog) if isinstance(w, SettingsDialog) and w.isVisible()]
        assert len(dialogs) == 1
        dialog = dialogs[0]
        type_into(dialog.form.spins["point_buffer_m"], "80")
        dialog.accept()
        assert settings.score_settings().point_buffer_m == 80.0
        # with the page registered: QGIS's Options dialog at the plugin's page
        factory = settings_page.register(qgis_iface)
        try:
            qgis_iface.showOptionsDialog.reset_mock()
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            qgis_iface.showOptionsDialog.assert_called_once()
            assert qgis_iface.showOptionsDialog.call_args.kwargs["currentPage"] == PAGE_NAME
        finally:
            settings_page.unregister(qgis_iface, factory)
        assert settings_page.registered() is None
    finally:
        dock.close()
        dock.deleteLater()
