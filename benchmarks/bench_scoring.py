"""Benchmark of the exact event score (SPEC §3, §8) against three references measured in the same run.

Workload: the demo city, 20,000 past events over 8 years and 2,000,000 facts
(``--events``, ``--facts``, ``--years`` to run smaller).  It prints, in seconds
and as ratios, the project's ``core.score.score_events`` (from the clean
frames: fact index, footprints and scoring) against:

(a) a brute-force loop: per event, a time-window mask over all facts, then
    GEOS's exact ``shapely.distance`` on the window's facts (too slow for
    every event: timed on a random sample and extrapolated);
(b) a shapely ``STRtree`` spatial-first join, what a GeoPandas user writes:
    a tree over the fact points, ``tree.query(footprints, predicate="dwithin",
    distance=R)``, then the time filter and the weighted sum (run on all
    events unless it would exceed ``--budget`` seconds, else extrapolated);
(c) PostGIS ``ST_DWithin`` with a GiST index on the facts' geometry and a
    btree index on their time, on a throw-away PostgreSQL 15 server started
    for the run (skipped with the reason when it cannot start).

Every method must give the same scores (1e-9 relative) on the events it
scored: the check is printed.  The peak memory of the project's scoring is
measured in a child process (``resource.getrusage``) holding only the
workload.  ``--qgis-process`` adds the whole headless pipeline: the workload
written to a GeoPackage with ``store.ogr_io`` (timed against OGR's
per-feature path on a sample), then ``qgis_process run
tranquillite:scoreevents`` (read, score, write) with the breakdown the
algorithm logs.

Run: ``.venv/bin/python benchmarks/bench_scoring.py [--events 20000] [--facts 2000000] [--qgis-process]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time

import numpy as np
import pandas as pd
import shapely

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tranquillite_plugin.core.contract import category_weights  # noqa: E402
from tranquillite_plugin.core.democity import make_demo_city  # noqa: E402
from tranquillite_plugin.core.footprint import footprints  # noqa: E402
from tranquillite_plugin.core.score import ScoreSettings, score_events  # noqa: E402
from tranquillite_plugin.core.timeutil import from_epoch_us, to_epoch_us  # noqa: E402

RTOL = 1e-9


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return peak_mb()


def same(a, b) -> tuple:
    """(all equal within RTOL, worst relative difference)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    diff = np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-300)
    diff[(a == b)] = 0.0
    worst = float(diff.max()) if len(diff) else 0.0
    return worst <= RTOL, worst


class Workload:
    """The references' view of the data: numpy arrays, the same footprints and weights."""

    def __init__(self, events: pd.DataFrame, facts: pd.DataFrame, settings: ScoreSettings):
        self.settings = settings
        self.fps = footprints(events["geometry"].to_numpy(object), settings.line_buffer_m, settings.point_buffer_m)
        self.t0 = to_epoch_us(events["start"]) - settings.before_us
        self.t1 = to_epoch_us(events["end"]) + settings.after_us
        self.x = facts["x"].to_numpy(float)
        self.y = facts["y"].to_numpy(float)
        self.t = to_epoch_us(facts["occurred_at"])
        self.w = category_weights(facts["category"].to_numpy(object), settings.weights) * facts["count"].to_numpy(float)
        self.radius = settings.radius_m


# --- (a) brute force -------------------------------------------------------------------


def brute_force(wl: Workload, idx: np.ndarray) -> np.ndarray:
    out = np.zeros(len(idx))
    for k, i in enumerate(idx):
        mask = (wl.t >= wl.t0[i]) & (wl.t <= wl.t1[i])
        sel = np.flatnonzero(mask)
        if len(sel):
            d = shapely.distance(wl.fps[i], shapely.points(wl.x[sel], wl.y[sel]))
            out[k] = wl.w[sel][d <= wl.radius].sum()
    return out


# --- (b) STRtree spatial-first join ----------------------------------------------------------


