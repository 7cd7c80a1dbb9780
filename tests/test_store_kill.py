"""A process killed (SIGKILL) in the middle of an import leaves the store as it was, on both backends."""

import os
import signal
import subprocess
import sys
import time

import conftest_store
from conftest_store import raw_sql, synthetic_facts

from tranquillite_plugin.store.observatory import Observatory

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)

CHILD = r"""
import sys, time
sys.path[:0] = [sys.argv[3], sys.argv[4]]
from conftest_store import synthetic_facts
from tranquillite_plugin.store.observatory import Observatory

facts = synthetic_facts(int(sys.argv[2]), seed=9)
obs = Observatory.open(sys.argv[1])

def progress(p):
    print(f"PROGRESS {p:.1f}", flush=True)
    if p > 25:
        time.sleep(0.3)  # rows are going in: give the parent time to kill us mid-write

obs.import_layer("facts", facts, progress=progress)
print("DONE", flush=True)
"""


def test_killed_import_leaves_the_store_as_it_was(store_target):
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", synthetic_facts(2000, seed=1))
        obs.record("scoreevents", {"RADIUS": 300}, [("events", 10)], 10)
        before_x = obs.read("facts")["x"].to_numpy()
        n_audit = len(obs.audit_rows())
        n_triggers = None
        if obs.backend_name == "gpkg":
            n_triggers = raw_sql(obs, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'facts'")[0][0]
            assert n_triggers >= 8  # GDAL's rtree and feature-count triggers

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, store_target, "600000", TESTS, ROOT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    killed_at = None
    try:
        deadline = time.monotonic() + 240
        for line in child.stdout:
            if line.startswith("PROGRESS") and float(line.split()[1]) > 45:
                killed_at = float(line.split()[1])
                if store_target.endswith(".gpkg"):
                    # the transaction is open: SQLite's rollback journal is on disk
                    assert os.path.exists(store_target + "-journal")
                os.kill(child.pid, signal.SIGKILL)
                break
            assert "DONE" not in line, "the import finished before it could be killed"
            assert time.monotonic() < deadline
    finally:
        if child.poll() is None and killed_at is None:
            child.kill()
        child.wait(timeout=60)
    assert killed_at is not None, child.stderr.read()[-3000:]
    assert child.returncode == -signal.SIGKILL

    with Observatory.open(store_target) as obs:
        assert obs.count("facts") == 2000
        assert (obs.read("facts")["x"].to_numpy() == before_x).all()
        assert len(obs.audit_rows()) == n_audit and obs.verify_audit().ok
        if obs.backend_name == "gpkg":
            assert obs.backend.integrity() == "ok"
            assert raw_sql(obs, "SELECT count(*) FROM rtree_facts_geom")[0][0] == 2000
            assert raw_sql(obs, "SELECT rtreecheck('rtree_facts_geom')")[0][0] == "ok"
            # the triggers GDAL made for the table (8 on GDAL 3.6, 9 on 3.13) are all still there
            assert raw_sql(obs, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'facts'")[0][0] == n_triggers
            assert raw_sql(obs, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'facts'")[0][0] == 2000
        else:
            assert raw_sql(obs, "SELECT count(*) FROM {facts}")[0][0] == 2000
        # and the store takes the next import
        obs.import_layer("facts", synthetic_facts(100, seed=2))
        assert obs.count("facts") == 2100
        assert obs.verify_audit().ok
    if store_target.endswith(".gpkg"):
        from osgeo import ogr

        ds = ogr.Open(store_target)
        assert ds.GetLayerByName("facts").GetFeatureCount() == 2100
