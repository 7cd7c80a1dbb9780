"""Helpers for the GUI tests (imported by tests/test_gui_*.py and tests/test_plugin.py).

``demo_gpkg(folder)`` writes a small demo observatory: the demo city generator
(core.democity) and the store's writer (store.ogr_io.write_layers) when they
are there, else a plain OGR writer below, so the GUI tests do not depend on
the order in which the other parts land.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np
import pandas as pd

from tranquillite_plugin.gui.tasks import wait_until  # noqa: F401 - the GUI tests' one wait loop

SMALL = dict(n_events=250, n_facts=15_000, years=2, seed=3)
LAYERS = ("sectors", "axes", "cameras", "events", "facts", "planned")
_CACHE = {}


@contextlib.contextmanager
def isolated_qgs_settings(folder):
    """QgsSettings written to ``folder`` (a profile of the test's own), put back afterwards."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    previous = os.path.dirname(os.path.dirname(QgsSettings().fileName()))
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    assert QgsSettings().fileName().startswith(str(folder))
    try:
        yield folder
    finally:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, previous)


def make_city(**kw):
    from tranquillite_plugin.core.democity import make_demo_city

    args = dict(SMALL)
    args.update(kw)
    key = tuple(sorted(args.items()))
    if key not in _CACHE:
        _CACHE[key] = make_demo_city(**args)
    return _CACHE[key]


def demo_gpkg(folder, **kw) -> str:
    city = make_city(**kw)
    path = os.path.join(str(folder), "demo_city.gpkg")
    try:
        from tranquillite_plugin.store.ogr_io import write_layers
    except ImportError:
        write_layers = None
    if write_layers is not None:
        write_layers(path, {name: ("events" if name == "planned" else name, getattr(city, name)) for name in LAYERS}, "EPSG:2154")
    else:
        for name in LAYERS:
            _write_frame(path, name, getattr(city, name))
    return path


def _write_frame(path: str, name: str, frame: pd.DataFrame) -> None:
    import shapely
    from osgeo import ogr, osr

    driver = ogr.GetDriverByName("GPKG")
    ds = driver.Open(path, 1) if os.path.exists(path) else driver.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if "geometry" in frame:
        geoms = frame["geometry"].to_numpy(object)
        tids = set(shapely.get_type_id(geoms).tolist())
        gtype = {0: ogr.wkbPoint, 1: ogr.wkbLineString, 3: ogr.wkbPolygon}.get(tids.pop(), ogr.wkbUnknown) if len(tids) == 1 else ogr.wkbUnknown
    else:
        geoms = shapely.points(frame["x"].to_numpy(float), frame["y"].to_numpy(float))
        gtype = ogr.wkbPoint
    lyr = ds.CreateLayer(name, srs, gtype, ["FID=fid"])
    columns = [c for c in frame.columns if c not in ("fid", "geometry", "x", "y")]
    kinds = {}
    for c in columns:
        s = frame[c]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            kinds[c] = ogr.OFTDateTime
        elif pd.api.types.is_integer_dtype(s.dtype):
            kinds[c] = ogr.OFTInteger64
        elif pd.api.types.is_float_dtype(s.dtype):
            kinds[c] = ogr.OFTReal
        else:
            kinds[c] = ogr.OFTString
        lyr.CreateField(ogr.FieldDefn(c, kinds[c]))
    defn = lyr.GetLayerDefn()
    lyr.StartTransaction()
    values = {c: frame[c].to_numpy(object) for c in columns}
    for c in columns:
        if kinds[c] == ogr.OFTDateTime:
            values[c] = frame[c].dt.tz_localize(None).dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(object)
    wkbs = shapely.to_wkb(geoms)
    for i in range(len(frame)):
        f = ogr.Feature(defn)
        for c in columns:
            v = values[c][i]
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            if kinds[c] == ogr.OFTInteger64:
                f.SetField(c, int(v))
            elif kinds[c] == ogr.OFTReal:
                f.SetField(c, float(v))
            else:
                f.SetField(c, str(v))
        f.SetGeometry(ogr.CreateGeometryFromWkb(wkbs[i]))
        lyr.CreateFeature(f)
    lyr.CommitTransaction()
    ds = None


def prepare_canvas(canvas, extent, size=(600, 600), crs="EPSG:2154"):
    """A shown canvas of ``size`` pixels on ``extent`` in ``crs`` (offscreen, the window is never seen).

    A canvas that was never shown keeps a tiny map size and converts pixels
    wrongly: show its window and let the resize reach it.
    """
    from qgis.core import QgsCoordinateReferenceSystem
    from qgis.PyQt.QtCore import QCoreApplication

    window = canvas.window()
    window.resize(size[0] + 40, size[1] + 40)
    window.show()
    canvas.resize(*size)
    QCoreApplication.processEvents()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
    canvas.setExtent(extent)
    canvas.refresh()
    QCoreApplication.processEvents()
    return canvas
