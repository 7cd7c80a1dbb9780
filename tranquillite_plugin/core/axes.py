"""The eight factor axes of SPEC §4, computed from a clean events frame.

The axes the city published, and the columns that carry them:

========== ============================== ===================================
axis       column(s)                      meaning
========== ============================== ===================================
location   ``x``, ``y``                   centroid of the footprint (working CRS)
participants ``participants``             expected or counted participants
nature     ``nature``                     the event's nature code
sector     ``sector``                     sector id (assigned when absent)
weekend    ``weekend``                    1 when the start is a Saturday or Sunday
summer     ``summer``                     1 when daylight saving time is in force
area       ``area_m2``                    footprint area in m²
duration   ``duration_h``                 end − start in hours (elapsed time)
========== ============================== ===================================

Weekend and summer are read on the start in Europe/Paris local time; the
duration is elapsed time (a night across the October change lasts one hour
more on the wall clock than the subtraction of wall times would say).

Categorical axes (nature, sector) enter the forest as **target-ordered codes**
(:class:`AxisEncoder`): each category gets the rank of its smoothed mean of
``log1p(score)`` over the training events.  For a regression tree, ordering the
categories by their mean response and splitting on that order finds the best
binary partition of the categories (Breiman et al., *CART*, 1984, §9.4), so
one ordered column loses nothing against a one-hot block, keeps one column per
axis (importances read directly) and handles a category never seen in training:
it is placed at the position of the global mean, between the categories below
and above it, i.e. it is treated as an "average" nature or sector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.footprint import LINE_BUFFER_M, POINT_BUFFER_M, footprints
from tranquillite_plugin.core.timeutil import HOUR_US, TZ, to_epoch_us


@dataclass(frozen=True)
class Axis:
    id: str
    label_fr: str
    label_en: str
    columns: tuple[str, ...]

    def label(self, lang: str = "fr") -> str:
        return self.label_fr if str(lang).lower().startswith("fr") else self.label_en


#: The eight axes, in display order.  The single place where they are named.
AXES: tuple[Axis, ...] = (
    Axis("location", "Localisation", "Location", ("x", "y")),
    Axis("participants", "Participants", "Participants", ("participants",)),
    Axis("nature", "Nature", "Nature", ("nature",)),
    Axis("sector", "Secteur", "Sector", ("sector",)),
    Axis("weekend", "Semaine ou week-end", "Weekday or weekend", ("weekend",)),
    Axis("summer", "Hiver ou été", "Winter or summer", ("summer",)),
    Axis("area", "Surface de l'emprise (m²)", "Footprint area (m²)", ("area_m2",)),
    Axis("duration", "Durée (h)", "Duration (h)", ("duration_h",)),
)
AXIS_IDS: tuple[str, ...] = tuple(a.id for a in AXES)
#: the columns the forest sees, in this order (one per axis, two for location)
COLUMNS: tuple[str, ...] = tuple(c for a in AXES for c in a.columns)
#: axis id of each column
COLUMN_AXIS: tuple[str, ...] = tuple(a.id for a in AXES for _ in a.columns)
CATEGORICAL: tuple[str, ...] = ("nature", "sector")
#: columns whose distribution is long-tailed (log1p before standardising, for distances)
SKEWED: tuple[str, ...] = ("participants", "area_m2", "duration_h")


def axis(axis_id: str) -> Axis:
    for a in AXES:
        if a.id == axis_id:
            return a
    raise KeyError(f"unknown axis '{axis_id}' (one of {', '.join(AXIS_IDS)})")


def axis_label(axis_id: str, lang: str = "fr") -> str:
    return axis(axis_id).label(lang)


# --- sectors -------------------------------------------------------------------


def sector_of_points(points: np.ndarray, sectors: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Sector id of each point: the sector containing it, else the nearest one.

    Returns ``(ids, inside)``; ``inside`` says the point lies in (or on the
    boundary of) its sector.  Ties (a point on a shared boundary, two sectors
    at the same distance) go to the smallest ``sector_id``, so the answer does
    not depend on the order of the sectors layer.  Missing/empty points get "".
    """
    points = np.asarray(points, dtype=object)
    n = len(points)
    ids = np.full(n, "", dtype=object)
    inside = np.zeros(n, dtype=bool)
    if n == 0 or sectors is None or len(sectors) == 0:
        return ids, inside
    geoms = sectors["geometry"].to_numpy(object)
    sids = sectors["sector_id"].astype(str).to_numpy(object)
    # rank of each sector in sector_id order: the tie-breaker
    rank = np.empty(len(sids), dtype=np.int64)
    rank[np.argsort(sids.astype(str), kind="stable")] = np.arange(len(sids))
    live = ~(shapely.is_missing(points) | shapely.is_empty(points))
    tree = shapely.STRtree(geoms)
    q_idx, s_idx = tree.query(points[live], predicate="intersects")
    live_idx = np.flatnonzero(live)
    best = np.full(n, -1, dtype=np.int64)
    if len(q_idx):
        order = np.lexsort((rank[s_idx], q_idx))
        q_sorted = q_idx[order]
        first = np.ones(len(order), bool)
        first[1:] = q_sorted[1:] != q_sorted[:-1]
        best[live_idx[q_sorted[first]]] = s_idx[order][first]
    inside = best >= 0
    todo = np.flatnonzero(live & ~inside)
    if len(todo):
        (q2, s2) = tree.query_nearest(points[todo], all_matches=True)
        order = np.lexsort((rank[s2], q2))
        q_sorted = q2[order]
        first = np.ones(len(order), bool)
        first[1:] = q_sorted[1:] != q_sorted[:-1]
        best[todo[q_sorted[first]]] = s2[order][first]
    ok = best >= 0
    ids[ok] = sids[best[ok]]
    return ids, inside


