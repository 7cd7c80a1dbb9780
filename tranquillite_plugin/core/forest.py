"""Random-forest similarity and score transfer (SPEC §4).

Training
    A ``sklearn.ensemble.RandomForestRegressor`` (fixed seed) learns
    ``log1p(score)`` from the axes of past events (:mod:`.axes`).  Its trees are
    then *packed* into plain arrays (:class:`PackedForest`): after training,
    nothing needs scikit-learn, a saved model is data only (no pickle), and one
    event goes down the 200 trees in a few vectorised numpy steps instead of
    the ~30 ms of ``forest.apply`` on a single row.  Past events are sorted by
    (start, event_id) before training, so the model does not depend on the row
    order of the layer: same data, same settings, same seed, same model.

Proximity
    ``proximity(p, q)`` = share of trees in which ``p`` and ``q`` fall in the
    same leaf.  The training events' leaves are stored (``leaves``, one row per
    event, one column per tree) and indexed leaf -> members, so the proximity
    of a planned event to all past events costs one gather of the members of
    its 200 leaves and a ``bincount`` (a few thousand operations, not
    ``n × trees`` comparisons).

Transfer
    Candidates are the past events whose start is strictly before the planned
    event's start (no leakage).  The ``k`` most similar candidates with a
    proximity above zero are kept, ordered by proximity (descending), then the
    most recent start first, then ``event_id``; the transferred score is the
    proximity-weighted mean of their scores (scores, not logs), and the band is
    the weighted 10 % and 90 % quantiles (:func:`weighted_quantile`).

Degenerate cases (each is reported in :attr:`Transfer.note`)
    * no past event started before the planned one: no transfer (NaN);
    * fewer than ``k`` candidates share a leaf with it: those only are used;
    * none shares a leaf (this can only happen when the planned event starts
      before most training events, e.g. when re-predicting an old event): the
      ``k`` most recent candidates are used with equal weights, so the transfer
      is still a mean of past scores, and the note says so.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.axes import (
    COLUMNS,
    AxisEncoder,
    assign_sectors,
    axis_importances,
    event_axes,
)
from tranquillite_plugin.core.footprint import LINE_BUFFER_M, POINT_BUFFER_M
from tranquillite_plugin.core.score import Cancelled, ScoreResult, ScoreSettings
from tranquillite_plugin.core.timeutil import from_epoch_us

FORMAT_VERSION = 2  # 2: optional context axes, averaging, conformal band, auto-mode selection
BAND_LOW_Q = 0.10
BAND_HIGH_Q = 0.90
AVERAGINGS = ("raw", "log")


def require_sklearn():
    """Imports scikit-learn's forest or says how to install it."""
    try:
        import sklearn  # noqa: F401
        from sklearn.ensemble import RandomForestRegressor
    except ImportError as exc:  # pragma: no cover - depends on the machine
        from tranquillite_plugin.dependencies import install_advice  # pure Python, no QGIS

        raise ImportError(
            "Training the similarity model needs scikit-learn, which is not installed "
            "in the Python QGIS uses. " + install_advice(["scikit-learn"])
        ) from exc
    return RandomForestRegressor


