"""Writing a core result frame to a Processing sink (helper of the audit, trends and export algorithms).

Not an algorithm: the functions here turn a pandas frame (and shapely
geometries) into QGIS fields and features.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd
import shapely
from qgis.core import QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsGeometry, QgsWkbTypes

from tranquillite_plugin.fields import field_type, qgis_value


def frame_fields(frame: pd.DataFrame, columns: Sequence[str], types: Optional[dict] = None) -> QgsFields:
    """QGIS fields for ``columns`` of ``frame`` (``types`` overrides: name -> compat.FieldType)."""
    fields = QgsFields()
    for name in columns:
        kind = (types or {}).get(name) or field_type(frame[name])
        fields.append(QgsField(name, kind))
    return fields


def wkb_type_of(geoms) -> QgsWkbTypes.Type:
    """Multi-polygon for polygons (sectors can be multi-part), else from the first geometry."""
    ids = set(shapely.get_type_id(np.asarray(geoms, dtype=object)).tolist()) - {-1}
    if ids <= {3, 6}:
        return QgsWkbTypes.MultiPolygon
    if ids <= {0}:
        return QgsWkbTypes.Point
    if ids <= {1, 5}:
        return QgsWkbTypes.MultiLineString
    return QgsWkbTypes.Unknown


def to_qgs_geometry(geom, wkb_type=None) -> QgsGeometry:
    if geom is None or shapely.is_empty(geom):
        return QgsGeometry()
    g = QgsGeometry()
    # an explicit dimension: inside QGIS the GEOS loaded first may be older than shapely's and
    # refuse shapely 2.2's default (4)
    g.fromWkb(shapely.to_wkb(geom, output_dimension=3 if shapely.has_z(geom) else 2))
    if wkb_type is not None and QgsWkbTypes.isMultiType(wkb_type) and not g.isMultipart():
        g.convertToMultiType()
    return g


def add_frame(sink, fields: QgsFields, frame: pd.DataFrame, geometries=None, wkb_type=None, feedback=None) -> int:
    """Adds one feature per row of ``frame`` (columns named as ``fields``); returns how many."""
    names = [fields.at(i).name() for i in range(fields.count())]
    kinds = [fields.at(i).type() for i in range(fields.count())]
    columns = [frame[n].to_numpy(object) for n in names]
    geoms = None if geometries is None else np.asarray(geometries, dtype=object)
    n = len(frame)
    for i in range(n):
        if feedback is not None and feedback.isCanceled():
            break
        f = QgsFeature(fields)
        f.setAttributes([qgis_value(col[i], k) for col, k in zip(columns, kinds)])
        if geoms is not None:
            f.setGeometry(to_qgs_geometry(geoms[i], wkb_type))
        sink.addFeature(f, QgsFeatureSink.FastInsert)
    return n