def strtree_join(wl: Workload, idx: np.ndarray, budget: float, chunk: int = 100):
    """Returns (scores of the events done, how many were done, seconds for them, tree build seconds)."""
    t = time.perf_counter()
    tree = shapely.STRtree(shapely.points(wl.x, wl.y))
    build = time.perf_counter() - t
    out = np.zeros(len(idx))
    done = 0
    t = time.perf_counter()
    while done < len(idx):
        part = idx[done : done + chunk]
        ev, fa = tree.query(wl.fps[part], predicate="dwithin", distance=wl.radius)
        ok = (wl.t[fa] >= wl.t0[part][ev]) & (wl.t[fa] <= wl.t1[part][ev])
        out[done : done + len(part)] = np.bincount(ev[ok], weights=wl.w[fa[ok]], minlength=len(part))
        done += len(part)
        if time.perf_counter() - t > budget:
            break
    return out[:done], done, time.perf_counter() - t, build


# --- (c) PostGIS ------------------------------------------------------------------------------


def postgis_join(wl: Workload, idx: np.ndarray, budget: float, sample: np.ndarray):
    """Returns a dict with timings and scores, or raises with the reason it could not run."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import psycopg2  # noqa: F401
    from pg_server import PgServer  # the project's throw-away server (tests/pg_server.py)

    server = PgServer()
    info = {}
    t = time.perf_counter()
    server.start()
    try:
        server.create_database("bench")
        info["start_s"] = time.perf_counter() - t
        conn = server.connect("bench")
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'")
        t = time.perf_counter()
        cur.execute("CREATE UNLOGGED TABLE facts_in (id bigint, x double precision, y double precision, t bigint, w double precision)")
        n = len(wl.x)
        step = 400_000
        for s in range(0, n, step):
            frame = pd.DataFrame(
                {"id": np.arange(s, min(n, s + step)), "x": wl.x[s : s + step], "y": wl.y[s : s + step],
                 "t": wl.t[s : s + step], "w": wl.w[s : s + step]}
            )
            buf = _csv(frame)
            cur.copy_expert("COPY facts_in FROM STDIN WITH (FORMAT csv)", buf)
        cur.execute(
            "CREATE TABLE facts AS SELECT id, ST_SetSRID(ST_MakePoint(x, y), 2154)::geometry(Point, 2154) AS geom, t, w FROM facts_in"
        )
        cur.execute("DROP TABLE facts_in")
        ewkb = shapely.to_wkb(shapely.set_srid(wl.fps, 2154), hex=True, include_srid=True)
        events = pd.DataFrame({"id": np.arange(len(wl.fps)), "t0": wl.t0, "t1": wl.t1, "fp": ewkb})
        cur.execute("CREATE TABLE events (id integer PRIMARY KEY, t0 bigint, t1 bigint, fp geometry(Geometry, 2154))")
        cur.copy_expert("COPY events (id, t0, t1, fp) FROM STDIN WITH (FORMAT csv)", _csv(events))
        info["load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cur.execute("CREATE INDEX facts_geom ON facts USING gist (geom)")
        cur.execute("CREATE INDEX facts_t ON facts (t)")
        cur.execute("ANALYZE facts; ANALYZE events")
        info["index_s"] = time.perf_counter() - t
        query = (
            "SELECT e.id, COALESCE(SUM(f.w), 0) FROM events e LEFT JOIN facts f "
            "ON f.t BETWEEN e.t0 AND e.t1 AND ST_DWithin(f.geom, e.fp, %s) "
            "WHERE e.id = ANY(%s) GROUP BY e.id"
        )
        cur.execute("EXPLAIN " + query, (wl.radius, sample.tolist()))
        info["plan"] = [r[0] for r in cur.fetchall()]
        t = time.perf_counter()
        cur.execute(query, (wl.radius, sample.tolist()))
        got = dict(cur.fetchall())
        info["sample_s"] = time.perf_counter() - t
        info["sample_scores"] = np.array([got[int(i)] for i in sample], float)
        estimate = info["sample_s"] * len(idx) / len(sample)
        info["estimate_s"] = estimate
        if estimate <= budget:
            t = time.perf_counter()
            cur.execute(
                "SELECT e.id, COALESCE(SUM(f.w), 0) FROM events e LEFT JOIN facts f "
                "ON f.t BETWEEN e.t0 AND e.t1 AND ST_DWithin(f.geom, e.fp, %s) GROUP BY e.id",
                (wl.radius,),
            )
            got = dict(cur.fetchall())
            info["all_s"] = time.perf_counter() - t
            info["all_scores"] = np.array([got[int(i)] for i in idx], float)
        cur.execute("SELECT postgis_lib_version()")
        info["version"] = cur.fetchone()[0]
        conn.close()
    finally:
        server.stop()
    return info


def _csv(frame: pd.DataFrame):
    import io

    buf = io.StringIO()
    frame.to_csv(buf, index=False, header=False, float_format="%.17g")
    buf.seek(0)
    return buf


# --- peak memory in a child that holds only the workload ----------------------------------------


def save_workload(events: pd.DataFrame, facts: pd.DataFrame, folder: str) -> str:
    path = os.path.join(folder, "workload.npz")
    codes, cats = pd.factorize(facts["category"])
    np.savez(
        path,
        x=facts["x"].to_numpy(float),
        y=facts["y"].to_numpy(float),
        t=to_epoch_us(facts["occurred_at"]),
        code=codes.astype(np.int16),
        cats=np.array(list(cats), dtype=str),
        count=facts["count"].to_numpy(np.int64),
        wkb=np.array(shapely.to_wkb(events["geometry"].to_numpy(object)), dtype=object),
        start=to_epoch_us(events["start"]),
        end=to_epoch_us(events["end"]),
    )
    return path


def memory_child(path: str) -> None:
    data = np.load(path, allow_pickle=True)
    facts = pd.DataFrame(
        {
            "x": data["x"],
            "y": data["y"],
            "category": np.asarray(data["cats"], dtype=object)[data["code"]],
            "occurred_at": from_epoch_us(data["t"]),
            "count": data["count"],
        }
    )
    events = pd.DataFrame(
        {"geometry": shapely.from_wkb(data["wkb"]), "start": from_epoch_us(data["start"]), "end": from_epoch_us(data["end"])}
    )
    del data
    before = current_mb()
    try:  # reset the high-water mark, so that the peak is the scoring's (Linux >= 4.0)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    t = time.perf_counter()
    res = score_events(events, facts)
    seconds = time.perf_counter() - t
    print(json.dumps({"before_mb": before, "peak_mb": peak_mb(), "seconds": seconds, "total": float(res.score.sum())}))


# --- the headless pipeline ------------------------------------------------------------------------


def ogr_per_feature_seconds(facts: pd.DataFrame, folder: str, n: int) -> float:
    """OGR's per-feature path for the first n facts, with GDAL's spatial index (the writer's reference)."""
    from osgeo import ogr, osr

    path = os.path.join(folder, "ogr_per_feature.gpkg")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    sub = facts.iloc[:n]
    t = time.perf_counter()
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("facts", srs, ogr.wkbPoint, options=["FID=fid", "GEOMETRY_NAME=geom"])
    for name, kind in (("category", ogr.OFTString), ("occurred_at", ogr.OFTDateTime), ("count", ogr.OFTInteger64), ("source", ogr.OFTString)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    defn = lyr.GetLayerDefn()
    ds.StartTransaction()
    local = sub["occurred_at"]
    for row in zip(sub["x"].to_numpy(), sub["y"].to_numpy(), sub["category"], local, sub["count"].to_numpy(), sub["source"]):
        x, y, cat, ts, count, source = row
        feat = ogr.Feature(defn)
        geom = ogr.Geometry(ogr.wkbPoint)
        geom.AddPoint_2D(float(x), float(y))
        feat.SetGeometryDirectly(geom)
        feat.SetField("category", cat)
        off = int(ts.utcoffset().total_seconds() // 900)
        feat.SetField("occurred_at", ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second, 100 + off)
        feat.SetField("count", int(count))
        feat.SetField("source", source)
        lyr.CreateFeature(feat)
    ds.CommitTransaction()
    ds = None
    return time.perf_counter() - t


def qgis_process_part(city, project_scores: np.ndarray, project_seconds: float, folder: str) -> None:
    from tranquillite_plugin.store.ogr_io import write_layers

    print("\n--- headless pipeline: GeoPackage written with store.ogr_io, then qgis_process ---")
    algo = os.path.join(ROOT, "tranquillite_plugin", "processing", "algorithms", "score_events.py")
    exe = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
    if not os.path.exists(algo) or not os.path.exists(exe):
        print(f"skipped: {'tranquillite:scoreevents is not written yet' if not os.path.exists(algo) else exe + ' is missing'}")
        return
    gpkg = os.path.join(folder, "workload.gpkg")
    t = time.perf_counter()
    write_layers(gpkg, {"events": ("events", city.events), "facts": ("facts", city.facts)}, "EPSG:2154")
    written = time.perf_counter() - t
    n_ref = min(100_000, len(city.facts))
    ref = ogr_per_feature_seconds(city.facts, folder, n_ref)
    ref_all = ref * len(city.facts) / n_ref
    print(f"write {len(city.events)} events + {len(city.facts)} facts with store.ogr_io: {written:8.2f} s "
          f"({os.path.getsize(gpkg) / 2**20:.0f} MB, R-tree included)")
    print(f"  reference, OGR per-feature loop (CreateFeature in one transaction, GDAL's R-tree built at close): "
          f"{ref:.2f} s for {n_ref} facts -> {ref_all:.1f} s extrapolated to {len(city.facts)}: x{ref_all / written:.1f}")
    home = os.path.join(folder, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ)
    env.update({"HOME": home, "QGIS_PLUGINPATH": ROOT, "QT_QPA_PLATFORM": "offscreen",
                "PYTHONPATH": os.pathsep.join([sysconfig.get_paths()["purelib"], ROOT])})
    enable = subprocess.run([exe, "plugins", "enable", "tranquillite_plugin"], env=env, capture_output=True, text=True, timeout=300)
    if enable.returncode != 0:
        print(f"skipped: qgis_process could not enable the plugin: {enable.stderr.strip()[-500:]}")
        return
    out = os.path.join(folder, "scored.gpkg")
    cmd = [exe, "run", "tranquillite:scoreevents", "--", f"EVENTS={gpkg}|layername=events", f"FACTS={gpkg}|layername=facts",
           f"OUTPUT={out}"]
    t = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t
    if run.returncode != 0:
        print(f"qgis_process failed ({run.returncode}) after {wall:.1f} s:\n{(run.stdout + run.stderr)[-2000:]}")
        return
    print(f"qgis_process run tranquillite:scoreevents (start, read, score, write): {wall:8.2f} s wall clock")
    timing = re.search(r"Timing: read ([\d.]+) s, score ([\d.]+) s, write ([\d.]+) s", run.stdout + run.stderr)
    if timing:
        r, s, w = (float(v) for v in timing.groups())
        rest = wall - r - s - w
        print(f"  breakdown logged by the algorithm: read {r:.2f} s ({100 * r / wall:.0f} %), score {s:.2f} s "
              f"({100 * s / wall:.0f} %), write {w:.2f} s ({100 * w / wall:.0f} %), QGIS start-up and the rest {rest:.2f} s")
    print(f"  in-process score_events on the same frames: {project_seconds:.2f} s; pipeline/score ratio x{wall / project_seconds:.1f}")
    from osgeo import ogr

    ds = ogr.Open(out)
    lyr = ds.GetLayer(0)
    got = {}
    for feat in lyr:
        got[feat["event_id"]] = feat["score"]
    scores = np.array([got.get(e, np.nan) for e in city.events["event_id"]], float)
    ok, worst = same(scores, project_scores)
    print(f"  scores of the output layer equal the project's: {ok} (worst relative difference {worst:.1e})")


# --- main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--facts", type=int, default=2_000_000)
    ap.add_argument("--years", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=300, help="events timed by the brute force and the PostGIS sample")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds a reference may run before it is extrapolated")
    ap.add_argument("--no-postgis", action="store_true")
    ap.add_argument("--qgis-process", action="store_true", help="also time the GeoPackage write and qgis_process run")
    ap.add_argument("--skip-references", action="store_true", help="only the project's figures (and --qgis-process)")
    ap.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child)
        return 0

    print(f"bench_scoring: {args.events} events over {args.years} years, {args.facts} facts; "
          f"{os.cpu_count()} CPUs; numpy {np.__version__}, shapely {shapely.__version__} (GEOS {shapely.geos_version_string})")
    t = time.perf_counter()
    city = make_demo_city(n_events=args.events, n_facts=args.facts, years=args.years, seed=args.seed)
    print(f"demo city generated in {time.perf_counter() - t:.1f} s")
    events, facts = city.events, city.facts
    settings = ScoreSettings()
    n = len(events)

    # the project
    t = time.perf_counter()
    res = score_events(events, facts, settings)
    ours = time.perf_counter() - t
    scores = res.score
    print(f"\nproject score_events (fact index + footprints + scoring): {ours:.2f} s "
          f"({1e6 * ours / n:.0f} µs per event); {int((scores > 0).sum())} events with facts, "
          f"{int(res.n_facts.sum())} fact counts matched")

    folder = tempfile.mkdtemp(prefix="tq-bench-")
    try:
        path = save_workload(events, facts, folder)
        child = subprocess.run([sys.executable, os.path.abspath(__file__), "--memory-child", path], capture_output=True, text=True)
        if child.returncode == 0:
            mem = json.loads(child.stdout.strip().splitlines()[-1])
            ok_mem = abs(mem["total"] - scores.sum()) <= RTOL * max(abs(scores.sum()), 1)
            print(f"peak memory of the project's scoring (child process holding the workload): {mem['peak_mb']:.0f} MB "
                  f"(resident before scoring, workload loaded: {mem['before_mb']:.0f} MB; scoring added "
                  f"{mem['peak_mb'] - mem['before_mb']:.0f} MB at its peak); "
                  f"child scored in {mem['seconds']:.2f} s, same total: {ok_mem}")
        else:
            print(f"peak memory: child failed: {child.stderr[-500:]}")

        if args.skip_references:
            if args.qgis_process:
                qgis_process_part(city, scores, ours, folder)
            return 0
        wl = Workload(events, facts, settings)
        rng = np.random.default_rng(12345)
        sample = np.sort(rng.choice(n, size=min(args.sample, n), replace=False))
        rows = []

        # (a)
        t = time.perf_counter()
        brute = brute_force(wl, sample)
        tb = time.perf_counter() - t
        est = tb * n / len(sample)
        ok, worst = same(brute, scores[sample])
        rows.append(("(a) brute force: window mask + exact distance", len(sample), tb, est, ok, worst, True))

        # (b)
        order = rng.permutation(n)
        got, done, tq, build = strtree_join(wl, order, args.budget)
        est_b = build + (tq * n / done if done < n else tq)
        ok, worst = same(got, scores[order[:done]])
        rows.append(("(b) shapely STRtree dwithin join + time filter", done, build + tq, est_b, ok, worst, done < n))

        # (c)
        pg = None
        if args.no_postgis:
            reason = "--no-postgis"
        else:
            try:
                pg = postgis_join(wl, np.arange(n), args.budget, sample)
                reason = None
            except Exception as err:  # noqa: BLE001 - any reason to skip is printed
                reason = f"{type(err).__name__}: {err}"
        if pg is not None:
            if "all_scores" in pg:
                ok, worst = same(pg["all_scores"], scores)
                rows.append((f"(c) PostGIS {pg['version']} ST_DWithin, GiST + btree", n, pg["all_s"], pg["all_s"], ok, worst, False))
            else:
                ok, worst = same(pg["sample_scores"], scores[sample])
                rows.append((f"(c) PostGIS {pg['version']} ST_DWithin, GiST + btree", len(sample), pg["sample_s"], pg["estimate_s"], ok, worst, True))

        print(f"\n{'method':52s} {'events':>7s} {'measured s':>11s} {'all events s':>13s} {'ratio':>7s}  same scores (worst rel. diff)")
        print(f"{'project score_events':52s} {n:7d} {ours:11.2f} {ours:13.2f} {'1.0':>7s}  reference")
        for name, count, measured, total, ok, worst, extrapolated in rows:
            mark = "*" if extrapolated else " "
            print(f"{name:52s} {count:7d} {measured:11.2f} {total:12.1f}{mark} {'x%.1f' % (total / ours):>7s}  {ok} ({worst:.1e})")
        print("* extrapolated from the events measured (random sample) to all events; see --budget and --sample")
        if pg is not None:
            print(f"PostGIS server: started in {pg['start_s']:.1f} s, data loaded (COPY) in {pg['load_s']:.1f} s, "
                  f"indexes built and analysed in {pg['index_s']:.1f} s (not counted above); plan of the join:")
            for line in pg["plan"]:
                print("    " + (line if len(line) <= 110 else line[:107] + "..."))
        else:
            print(f"(c) PostGIS skipped: {reason}")
        all_ok = all(r[4] for r in rows)
        print(f"\nall methods give the same scores to {RTOL:g} relative: {all_ok}")
        goal = [("(a)", 2), ("(b)", 10), ("(c)", 10)]
        for (label, need), row in zip(goal, rows):
            print(f"goal {label} >= {need}x: {'met' if row[3] / ours >= need else 'MISSED'} (x{row[3] / ours:.1f})")

        if args.qgis_process:
            qgis_process_part(city, scores, ours, folder)
        return 0 if all_ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
