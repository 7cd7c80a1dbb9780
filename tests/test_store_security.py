"""Roles, the server-chained append-only audit, edit audit and row versions on a real PostGIS store.

Each role logs in (a login made by the test and given the role) and is tried
positively (what it may do works) and negatively (what it may not is refused
by the server, whatever the client does).
"""

import json
import uuid

import conftest_store
import pandas as pd
import psycopg2
import pytest
from conftest_store import synthetic_facts

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.pg_security import ROLES, rights_of, role_name, script

pg_target = conftest_store.pg_target
DENIED = (psycopg2.errors.InsufficientPrivilege, psycopg2.errors.RaiseException)


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=30, n_facts=500, years=1, seed=2)


@pytest.fixture
def store(pg_server, pg_target, city):
    """A store made by the superuser, and one login per role: {role: target as that login}."""
    schema = pg_target.rsplit("schema=", 1)[1]
    with Observatory.create(pg_target) as obs:
        obs.import_layer("axes", city.axes)
        obs.import_layer("events", city.events)
        obs.import_layer("cameras", city.cameras)
    logins = {}
    conn = pg_server.connect(conftest_store.TEST_DB)
    conn.autocommit = True
    with conn.cursor() as cur:
        for role in ROLES:
            login = f"{role}_{uuid.uuid4().hex[:6]}"
            cur.execute(f'CREATE ROLE "{login}" LOGIN')
            cur.execute(f'GRANT "{role_name(schema, role)}" TO "{login}"')
            logins[role] = login
        cur.execute(f'CREATE ROLE "{schema}_nobody" LOGIN')
        logins["nobody"] = f"{schema}_nobody"
    conn.close()
    targets = {r: pg_target.replace("postgres@", f"{login}@") for r, login in logins.items()}
    return pg_target, targets, logins


def connect_as(target):
    """A plain psycopg2 connection on the store as the target's login, search_path on the store's schema."""
    dsn, schema = target.rsplit("?schema=", 1)
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute(f'SET search_path = "{schema}", public')
    conn.commit()
    return conn


def run(conn, sql, params=()):
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            out = cur.fetchall() if cur.description else None
        conn.commit()
        return out
    except BaseException:
        conn.rollback()
        raise


