"""A model saved to a file and loaded in another session predicts a drawn event."""

import pytest

from tests.conftest_gui import demo_gpkg, wait_until
from tests.test_gui_predict import describe, draw_square_around, planned_target
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.dock import add_dock


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_gpkg(tmp_path_factory.mktemp("demo_loaded"))


def open_dock(qgis_iface, tmp_path, demo_path):
    controller = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    d = add_dock(qgis_iface, controller)
    d.resize(460, 900)
    d.show()
    controller.open_observatory(demo_path)
    return d


def close_dock(d):
    d.controller.cancel_tasks()
    wait_until(lambda: not d.controller.running, 30)
    d.controller.close()
    d.close()
    d.deleteLater()


def predict_drawn(d, canvas):
    row, centre = planned_target()
    draw_square_around(d, canvas, centre.x, centre.y)
    panel = d.event_panel
    describe(panel, "P-LOADED", "concert", row["start"], hours=4, participants=40000)
    task = panel.predict()
    assert task is not None and tasks.wait_for(task, 120)
    assert wait_until(lambda: d.controller.prediction is not None, 30), d.status.text()
    return d.controller.prediction


def test_a_loaded_model_predicts_like_the_one_that_was_trained(qgis_iface, qgis_new_project, qgis_canvas, tmp_path, demo_path):
    first = open_dock(qgis_iface, tmp_path / "a", demo_path)
    try:
        trained = predict_drawn(first, qgis_canvas)
        model_file = str(tmp_path / "model.tqm")
        assert first.controller.save_model(model_file)
    finally:
        close_dock(first)

    second = open_dock(qgis_iface, tmp_path / "b", demo_path)
    try:
        assert second.controller.load_model(model_file)
        assert second.controller.trained.scored is None  # only the file: no scored past events at hand
        loaded = predict_drawn(second, qgis_canvas)
        assert loaded.transfer.predicted == pytest.approx(trained.transfer.predicted, rel=1e-12)
        assert loaded.transfer.similar_ids == trained.transfer.similar_ids
        assert second.results_panel.score.text() == f"{trained.transfer.predicted:.1f}"
    finally:
        close_dock(second)
