"""The docks on the map: the footprint tool, rubber bands on similar past events and
sectors, zooming, and the temporary layer of trend alerts."""

from __future__ import annotations

from typing import List, Optional

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer, QgsWkbTypes
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from tranquillite_plugin.core.footprint import footprint
from tranquillite_plugin.gui.footprint_tool import POLYGON, FootprintTool
from tranquillite_plugin.gui.geometry import buffered_footprint, from_shapely, transform
from tranquillite_plugin.i18n import tr

HIGHLIGHT = QColor(255, 140, 0)
HIGHLIGHT_FILL = QColor(255, 140, 0, 50)
FACT_COLOUR = QColor(200, 20, 40)
NO_FILL = QColor(0, 0, 0, 0)


class MapHighlights(QObject):
    footprintChanged = pyqtSignal(object)  # noqa: N815 - QgsGeometry (working CRS) or None
    selectionShown = pyqtSignal(str)  # noqa: N815 - event_id highlighted on the map

    def __init__(self, canvas, messages, settings_of, parent=None):
        """``settings_of()``: (working CRS, core.score.ScoreSettings) as the user set them."""
        super().__init__(parent)
        self.canvas = canvas
        self.messages = messages
        self.settings_of = settings_of
        self.highlights: List[QgsRubberBand] = []
        self.alerts_layer_id = ""
        self.tool = FootprintTool(canvas, POLYGON, self._buffer_preview)
        self.tool.footprintFinished.connect(self._on_footprint)
        self.tool.drawingCancelled.connect(lambda: self.footprintChanged.emit(None))

    # --- drawing ---------------------------------------------------------------------------

    def start_drawing(self, mode: str) -> None:
        self.tool.set_mode(mode)
        self.canvas.setMapTool(self.tool)
        self.footprintChanged.emit(None)

    def edit_footprint(self, geometry_working: Optional[QgsGeometry]) -> None:
        """Loads a footprint (working CRS) into the tool to drag its vertices."""
        if geometry_working is None:
            return
        self.tool.set_geometry(transform(geometry_working, self.settings_of()[0], self.canvas_crs()))
        self.canvas.setMapTool(self.tool)

    def show_planned_footprint(self, geometry_working: Optional[QgsGeometry]) -> None:
        """Shows a (loaded) planned footprint with the tool's bands, ready to edit."""
        if geometry_working is None:
            self.tool.clear()
            return
        self.tool.set_geometry(transform(geometry_working, self.settings_of()[0], self.canvas_crs()))

    def canvas_crs(self) -> QgsCoordinateReferenceSystem:
        return self.canvas.mapSettings().destinationCrs()

    def _buffer_preview(self, geometry_canvas: QgsGeometry):
        work, s = self.settings_of()
        return buffered_footprint(geometry_canvas, self.canvas_crs(), work, s.line_buffer_m, s.point_buffer_m)

    def _on_footprint(self, geometry_canvas) -> None:
        if geometry_canvas is None:
            self.footprintChanged.emit(None)
            return
        self.footprintChanged.emit(transform(geometry_canvas, self.canvas_crs(), self.settings_of()[0]))

    # --- bands and zoom -----------------------------------------------------------------------

    def clear_highlights(self) -> None:
        scene = self.canvas.scene()
        for band in self.highlights:
            band.reset()
            if band.scene() is not None:
                scene.removeItem(band)
        self.highlights = []
        self.canvas.refresh()

    def _band(self, geometry_type, stroke: QColor, fill: QColor, width: int = 2) -> QgsRubberBand:
        band = QgsRubberBand(self.canvas, geometry_type)
        band.setStrokeColor(stroke)
        band.setFillColor(fill)
        band.setWidth(width)
        self.highlights.append(band)
        return band

    def zoom_to(self, shape, crs: str) -> None:
        g = from_shapely(shapely.envelope(shape), crs, self.canvas_crs())
        rect = g.boundingBox()
        rect.scale(1.1)
        self.canvas.setExtent(rect)
        self.canvas.refresh()

    def zoom_to_layers(self, layers) -> None:
        extent = QgsRectangle()
        extent.setMinimal()
        dest = self.canvas_crs()
        for layer in layers:
            if layer is None or not layer.isValid():
                continue
            rect = layer.extent()
            if rect.isEmpty():
                continue
            g = transform(QgsGeometry.fromRect(rect), layer.crs(), dest)
            extent.combineExtentWith(g.boundingBox())
        if not extent.isEmpty():
            extent.scale(1.05)
            self.canvas.setExtent(extent)
            self.canvas.refresh()

    def show_event(self, event_id: str, event: Optional[pd.Series], facts: Optional[pd.DataFrame],
                   similar_row: Optional[pd.Series] = None) -> bool:
        """Zooms to a past event and highlights its footprint and the ``facts`` that made its score;
        without the event, its point (``similar_row``'s x, y) when known."""
        self.clear_highlights()
        dest = self.canvas_crs()
        work, s = self.settings_of()
        if event is None:
            if similar_row is None or not np.isfinite(similar_row.get("x", np.nan)):
                self.messages.info.emit(tr("Event {} is not in the loaded layers: its footprint cannot be shown").format(event_id))
                return False
            point = shapely.Point(float(similar_row["x"]), float(similar_row["y"]))
            band = self._band(QgsWkbTypes.PointGeometry, HIGHLIGHT, HIGHLIGHT_FILL, 3)
            band.setIcon(QgsRubberBand.ICON_CIRCLE)
            band.setIconSize(18)
            band.setToGeometry(from_shapely(point, work, dest), None)
            self.zoom_to(point.buffer(s.radius_m), work)
            self.selectionShown.emit(str(event_id))
            return True
        fp = footprint(event["geometry"], s.line_buffer_m, s.point_buffer_m)
        area = self._band(QgsWkbTypes.PolygonGeometry, HIGHLIGHT, HIGHLIGHT_FILL, 3)
        area.setToGeometry(from_shapely(fp, work, dest), None)
        reach = self._band(QgsWkbTypes.PolygonGeometry, QColor(255, 140, 0, 160), NO_FILL, 1)
        reach.setLineStyle(Qt.PenStyle.DashLine)
        reach.setToGeometry(from_shapely(fp.buffer(s.radius_m, quad_segs=16), work, dest), None)
        if facts is not None and len(facts):
            pts = self._band(QgsWkbTypes.PointGeometry, FACT_COLOUR, NO_FILL, 2)
            pts.setIcon(QgsRubberBand.ICON_CIRCLE)
            pts.setIconSize(12)
            multi = from_shapely(shapely.multipoints(np.column_stack([facts["x"], facts["y"]])), work, dest)
            pts.setToGeometry(multi, None)
        self.zoom_to(fp.buffer(s.radius_m), work)
        self.selectionShown.emit(str(event_id))
        return True

    def show_shape(self, shape, crs: str) -> None:
        """Outlines one shape (a sector) and zooms to it."""
        self.clear_highlights()
        band = self._band(QgsWkbTypes.PolygonGeometry, HIGHLIGHT, NO_FILL, 3)
        band.setToGeometry(from_shapely(shape, crs, self.canvas_crs()), None)
        self.zoom_to(shape, crs)

    # --- the trend alerts' temporary layer -----------------------------------------------------

    def show_alerts_layer(self, trends) -> Optional[QgsVectorLayer]:
        """Replaces the temporary layer of trend alerts (red sectors labelled with their driving category)."""
        from tranquillite_plugin.gui.alerts import alerts_layer

        self.remove_alerts_layer()
        try:
            layer = alerts_layer(trends.result, trends.sectors, self.settings_of()[0])
        except (ValueError, RuntimeError) as err:
            self.messages.failed.emit(tr("The trend alerts could not be drawn: {}").format(err))
            return None
        QgsProject.instance().addMapLayer(layer, False)
        QgsProject.instance().layerTreeRoot().insertLayer(0, layer)
        self.alerts_layer_id = layer.id()
        return layer

    def alerts_layer(self) -> Optional[QgsVectorLayer]:
        return QgsProject.instance().mapLayer(self.alerts_layer_id) if self.alerts_layer_id else None

    def remove_alerts_layer(self) -> None:
        if self.alerts_layer() is not None:
            QgsProject.instance().removeMapLayer(self.alerts_layer_id)
        self.alerts_layer_id = ""

    def close(self) -> None:
        self.clear_highlights()
        self.remove_alerts_layer()
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
        self.tool.remove_from_canvas()
