"""Settings chosen by evidence: a time-split backtest inside the training period.

The training events (in start order) are cut at 80 %: a forest is fitted on
the first part and every event of the last part is predicted from the first
part only, as the backtest does (:mod:`.backtest`).  In *auto* mode each
candidate of :data:`GRID` is measured this way — ``max_features`` ×
``min_leaf`` (one fit each), then, from the same fit, the first 100 or all
200 trees (a forest grown with ``warm_start`` holds the smaller one as its
first trees), the raw or log averaging and k (10, 20 or 40 similar events) — and the candidate with the best
mean rank over Spearman, MAE of log1p and top-decile hit rate wins (ties:
lower MAE, then the order of the grid, the published settings first).
Every candidate's figures are returned, to be recorded in the model.

The same split gives the calibration residuals of the conformal band
(:mod:`.calibration`): those of the chosen candidate in auto mode, else of
the given settings (one extra fit on the first part).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from tranquillite_plugin.core.calibration import MIN_CALIBRATION, ConformalBand
from tranquillite_plugin.core.forest import ForestSettings, PackedForest, TrainingData, TransferModel, fit_model
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.core.timeutil import from_epoch_us

HOLDOUT_SHARE = 0.2
MIN_EVENTS = 60
#: the candidates of auto mode (published values first: they win ties)
GRID = {
    "max_features": (0.5, 0.33, 0.8),
    "min_leaf": (5, 3, 10),
    "n_trees": (200, 100),
    "averaging": ("raw", "log"),
    "k": (20, 10, 40),
}


def split_index(n: int) -> int:
    """Number of training events in the fitting part (the rest, the most recent, is held out)."""
    if n < MIN_EVENTS:
        raise ValueError(f"choosing settings or calibrating the band needs at least {MIN_EVENTS} past events, not {n}")
    return n - max(MIN_CALIBRATION, int(round(HOLDOUT_SHARE * n)))


def _truncated(model: TransferModel, n_trees: int, averaging: str) -> TransferModel:
    if n_trees >= model.n_trees and averaging == model.settings.averaging:
        return model
    f = model.forest
    T = min(n_trees, f.n_trees)
    forest = PackedForest(f.feature[:T], f.threshold[:T], f.left[:T], f.right[:T], f.value[:T], f.n_nodes[:T])
    return TransferModel(
        settings=replace(model.settings, n_trees=T, averaging=averaging),
        score_settings=model.score_settings,
        encoder=model.encoder,
        forest=forest,
        X=model.X,
        event_id=model.event_id,
        nature=model.nature,
        sector=model.sector,
        start_us=model.start_us,
        score=model.score,
        by_category=model.by_category,
        categories=model.categories,
        leaves=model.leaves[:, :T],
        column_importances=model.column_importances,
        sectors=model.sectors,
    )


def holdout_predictions(model: TransferModel, data: TrainingData, m: int) -> np.ndarray:
    """Transferred scores of the held-out events ``data.raw[m:]`` by ``model`` (fitted on the first ``m``)."""
    raw = data.raw.iloc[m:].reset_index(drop=True)
    X = model.encoder.transform(raw)
    res = model.transfer_matrix(X, raw["start_us"].to_numpy(), raw["event_id"].to_numpy(object), None, False)
    pred = np.array([t.predicted for t in res], float)
    glob = float(model.score.mean())
    return np.where(np.isfinite(pred), pred, glob)


def holdout_variants(model: TransferModel, data: TrainingData, m: int, ks, averagings) -> dict:
    """{(k, averaging): transferred scores of the held-out events} from one pass over them.

    The k most similar past events are a prefix of the ``max(ks)`` most similar
    (same order), so each held-out event's proximities are counted once; the
    predictions equal :func:`holdout_predictions` of the model with that k and
    averaging (tested).
    """
    raw = data.raw.iloc[m:].reset_index(drop=True)
    X = model.encoder.transform(raw)
    start = raw["start_us"].to_numpy(np.int64)
    k_max = max(ks)
    out = {(k, a): np.full(len(raw), np.nan) for k in ks for a in averagings}
    log_score = np.log1p(model.score)
    for a in range(0, len(X), 256):
        leaves = model.forest.apply(X[a : a + 256])
        for j, lp in enumerate(leaves):
            i = a + j
            top, w, _, _ = model._select(model.leaf_counts(lp), int(start[i]), k_max)
            for k in ks:
                tk, wk = top[:k], w[:k]
                if not len(tk):
                    continue
                for avg in averagings:
                    if avg == "log":
                        out[(k, avg)][i] = np.expm1(np.dot(wk, log_score[tk]) / wk.sum())
                    else:
                        out[(k, avg)][i] = np.dot(wk, model.score[tk]) / wk.sum()
    glob = float(model.score.mean())
    return {key: np.where(np.isfinite(v), v, glob) for key, v in out.items()}


def _figures(observed, predicted) -> dict:
    from tranquillite_plugin.core.backtest import mae_log1p, spearman, top_decile_hit_rate

    sp = spearman(observed, predicted)
    return {
        "spearman": None if not np.isfinite(sp) else round(float(sp), 6),
        "mae_log1p": round(float(mae_log1p(observed, predicted)), 6),
        "top_decile_hit": round(float(top_decile_hit_rate(observed, predicted)), 6),
    }


def _period(data: TrainingData, a: int, b: int) -> tuple:
    s = from_epoch_us(data.raw["start_us"].to_numpy()[[a, b - 1]])
    return s.iloc[0].isoformat(), s.iloc[1].isoformat()


def calibrate(
    data: TrainingData,
    settings: ForestSettings,
    predicted: np.ndarray | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ConformalBand:
    """The conformal band from the held-out part of the training events (fits the first part unless ``predicted`` is given)."""
    n = len(data)
    m = split_index(n)
    if predicted is None:
        model = fit_model(data, settings, rows=m, progress=progress, is_cancelled=is_cancelled)
        predicted = holdout_predictions(model, data, m)
    observed = data.scores[m:]
    residuals = np.log1p(observed) - np.log1p(np.maximum(predicted, 0.0))
    return ConformalBand.fit(residuals, period=_period(data, m, n))


def choose_settings(
    data: TrainingData,
    base: ForestSettings,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    grid: dict | None = None,
):
    """(chosen settings, selection record, ConformalBand or None) — see the module doc."""
    grid = grid or GRID
    n = len(data)
    m = split_index(n)
    observed = data.scores[m:]
    pairs = list(itertools.product(grid["max_features"], grid["min_leaf"]))
    t_max = max(grid["n_trees"])
    rows = []
    preds = {}
    for j, (mf, ml) in enumerate(pairs):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        s = replace(base, max_features=float(mf), min_leaf=int(ml), n_trees=int(t_max), averaging="raw", calibrate=False)
        model = fit_model(data, s, rows=m)
        ks = tuple(int(k) for k in grid.get("k", (base.k,)))
        for t in grid["n_trees"]:
            variants = holdout_variants(_truncated(model, int(t), "raw"), data, m, ks, tuple(grid["averaging"]))
            for k in ks:
                for avg in grid["averaging"]:
                    p = variants[(k, avg)]
                    key = (float(mf), int(ml), int(t), avg, k)
                    preds[key] = p
                    rows.append({"max_features": float(mf), "min_leaf": int(ml), "n_trees": int(t), "averaging": avg, "k": k,
                                 **_figures(observed, p)})
        if progress is not None:
            progress(100.0 * (j + 1) / len(pairs))
    frame = pd.DataFrame(rows)
    sp = frame["spearman"].astype(float).fillna(-np.inf)
    ranks = (
        sp.rank(ascending=False, method="average")
        + frame["mae_log1p"].rank(ascending=True, method="average")
        + frame["top_decile_hit"].rank(ascending=False, method="average")
    ) / 3.0
    frame["mean_rank"] = ranks.round(4)
    order = np.lexsort((np.arange(len(frame)), frame["mae_log1p"].to_numpy(), frame["mean_rank"].to_numpy()))
    best = frame.iloc[order[0]]
    chosen = replace(
        base,
        max_features=float(best["max_features"]),
        min_leaf=int(best["min_leaf"]),
        n_trees=int(best["n_trees"]),
        averaging=str(best["averaging"]),
        k=int(best["k"]),
    )
    key = (chosen.max_features, chosen.min_leaf, chosen.n_trees, chosen.averaging, chosen.k)
    band = calibrate(data, chosen, predicted=preds[key]) if base.calibrate else None
    record = {
        "method": "time-split backtest inside the training period",
        "criterion": "mean rank over Spearman, MAE of log1p and top-decile hit rate (ties: lower MAE)",
        "fit_period": list(_period(data, 0, m)),
        "holdout_period": list(_period(data, m, n)),
        "n_fit": int(m),
        "n_holdout": int(n - m),
        "chosen": {k: chosen.to_dict()[k] for k in ("max_features", "min_leaf", "n_trees", "averaging", "k")},
        "candidates": [
            {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()} for r in frame.to_dict("records")
        ],
    }
    return chosen, record, band


__all__ = ["GRID", "calibrate", "choose_settings", "holdout_predictions", "holdout_variants", "split_index"]
