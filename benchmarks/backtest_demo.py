"""Backtest of the transfer on the demo city: the table of the README.

Builds the demo city, scores its events, trains before the cut (the start of
the last quarter of the events, by default) and writes the backtest report
(Markdown + PNG) into ``--out``; prints the metrics table. With ``--seeds``
it repeats the backtest on several demo cities and prints the mean of each
metric, to show how much of a difference is noise (at 600 events the top
decile is 15 events: one event is 6.7 points).

Run: ``.venv/bin/python benchmarks/backtest_demo.py [--events 600] [--facts 60000] [--years 3] [--seeds 1]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tranquillite_plugin.core.backtest import backtest, metrics_markdown, write_report  # noqa: E402
from tranquillite_plugin.core.democity import make_demo_city  # noqa: E402
from tranquillite_plugin.core.forest import ForestSettings  # noqa: E402
from tranquillite_plugin.core.score import score_events  # noqa: E402


def one(n_events, n_facts, years, seed, share, settings, out=None):
    city = make_demo_city(n_events=n_events, n_facts=n_facts, years=years, seed=seed)
    res = score_events(city.events, city.facts)
    starts = city.events["start"].sort_values()
    cut = starts.iloc[int(len(starts) * (1 - share))]
    t = time.perf_counter()
    result = backtest(city.events, res, cut, sectors=city.sectors, settings=settings)
    elapsed = time.perf_counter() - t
    if out:
        write_report(result, out, title=f"Backtest on the demo city ({n_events} events, seed {seed})")
    return result, elapsed


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=600)
    ap.add_argument("--facts", type=int, default=60_000)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=1, help="number of demo cities (seeds 0..n-1)")
    ap.add_argument("--test-share", type=float, default=0.25, help="share of the events (the latest) predicted")
    ap.add_argument("--out", default="out/backtest_demo")
    args = ap.parse_args(argv)
    settings = ForestSettings()
    rows = []
    for seed in range(args.seeds):
        result, elapsed = one(args.events, args.facts, args.years, seed, args.test_share, settings, args.out if seed == 0 else None)
        if seed == 0:
            print(
                f"demo city {args.events} events / {args.facts} facts / {args.years} years, seed 0: cut {result.cut:%Y-%m-%d %H:%M}, "
                f"{result.n_train} training and {result.n_test} test events, backtest {elapsed:.1f} s; report in {args.out}\n"
            )
            print(metrics_markdown(result))
            print(f"\nbeats every baseline: {result.beats_baselines()}\n")
        m = result.metrics.set_index("method")
        for method, r in m.iterrows():
            rows.append({"seed": seed, "method": method, "spearman": r["spearman"], "mae_log1p": r["mae_log1p"],
                         "top_decile_hit": r["top_decile_hit"], "band_coverage": r["band_coverage"]})
    if args.seeds > 1:
        frame = pd.DataFrame(rows)
        mean = frame.groupby("method", sort=False)[["spearman", "mae_log1p", "top_decile_hit", "band_coverage"]].mean()
        print(f"mean over seeds 0..{args.seeds - 1}:")
        print(mean.round(3).to_string())
        for metric in ("spearman", "top_decile_hit"):
            wins = frame.pivot(index="seed", columns="method", values=metric)
            base = wins[["global_mean", "nature_sector_mean", "knn20"]].max(axis=1)
            print(f"seeds where the transfer's {metric} beats every baseline: {int((wins['transfer'] > base).sum())} of {args.seeds}")


if __name__ == "__main__":
    main()
