"""``make screenshots``: the pictures of docs/screenshots, rendered under Xvfb.

    xvfb-run -a env QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py docs/screenshots

Writes
    demo_map.png          the styled demo city (sectors, axes, cameras, events, facts)
    demo_map_detail.png   the city centre, where the cameras' coverage and the pictograms read
    event_sheet.png       page 1 of the event sheet of a planned event
    dock_*.png            QGIS-like window with the plugin's dock: a drawn event and its results
                          (when the docks exist in tranquillite_plugin/gui/)

Every step says what it wrote; a step that cannot run says why and the others go on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SMALL = dict(n_events=600, n_facts=60_000, years=3, seed=0)
KEEP = []  # Qt objects that must outlive the screenshots


def start_qgis():
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], True)
    app.initQgis()
    return app


def wait_until(predicate, timeout_s: float = 120.0) -> bool:
    from qgis.PyQt.QtCore import QCoreApplication

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


def build_demo(folder: str) -> dict:
    """The demo observatory, its scored events and a model, through the core."""
    import json

    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.core.forest import train_model
    from tranquillite_plugin.core.model_io import save_model
    from tranquillite_plugin.core.score import ScoreSettings, score_events
    from tranquillite_plugin.store.ogr_io import write_layer, write_layers

    city = make_demo_city(**SMALL)
    gpkg = os.path.join(folder, "demo_observatory.gpkg")
    kinds = {"sectors": "sectors", "axes": "axes", "cameras": "cameras", "events": "events", "facts": "facts", "planned": "events"}
    write_layers(gpkg, {name: (kind, getattr(city, name)) for name, kind in kinds.items()}, city.crs)
    result = score_events(city.events, city.facts, ScoreSettings())
    events = city.events.copy()
    events["score"] = result.score
    events["n_facts"] = result.n_facts.astype(int)
    events["score_detail"] = [json.dumps(dict(zip(result.categories, map(float, row)))) for row in result.by_category]
    scored = os.path.join(folder, "scored_events.gpkg")
    write_layer(scored, "scored_events", "events", events, city.crs)
    model = train_model(city.events, result, sectors=city.sectors, score_settings=ScoreSettings())
    save_model(model, os.path.join(folder, "model.tqm"))
    return {"gpkg": gpkg, "scored": scored, "city": city}


def step(name, function, *args):
    t0 = time.perf_counter()
    try:
        out = function(*args)
    except Exception:  # noqa: BLE001 - a screenshot that fails must not stop the others
        print(f"  {name}: FAILED\n" + traceback.format_exc(), flush=True)
        return None
    print(f"  {name}: {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def shot_maps(demo: dict, out: str) -> list:
    from qgis.core import QgsRectangle

    from tranquillite_plugin.demo_render import render_demo_map

    written = []
    path = os.path.join(out, "demo_map.png")
    render_demo_map(demo["gpkg"], demo["scored"], path)
    written.append(path)
    # the centre, around the first planned event
    centre = demo["city"].planned["geometry"].iloc[0].centroid
    extent = QgsRectangle(centre.x - 900, centre.y - 650, centre.x + 900, centre.y + 650)
    path = os.path.join(out, "demo_map_detail.png")
    from tranquillite_plugin.i18n import tr

    render_demo_map(demo["gpkg"], demo["scored"], path, extent=extent, title=tr("Tranquillité publique — the city centre"))
    written.append(path)
    return written


def shot_sheet(demo: dict, out: str) -> list:
    from tranquillite_plugin.demo_render import write_demo_sheet

    pdf = os.path.join(out, "event_sheet.pdf")
    write_demo_sheet(demo["gpkg"], demo["scored"], {}, pdf)
    if shutil.which("pdftoppm") is None:
        print("  (pdftoppm is missing: no PNG of the event sheet)")
        return [pdf]
    base = os.path.join(out, "event_sheet")
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, base], check=True)
    os.remove(pdf)
    return [base + ".png"]


def shot_docks(demo: dict, out: str, folder: str) -> list:
    try:
        from tranquillite_plugin.gui.controller import Controller
        from tranquillite_plugin.gui.dock import RESULTS_TAB, add_dock
    except ImportError as err:
        print(f"  (no docks yet: {err})")
        return []
    from qgis.core import QgsLayerTreeModel, QgsProject, QgsRectangle
    from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsLayerTreeView, QgsMapCanvas, QgsMessageBar
    from qgis.PyQt.QtCore import QDateTime, QEvent, QPoint, Qt
    from qgis.PyQt.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

    window = QMainWindow()
    window.setWindowTitle("QGIS — Tranquillité publique")
    central = QWidget()
    box = QVBoxLayout(central)
    box.setContentsMargins(0, 0, 0, 0)
    bar = QgsMessageBar()
    canvas = QgsMapCanvas()
    canvas.setCanvasColor(Qt.white)
    box.addWidget(bar)
    box.addWidget(canvas, 1)
    window.setCentralWidget(central)
    iface = StandInInterface(canvas, bar, window)
    root = QgsProject.instance().layerTreeRoot()
    bridge = QgsLayerTreeMapCanvasBridge(root, canvas)  # keeps the canvas in sync with the project
    tree = QgsLayerTreeView()
    tree_model = QgsLayerTreeModel(root, tree)  # parented: lives as long as the view
    tree.setModel(tree_model)
    layers_dock = QDockWidget("Layers")
    layers_dock.setWidget(tree)
    window.addDockWidget(Qt.LeftDockWidgetArea, layers_dock)
    window.resize(1600, 1000)
    window.show()

    controller = Controller(iface, planned_path=os.path.join(folder, "planned.gpkg"))
    dock = add_dock(iface, controller)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    window.resizeDocks([layers_dock, dock], [250, 560], Qt.Horizontal)
    dock.show()
    controller.open_observatory(demo["gpkg"])
    wait_until(lambda: not getattr(controller, "running", None), 60)
    for node in root.findLayers():  # a tidy Layers panel: legends folded
        node.setExpanded(False)

    # draw a planned concert around the first planned event's centre, as a user would
    planned = demo["city"].planned
    row = planned.iloc[1] if len(planned) > 1 else planned.iloc[0]
    centre = row["geometry"].centroid
    canvas.setExtent(QgsRectangle(centre.x - 700, centre.y - 450, centre.x + 700, centre.y + 450))
    canvas.refresh()
    wait_until(lambda: False, 1.0)
    written = []
    panel = dock.event_panel
    dock.tabs.setCurrentIndex(1)
    panel.draw("polygon")
    tool = controller.tool
    half = 140.0
    for dx, dy in ((-half, -half), (half, -half), (half, half), (-half, half)):
        _click(canvas, tool, centre.x + dx, centre.y + dy)
    _click(canvas, tool, centre.x, centre.y, Qt.RightButton)
    panel.event_id.setText("P-2026-CONCERT")
    index = panel.nature.findData("concert")
    if index >= 0:
        panel.nature.setCurrentIndex(index)
    panel.participants.setValue(40000)
    start = QDateTime.fromString(row["start"].strftime("%Y-%m-%dT%H:%M:%S"), Qt.ISODate)
    panel.start.setDateTime(start)
    panel.end.setDateTime(start.addSecs(4 * 3600))
    wait_until(lambda: False, 0.5)
    path = os.path.join(out, "dock_event.png")
    window.grab().save(path)
    written.append(path)

    task = panel.predict()
    if task is None:
        print("  (the prediction did not start: " + dock.status.text() + ")")
        return written
    if not wait_until(lambda: controller.prediction is not None, 300):
        print("  (no prediction after 300 s: " + dock.status.text() + ")")
        return written
    dock.tabs.setCurrentIndex(RESULTS_TAB)
    table = getattr(dock.results_panel, "table", None)
    if table is not None and table.rowCount():
        table.selectRow(0)
        rect = table.visualItemRect(table.item(0, 0))
        from qgis.PyQt.QtGui import QMouseEvent
        from qgis.PyQt.QtWidgets import QApplication

        for kind in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease):
            QApplication.sendEvent(table.viewport(), QMouseEvent(kind, QPoint(rect.center()), Qt.LeftButton, Qt.LeftButton, Qt.NoModifier))
    wait_until(lambda: False, 1.5)
    path = os.path.join(out, "dock_results.png")
    window.grab().save(path)
    written.append(path)
    path = os.path.join(out, "dock_results_panel.png")
    dock.grab().save(path)
    written.append(path)
    dock.tabs.setCurrentIndex(0)
    wait_until(lambda: False, 0.3)
    path = os.path.join(out, "dock_data.png")
    dock.grab().save(path)
    written.append(path)
    controller.cancel_tasks()
    KEEP.extend([window, dock, controller, bridge, tree])  # torn down by the process's end, not by the GC
    return written


class StandInInterface:
    """The few parts of QgisInterface the plugin's docks use, on a plain main window."""

    def __init__(self, canvas, bar, window):
        self._canvas, self._bar, self._window = canvas, bar, window

    def mapCanvas(self):  # noqa: N802 - QGIS's name
        return self._canvas

    def messageBar(self):  # noqa: N802
        return self._bar

    def mainWindow(self):  # noqa: N802
        return self._window

    def addDockWidget(self, area, dock):  # noqa: N802
        self._window.addDockWidget(area, dock)

    def removeDockWidget(self, dock):  # noqa: N802
        self._window.removeDockWidget(dock)


