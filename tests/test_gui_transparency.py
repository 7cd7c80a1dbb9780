"""The Audit tab's transparency box: the fairness control's chart and the algorithm notice button (issue 17)."""

from __future__ import annotations

import pytest

from tests.conftest_gui import wait_until
from tests.conftest_report import pdf_text
from tests.test_fairness_control import PLANTED, fit, two_periods
from tests.test_transparency_notice import build_store
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.dock import add_dock


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


def test_button_writes_the_notice_from_the_open_store(dock, tmp_path):
    path = tmp_path / "obs.gpkg"
    obs, city, model, facts = build_store(path, n_events=80, n_facts=3000)
    obs.close()
    c = dock.controller
    box = dock.transparency_box
    assert not box.notice_button.isEnabled()
    assert c.open_store(str(path))
    assert box.notice_button.isEnabled() and len(box.history) == 2
    assert "no drift" in box.summary.text() and len(box.chart.labels) == 2
    paths = box.write_notice(str(tmp_path / "notice"))
    assert sorted(paths) == sorted(f"{d}_{lang}.{ext}" for d in ("notice", "record") for lang in ("fr", "en") for ext in ("html", "pdf"))
    text = pdf_text(paths["notice_fr.pdf"], layout=False)
    assert "Notice du traitement algorithmique" in text
    assert c.audit_rows()[-1]["algorithm"] == "algorithmnotice"


def test_a_drift_shows_in_red_on_the_chart_and_in_the_summary(dock, tmp_path):
    from tranquillite_plugin.store.observatory import Observatory
    from tranquillite_plugin.store.transparency import run_fairness_control

    a, b, cats = two_periods()
    path = str(tmp_path / "obs.gpkg")
    with Observatory.create(path) as obs:
        run_fairness_control(obs, fit(a, cats))
        run_fairness_control(obs, fit(b, cats))
    assert dock.controller.open_store(path)
    box = dock.transparency_box
    assert box.chart.drifting == {PLANTED} and PLANTED in box.summary.text()
    assert "font-weight: bold" in box.summary.styleSheet()
    image = box.chart.grab().toImage()
    reds = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).red() > 150 and image.pixelColor(x, y).green() < 90)
    assert reds > 10
