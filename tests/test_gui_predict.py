"""Draw a planned event on the demo city, run the prediction task, read and click the results."""

import re

import numpy as np
import pandas as pd
import pytest
import shapely
from qgis.core import QgsApplication, QgsGeometry, QgsPointXY, QgsRectangle, QgsTask
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis.PyQt.QtWidgets import QFileDialog

from tests.conftest_gui import demo_gpkg, make_city, prepare_canvas, wait_until
from tests.conftest_report import pdf_text
from tests.test_gui_footprint import click
from tranquillite_plugin.core.forest import ForestSettings, train_model
from tranquillite_plugin.core.score import FactIndex, ScoreSettings, score_events
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.dock import RESULTS_TAB, add_dock
from tranquillite_plugin.gui.results_panel import COLUMNS


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_gpkg(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path, demo_path):
    controller = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    d = add_dock(qgis_iface, controller)
    d.resize(460, 900)
    d.show()
    controller.open_observatory(demo_path)
    yield d
    controller.cancel_tasks()
    wait_until(lambda: not controller.running, 30)
    controller.close()
    d.close()
    d.deleteLater()


def planned_target():
    """The demo's planned concert (P002) and its centre."""
    city = make_city()
    row = city.planned[city.planned["event_id"] == "P002"].iloc[0]
    return row, row["geometry"].centroid


def describe(panel, event_id, nature, start, hours, participants=None):
    """Fills the Event tab: id, nature, participants, start and a duration in hours."""
    panel.event_id.setText(event_id)
    panel.nature.setCurrentIndex(panel.nature.findData(nature))
    if participants is not None:
        panel.participants.setValue(participants)
    begin = QDateTime.fromString(start.strftime("%Y-%m-%dT%H:%M:%S"), Qt.DateFormat.ISODate)
    panel.start.setDateTime(begin)
    panel.end.setDateTime(begin.addSecs(int(hours * 3600)))


def draw_square_around(dock, canvas, cx, cy, half=120.0):
    prepare_canvas(canvas, QgsRectangle(cx - 300, cy - 300, cx + 300, cy + 300))
    dock.event_panel.draw("polygon")
    tool = dock.controller.tool
    assert canvas.mapTool() is tool
    for x, y in ((cx - half, cy - half), (cx + half, cy - half), (cx + half, cy + half), (cx - half, cy + half)):
        click(canvas, tool, x, y)
    click(canvas, tool, cx, cy, Qt.MouseButton.RightButton)
    return tool


