"""Small synthetic events for the model tests (helper module, imported by tests/test_model_*.py).

The events live in a 8 km × 8 km square in Lambert-93 around Marseille,
cut into a 4 × 4 grid of sectors; their score follows a known mechanism
(nature, participants, a hot corner of the city, weekends) plus noise, so that
a forest has something to find.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.axes import COLUMNS, AxisEncoder, CategoryCodes
from tranquillite_plugin.core.contract import CATEGORIES, NATURES
from tranquillite_plugin.core.forest import ForestSettings, PackedForest, TransferModel
from tranquillite_plugin.core.timeutil import TZ, parse_datetimes

X0, Y0 = 890_000.0, 6_245_000.0
SIZE = 8_000.0
NATURE_LEVEL = dict(zip(NATURES, [3.0, 2.0, 2.5, 1.5, 2.2, 0.5, 0.2, 0.8, 1.0, 0.6]))


def make_sectors(n_side: int = 4) -> pd.DataFrame:
    step = SIZE / n_side
    rows = []
    for i in range(n_side):
        for j in range(n_side):
            x, y = X0 + i * step, Y0 + j * step
            rows.append({"fid": len(rows) + 1, "sector_id": f"S{i}{j}", "name": f"Secteur {i}{j}", "geometry": shapely.box(x, y, x + step, y + step)})
    return pd.DataFrame(rows)


def make_events(n: int = 600, seed: int = 1, start: str = "2020-01-01", days: int = 3 * 365, with_sector: bool = False):
    """(events clean frame, scores, by_category (n, 10), categories)."""
    rng = np.random.default_rng(seed)
    x = X0 + rng.uniform(200, SIZE - 200, n)
    y = Y0 + rng.uniform(200, SIZE - 200, n)
    kind = rng.integers(0, 3, n)
    geoms = []
    for i in range(n):
        if kind[i] == 0:
            geoms.append(shapely.Point(x[i], y[i]))
        elif kind[i] == 1:
            geoms.append(shapely.LineString([(x[i] - 150, y[i]), (x[i], y[i] + 80), (x[i] + 150, y[i])]))
        else:
            r = rng.uniform(30, 150)
            geoms.append(shapely.box(x[i] - r, y[i] - r, x[i] + r, y[i] + r))
    nature = rng.choice(np.array(NATURES, dtype=object), n)
    participants = np.round(np.exp(rng.uniform(2, 9, n))).astype(np.int64)
    t0 = pd.Timestamp(start).tz_localize(TZ)
    minutes = np.sort(rng.integers(0, days * 24 * 60, n))
    starts = pd.Series([t0 + pd.Timedelta(minutes=int(m)) for m in minutes]).dt.tz_convert(TZ)
    dur_h = rng.uniform(1, 10, n)
    ends = starts + pd.to_timedelta(np.round(dur_h * 60), unit="min")
    ids = np.array([f"E{i:05d}" for i in rng.permutation(n)], dtype=object)
    weekend = starts.dt.dayofweek.to_numpy() >= 5
    hot = np.hypot(x - (X0 + 2000), y - (Y0 + 6000)) < 2000
    level = np.array([NATURE_LEVEL[v] for v in nature]) + 0.25 * np.log1p(participants) + 1.2 * hot + 0.6 * weekend
    scores = np.round(np.expm1(np.maximum(level + rng.normal(0, 0.4, n), 0)), 1)
    share = rng.dirichlet(np.ones(len(CATEGORIES)), n)
    by_cat = share * scores[:, None]
    events = pd.DataFrame(
        {
            "fid": np.arange(1, n + 1),
            "geometry": np.array(geoms, dtype=object),
            "event_id": ids,
            "nature": nature,
            "participants": participants,
            "start": starts,
            "end": ends,
            "sector": [""] * n,
        }
    )
    if with_sector:
        events["sector"] = [f"S{int((xx - X0) // 2000)}{int((yy - Y0) // 2000)}" for xx, yy in zip(x, y)]
    return events, scores, by_cat, list(CATEGORIES)


def one_event(event_id, geometry, start, end, nature="concert", participants=100, sector=""):
    """A one-row clean events frame; naive times are Paris local time (as the contract reads them)."""
    starts, _ = parse_datetimes(pd.Series([start], dtype=object))
    ends, _ = parse_datetimes(pd.Series([end], dtype=object))
    return pd.DataFrame(
        {
            "fid": [1],
            "geometry": np.array([geometry], dtype=object),
            "event_id": [event_id],
            "nature": [nature],
            "participants": [participants],
            "start": starts,
            "end": ends,
            "sector": [sector],
        }
    )


DAY_US = 86_400 * 1_000_000


def hand_model():
    """A hand-made model: five past events on one axis (x = 1..5), scores 10..50, starts on days 1..5,
    and four stumps splitting x at 2.5, 3.5, 4.5 and 1.5."""
    T, N = 4, 3
    thresholds = [2.5, 3.5, 4.5, 1.5]
    feature = np.full((T, N), -2, np.int32)
    feature[:, 0] = 0
    threshold = np.zeros((T, N))
    threshold[:, 0] = thresholds
    left = np.full((T, N), -1, np.int32)
    right = np.full((T, N), -1, np.int32)
    left[:, 0] = 1
    right[:, 0] = 2
    value = np.zeros((T, N))
    value[:, 1], value[:, 2] = 1.0, 2.0  # log1p estimate: 1 on the left, 2 on the right
    forest = PackedForest(feature, threshold, left, right, value, np.full(T, 3, np.int32))
    x = np.arange(1, 6, dtype=float)
    X = np.zeros((5, len(COLUMNS)))
    X[:, 0] = x
    leaves = forest.apply(X)
    enc = AxisEncoder({"nature": CategoryCodes(), "sector": CategoryCodes()})
    return TransferModel(
        settings=ForestSettings(n_trees=4, k=3),
        score_settings={},
        encoder=enc,
        forest=forest,
        X=X,
        event_id=np.array(["e1", "e2", "e3", "e4", "e5"], dtype=object),
        nature=np.array(["concert"] * 5, dtype=object),
        sector=np.array(["S"] * 5, dtype=object),
        start_us=np.arange(1, 6, dtype=np.int64) * DAY_US,
        score=np.array([10.0, 20.0, 30.0, 40.0, 50.0]),
        by_category=np.array([[1.0, 9.0], [2.0, 18.0], [3.0, 27.0], [4.0, 36.0], [5.0, 45.0]]),
        categories=["vol", "violence"],
        leaves=leaves,
        column_importances=np.eye(1, len(COLUMNS))[0],
    )
