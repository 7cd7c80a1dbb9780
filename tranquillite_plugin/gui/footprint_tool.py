"""The map tool that draws (and edits) the footprint of a planned event.

Modes: ``point``, ``line`` (an itinerary) and ``polygon`` (an area).

* left click adds a vertex (in point mode it also finishes), snapped with the
  project's snapping configuration (the canvas' ``QgsSnappingUtils``), with
  QGIS's snapping indicator;
* Backspace or Delete removes the last vertex; Esc cancels the drawing;
* right click or double click finishes a line or an area;
* once finished, drag a vertex to move it (editing an existing footprint:
  :meth:`FootprintTool.set_geometry`).

A rubber band shows the footprint as drawn, with its vertices, and a second
one the *buffered* footprint the score uses (a line buffered by 15 m, a point
by 50 m, see core.footprint), so the officer sees the area that will count.
Vertices are kept in the canvas CRS; :meth:`geometry` returns a QgsGeometry in
that CRS.
"""

from __future__ import annotations

from typing import Callable, List, Optional

from qgis.core import QgsGeometry, QgsPointLocator, QgsPointXY, QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand, QgsSnapIndicator
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from tranquillite_plugin.i18n import tr

POINT, LINE, POLYGON = "point", "line", "polygon"
MODES = (POINT, LINE, POLYGON)
_GEOMETRY_TYPE = {
    POINT: QgsWkbTypes.PointGeometry,
    LINE: QgsWkbTypes.LineGeometry,
    POLYGON: QgsWkbTypes.PolygonGeometry,
}
_MIN_VERTICES = {POINT: 1, LINE: 2, POLYGON: 3}

STROKE = QColor(31, 111, 235)
FILL = QColor(31, 111, 235, 60)
PREVIEW_STROKE = QColor(31, 111, 235, 170)
PREVIEW_FILL = QColor(31, 111, 235, 28)
#: pixels within which a press grabs a vertex
GRAB_TOLERANCE_PX = 10


def mode_of(geometry: QgsGeometry) -> str:
    kind = geometry.type()
    if kind == QgsWkbTypes.PointGeometry:
        return POINT
    if kind == QgsWkbTypes.LineGeometry:
        return LINE
    return POLYGON


def mode_labels():
    return {POINT: tr("Point"), LINE: tr("Itinerary"), POLYGON: tr("Area")}


