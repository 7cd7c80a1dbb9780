"""QgsGeometry <-> shapely, between the canvas CRS and the working CRS."""

from __future__ import annotations

from typing import Optional

import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

from tranquillite_plugin.core.footprint import footprint


def crs(value) -> QgsCoordinateReferenceSystem:
    return value if isinstance(value, QgsCoordinateReferenceSystem) else QgsCoordinateReferenceSystem(str(value))


def transform(geometry: QgsGeometry, source, target) -> QgsGeometry:
    """A copy of ``geometry`` taken from CRS ``source`` to CRS ``target``."""
    out = QgsGeometry(geometry)
    src, dst = crs(source), crs(target)
    if src.isValid() and dst.isValid() and src != dst:
        out.transform(QgsCoordinateTransform(src, dst, QgsProject.instance()))
    return out


def to_shapely(geometry: QgsGeometry, source=None, target=None):
    """QgsGeometry (in ``source``) -> shapely geometry (in ``target``)."""
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    g = transform(geometry, source, target) if source is not None and target is not None else geometry
    return shapely.from_wkb(bytes(g.asWkb()))


def from_shapely(geometry, source=None, target=None) -> Optional[QgsGeometry]:
    """shapely geometry (in ``source``) -> QgsGeometry (in ``target``)."""
    if geometry is None or geometry.is_empty:
        return None
    g = QgsGeometry()
    g.fromWkb(shapely.to_wkb(geometry))
    return transform(g, source, target) if source is not None and target is not None else g


def buffered_footprint(geometry: QgsGeometry, canvas_crs, working_crs, line_buffer: float, point_buffer: float) -> Optional[QgsGeometry]:
    """The event's footprint (core.footprint, in the working CRS) drawn back in the canvas CRS."""
    shape = to_shapely(geometry, canvas_crs, working_crs)
    if shape is None:
        return None
    return from_shapely(footprint(shape, line_buffer, point_buffer), working_crs, canvas_crs)
