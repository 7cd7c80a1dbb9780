"""Sector statistics: hand-computed means and densities, boundary facts counted once."""

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.sector_stats import facts_sector_index, sector_statistics

TZ = "Europe/Paris"


def sectors():
    return pd.DataFrame(
        {
            "fid": [1, 2],
            "geometry": np.array([shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 3000, 1000)], dtype=object),
            "sector_id": ["S2", "S1"],
            "name": ["Ouest", "Est"],
        }
    )


def test_facts_on_a_shared_boundary_go_to_the_first_sector_id():
    owner = facts_sector_index(sectors(), np.array([500, 1000, 2500, 5000]), np.array([500, 500, 10, 10]))
    assert owner.tolist() == [0, 1, 1, -1]  # x = 1000 is on both: S1 (row 1) comes first


def test_means_and_densities():
    events = pd.DataFrame(
        {
            "fid": [1, 2, 3],
            "geometry": np.array([shapely.Point(100, 100), shapely.Point(1500, 500), shapely.Point(9000, 500)], dtype=object),
            "sector": ["", "S1", ""],
            "score": [4.0, 10.0, 20.0],
        }
    )
    facts = pd.DataFrame({"x": [100.0, 200.0, 1500.0, 9999.0], "y": [100.0, 100.0, 100.0, 0.0], "count": [1, 2, 5, 7]})
    out = sector_statistics(sectors(), events, facts)
    west, east = out.iloc[0], out.iloc[1]
    assert (west["n_events"], west["mean_score"], west["n_facts"]) == (1, 4.0, 3)
    # the event at x = 9000 is outside every sector: it goes to the nearest one, the east
    assert (east["n_events"], east["mean_score"], east["n_facts"]) == (2, 15.0, 5)
    assert west["area_km2"] == 1.0 and east["area_km2"] == 2.0
    assert west["facts_per_km2"] == 3.0 and east["facts_per_km2"] == 2.5


def test_processing_sectorstatistics(tranquillite_provider, tmp_path):
    import processing
    from osgeo import ogr, osr

    path = str(tmp_path / "s.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    lyr = ds.CreateLayer("sectors", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("sector_id", ogr.OFTString))
    for sid, geom in (("S2", shapely.box(0, 0, 1000, 1000)), ("S1", shapely.box(1000, 0, 3000, 1000))):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("sector_id", sid)
        f.SetGeometry(ogr.CreateGeometryFromWkt(geom.wkt))
        lyr.CreateFeature(f)
    lyr = ds.CreateLayer("facts", srs, ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("category", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("occurred_at", ogr.OFTString))
    for x in (10, 20, 1500):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("category", "vol")
        f.SetField("occurred_at", "2024-01-01 10:00")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} 10)"))
        lyr.CreateFeature(f)
    ds = None
    out = processing.run(
        "tranquillite:sectorstatistics", {"SECTORS": f"{path}|layername=sectors", "FACTS": f"{path}|layername=facts", "OUTPUT": "memory:"}
    )["OUTPUT"]
    got = {f["sector_id"]: (f["n_facts"], f["facts_per_km2"]) for f in out.getFeatures()}
    assert got == {"S2": (2, 2.0), "S1": (1, 0.5)}