def _click(canvas, tool, x, y, button=None):
    from qgis.core import QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, Qt

    button = button or Qt.LeftButton
    point = canvas.getCoordinateTransform().transform(QgsPointXY(x, y)).toQPointF().toPoint()
    steps = (
        (QEvent.MouseMove, "canvasMoveEvent"),
        (QEvent.MouseButtonPress, "canvasPressEvent"),
        (QEvent.MouseButtonRelease, "canvasReleaseEvent"),
    )
    for kind, method in steps:
        pressed = Qt.NoButton if kind == QEvent.MouseMove else button
        event = QgsMapMouseEvent(canvas, kind, point, pressed, pressed, Qt.NoModifier)
        getattr(tool, method)(event)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=os.path.join(ROOT, "docs", "screenshots"))
    parser.add_argument("--only", choices=["maps", "sheet", "docks"], action="append")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    app = start_qgis()  # noqa: F841 - the application lives until os._exit
    written = []
    with tempfile.TemporaryDirectory(prefix="tranquillite_shots_") as folder:
        print("→ building the demo observatory …", flush=True)
        demo = step("demo", build_demo, folder)
        if demo is None:
            return 1
        only = set(args.only or ["maps", "sheet", "docks"])
        if "maps" in only:
            written += step("maps", shot_maps, demo, args.out) or []
        if "sheet" in only:
            written += step("event sheet", shot_sheet, demo, args.out) or []
        if "docks" in only:
            written += step("docks", shot_docks, demo, args.out, folder) or []
        from qgis.core import QgsProject

        QgsProject.instance().clear()
    print("\nWritten:")
    for path in written:
        print("  " + os.path.relpath(path, ROOT))
    sys.stdout.flush()
    sys.stderr.flush()
    # QGIS's exit tears down the project's layers under the docks: end the process here
    os._exit(0 if written else 1)


if __name__ == "__main__":
    sys.exit(main())