def test_reader_views_computes_and_appends_its_own_audit_rows_only(store, city):
    owner, targets, logins = store
    with Observatory.open(targets["reader"]) as obs:
        assert len(obs.read("axes")) == len(city.axes)
        entry = obs.record("scoreevents", {"RADIUS": 300}, n_features=3)
        assert entry.os_user == logins["reader"]  # the server's session_user, not what the client claims
        assert rights_of(obs.backend)["role"] == "reader"
        with pytest.raises(Exception, match="permission denied"):
            obs.import_layer("facts", synthetic_facts(5))
        with pytest.raises(Exception, match="permission denied"):
            obs.set_setting("radius_m", 10)
    conn = connect_as(targets["reader"])
    try:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            run(conn, "UPDATE axes SET status = 'ferme'")
        for sql in ("UPDATE audit SET n_features = 1", "DELETE FROM audit", "TRUNCATE audit", "DELETE FROM tq_meta"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                run(conn, sql)
        # a client cannot choose its own sequence number, hash, time or user
        got = run(conn, "INSERT INTO audit (fid, at, os_user, algorithm, prev_hash, row_hash) VALUES "
                        "(1, '2000-01-01T00:00:00.000Z', 'mayor', 'forged', ?, ?) RETURNING fid, at, os_user, row_hash"
                  .replace("?", "%s"), ("0" * 64, "f" * 64))[0]
        assert got[0] > 1 and got[1] > "2026" and got[2] == logins["reader"] and got[3] != "f" * 64
    finally:
        conn.close()
    with Observatory.open(owner) as obs:
        assert obs.verify_audit().ok


def test_editor_edits_axes_events_cameras_and_every_edit_is_audited(store, city):
    owner, targets, logins = store
    axis = city.axes["axis_id"].iloc[0]
    conn = connect_as(targets["editor"])
    try:
        run(conn, "UPDATE axes SET status = 'ferme' WHERE axis_id = %s", (axis,))
        run(conn, "UPDATE cameras SET radius_m = 77 WHERE camera_id = %s", (city.cameras["camera_id"].iloc[0],))
        run(conn, "DELETE FROM events WHERE event_id = %s", (city.events["event_id"].iloc[0],))
        for sql in ("UPDATE facts SET count = 2", "DELETE FROM sectors", "INSERT INTO settings (key, value) VALUES ('a', '1')",
                    "DELETE FROM model_state", "UPDATE audit SET n_features = 0"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                run(conn, sql)
    finally:
        conn.close()
    with Observatory.open(owner) as obs:
        rows = [r.as_dict() for r in obs.audit_rows() if r.algorithm == "edit"]
        closing = [r for r in rows if r["parameters"] == {"table": "axes", "operation": "UPDATE"}]
        assert len(closing) == 1
        change = closing[0]["summary"]["changes"][0]
        # who closed this axis, and when: the server's login and clock
        assert closing[0]["os_user"] == logins["editor"] and closing[0]["at"].endswith("Z")
        assert change["key"] == axis and change["new"] == {"status": "ferme"}
        assert change["old"] == {"status": city.axes["status"].iloc[0]} and change["geometry_changed"] is False
        deleted = [r for r in rows if r["parameters"]["operation"] == "DELETE"][0]
        assert deleted["summary"]["changes"][0]["old"]["event_id"] == city.events["event_id"].iloc[0]
        assert obs.verify_audit().ok


def test_analyst_imports_writes_settings_and_models_but_cannot_touch_the_audit_or_structure(store):
    owner, targets, logins = store
    with Observatory.open(targets["analyst"]) as obs:
        assert obs.import_layer("facts", synthetic_facts(20)).taken == 20
        obs.set_setting("radius_m", 250)
        obs.save_model(b"model bytes", fingerprint="abc")
        assert obs.write_scores(pd.DataFrame({"event_id": [obs.read("events")["event_id"].iloc[0]], "score": [3.0]})) == 1
        assert rights_of(obs.backend)["role"] == "analyst"
    conn = connect_as(targets["analyst"])
    try:
        for sql in ("UPDATE audit SET n_features = 0", "DELETE FROM audit", "TRUNCATE audit", "DROP TRIGGER tq_audit_chain ON audit",
                    "ALTER TABLE axes DROP COLUMN version", "UPDATE tq_meta SET value = '0'"):
            with pytest.raises(DENIED):
                run(conn, sql)
    finally:
        conn.close()
    with Observatory.open(owner) as obs:
        assert obs.verify_audit().ok


def test_owner_alone_has_update_delete_truncate_on_the_audit_and_even_it_is_refused_by_the_trigger(store):
    owner, targets, logins = store
    conn = connect_as(targets["owner"])
    try:
        rights = {}
        for role, login in logins.items():
            rights[role] = run(conn, "SELECT has_table_privilege(%s, 'audit', 'UPDATE'), has_table_privilege(%s, 'audit', 'DELETE'), "
                                     "has_table_privilege(%s, 'audit', 'TRUNCATE')", (login,) * 3)[0]
        assert rights["owner"] == (True, True, True)
        assert all(v == (False, False, False) for k, v in rights.items() if k != "owner")
        for sql in ("UPDATE audit SET n_features = 0", "DELETE FROM audit", "TRUNCATE audit"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
                run(conn, sql)
        run(conn, "CREATE INDEX IF NOT EXISTS axes_name_idx ON axes (name)")  # the owner changes the structure
    finally:
        conn.close()


def test_a_login_without_a_role_sees_nothing(store):
    owner, targets, logins = store
    schema = owner.rsplit("schema=", 1)[1]
    conn = connect_as(targets["nobody"])
    try:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="permission denied for schema"):
            run(conn, f'SELECT count(*) FROM "{schema}".axes')
    finally:
        conn.close()


def test_scoreevents_as_a_reader_is_audited_and_without_the_right_to_append_it_fails(tranquillite_provider, store, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    from tranquillite_plugin.store.qgis_store import forget_detection, store_layer

    owner, targets, logins = store
    with Observatory.open(owner) as obs:
        obs.import_layer("facts", synthetic_facts(300))
    with Observatory.open(targets["reader"]) as obs:
        events, facts = store_layer(obs, "events", status="past"), store_layer(obs, "facts")
        n = len(obs.audit_rows())
    processing.run("tranquillite:scoreevents", {"EVENTS": events, "FACTS": facts, "OUTPUT": str(tmp_path / "s.gpkg")})
    with Observatory.open(owner) as obs:
        rows = obs.audit_rows()
        assert len(rows) == n + 1 and rows[-1].algorithm == "scoreevents" and rows[-1].os_user == logins["reader"]
    # a login that may read but not append: the run is refused rather than left unaudited
    conn = psycopg2.connect(owner.rsplit("?", 1)[0])
    conn.autocommit = True
    schema = owner.rsplit("schema=", 1)[1]
    with conn.cursor() as cur:
        cur.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{logins["nobody"]}"')
        cur.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{logins["nobody"]}"')
    conn.close()
    forget_detection()
    with Observatory.open(targets["nobody"]) as obs:
        events, facts = store_layer(obs, "events", status="past"), store_layer(obs, "facts")
    with pytest.raises(QgsProcessingException, match="audit row could not be written.*refused"):
        processing.run("tranquillite:scoreevents", {"EVENTS": events, "FACTS": facts, "OUTPUT": str(tmp_path / "t.gpkg")})


def test_the_dba_script_installs_the_same_roles(pg_server, pg_target):
    """docs/security.sql is the script for the default schema; on a store made without roles it installs them."""
    import os

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(here, "docs", "security.sql")) as f:
        assert f.read() == script("tranquillite")
    schema = pg_target.rsplit("schema=", 1)[1]
    with Observatory.create(pg_target) as obs:
        obs.record("x", {})
    conn = pg_server.connect(conftest_store.TEST_DB)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP ROLE IF EXISTS "{schema}_x"')
        cur.execute(script(schema).replace("BEGIN;", "").replace("COMMIT;", ""))  # idempotent: runs again
        cur.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE %s", (f"{schema}\\_%",))
        assert cur.fetchone()[0] == 4
    conn.close()
    with Observatory.open(pg_target) as obs:
        obs.record("y", {"z": json.dumps([1])})
        assert obs.verify_audit().ok
