"""The hash-chained audit trail: every edit, deletion or reordering is found, on both backends."""

import json

import conftest_store
import pytest
from conftest_store import raw_sql, synthetic_facts

from tranquillite_plugin.store import audit
from tranquillite_plugin.store.observatory import Observatory, record

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target


def a_store(target, n=6):
    obs = Observatory.create(target)
    obs.import_layer("facts", synthetic_facts(50))
    for i in range(n - 2):
        obs.record(
            "trainmodel" if i % 2 else "scoreevents",
            {"RADIUS": 300 + i, "WEIGHTS": "violence=4"},
            [("events", 100 + i), {"layer": "facts", "n_features": 50, "source": "/data/f.gpkg"}],
            150 + i,
            fingerprint=f"fp{i}",
            summary={"scored": 100 + i},
        )
    return obs


def test_rows_hold_what_was_done(store_target):
    with a_store(store_target) as obs:
        rows = obs.audit_rows()
        assert [r.seq for r in rows] == list(range(1, 7))
        assert [r.algorithm for r in rows[:3]] == ["createstore", "importlayer", "scoreevents"]
        r = rows[2].as_dict()
        assert r["parameters"] == {"RADIUS": 300, "WEIGHTS": "violence=4"}
        assert r["inputs"][0] == {"layer": "events", "n_features": 100}
        assert r["n_features"] == 150 and r["model_fingerprint"] == "fp0" and r["summary"] == {"scored": 100}
        # on PostGIS the server records the database login (session_user); a GeoPackage, the OS user
        assert r["os_user"] == ("postgres" if obs.backend_name == "postgis" else audit.os_user()) and r["at"].endswith("Z")
        assert rows[0].prev_hash == audit.GENESIS and rows[1].prev_hash == rows[0].row_hash
        imp = rows[1].as_dict()
        assert imp["summary"]["taken"] == 50 and imp["n_features"] == 50
        # rows read like mappings too (the Audit panel)
        assert rows[2].get("model_fingerprint") == "fp0" and "algorithm" in rows[2]
        assert obs.audit_rows(limit=2) == rows[-2:]
        check = obs.verify_audit()
        ok, message = check
        assert ok and check.n_rows == 6 and check.head == rows[-1].row_hash and "intact" in message


@pytest.mark.parametrize(
    "column, value, fid",
    [("parameters", json.dumps({"RADIUS": 1000}), 4), ("os_user", "someone_else", 2), ("n_features", 1, 6), ("at", "2020-01-01T00:00:00.000Z", 1)],
)
def test_an_edited_row_is_found(store_target, column, value, fid):
    with a_store(store_target) as obs:
        raw_sql(obs, f"UPDATE {{audit}} SET {column} = ? WHERE fid = ?", (value, fid))
        check = obs.verify_audit()
        ok, message = check
        assert not ok and check.first_bad == fid and "changed" in check.reason and f"row {fid}" in message


def test_a_deleted_row_is_found(store_target):
    with a_store(store_target) as obs:
        raw_sql(obs, "DELETE FROM {audit} WHERE fid = 3")
        check = obs.verify_audit()
        assert not check.ok and check.first_bad == 4 and "deleted" in check.reason


def test_deleted_last_rows_are_found(store_target):
    with a_store(store_target) as obs:
        raw_sql(obs, "DELETE FROM {audit} WHERE fid >= 5")
        check = obs.verify_audit()
        assert not check.ok and check.first_bad == 5 and "recorded 6 rows" in check.reason


def test_reordered_rows_are_found(store_target):
    with a_store(store_target) as obs:
        raw_sql(obs, "UPDATE {audit} SET fid = 100 WHERE fid = 3")
        raw_sql(obs, "UPDATE {audit} SET fid = 3 WHERE fid = 4")
        raw_sql(obs, "UPDATE {audit} SET fid = 4 WHERE fid = 100")
        check = obs.verify_audit()
        assert not check.ok and check.first_bad == 3 and "reordered" in check.reason


def test_a_rewritten_row_with_its_own_hash_is_found(store_target):
    """Recomputing the edited row's hash is not enough: the next row no longer follows it."""
    with a_store(store_target) as obs:
        r = obs.audit_rows()[2]
        params = json.dumps({"RADIUS": 50})
        digest = audit.compute_hash(r.seq, r.at, r.os_user, r.algorithm, params, r.inputs, r.n_features, r.model_fingerprint, r.summary, r.prev_hash)
        raw_sql(obs, "UPDATE {audit} SET parameters = ?, row_hash = ? WHERE fid = 3", (params, digest))
        check = obs.verify_audit()
        assert not check.ok and check.first_bad == 4


def test_record_appends_to_a_store_by_its_target(store_target):
    with a_store(store_target) as obs:
        n = len(obs.audit_rows())
    entry = record(store_target, "exportsheet", {"EVENT": "P001"}, [("planned", 1)], 1, "abc", {"pages": 1})
    assert entry.seq == n + 1
    with Observatory.open(store_target) as obs:
        assert obs.audit_rows()[-1].algorithm == "exportsheet" and obs.verify_audit().ok


def test_two_writers_keep_one_chain(store_target):
    """Two connections appending in turn (two workstations) never fork the chain."""
    with a_store(store_target, n=3) as first:
        second = Observatory.open(store_target)
        try:
            for i in range(6):
                (first if i % 2 else second).record("predict", {"i": i})
            assert [r.seq for r in first.audit_rows()] == list(range(1, 10))
            assert first.verify_audit().ok and second.verify_audit().ok
        finally:
            second.close()


@pytest.mark.parametrize("value", [float("nan"), {"a": (1, 2)}, 3])
def test_parameters_of_any_shape_hash_stably(store_target, value):
    with Observatory.create(store_target) as obs:
        obs.record("x", {"v": value})
        assert obs.verify_audit().ok
