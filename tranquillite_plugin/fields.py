"""Frame columns as QGIS fields: one dtype -> field type map, one value conversion.

Used where a pandas frame becomes QGIS features: the Processing outputs
(processing/algorithms/frame_output.py) and the memory layers the reports draw
(report/memory.py).
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd
from qgis.PyQt.QtCore import QDateTime, QTimeZone

from tranquillite_plugin.compat import FieldType

INTEGERS = (FieldType.Int, FieldType.LongLong)


def field_type(series: pd.Series) -> FieldType:
    """The field type of a column: booleans, integers, floats, datetimes, else text."""
    if pd.api.types.is_bool_dtype(series):
        return FieldType.Bool
    if pd.api.types.is_integer_dtype(series):
        return FieldType.LongLong
    if pd.api.types.is_float_dtype(series):
        return FieldType.Double
    if pd.api.types.is_datetime64_any_dtype(series):
        return FieldType.DateTime
    return FieldType.String


def qgis_value(value, kind=None):
    """A numpy/pandas scalar -> the value a field of type ``kind`` takes; NaN, NaT and infinities -> NULL."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # a list or an array: not a missing value
        pass
    if kind == FieldType.DateTime:
        py = pd.Timestamp(value).to_pydatetime()
        if py.tzinfo is not None:  # QDateTime keeps the local wall time + offset
            return QDateTime.fromSecsSinceEpoch(int(py.timestamp()), QTimeZone(int(py.utcoffset().total_seconds())))
        return QDateTime(py)
    if kind == FieldType.Bool:
        return bool(value)
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            return None
        return int(v) if kind in INTEGERS and v.is_integer() else v
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()
    if kind == FieldType.String or not isinstance(value, (int, str)):
        return str(value)
    return value
