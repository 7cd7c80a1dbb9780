"""The QGIS plugin object: menu, toolbar, docks and the Processing provider.

Everything it adds is recorded and removed again by :meth:`unload`.
"""

from __future__ import annotations

import os
from typing import Callable, List, Optional

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from tranquillite_plugin.dependencies import install_advice, missing_packages
from tranquillite_plugin.i18n import install_translator, remove_translator, tr
from tranquillite_plugin.logger import warning

PLUGIN_DIR = os.path.dirname(__file__)
MENU = "&Tranquillité publique"


def icon(name: str) -> QIcon:
    return QIcon(os.path.join(PLUGIN_DIR, "resources", "icons", name))


class TranquillitePlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions: List[QAction] = []
        self.toolbar = None
        self.docks = []
        self.dock = None
        self.controller = None
        self.panel_action = None
        self.options_factory = None  # the settings page of QGIS's Options dialog
        self._missing: Optional[List[str]] = None

    @property
    def missing(self) -> List[str]:
        """Missing Python packages, checked once, when QGIS first starts a part of the plugin."""
        if self._missing is None:
            self._missing = missing_packages()
            if self._missing:
                warning(self.missing_message())
        return self._missing

    def missing_message(self) -> str:
        return tr("Tranquillité publique needs Python packages that are missing: {}. {}").format(
            ", ".join(self._missing), install_advice(self._missing, tr=tr)
        )

    # --- QGIS hooks ---------------------------------------------------------------

    def initProcessing(self):  # noqa: N802 - QGIS's name (qgis_process calls only this one)
        if self.missing or self.provider is not None:
            return
        from tranquillite_plugin.processing.provider import TranquilliteProvider

        self.provider = TranquilliteProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 - QGIS's name
        install_translator()
        if self.missing:
            self.iface.messageBar().pushMessage(tr("Tranquillité publique"), self.missing_message(), Qgis.MessageLevel.Warning, 0)
            return
        self.initProcessing()
        from tranquillite_plugin.gui import datetime_widget

        datetime_widget.register()  # the store's UTC datetimes shown and typed in Paris time
        self.toolbar = self.iface.addToolBar(tr("Tranquillité publique"))
        self.toolbar.setObjectName("TranquilliteToolbar")
        self.panel_action = self.add_action(
            "tranquillite.svg",
            tr("Tranquillité publique panel"),
            self.toggle_dock,
            tr("Show or hide the observatory's panel: data, planned event, results, audit"),
        )
        self.panel_action.setCheckable(True)
        self.add_action(
            "draw_footprint.svg",
            tr("Draw a planned event"),
            self.draw_planned_event,
            tr("Draw the footprint of a planned event on the map (point, itinerary or area)"),
        )
        self.add_action(
            "score.svg", tr("Score events…"), self.open_score_dialog, tr("Score events with the facts around them")
        )
        self.add_action("demo.svg", tr("Make demo city…"), self.open_demo_dialog, tr("Write a demo observatory"))
        from tranquillite_plugin.gui import settings_page

        self.options_factory = settings_page.register(self.iface)
        self.add_action(
            settings_page.options_icon(),
            tr("Settings…"),
            self.open_settings,
            tr("Score radius and time window, category weights, model and working CRS (a page of QGIS's Options)"),
            toolbar=False,
        )

    def unload(self):
        if self.controller is not None:
            try:
                QgsProject.instance().readProject.disconnect(self._project_read)
            except TypeError:
                pass
            self.controller.close()
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions = []
        for dock in self.docks:
            self.iface.removeDockWidget(dock)
            dock.deleteLater()
        self.docks = []
        self.dock = None
        if self.controller is not None:
            self.controller.deleteLater()
            self.controller = None
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.options_factory is not None:
            from tranquillite_plugin.gui import settings_page

            settings_page.unregister(self.iface, self.options_factory)
            self.options_factory = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()

    # --- helpers ------------------------------------------------------------------------

    def add_action(self, icon_name, text: str, callback: Callable, tip: Optional[str] = None, toolbar=True) -> QAction:
        """A menu entry (and toolbar button); ``icon_name``: a file of resources/icons or a QIcon."""
        action = QAction(icon_name if isinstance(icon_name, QIcon) else icon(icon_name), text, self.iface.mainWindow())
        action.triggered.connect(callback)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        self.iface.addPluginToMenu(MENU, action)
        if toolbar and self.toolbar is not None:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    # --- the dock -----------------------------------------------------------------------------

    def ensure_dock(self):
        """Creates the dock on first use (QGIS starts faster without it)."""
        if self.dock is None:
            from tranquillite_plugin.gui.controller import Controller
            from tranquillite_plugin.gui.dock import add_dock

            self.controller = Controller(self.iface)
            self.dock = add_dock(self.iface, self.controller)
            self.controller.restore_store()
            QgsProject.instance().readProject.connect(self._project_read)
            self.docks.append(self.dock)
            if self.panel_action is not None:
                self.dock.visibilityChanged.connect(self.panel_action.setChecked)
        return self.dock

    def _project_read(self, *_args):
        if self.controller is not None:
            self.controller.restore_store()

    def toggle_dock(self, checked=None):
        dock = self.ensure_dock()
        visible = (not dock.isUserVisible()) if checked is None else bool(checked)
        dock.setUserVisible(visible)
        if self.panel_action is not None:
            self.panel_action.setChecked(visible)

    def draw_planned_event(self):
        from tranquillite_plugin.gui.dock import EVENT_TAB
        from tranquillite_plugin.gui.footprint_tool import POLYGON

        dock = self.ensure_dock()
        dock.show_tab(EVENT_TAB)
        dock.event_panel.draw(POLYGON)

    def open_score_dialog(self):
        self._open_algorithm("tranquillite:scoreevents")

    def open_settings(self):
        from tranquillite_plugin.gui.settings_page import show_settings

        return show_settings(self.iface)

    def open_demo_dialog(self):
        self._open_algorithm("tranquillite:makedemocity")

    def _open_algorithm(self, algorithm_id: str):
        import processing

        processing.execAlgorithmDialog(algorithm_id, {})
