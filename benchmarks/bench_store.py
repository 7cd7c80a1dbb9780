"""Benchmark of the observatory store's import (SPEC §6, §8) against ogr2ogr, measured in the same run.

Workload: the facts of the demo city (``core.democity.make_demo_city``;
2,000,000 facts by default, ``--facts N`` to run smaller), written once to a
source GeoPackage with ``store.ogr_io``. Then, on that same file:

(a) ``Observatory.import_layer("facts", file)`` into a new GeoPackage store:
    the bulk OGR read, the privacy guard, the data-contract validation and the
    all-or-nothing write (rows, packed R-tree, audit row, one transaction);
(b) ``ogr2ogr -f GPKG`` of the same layer (GDAL's own copy, spatial index
    included), the reference;
(c) ``Observatory.import_layer`` into a PostGIS store (``COPY`` in one
    transaction, GiST and time indexes) on a throw-away PostgreSQL 15 server
    started for the run (tests/pg_server.py), or on ``--pg-dsn``;
(d) ``ogr2ogr -f PostgreSQL`` (GDAL's ``COPY`` path, GiST index) into another
    schema of the same server, the reference.

Every result is checked (same number of features, same extent). The store's
import is split into "before writing" (read, privacy, validation) and
"writing" from its progress callback. Prints seconds and ratios store/ogr2ogr.

Run: ``.venv/bin/python benchmarks/bench_store.py [--facts 2000000] [--backends gpkg,postgis] [--repeat 1]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]


def make_source(path: str, n_facts: int, n_events: int) -> None:
    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.store.ogr_io import write_layers

    t = time.perf_counter()
    city = make_demo_city(n_events=n_events, n_facts=n_facts, years=8, seed=0)
    t_city = time.perf_counter() - t
    t = time.perf_counter()
    write_layers(path, {"facts": ("facts", city.facts)})
    print(f"workload: {n_facts:,} facts of the demo city ({t_city:.1f} s to generate, {time.perf_counter() - t:.1f} s to write {path})")


def ogr_count_extent(source: str, layer: str):
    from osgeo import ogr

    from tranquillite_plugin.store.gdal_calls import call

    ds = call(ogr.Open, source)
    lyr = ds.GetLayerByName(layer)
    n = lyr.GetFeatureCount()
    ext = lyr.GetExtent()
    ds = None
    return n, tuple(round(v, 2) for v in ext)


def time_store_import(target: str, src: str):
    from tranquillite_plugin.store.observatory import Observatory

    obs = Observatory.create(target)
    marks = []
    t0 = time.perf_counter()
    report = obs.import_layer("facts", f"{src}|layername=facts", progress=lambda p: marks.append((time.perf_counter() - t0, p)))
    total = time.perf_counter() - t0
    before = max([t for t, p in marks if p <= 25] or [0.0])
    n = obs.count("facts")
    ok = obs.verify_audit().ok
    obs.close()
    assert report.taken == n and ok, (report.summary(), n, ok)
    return total, before, total - before, n


def run(cmd, env=None) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=int, default=2_000_000)
    ap.add_argument("--events", type=int, default=2_000, help="events of the demo city (they place a share of the facts)")
    ap.add_argument("--backends", default="gpkg,postgis")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measure (the best is kept)")
    ap.add_argument("--pg-dsn", default="", help="an existing PostgreSQL+PostGIS database (postgresql://...), else a throw-away server")
    ap.add_argument("--workdir", default="", help="where the files go (default: a temporary folder, removed)")
    args = ap.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    work = args.workdir or tempfile.mkdtemp(prefix="tq-bench-store-")
    os.makedirs(work, exist_ok=True)
    server = None
    print(f"cores: {os.cpu_count()}, load average at start: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    rows = []
    try:
        src = os.path.join(work, "source.gpkg")
        if not os.path.exists(src):
            make_source(src, args.facts, args.events)
        n_src, ext_src = ogr_count_extent(src, "facts")

        if "gpkg" in backends:
            best_store = best_ogr = None
            for i in range(args.repeat):
                target = os.path.join(work, f"store{i}.gpkg")
                store = time_store_import(target, src)
                assert store[3] == n_src and ogr_count_extent(target, "facts") == (n_src, ext_src)
                out = os.path.join(work, f"ogr2ogr{i}.gpkg")
                t_ogr = run(["ogr2ogr", "-f", "GPKG", out, src, "facts"])
                assert ogr_count_extent(out, "facts")[0] == n_src
                best_store = store if best_store is None or store[0] < best_store[0] else best_store
                best_ogr = t_ogr if best_ogr is None else min(best_ogr, t_ogr)
                for p in (target, out):
                    os.remove(p)
            rows.append(("GeoPackage", best_store, best_ogr))

        if "postgis" in backends:
            import psycopg2

            if args.pg_dsn:
                dsn = args.pg_dsn
            else:
                from pg_server import PgServer

                server = PgServer().start()
                dsn = server.create_database("bench")
            best_store = best_ogr = None
            parts = psycopg2.extensions.parse_dsn(dsn)
            pg_ogr = "PG:" + " ".join(f"{k}={v}" for k, v in parts.items())
            for i in range(args.repeat):
                conn = psycopg2.connect(dsn)
                conn.autocommit = True
                with conn.cursor() as cur:
                    for schema in (f"bench_store{i}", f"bench_ogr{i}"):
                        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                    cur.execute(f"CREATE SCHEMA bench_ogr{i}")
                store = time_store_import(f"{dsn}?schema=bench_store{i}" if "://" in dsn else f"{dsn} schema=bench_store{i}", src)
                assert store[3] == n_src
                t_ogr = run(
                    ["ogr2ogr", "-f", "PostgreSQL", pg_ogr, src, "facts", "-nln", f"bench_ogr{i}.facts",
                     "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid"]
                )
                with conn.cursor() as cur:
                    cur.execute(f"SELECT count(*), count(*) FILTER (WHERE geom IS NOT NULL) FROM bench_ogr{i}.facts")
                    assert cur.fetchone() == (n_src, n_src)
                    cur.execute(f"SELECT indexname FROM pg_indexes WHERE schemaname = 'bench_ogr{i}'")
                    ogr_indexes = sorted(r[0] for r in cur.fetchall())
                    for schema in (f"bench_store{i}", f"bench_ogr{i}"):
                        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.close()
                best_store = store if best_store is None or store[0] < best_store[0] else best_store
                best_ogr = t_ogr if best_ogr is None else min(best_ogr, t_ogr)
            print(f"ogr2ogr's PostGIS table has the indexes {', '.join(ogr_indexes)}")
            rows.append(("PostGIS", best_store, best_ogr))
    finally:
        if server is not None:
            server.stop()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"importing {n_src:,} facts (best of {args.repeat})")
    print(f"{'backend':<12}{'store import':>14}{'read+check':>12}{'write':>9}{'ogr2ogr':>10}{'store/ogr2ogr':>15}")
    for name, (total, before, write, _n), t_ogr in rows:
        print(f"{name:<12}{total:>12.1f} s{before:>10.1f} s{write:>7.1f} s{t_ogr:>8.1f} s{total / t_ogr:>15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
