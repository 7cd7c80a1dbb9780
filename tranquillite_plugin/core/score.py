"""The exact event score of SPEC §3.

A fact f counts for an event e iff ``distance(f, footprint(e)) <= R`` and
``start(e) - B <= t(f) <= end(e) + A`` (bounds inclusive), and
``score(e) = sum(weight(category(f)) * count(f))`` over the facts that count.

How it is fast and still exact: facts are sorted once by time, so each event's
time window is a contiguous slice found by binary search; inside it a cheap
bounding-box test (the footprint's box grown by R, plus a hair so no fact at
exactly R is lost) keeps the candidates, and only those go through GEOS's
exact point-polygon distance, the very function a brute-force loop calls.
Times are integer microseconds, so the window bounds compare exactly.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.contract import CATEGORIES, DEFAULT_WEIGHTS, category_weights, normalise_code
from tranquillite_plugin.core.footprint import LINE_BUFFER_M, POINT_BUFFER_M, footprints
from tranquillite_plugin.core.timeutil import HOUR_US, to_epoch_us


class Cancelled(Exception):
    """Raised when the caller's ``is_cancelled`` says stop."""


@dataclass
class ScoreSettings:
    radius_m: float = 300.0
    before_h: float = 2.0
    after_h: float = 2.0
    line_buffer_m: float = LINE_BUFFER_M
    point_buffer_m: float = POINT_BUFFER_M
    weights: Dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def __post_init__(self):
        for name in ("radius_m", "before_h", "after_h", "line_buffer_m", "point_buffer_m"):
            value = float(getattr(self, name))
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"setting {name} must be a number >= 0, not {getattr(self, name)!r}")
            setattr(self, name, value)
        merged = dict(DEFAULT_WEIGHTS)
        merged.update({normalise_code(k): float(v) for k, v in (self.weights or {}).items()})
        self.weights = merged

    @property
    def before_us(self) -> int:
        return int(round(self.before_h * HOUR_US))

    @property
    def after_us(self) -> int:
        return int(round(self.after_h * HOUR_US))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ScoreSettings":
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class FactIndex:
    """Facts sorted by time, ready for many windows."""

    t_us: np.ndarray
    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray  # weight(category) * count
    count: np.ndarray
    category_code: np.ndarray
    categories: List[str]
    order: np.ndarray  # position in the input frame of each sorted fact

    @classmethod
    def build(cls, facts: pd.DataFrame, weights: Optional[Dict[str, float]] = None) -> "FactIndex":
        """``facts``: the contract's clean frame (x, y, category, occurred_at, count)."""
        t = to_epoch_us(facts["occurred_at"]) if len(facts) else np.zeros(0, np.int64)
        return cls.from_arrays(
            facts["x"].to_numpy(float),
            facts["y"].to_numpy(float),
            t,
            facts["category"].to_numpy(object),
            facts["count"].to_numpy(float) if "count" in facts else np.ones(len(facts)),
            weights,
        )

    @classmethod
    def from_arrays(cls, x, y, t_us, categories, counts=None, weights=None) -> "FactIndex":
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        t_us = np.asarray(t_us, np.int64)
        counts = np.ones(len(x)) if counts is None else np.asarray(counts, float)
        codes, uniques = pd.factorize(pd.Series(np.asarray(categories, dtype=object)), sort=True)
        cat_weight = category_weights(np.asarray(uniques, dtype=object), weights)
        w = cat_weight[codes] * counts if len(codes) else np.zeros(0)
        order = np.argsort(t_us, kind="stable")
        return cls(
            t_us=t_us[order],
            x=x[order],
            y=y[order],
            weight=w[order],
            count=counts[order],
            category_code=codes[order].astype(np.int32),
            categories=[str(u) for u in uniques],
            order=order,
        )

    def __len__(self) -> int:
        return len(self.t_us)


@dataclass
class ScoreResult:
    score: np.ndarray
    n_facts: np.ndarray  # sum of `count` of the facts that count
    by_category: np.ndarray  # (n_events, n_categories) weighted sums
    categories: List[str]

    def category_frame(self, index=None) -> pd.DataFrame:
        return pd.DataFrame(self.by_category, columns=self.categories, index=index)


def _hair(r: float) -> float:
    return r * 1e-9 + 1e-6


def event_windows(starts_us: np.ndarray, ends_us: np.ndarray, facts: FactIndex, settings: ScoreSettings):
    """For each event, the slice [lo, hi) of time-sorted facts inside its window."""
    lo = np.searchsorted(facts.t_us, np.asarray(starts_us, np.int64) - settings.before_us, side="left")
    hi = np.searchsorted(facts.t_us, np.asarray(ends_us, np.int64) + settings.after_us, side="right")
    return lo, hi