class FootprintTool(QgsMapTool):
    footprintChanged = pyqtSignal()  # noqa: N815 - Qt signal names
    footprintFinished = pyqtSignal(object)  # noqa: N815 - QgsGeometry in the canvas CRS
    drawingCancelled = pyqtSignal()  # noqa: N815

    def __init__(self, canvas, mode: str = POLYGON, buffer_preview: Optional[Callable] = None):
        super().__init__(canvas)
        self.setObjectName("TranquilliteFootprintTool")
        self.mode = mode if mode in MODES else POLYGON
        self.buffer_preview = buffer_preview
        self.vertices: List[QgsPointXY] = []
        self.finished = False
        self.cursor_point: Optional[QgsPointXY] = None
        self.drag_index: Optional[int] = None
        self.band = self._make_band(_GEOMETRY_TYPE[self.mode])
        self.vertex_band = QgsRubberBand(canvas, QgsWkbTypes.PointGeometry)
        self.vertex_band.setIcon(QgsRubberBand.ICON_BOX)
        self.vertex_band.setIconSize(8)
        self.vertex_band.setColor(STROKE)
        self.vertex_band.setFillColor(QColor(255, 255, 255))
        self.vertex_band.setWidth(2)
        self.preview_band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
        self.preview_band.setStrokeColor(PREVIEW_STROKE)
        self.preview_band.setFillColor(PREVIEW_FILL)
        self.preview_band.setLineStyle(Qt.PenStyle.DashLine)
        self.preview_band.setWidth(1)
        self.snap_indicator = QgsSnapIndicator(canvas)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # --- state --------------------------------------------------------------------------

    def _make_band(self, geometry_type) -> QgsRubberBand:
        band = QgsRubberBand(self.canvas(), geometry_type)
        band.setStrokeColor(STROKE)
        band.setFillColor(FILL)
        band.setWidth(3 if geometry_type == QgsWkbTypes.LineGeometry else 2)
        if geometry_type == QgsWkbTypes.PointGeometry:
            band.setIcon(QgsRubberBand.ICON_CIRCLE)
            band.setIconSize(14)
        return band

    def set_mode(self, mode: str) -> None:
        """Starts a new drawing in ``mode`` (the current one is cleared)."""
        if mode not in MODES:
            raise ValueError(f"unknown footprint mode {mode!r}")
        self.clear(emit=False)
        self.mode = mode
        self.band.reset(_GEOMETRY_TYPE[mode])
        self.band.setWidth(3 if mode == LINE else 2)
        if mode == POINT:
            self.band.setIcon(QgsRubberBand.ICON_CIRCLE)
            self.band.setIconSize(14)

    def clear(self, emit: bool = True) -> None:
        self.vertices = []
        self.finished = False
        self.cursor_point = None
        self.drag_index = None
        self._redraw()
        if emit:
            self.footprintChanged.emit()

    def set_geometry(self, geometry: Optional[QgsGeometry]) -> None:
        """Loads an existing footprint (canvas CRS) to edit its vertices."""
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            self.clear()
            return
        mode = mode_of(geometry)
        self.set_mode(mode)
        g = QgsGeometry(geometry)
        if g.isMultipart():
            g = QgsGeometry(g.constGet().geometryN(0).clone())
        if mode == POINT:
            pts = [g.asPoint()]
        elif mode == LINE:
            pts = list(g.asPolyline())
        else:
            ring = list(g.asPolygon()[0])
            pts = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
        self.vertices = [QgsPointXY(p) for p in pts]
        self.finished = True
        self._redraw()
        self.footprintChanged.emit()

    @property
    def drawing(self) -> bool:
        return bool(self.vertices) and not self.finished

    def is_valid(self) -> bool:
        return len(self.vertices) >= _MIN_VERTICES[self.mode]

    def geometry(self, with_cursor: bool = False) -> Optional[QgsGeometry]:
        """The footprint in the canvas CRS, or None when it has too few vertices."""
        pts = list(self.vertices)
        if with_cursor and self.cursor_point is not None and not self.finished:
            pts.append(self.cursor_point)
        return _build(self.mode, pts)

    # --- events ---------------------------------------------------------------------------

    def snapped(self, pos) -> QgsPointXY:
        """Map point under ``pos``, snapped with the project's snapping settings."""
        utils = self.canvas().snappingUtils()
        match = utils.snapToMap(pos) if utils is not None else QgsPointLocator.Match()
        self.snap_indicator.setMatch(match)
        if match.isValid():
            return QgsPointXY(match.point())
        return self.toMapCoordinates(pos)

    def canvasMoveEvent(self, event):  # noqa: N802 - Qt's name
        point = self.snapped(event.pos())
        if self.drag_index is not None:
            self.vertices[self.drag_index] = point
            self._redraw()
        elif self.drawing:
            self.cursor_point = point
            self._redraw()

    def canvasPressEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.finished:
            self.drag_index = self.vertex_at(event.pos())

    def canvasReleaseEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            if self.drag_index is not None:
                self.vertices[self.drag_index] = self.snapped(event.pos())
                self.drag_index = None
                self._redraw()
                self.footprintChanged.emit()
                self.footprintFinished.emit(self.geometry())
                return
            if self.finished:
                return
            self.vertices.append(self.snapped(event.pos()))
            self.cursor_point = None
            if self.mode == POINT:
                self.finish()
                return
            self._redraw()
            self.footprintChanged.emit()
        elif event.button() == Qt.MouseButton.RightButton and self.drawing:
            self.finish()

    def canvasDoubleClickEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.drawing:
            self.finish()

    def keyPressEvent(self, event):  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.undo_last_vertex()
            event.accept()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
            event.accept()
        else:
            event.ignore()

    # --- actions --------------------------------------------------------------------------

    def undo_last_vertex(self) -> bool:
        if not self.vertices:
            return False
        if self.finished and len(self.vertices) <= _MIN_VERTICES[self.mode]:
            return False  # a finished footprint keeps enough vertices to stay valid
        self.vertices.pop()
        self._redraw()
        self.footprintChanged.emit()
        if self.finished:
            self.footprintFinished.emit(self.geometry())
        return True

    def cancel(self) -> None:
        self.clear(emit=False)
        self.snap_indicator.setMatch(QgsPointLocator.Match())
        self.footprintChanged.emit()
        self.drawingCancelled.emit()

    def finish(self) -> bool:
        """Ends the drawing; False when there are too few vertices (the drawing goes on)."""
        pts = []
        for p in self.vertices:
            if not pts or not _same(pts[-1], p):
                pts.append(p)
        if self.mode == POLYGON and len(pts) > 1 and _same(pts[0], pts[-1]):
            pts.pop()
        self.vertices = pts
        if not self.is_valid():
            self._redraw()
            return False
        self.finished = True
        self.cursor_point = None
        self._redraw()
        self.footprintChanged.emit()
        self.footprintFinished.emit(self.geometry())
        return True

    def vertex_at(self, pos) -> Optional[int]:
        best, best_d = None, GRAB_TOLERANCE_PX
        for i, v in enumerate(self.vertices):
            p = self.toCanvasCoordinates(v)
            d = ((p.x() - pos.x()) ** 2 + (p.y() - pos.y()) ** 2) ** 0.5
            if d <= best_d:
                best, best_d = i, d
        return best

    # --- drawing ----------------------------------------------------------------------------

    def _redraw(self) -> None:
        shown = self.geometry(with_cursor=True)
        if shown is None and len(self.vertices) + (self.cursor_point is not None) >= 2 and self.mode == POLYGON:
            pts = list(self.vertices) + ([self.cursor_point] if self.cursor_point is not None else [])
            shown = QgsGeometry.fromPolylineXY(pts)  # two points of an area: show the side
        self.band.reset(_GEOMETRY_TYPE[self.mode])
        if shown is not None:
            self.band.setToGeometry(shown, None)
        self.vertex_band.reset(QgsWkbTypes.PointGeometry)
        last = len(self.vertices) - 1
        for i, v in enumerate(self.vertices):
            self.vertex_band.addPoint(v, i == last)  # the last one updates (and shows) the band
        self.preview_band.reset(QgsWkbTypes.PolygonGeometry)
        geom = self.geometry(with_cursor=True)
        if geom is not None and self.buffer_preview is not None:
            try:
                preview = self.buffer_preview(geom)
            except Exception:  # noqa: BLE001 - a preview never breaks drawing
                preview = None
            if preview is not None and not preview.isEmpty():
                self.preview_band.setToGeometry(preview, None)

    def rubber_bands(self):
        return [self.band, self.vertex_band, self.preview_band]

    def deactivate(self):
        self.snap_indicator.setMatch(QgsPointLocator.Match())
        self.drag_index = None
        self.cursor_point = None
        self._redraw()
        super().deactivate()

    def remove_from_canvas(self) -> None:
        """Takes the rubber bands off the canvas (plugin unload)."""
        scene = self.canvas().scene()
        for band in self.rubber_bands():
            band.reset()
            if band.scene() is not None:
                scene.removeItem(band)
        self.snap_indicator.setMatch(QgsPointLocator.Match())


def _same(a: QgsPointXY, b: QgsPointXY) -> bool:
    return a.compare(b, 1e-9)


def _build(mode: str, pts: List[QgsPointXY]) -> Optional[QgsGeometry]:
    if len(pts) < _MIN_VERTICES[mode]:
        return None
    if mode == POINT:
        return QgsGeometry.fromPointXY(pts[-1])
    if mode == LINE:
        return QgsGeometry.fromPolylineXY(pts)
    return QgsGeometry.fromPolygonXY([pts + [pts[0]]])
