"""The exact score of many events without holding every fact: time windows, streamed.

Events are taken in order of start, a batch at a time (a batch spans at most
``window_us`` of starts); each batch asks its fact source only for the facts
of ``[min start - B, max end + A]`` (and, when the source can, of the batch's
footprints grown by R), builds a time-sorted :class:`~core.score.FactIndex`
of those, and scores its events exactly as :func:`core.score.score_footprints`
does. Every fact an event's window can hold is in its batch's fetch, so each
score is the in-memory one (same facts, same order, same sums). Memory is
bounded by the largest batch's facts, not by the whole table.

A *fact source* is a callable ``fetch(lo_us, hi_us, box)`` returning the
clean facts frame of the contract (``x``, ``y``, ``category``,
``occurred_at``, ``count``) with at least every fact whose instant lies in
``[lo_us, hi_us]`` and whose point lies in ``box`` (``minx, miny, maxx,
maxy``, or None for anywhere). It may return more (a superset is filtered
exactly here); it must keep the facts' own order (fid order) between calls.
"""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.footprint import footprints
from tranquillite_plugin.core.score import Cancelled, FactIndex, ScoreResult, ScoreSettings, score_footprints
from tranquillite_plugin.core.timeutil import HOUR_US, to_epoch_us

#: default span of event starts per batch: a month
MONTH_US = 31 * 24 * HOUR_US

FactSource = Callable[[int, int, Optional[tuple]], pd.DataFrame]


def score_events_windowed(
    events: pd.DataFrame,
    fetch: FactSource,
    settings: Optional[ScoreSettings] = None,
    window_us: int = MONTH_US,
    progress: Optional[Callable[[float], None]] = None,
    is_cancelled: Optional[Callable[[], bool]] = None,
    use_box: bool = True,
) -> ScoreResult:
    """Scores the clean events frame against facts fetched batch by batch (module docstring)."""
    settings = settings or ScoreSettings()
    n = len(events)
    fps = footprints(events["geometry"].to_numpy(object), settings.line_buffer_m, settings.point_buffer_m)
    starts = to_epoch_us(events["start"]) if n else np.zeros(0, np.int64)
    ends = to_epoch_us(events["end"]) if n else np.zeros(0, np.int64)
    score = np.zeros(n)
    n_facts = np.zeros(n)
    parts = []  # (event positions, by-category sums, categories) per batch
    categories: set = set()
    order = np.argsort(starts, kind="stable")
    i = 0
    g = settings.radius_m + settings.radius_m * 1e-9 + 1e-6
    while i < n:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        first = starts[order[i]]
        j = int(np.searchsorted(starts[order], first + window_us, side="left"))
        j = max(j, i + 1)
        batch = order[i:j]
        lo = int(starts[batch].min()) - settings.before_us
        hi = int(ends[batch].max()) + settings.after_us
        box = None
        present = [k for k in batch if fps[k] is not None and not shapely.is_empty(fps[k])]
        if use_box and present:
            b = shapely.bounds(np.asarray([fps[k] for k in present], dtype=object))
            box = (float(b[:, 0].min() - g), float(b[:, 1].min() - g), float(b[:, 2].max() + g), float(b[:, 3].max() + g))
        facts = fetch(lo, hi, box)
        index = FactIndex.build(facts, settings.weights)
        result = score_footprints(fps[batch], starts[batch], ends[batch], index, settings)
        score[batch] = result.score
        n_facts[batch] = result.n_facts
        parts.append((batch, result.by_category, result.categories))
        categories.update(result.categories)
        del facts, index
        i = j
        if progress is not None:
            progress(100.0 * i / n)
    names = sorted(categories)
    pos = {c: k for k, c in enumerate(names)}
    by_cat = np.zeros((n, len(names)))
    for batch, sums, cats in parts:
        if len(cats):
            by_cat[np.ix_(batch, [pos[c] for c in cats])] = sums
    return ScoreResult(score, n_facts, by_cat, names)


def frame_source(facts: pd.DataFrame) -> FactSource:
    """A fact source over an in-memory clean frame (for tests and small stores)."""
    t = to_epoch_us(facts["occurred_at"]) if len(facts) else np.zeros(0, np.int64)
    x = facts["x"].to_numpy(float)
    y = facts["y"].to_numpy(float)

    def fetch(lo: int, hi: int, box) -> pd.DataFrame:
        keep = (t >= lo) & (t <= hi)
        if box is not None:
            keep &= (x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])
        return facts.loc[keep]

    return fetch
