"""The accountability core runs with QGIS's older GEOS loaded first, as inside QGIS and qgis_process.

QGIS 3.22 (Debian 12) links GEOS 3.11 into the process's global scope before
Python starts; shapely's wheel brings GEOS 3.14, and its calls that GEOS 3.11
lacks (``intersects_xy``, ``contains_xy``, 4-dimensional WKB) then run against
the wrong library and crash. A subprocess reproduces that loading order and
runs the trends, the aggregated export and the fairness audit with sectors.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.aggregate import sector_of_points
from tranquillite_plugin.core.sector_stats import facts_sector_index

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM_GEOS = sorted(glob.glob("/usr/lib/*-linux-gnu/libgeos_c.so.1")) + sorted(glob.glob("/usr/lib64/libgeos_c.so.1"))

SCRIPT = r"""
import ctypes, sys
ctypes.CDLL(sys.argv[1], mode=ctypes.RTLD_GLOBAL)
import numpy as np, pandas as pd, shapely
from tranquillite_plugin.core.aggregate import aggregate_facts
from tranquillite_plugin.core.fairness import fairness_audit
from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.core.trends import sector_trends

rng = np.random.default_rng(0)
n = 5000
sectors = pd.DataFrame({"sector_id": ["A", "B"], "name": ["a", "b"],
                        "geometry": [shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)]})
facts = pd.DataFrame({"x": rng.uniform(0, 200, n), "y": rng.uniform(0, 100, n),
                      "category": rng.choice(["vol", "nuisance"], n), "count": 1,
                      "occurred_at": pd.Series(pd.Timestamp("2024-01-01", tz=TZ)
                                               + pd.to_timedelta(rng.integers(0, 60 * 86400, n), unit="s"))})
t = sector_trends(facts, sectors, end="2024-03-01")
g = aggregate_facts(facts, cell_size=25, min_count=5)
s = aggregate_facts(facts, sectors=sectors, min_count=5)
events = pd.DataFrame({"sector": ["", ""], "nature": ["concert", "sport"],
                       "geometry": [shapely.Point(50, 50), shapely.LineString([(150, 10), (160, 20)])]})
a = fairness_audit(events, [2.0, 1.0], np.array([[2.0, 0.0], [0.0, 1.0]]), ["vol", "verbalisation"], sectors=sectors)
print("OK", int(t.sectors["recent"].sum()), len(g.cells), int(s.cells["n_records"].sum()), a.flagged)
"""


@pytest.mark.skipif(not SYSTEM_GEOS, reason="no system GEOS to load first")
def test_core_survives_qgis_geos_loaded_first():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-c", SCRIPT, SYSTEM_GEOS[0]], env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK"), run.stdout + run.stderr
    assert run.stdout.split()[-1] == "['B']"


def test_sector_of_points_is_the_sector_statistics_rule():
    rng = np.random.default_rng(4)
    sectors = pd.DataFrame(
        {
            "sector_id": ["S2", "S1", "S3"],
            "geometry": [shapely.box(100, 0, 200, 100), shapely.box(0, 0, 100, 100),
                         shapely.Polygon([(0, 100), (200, 100), (100, 200)])],
        }
    )
    x = np.r_[rng.uniform(-20, 220, 3000), [100.0, 100.0, 0.0, 50.0, 150.0]]
    y = np.r_[rng.uniform(-20, 220, 3000), [50.0, 100.0, 0.0, 100.0, 100.0]]
    np.testing.assert_array_equal(sector_of_points(sectors, x, y), facts_sector_index(sectors, x, y))
    # shared boundaries go to the smallest sector_id
    assert sector_of_points(sectors, [100.0, 50.0], [50.0, 100.0]).tolist() == [1, 1]