def counted_facts(fp, lo: int, hi: int, bounds, facts: FactIndex, radius: float) -> np.ndarray:
    """Positions (in ``facts``' sorted order) of the facts that count for one event."""
    if hi <= lo:
        return np.zeros(0, dtype=np.int64)
    g = radius + _hair(radius)
    xs = facts.x[lo:hi]
    ys = facts.y[lo:hi]
    box = (xs >= bounds[0] - g) & (xs <= bounds[2] + g) & (ys >= bounds[1] - g) & (ys <= bounds[3] + g)
    cand = np.flatnonzero(box)
    if not len(cand):
        return cand.astype(np.int64)
    cand += lo
    d = shapely.distance(fp, shapely.points(facts.x[cand], facts.y[cand]))
    return cand[d <= radius]


def score_footprints(
    fps: np.ndarray,
    starts_us: np.ndarray,
    ends_us: np.ndarray,
    facts: FactIndex,
    settings: ScoreSettings,
    progress: Optional[Callable[[float], None]] = None,
    is_cancelled: Optional[Callable[[], bool]] = None,
) -> ScoreResult:
    n = len(fps)
    score = np.zeros(n)
    n_facts = np.zeros(n)
    by_cat = np.zeros((n, len(facts.categories)))
    if n == 0:
        return ScoreResult(score, n_facts, by_cat, list(facts.categories))
    lo, hi = event_windows(starts_us, ends_us, facts, settings)
    bounds = shapely.bounds(fps)
    radius = settings.radius_m
    ncat = len(facts.categories)
    step = max(1, n // 100)
    for i in range(n):
        if i % step == 0:
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            if progress is not None:
                progress(100.0 * i / n)
        if hi[i] <= lo[i] or fps[i] is None or shapely.is_empty(fps[i]):
            continue
        keep = counted_facts(fps[i], lo[i], hi[i], bounds[i], facts, radius)
        if len(keep):
            w = facts.weight[keep]
            score[i] = w.sum()
            n_facts[i] = facts.count[keep].sum()
            by_cat[i] = np.bincount(facts.category_code[keep], weights=w, minlength=ncat)
    if progress is not None:
        progress(100.0)
    return ScoreResult(score, n_facts, by_cat, list(facts.categories))


def score_events(
    events: pd.DataFrame,
    facts,
    settings: Optional[ScoreSettings] = None,
    progress=None,
    is_cancelled=None,
) -> ScoreResult:
    """Scores the events of a clean frame (geometry, start, end) against facts.

    ``facts`` is the clean facts frame or a :class:`FactIndex` built with the
    same weights.
    """
    settings = settings or ScoreSettings()
    index = facts if isinstance(facts, FactIndex) else FactIndex.build(facts, settings.weights)
    fps = footprints(events["geometry"].to_numpy(object), settings.line_buffer_m, settings.point_buffer_m)
    return score_footprints(
        fps,
        to_epoch_us(events["start"]),
        to_epoch_us(events["end"]),
        index,
        settings,
        progress,
        is_cancelled,
    )


def facts_of_event(geometry, start, end, facts: FactIndex, settings: ScoreSettings) -> np.ndarray:
    """Indices, in the original facts frame, of the facts that count for one event."""
    fp = footprints(np.array([geometry], dtype=object), settings.line_buffer_m, settings.point_buffer_m)[0]
    s = to_epoch_us(pd.Series([start]))
    e = to_epoch_us(pd.Series([end]))
    lo, hi = event_windows(s, e, facts, settings)
    keep = counted_facts(fp, int(lo[0]), int(hi[0]), shapely.bounds(fp), facts, settings.radius_m)
    return np.sort(facts.order[keep])


# --- the score_detail field: the score by category, as JSON (written by Score events) ---------------


def encode_detail(row: Sequence[float], categories: Sequence[str]) -> str:
    """One event's score by category -> the ``score_detail`` text (non-zero categories, sorted keys)."""
    row = np.asarray(row, float)
    return json.dumps({categories[j]: round(float(row[j]), 9) for j in np.flatnonzero(row)}, sort_keys=True)


def decode_details(texts: Sequence, where: Callable[[int], str] = lambda i: f"row {i}") -> Tuple[np.ndarray, List[str]]:
    """``score_detail`` texts -> (table n_events x n_categories, categories).

    Categories come in the contract's order, then unknown codes sorted; an empty
    text is an event without facts. A text that is not the JSON Score events
    writes is a ValueError naming the place (``where(i)``, e.g. the layer and feature).
    """
    details = []
    for i, text in enumerate(texts):
        if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
            details.append({})
            continue
        try:
            d = json.loads(str(text))
            if not isinstance(d, dict):
                raise TypeError
            details.append({str(k): float(v) for k, v in d.items()})
        except (ValueError, TypeError):
            raise ValueError(
                f"{where(i)}, field 'score_detail': {str(text)[:60]!r} is not the JSON that 'Score events' writes"
            ) from None
    seen = {c for d in details for c in d}
    categories = [c for c in CATEGORIES if c in seen] + sorted(seen - set(CATEGORIES))
    col = {c: j for j, c in enumerate(categories)}
    table = np.zeros((len(details), len(categories)))
    for i, d in enumerate(details):
        for c, v in d.items():
            table[i, col[c]] = v
    return table, categories