def test_drawn_event_gets_a_transferred_score_and_its_similar_events(dock, qgis_canvas, tmp_path, monkeypatch):
    row, centre = planned_target()
    tool = draw_square_around(dock, qgis_canvas, centre.x, centre.y)
    assert tool.vertex_band.isVisible() and tool.vertex_band.numberOfVertices() == 4
    panel = dock.event_panel
    assert tool.finished and panel.geometry is not None
    assert panel.geometry.area() == pytest.approx(240 * 240, rel=0.03)
    assert panel.footprint_info.text().startswith("Area of 5.")  # 5.8 ha
    describe(panel, "P-CONCERT", "concert", row["start"], hours=4, participants=40000)

    task = panel.predict()
    assert task is not None
    assert dock.cancel_button.isVisible() and dock.progress.isVisible()
    assert tasks.wait_for(task, 120)
    assert wait_until(lambda: dock.controller.prediction is not None, 30), dock.status.text()
    prediction = dock.controller.prediction
    t = prediction.transfer

    # the transfer is the core's: same events, scores, settings and seed give the same numbers
    city = make_city()
    settings = ScoreSettings()
    from tranquillite_plugin.core.contract import validate
    from tranquillite_plugin.store.layer_reader import read_ogr

    path = demo_path_of(dock)
    events, _ = validate("events", read_ogr(path, "events", name="events"))
    facts, _ = validate("facts", read_ogr(path, "facts", name="facts", points_as_xy=True))
    result = score_events(events, FactIndex.build(facts, settings.weights), settings)
    sectors, _ = validate("sectors", read_ogr(path, "sectors", name="sectors"))
    model = train_model(events, result, sectors=sectors, settings=ForestSettings(), score_settings=settings)
    expected = model.transfer(prediction.planned, k=20)[0]
    assert t.predicted == pytest.approx(expected.predicted, rel=1e-12)
    assert t.similar_ids == expected.similar_ids
    assert len(city.events) == len(events)

    # Results: the score, its band and the similar events table
    results = dock.results_panel
    assert dock.tabs.currentIndex() == RESULTS_TAB
    assert results.body.isVisibleTo(results) and not results.empty.isVisibleTo(results)
    assert results.score.text() == f"{t.predicted:.1f}"
    assert f"{t.band_low:.1f}" in results.band.text() and f"{t.band_high:.1f}" in results.band.text()
    assert results.title.text().startswith("P-CONCERT — Concert, 40\u202f000 participants")
    table = results.table
    assert table.rowCount() == len(t.similar) > 0
    ids = [table.item(i, COLUMNS.index("event_id")).text() for i in range(table.rowCount())]
    assert ids == t.similar_ids
    assert table.item(0, COLUMNS.index("proximity")).text() == f"{t.similar['proximity'].iloc[0]:.0%}"
    # no leakage: every similar event started before the planned one
    assert (t.similar["start"] < prediction.planned["start"].iloc[0]).all()
    # the chart shows the weighted mean facts by category of the similar events
    means = t.similar["weight"].to_numpy() @ t.facts_by_category().to_numpy()
    bars = {b.label: b.value for b in results.chart.bars}
    assert sum(bars.values()) == pytest.approx(means.sum(), rel=1e-9)
    assert len(results.importances.bars) == 8
    # camera coverage and clash check were computed for the drawn footprint
    assert prediction.coverage is not None and 0.0 <= prediction.coverage.share <= 1.0
    assert "Camera coverage" in results.coverage.text()
    # the Audit tab shows the police-initiated share per sector from the scored past events
    scored = dock.controller.trained.scored
    cats = list(scored.result.categories)
    by_cat = scored.result.by_category
    police_event = (scored.events["nature"] == "operation_police").to_numpy()
    police = by_cat[:, [cats.index(c) for c in ("verbalisation", "enlevement") if c in cats]].sum(axis=1)
    police = np.where(police_event, by_cat.sum(axis=1), police)
    share = police.sum() / by_cat.sum()
    audit = dock.audit_panel
    assert audit.fairness is not None
    assert audit.fairness.overall["police_score_share"] == pytest.approx(share, rel=1e-9)
    assert f"{share:.0%}" in audit.fairness_summary.text()
    assert audit.fairness_table.rowCount() == int((audit.fairness.sectors["n_events"] > 0).sum()) > 1

    # the demo's planned concert P002 is at the same place and time: a warning
    assert "P002" in [c.ref for c in prediction.clashes]
    assert "P002" in results.warnings.text() and "warning" in results.warnings.text()

    # the prediction was written to the planned events layer (right after the results showed)
    assert wait_until(lambda: "P-CONCERT" in dock.controller.saved_predictions, 10)
    saved = dock.controller.planned.load("P-CONCERT")
    assert saved is not None and saved.nature == "concert"
    feat = next(dock.controller.planned.open().getFeatures("\"event_id\" = 'P-CONCERT'"))
    assert feat["predicted"] == pytest.approx(t.predicted)
    assert feat["similar_ids"].split(",") == t.similar_ids

    # the event sheet of this prediction, through the Results tab's button
    pdf = tmp_path / "P-CONCERT.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), "PDF (*.pdf)"))
    results.sheet_button.click()
    assert pdf.exists() and pdf.stat().st_size > 10_000
    raw = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", raw)) >= 1
    text = pdf_text(pdf)
    assert "P-CONCERT" in text
    assert t.similar_ids[0] in text  # the table of similar events
    assert f"{t.predicted:.1f}".replace(".", ",") in text or f"{t.predicted:.1f}" in text


def demo_path_of(dock):
    return dock.controller.layer("facts").source().split("|")[0]