def assign_sectors(
    events: pd.DataFrame,
    sectors: pd.DataFrame | None,
    line_buffer: float = LINE_BUFFER_M,
    point_buffer: float = POINT_BUFFER_M,
) -> pd.DataFrame:
    """Copy of ``events`` whose empty ``sector`` is filled (SPEC §2).

    An event without sector gets the sector containing its footprint's
    centroid, else the nearest sector.  Sectors given in the layer are kept as
    they are.  Without a sectors frame the events are returned unchanged.
    """
    out = events.copy()
    if "sector" not in out:
        out["sector"] = ""
    sector = out["sector"].fillna("").astype(str).to_numpy(object)
    todo = np.flatnonzero(sector == "")
    if len(todo) and sectors is not None and len(sectors):
        fps = footprints(out["geometry"].to_numpy(object)[todo], line_buffer, point_buffer)
        ids, _ = sector_of_points(shapely.centroid(fps), sectors)
        sector[todo] = ids
    out["sector"] = sector
    return out


# --- axes ----------------------------------------------------------------------


def summer_time(starts: pd.Series) -> np.ndarray:
    """True where daylight saving time is in force in Europe/Paris.

    DST is in force when the UTC offset at that instant exceeds the zone's
    standard offset, read as the offset on 15 January of the same year.
    """
    s = pd.Series(starts).reset_index(drop=True)
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        raise TypeError("summer_time needs tz-aware datetimes")
    s = s.dt.tz_convert(TZ)
    if len(s) <= 32:  # a few planned events: one datetime each is faster than the vectorised path (same answer)
        out = []
        for t in s:
            if pd.isna(t):
                out.append(False)
                continue
            jan = pd.Timestamp(year=t.year, month=1, day=15, hour=12).tz_localize(TZ)
            out.append(t.utcoffset() > jan.utcoffset())
        return np.asarray(out, dtype=bool)
    local = s.dt.tz_localize(None).astype("datetime64[us]")
    utc = s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")
    offset = (local - utc).to_numpy()
    years = s.dt.year.to_numpy()
    std = {}
    for y in np.unique(years[~pd.isna(years)]):
        jan = pd.Timestamp(year=int(y), month=1, day=15, hour=12).tz_localize(TZ)
        std[int(y)] = np.timedelta64(int(jan.utcoffset().total_seconds() * 1e6), "us")
    standard = np.array([std.get(int(y), np.timedelta64(0, "us")) if not pd.isna(y) else np.timedelta64(0, "us") for y in years])
    return np.asarray(offset > standard, dtype=bool)


