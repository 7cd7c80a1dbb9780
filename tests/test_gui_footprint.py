"""The footprint map tool, driven with real mouse and key events on the canvas."""

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSnappingConfig,
    QgsTolerance,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapMouseEvent, QgsRubberBand
from qgis.PyQt.QtCore import QEvent, QPoint, Qt
from qgis.PyQt.QtGui import QKeyEvent

from tests.conftest_gui import prepare_canvas
from tranquillite_plugin.gui.footprint_tool import LINE, POINT, POLYGON, FootprintTool

X0, Y0 = 892_000.0, 6_246_000.0


@pytest.fixture
def canvas(qgis_canvas, qgis_new_project):
    prepare_canvas(qgis_canvas, QgsRectangle(X0, Y0, X0 + 600, Y0 + 600))
    yield qgis_canvas
    qgis_canvas.unsetMapTool(qgis_canvas.mapTool())
    qgis_canvas.snappingUtils().setConfig(QgsSnappingConfig())


@pytest.fixture
def tool(canvas):
    t = FootprintTool(canvas, POLYGON)
    canvas.setMapTool(t)
    yield t
    canvas.unsetMapTool(t)
    t.remove_from_canvas()


def pixel(canvas, x, y) -> QPoint:
    p = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(int(round(p.x())), int(round(p.y())))


def mouse(canvas, tool, kind, x, y, button=Qt.MouseButton.LeftButton):
    pos = pixel(canvas, x, y)
    event_type = {
        "press": QEvent.Type.MouseButtonPress,
        "release": QEvent.Type.MouseButtonRelease,
        "move": QEvent.Type.MouseMove,
        "double": QEvent.Type.MouseButtonDblClick,
    }[kind]
    buttons = Qt.MouseButton.NoButton if kind == "release" else button
    event = QgsMapMouseEvent(canvas, event_type, pos, button if kind != "move" else Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier)
    {"press": tool.canvasPressEvent, "release": tool.canvasReleaseEvent, "move": tool.canvasMoveEvent, "double": tool.canvasDoubleClickEvent}[kind](event)


def click(canvas, tool, x, y, button=Qt.MouseButton.LeftButton):
    mouse(canvas, tool, "move", x, y)
    mouse(canvas, tool, "press", x, y, button)
    mouse(canvas, tool, "release", x, y, button)


def key(tool, k):
    tool.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, k, Qt.KeyboardModifier.NoModifier))


def rubber_bands(canvas):
    return [i for i in canvas.scene().items() if isinstance(i, QgsRubberBand)]


def test_area_drawn_by_clicks_finishes_with_right_click(canvas, tool):
    finished = []
    tool.footprintFinished.connect(finished.append)
    for x, y in ((X0 + 100, Y0 + 100), (X0 + 300, Y0 + 100), (X0 + 300, Y0 + 300), (X0 + 100, Y0 + 300)):
        click(canvas, tool, x, y)
    assert tool.drawing and len(tool.vertices) == 4
    click(canvas, tool, X0 + 200, Y0 + 400, Qt.MouseButton.RightButton)  # right click finishes, adds nothing
    assert len(finished) == 1
    geom = finished[0]
    assert geom.type() == QgsWkbTypes.PolygonGeometry
    # one pixel is one metre here: the clicks land within a pixel of the intended corners
    assert geom.area() == pytest.approx(200 * 200, rel=0.02)
    assert tool.band.asGeometry().area() == pytest.approx(geom.area(), rel=1e-6)


def test_backspace_undoes_the_last_vertex_and_esc_cancels(canvas, tool):
    cancelled = []
    tool.drawingCancelled.connect(lambda: cancelled.append(True))
    for x, y in ((X0 + 100, Y0 + 100), (X0 + 300, Y0 + 100), (X0 + 300, Y0 + 300)):
        click(canvas, tool, x, y)
    key(tool, Qt.Key.Key_Backspace)
    assert len(tool.vertices) == 2
    assert tool.vertices[-1].x() == pytest.approx(X0 + 300, abs=1.5)
    assert tool.vertices[-1].y() == pytest.approx(Y0 + 100, abs=1.5)
    key(tool, Qt.Key.Key_Delete)
    assert len(tool.vertices) == 1
    key(tool, Qt.Key.Key_Escape)
    assert tool.vertices == [] and not tool.drawing and cancelled == [True]
    assert tool.band.asGeometry().isEmpty()
    # a right click with too few vertices does not finish an area
    click(canvas, tool, X0 + 100, Y0 + 100)
    click(canvas, tool, X0 + 200, Y0 + 100)
    click(canvas, tool, X0 + 200, Y0 + 100, Qt.MouseButton.RightButton)
    assert tool.drawing and not tool.finished