def test_clicking_a_similar_event_zooms_to_it_and_highlights_its_facts(dock, qgis_canvas):
    row, centre = planned_target()
    draw_square_around(dock, qgis_canvas, centre.x, centre.y)
    panel = dock.event_panel
    describe(panel, "P-CLICK", "concert", row["start"], hours=3)
    task = panel.predict()
    assert tasks.wait_for(task, 120)
    assert wait_until(lambda: dock.controller.prediction is not None, 30)
    results = dock.results_panel
    t = dock.controller.prediction.transfer
    # the past event with the most facts among the similar ones, so that facts show
    i = int(np.argmax(t.similar["score"].to_numpy()))
    event_id = t.similar["event_id"].iloc[i]
    r = [results.table.item(k, COLUMNS.index("event_id")).text() for k in range(results.table.rowCount())].index(event_id)
    before = qgis_canvas.extent()
    assert results.show_row(r)
    results.table.cellClicked.emit(r, 1)
    extent = qgis_canvas.extent()
    assert not extent.contains(before) or extent != before
    event = dock.controller.past_event(event_id)
    fp_centre = event["geometry"].centroid
    assert extent.contains(QgsPointXY(fp_centre.x, fp_centre.y))
    # the view fits the footprint grown by the score radius
    s = dock.controller.score_settings()
    grown = shapely.buffer(event["geometry"], s.radius_m)
    minx, miny, maxx, maxy = grown.bounds
    assert extent.width() >= (maxx - minx) * 0.99 and extent.width() <= max(maxx - minx, maxy - miny) * 2.5
    bands = dock.controller.highlights
    assert len(bands) >= 2
    assert all(b in qgis_canvas.scene().items() for b in bands)
    footprint_band = bands[0].asGeometry()
    assert footprint_band.contains(QgsGeometry.fromPointXY(QgsPointXY(fp_centre.x, fp_centre.y))) or event["geometry"].geom_type != "Polygon"
    facts = dock.controller.facts_of(event)
    if len(facts):
        points = bands[-1]
        assert points.numberOfVertices() == len(facts) and points.isVisible()
    # the chart marks the clicked event's own facts
    results.table.selectRow(r)
    assert results.chart.marker_label.endswith(event_id)
    # a second click replaces the highlight instead of piling them up
    results.table.cellClicked.emit(0, 1)
    assert len(dock.controller.highlights) <= 3


def test_a_running_task_can_be_cancelled_and_the_dock_goes_idle(dock):
    # a slow job that checks for cancel, like the core's loops
    import time

    from tranquillite_plugin.core.score import Cancelled

    started = []

    def slow(progress, is_cancelled):
        started.append(True)
        for i in range(600):
            if is_cancelled():
                raise Cancelled()
            progress(i / 6)
            time.sleep(0.01)
        return "finished"

    results = []
    task = tasks.CoreTask("slow job", slow)
    dock.controller.run(task, results.append)
    assert dock.cancel_button.isVisible()
    assert wait_until(lambda: started, 10)
    dock.cancel_button.click()
    assert tasks.wait_for(task, 20)
    assert wait_until(lambda: not dock.controller.running, 10)
    assert results == []
    assert not dock.cancel_button.isVisible()
    assert "cancelled" in dock.status.text()


def test_training_cancelled_from_the_dock_leaves_no_model(dock):
    task = dock.controller.train()
    assert task is not None
    dock.controller.cancel_tasks()
    assert tasks.wait_for(task, 60)
    assert wait_until(lambda: not dock.controller.running, 10)
    assert dock.controller.trained is None
    assert task.status() == QgsTask.Terminated if not _deleted(task) else True
    assert QgsApplication.taskManager().countActiveTasks() == 0 or wait_until(
        lambda: QgsApplication.taskManager().countActiveTasks() == 0, 10
    )


def test_an_error_in_a_task_reaches_the_message_bar_and_the_log(dock, qgis_iface):
    from qgis.core import Qgis

    logged = []

    def on_log(message, tag, level):
        logged.append((tag, message))

    QgsApplication.messageLog().messageReceived.connect(on_log)
    try:
        def broken(progress, is_cancelled):
            raise ValueError("layer 'facts', feature 12, field 'occurred_at': cannot read 'hier' as a date")

        task = tasks.CoreTask("Broken job", broken)
        dock.controller.run(task, lambda r: None)
        assert tasks.wait_for(task, 20)
        assert wait_until(lambda: not dock.controller.running, 10)
        messages = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)
        assert any("feature 12" in m for m in messages)
        assert wait_until(lambda: any(tag == "Tranquillité" and "feature 12" in m for tag, m in logged), 5)
        assert "feature 12" in dock.status.text()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(on_log)


def _deleted(obj) -> bool:
    try:
        obj.status()
        return False
    except RuntimeError:
        return True


def test_highlights_are_gone_after_close(dock, qgis_canvas):
    c = dock.controller
    pt = shapely.Point(893_000, 6_247_000)
    s = pd.Series({"event_id": "X", "x": pt.x, "y": pt.y})
    c.trained = None
    assert c.show_past_event("X", s)
    assert any(isinstance(i, QgsRubberBand) and i in c.highlights for i in qgis_canvas.scene().items())
    c.close()
    assert not any(b in qgis_canvas.scene().items() for b in c.highlights)
    assert c.highlights == []
