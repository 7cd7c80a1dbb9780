"""Benchmark of the accountability core (SPEC §7): privacy guard, aggregated export, trends.

Each figure is printed in seconds and as a ratio against a reference measured
in the same run on the same data:

* privacy guard on a 2,000,000-row facts attribute table (8 fields) against
  one hash count of every field (``value_counts``: the cheapest full pass);
  and, on 200,000 rows, the guard with its sampling against the guard
  examining every distinct value (what sampling buys);
* aggregated export of 2,000,000 facts to a 200 m grid against a pandas
  ``groupby`` of (cell, category) — the core also applies the suppression
  and merging rules;
* trends over 2,000,000 facts, 16 sectors, 8 baseline weeks against a loop
  that masks each window and runs ``groupby`` per window.

Usage: ``.venv/bin/python benchmarks/bench_accountability.py [--facts N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tranquillite_plugin.core import privacy  # noqa: E402
from tranquillite_plugin.core.aggregate import aggregate_facts  # noqa: E402
from tranquillite_plugin.core.sector_stats import facts_sector_index  # noqa: E402
from tranquillite_plugin.core.timeutil import TZ, to_epoch_us  # noqa: E402
from tranquillite_plugin.core.trends import sector_trends, trend_windows  # noqa: E402

X0, Y0 = 885_000.0, 6_240_000.0


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, out


def attributes(n: int, rng) -> pd.DataFrame:
    t0 = pd.Timestamp("2017-01-01")
    cats = np.array(["main_courante", "verbalisation", "enlevement", "violence", "vol", "nuisance"], dtype=object)
    remarks = np.where(rng.random(n) < 0.95, "", "RAS").astype(object)
    return pd.DataFrame(
        {
            "category": cats[rng.integers(0, len(cats), n)],
            "occurred_at": (t0 + pd.to_timedelta(rng.integers(0, 8 * 365 * 86400, n), unit="s")).astype(str).to_numpy(object),
            "count": rng.integers(1, 4, n),
            "source": np.array(["police municipale", "marins-pompiers", "police nationale"], dtype=object)[rng.integers(0, 3, n)],
            "x": rng.uniform(X0, X0 + 20_000, n),
            "y": rng.uniform(Y0, Y0 + 20_000, n),
            "remarque": remarks,
            "ref": np.array([f"MC{i:08d}" for i in range(n)], dtype=object),
        }
    )


def facts_frame(n: int, rng) -> pd.DataFrame:
    cats = np.array(["main_courante", "verbalisation", "enlevement", "violence", "vol", "nuisance"], dtype=object)
    end = pd.Timestamp("2025-01-06", tz=TZ)
    secs = rng.integers(0, 8 * 365 * 86400, n)
    return pd.DataFrame(
        {
            "x": rng.uniform(X0, X0 + 20_000, n),
            "y": rng.uniform(Y0, Y0 + 20_000, n),
            "category": cats[rng.integers(0, len(cats), n)],
            "count": rng.integers(1, 3, n),
            "occurred_at": pd.Series(end - pd.to_timedelta(secs, unit="s")).dt.tz_convert(TZ),
        }
    )


def sectors_frame(n_side: int = 4) -> pd.DataFrame:
    step = 20_000 / n_side
    rows = []
    for i in range(n_side):
        for j in range(n_side):
            x, y = X0 + i * step, Y0 + j * step
            rows.append({"sector_id": f"S{i}{j}", "name": f"S{i}{j}", "geometry": shapely.box(x, y, x + step, y + step)})
    return pd.DataFrame(rows)


def reference_trends(facts, sectors, end, periods=8):
    """Per window: mask the facts, place them, groupby (sector, category)."""
    w = trend_windows(end, 7, "weeks", periods)
    t = to_epoch_us(facts["occurred_at"])
    out = []
    for s, e in zip(to_epoch_us(w["start"]), to_epoch_us(w["end"])):
        sel = (t >= s) & (t < e)
        sub = facts[sel]
        owner = facts_sector_index(sectors, sub["x"].to_numpy(), sub["y"].to_numpy())
        out.append(sub.assign(sector=owner).groupby(["sector", "category"])["count"].sum())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=2_000_000)
    args = parser.parse_args()
    n = args.facts
    rng = np.random.default_rng(0)
    print(f"# accountability benchmark, {n:,} rows")

    attrs = attributes(n, rng)
    privacy.scan_personal_data(attrs.head(100), "warm-up")
    t_ref, _ = timed(lambda: [attrs[c].value_counts() for c in attrs.columns])
    t_guard, report = timed(privacy.scan_personal_data, attrs, "facts")
    assert not report.personal_fields, report.summary()
    print(f"privacy guard, {n:,} rows x {attrs.shape[1]} fields: {t_guard:.2f} s; "
          f"one hash count of every field {t_ref:.2f} s; ratio {t_guard / t_ref:.2f}")
    small = attrs.head(200_000)
    t_s, _ = timed(privacy.scan_personal_data, small, "facts")
    t_full, _ = timed(lambda: [privacy.judge_field(privacy.sample_field(small[c], c, sample_size=10**9, row_sample=10**9))
                               for c in small.columns])
    print(f"privacy guard, 200,000 rows: sampled {t_s:.2f} s, every distinct value {t_full:.2f} s; "
          f"sampling is {t_full / t_s:.1f}x faster")
    attrs = small = None  # free the memory before the facts

    facts = facts_frame(n, rng)
    t_agg, agg = timed(aggregate_facts, facts, cell_size=200, min_count=5)

    def groupby_ref():
        i = np.floor(facts["x"].to_numpy() / 200).astype(np.int64)
        j = np.floor(facts["y"].to_numpy() / 200).astype(np.int64)
        return facts.assign(i=i, j=j).groupby(["i", "j", "category"])["count"].agg(["size", "sum"])

    t_gb, ref = timed(groupby_ref)
    assert int(ref["size"].sum()) == agg.report.n_records
    print(f"aggregated export to a 200 m grid, {n:,} facts: {t_agg:.2f} s "
          f"({agg.report.n_published_cells:,} cells); pandas groupby (cell, category) {t_gb:.2f} s; ratio {t_agg / t_gb:.2f}")

    sectors = sectors_frame()
    end = "2025-01-06"
    t_tr, tr = timed(sector_trends, facts, sectors, end=end, periods=8)
    t_rt, ref_tr = timed(reference_trends, facts, sectors, end)
    recent = ref_tr[0].groupby(level=0).sum()
    got = tr.sectors.set_index("sector")["recent"]
    assert all(got.iloc[int(k)] == v for k, v in recent.items()), "trends differ from the reference"
    print(f"trends, {n:,} facts, 16 sectors, 8 weeks: {t_tr:.2f} s; per-window mask + groupby {t_rt:.2f} s; "
          f"ratio {t_tr / t_rt:.2f}")


if __name__ == "__main__":
    main()
