"""Footprint of an event (SPEC §3): a polygon as it is, a line buffered by
15 m, a point buffered by 50 m. Multi-parts are buffered part-family-wise.

Buffers use shapely's (GEOS) round buffer with 8 segments per quarter circle;
the footprint *is* that polygon, so every exact comparison (and the brute-force
reference of the tests) uses the same geometry.
"""

from __future__ import annotations

import numpy as np
import shapely

LINE_BUFFER_M = 15.0
POINT_BUFFER_M = 50.0
QUAD_SEGS = 8

_POINTS = (0, 4)
_LINES = (1, 2, 5)
_POLYGONS = (3, 6)


def footprints(geometries, line_buffer: float = LINE_BUFFER_M, point_buffer: float = POINT_BUFFER_M) -> np.ndarray:
    """Array of event geometries -> array of footprint polygons."""
    geoms = np.asarray(geometries, dtype=object)
    out = np.empty(len(geoms), dtype=object)
    tid = shapely.get_type_id(geoms)
    pts = np.isin(tid, _POINTS)
    lines = np.isin(tid, _LINES)
    polys = np.isin(tid, _POLYGONS)
    out[polys] = geoms[polys]
    if pts.any():
        out[pts] = shapely.buffer(geoms[pts], point_buffer, quad_segs=QUAD_SEGS)
    if lines.any():
        out[lines] = shapely.buffer(geoms[lines], line_buffer, quad_segs=QUAD_SEGS)
    for i in np.flatnonzero(~(pts | lines | polys)):
        out[i] = footprint(geoms[i], line_buffer, point_buffer)
    return out


def footprint(geometry, line_buffer: float = LINE_BUFFER_M, point_buffer: float = POINT_BUFFER_M):
    """One geometry -> its footprint; a mixed collection is the union of its parts' footprints."""
    if geometry is None or geometry.is_empty:
        return shapely.Polygon()
    tid = shapely.get_type_id(geometry)
    if tid in _POLYGONS:
        return geometry
    if tid in _POINTS:
        return shapely.buffer(geometry, point_buffer, quad_segs=QUAD_SEGS)
    if tid in _LINES:
        return shapely.buffer(geometry, line_buffer, quad_segs=QUAD_SEGS)
    parts = [footprint(p, line_buffer, point_buffer) for p in shapely.get_parts(geometry)]
    return shapely.union_all(parts)
