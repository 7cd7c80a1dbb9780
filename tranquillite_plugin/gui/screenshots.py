"""Screenshots of the docks with a drawn planned event and its results.

Used by ``scripts/screenshots.py`` (``make screenshots``, under Xvfb) and handy
to look at the interface without QGIS desktop: :class:`StandaloneIface` is
the small part of QGIS's interface the docks use (a main window with a map
canvas, a message bar and dock areas).

    from tranquillite_plugin.gui.screenshots import screenshot_docks
    paths = screenshot_docks("docs/screenshots", demo_path="out/demo_city.gpkg")

Call it from the main thread of a running QgsApplication.
"""

from __future__ import annotations

import os
import time
from typing import Dict, List, Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsProject, QgsRectangle
from qgis.gui import QgsMapCanvas, QgsMessageBar
from qgis.PyQt.QtCore import QCoreApplication, QDateTime, QObject, Qt
from qgis.PyQt.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from tranquillite_plugin.core.contract import DEFAULT_CRS
from tranquillite_plugin.gui.tasks import wait_until
from tranquillite_plugin.i18n import tr


class StandaloneIface(QObject):
    """A main window with a map canvas, a message bar and a right dock area."""

    def __init__(self, size=(1600, 1000)):
        super().__init__()
        self.window = QMainWindow()
        self.window.setWindowTitle(tr("Tranquillité publique"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.bar = QgsMessageBar()
        self.canvas = QgsMapCanvas()
        self.canvas.setCanvasColor(Qt.GlobalColor.white)
        self.canvas.setDestinationCrs(QgsCoordinateReferenceSystem(DEFAULT_CRS))
        layout.addWidget(self.bar)
        layout.addWidget(self.canvas, 1)
        self.window.setCentralWidget(central)
        self.window.resize(*size)
        QgsProject.instance().layerTreeRegistryBridge()  # layers added to the project join the tree
        QgsProject.instance().layersAdded.connect(self._sync_layers)
        QgsProject.instance().layersRemoved.connect(self._sync_layers)

    def _sync_layers(self, *_args) -> None:
        root = QgsProject.instance().layerTreeRoot()
        self.canvas.setLayers([lyr for lyr in root.layerOrder() if root.findLayer(lyr.id()) is None or root.findLayer(lyr.id()).isVisible()])

    def close(self) -> None:
        for signal in (QgsProject.instance().layersAdded, QgsProject.instance().layersRemoved):
            try:
                signal.disconnect(self._sync_layers)
            except TypeError:
                pass
        self.window.close()

    # the part of QgisInterface the plugin's docks use
    def mapCanvas(self):  # noqa: N802 - QGIS's names
        return self.canvas

    def mainWindow(self):  # noqa: N802
        return self.window

    def messageBar(self):  # noqa: N802
        return self.bar

    def addDockWidget(self, area, dock):  # noqa: N802
        self.window.addDockWidget(area, dock)

    def removeDockWidget(self, dock):  # noqa: N802
        self.window.removeDockWidget(dock)


def _settle(canvas=None, seconds: float = 0.3) -> None:
    if canvas is not None:
        canvas.refreshAllLayers()
        canvas.waitWhileRendering()
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    if canvas is not None:
        canvas.waitWhileRendering()
    QCoreApplication.processEvents()


def ensure_demo(path: str, n_events: int = 600, n_facts: int = 60_000, seed: int = 0) -> str:
    """Writes the demo city to ``path`` unless it is there."""
    if os.path.exists(path):
        return path
    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.store.ogr_io import write_demo_city

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_demo_city(path, make_demo_city(n_events=n_events, n_facts=n_facts, seed=seed))
    return path


def screenshot_docks(
    out_dir: str,
    demo_path: Optional[str] = None,
    size=(1600, 1000),
    planned_id: str = "P002",
    dock_width: int = 520,
    with_store: bool = True,
) -> List[str]:
    """Opens the demo observatory, draws and describes a planned event, estimates its
    score, clicks the first similar event, and writes PNGs of the window and of each tab.

    ``planned_id``: the demo's planned event whose footprint, nature and dates are used;
    ``with_store``: the layers are imported into a throw-away store first (the Audit tab then
    shows its trail).
    Returns the paths written: ``window_results.png``, ``dock_data.png``,
    ``dock_event.png``, ``dock_results.png``, ``dock_audit.png`` (with the trends and
    alerts computed) and ``window_alerts.png`` (the sectors in alert on the map).
    """
    from tranquillite_plugin.gui.controller import Controller
    from tranquillite_plugin.gui.dock import AUDIT_TAB, DATA_TAB, EVENT_TAB, RESULTS_TAB, add_dock
    from tranquillite_plugin.gui.geometry import transform

    os.makedirs(out_dir, exist_ok=True)
    demo_path = ensure_demo(demo_path or os.path.join(out_dir, "..", "demo_city.gpkg"))
    iface = StandaloneIface(size)
    planned_copy = os.path.join(out_dir, ".screenshot_planned.gpkg")
    if os.path.exists(planned_copy):
        os.remove(planned_copy)
    controller = Controller(iface, planned_path=planned_copy)
    dock = add_dock(iface, controller)
    dock.setMinimumWidth(dock_width)
    iface.window.resizeDocks([dock], [dock_width], Qt.Orientation.Horizontal)
    iface.window.show()
    _settle()
    controller.open_observatory(demo_path)
    _settle(iface.canvas, 0.5)
    paths: Dict[str, str] = {}
    source = controller.planned.load(planned_id)
    if source is None:
        raise ValueError(f"planned event {planned_id} is not in {demo_path}")
    store_path = os.path.join(out_dir, ".screenshot_store.gpkg")
    if with_store:
        # a store, the demo layers imported into it: the Audit tab has a trail to show
        if os.path.exists(store_path):
            os.remove(store_path)
        controller.open_store(store_path, create=True)
        dock.data_panel.import_all()
        if not wait_until(lambda: not controller.running, 300):
            raise RuntimeError(tr("The import did not finish: {}").format(dock.status.text()))
        # the demo's planned events too, so that the clash check has neighbours to warn about
        controller.store.import_layer("planned", f"{demo_path}|layername=planned", name="planned")
        controller.planned.refresh()
        controller.plannedListChanged.emit()
        _settle(iface.canvas, 0.3)

    # the Event tab with a drawn footprint (the demo's planned event, given a new id)
    panel = dock.event_panel
    panel.new_event()
    panel.event_id.setText(f"{planned_id}-bis")
    panel.nature.setCurrentIndex(panel.nature.findData(source.nature))
    panel.participants.setValue(int(source.participants))
    panel.start.setDateTime(QDateTime(source.start))
    panel.end.setDateTime(QDateTime(source.end))
    panel.set_footprint(QgsGeometry(source.geometry))
    controller.show_planned_footprint(source.geometry)
    extent = transform(source.geometry, controller.working_crs, controller.canvas_crs()).boundingBox()
    extent.grow(max(extent.width(), extent.height()) * 1.2 + 400)
    iface.canvas.setExtent(QgsRectangle(extent))
    dock.show_tab(EVENT_TAB)
    _settle(iface.canvas)
    paths["dock_event"] = _grab(dock, out_dir, "dock_event.png")

    # estimate the score, then click the first similar event
    task = panel.predict()
    if task is None or not wait_until(lambda: controller.prediction is not None and not controller.running, 300):
        raise RuntimeError(tr("The prediction did not finish: {}").format(dock.status.text()))
    dock.show_tab(RESULTS_TAB)
    _settle()
    dock.results_panel.table.selectRow(0)
    dock.results_panel.show_row(0)
    _settle(iface.canvas, 0.8)
    paths["window_results"] = _grab(iface.window, out_dir, "window_results.png")
    paths["dock_results"] = _grab(dock, out_dir, "dock_results.png", full_height=True)
    dock.show_tab(DATA_TAB)
    _settle()
    paths["dock_data"] = _grab(dock, out_dir, "dock_data.png")
    dock.show_tab(AUDIT_TAB)
    _settle()
    paths["dock_audit"] = _grab(dock, out_dir, "dock_audit.png")
    # trends and alerts with the default rule: the list, and the sectors in alert on the map
    audit = dock.audit_panel
    if audit.compute_trends() is not None and wait_until(lambda: controller.trends_result is not None and not controller.running, 300):
        if audit.alerts_table.rowCount():
            audit.show_alert(0)
            controller.clear_highlights()
            layer = controller.alerts_layer()
            if layer is not None:
                extent = transform(QgsGeometry.fromRect(layer.extent()), layer.crs(), controller.canvas_crs()).boundingBox()
                extent.scale(1.05)
                iface.canvas.setExtent(extent)
        iface._sync_layers()  # the layer joined the tree after the project announced it
        area = dock.tabs.currentWidget()
        if hasattr(area, "ensureWidgetVisible"):
            area.ensureWidgetVisible(audit.alerts_hint)
        _settle(iface.canvas, 0.8)
        paths["window_alerts"] = _grab(iface.window, out_dir, "window_alerts.png")
    if with_store:
        audit.verify()
    _settle()
    paths["dock_audit"] = _grab(dock, out_dir, "dock_audit.png", full_height=True)

    controller.close()
    iface.close()
    dock.deleteLater()
    iface.window.deleteLater()
    QCoreApplication.processEvents()
    for leftover in (planned_copy, store_path):
        if os.path.exists(leftover):
            os.remove(leftover)
    return list(paths.values())


def _grab(widget, out_dir: str, name: str, full_height: bool = False) -> str:
    """PNG of a widget; ``full_height``: a dock's current tab unrolled (no scroll bar)."""
    path = os.path.join(out_dir, name)
    if full_height and hasattr(widget, "tabs"):
        area = widget.tabs.currentWidget()
        inner = area.widget() if hasattr(area, "widget") else area
        inner.adjustSize()
        pixmap = inner.grab()
    else:
        pixmap = widget.grab()
    if not pixmap.save(path, "PNG"):
        raise IOError(tr("Cannot write {}").format(path))
    return path
