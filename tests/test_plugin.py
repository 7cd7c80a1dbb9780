"""The plugin in a (stub) QGIS: its actions, its dock, and an unload that leaves nothing behind."""

import pytest
from qgis.core import QgsApplication, QgsRectangle
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QToolBar

from tests.conftest_gui import prepare_canvas
from tests.test_gui_footprint import click
from tranquillite_plugin.gui.footprint_tool import FootprintTool

TOOLBAR_TEXTS = ("Tranquillité publique panel", "Draw a planned event", "Score events…", "Make demo city…")
OUR_TEXTS = TOOLBAR_TEXTS + ("Settings…",)  # the settings: in the menu only


def flush():
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
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
    assert toolbar is not None and [a.text() for a in toolbar.actions()] == list(TOOLBAR_TEXTS)
    assert plugin.dock is None  # made on first use


def test_load_adds_the_settings_page_to_qgis_options_and_the_menu_opens_it(plugin, qgis_iface):
    from tranquillite_plugin.gui.settings_page import PAGE_NAME, SettingsPage, SettingsPageFactory, registered

    factory = plugin.options_factory
    assert isinstance(factory, SettingsPageFactory) and registered() is factory
    assert any(c.args[0] is factory for c in qgis_iface.registerOptionsWidgetFactory.call_args_list)
    assert factory.title() == "Tranquillité publique" and not factory.icon().isNull()
    page = factory.createWidget(None)  # what QGIS's Options dialog does
    assert isinstance(page, SettingsPage) and page.objectName() == PAGE_NAME
    page.deleteLater()
    qgis_iface.showOptionsDialog.reset_mock()
    settings_action = plugin.actions[OUR_TEXTS.index("Settings…")]
    settings_action.trigger()
    qgis_iface.showOptionsDialog.assert_called_once()
    assert qgis_iface.showOptionsDialog.call_args.kwargs["currentPage"] == PAGE_NAME


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
    factory = plugin.options_factory
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
    # the Options page is gone too, and the controller no longer listens to the settings
    from tranquillite_plugin import settings
    from tranquillite_plugin.gui.settings_page import registered

    assert any(c.args[0] is factory for c in qgis_iface.unregisterOptionsWidgetFactory.call_args_list)
    assert plugin.options_factory is None and registered() is None
    assert settings.notifier().receivers(settings.notifier().changed) == 0
