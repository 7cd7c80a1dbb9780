"""Clean frames (core/contract) -> QGIS memory layers, to draw them.

Used by the reports (the footprint and the similar events of an event sheet,
the demo map, the screenshots): a frame with a ``geometry`` column of shapely
geometries, or ``x``/``y`` columns, becomes one memory layer per geometry type
(an events frame may mix points, itineraries and areas).
"""

from __future__ import annotations

from typing import Dict, List, Optional

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer

from tranquillite_plugin.core.contract import DEFAULT_CRS
from tranquillite_plugin.fields import field_type, qgis_value
from tranquillite_plugin.i18n import tr

GEOMETRY_FAMILIES = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}
WKB_NAMES = {"point": "MultiPoint", "line": "MultiLineString", "polygon": "MultiPolygon"}


def frame_layers(
    frame: pd.DataFrame,
    name: str,
    crs: str = DEFAULT_CRS,
    columns: Optional[List[str]] = None,
) -> Dict[str, QgsVectorLayer]:
    """``{geometry family: memory layer}`` for the rows of ``frame``.

    Geometry comes from a ``geometry`` column (shapely) or from ``x``/``y``.
    ``columns`` (default: every column but geometry, x, y) become fields.
    A layer is named ``name`` when there is one family, else ``name (points)``... .
    """
    if "geometry" in frame.columns:
        geoms = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    elif "x" in frame.columns and "y" in frame.columns:
        geoms = shapely.points(frame["x"].to_numpy(float), frame["y"].to_numpy(float))
    else:
        raise ValueError(tr("Frame '{}' has neither a geometry column nor x/y columns.").format(name))
    if columns is None:
        columns = [c for c in frame.columns if c not in ("geometry", "x", "y")]
    types = {c: field_type(frame[c]) for c in columns}
    families = np.array([GEOMETRY_FAMILIES.get(int(t), "") for t in shapely.get_type_id(geoms)], dtype=object)
    present = [f for f in ("point", "line", "polygon") if (families == f).any()]
    labels = {"point": tr("points"), "line": tr("itineraries"), "polygon": tr("areas")}
    out: Dict[str, QgsVectorLayer] = {}
    for family in present:
        layer_name = name if len(present) == 1 else f"{name} ({labels[family]})"
        single = family == "point" and "geometry" not in frame.columns
        wkb = "Point" if single else WKB_NAMES[family]
        layer = QgsVectorLayer(f"{wkb}?crs={crs}", layer_name, "memory")
        provider = layer.dataProvider()
        provider.addAttributes([QgsField(c, types[c]) for c in columns])
        layer.updateFields()
        rows = np.flatnonzero(families == family)
        values = {c: frame[c].to_numpy(object) for c in columns}
        wkbs = shapely.to_wkb(geoms[rows])
        features = []
        for pos, i in enumerate(rows):
            feature = QgsFeature(layer.fields())
            geometry = QgsGeometry()
            geometry.fromWkb(wkbs[pos])
            if not single:
                geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes([qgis_value(values[c][i], types[c]) for c in columns])
            features.append(feature)
        provider.addFeatures(features)
        layer.updateExtents()
        out[family] = layer
    return out


def frame_layer(frame: pd.DataFrame, name: str, crs: str = DEFAULT_CRS, columns: Optional[List[str]] = None) -> QgsVectorLayer:
    """One memory layer (the frame must hold one geometry family)."""
    layers = frame_layers(frame, name, crs, columns)
    if len(layers) != 1:
        raise ValueError(tr("Frame '{}' holds {} geometry types; one layer cannot hold them.").format(name, len(layers)))
    return next(iter(layers.values()))
