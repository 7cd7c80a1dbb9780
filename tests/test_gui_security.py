"""The dock on a shared store: what the login may do, in words, the rest greyed out; the Audit tab
answers "who closed this axis, and when" and shows a broken chain in red at its first bad row."""

import uuid

import conftest_store
import psycopg2
import pytest
from conftest_store import raw_sql, synthetic_facts

from tests.conftest_gui import wait_until
from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.gui.audit_panel import BAD_STYLE
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.dock import add_dock
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.pg_security import role_name

pg_target = conftest_store.pg_target


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path):
    controller = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    d = add_dock(qgis_iface, controller)
    d.show()
    yield d
    controller.cancel_tasks()
    wait_until(lambda: not controller.running, 30)
    controller.close()
    d.close()
    d.deleteLater()


@pytest.fixture
def shared(pg_server, pg_target):
    """A shared store with axes, and one login per role: {role: (login, target)}."""
    city = make_demo_city(n_events=20, n_facts=200, years=1, seed=6)
    with Observatory.create(pg_target) as obs:
        obs.import_layer("axes", city.axes)
    schema = pg_target.rsplit("schema=", 1)[1]
    conn = pg_server.connect(conftest_store.TEST_DB)
    conn.autocommit = True
    logins = {}
    with conn.cursor() as cur:
        for role in ("reader", "editor", "analyst"):
            login = f"{role}_{uuid.uuid4().hex[:6]}"
            cur.execute(f'CREATE ROLE "{login}" LOGIN')
            cur.execute(f'GRANT "{role_name(schema, role)}" TO "{login}"')
            logins[role] = (login, pg_target.replace("postgres@", f"{login}@"))
    conn.close()
    return city, logins


def test_the_dock_says_what_a_reader_may_do_and_greys_out_imports(dock, shared):
    city, logins = shared
    c, panel = dock.controller, dock.data_panel
    login, target = logins["reader"]
    assert c.open_store(target)
    text = panel.access_label.text()
    assert f"Logged in as {login} (reader)" in text and "may not edit, import" in text
    assert not panel.import_button.isEnabled()
    c.idle.emit()  # the end of a task re-enables the buttons the login may use, not the others
    assert not panel.import_button.isEnabled()
    login, target = logins["analyst"]
    assert c.open_store(target)
    assert f"Logged in as {login} (analyst)" in panel.access_label.text() and panel.import_button.isEnabled()


def test_the_audit_tab_says_who_closed_an_axis_and_when(dock, shared):
    city, logins = shared
    login, target = logins["editor"]
    axis = city.axes[city.axes["status"] != "ferme"].iloc[0]
    conn = psycopg2.connect(target.rsplit("?", 1)[0])
    with conn.cursor() as cur:
        cur.execute(f'UPDATE "{target.rsplit("schema=", 1)[1]}".axes SET status = %s WHERE axis_id = %s', ("ferme", axis["axis_id"]))
    conn.commit()
    conn.close()
    c = dock.controller
    assert c.open_store(target)
    panel = dock.audit_panel
    panel.refresh()
    headers = [panel.table.horizontalHeaderItem(j).text() for j in range(panel.table.columnCount())]
    cells = {h: panel.table.item(0, j).text() for j, h in enumerate(headers)}  # newest first
    assert cells["Operation"] == "edit" and cells["User"] == login and cells["When"]
    assert cells["Change"] == f"axes {axis['axis_id']}: status {axis['status']} → ferme"


def test_a_broken_chain_shows_red_at_its_first_bad_row(dock, tmp_path):
    c = dock.controller
    path = str(tmp_path / "observatoire.gpkg")
    assert c.open_store(path, create=True)
    c.store.import_layer("facts", synthetic_facts(30))
    for i in range(3):
        c.store.record("scoreevents", {"i": i})
    panel = dock.audit_panel
    panel.refresh()
    panel.verify()
    assert "intact" in panel.verification.text()
    raw_sql(c.store, "UPDATE {audit} SET n_features = 7 WHERE fid = 3")
    panel.refresh()
    panel.verify()
    assert panel.verification.styleSheet() == BAD_STYLE and "row 3" in panel.verification.text()
    rows = {panel.table.item(i, 0).text(): i for i in range(panel.table.rowCount())}
    red = panel.table.item(rows["3"], 1).background().color().name()
    assert red == "#fdecea" and panel.table.item(rows["2"], 1).background().color().name() != red
