"""Backtest of the transfer on the demo city: the tables of the README and docs/model.md.

Builds the demo city, scores its events, trains before the cut (the start of
the last quarter of the events, by default) and compares, on the same test
events:

* the **published** configuration (SPEC §4: eight axes, raw averaging,
  weighted-quantile band) — the product's default;
* the **enriched** configuration: context axes (background incident rate,
  the demo weather table, the city's load), settings chosen by auto mode
  (time-split backtest inside the training period), conformal band;
* the baselines: nature × sector mean, 20 nearest neighbours, the forest's
  own regression (and the global mean).

With ``--seeds`` it repeats this on several demo cities and prints the mean
of each metric, how many seeds each method leads, and the bootstrap verdict
of enriched − published per seed, to show how much of a difference is
noise.  The first seed's full report (Markdown + PNG) goes to ``--out``.

Run: ``.venv/bin/python benchmarks/backtest_demo.py [--events 600] [--facts 60000] [--years 3] [--seeds 3]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tranquillite_plugin.core.backtest import backtest, enriched_settings, metrics_markdown, write_report  # noqa: E402
from tranquillite_plugin.core.context import demo_weather  # noqa: E402
from tranquillite_plugin.core.democity import make_demo_city  # noqa: E402
from tranquillite_plugin.core.forest import ForestSettings  # noqa: E402
from tranquillite_plugin.core.score import score_events  # noqa: E402

SHOWN = ("transfer", "enriched", "forest", "nature_sector_mean", "knn20", "global_mean")
NAMES = {
    "transfer": "published transfer",
    "enriched": "enriched transfer",
    "forest": "forest regression",
    "nature_sector_mean": "nature × sector mean",
    "knn20": "20 nearest neighbours",
    "global_mean": "global mean",
}


def one(n_events, n_facts, years, seed, share, out=None, n_boot=1000):
    city = make_demo_city(n_events=n_events, n_facts=n_facts, years=years, seed=seed)
    res = score_events(city.events, city.facts)
    starts = city.events["start"].sort_values()
    cut = starts.iloc[int(len(starts) * (1 - share))]
    first = (city.end_date - pd.DateOffset(years=years + 1)).strftime("%Y-%m-%d")
    last = (city.end_date + pd.Timedelta(days=60)).strftime("%Y-%m-%d")
    weather = demo_weather(first, last, seed)
    t = time.perf_counter()
    result = backtest(
        city.events, res, cut, sectors=city.sectors, settings=ForestSettings(), facts=city.facts, weather=weather,
        challenger=enriched_settings(facts=True, weather=True), challenger_auto=True, n_boot=n_boot,
    )
    elapsed = time.perf_counter() - t
    if out:
        write_report(result, out, title=f"Backtest on the demo city ({n_events} events, seed {seed})")
    return result, elapsed


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=600)
    ap.add_argument("--facts", type=int, default=60_000)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=3, help="number of demo cities (seeds 0..n-1)")
    ap.add_argument("--test-share", type=float, default=0.25, help="share of the events (the latest) predicted")
    ap.add_argument("--boot", type=int, default=1000, help="bootstrap resamples of the difference")
    ap.add_argument("--out", default="out/backtest_demo")
    args = ap.parse_args(argv)
    rows = []
    verdicts = []
    for seed in range(args.seeds):
        result, elapsed = one(args.events, args.facts, args.years, seed, args.test_share, args.out if seed == 0 else None, args.boot)
        sel = result.configurations["enriched"]["selection"]["chosen"]
        print(
            f"seed {seed}: cut {result.cut:%Y-%m-%d %H:%M}, {result.n_train} training / {result.n_test} test events, "
            f"{elapsed:.1f} s; auto chose {sel}",
            flush=True,
        )
        if seed == 0:
            print(metrics_markdown(result))
            print()
        m = result.metrics.set_index("method")
        for method in SHOWN:
            r = m.loc[method]
            rows.append({"seed": seed, "method": method, **{c: r[c] for c in (
                "spearman", "mae_log1p", "top_decile_hit", "hit_5", "hit_20", "pai_10", "band_coverage", "band_below", "band_above")}})
        for _, c in result.comparison.iterrows():
            verdicts.append({"seed": seed, "metric": c["metric"], "difference": c["difference"], "low": c["low"], "high": c["high"],
                             "verdict": c["verdict"]})
    frame = pd.DataFrame(rows)
    cols = ["spearman", "mae_log1p", "top_decile_hit", "hit_5", "hit_20", "pai_10", "band_coverage", "band_below", "band_above"]
    mean = frame.groupby("method", sort=False)[cols].mean()
    print(f"\ndemo city {args.events} events / {args.facts} facts / {args.years} years, mean over seeds 0..{args.seeds - 1}:\n")
    print("| method | Spearman | MAE log1p | top-decile hit | hit 5 % | hit 20 % | PAI 10 % | band coverage | below | above |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for method, r in mean.iterrows():
        cells = [f"{r['spearman']:.3f}", f"{r['mae_log1p']:.3f}", f"{r['top_decile_hit']:.1%}", f"{r['hit_5']:.1%}", f"{r['hit_20']:.1%}",
                 f"{r['pai_10']:.2f}"]
        cells += ["—"] * 3 if pd.isna(r["band_coverage"]) else [f"{r['band_coverage']:.1%}", f"{r['band_below']:.1%}", f"{r['band_above']:.1%}"]
        print(f"| {NAMES[method]} | " + " | ".join(cells) + " |")
    print()
    for metric, higher in (("spearman", True), ("mae_log1p", False), ("top_decile_hit", True)):
        wide = frame.pivot(index="seed", columns="method", values=metric)
        rivals = wide[[c for c in ("transfer", "forest", "nature_sector_mean", "knn20") if c in wide]]
        best = rivals.max(axis=1) if higher else rivals.min(axis=1)
        lead = (wide["enriched"] > best) if higher else (wide["enriched"] < best)
        print(f"{metric}: enriched leads every other method on {int(lead.sum())} of {args.seeds} seeds")
    v = pd.DataFrame(verdicts)
    print("\nenriched − published, paired bootstrap 95 % interval per seed:")
    for _, r in v.iterrows():
        print(f"  seed {r['seed']} {r['metric']:15s} {r['difference']:+.3f} [{r['low']:+.3f}, {r['high']:+.3f}] {r['verdict']}")


if __name__ == "__main__":
    main()