def test_itinerary_finishes_on_double_click_without_a_doubled_vertex(canvas, tool):
    tool.set_mode(LINE)
    finished = []
    tool.footprintFinished.connect(finished.append)
    click(canvas, tool, X0 + 50, Y0 + 50)
    click(canvas, tool, X0 + 250, Y0 + 50)
    # a double click: press, release, double-click, release at the same place
    mouse(canvas, tool, "press", X0 + 250, Y0 + 250)
    mouse(canvas, tool, "release", X0 + 250, Y0 + 250)
    mouse(canvas, tool, "double", X0 + 250, Y0 + 250)
    mouse(canvas, tool, "release", X0 + 250, Y0 + 250)
    assert len(finished) == 1
    line = finished[0]
    assert line.type() == QgsWkbTypes.LineGeometry
    assert len(line.asPolyline()) == 3
    assert line.length() == pytest.approx(400, rel=0.02)


def test_point_finishes_on_one_click_and_shows_its_buffered_footprint(canvas):
    previews = []

    def preview(geom):
        out = geom.buffer(50, 16)
        previews.append(out)
        return out

    tool = FootprintTool(canvas, POINT, buffer_preview=preview)
    canvas.setMapTool(tool)
    try:
        finished = []
        tool.footprintFinished.connect(finished.append)
        click(canvas, tool, X0 + 300, Y0 + 300)
        assert len(finished) == 1 and finished[0].type() == QgsWkbTypes.PointGeometry
        assert tool.preview_band.asGeometry().area() == pytest.approx(previews[-1].area(), rel=1e-6)
        assert tool.preview_band.asGeometry().area() == pytest.approx(3.1416 * 2500, rel=0.01)
    finally:
        canvas.unsetMapTool(tool)
        tool.remove_from_canvas()


def test_dragging_a_vertex_edits_an_existing_footprint(canvas, tool):
    square = QgsGeometry.fromPolygonXY(
        [[QgsPointXY(X0 + 100, Y0 + 100), QgsPointXY(X0 + 300, Y0 + 100), QgsPointXY(X0 + 300, Y0 + 300), QgsPointXY(X0 + 100, Y0 + 300)]]
    )
    tool.set_geometry(square)
    assert tool.finished and len(tool.vertices) == 4
    finished = []
    tool.footprintFinished.connect(finished.append)
    # grab the corner (300, 300) a few pixels off and drop it at (400, 400)
    mouse(canvas, tool, "press", X0 + 303, Y0 + 298)
    assert tool.drag_index == 2
    mouse(canvas, tool, "move", X0 + 350, Y0 + 350, Qt.MouseButton.LeftButton)
    mouse(canvas, tool, "release", X0 + 400, Y0 + 400)
    assert len(finished) == 1
    moved = finished[0]
    # the square lost a corner and gained a triangle: 200*200 + 2 * (0.5*200*100)
    assert moved.area() == pytest.approx(200 * 200 + 200 * 100, rel=0.02)
    # a press far from every vertex grabs nothing and adds nothing
    mouse(canvas, tool, "press", X0 + 500, Y0 + 150)
    mouse(canvas, tool, "release", X0 + 500, Y0 + 150)
    assert len(tool.vertices) == 4 and len(finished) == 1


def test_clicks_snap_to_the_vertices_of_a_layer(canvas, tool):
    layer = QgsVectorLayer("Polygon?crs=EPSG:2154", "blocks", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({X0 + 200} {Y0 + 200}, {X0 + 260} {Y0 + 200}, {X0 + 260} {Y0 + 260}, {X0 + 200} {Y0 + 200}))"))
    layer.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(layer)
    canvas.setLayers([layer])
    config = QgsSnappingConfig()
    config.setEnabled(True)
    config.setMode(QgsSnappingConfig.AllLayers)
    config.setTypeFlag(QgsSnappingConfig.VertexFlag)
    config.setTolerance(12)
    config.setUnits(QgsTolerance.Pixels)
    canvas.snappingUtils().setConfig(config)
    canvas.snappingUtils().setCurrentLayer(layer)
    # 5 pixels (5 m) away from the vertex (260, 260): the vertex is taken exactly
    click(canvas, tool, X0 + 264, Y0 + 257)
    assert tool.vertices[-1].x() == pytest.approx(X0 + 260, abs=1e-6)
    assert tool.vertices[-1].y() == pytest.approx(Y0 + 260, abs=1e-6)
    # far from any vertex: the point under the cursor
    click(canvas, tool, X0 + 450, Y0 + 450)
    assert tool.vertices[-1].x() == pytest.approx(X0 + 450, abs=1.5)


def test_removing_the_tool_takes_its_rubber_bands_off_the_scene(canvas):
    before = len(rubber_bands(canvas))
    tool = FootprintTool(canvas, POLYGON)
    assert len(rubber_bands(canvas)) == before + 3
    tool.remove_from_canvas()
    assert len(rubber_bands(canvas)) == before
