"""No lost update on a PostGIS store: the server versions each editable row and refuses a stale commit."""

import conftest_store
import psycopg2
import pytest

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.store.observatory import Observatory

pg_target = conftest_store.pg_target


@pytest.fixture
def store(pg_target):
    city = make_demo_city(n_events=20, n_facts=200, years=1, seed=4)
    with Observatory.create(pg_target) as obs:
        obs.import_layer("axes", city.axes)
    return pg_target, city.axes["axis_id"].iloc[0]


def _conn(target):
    dsn, schema = target.rsplit("?schema=", 1)
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute(f'SET search_path = "{schema}", public')
    conn.commit()
    return conn


def test_two_connections_editing_one_axis_the_second_commit_is_refused(store):
    target, axis = store
    a, b = _conn(target), _conn(target)
    try:
        reads = []
        for conn in (a, b):  # both workstations read the axis at the same version
            with conn.cursor() as cur:
                cur.execute("SELECT version, updated_at FROM axes WHERE axis_id = %s", (axis,))
                reads.append(cur.fetchone())
            conn.commit()
        assert reads[0][0] == reads[1][0] == 1
        with a.cursor() as cur:
            cur.execute("UPDATE axes SET status = 'sature', version = %s WHERE axis_id = %s", (reads[0][0], axis))
        a.commit()
        with b.cursor() as cur, pytest.raises(psycopg2.errors.SerializationFailure) as err:
            cur.execute("UPDATE axes SET status = 'ferme', version = %s WHERE axis_id = %s", (reads[1][0], axis))
        b.rollback()
        text = str(err.value)
        assert f"axes {axis} was changed by postgres at 20" in text and "(version 2)" in text and "based on version 1" in text
        with a.cursor() as cur:
            cur.execute("SELECT status, version, updated_by, updated_at > %s FROM axes WHERE axis_id = %s", (reads[0][1], axis))
            assert cur.fetchone() == ("sature", 2, "postgres", True)  # nothing lost, updated_at set by the server
    finally:
        a.close()
        b.close()
    with Observatory.open(target) as obs:
        edits = [r.as_dict() for r in obs.audit_rows() if r.algorithm == "edit" and r.parameters and "axes" in r.parameters]
        assert [e["summary"]["changes"][0]["new"] for e in edits if e["parameters"]["operation"] == "UPDATE"] == [{"status": "sature"}]


def test_two_qgis_layers_in_edit_sessions_the_second_commit_fails_with_the_servers_message(qgis_app, store):
    from tranquillite_plugin.store.qgis_store import store_layer

    target, axis = store
    with Observatory.open(target) as obs:
        first, second = store_layer(obs, "axes"), store_layer(obs, "axes")
    layers = (first, second)
    feats = [next(lyr.getFeatures(f"\"axis_id\" = '{axis}'")) for lyr in layers]
    status = first.fields().indexOf("status")
    for lyr in layers:
        assert lyr.startEditing()
    assert first.changeAttributeValue(feats[0].id(), status, "sature")
    assert second.changeAttributeValue(feats[1].id(), status, "ferme")
    assert first.commitChanges(), first.commitErrors()
    assert not second.commitChanges()
    errors = "\n".join(second.commitErrors())
    assert f"axes {axis} was changed by postgres at" in errors and "based on version 1" in errors
    second.rollBack()
    with Observatory.open(target) as obs:
        axes = obs.read("axes").set_index("axis_id")
        assert axes.loc[axis, "status"] == "sature"