@dataclass
class ForestSettings:
    """Settings of the forest and of the transfer (saved with the model)."""

    n_trees: int = 200
    min_leaf: int = 5
    seed: int = 0
    max_features: float = 0.5  # share of the columns tried at each split (tuned on the demo city, see README)
    k: int = 20
    smoothing: float = 10.0  # of the target-ordered category codes (axes.CategoryCodes)
    n_jobs: int = 2  # threads while training; does not change the result
    averaging: str = "raw"  # "raw": weighted mean of scores (published); "log": weighted geometric mean of 1 + score
    context: tuple = ()  # optional context axes (core.context.CONTEXT_IDS)
    calibrate: bool = False  # conformal 10-90 % band in log space (core.calibration) instead of the weighted quantiles

    def __post_init__(self):
        for name, low in (("n_trees", 1), ("min_leaf", 1), ("k", 1), ("n_jobs", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(f"setting {name} must be a whole number >= {low}, not {value!r}")
            setattr(self, name, int(value))
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed < 2**32:
            raise ValueError(f"setting seed must be a whole number in [0, 2^32), not {self.seed!r}")
        self.seed = int(self.seed)
        mf = float(self.max_features)
        if not 0 < mf <= 1:
            raise ValueError(f"setting max_features must be in (0, 1], not {self.max_features!r}")
        self.max_features = mf
        sm = float(self.smoothing)
        if not np.isfinite(sm) or sm < 0:
            raise ValueError(f"setting smoothing must be a number >= 0, not {self.smoothing!r}")
        self.smoothing = sm
        if self.averaging not in AVERAGINGS:
            raise ValueError(f"setting averaging must be one of {', '.join(AVERAGINGS)}, not {self.averaging!r}")
        from tranquillite_plugin.core.context import check_context

        self.context = check_context(self.context)
        self.calibrate = bool(self.calibrate)

    @property
    def is_published(self) -> bool:
        """True for the city's published method (SPEC §4): raw averaging, no context, quantile band."""
        return self.averaging == "raw" and not self.context and not self.calibrate

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("n_jobs")
        d["context"] = list(self.context)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> ForestSettings:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


# --- the packed forest --------------------------------------------------------------


@dataclass
class PackedForest:
    """The trees of a fitted forest as plain arrays, one row per tree.

    Node ``j`` of tree ``t``: ``feature[t, j]`` (< 0 for a leaf),
    ``threshold[t, j]``, children ``left[t, j]``/``right[t, j]`` (-1 for a
    leaf) and ``value[t, j]`` (mean target in the node).  Rows are padded to
    the largest tree.  A row goes left when ``float32(x) <= threshold``, the
    very comparison scikit-learn's trees make.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    n_nodes: np.ndarray

    @classmethod
    def from_sklearn(cls, forest) -> PackedForest:
        trees = [est.tree_ for est in forest.estimators_]
        n_max = max(t.node_count for t in trees)
        T = len(trees)
        feature = np.full((T, n_max), -2, np.int32)
        threshold = np.zeros((T, n_max), np.float64)
        left = np.full((T, n_max), -1, np.int32)
        right = np.full((T, n_max), -1, np.int32)
        value = np.zeros((T, n_max), np.float64)
        n_nodes = np.zeros(T, np.int32)
        for i, t in enumerate(trees):
            c = t.node_count
            n_nodes[i] = c
            feature[i, :c] = t.feature
            threshold[i, :c] = t.threshold
            left[i, :c] = t.children_left
            right[i, :c] = t.children_right
            value[i, :c] = t.value[:, 0, 0]
        leaf = left < 0
        feature[leaf] = -2
        threshold[leaf] = 0.0
        return cls(feature, threshold, left, right, value, n_nodes)

    @property
    def n_trees(self) -> int:
        return int(self.feature.shape[0])

    @property
    def width(self) -> int:
        return int(self.feature.shape[1])

    def check(self, n_features: int) -> None:
        """Raises ValueError unless the arrays form valid trees (used on load)."""
        T, N = self.feature.shape
        for name in ("threshold", "left", "right", "value"):
            if getattr(self, name).shape != (T, N):
                raise ValueError(f"tree array '{name}' has shape {getattr(self, name).shape}, expected {(T, N)}")
        if self.n_nodes.shape != (T,) or (self.n_nodes < 1).any() or (self.n_nodes > N).any():
            raise ValueError("tree node counts out of range")
        if not (np.isfinite(self.threshold).all() and np.isfinite(self.value).all()):
            raise ValueError("tree thresholds or values are not finite")
        j = np.arange(N)[None, :]
        live = j < self.n_nodes[:, None]
        internal = live & (self.left >= 0)
        if ((self.left >= 0) != (self.right >= 0)).any():
            raise ValueError("a tree node has one child only")
        if (self.feature[internal] < 0).any() or (self.feature[internal] >= n_features).any():
            raise ValueError("a tree splits on a feature that does not exist")
        # children point forward inside the tree: the walk always ends in a leaf
        for child in (self.left, self.right):
            c = child[internal]
            jj = np.broadcast_to(j, (T, N))[internal]
            limit = np.broadcast_to(self.n_nodes[:, None], (T, N))[internal]
            if (c <= jj).any() or (c >= limit).any():
                raise ValueError("a tree node points to a child outside its tree")

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Leaf (node id) of each row in each tree: ``(n_rows, n_trees)`` int32."""
        X = np.asarray(X, dtype=np.float64)
        x32 = X.astype(np.float32).astype(np.float64)
        m, d = x32.shape
        T, N = self.feature.shape
        feat = self.feature.ravel()
        thr = self.threshold.ravel()
        left = self.left.ravel()
        right = self.right.ravel()
        base = (np.arange(T, dtype=np.int64) * N)[None, :]
        rows = np.repeat(np.arange(m, dtype=np.int64), T)
        flat_x = x32.ravel()
        cur = np.zeros(m * T, dtype=np.int64)  # flat index t*N + node, row-major (row, tree)
        cur += np.tile(base[0], m)
        active = np.arange(m * T)
        while len(active):
            f = feat[cur[active]]
            inner = f >= 0
            active = active[inner]
            if not len(active):
                break
            pos = cur[active]
            xv = flat_x[rows[active] * d + f[inner]]
            nxt = np.where(xv <= thr[pos], left[pos], right[pos])
            cur[active] = (pos - pos % N) + nxt
        return (cur % N).reshape(m, T).astype(np.int32)

    def leaf_values(self, leaves: np.ndarray) -> np.ndarray:
        T = self.n_trees
        return self.value[np.arange(T)[None, :], leaves]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The forest's own estimate of ``log1p(score)`` (mean over trees)."""
        return self.leaf_values(self.apply(X)).mean(axis=1)


# --- weighted quantile ----------------------------------------------------------------


def weighted_quantile(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """Weighted ``q``-quantile: the smallest value whose cumulated weight reaches ``q``.

    With the values sorted ascending, ``v_1 <= ... <= v_m``, and weights
    ``w_i > 0`` (zero weights are ignored), the result is ``v_i`` for the
    smallest ``i`` with ``w_1 + ... + w_i >= q * (w_1 + ... + w_m)`` — the
    inverse of the weighted empirical distribution function ("type 1"
    quantile).  It is always one of the values; with 20 equal weights the
    10 % quantile is the 2nd smallest value and the 90 % quantile the 18th.
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if v.shape != w.shape:
        raise ValueError("values and weights differ in length")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile level must be in [0, 1], not {q}")
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("weights must be finite and >= 0")
    keep = w > 0
    v, w = v[keep], w[keep]
    if not len(v):
        return float("nan")
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cw = np.cumsum(w)
    target = q * cw[-1]
    i = int(np.searchsorted(cw, target - 1e-12 * cw[-1], side="left"))
    return float(v[min(i, len(v) - 1)])


# --- the model -----------------------------------------------------------------------------


@dataclass
class Transfer:
    """The transferred score of one planned event and its explanation."""

    event_id: str
    predicted: float
    band_low: float
    band_high: float
    forest_estimate: float  # expm1 of the forest's own mean of log1p (for reference)
    n_candidates: int  # past events that started before this one
    similar: pd.DataFrame  # the k most similar past events, most similar first
    importances: pd.DataFrame  # the axes' importances
    note: str = ""
    categories: list[str] = field(default_factory=list)
    configuration: str = "published"
    band_method: str = "weighted quantiles of the similar events' scores"
    #: context axes of the planned event: column -> {value, percentile among past events, filled}
    context: dict = field(default_factory=dict)

    @property
    def similar_ids(self) -> list[str]:
        return [str(v) for v in self.similar["event_id"]]

    def facts_by_category(self) -> pd.DataFrame:
        """Similar events x categories: the weighted facts that made their scores."""
        cols = [f"facts_{c}" for c in self.categories]
        out = self.similar[["event_id"] + cols].set_index("event_id")
        out.columns = list(self.categories)
        return out

    def summary(self, lang: str = "en", limit: int = 10) -> str:
        """A few lines a supervisor can read."""
        if not np.isfinite(self.predicted):
            return f"event {self.event_id}: no transfer ({self.note})"
        head = (
            f"event {self.event_id}: transferred score {self.predicted:.1f} "
            f"(band {self.band_low:.1f} – {self.band_high:.1f}) from {len(self.similar)} similar past events"
            f" among {self.n_candidates}"
        )
        lines = [head, f"  configuration: {self.configuration}; band: {self.band_method}"]
        for col, c in self.context.items():
            filled = " (unknown: training median)" if c.get("filled") else ""
            lines.append(f"  context {col}: {c['value']:.3g}, above {c['percentile']:.0%} of past events{filled}")
        if self.note:
            lines.append(f"  note: {self.note}")
        for _, r in self.similar.head(limit).iterrows():
            lines.append(
                f"  {int(r['rank']):>2}. {r['event_id']:<14} {r['nature']:<16} {r['start']:%Y-%m-%d %H:%M}  "
                f"proximity {r['proximity']:.2f}  score {r['score']:.1f}"
            )
        label = "label_fr" if str(lang).startswith("fr") else "label_en"
        imp = ", ".join(f"{r[label]} {r['importance']:.0%}" for _, r in self.importances.iterrows())
        lines.append(f"  axes' importances: {imp}")
        return "\n".join(lines)


@dataclass
class TransferModel:
    """A trained similarity model: the forest plus the past events it transfers from.

    Past events are held in (start, event_id) order; ``leaves[i, t]`` is the
    leaf of past event ``i`` in tree ``t``.
    """

    settings: ForestSettings
    score_settings: dict
    encoder: AxisEncoder
    forest: PackedForest
    X: np.ndarray
    event_id: np.ndarray
    nature: np.ndarray
    sector: np.ndarray
    start_us: np.ndarray
    score: np.ndarray
    by_category: np.ndarray
    categories: list[str]
    leaves: np.ndarray
    column_importances: np.ndarray
    sectors: pd.DataFrame | None = None  # sector_id, name, geometry (to assign planned events)
    sklearn_version: str = ""
    created_at: str = ""
    crs: str = ""  # CRS of the coordinates (location axis, sectors); "" when unknown
    fingerprint: str = ""
    context_source: object = None  # core.context.ContextSource for planned events (recent background facts, weather)
    calibration: object = None  # core.calibration.ConformalBand, or None (weighted quantiles)
    selection: dict | None = None  # how auto mode chose the settings: each candidate's figures
    configuration: str = ""  # "published", "enriched", "custom" (derived from the settings when empty)

    def __post_init__(self):
        self.event_id = np.asarray(self.event_id, dtype=object)
        self.start_us = np.asarray(self.start_us, dtype=np.int64)
        self.score = np.asarray(self.score, dtype=float)
        if not self.configuration:
            self.configuration = "published" if self.settings.is_published else "custom"
        self._build_index()

    # -- index --------------------------------------------------------------------------
    def _build_index(self) -> None:
        """leaf -> members: for tree t, node j, the past events ``_members[_offsets[g]:_offsets[g + 1]]``
        with ``g = t * width + j`` (one stable sort per tree, radix for 16-bit node ids)."""
        n, T = self.leaves.shape
        N = self.forest.width
        cols = np.ascontiguousarray(self.leaves.T, dtype=np.uint16 if N <= 65535 else np.int64)
        members = np.empty(T * n, dtype=np.int32)
        counts = np.empty((T, N), dtype=np.int64)
        for t in range(T):
            members[t * n : (t + 1) * n] = np.argsort(cols[t], kind="stable")
            counts[t] = np.bincount(cols[t], minlength=N)
        self._members = members
        self._offsets = np.concatenate([[0], np.cumsum(counts.ravel())]).astype(np.int64)
        rank = np.empty(n, dtype=np.int64)
        rank[np.argsort(self.event_id.astype(str), kind="stable")] = np.arange(n)
        self._id_rank = rank
        self._importances = axis_importances(self.column_importances, self.encoder.context)
        self._log_score = np.log1p(self.score)
        self._columns = self.encoder.columns

    @property
    def n_events(self) -> int:
        return len(self.event_id)

    @property
    def n_trees(self) -> int:
        return self.forest.n_trees

    @property
    def training_period(self) -> tuple:
        """(first start, last start) of the past events, tz-aware Europe/Paris."""
        s = from_epoch_us(self.start_us[[0, -1]])
        return s.iloc[0], s.iloc[1]

    def importances(self) -> pd.DataFrame:
        return self._importances.copy()

    # -- axes of new events ---------------------------------------------------------------
    @property
    def columns(self) -> tuple:
        return self._columns

    def axes_of(self, events: pd.DataFrame, weather=None) -> pd.DataFrame:
        """Raw axes of (planned) events, sectors assigned from the model's sectors, context axes added.

        ``weather``: a :class:`~.context.WeatherTable` for the planned days
        (else the one saved with the model, if any).
        """
        line = float(self.score_settings.get("line_buffer_m", LINE_BUFFER_M))
        point = float(self.score_settings.get("point_buffer_m", POINT_BUFFER_M))
        events = assign_sectors(events, self.sectors, line, point)
        raw = event_axes(events, line, point)
        if self.encoder.context:
            from tranquillite_plugin.core.context import ContextSource, compute_context

            saved = self.context_source or ContextSource()
            # the city's load: the model's past events, then the planned events of this batch
            if getattr(self, "_load_index", None) is None:
                self._load_index = {str(v): i for i, v in enumerate(self.event_id)}
            src = ContextSource(
                saved.background,
                weather if weather is not None else saved.weather,
                self.start_us,
                self.X[:, COLUMNS.index("participants")],
                self.event_id,
                saved.weeks,
                self.n_events,
                self._load_index,
            )
            src = src.with_events(raw["start_us"].to_numpy(), raw["participants"].to_numpy(float), raw["event_id"].to_numpy(object))
            ctx = compute_context(self.encoder.context, events, raw, src, ScoreSettings.from_dict(self.score_settings))
            raw = pd.concat([raw, ctx.set_index(raw.index)], axis=1)
        return raw

    def matrix_of(self, events: pd.DataFrame, weather=None) -> tuple:
        raw = self.axes_of(events, weather)
        return raw, self.encoder.transform(raw)

    def context_of(self, raw_row) -> dict:
        """Context values of one planned event (a row of :meth:`axes_of`): value, percentile among past events, filled."""
        out = {}
        for c in self._columns[len(COLUMNS) :]:
            v = float(raw_row[c])
            filled = not np.isfinite(v)
            if filled:
                v = float(self.encoder.fill[c])
            j = self._columns.index(c)
            past = self.X[:, j]
            out[c] = {"value": v, "percentile": float(np.mean(past < v)) if len(past) else float("nan"), "filled": filled}
        return out

    # -- proximity ------------------------------------------------------------------------
    def leaf_counts(self, leaves_p: np.ndarray) -> np.ndarray:
        """Number of trees in which each past event shares the leaf of ``leaves_p``."""
        T = self.n_trees
        g = np.asarray(leaves_p, np.int64) + np.arange(T, dtype=np.int64) * self.forest.width
        lo = self._offsets[g]
        ln = self._offsets[g + 1] - lo
        total = int(ln.sum())
        if total == 0:
            return np.zeros(self.n_events, dtype=np.int64)
        shift = np.repeat(lo - np.concatenate([[0], np.cumsum(ln)[:-1]]), ln)
        idx = shift + np.arange(total)
        return np.bincount(self._members[idx], minlength=self.n_events)

    def proximity(self, X_planned: np.ndarray) -> np.ndarray:
        """Proximity ``(n_planned, n_past)`` of planned rows to all past events."""
        leaves = self.forest.apply(np.atleast_2d(X_planned))
        out = np.zeros((len(leaves), self.n_events))
        for i, lp in enumerate(leaves):
            out[i] = self.leaf_counts(lp) / self.n_trees
        return out

    # -- transfer ---------------------------------------------------------------------------
    def _select(self, counts: np.ndarray, start_us: int, k: int):
        """(indices of the k chosen past events, weights, n_candidates, note)."""
        # past events are sorted by start: the candidates are a prefix
        n_cand = int(np.searchsorted(self.start_us, start_us, side="left"))
        if n_cand == 0:
            return np.zeros(0, np.int64), np.zeros(0), 0, "no past event started before this event"
        c = counts[:n_cand]
        sel = np.flatnonzero(c > 0)
        if len(sel):
            order = np.lexsort((self._id_rank[sel], -self.start_us[sel], -c[sel]))
            top = sel[order[:k]]
            note = ""
            if len(top) < k:
                note = f"only {len(top)} past events share a leaf with this event (k = {k})"
            return top, c[top].astype(float), n_cand, note
        sel = np.arange(n_cand)
        order = np.lexsort((self._id_rank[sel], -self.start_us[sel]))
        top = sel[order[:k]]
        note = (
            f"no past event before this one shares a leaf with it: the {len(top)} most recent "
            "past events are used with equal weights"
        )
        return top, np.ones(len(top)), n_cand, note

    @property
    def band_method(self) -> str:
        if self.calibration is not None:
            return f"conformal 10-90 % band in log space ({self.calibration.n} calibration events)"
        return "weighted 10-90 % quantiles of the similar events' scores"

    def _transfer_row(self, x_row, leaves_p, start_us, event_id, k, explain=True, context=None) -> Transfer:
        counts = self.leaf_counts(leaves_p)
        top, w, n_cand, note = self._select(counts, int(start_us), k)
        forest_est = float(np.expm1(self.forest.leaf_values(leaves_p[None, :]).mean()))
        if len(top):
            s = self.score[top]
            if self.settings.averaging == "log":
                predicted = float(np.expm1(np.dot(w, self._log_score[top]) / w.sum()))
            else:
                predicted = float(np.dot(w, s) / w.sum())
            if self.calibration is not None:
                lo_a, hi_a = self.calibration.band([predicted])
                low, high = float(lo_a[0]), float(hi_a[0])
            else:
                low = weighted_quantile(s, w, BAND_LOW_Q)
                high = weighted_quantile(s, w, BAND_HIGH_Q)
        else:
            predicted = low = high = float("nan")
        similar = self._similar_frame(top, counts, w) if explain else pd.DataFrame({"event_id": self.event_id[top]})
        return Transfer(
            event_id=str(event_id),
            predicted=predicted,
            band_low=low,
            band_high=high,
            forest_estimate=forest_est,
            n_candidates=n_cand,
            similar=similar,
            importances=self._importances,
            note=note,
            categories=list(self.categories),
            configuration=self.configuration,
            band_method=self.band_method,
            context=context or {},
        )

    def _similar_frame(self, top: np.ndarray, counts: np.ndarray, w: np.ndarray) -> pd.DataFrame:
        columns = {
            "rank": np.arange(1, len(top) + 1),
            "event_id": self.event_id[top],
            "nature": np.asarray(self.nature, object)[top],
            "sector": np.asarray(self.sector, object)[top],
            "start": from_epoch_us(self.start_us[top]),
            "proximity": counts[top] / self.n_trees,
            "weight": w / w.sum() if len(top) else w,
            "score": self.score[top],
            "x": self.X[top, COLUMNS.index("x")],
            "y": self.X[top, COLUMNS.index("y")],
        }
        for j, c in enumerate(self.categories):  # one constructor: a column set one by one costs a millisecond each
            columns[f"facts_{c}"] = self.by_category[top, j]
        return pd.DataFrame(columns)

    def transfer(
        self,
        planned: pd.DataFrame,
        k: int | None = None,
        explain: bool = True,
        progress: Callable[[float], None] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
        weather=None,
    ) -> list[Transfer]:
        """Transfers a score to each planned event (a clean events frame)."""
        k = self._check_k(k)
        raw, X = self.matrix_of(planned, weather)
        contexts = [self.context_of(r) for _, r in raw.iterrows()] if self.encoder.context and explain else None
        return self.transfer_matrix(X, raw["start_us"].to_numpy(), raw["event_id"].to_numpy(object), k, explain, progress, is_cancelled, contexts)

    def transfer_matrix(self, X, start_us, event_ids, k=None, explain=True, progress=None, is_cancelled=None, contexts=None) -> list[Transfer]:
        k = self._check_k(k)
        X = np.atleast_2d(np.asarray(X, float))
        if X.shape[1] != len(self._columns):
            raise ValueError(f"axes matrix has {X.shape[1]} columns, expected {len(self._columns)}")
        bad = ~np.isfinite(X).all(axis=1)
        if bad.any():
            raise ValueError(f"event '{event_ids[int(np.flatnonzero(bad)[0])]}': an axis is not a finite number")
        out = []
        n = len(X)
        chunk = 256
        step = max(1, n // 100)
        for a in range(0, n, chunk):
            leaves = self.forest.apply(X[a : a + chunk])
            for j, lp in enumerate(leaves):
                i = a + j
                if i % step == 0:
                    if is_cancelled is not None and is_cancelled():
                        raise Cancelled()
                    if progress is not None:
                        progress(100.0 * i / n)
                out.append(self._transfer_row(X[i], lp, start_us[i], event_ids[i], k, explain, contexts[i] if contexts else None))
        if progress is not None:
            progress(100.0)
        return out

    def predict(self, planned: pd.DataFrame, k: int | None = None, progress=None, is_cancelled=None, weather=None) -> pd.DataFrame:
        """One row per planned event: predicted, band_low, band_high, similar_ids, ..."""
        res = self.transfer(planned, k, explain=False, progress=progress, is_cancelled=is_cancelled, weather=weather)
        return transfers_frame(res)

    def _check_k(self, k) -> int:
        k = self.settings.k if k is None else k
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k must be a whole number >= 1, not {k!r}")
        return int(k)

    # -- state (for model_io) ---------------------------------------------------------------------
    def state(self) -> tuple:
        """(metadata: JSON-able dict, arrays: dict of numeric numpy arrays)."""
        settings = self.settings.to_dict()
        extended = not self.settings.is_published or self.selection is not None or self.configuration != "published"
        if not extended:  # a published-method model stays readable by the plugin versions before format 2
            for key in ("averaging", "context", "calibrate"):
                settings.pop(key)
        meta = {
            "format": "tranquillite-transfer-model",
            "format_version": FORMAT_VERSION if extended else 1,
            "settings": settings,
            "score_settings": _jsonable(self.score_settings),
            "encoder": self.encoder.to_dict(),
            "columns": list(self._columns),
            "categories": [str(c) for c in self.categories],
            "event_ids": [str(v) for v in self.event_id],
            "natures": [str(v) for v in self.nature],
            "sectors_of_events": [str(v) for v in self.sector],
            "sector_ids": [] if self.sectors is None else [str(v) for v in self.sectors["sector_id"]],
            "sector_names": [] if self.sectors is None else [str(v) for v in self.sectors.get("name", self.sectors["sector_id"])],
            "training_period": {
                "first_start": self.training_period[0].isoformat(),
                "last_start": self.training_period[1].isoformat(),
                "n_events": int(self.n_events),
            },
            "sklearn_version": self.sklearn_version,
            "created_at": self.created_at,
            "crs": self.crs,
        }
        arrays = {
            "X": np.ascontiguousarray(self.X, dtype=np.float64),
            "start_us": np.ascontiguousarray(self.start_us, dtype=np.int64),
            "score": np.ascontiguousarray(self.score, dtype=np.float64),
            "by_category": np.ascontiguousarray(self.by_category, dtype=np.float64).reshape(self.n_events, len(self.categories)),
            "leaves": np.ascontiguousarray(self.leaves, dtype=np.int32),
            "column_importances": np.ascontiguousarray(self.column_importances, dtype=np.float64),
            "tree_feature": self.forest.feature.astype(np.int32),
            "tree_threshold": self.forest.threshold.astype(np.float64),
            "tree_left": self.forest.left.astype(np.int32),
            "tree_right": self.forest.right.astype(np.int32),
            "tree_value": self.forest.value.astype(np.float64),
            "tree_n_nodes": self.forest.n_nodes.astype(np.int32),
        }
        wkb, offsets = _sector_wkb(self.sectors)
        arrays["sector_wkb"] = wkb
        arrays["sector_wkb_offsets"] = offsets
        if extended:
            meta["configuration"] = self.configuration
            meta["calibration"] = self.calibration.to_dict() if self.calibration is not None else {}
            meta["selection"] = _jsonable(self.selection) if self.selection is not None else {}
            src = self.context_source
            bg = getattr(src, "background", None)
            wt = getattr(src, "weather", None)
            meta["context_source"] = {
                "weeks": float(getattr(src, "weeks", 52.0)),
                "cell_m": float(bg.cell_m) if bg is not None else 0.0,
                "known_from_s": int(bg.known_from_s) if bg is not None else 0,
                "known_to_s": int(bg.known_to_s) if bg is not None else 0,
                "has_background": bg is not None,
                "has_weather": wt is not None,
            }
            arrays["ctx_bg_cell"] = (
                np.column_stack([bg.cx, bg.cy]).astype(np.int64) if bg is not None else np.zeros((0, 2), np.int64)
            )
            arrays["ctx_bg_t"] = bg.t_s.astype(np.int64) if bg is not None else np.zeros(0, np.int64)
            arrays["ctx_weather_day"] = wt.day.astype(np.int64) if wt is not None else np.zeros(0, np.int64)
            arrays["ctx_weather"] = (
                np.column_stack([wt.temperature, wt.precipitation, wt.wind]).astype(np.float64) if wt is not None else np.zeros((0, 3))
            )
        return meta, arrays

    def compute_fingerprint(self) -> str:
        meta, arrays = self.state()
        return state_fingerprint(meta, arrays)


def _jsonable(d: dict) -> dict:
    return json.loads(json.dumps(d, sort_keys=True, default=float))


def _sector_wkb(sectors: pd.DataFrame | None):
    if sectors is None or not len(sectors):
        return np.zeros(0, np.uint8), np.zeros(1, np.int64)
    # output_dimension=2: inside QGIS the system GEOS may be the one loaded, and it refuses the default (4)
    blobs = [shapely.to_wkb(g, output_dimension=2) if g is not None else b"" for g in sectors["geometry"].to_numpy(object)]
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in blobs])]).astype(np.int64)
    return np.frombuffer(b"".join(blobs), dtype=np.uint8).copy(), offsets


#: metadata that does not identify the model's content (left out of the fingerprint)
_NOT_FINGERPRINTED = ("created_at", "fingerprint")


def state_fingerprint(meta: dict, arrays: dict[str, np.ndarray]) -> str:
    """sha256 over the metadata (canonical JSON, without creation time) and arrays."""
    h = hashlib.sha256()
    core = {k: v for k, v in meta.items() if k not in _NOT_FINGERPRINTED}
    h.update(json.dumps(core, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode())
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"|{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def transfers_frame(transfers: Sequence[Transfer]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": [t.event_id for t in transfers],
            "predicted": [t.predicted for t in transfers],
            "band_low": [t.band_low for t in transfers],
            "band_high": [t.band_high for t in transfers],
            "forest_estimate": [t.forest_estimate for t in transfers],
            "n_similar": [len(t.similar) for t in transfers],
            "n_candidates": [t.n_candidates for t in transfers],
            "similar_ids": [",".join(t.similar_ids) for t in transfers],
            "note": [t.note for t in transfers],
        }
    )


# --- training --------------------------------------------------------------------------------


def unpack_scores(scores, by_category=None, categories=None, score_settings=None):
    """Scores given as a ScoreResult or an array -> (scores, by_category, categories, score settings dict)."""
    if isinstance(scores, ScoreResult):
        if by_category is None:
            by_category, categories = scores.by_category, scores.categories
        scores = scores.score
    if isinstance(score_settings, ScoreSettings):
        score_settings = score_settings.to_dict()
    return scores, by_category, categories, dict(score_settings or ScoreSettings().to_dict())


@dataclass
class TrainingData:
    """Past events ready for training, in (start, event_id) order: raw axes (with context columns), scores."""

    raw: pd.DataFrame
    scores: np.ndarray
    by_category: np.ndarray
    categories: list
    sectors: pd.DataFrame | None
    score_settings: dict
    context: tuple
    context_source: object = None  # ContextSource saved with the model (recent background facts, weather)

    @property
    def target(self) -> np.ndarray:
        return np.log1p(self.scores)

    def __len__(self) -> int:
        return len(self.scores)


def prepare_training(
    events: pd.DataFrame,
    scores,
    by_category=None,
    categories=None,
    sectors=None,
    score_settings=None,
    context=(),
    facts: pd.DataFrame | None = None,
    weather=None,
) -> TrainingData:
    """Checks and orders the past events, computes their axes and the ``context`` axes.

    ``facts``: the clean facts frame (needed by the background axis);
    ``weather``: a weather frame or :class:`~.context.WeatherTable` (needed by the
    weather axis).  Context values use only facts and events before each event
    (see :mod:`.context`).
    """
    from tranquillite_plugin.core.context import check_context

    scores, by_category, categories, score_settings = unpack_scores(scores, by_category, categories, score_settings)
    context = check_context(context)
    n = len(events)
    if n == 0:
        raise ValueError("cannot train the model: no past event")
    scores = np.asarray(scores, dtype=float).ravel()
    if len(scores) != n:
        raise ValueError(f"{len(scores)} scores for {n} events")
    ids = events["event_id"].astype(str).to_numpy(object)
    bad = np.flatnonzero(~np.isfinite(scores) | (scores < 0))
    if len(bad):
        raise ValueError(f"event '{ids[bad[0]]}': field 'score' must be a number >= 0, not {scores[bad[0]]!r}")
    uniq, cnt = np.unique(ids.astype(str), return_counts=True)
    if (cnt > 1).any():
        raise ValueError(f"event_id '{uniq[cnt > 1][0]}' appears more than once among the past events")
    categories = [str(c) for c in (categories or [])]
    if by_category is None:
        by_category = np.zeros((n, len(categories)))
    by_category = np.asarray(by_category, dtype=float).reshape(n, len(categories))
    line = float(score_settings.get("line_buffer_m", LINE_BUFFER_M))
    point = float(score_settings.get("point_buffer_m", POINT_BUFFER_M))
    if sectors is not None:
        sectors = sectors[[c for c in ("sector_id", "name", "geometry") if c in sectors]].reset_index(drop=True)
        if "name" not in sectors:
            sectors = sectors.assign(name=sectors["sector_id"])
    frame = assign_sectors(events.reset_index(drop=True), sectors, line, point)
    raw = event_axes(frame, line, point)
    source = None
    if context:
        raw, source = _with_context(context, frame, raw, score_settings, facts, weather)
    order = np.lexsort((raw["event_id"].to_numpy(str), raw["start_us"].to_numpy()))
    raw = raw.iloc[order].reset_index(drop=True)
    return TrainingData(raw, scores[order], by_category[order], categories, sectors, score_settings, context, source)


def _with_context(context, frame, raw, score_settings, facts, weather):
    from tranquillite_plugin.core.context import (
        BackgroundFacts,
        ContextSource,
        WeatherTable,
        background_mask,
        compute_context,
        read_weather,
    )
    from tranquillite_plugin.core.score import FactIndex

    ss = ScoreSettings.from_dict(score_settings)
    bg = None
    if "background" in context:
        if facts is None:
            raise ValueError("the background context axis needs the facts layer")
        index = FactIndex.build(facts, ss.weights)
        bg = BackgroundFacts.from_facts(index, background_mask(index, frame, ss))
    wt = None
    if "weather" in context:
        if weather is None:
            raise ValueError("the weather context axis needs a weather table")
        wt = weather if isinstance(weather, WeatherTable) else read_weather(weather)
    src = ContextSource(
        bg, wt, raw["start_us"].to_numpy(np.int64), raw["participants"].to_numpy(float), raw["event_id"].to_numpy(object)
    )
    ctx = compute_context(context, frame, raw, src, ss)
    raw = raw.copy()
    for c in ctx.columns:
        raw[c] = ctx[c].to_numpy(float)
    # what a saved model keeps to compute the context of planned events: the last weeks of background
    # facts and the weather table (the load comes from the model's own past events)
    saved = ContextSource(bg.recent(src.weeks) if bg is not None else None, wt, weeks=src.weeks)
    return raw, saved


def fit_model(
    data: TrainingData,
    settings: ForestSettings,
    rows: int | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    crs: str = "",
) -> TransferModel:
    """Fits the forest on the first ``rows`` events of ``data`` (all by default) and builds the model."""
    RandomForestRegressor = require_sklearn()
    import sklearn

    from tranquillite_plugin.core.context import ContextSource

    m = len(data) if rows is None else int(rows)
    raw = data.raw.iloc[:m].reset_index(drop=True) if m < len(data) else data.raw
    scores = data.scores[:m]
    target = np.log1p(scores)
    context = tuple(settings.context)
    if set(context) - set(data.context):
        raise ValueError(f"context axes {sorted(set(context) - set(data.context))} were not prepared")
    encoder = AxisEncoder.fit(raw, target, settings.smoothing, context)
    X = encoder.transform(raw)
    if not np.isfinite(X).all():
        i = int(np.flatnonzero(~np.isfinite(X).all(axis=1))[0])
        raise ValueError(f"event '{raw['event_id'].iloc[i]}': an axis is not a finite number")

    forest = RandomForestRegressor(
        n_estimators=0,
        min_samples_leaf=settings.min_leaf,
        max_features=settings.max_features,
        random_state=settings.seed,
        n_jobs=settings.n_jobs,
        warm_start=True,
    )
    # grown in chunks so that progress and cancel work; with warm_start the
    # forest is the same as one fitted at once (the seeds of the trees are
    # drawn from one random state in the same order).
    chunk = max(1, min(25, settings.n_trees // 8 or 1))
    done = 0
    while done < settings.n_trees:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        done = min(settings.n_trees, done + chunk)
        forest.set_params(n_estimators=done)
        forest.fit(X, target)
        if progress is not None:
            progress(100.0 * done / settings.n_trees)
    leaves = forest.apply(X).astype(np.int32)
    packed = PackedForest.from_sklearn(forest)
    source = None
    if context:
        src = data.context_source
        source = ContextSource(
            src.background if (src is not None and "background" in context) else None,
            src.weather if (src is not None and "weather" in context) else None,
            weeks=src.weeks if src is not None else 52.0,
        )
    return TransferModel(
        settings=settings,
        score_settings=data.score_settings,
        encoder=encoder,
        forest=packed,
        X=X,
        event_id=raw["event_id"].to_numpy(object),
        nature=raw["nature"].to_numpy(object),
        sector=raw["sector"].to_numpy(object),
        start_us=raw["start_us"].to_numpy(np.int64),
        score=scores,
        by_category=data.by_category[:m],
        categories=list(data.categories),
        leaves=leaves,
        column_importances=np.asarray(forest.feature_importances_, float),
        sectors=data.sectors,
        sklearn_version=sklearn.__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        crs=str(crs or ""),
        context_source=source,
    )


def train_model(
    events: pd.DataFrame,
    scores,
    by_category: np.ndarray | None = None,
    categories: Sequence[str] | None = None,
    sectors: pd.DataFrame | None = None,
    settings: ForestSettings | None = None,
    score_settings=None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    crs: str = "",
    facts: pd.DataFrame | None = None,
    weather=None,
    auto: bool = False,
    configuration: str = "",
) -> TransferModel:
    """Trains the similarity model on past events.

    ``events``: the contract's clean events frame; ``scores``: their scores, an
    array aligned with ``events`` or the :class:`ScoreResult` of
    ``score_events`` (then ``by_category``/``categories`` come from it);
    ``by_category``: ``(n_events, n_categories)`` weighted facts per category
    for the explanation; ``sectors``: the clean sectors frame, used to assign a
    sector to events without one (and saved, for planned events);
    ``score_settings``: the :class:`ScoreSettings` (or dict) that made the
    scores, saved with the model (weights, radius, window, buffers); ``crs``:
    the CRS of the geometries, recorded (planned events must come in it).

    ``facts`` / ``weather``: needed by the context axes ``settings.context``.
    ``auto``: choose ``max_features``, ``min_leaf``, the number of trees and
    the averaging by a time-split backtest inside the training events
    (:mod:`.selection`); the candidates' figures are recorded in the model.
    ``settings.calibrate``: the band is conformally calibrated on the most
    recent part of the training events (:mod:`.calibration`).
    """
    settings = settings or ForestSettings()
    data = prepare_training(events, scores, by_category, categories, sectors, score_settings, settings.context, facts, weather)

    def sub(p0, p1):
        if progress is None:
            return None
        return lambda v: progress(p0 + (p1 - p0) * v / 100.0)

    selection = None
    calibration = None
    final_progress = sub(0, 90)
    if auto or settings.calibrate:
        from tranquillite_plugin.core.selection import calibrate, choose_settings

        if auto:
            settings, selection, calibration = choose_settings(data, settings, progress=sub(0, 60), is_cancelled=is_cancelled)
            final_progress = sub(60, 95)
        elif settings.calibrate:
            calibration = calibrate(data, settings, progress=sub(0, 45), is_cancelled=is_cancelled)
            final_progress = sub(45, 95)
    model = fit_model(data, settings, progress=final_progress, is_cancelled=is_cancelled, crs=crs)
    model.calibration = calibration if settings.calibrate else None
    model.selection = selection
    model.configuration = configuration or ("published" if settings.is_published and not auto else ("enriched" if auto else "custom"))
    model.fingerprint = model.compute_fingerprint()
    if progress is not None:
        progress(100.0)
    return model
