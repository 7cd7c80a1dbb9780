"""The reference of bench_scale.py: what a GeoPandas user writes to get the same exact scores.

Runs ONLY in a separate virtual environment holding geopandas and pyogrio
(``~/.cache/tranquillite/bench-venv``, made by bench_scale.py), never inside
QGIS or the plugin. Reads the events and facts layers of a GeoPackage with
pyogrio's Arrow path, reads naive datetimes as Europe/Paris time, builds the
footprints (point + 50 m, line + 15 m, polygon as is) and does a time-first
vectorised join: facts sorted by time, each event's window a binary-searched
slice, a box test, then GEOS's exact distance. Prints one JSON line with its
seconds and writes the scores (event_id, score) to ``--out`` as CSV.
"""

import argparse
import json
import time

import geopandas
import numpy as np
import pandas as pd
import shapely

WEIGHTS = {"main_courante": 1, "verbalisation": 0.5, "enlevement": 0.5, "secours": 2, "intervention": 1.5,
           "degradation": 2, "violence": 3, "vol": 2, "nuisance": 1, "autre": 1}


def instants(series: pd.Series) -> np.ndarray:
    s = pd.to_datetime(series)
    if s.dt.tz is None:
        s = s.dt.tz_localize("Europe/Paris", ambiguous=np.ones(len(s), bool), nonexistent="shift_forward")
    return s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]").to_numpy().view(np.int64)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("--out", required=True)
    ap.add_argument("--radius", type=float, default=300.0)
    ap.add_argument("--before-h", type=float, default=2.0)
    ap.add_argument("--after-h", type=float, default=2.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    events = geopandas.read_file(args.gpkg, layer="events", engine="pyogrio", use_arrow=True)
    facts = geopandas.read_file(args.gpkg, layer="facts", engine="pyogrio", use_arrow=True,
                                columns=["category", "occurred_at", "count"])
    t_read = time.perf_counter() - t0
    t = instants(facts["occurred_at"])
    x = facts.geometry.x.to_numpy()
    y = facts.geometry.y.to_numpy()
    w = facts["category"].map(WEIGHTS).fillna(1.0).to_numpy(float) * facts["count"].fillna(1).to_numpy(float)
    order = np.argsort(t, kind="stable")
    t, x, y, w = t[order], x[order], y[order], w[order]
    geoms = events.geometry.to_numpy()
    kind = shapely.get_type_id(geoms)
    fps = geoms.copy()
    pts, lines = np.isin(kind, (0, 4)), np.isin(kind, (1, 5))
    fps[pts] = shapely.buffer(geoms[pts], 50.0, quad_segs=8)
    fps[lines] = shapely.buffer(geoms[lines], 15.0, quad_segs=8)
    lo = np.searchsorted(t, instants(events["start"]) - int(args.before_h * 3600e6), side="left")
    hi = np.searchsorted(t, instants(events["end"]) + int(args.after_h * 3600e6), side="right")
    b = shapely.bounds(fps)
    r = args.radius
    g = r + r * 1e-9 + 1e-6
    score = np.zeros(len(events))
    for i in range(len(events)):
        if hi[i] <= lo[i]:
            continue
        xs, ys = x[lo[i]:hi[i]], y[lo[i]:hi[i]]
        cand = np.flatnonzero((xs >= b[i, 0] - g) & (xs <= b[i, 2] + g) & (ys >= b[i, 1] - g) & (ys <= b[i, 3] + g))
        if len(cand):
            cand += lo[i]
            d = shapely.distance(fps[i], shapely.points(x[cand], y[cand]))
            score[i] = w[cand[d <= r]].sum()
    pd.DataFrame({"event_id": events["event_id"], "score": score}).to_csv(args.out, index=False)
    total = time.perf_counter() - t0
    print(json.dumps({"read_s": t_read, "total_s": total, "events": len(events), "facts": len(facts),
                      "geos": shapely.geos_version_string}))


if __name__ == "__main__":
    main()