def _small_epoch_us(values: pd.Series) -> np.ndarray:
    """tz-aware Timestamps -> µs since the epoch, one by one (NaT -> the minimum int64, as to_epoch_us)."""
    nat = np.iinfo(np.int64).min
    return np.array([nat if pd.isna(t) else t.value // 1000 for t in values], dtype=np.int64)


def event_axes(
    events: pd.DataFrame,
    line_buffer: float = LINE_BUFFER_M,
    point_buffer: float = POINT_BUFFER_M,
) -> pd.DataFrame:
    """Clean events frame -> one row of raw axes per event (same order).

    Columns: ``event_id``, :data:`COLUMNS`, ``start_us`` (int64 µs UTC).
    ``nature`` and ``sector`` stay codes here; :class:`AxisEncoder` turns them
    into numbers.  Assign sectors first (:func:`assign_sectors`) if some are
    empty.  Raises ``ValueError`` naming the event when an axis cannot be
    computed (empty footprint, missing date or participants).
    """
    n = len(events)
    ids = events["event_id"].astype(str).to_numpy(object) if "event_id" in events else np.array([str(i) for i in range(n)], dtype=object)
    fps = footprints(events["geometry"].to_numpy(object), line_buffer, point_buffer)
    cen = shapely.centroid(fps)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    live = ~(shapely.is_missing(cen) | shapely.is_empty(cen))
    x[live] = shapely.get_x(cen[live])
    y[live] = shapely.get_y(cen[live])
    area = shapely.area(fps) if n else np.zeros(0)
    start = pd.Series(events["start"]).reset_index(drop=True)
    end = pd.Series(events["end"]).reset_index(drop=True)
    small = 0 < n <= 32 and isinstance(start.dtype, pd.DatetimeTZDtype) and isinstance(end.dtype, pd.DatetimeTZDtype)
    if small:  # a few planned events: plain Timestamps are faster than pandas' vectorised path (same values)
        start_us, end_us = _small_epoch_us(start), _small_epoch_us(end)
    else:
        start_us = to_epoch_us(start) if n else np.zeros(0, np.int64)
        end_us = to_epoch_us(end) if n else np.zeros(0, np.int64)
    nat = np.iinfo(np.int64).min
    for name, values in (("start", start_us), ("end", end_us)):
        bad = np.flatnonzero(values == nat)
        if len(bad):
            raise ValueError(f"event '{ids[bad[0]]}': field '{name}' is missing ({len(bad)} event(s) without {name})")
    empty = np.flatnonzero(~np.isfinite(x) | ~np.isfinite(y))
    if len(empty):
        raise ValueError(f"event '{ids[empty[0]]}': empty footprint, its location cannot be computed ({len(empty)} event(s))")
    participants = pd.to_numeric(pd.Series(events["participants"]).reset_index(drop=True), errors="coerce").to_numpy(float)
    badp = np.flatnonzero(~np.isfinite(participants) | (participants < 0))
    if len(badp):
        raise ValueError(f"event '{ids[badp[0]]}': field 'participants' must be a number >= 0")
    nature = pd.Series(events["nature"]).reset_index(drop=True).fillna("").astype(str).to_numpy(object)
    sector = (
        pd.Series(events["sector"]).reset_index(drop=True).fillna("").astype(str).to_numpy(object)
        if "sector" in events
        else np.full(n, "", dtype=object)
    )
    if small:
        weekend = np.array([not pd.isna(t) and t.tz_convert(TZ).dayofweek >= 5 for t in start], dtype=bool)
    else:
        weekend = (start.dt.tz_convert(TZ).dt.dayofweek.to_numpy() >= 5) if n else np.zeros(0, bool)
    summer = summer_time(start) if n else np.zeros(0, bool)
    return pd.DataFrame(
        {
            "event_id": ids,
            "x": np.asarray(x, float),
            "y": np.asarray(y, float),
            "participants": participants,
            "nature": nature,
            "sector": sector,
            "weekend": np.asarray(weekend, np.int64),
            "summer": np.asarray(summer, np.int64),
            "area_m2": np.asarray(area, float),
            "duration_h": (end_us - start_us) / HOUR_US,
            "start_us": start_us,
        }
    )


# --- encoding -----------------------------------------------------------------


@dataclass
class CategoryCodes:
    """Target-ordered codes of one categorical axis (see the module docstring)."""

    codes: dict[str, float] = field(default_factory=dict)
    unseen: float = -0.5
    means: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fit(cls, values: Sequence[str], target: np.ndarray, smoothing: float = 10.0) -> CategoryCodes:
        values = np.asarray(values, dtype=object).astype(str)
        target = np.asarray(target, float)
        if len(values) == 0:
            return cls()
        glob = float(target.mean())
        frame = pd.DataFrame({"c": values, "t": target}).groupby("c", sort=True)["t"].agg(["sum", "count"])
        means = (frame["sum"] + smoothing * glob) / (frame["count"] + smoothing)
        cats = np.asarray(frame.index, dtype=object)
        order = np.lexsort((cats.astype(str), means.to_numpy()))
        codes = {str(cats[j]): float(r) for r, j in enumerate(order)}
        below = int((means.to_numpy() < glob).sum())
        return cls(
            codes=codes,
            unseen=below - 0.5,
            means={str(c): float(m) for c, m in means.items()},
            counts={str(c): int(k) for c, k in frame["count"].items()},
        )

    def transform(self, values: Sequence[str]) -> np.ndarray:
        codes, unseen = self.codes, self.unseen
        return np.array([codes.get(str(v), unseen) for v in np.asarray(values, dtype=object)], dtype=float)

    def to_dict(self) -> dict:
        return {"codes": dict(self.codes), "unseen": float(self.unseen), "means": dict(self.means), "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: dict) -> CategoryCodes:
        return cls(
            codes={str(k): float(v) for k, v in data["codes"].items()},
            unseen=float(data["unseen"]),
            means={str(k): float(v) for k, v in data.get("means", {}).items()},
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
        )


@dataclass
class AxisEncoder:
    """Raw axes -> the numeric matrix the forest sees.

    Columns: :data:`COLUMNS`, then the columns of the optional ``context``
    axes (:mod:`.context`), whose missing values are filled with ``fill``
    (the training events' medians).
    """

    categories: dict[str, CategoryCodes] = field(default_factory=dict)
    smoothing: float = 10.0
    context: tuple = ()
    fill: dict = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        from tranquillite_plugin.core.context import context_columns

        return COLUMNS + context_columns(self.context)

    @classmethod
    def fit(cls, raw: pd.DataFrame, target: np.ndarray, smoothing: float = 10.0, context: Sequence[str] = ()) -> AxisEncoder:
        from tranquillite_plugin.core.context import check_context, context_columns

        context = check_context(context)
        fill = {}
        for c in context_columns(context):
            v = raw[c].to_numpy(float)
            v = v[np.isfinite(v)]
            fill[c] = float(np.median(v)) if len(v) else 0.0
        return cls({c: CategoryCodes.fit(raw[c].to_numpy(object), target, smoothing) for c in CATEGORICAL}, smoothing, context, fill)

    def transform(self, raw: pd.DataFrame) -> np.ndarray:
        cols = []
        for c in self.columns:
            if c in CATEGORICAL:
                cols.append(self.categories[c].transform(raw[c].to_numpy(object)))
            elif c in self.fill:
                v = raw[c].to_numpy(float)
                cols.append(np.where(np.isfinite(v), v, self.fill[c]))
            else:
                cols.append(raw[c].to_numpy(float))
        return np.column_stack(cols) if len(raw) else np.zeros((0, len(self.columns)))

    def to_dict(self) -> dict:
        d = {"smoothing": float(self.smoothing), "categories": {k: v.to_dict() for k, v in self.categories.items()}}
        if self.context:
            d["context"] = list(self.context)
            d["fill"] = {k: float(v) for k, v in self.fill.items()}
        return d

    @classmethod
    def from_dict(cls, data: dict) -> AxisEncoder:
        from tranquillite_plugin.core.context import check_context, context_columns

        cats = {str(k): CategoryCodes.from_dict(v) for k, v in data["categories"].items()}
        missing = [c for c in CATEGORICAL if c not in cats]
        if missing:
            raise ValueError(f"axis encoder lacks the codes of {', '.join(missing)}")
        context = check_context(data.get("context", ()))
        fill = {str(k): float(v) for k, v in data.get("fill", {}).items()}
        lack = [c for c in context_columns(context) if c not in fill]
        if lack:
            raise ValueError(f"axis encoder lacks the fill value of {', '.join(lack)}")
        return cls(cats, float(data.get("smoothing", 10.0)), context, fill)


def axes_with(context: Sequence[str] = ()) -> tuple[Axis, ...]:
    """The published axes followed by the chosen context axes."""
    from tranquillite_plugin.core.context import CONTEXT_AXES

    wanted = set(context or ())
    return AXES + tuple(a for a in CONTEXT_AXES if a.id in wanted)


def axis_importances(column_importances: np.ndarray, context: Sequence[str] = ()) -> pd.DataFrame:
    """Per-column importances -> one row per axis (location = x + y, weather = its 3 columns), sorted."""
    imp = np.asarray(column_importances, float)
    axes = axes_with(context)
    columns = [c for a in axes for c in a.columns]
    rows = []
    for a in axes:
        v = float(sum(imp[columns.index(c)] for c in a.columns))
        rows.append({"axis": a.id, "label_fr": a.label_fr, "label_en": a.label_en, "importance": v})
    frame = pd.DataFrame(rows)
    order = np.lexsort((np.arange(len(frame)), -frame["importance"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


def standardised(matrix: np.ndarray, mean: np.ndarray | None = None, std: np.ndarray | None = None, columns: Sequence[str] | None = None):
    """Axes matrix -> standardised copy for distances (log1p on skewed columns).

    Returns ``(z, mean, std)``; pass the training ``mean``/``std`` to transform
    other rows the same way.  A constant column gets std 1.
    """
    from tranquillite_plugin.core.context import CONTEXT_SKEWED

    m = np.array(matrix, dtype=float, copy=True)
    columns = list(columns) if columns is not None else list(COLUMNS)
    for c in SKEWED + CONTEXT_SKEWED:
        if c in columns:
            j = columns.index(c)
            m[:, j] = np.log1p(np.maximum(m[:, j], 0.0))
    if mean is None:
        mean = m.mean(axis=0) if len(m) else np.zeros(m.shape[1])
        std = m.std(axis=0) if len(m) else np.ones(m.shape[1])
        std = np.where(std > 0, std, 1.0)
    return (m - mean) / std, mean, std


__all__: list[str] = [
    "AXES",
    "AXIS_IDS",
    "COLUMNS",
    "COLUMN_AXIS",
    "Axis",
    "AxisEncoder",
    "CategoryCodes",
    "assign_sectors",
    "axis",
    "axes_with",
    "axis_importances",
    "axis_label",
    "event_axes",
    "sector_of_points",
    "standardised",
    "summer_time",
]
