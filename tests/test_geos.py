"""shapely and QGIS share one GEOS: a second, bundled GEOS mixes libraries inside QGIS and crashes."""

import shapely
from qgis.core import Qgis


def test_shapely_runs_on_the_geos_qgis_loads():
    qgis_geos = Qgis.geosVersion().split("-")[0]  # e.g. "3.11.1-CAPI-1.17.1"
    assert shapely.geos_version_string.split("-")[0] == qgis_geos, (
        "shapely was installed from a wheel with its own GEOS; reinstall it with "
        "pip install --force-reinstall --no-binary shapely shapely"
    )
