"""The plugin in a (stub) QGIS: its actions, its dock, and an unload that leaves nothing behind."""

import pytest
from qgis.core import QgsApplication, QgsRectangle
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QToolBar

from tests.conftest_gui import prepare_canvas
from tests.test_gui_footprint import click
from tranquillite_plugin.gui.footprint_tool import FootprintTool

OUR_TEXTS = ("Tranquillité publique panel", "Draw a planned event", "Score events…", "Make demo city…")


def flush():
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        QCoreApplication.processEvents()


def rubber_bands(canvas):
    return [i for i in canvas.scene().items() if isinstance(i, QgsRubberBand)]


@pytest.fixture
def plugin(qgis_iface, qgis_new_project, tmp_path, monkeypatch):
    import tranquillite_plugin.gui.controller as controller_module
    from tranquillite_plugin import classFactory

    monkeypatch.setattr(controller_module, "default_planned_path", lambda: str(tmp_path / "planned.gpkg"))
    p = classFactory(qgis_iface)
    p.initProcessing()
    p.initGui()
    yield p
    if p.actions:
        p.unload()


def test_load_registers_the_provider_and_adds_the_actions(plugin, qgis_iface):
    assert QgsApplication.processingRegistry().providerById("tranquillite") is not None
    assert [a.text() for a in plugin.actions] == list(OUR_TEXTS)
    toolbar = qgis_iface.mainWindow().findChild(QToolBar, "TranquilliteToolbar")
    assert toolbar is not None and [a.text() for a in toolbar.actions()] == list(OUR_TEXTS)
    assert plugin.dock is None  # made on first use


def test_panel_action_shows_the_dock_and_draw_action_arms_the_map_tool(plugin, qgis_iface, qgis_canvas):
    qgis_iface.mainWindow().show()  # the stub does not dock: the dock shows inside the main window
    plugin.actions[0].trigger()
    dock = plugin.dock
    assert dock is not None and dock.isUserVisible()
    assert dock.objectName() == "TranquilliteDock"
    assert plugin.panel_action.isChecked()
    plugin.actions[1].trigger()  # draw a planned event
    assert isinstance(qgis_canvas.mapTool(), FootprintTool)
    assert dock.tabs.currentIndex() == 1
    plugin.actions[0].trigger()
    assert not dock.isUserVisible() and not plugin.panel_action.isChecked()


def test_unload_leaves_nothing_behind(plugin, qgis_iface, qgis_canvas):
    bands_before = len(rubber_bands(qgis_canvas))
    tool_before = None
    plugin.toggle_dock(True)
    plugin.draw_planned_event()
    prepare_canvas(qgis_canvas, QgsRectangle(892_000, 6_246_000, 892_600, 6_246_600))
    tool = plugin.controller.tool
    click(qgis_canvas, tool, 892_100, 6_246_100)
    click(qgis_canvas, tool, 892_300, 6_246_100)
    assert len(rubber_bands(qgis_canvas)) > bands_before
    assert qgis_canvas.mapTool() is tool
    actions = list(plugin.actions)
    plugin.unload()
    flush()
    assert plugin.actions == [] and plugin.dock is None and plugin.controller is None
    assert qgis_canvas.mapTool() is tool_before
    assert len(rubber_bands(qgis_canvas)) == bands_before
    window = qgis_iface.mainWindow()
    assert window.findChildren(QDockWidget, "TranquilliteDock") == []
    assert window.findChild(QToolBar, "TranquilliteToolbar") is None
    assert not [a for a in window.findChildren(QAction) if a.text() in OUR_TEXTS]
    for action in actions:
        with pytest.raises(RuntimeError):  # deleted
            action.text()
    assert QgsApplication.processingRegistry().providerById("tranquillite") is None
    menu_removals = [c.args[1] for c in qgis_iface.removePluginMenu.call_args_list]
    assert all(any(a is r for r in menu_removals) for a in actions)
