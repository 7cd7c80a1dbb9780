"""A QGIS PostGIS layer read in bulk (COPY) gives what the provider's features give, exactly."""

import numpy as np
import pandas as pd
import pytest

from tranquillite_plugin.core.contract import validate

TEST_DB = "tq_tests"


@pytest.fixture
def city_table(pg_server):
    conn = pg_server.connect(TEST_DB)
    conn.autocommit = True
    schema = "pgread"
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cur.execute(f"CREATE SCHEMA {schema}")
        cur.execute(
            f"CREATE TABLE {schema}.faits (id integer PRIMARY KEY, geom geometry(Point, 2154), category text, "
            "occurred_at timestamptz, local_at timestamp, count integer, source text)"
        )
        rows = [
            (1, 890000.5, 6245000.25, "vol", "2026-10-25T00:30:00Z", "2026-10-25 02:30:00", 1, "police\tmunicipale"),
            (2, 890010.0, 6245010.0, "violence", "2026-10-25T01:30:00.123456Z", "2026-03-29 02:30:00", 2, "marins-pompiers"),
            (3, 890020.0, 6245020.0, "nuisance", None, None, None, None),
            (4, 890030.0, 6245030.0, "Vol", "1999-12-31T23:00:00Z", "2000-01-01 00:00:00", 1, "a \\ b"),
        ]
        for r in rows:
            cur.execute(
                f"INSERT INTO {schema}.faits VALUES (%s, ST_SetSRID(ST_MakePoint(%s, %s), 2154), %s, %s, %s, %s, %s)",
                (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]),
            )
    conn.close()
    yield pg_server.dsn(TEST_DB), schema
    conn = pg_server.connect(TEST_DB)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    conn.close()


def _layer(dsn, schema, subset=""):
    import psycopg2.extensions
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    parts = psycopg2.extensions.parse_dsn(dsn)
    uri = QgsDataSourceUri()
    uri.setConnection(parts.get("host", ""), parts.get("port", ""), parts["dbname"], parts.get("user", ""), parts.get("password", ""))
    uri.setDataSource(schema, "faits", "geom", subset, "id")
    layer = QgsVectorLayer(uri.uri(False), "faits", "postgres")
    assert layer.isValid()
    return layer


@pytest.mark.parametrize("subset", ["", "\"category\" <> 'nuisance'"])
def test_copy_read_equals_the_provider_features(city_table, qgis_app, subset):
    from tranquillite_plugin.store import pg_reader, qgis_layers

    layer = _layer(*city_table, subset=subset)
    assert qgis_layers._fids_are_keys(layer)
    calls = []
    real = pg_reader.read_postgres_layer
    monkey = lambda *a, **k: calls.append(1) or real(*a, **k)  # noqa: E731
    pg_reader.read_postgres_layer = monkey
    fast = qgis_layers.read_layer(layer, "EPSG:2154", points_as_xy=True)
    pg_reader.read_postgres_layer = real
    assert calls  # the COPY path was taken
    slow = qgis_layers._read_features(layer, "faits", None, True, None)
    assert list(fast.fids) == list(slow.fids)
    assert np.array_equal(fast.xy, slow.xy, equal_nan=True)
    assert list(fast.attributes["source"]) == list(slow.attributes["source"])
    a, _ = validate("facts", fast)
    b, _ = validate("facts", slow)
    # QDateTime stops at the millisecond; COPY keeps PostgreSQL's microseconds
    pd.testing.assert_frame_equal(a.assign(occurred_at=a["occurred_at"].dt.tz_convert("UTC").dt.floor("ms").dt.tz_convert("Europe/Paris")), b)
    if not subset:
        t = a.set_index("fid")["occurred_at"]
        assert t[1] == pd.Timestamp("2026-10-25T00:30:00Z") and t[2] == pd.Timestamp("2026-10-25T01:30:00.123456Z")
    # a timestamp without time zone is Paris time, by the contract's rules (first 02:30; 02:30 in March -> 03:00)
    local = fast.attributes.set_index(pd.Index(fast.fids))["local_at"]
    assert local[1] == pd.Timestamp("2026-10-25T00:30:00Z")
    if not subset:
        assert local[2] == pd.Timestamp("2026-03-29T01:00:00Z") and pd.isna(local[3])
