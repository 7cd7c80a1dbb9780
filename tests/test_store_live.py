"""Live sharing on PostGIS: a change committed by another workstation redraws the layer within a second.

Two connections against the session's real PostgreSQL server: a QGIS layer
(``postgres`` provider) made by ``store_layer``, and a plain psycopg2
connection playing the other workstation. The delay is measured from the
other workstation's COMMIT to the layer's ``repaintRequested`` signal, while
Qt events are processed as QGIS's event loop would.
"""

import time

import conftest_store
import psycopg2
import pytest

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.store.observatory import Observatory

pg_target = conftest_store.pg_target

TIMEOUT_S = 10.0


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=30, n_facts=500, years=1, seed=2)


def wait_for(signals, timeout=TIMEOUT_S):
    from qgis.PyQt.QtCore import QCoreApplication

    end = time.perf_counter() + timeout
    while not signals and time.perf_counter() < end:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    return signals[0] if signals else None


def settle(seconds=0.3):
    from qgis.PyQt.QtCore import QCoreApplication

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def test_axis_status_and_new_event_redraw_other_workstations(qgis_app, pg_target, city):
    from tranquillite_plugin.store.qgis_store import store_layer

    obs = Observatory.create(pg_target)
    try:
        obs.import_layer("axes", city.axes)
        obs.import_layer("events", city.events)
        axes = store_layer(obs, "axes")
        points = store_layer(obs, "events", geometry_type="Point")
        assert axes.isValid() and axes.providerType() == "postgres" and axes.isRefreshOnNotifyEnabled()
        assert axes.refreshOnNotifyMessage() == f"{obs.pg_schema}.axes"
        assert axes.featureCount() == len(city.axes)
        axis_fired, event_fired = [], []
        axes.repaintRequested.connect(lambda *a: axis_fired.append(time.perf_counter()))
        points.repaintRequested.connect(lambda *a: event_fired.append(time.perf_counter()))
        settle()
        axis_fired.clear()
        event_fired.clear()

        other = psycopg2.connect(obs.backend.target.conninfo)  # the other workstation
        try:
            with other.cursor() as cur:
                cur.execute(
                    f'UPDATE "{obs.pg_schema}".axes SET status = %s WHERE axis_id = %s',
                    ("sature", city.axes["axis_id"].iloc[0]),
                )
            t0 = time.perf_counter()
            other.commit()
            fired = wait_for(axis_fired)
            assert fired is not None, "the axes layer did not redraw"
            delay = fired - t0
            print(f"axis status change: layer redrawn {delay * 1000:.1f} ms after COMMIT")
            assert delay < 1.0
            assert not event_fired  # another table's change does not redraw the events
            status = {f["axis_id"]: f["status"] for f in axes.getFeatures()}
            assert status[city.axes["axis_id"].iloc[0]] == "sature"

            # the other workstation adds a point event
            with other.cursor() as cur:
                cur.execute(
                    f'INSERT INTO "{obs.pg_schema}".events (geom, event_id, nature, participants, start, "end", status) '
                    "VALUES (ST_SetSRID(ST_MakePoint(893000, 6246000), 2154), 'LIVE1', 'concert', 500, "
                    "'2026-12-01 20:00+01', '2026-12-01 23:00+01', 'planned')"
                )
            t0 = time.perf_counter()
            other.commit()
            fired = wait_for(event_fired)
            assert fired is not None and fired - t0 < 1.0
            print(f"new event: layer redrawn {(fired - t0) * 1000:.1f} ms after COMMIT")
            assert "LIVE1" in {f["event_id"] for f in points.getFeatures()}
        finally:
            other.close()

        # an import through the store (one transaction) notifies once it commits
        axis_fired.clear()
        obs.import_layer("axes", city.axes.iloc[:3], mode="replace")
        assert wait_for(axis_fired) is not None
        assert axes.featureCount() == 3 or sum(1 for _ in axes.getFeatures()) == 3
    finally:
        obs.close()


def test_rolled_back_changes_notify_nobody(qgis_app, pg_target, city):
    from tranquillite_plugin.store.qgis_store import store_layer

    with Observatory.create(pg_target) as obs:
        obs.import_layer("axes", city.axes)
        axes = store_layer(obs, "axes")
        fired = []
        axes.repaintRequested.connect(lambda *a: fired.append(time.perf_counter()))
        settle()
        fired.clear()
        other = psycopg2.connect(obs.backend.target.conninfo)
        try:
            with other.cursor() as cur:
                cur.execute(f'UPDATE "{obs.pg_schema}".axes SET status = %s', ("ferme",))
            other.rollback()
        finally:
            other.close()
        settle(1.0)
        assert not fired
