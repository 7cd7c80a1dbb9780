"""Backtest of the score transfer (SPEC §4): train before a cut date, predict after it.

Protocol
    The forest is trained **once**, on the events that started before the cut
    (``start < cut``).  Every event that started at or after the cut is then
    predicted, with the training events as its only candidates: they all
    started before it, so no test event can use a later one (and test events
    never serve each other).  This is the situation of the supervision centre
    on the cut date, predicting the coming events with the model it has.

Methods compared (same training events, same test events)
    * ``transfer`` — the product: proximity-weighted mean of the k most similar
      past events' scores;
    * ``forest`` — the forest's own regression, ``expm1`` of its mean of
      ``log1p(score)`` (for reference: it is not a transfer from named events);
    * ``global_mean`` — mean score of the training events;
    * ``nature_sector_mean`` — mean score of the training events of the same
      nature and sector (else of the same nature, else global);
    * ``knn20`` — mean score of the 20 nearest training events in the
      standardised axes (``log1p`` of participants, area and duration, every
      column centred and scaled by the training mean and standard deviation;
      ties by training order).

    Baselines average scores like the transfer does, so the comparison is
    about which past events are chosen, not about how they are averaged.

Metrics
    * ``spearman`` — Spearman rank correlation of predicted and observed
      scores (average ranks for ties; undefined, shown as "n/a", for a
      constant prediction such as the global mean);
    * ``mae_log1p`` — mean absolute error of ``log1p(score)``;
    * ``top_decile_hit`` — share of the true 10 % highest events found in the
      predicted 10 % highest.  ``m = ceil(0.1 n)`` events are flagged on each
      side; when ties straddle the cut, the tied events share the remaining
      places equally (fractional membership), so a constant prediction scores
      the chance level 0.1 instead of an arbitrary value;
    * ``band_coverage`` — share of observed scores inside [band_low, band_high]
      (transfer only; the 10–90 % band should hold about 80 %);
    * per nature, ``pai`` (PAI-style, after the Prediction Accuracy Index of
      crime mapping): share of the nature's observed score total that falls in
      the events flagged by the predicted top 10 % of that nature, divided by
      the share of events flagged (0.1).  1 is chance; higher is better.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tranquillite_plugin.core.axes import COLUMNS, axes_with, standardised
from tranquillite_plugin.core.forest import ForestSettings, transfers_frame, unpack_scores
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.core.timeutil import TZ, from_epoch_us, parse_datetimes, to_epoch_us

METHODS = ("transfer", "forest", "global_mean", "nature_sector_mean", "knn20")
BASELINES = ("global_mean", "nature_sector_mean", "knn20")
METHOD_LABELS = {
    "transfer": "Transfer (forest proximity, k most similar)",
    "forest": "Forest regression (reference)",
    "global_mean": "Global mean",
    "nature_sector_mean": "Nature × sector mean",
    "knn20": "20 nearest neighbours (standardised axes)",
}
TOP_SHARE = 0.10


# --- metrics ----------------------------------------------------------------------------


def spearman(observed, predicted) -> float:
    """Spearman rank correlation (average ranks); NaN when either side is constant."""
    o = pd.Series(np.asarray(observed, float)).rank(method="average").to_numpy()
    p = pd.Series(np.asarray(predicted, float)).rank(method="average").to_numpy()
    if len(o) < 2 or np.ptp(o) == 0 or np.ptp(p) == 0:
        return float("nan")
    return float(np.corrcoef(o, p)[0, 1])


def mae_log1p(observed, predicted) -> float:
    o = np.asarray(observed, float)
    p = np.asarray(predicted, float)
    if not len(o):
        return float("nan")
    return float(np.mean(np.abs(np.log1p(o) - np.log1p(np.maximum(p, 0)))))


def top_membership(values, m: int) -> np.ndarray:
    """Membership (0..1) of each value in the ``m`` highest, ties sharing the last places."""
    v = np.asarray(values, float)
    n = len(v)
    out = np.zeros(n)
    if n == 0 or m <= 0:
        return out
    m = min(m, n)
    t = np.sort(v)[::-1][m - 1]
    above = v > t
    at = v == t
    out[above] = 1.0
    out[at] = (m - above.sum()) / at.sum()
    return out


def top_count(n: int, share: float = TOP_SHARE) -> int:
    return max(1, int(math.ceil(share * n - 1e-9))) if n else 0


def top_decile_hit_rate(observed, predicted, share: float = TOP_SHARE) -> float:
    """Share of the true top ``share`` found in the predicted top ``share`` (see module doc)."""
    n = len(observed)
    if n == 0:
        return float("nan")
    m = top_count(n, share)
    return float(np.dot(top_membership(observed, m), top_membership(predicted, m)) / m)


def pai(observed, predicted, share: float = TOP_SHARE) -> float:
    """(share of observed score in the predicted top ``share``) / (share of events flagged)."""
    o = np.asarray(observed, float)
    n = len(o)
    if n == 0 or o.sum() <= 0:
        return float("nan")
    m = top_count(n, share)
    captured = float(np.dot(top_membership(predicted, m), o) / o.sum())
    return captured / (m / n)


def band_coverage(observed, low, high) -> float:
    o = np.asarray(observed, float)
    lo = np.asarray(low, float)
    hi = np.asarray(high, float)
    ok = np.isfinite(lo) & np.isfinite(hi)
    if not ok.any():
        return float("nan")
    return float(np.mean((o[ok] >= lo[ok]) & (o[ok] <= hi[ok])))


# --- baselines --------------------------------------------------------------------------


def nature_sector_means(train_nature, train_sector, train_score, nature, sector) -> np.ndarray:
    """Mean training score of the same (nature, sector), else nature, else global."""
    tr = pd.DataFrame({"n": np.asarray(train_nature, object), "s": np.asarray(train_sector, object), "y": np.asarray(train_score, float)})
    glob = float(tr["y"].mean())
    cell = tr.groupby(["n", "s"])["y"].mean()
    nat = tr.groupby("n")["y"].mean()
    q = pd.DataFrame({"n": np.asarray(nature, object), "s": np.asarray(sector, object)})
    keys = pd.MultiIndex.from_frame(q[["n", "s"]])
    out = np.array(cell.reindex(keys).to_numpy(float), dtype=float, copy=True)
    miss = ~np.isfinite(out)
    out[miss] = q["n"][miss].map(nat).to_numpy(float)
    out[~np.isfinite(out)] = glob
    return out


def knn_means(X_train, train_score, X_test, k: int = 20, chunk: int = 512) -> np.ndarray:
    """Mean score of the ``k`` nearest training rows in the standardised axes."""
    z_train, mean, std = standardised(X_train)
    z_test, _, _ = standardised(X_test, mean, std)
    y = np.asarray(train_score, float)
    k = min(k, len(z_train))
    out = np.zeros(len(z_test))
    sq_train = (z_train**2).sum(axis=1)
    for a in range(0, len(z_test), chunk):
        zt = z_test[a : a + chunk]
        d2 = (zt**2).sum(axis=1)[:, None] + sq_train[None, :] - 2 * zt @ z_train.T
        idx = np.argsort(d2, axis=1, kind="stable")[:, :k]
        out[a : a + chunk] = y[idx].mean(axis=1)
    return out


def permutation_importances(model, X, observed, repeats: int = 3, seed: int = 0, max_rows: int = 2000) -> pd.DataFrame:
    """Increase of the forest's MAE of log1p on held-out events when one axis is shuffled.

    Each axis (location's x and y together) is permuted across the rows
    ``repeats`` times with a fixed seed; the mean increase is its importance.
    Unlike impurity importances, this is measured on events the forest did
    not see, and does not favour axes with many distinct values. At most
    ``max_rows`` rows (a fixed random subset) are used.
    """
    rng = np.random.default_rng(seed)
    X = np.asarray(X, float)
    observed = np.asarray(observed, float)
    if len(X) > max_rows:
        keep = np.sort(rng.choice(len(X), max_rows, replace=False))
        X, observed = X[keep], observed[keep]
    base = mae_log1p(observed, np.expm1(model.forest.predict(X)))
    rows = []
    columns = list(getattr(model, "columns", COLUMNS))
    for a in axes_with(model.encoder.context):
        cols = [columns.index(c) for c in a.columns]
        rises = []
        for _ in range(repeats):
            shuffled = X.copy()
            shuffled[:, cols] = X[rng.permutation(len(X))][:, cols]
            rises.append(mae_log1p(observed, np.expm1(model.forest.predict(shuffled))) - base)
        rows.append({"axis": a.id, "label_fr": a.label_fr, "label_en": a.label_en, "mae_increase": float(np.mean(rises))})
    frame = pd.DataFrame(rows)
    order = np.lexsort((np.arange(len(frame)), -frame["mae_increase"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


# --- the backtest -----------------------------------------------------------------------


@dataclass
class BacktestResult:
    cut: pd.Timestamp
    n_train: int
    n_test: int
    train_period: tuple
    test_period: tuple
    metrics: pd.DataFrame  # one row per method
    per_nature: pd.DataFrame  # nature, method, n, spearman, top_decile_hit, pai
    predictions: pd.DataFrame  # one row per test event
    importances: pd.DataFrame  # impurity importances of the trained forest
    settings: dict
    k: int
    fingerprint: str = ""
    notes: list = field(default_factory=list)
    permutation: pd.DataFrame | None = None  # permutation importances on the test events
    #: configuration name -> {"settings": ..., "auto": bool, "selection": ..., "fingerprint": ...}
    configurations: dict = field(default_factory=dict)
    #: the challenger against the transfer: metric, transfer, challenger, difference, 95 % bootstrap interval, verdict
    comparison: pd.DataFrame | None = None
    #: per transferring method: nominal level -> observed coverage, below, above (the calibration chart)
    calibration: pd.DataFrame | None = None
    challenger: str = ""

    def beats_baselines(self, method: str = "transfer") -> dict:
        """{metric: True when ``method`` beats every baseline (and the forest regression, for a challenger) on it}."""
        m = self.metrics.set_index("method")
        out = {}
        rivals = list(BASELINES) + (["forest", "transfer"] if method != "transfer" else [])
        for metric, higher in (("spearman", True), ("top_decile_hit", True), ("mae_log1p", False)):
            t = m.loc[method, metric]
            others = [m.loc[b, metric] for b in rivals if b in m.index]
            others = [o for o in others if np.isfinite(o)]
            out[metric] = bool(np.isfinite(t) and all((t > o) if higher else (t < o) for o in others))
        return out


def _cut_timestamp(cut) -> pd.Timestamp:
    s, bad = parse_datetimes(pd.Series([cut]))
    if bad.any() or pd.isna(s.iloc[0]):
        raise ValueError(f"cannot read the cut date {cut!r} as a date and time")
    return s.iloc[0]


HIT_SHARES = (0.05, 0.10, 0.20)
COMPARED = (("spearman", True), ("mae_log1p", False), ("top_decile_hit", True))


def _method_row(method, label, observed, predicted, low=None, high=None) -> dict:
    row = {
        "method": method,
        "label": label,
        "spearman": spearman(observed, predicted),
        "mae_log1p": mae_log1p(observed, predicted),
        "top_decile_hit": top_decile_hit_rate(observed, predicted),
    }
    for share in HIT_SHARES:
        pct = int(round(share * 100))
        row[f"hit_{pct}"] = top_decile_hit_rate(observed, predicted, share)
        row[f"pai_{pct}"] = pai(observed, predicted, share)
    if low is not None:
        lo, hi = np.asarray(low, float), np.asarray(high, float)
        ok = np.isfinite(lo) & np.isfinite(hi)
        o = np.asarray(observed, float)
        row["band_coverage"] = band_coverage(o, lo, hi)
        row["band_below"] = float(np.mean(o[ok] < lo[ok])) if ok.any() else float("nan")
        row["band_above"] = float(np.mean(o[ok] > hi[ok])) if ok.any() else float("nan")
    else:
        row["band_coverage"] = row["band_below"] = row["band_above"] = float("nan")
    return row


def bootstrap_difference(observed, a, b, metric: str, n_boot: int = 1000, seed: int = 0) -> tuple:
    """(b − a on ``metric``, 2.5 % and 97.5 % percentiles of the paired bootstrap of that difference)."""
    fn = {"spearman": spearman, "mae_log1p": mae_log1p, "top_decile_hit": top_decile_hit_rate}[metric]
    o, a, b = (np.asarray(v, float) for v in (observed, a, b))
    diff = fn(o, b) - fn(o, a)
    rng = np.random.default_rng(seed)
    n = len(o)
    boots = np.empty(n_boot)
    for i in range(n_boot):
        idx = rng.integers(0, n, n)
        boots[i] = fn(o[idx], b[idx]) - fn(o[idx], a[idx])
    boots = boots[np.isfinite(boots)]
    if not len(boots):
        return float(diff), float("nan"), float("nan")
    return float(diff), float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))


def _slice(data, m: int):
    from tranquillite_plugin.core.forest import TrainingData

    return TrainingData(
        data.raw.iloc[:m].reset_index(drop=True),
        data.scores[:m],
        data.by_category[:m],
        data.categories,
        data.sectors,
        data.score_settings,
        data.context,
        data.context_source,
    )


def _run_configuration(data, m, settings, auto, k, progress, is_cancelled):
    """Fits one configuration on the first ``m`` events of ``data`` and transfers to the rest."""
    from tranquillite_plugin.core.forest import fit_model

    train = _slice(data, m)
    selection = None
    band = None

    def sub(p0, p1):
        if progress is None:
            return None
        return lambda v: progress(p0 + (p1 - p0) * v / 100.0)

    if auto or settings.calibrate:
        from tranquillite_plugin.core.selection import calibrate, choose_settings

        if auto:
            settings, selection, band = choose_settings(train, settings, progress=sub(0, 50), is_cancelled=is_cancelled)
        else:
            band = calibrate(train, settings, progress=sub(0, 50), is_cancelled=is_cancelled)
    model = fit_model(train, settings, progress=sub(50, 80), is_cancelled=is_cancelled)
    model.calibration = band if settings.calibrate else None
    model.selection = selection
    model.fingerprint = model.compute_fingerprint()
    raw_test = data.raw.iloc[m:].reset_index(drop=True)
    X_test = model.encoder.transform(raw_test)
    if auto:  # auto mode chose k too
        k = settings.k
    transfers = model.transfer_matrix(
        X_test, raw_test["start_us"].to_numpy(), raw_test["event_id"].to_numpy(object), k, False, sub(80, 100), is_cancelled
    )
    return model, settings, selection, transfers_frame(transfers), X_test


def backtest(
    events: pd.DataFrame,
    scores,
    cut,
    by_category=None,
    categories=None,
    sectors: pd.DataFrame | None = None,
    settings: ForestSettings | None = None,
    k: int | None = None,
    score_settings=None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    facts: pd.DataFrame | None = None,
    weather=None,
    auto: bool = False,
    challenger: ForestSettings | None = None,
    challenger_auto: bool = False,
    challenger_name: str = "enriched",
    n_boot: int = 1000,
) -> BacktestResult:
    """Trains on events with ``start < cut``, predicts those with ``start >= cut``.

    ``cut``: a date/time (naive = Europe/Paris local time, or tz-aware, or a
    string).  Other arguments as :func:`~tranquillite_plugin.core.forest.train_model`.
    ``challenger``: a second configuration (e.g. :func:`enriched_settings`)
    trained and tested on the same events; its row is ``challenger_name`` and
    :attr:`BacktestResult.comparison` gives its difference with the transfer
    and a paired bootstrap interval on it (``n_boot`` resamples of the test
    events), so that a lead within noise is called noise.
    """
    from tranquillite_plugin.core.calibration import coverage_table
    from tranquillite_plugin.core.forest import prepare_training

    settings = settings or ForestSettings()
    k = settings.k if k is None else int(k)
    scores, by_category, categories, score_settings = unpack_scores(scores, by_category, categories, score_settings)
    scores = np.asarray(scores, float)
    events = events.reset_index(drop=True)
    if len(scores) != len(events):
        raise ValueError(f"{len(scores)} scores for {len(events)} events")
    cut_ts = _cut_timestamp(cut)
    cut_us = int(to_epoch_us(pd.Series([cut_ts]))[0])
    start_us = to_epoch_us(events["start"])
    train = start_us < cut_us
    test = ~train
    if train.sum() == 0:
        raise ValueError(f"no event started before the cut date {cut_ts:%Y-%m-%d %H:%M}: nothing to train on")
    if test.sum() == 0:
        raise ValueError(f"no event started on or after the cut date {cut_ts:%Y-%m-%d %H:%M}: nothing to predict")

    def sub(p0, p1):
        if progress is None:
            return None
        return lambda v: progress(p0 + (p1 - p0) * v / 100.0)

    # every event's axes and context at once (in start order): the context of an event uses only facts
    # and events before it, so computing it over the whole period leaks nothing
    context = tuple(settings.context) + tuple(c for c in (challenger.context if challenger is not None else ()) if c not in settings.context)
    data = prepare_training(events, scores, by_category, categories, sectors, score_settings, context, facts, weather)
    m = int(train.sum())
    split = (0, 60) if challenger is None else (0, 35)
    model, settings, selection, tf, X_test = _run_configuration(data, m, settings, auto, k, sub(*split), is_cancelled)
    configurations = {
        "transfer": {"settings": settings.to_dict(), "auto": bool(auto), "selection": selection, "fingerprint": model.fingerprint,
                     "configuration": "published" if settings.is_published and not auto else "custom"}
    }
    ch = None
    if challenger is not None:
        ch_model, ch_settings, ch_sel, ch_tf, _ = _run_configuration(data, m, challenger, challenger_auto, k, sub(35, 80), is_cancelled)
        configurations[challenger_name] = {
            "settings": ch_settings.to_dict(), "auto": bool(challenger_auto), "selection": ch_sel,
            "fingerprint": ch_model.fingerprint, "configuration": challenger_name,
        }
        ch = (ch_model, ch_tf)
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()

    raw_test = data.raw.iloc[m:].reset_index(drop=True)
    observed = data.scores[m:]
    test_start = from_epoch_us(raw_test["start_us"].to_numpy())
    # baselines, all from the training events only, on the published axes
    y_train = model.score
    X_pub = model.X[:, : len(COLUMNS)]
    preds = {
        "transfer": tf["predicted"].to_numpy(float),
        "forest": tf["forest_estimate"].to_numpy(float),
        "global_mean": np.full(len(observed), float(y_train.mean())),
        "nature_sector_mean": nature_sector_means(model.nature, model.sector, y_train, raw_test["nature"], raw_test["sector"]),
        "knn20": knn_means(X_pub, y_train, X_test[:, : len(COLUMNS)], 20),
    }
    bands = {"transfer": (tf["band_low"].to_numpy(float), tf["band_high"].to_numpy(float))}
    methods = list(METHODS)
    labels = dict(METHOD_LABELS)
    if ch is not None:
        preds[challenger_name] = ch[1]["predicted"].to_numpy(float)
        bands[challenger_name] = (ch[1]["band_low"].to_numpy(float), ch[1]["band_high"].to_numpy(float))
        methods.insert(1, challenger_name)
        labels[challenger_name] = f"Transfer, {challenger_name} configuration"
    notes = []
    for name in [m_ for m_ in methods if m_ in bands]:
        missing = ~np.isfinite(preds[name])
        if missing.any():
            notes.append(f"{int(missing.sum())} test events got no transfer from '{name}'; the global mean stands in for them")
            preds[name] = np.where(missing, preds["global_mean"], preds[name])
    rows = []
    for meth in methods:
        lo, hi = bands.get(meth, (None, None))
        rows.append(_method_row(meth, labels[meth], observed, preds[meth], lo, hi))
    metrics = pd.DataFrame(rows)
    nat_rows = []
    natures = raw_test["nature"].to_numpy(object)
    for nat in sorted(set(natures)):
        sel = natures == nat
        for meth in methods:
            nat_rows.append(
                {
                    "nature": nat,
                    "method": meth,
                    "n": int(sel.sum()),
                    "spearman": spearman(observed[sel], preds[meth][sel]),
                    "mae_log1p": mae_log1p(observed[sel], preds[meth][sel]),
                    "top_decile_hit": top_decile_hit_rate(observed[sel], preds[meth][sel]),
                    "pai": pai(observed[sel], preds[meth][sel]),
                }
            )
    cal_rows = []
    for name, mdl in (("transfer", model),) + (((challenger_name, ch[0]),) if ch is not None else ()):
        if mdl.calibration is not None:
            for r in coverage_table(observed, preds[name], mdl.calibration):
                cal_rows.append({"method": name, **r})
        else:
            lo, hi = bands[name]
            cal_rows.append({"method": name, "level": 0.8, "coverage": band_coverage(observed, lo, hi),
                             "below": float(np.mean(observed < lo)), "above": float(np.mean(observed > hi))})
    comparison = None
    if ch is not None:
        comp = []
        for metric, higher in COMPARED:
            diff, low, high = bootstrap_difference(observed, preds["transfer"], preds[challenger_name], metric, n_boot, settings.seed)
            better = (low > 0) if higher else (high < 0)
            worse = (high < 0) if higher else (low > 0)
            verdict = f"{challenger_name} better" if better else ("transfer better" if worse else "within noise")
            comp.append({
                "metric": metric, "transfer": float(metrics.loc[metrics.method == "transfer", metric].iloc[0]),
                challenger_name: float(metrics.loc[metrics.method == challenger_name, metric].iloc[0]),
                "difference": diff, "low": low, "high": high, "verdict": verdict,
            })
        comparison = pd.DataFrame(comp)
    predictions = pd.DataFrame(
        {
            "event_id": raw_test["event_id"].to_numpy(object),
            "nature": natures,
            "sector": raw_test["sector"].to_numpy(object),
            "start": test_start.dt.tz_convert(TZ),
            "observed": observed,
            **{meth: preds[meth] for meth in methods},
            "band_low": bands["transfer"][0],
            "band_high": bands["transfer"][1],
            "similar_ids": tf["similar_ids"].to_numpy(object),
        }
    )
    if ch is not None:
        predictions[f"{challenger_name}_band_low"] = bands[challenger_name][0]
        predictions[f"{challenger_name}_band_high"] = bands[challenger_name][1]
    if progress is not None:
        progress(100.0)
    return BacktestResult(
        cut=cut_ts,
        n_train=int(train.sum()),
        n_test=int(test.sum()),
        train_period=model.training_period,
        test_period=(test_start.min(), test_start.max()),
        metrics=metrics,
        per_nature=pd.DataFrame(nat_rows),
        predictions=predictions,
        importances=model.importances(),
        permutation=permutation_importances(model, X_test, observed, seed=settings.seed),
        settings={**settings.to_dict(), "k": k},
        k=k,
        fingerprint=model.fingerprint,
        notes=notes,
        configurations=configurations,
        comparison=comparison,
        calibration=pd.DataFrame(cal_rows),
        challenger=challenger_name if ch is not None else "",
    )


def enriched_settings(base: ForestSettings | None = None, facts: bool = True, weather: bool = False) -> ForestSettings:
    """The enriched configuration: context axes available (background with facts, weather with a table,
    the city's load always) and the conformal band; train it with ``auto=True``."""
    from dataclasses import replace

    base = base or ForestSettings()
    context = tuple(c for c, ok in (("background", facts), ("weather", weather), ("load", True)) if ok)
    return replace(base, context=context, calibrate=True)


# --- the report -------------------------------------------------------------------------


def _fmt(v, pct=False) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "n/a"
    return f"{v:.1%}" if pct else f"{v:.3f}"


def markdown_table(frame: pd.DataFrame, formats: dict | None = None) -> str:
    formats = formats or {}
    cols = list(frame.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for _, r in frame.iterrows():
        cells = []
        for c in cols:
            f = formats.get(c)
            cells.append(f(r[c]) if f else str(r[c]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def metrics_markdown(result: BacktestResult) -> str:
    """The metrics table (methods × metrics) in Markdown."""
    t = result.metrics[["label", "spearman", "mae_log1p", "top_decile_hit", "band_coverage"]].rename(
        columns={
            "label": "method",
            "spearman": "Spearman",
            "mae_log1p": "MAE log1p",
            "top_decile_hit": "top-decile hit rate",
            "band_coverage": "10–90 % band coverage",
        }
    )
    return markdown_table(
        t,
        {"Spearman": _fmt, "MAE log1p": _fmt, "top-decile hit rate": lambda v: _fmt(v, True), "10–90 % band coverage": lambda v: _fmt(v, True)},
    )


def _figure(w=7.0, h=4.0):
    import warnings

    with warnings.catch_warnings():  # Debian's mpl_toolkits beside the venv's matplotlib: no 3D here
        warnings.filterwarnings("ignore", message="Unable to import Axes3D")
        import matplotlib.projections  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path)


def _extra_sections(result: BacktestResult) -> list:
    """Hit rates and PAI at 5/10/20 %, the band's sides, the two configurations and the calibration chart."""
    m = result.metrics
    pct = lambda v: _fmt(v, True)  # noqa: E731
    hits = m[["label", "hit_5", "hit_10", "hit_20", "pai_5", "pai_10", "pai_20", "band_coverage", "band_below", "band_above"]].rename(
        columns={"label": "method", "hit_5": "hit 5 %", "hit_10": "hit 10 %", "hit_20": "hit 20 %", "pai_5": "PAI 5 %",
                 "pai_10": "PAI 10 %", "pai_20": "PAI 20 %", "band_coverage": "band coverage", "band_below": "below band",
                 "band_above": "above band"}
    )
    lines = [
        "## Hit rates, PAI and the band",
        "",
        "Hit rate at x %: share of the true x % highest test events found in the predicted x % highest. PAI at x %: "
        "share of the observed score total held by the predicted x % highest, divided by x % (1 = chance). The band "
        "should hold 80 % of the observed scores, with no more than about 10 % on either side.",
        "",
        markdown_table(hits, {c: pct for c in ("hit 5 %", "hit 10 %", "hit 20 %", "band coverage", "below band", "above band")}
                       | {c: lambda v: "n/a" if not np.isfinite(v) else f"{v:.2f}" for c in ("PAI 5 %", "PAI 10 %", "PAI 20 %")}),
        "",
    ]
    if result.comparison is not None:
        ch = result.challenger
        cfg = result.configurations.get(ch, {})
        comp = result.comparison.rename(columns={"low": "2.5 %", "high": "97.5 %"})
        chosen = (cfg.get("selection") or {}).get("chosen", {})
        lines += [
            f"## Two configurations: published transfer and {ch}",
            "",
            f"The {ch} configuration: context axes {', '.join(cfg.get('settings', {}).get('context', [])) or 'none'}, "
            f"settings {'chosen by auto mode ' + str(chosen) if chosen else 'as given'}, "
            f"band {'conformal (log space)' if cfg.get('settings', {}).get('calibrate') else 'weighted quantiles'}. "
            f"Difference = {ch} − transfer on the same test events, with a paired bootstrap 95 % interval (test events "
            "resampled); an interval that holds 0 is called noise.",
            "",
            markdown_table(comp, {c: _fmt for c in ("transfer", ch, "difference", "2.5 %", "97.5 %")}),
            "",
        ]
    cal = result.calibration
    if cal is not None and len(cal):
        lines += [
            "## Calibration of the band",
            "",
            markdown_table(cal, {"level": pct, "coverage": pct, "below": pct, "above": pct}),
            "",
            "![calibration](calibration.png)",
            "",
        ]
    return lines


def write_report(result: BacktestResult, folder: str, title: str = "Backtest of the score transfer") -> str:
    """Writes ``report.md``, PNG charts and ``predictions.csv`` into ``folder``; returns the report's path."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        from tranquillite_plugin.dependencies import install_advice  # pure Python, no QGIS

        raise ImportError("The backtest report needs matplotlib. " + install_advice(["matplotlib"])) from exc
    os.makedirs(folder, exist_ok=True)
    m = result.metrics
    methods = m["method"].tolist()
    colors = {"transfer": "#c0392b", "enriched": "#8e44ad", "forest": "#e67e22", "global_mean": "#95a5a6", "nature_sector_mean": "#7f8c8d", "knn20": "#2c3e50"}

    # 1. metrics by method
    fig = _figure(8, 3.6)
    panels = (
        ("spearman", "Spearman (higher is better)"),
        ("top_decile_hit", "Top-decile hit rate (higher is better)"),
        ("mae_log1p", "MAE of log1p (lower is better)"),
    )
    for j, (metric, name) in enumerate(panels):
        ax = fig.add_subplot(1, 3, j + 1)
        vals = np.nan_to_num(m[metric].to_numpy(float), nan=0.0)
        ax.bar(range(len(methods)), vals, color=[colors.get(x, "#555") for x in methods])
        ax.set_xticks(range(len(methods)))
        ax.set_xticklabels(methods, rotation=45, ha="right", fontsize=7)
        ax.set_title(name, fontsize=8)
        for i, v in enumerate(vals):
            ax.text(i, v, f"{v:.2f}", ha="center", va="bottom", fontsize=6)
    _save(fig, os.path.join(folder, "metrics.png"))

    # 2. predicted vs observed
    p = result.predictions
    fig = _figure(5, 5)
    ax = fig.add_subplot(1, 1, 1)
    o = np.log1p(p["observed"].to_numpy(float))
    t = np.log1p(p["transfer"].to_numpy(float))
    lo = np.log1p(p["band_low"].to_numpy(float))
    hi = np.log1p(p["band_high"].to_numpy(float))
    ax.vlines(o, lo, hi, color="#c0392b", alpha=0.08, linewidth=1)
    ax.scatter(o, t, s=5, color="#c0392b", alpha=0.5)
    lim = [0, max(1.0, float(np.nanmax(np.r_[o, t])) * 1.05)]
    ax.plot(lim, lim, color="#333", linewidth=0.8)
    ax.set_xlim(lim)
    ax.set_ylim(lim)
    ax.set_xlabel("observed log1p(score)")
    ax.set_ylabel("transferred log1p(score) (with 10–90 % band)")
    ax.set_title("Transfer against observation (test events)", fontsize=9)
    _save(fig, os.path.join(folder, "observed_vs_transfer.png"))

    # 3. importances
    imp = result.importances
    fig = _figure(6, 3.2)
    ax = fig.add_subplot(1, 1, 1)
    ax.barh(range(len(imp))[::-1], imp["importance"].to_numpy(float), color="#2c3e50")
    ax.set_yticks(range(len(imp))[::-1])
    ax.set_yticklabels([f"{a} / {b}" for a, b in zip(imp["label_fr"], imp["label_en"])], fontsize=7)
    ax.set_xlabel("impurity importance (share)")
    ax.set_title("Importance of the factor axes", fontsize=9)
    _save(fig, os.path.join(folder, "importances.png"))

    # 4. PAI per nature
    pn = result.per_nature
    natures = sorted(pn["nature"].unique())
    fig = _figure(8, 3.6)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / max(1, len(methods))
    for j, meth in enumerate(methods):
        vals = [float(pn[(pn["nature"] == n_) & (pn["method"] == meth)]["pai"].iloc[0]) for n_ in natures]
        ax.bar(np.arange(len(natures)) + j * width, np.nan_to_num(vals), width, label=meth, color=colors.get(meth, "#555"))
    ax.axhline(1.0, color="#333", linewidth=0.8, linestyle="--")
    ax.set_xticks(np.arange(len(natures)) + 0.4 - width / 2)
    ax.set_xticklabels(natures, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("PAI (1 = chance)")
    ax.set_title("PAI-style hit rate of the predicted top 10 %, per nature", fontsize=9)
    ax.legend(fontsize=6, ncol=3)
    _save(fig, os.path.join(folder, "pai_by_nature.png"))

    # 5. calibration chart: nominal level of the band against its observed coverage
    cal = result.calibration
    if cal is not None and len(cal):
        fig = _figure(4.6, 4.4)
        ax = fig.add_subplot(1, 1, 1)
        ax.plot([0.4, 1.0], [0.4, 1.0], color="#333", linewidth=0.8, linestyle="--")
        for meth, grp in cal.groupby("method", sort=False):
            ax.plot(grp["level"], grp["coverage"], marker="o", color=colors.get(meth, "#555"), label=meth)
        ax.set_xlabel("nominal level of the band")
        ax.set_ylabel("observed coverage (test events)")
        ax.set_xlim(0.4, 1.0)
        ax.set_ylim(0.4, 1.0)
        ax.set_title("Calibration of the band", fontsize=9)
        ax.legend(fontsize=7)
        _save(fig, os.path.join(folder, "calibration.png"))

    p.to_csv(os.path.join(folder, "predictions.csv"), index=False)

    imp_table = imp[["axis", "label_en", "label_fr", "importance"]].rename(columns={"importance": "impurity importance"})
    if result.permutation is not None:
        perm = result.permutation.set_index("axis")["mae_increase"]
        imp_table["permutation (MAE increase)"] = imp_table["axis"].map(perm).to_numpy(float)
    imp_table = imp_table.drop(columns="axis")
    beats = result.beats_baselines()
    yes = {True: "yes", False: "**no**"}
    pn_wide = pn.pivot_table(index=["nature", "n"], columns="method", values="pai").reset_index()
    pn_wide = pn_wide[["nature", "n"] + [x for x in methods if x in pn_wide.columns]]
    tp = result.train_period
    sp = result.test_period
    lines = [
        f"# {title}",
        "",
        f"Cut date **{result.cut:%Y-%m-%d %H:%M}** (Europe/Paris). The forest was trained once on the "
        f"**{result.n_train}** events that started before it ({tp[0]:%Y-%m-%d} – {tp[1]:%Y-%m-%d}) and predicted the "
        f"**{result.n_test}** events that started on or after it ({sp[0]:%Y-%m-%d} – {sp[1]:%Y-%m-%d}). "
        "Every test event's candidates are training events, which all started before it.",
        "",
        f"Settings: {', '.join(f'{k_}={v}' for k_, v in result.settings.items())}. Model fingerprint `{result.fingerprint[:16]}`.",
        "",
        "## Scores",
        "",
        metrics_markdown(result),
        "",
        f"- Transfer beats every baseline on Spearman: {yes[beats['spearman']]}",
        f"- Transfer beats every baseline on top-decile hit rate: {yes[beats['top_decile_hit']]}",
        f"- Transfer beats every baseline on MAE of log1p: {yes[beats['mae_log1p']]}",
        "",
        "![metrics](metrics.png)",
        "",
        "![observed vs transfer](observed_vs_transfer.png)",
        "",
        *_extra_sections(result),
        "## Per nature (PAI-style hit rate: share of the nature's observed score in its predicted top 10 %, divided by 10 %; 1 = chance)",
        "",
        markdown_table(pn_wide, {x: _fmt for x in methods}),
        "",
        "![PAI by nature](pai_by_nature.png)",
        "",
        "## Importance of the factor axes",
        "",
        "Impurity importance: the share of the forest's error reduction owed to splits on the axis (training "
        "events). Permutation importance: how much the forest's MAE of log1p on the test events grows when the "
        "axis is shuffled across them (mean of 3 shuffles); it does not favour axes with many distinct values.",
        "",
        markdown_table(imp_table, {"impurity importance": lambda v: _fmt(v, True), "permutation (MAE increase)": _fmt}),
        "",
        "![importances](importances.png)",
        "",
        "## How to read this",
        "",
        "- *Spearman*: rank correlation between predicted and observed scores over the test events (1 = same order). "
        "A constant prediction (global mean) has none (n/a).",
        "- *MAE log1p*: mean absolute difference between log(1 + predicted) and log(1 + observed).",
        "- *Top-decile hit rate*: of the 10 % test events with the highest observed score, the share that the method "
        "also put in its 10 % highest (chance: 10 %). Ties share the last places.",
        "- *Band coverage*: share of observed scores inside the transfer's 10–90 % band (about 80 % expected).",
        "- Baselines average past scores the same way the transfer does; only the choice of past events differs.",
        "- Every prediction is in `predictions.csv`.",
    ]
    if result.notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in result.notes]
    path = os.path.join(folder, "report.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


__all__ = [
    "BacktestResult",
    "backtest",
    "bootstrap_difference",
    "enriched_settings",
    "band_coverage",
    "knn_means",
    "mae_log1p",
    "markdown_table",
    "nature_sector_means",
    "pai",
    "permutation_importances",
    "spearman",
    "top_decile_hit_rate",
    "top_membership",
    "write_report",
]
