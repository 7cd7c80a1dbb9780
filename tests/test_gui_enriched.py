"""The enriched configuration in the docks: settings switches, the explanation lines, the Audit tab's comparison."""

import os

import numpy as np
import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QObject, QSettings, pyqtSignal

from tests.conftest_model import make_events, make_sectors
from tests.conftest_report import pdf_text
from tranquillite_plugin import settings
from tranquillite_plugin.core.backtest import backtest, enriched_settings
from tranquillite_plugin.core.forest import ForestSettings, train_model
from tranquillite_plugin.gui.model_comparison import ROWS, ModelComparisonBox
from tranquillite_plugin.gui.settings_page import SettingsPageFactory
from tranquillite_plugin.report.sheet import model_lines


@pytest.fixture
def isolated_settings(qgis_app, tmp_path):
    previous = os.path.dirname(os.path.dirname(QgsSettings().fileName()))
    folder = tmp_path / "profile"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, previous)


def test_switches_default_to_the_published_method_and_are_saved(isolated_settings):
    assert settings.forest_settings().is_published and not settings.auto_mode()
    widget = SettingsPageFactory().createWidget(None)
    form = widget.form
    assert set(form.switches) == set(settings.SWITCHES)
    assert not any(c.isChecked() for c in form.switches.values())
    for key in ("auto", "context_background", "calibrate"):
        form.switches[key].setChecked(True)
    widget.apply()
    s = settings.forest_settings()
    assert s.context == ("background",) and s.calibrate and s.averaging == "raw" and settings.auto_mode()
    form.restore_defaults()
    widget.apply()
    assert settings.forest_settings().is_published and not settings.auto_mode()
    widget.deleteLater()


class FakeController(QObject):
    backtestDone = pyqtSignal(object, str)  # noqa: N815

    def __init__(self):
        super().__init__()
        self.trained = None
        self.cuts = []

    def backtest(self, cut, folder=""):
        self.cuts.append(cut)


def test_audit_box_shows_both_configurations_and_the_verdict(qgis_app):
    events, scores, by_cat, cats = make_events(320, seed=4)
    cut = events["start"].sort_values().iloc[240]
    result = backtest(events, scores, cut, by_cat, cats, make_sectors(), ForestSettings(n_trees=20),
                      challenger=enriched_settings(ForestSettings(n_trees=20), facts=False), n_boot=100)
    controller = FakeController()
    box = ModelComparisonBox(controller)
    box.run()  # no scored events yet: says so, runs nothing
    assert controller.cuts == [] and "first" in box.summary.text()
    controller.backtestDone.emit(result, "")
    assert box.table.rowCount() == len(ROWS)
    m = result.metrics.set_index("method")
    row = ROWS.index("spearman")
    assert box.table.item(row, 1).text() == f"{m.loc['transfer', 'spearman']:.3f}"
    assert box.table.item(row, 2).text() == f"{m.loc['enriched', 'spearman']:.3f}"
    verdict = result.comparison.set_index("metric").loc["mae_log1p", "verdict"]
    cell = box.table.item(ROWS.index("mae_log1p"), 3).text()
    assert ("within noise" in cell) == (verdict == "within noise")
    assert box.table.item(ROWS.index("band_coverage"), 2).text().endswith("%")
    box.deleteLater()


def test_explanation_names_the_configuration_and_the_context():
    events, scores, by_cat, cats = make_events(300, seed=6)
    published = train_model(events, scores, by_cat, cats, settings=ForestSettings(n_trees=10))
    (t,) = published.transfer(events.iloc[[5]].assign(event_id="P"))
    lines = model_lines(t)
    assert len(lines) == 1 and "published" in lines[0]
    enriched = train_model(events, scores, by_cat, cats, settings=ForestSettings(n_trees=10, context=("load",), calibrate=True),
                           configuration="enriched")
    planned = events.iloc[[5, 6]].assign(event_id=["P", "Q"])
    planned["start"] = planned["start"].iloc[0] + np.array([0, -1], dtype="timedelta64[h]")  # Q an hour before P, same day
    planned["end"] = planned["start"] + np.timedelta64(2, "h")
    (tp, tq) = enriched.transfer(planned)
    lines = model_lines(tp)
    assert "enriched" in lines[0] and any("calibrated" in x for x in lines)
    load = next(x for x in lines if "load" in x)
    assert f"{int(tp.context['load_events']['value'])} other events" in load
    assert tp.context["load_events"]["value"] >= tq.context["load_events"]["value"] + 1  # P sees Q, not the other way


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_event_sheet_prints_the_configuration_and_the_context(tmp_path, qgis_app):

    from tests.conftest_report import planned_event, similar_events
    from tranquillite_plugin.report.event_sheet import write_event_sheet

    lines = ["Configuration: enriched (context axes)", "Background incidents here at these hours: 0.31 facts / h"]
    path = tmp_path / "sheet.pdf"
    write_event_sheet(str(path), planned_event("P-CTX"), (42.0, 20.0, 80.0), similar_events(5), explanation=lines)
    text = " ".join(pdf_text(path, layout=False).split())
    assert "Configuration: enriched" in text and "0.31 facts / h" in text
