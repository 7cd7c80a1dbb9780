"""Fixtures and helpers of the observatory store tests (imported by tests/test_store*.py).

The same tests run on both backends: ``store_target`` is parametrised over a
fresh GeoPackage path and a fresh PostgreSQL schema on the session's test
server (``pg_server`` in conftest.py, started from tests/pg_server.py).
"""

from __future__ import annotations

import os
import sqlite3
import uuid

import numpy as np
import pandas as pd
import pytest
from pg_server import PgServer, PgUnavailable

from tranquillite_plugin.core.timeutil import TZ

TEST_DB = "tq_tests"


def start_pg_server() -> PgServer:
    try:
        server = PgServer().start()
    except PgUnavailable as err:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{err} — CI is set: the PostGIS half of the store tests must run", pytrace=False)
        pytest.skip(str(err))
    server.create_database(TEST_DB)
    return server


@pytest.fixture
def pg_target(pg_server):
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{pg_server.dsn(TEST_DB)}?schema={schema}"
    conn = pg_server.connect(TEST_DB)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        conn.close()


@pytest.fixture(params=["gpkg", "postgis"])
def store_target(request, tmp_path):
    if request.param == "gpkg":
        return str(tmp_path / "observatoire.gpkg")
    return request.getfixturevalue("pg_target")


def raw_sql(obs, sql: str, params=()):
    """Runs SQL on the store behind the application's back; ``{audit}`` etc. name its tables."""
    names = {t: obs.backend.qname(t) for t in ("audit", "facts", "events", "sectors", "axes", "cameras", "tq_meta", "settings")}
    text = sql.format(**names)
    if obs.backend_name == "gpkg":
        from tranquillite_plugin.store.gpkg_backend import _register_functions

        conn = sqlite3.connect(obs.path)
        _register_functions(conn)  # GDAL's R-tree triggers call ST_IsEmpty, ST_MinX...
        try:
            rows = conn.execute(text, params).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    import psycopg2

    conn = psycopg2.connect(obs.backend.target.conninfo)
    try:
        with conn.cursor() as cur:
            # a superuser behind the store's back: its triggers (audit chain, append-only, versions) off
            cur.execute("SET session_replication_role = replica")
            cur.execute(text.replace("?", "%s"), params)
            rows = cur.fetchall() if cur.description else []
        conn.commit()
        return rows
    finally:
        conn.close()


def synthetic_facts(n: int, seed: int = 0) -> pd.DataFrame:
    """A clean facts frame of ``n`` rows, fast (for large imports)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01", tz=TZ).value // 1000
    us = start + rng.integers(0, 365 * 86400, n) * 1_000_000
    return pd.DataFrame(
        {
            "fid": np.arange(1, n + 1),
            "x": np.round(890_000 + rng.uniform(0, 8000, n), 2),
            "y": np.round(6_245_000 + rng.uniform(0, 8000, n), 2),
            "category": rng.choice(np.array(["vol", "violence", "nuisance", "secours"], dtype=object), n),
            "occurred_at": pd.Series(us.astype("datetime64[us]")).dt.tz_localize("UTC").dt.tz_convert(TZ),
            "count": rng.integers(1, 4, n),
            "source": "police municipale",
        }
    )
