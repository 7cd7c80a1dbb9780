"""Benchmark of the similarity model on the reference workload (SPEC §8).

20,000 past events over 8 years (the demo city, scored against its facts):

* training time of the forest (200 trees, min_leaf 5, 2 threads);
* one prediction with its explanation (the 20 most similar past events with
  their facts by category, the axes' importances) for a drawn planned event,
  against a naive reference measured in the same run: scikit-learn's
  ``forest.apply`` on the planned event, then a Python loop over every past
  event counting the trees where it shares the leaf, then the same selection;
* saving and loading the model file (no pickle), and predicting a batch.

Run: ``.venv/bin/python benchmarks/bench_model.py [--events 20000] [--facts 2000000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tranquillite_plugin.core.context import demo_weather  # noqa: E402
from tranquillite_plugin.core.democity import make_demo_city  # noqa: E402
from tranquillite_plugin.core.forest import ForestSettings, train_model  # noqa: E402
from tranquillite_plugin.core.model_io import model_from_bytes, model_to_bytes  # noqa: E402
from tranquillite_plugin.core.score import score_events  # noqa: E402


def timed(fn, repeat=1):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, times


def naive_transfer(model, sk_forest, x_row, start_us, k):
    """Reference: sklearn apply, then a Python loop over past events and trees."""
    lp = sk_forest.apply(x_row[None, :])[0].tolist()
    leaves = model.leaves.tolist()
    T = len(lp)
    counts = []
    for i in range(model.n_events):
        row = leaves[i]
        same = 0
        for t in range(T):
            if row[t] == lp[t]:
                same += 1
        counts.append(same)
    counts = np.array(counts)
    cand = [i for i in range(model.n_events) if model.start_us[i] < start_us and counts[i] > 0]
    cand.sort(key=lambda i: (-counts[i], -model.start_us[i], model._id_rank[i]))
    top = np.array(cand[:k], dtype=np.int64)
    w = counts[top].astype(float)
    frame = model._similar_frame(top, counts, w)
    return float(np.dot(w, model.score[top]) / w.sum()), frame


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--facts", type=int, default=2_000_000)
    ap.add_argument("--years", type=int, default=8)
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--draws", type=int, default=30)
    ap.add_argument("--auto", action="store_true", help="also time training in auto mode")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    city = make_demo_city(n_events=args.events, n_facts=args.facts, years=args.years, seed=0)
    res = score_events(city.events, city.facts)
    print(f"demo city: {len(city.events)} events, {len(city.facts)} facts, built and scored in {time.perf_counter() - t0:.1f} s")

    settings = ForestSettings(n_trees=args.trees, min_leaf=5, seed=0, n_jobs=2)
    model, (t_train,) = timed(lambda: train_model(city.events, res, sectors=city.sectors, settings=settings))
    print(f"training: {t_train:.2f} s for {model.n_events} events, {model.n_trees} trees (goal < 30 s)")

    # the same forest as an sklearn object, for the naive reference
    from sklearn.ensemble import RandomForestRegressor

    sk = RandomForestRegressor(
        n_estimators=settings.n_trees,
        min_samples_leaf=settings.min_leaf,
        max_features=settings.max_features,
        random_state=settings.seed,
        n_jobs=1,
    ).fit(model.X, np.log1p(model.score))
    assert (sk.apply(model.X[:50]) == model.leaves[:50]).all()

    # planned events: drawn past events moved one week after the last one, plus the demo's planned events
    rng = np.random.default_rng(1)
    drawn = city.events.iloc[rng.choice(len(city.events), args.draws, replace=False)].copy()
    shift = city.events["start"].max() - drawn["start"].min() + pd.Timedelta(days=7)
    drawn["start"] = drawn["start"] + shift
    drawn["end"] = drawn["end"] + shift
    drawn["event_id"] = [f"P{i}" for i in range(len(drawn))]
    planned = pd.concat([drawn, city.planned], ignore_index=True)

    fast_times = []
    for i in range(len(planned)):
        one = planned.iloc[[i]]
        (t,), (dt,) = timed(lambda one=one: model.transfer(one, k=20))
        fast_times.append(dt)
    naive_times = []
    raw, X = model.matrix_of(planned)
    for i in range(min(5, len(planned))):
        (pred, frame), (dt,) = timed(lambda i=i: naive_transfer(model, sk, X[i], int(raw["start_us"].iloc[i]), 20))
        naive_times.append(dt)
        (t,) = model.transfer(planned.iloc[[i]], k=20)
        assert t.similar_ids == list(frame["event_id"]), "fast and naive disagree"
        assert abs(t.predicted - pred) <= 1e-9 * max(1.0, abs(pred))
    fast = statistics.median(fast_times)
    naive = statistics.median(naive_times)
    print(
        f"one prediction with explanation (from the planned event's frame: axes, sector, 200 trees, proximity "
        f"to {model.n_events} past events, top 20, facts by category): median {fast * 1000:.1f} ms, "
        f"max {max(fast_times) * 1000:.1f} ms over {len(fast_times)} events (goal < 10 ms)"
    )
    print(f"naive reference (sklearn apply + Python loop over past events and trees): median {naive * 1000:.0f} ms")
    print(f"ratio naive / fast: {naive / fast:.0f}x")

    _, (t_sk1,) = timed(lambda: sk.apply(X[:1]))
    _, (t_pk1,) = timed(lambda: model.forest.apply(X[:1]))
    print(f"leaves of one event: sklearn forest.apply {t_sk1 * 1000:.1f} ms, packed trees {t_pk1 * 1000:.2f} ms")

    blob, (t_save,) = timed(lambda: model_to_bytes(model))
    loaded, t_load = timed(lambda: model_from_bytes(blob), repeat=3)
    assert loaded.fingerprint == model.fingerprint
    print(f"model file: {len(blob) / 1e6:.1f} MB, written in {t_save:.2f} s, loaded (checks + fingerprint) in {min(t_load):.2f} s (goal < 2 s)")

    batch = pd.concat([planned] * 34, ignore_index=True).iloc[:1000]
    batch["event_id"] = [f"B{i}" for i in range(len(batch))]
    _, (t_batch,) = timed(lambda: model.predict(batch, k=20))
    print(f"batch: 1000 planned events predicted in {t_batch:.2f} s ({t_batch:.2f} ms each)")

    # the enriched configuration: context axes and the conformal band (auto mode timed apart, --auto)
    weather = demo_weather((city.end_date - pd.DateOffset(years=args.years + 1)).strftime("%Y-%m-%d"),
                           (city.end_date + pd.Timedelta(days=60)).strftime("%Y-%m-%d"), 0)
    esettings = ForestSettings(n_trees=args.trees, min_leaf=5, seed=0, n_jobs=2, context=("background", "weather", "load"), calibrate=True)
    enriched, (t_enriched,) = timed(lambda: train_model(city.events, res, sectors=city.sectors, settings=esettings,
                                                         facts=city.facts, weather=weather))
    print(f"training with the three context axes and the calibrated band (no auto): {t_enriched:.2f} s "
          f"(background facts, a second fit on 80 % for the calibration, the final fit)")
    ctx_times = []
    pred_times = []
    for i in range(len(planned)):
        one = planned.iloc[[i]]
        (_, dt_ctx) = timed(lambda one=one: enriched.axes_of(one))
        (_, dt_plain) = timed(lambda one=one: model.axes_of(one))
        ctx_times.append(dt_ctx[0] - dt_plain[0])
        (_, (dt,)) = timed(lambda one=one: enriched.transfer(one, k=20))
        pred_times.append(dt)
    print(f"context axes of one planned event (background rate, weather, load; with the event's axes minus without): "
          f"median {statistics.median(ctx_times) * 1000:.2f} ms (goal < 2 ms)")
    print(f"one prediction with explanation, enriched model: median {statistics.median(pred_times) * 1000:.1f} ms, "
          f"max {max(pred_times) * 1000:.1f} ms (goal < 10 ms)")
    t_auto = float("nan")
    if args.auto:
        _, (t_auto,) = timed(lambda: train_model(city.events, res, sectors=city.sectors, settings=esettings,
                                                  facts=city.facts, weather=weather, auto=True))
        print(f"training in auto mode (9 fits on 80 % of the events, 54 candidates, then the final fit): {t_auto:.1f} s")
    return {
        "train_s": t_train,
        "predict_ms": fast * 1000,
        "naive_ms": naive * 1000,
        "load_s": min(t_load),
        "size_mb": len(blob) / 1e6,
        "enriched_train_s": t_enriched,
        "context_ms": statistics.median(ctx_times) * 1000,
        "enriched_predict_ms": statistics.median(pred_times) * 1000,
        "auto_train_s": t_auto,
    }


if __name__ == "__main__":
    main()
