"""The docks' fairness warning (Results tab and event sheet) and trend alerts (Audit tab),
on a demo city where the answers are known: every fact of S07 (Noailles) is a fine, so the
fairness audit flags S07; 60 thefts planted in S03 (Joliette) in the last week make a surge."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
import shapely
from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsGeometry, QgsProject

from tests.conftest_gui import make_city, wait_until
from tests.conftest_report import pdf_text
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.dock import AUDIT_TAB, add_dock

SURGE_SECTOR, SURGE_CATEGORY, N_SURGE = "S03", "vol", 60
FINED_SECTOR = "S07"


def planted_city():
    city = make_city()
    sectors = city.sectors.set_index("sector_id")
    facts = city.facts.copy()
    inside = shapely.contains_xy(sectors.loc[FINED_SECTOR, "geometry"].buffer(400), facts["x"].to_numpy(), facts["y"].to_numpy())
    facts.loc[inside, "category"] = "verbalisation"
    # the surge: thefts spread over the last 7 days before the latest fact, inside S03
    last = facts["occurred_at"].max()
    centre = sectors.loc[SURGE_SECTOR, "geometry"].representative_point()
    rng = np.random.default_rng(7)
    surge = pd.DataFrame({
        "fid": np.arange(len(facts) + 1, len(facts) + 1 + N_SURGE),
        "x": centre.x + rng.uniform(-20, 20, N_SURGE),
        "y": centre.y + rng.uniform(-20, 20, N_SURGE),
        "category": SURGE_CATEGORY,
        "occurred_at": [last - pd.Timedelta(hours=2 + 2.5 * i) for i in range(N_SURGE)],
        "count": 1,
        "source": "police municipale",
    })
    surge["occurred_at"] = pd.to_datetime(surge["occurred_at"]).astype(facts["occurred_at"].dtype)
    facts = pd.concat([facts, surge[facts.columns]], ignore_index=True)
    return city, facts


@pytest.fixture(scope="module")
def planted_path(tmp_path_factory):
    from tranquillite_plugin.store.ogr_io import write_layers

    city, facts = planted_city()
    path = str(tmp_path_factory.mktemp("planted") / "planted_city.gpkg")
    layers = {name: (name, getattr(city, name)) for name in ("sectors", "axes", "cameras", "events")}
    layers["facts"] = ("facts", facts)
    write_layers(path, layers, "EPSG:2154")
    return path


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path, planted_path):
    controller = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    d = add_dock(qgis_iface, controller)
    d.resize(460, 900)
    d.show()
    controller.open_observatory(planted_path)
    yield d
    controller.cancel_tasks()
    wait_until(lambda: not controller.running, 30)
    controller.close()
    d.close()
    d.deleteLater()


def predict_in(dock, sector_id: str, event_id: str):
    from tranquillite_plugin.gui.planned import PlannedEvent

    city = make_city()
    geom = city.sectors.set_index("sector_id").loc[sector_id, "geometry"].representative_point()
    start = pd.Timestamp("2026-11-21 14:00").to_pydatetime()
    event = PlannedEvent(event_id, "manifestation", 3000, start, start + pd.Timedelta(hours=3),
                         QgsGeometry.fromWkt(shapely.to_wkt(geom.buffer(80))))  # no sector: the model assigns it
    c = dock.controller
    task = c.predict(event)
    assert task is not None
    assert tasks.wait_for(task, 180)
    assert wait_until(lambda: c.prediction is not None and str(c.prediction.planned.iloc[0]["event_id"]) == event_id, 30), dock.status.text()
    return c.prediction


def test_a_planned_event_in_a_flagged_sector_is_warned_in_results_and_on_the_sheet(dock, tmp_path):
    prediction = predict_in(dock, FINED_SECTOR, "P-FINED")
    c = dock.controller
    # the audit of the training flags S07 (every fact there is a fine), and the prediction says so
    assert FINED_SECTOR in c.trained.fairness.flagged
    assert prediction.sector == FINED_SECTOR
    flag = prediction.fairness_flag
    assert flag is not None and flag.sector == FINED_SECTOR and flag.name == "Noailles"
    row = c.trained.fairness.sectors.set_index("sector").loc[FINED_SECTOR]
    assert flag.police_score_share == pytest.approx(row["police_score_share"]) and flag.police_score_share > 0.9
    pct = int(round(flag.police_score_share * 100))
    results = dock.results_panel
    assert results.fairness_warning.isVisibleTo(results)
    text = results.fairness_warning.text()
    assert f"Sector S07 (Noailles): {pct} % of its past events' score comes from police-initiated facts" in text
    assert "fairness audit" in text
    # the same line on the event sheet
    pdf = str(tmp_path / "P-FINED.pdf")
    assert c.event_sheet(pdf) == pdf
    sheet = pdf_text(pdf, layout=False)
    flat = " ".join(sheet.split())
    assert f"Sector S07 (Noailles): {pct} % of its past events" in flat
    assert "may reflect patrols as much as incidents (fairness audit)" in flat


def test_a_planned_event_in_an_ordinary_sector_has_no_fairness_warning(dock, tmp_path):
    c = dock.controller
    prediction = predict_in(dock, "S16", "P-PRADO")
    assert "S16" not in c.trained.fairness.flagged
    assert prediction.sector == "S16" and prediction.fairness_flag is None
    assert not dock.results_panel.fairness_warning.isVisibleTo(dock.results_panel)
    pdf = str(tmp_path / "P-PRADO.pdf")
    assert c.event_sheet(pdf) == pdf
    sheet = pdf_text(pdf, layout=False)
    assert "police-initiated" not in sheet and os.path.getsize(pdf) > 10_000


def compute_trends(dock):
    panel = dock.audit_panel
    assert panel.trends_button.isEnabled()
    panel.trends_button.click()
    c = dock.controller
    assert c.running, dock.status.text()
    assert wait_until(lambda: not c.running, 120), dock.status.text()
    return panel


def test_a_planted_surge_is_listed_with_its_driving_category_and_drawn_on_the_map(dock, tmp_path, qgis_canvas):
    from tests.conftest_gui import prepare_canvas

    c = dock.controller
    assert c.open_store(str(tmp_path / "obs.gpkg"), create=True)  # the computation is audited
    dock.show_tab(AUDIT_TAB)
    panel = dock.audit_panel
    assert panel.window_days.value() == 7 and panel.baseline.currentData() == "weeks" and panel.periods.value() == 8
    assert (panel.min_ratio.value(), panel.min_z.value(), panel.min_count.value()) == (1.5, 2.0, 5)
    compute_trends(dock)
    trends = c.trends_result
    assert trends is not None and panel.trends is trends
    # the list: the surge first (largest excess), driven by thefts, 60 against almost none usually
    table = panel.alerts_table
    assert panel.alerts_table.isVisibleTo(panel) and table.rowCount() == len(trends.result.alerts) >= 1
    assert panel.alert_sector(0) == SURGE_SECTOR
    assert table.item(0, 0).text() == "Joliette (S03)"
    assert table.item(0, 1).text() == "Theft"
    assert table.item(0, 2).text() == str(N_SURGE)
    assert float(table.item(0, 3).text()) < 2
    assert "in alert" in panel.trends_summary.text()
    sectors = [panel.alert_sector(i) for i in range(table.rowCount())]
    assert FINED_SECTOR not in sectors  # its facts were relabelled, not multiplied
    # the map: a styled temporary layer, the surge's sector in alert with its driving category
    layer = c.alerts_layer()
    assert layer is not None and layer.isValid() and layer.providerType() == "memory"
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert layer.featureCount() == 16
    feats = {f["sector"]: f for f in layer.getFeatures()}
    assert feats[SURGE_SECTOR]["alert"] == 1 and feats[SURGE_SECTOR]["driving_category"] == SURGE_CATEGORY
    assert feats["S16"]["alert"] == 0
    assert {s for s, f in feats.items() if f["alert"] == 1} == set(sectors)
    renderer = layer.renderer()
    assert renderer.classAttribute() == "alert" and sorted(cat.value() for cat in renderer.categories()) == [0, 1]
    assert layer.labelsEnabled()
    label = QgsExpression(layer.labeling().settings().fieldName)
    assert not label.hasParserError(), label.parserErrorString()
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feats[SURGE_SECTOR])
    assert label.evaluate(context) == "⚠ S03 · Theft"  # the sector and its driving category
    context.setFeature(feats["S16"])
    assert label.evaluate(context) is None  # no label on a calm sector
    # a click on the row zooms to the sector
    prepare_canvas(qgis_canvas, layer.extent())
    city = make_city()
    geom = city.sectors.set_index("sector_id").loc[SURGE_SECTOR, "geometry"]
    table.cellClicked.emit(0, 1)
    extent = qgis_canvas.extent()
    assert extent.contains(shapely.box(*geom.bounds).centroid.x, shapely.box(*geom.bounds).centroid.y)
    assert extent.width() < 2 * (geom.bounds[2] - geom.bounds[0]) + 1 or extent.height() < 2 * (geom.bounds[3] - geom.bounds[1]) + 1
    # the audit trail has the computation, its parameters and its alerts
    rows = c.audit_rows()
    assert rows[-1]["algorithm"] == "trends"
    assert "WINDOW_DAYS=7.0" in rows[-1]["parameters"] and "MIN_COUNT=5.0" in rows[-1]["parameters"]
    entry = c.store.audit_rows()[-1]
    d = entry.as_dict() if hasattr(entry, "as_dict") else dict(entry)
    assert SURGE_SECTOR in d["summary"]["alerts"] and d["summary"]["driving"][SURGE_SECTOR] == SURGE_CATEGORY
    # a stricter rule set in the inputs: 60 thefts are not enough, the layer is replaced
    first_id = layer.id()
    panel.min_count.setValue(100)
    compute_trends(dock)
    assert SURGE_SECTOR not in [panel.alert_sector(i) for i in range(panel.alerts_table.rowCount())]
    assert QgsProject.instance().mapLayer(first_id) is None
    assert c.alerts_layer() is not None and c.alerts_layer().id() != first_id
    assert [r["algorithm"] for r in c.audit_rows()][-2:] == ["trends", "trends"]
    # unload: the temporary layer goes with the controller
    last_id = c.alerts_layer().id()
    c.close()
    assert QgsProject.instance().mapLayer(last_id) is None
