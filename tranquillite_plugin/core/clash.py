"""Clash check and camera coverage for a planned event (SPEC §5, issue 5).

Pure Python (pandas, shapely): no QGIS import.

Clash check
    A planned event *clashes* with

    * another planned event whose footprint meets its footprint and whose
      time window ``[start, end]`` meets its own (bounds inclusive);
    * works (an event of nature ``travaux``, past, planned or under way) under
      the same two conditions;
    * a traffic axis whose status is ``ferme`` (closed) and which meets the
      footprint. An axis status is the current state of the axis (its
      ``updated_at`` says since when), it has no end: a closed axis is reported
      whatever the event's dates, with the date of its last update.

    "Meets" is shapely's ``intersects`` (touching counts). Footprints follow
    :mod:`.footprint` (a line buffered by 15 m, a point by 50 m by default).

Camera coverage
    The share of the footprint's area inside the union of the cameras'
    coverage: a disc of ``radius_m`` around each camera, or, when both
    ``bearing_deg`` and ``fov_deg`` are set, the wedge of that disc centred on
    the bearing (degrees clockwise from north, as on a compass) and
    ``fov_deg`` wide. A field of view of 360° or more is the whole disc; a
    field of view of 0 or less, or a radius of 0 or less, covers nothing.
    Arcs are drawn with :data:`ARC_SEGMENTS` segments per full circle, so an
    area computed here is the polygon's, within 0.05 % of the true disc.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.footprint import LINE_BUFFER_M, POINT_BUFFER_M, footprint

#: segments per full circle for discs and wedge arcs
ARC_SEGMENTS = 256
WORKS = "travaux"
CLOSED = "ferme"

#: kinds of clash, in the order they are listed
KIND_PLANNED = "planned"
KIND_WORKS = "works"
KIND_CLOSED_AXIS = "closed_axis"
_KIND_ORDER = {KIND_CLOSED_AXIS: 0, KIND_WORKS: 1, KIND_PLANNED: 2}


@dataclass(frozen=True)
class Clash:
    """One warning for a planned event."""

    kind: str  # "planned", "works" or "closed_axis"
    ref: str  # event_id or axis_id
    label: str  # the other event's nature, or the axis' name
    start: Optional[pd.Timestamp] = None  # the other event's start (None for an axis)
    end: Optional[pd.Timestamp] = None  # the other event's end, or the axis' updated_at
    overlap_m2: float = 0.0  # area shared by the two footprints (0 for an axis)

    def message(self) -> str:
        """A plain English sentence (the GUI writes its own translated one)."""
        if self.kind == KIND_CLOSED_AXIS:
            since = f" since {self.end:%Y-%m-%d %H:%M}" if self.end is not None and not pd.isna(self.end) else ""
            return f"closed traffic axis {self.ref} ({self.label}){since} crosses the footprint"
        what = "works" if self.kind == KIND_WORKS else f"planned event ({self.label})"
        return (
            f"{what} {self.ref} from {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M} "
            f"meets the footprint ({self.overlap_m2:.0f} m² shared)"
        )


def _window_meets(start, end, starts: pd.Series, ends: pd.Series) -> np.ndarray:
    s = pd.Timestamp(start)
    e = pd.Timestamp(end)
    return ((starts <= e) & (ends >= s)).to_numpy(bool)


def find_clashes(
    geometry,
    start,
    end,
    planned: Optional[pd.DataFrame] = None,
    events: Optional[pd.DataFrame] = None,
    axes: Optional[pd.DataFrame] = None,
    event_id: Optional[str] = None,
    line_buffer: float = LINE_BUFFER_M,
    point_buffer: float = POINT_BUFFER_M,
) -> List[Clash]:
    """Clashes of one planned event (its geometry, start and end).

    ``planned`` and ``events`` are clean events frames (geometry, event_id,
    nature, start, end): every event of ``planned`` is considered, only the
    works (nature ``travaux``) of ``events``; ``axes`` is a clean axes frame
    (geometry, axis_id, name, status, updated_at). The event ``event_id``
    itself is left out. All geometries are in the same (metric) CRS.
    Listed closed axes first, then works, then planned events, each by start.
    """
    fp = footprint(geometry, line_buffer, point_buffer)
    if fp is None or fp.is_empty:
        return []
    s = pd.Timestamp(start)
    e = pd.Timestamp(end)
    out: List[Clash] = []
    seen = set()
    for frame, only_works in ((planned, False), (events, True)):
        if frame is None or not len(frame):
            continue
        keep = np.ones(len(frame), bool)
        nature = frame["nature"].astype(str).to_numpy(object)
        ids = frame["event_id"].astype(str).to_numpy(object)
        if only_works:
            keep &= nature == WORKS
        if event_id is not None:
            keep &= ids != str(event_id)
        keep &= _window_meets(s, e, frame["start"], frame["end"])
        for i in np.flatnonzero(keep):
            if ids[i] in seen:
                continue
            other = footprint(frame["geometry"].iloc[i], line_buffer, point_buffer)
            if other is None or other.is_empty or not fp.intersects(other):
                continue
            seen.add(ids[i])
            kind = KIND_WORKS if nature[i] == WORKS else KIND_PLANNED
            out.append(
                Clash(
                    kind,
                    ids[i],
                    nature[i],
                    frame["start"].iloc[i],
                    frame["end"].iloc[i],
                    float(fp.intersection(other).area),
                )
            )
    if axes is not None and len(axes):
        status = axes["status"].astype(str).to_numpy(object)
        for i in np.flatnonzero(status == CLOSED):
            line = axes["geometry"].iloc[i]
            if line is None or line.is_empty or not fp.intersects(line):
                continue
            updated = axes["updated_at"].iloc[i] if "updated_at" in axes else None
            name = axes["name"].iloc[i] if "name" in axes else ""
            out.append(Clash(KIND_CLOSED_AXIS, str(axes["axis_id"].iloc[i]), str(name or ""), None, updated, 0.0))
    far = pd.Timestamp.max.tz_localize("UTC")
    out.sort(key=lambda c: (_KIND_ORDER[c.kind], c.start if c.start is not None else far, c.ref))
    return out


# --- camera coverage -------------------------------------------------------------------------


def camera_shape(x: float, y: float, radius_m: float, bearing_deg=None, fov_deg=None, segments: int = ARC_SEGMENTS):
    """The area one camera covers: a disc, or a wedge when bearing and field of view are set."""
    r = float(radius_m) if radius_m is not None else float("nan")
    if not math.isfinite(r) or r <= 0 or not (math.isfinite(x) and math.isfinite(y)):
        return shapely.Polygon()
    has_wedge = _finite(bearing_deg) and _finite(fov_deg)
    if not has_wedge or float(fov_deg) >= 360.0:
        angles = np.linspace(0.0, 2 * math.pi, segments, endpoint=False)
        return shapely.Polygon(np.column_stack([x + r * np.sin(angles), y + r * np.cos(angles)]))
    fov = float(fov_deg)
    if fov <= 0:
        return shapely.Polygon()
    n = max(2, int(math.ceil(segments * fov / 360.0)) + 1)
    # compass bearing: 0 = north (+y), 90 = east (+x), clockwise
    angles = np.radians(np.linspace(float(bearing_deg) - fov / 2.0, float(bearing_deg) + fov / 2.0, n))
    arc = np.column_stack([x + r * np.sin(angles), y + r * np.cos(angles)])
    return shapely.Polygon(np.vstack([[x, y], arc]))


def _finite(v) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def coverage_shapes(cameras: pd.DataFrame) -> np.ndarray:
    """One coverage polygon per camera of a clean cameras frame (x, y, radius_m, bearing_deg, fov_deg)."""
    n = len(cameras)
    bearing = cameras["bearing_deg"].to_numpy(float) if "bearing_deg" in cameras else np.full(n, np.nan)
    fov = cameras["fov_deg"].to_numpy(float) if "fov_deg" in cameras else np.full(n, np.nan)
    xs = cameras["x"].to_numpy(float)
    ys = cameras["y"].to_numpy(float)
    radius = cameras["radius_m"].to_numpy(float)
    return np.array([camera_shape(xs[i], ys[i], radius[i], bearing[i], fov[i]) for i in range(n)], dtype=object)


@dataclass
class Coverage:
    share: float  # covered area / footprint area, in [0, 1]; NaN for a footprint without area
    covered_m2: float
    area_m2: float
    camera_ids: List[str] = field(default_factory=list)  # cameras whose coverage meets the footprint


def camera_coverage(
    geometry,
    cameras: Optional[pd.DataFrame],
    line_buffer: float = LINE_BUFFER_M,
    point_buffer: float = POINT_BUFFER_M,
) -> Coverage:
    """Share of the event's footprint inside the union of the cameras' coverage."""
    fp = footprint(geometry, line_buffer, point_buffer)
    area = float(fp.area) if fp is not None and not fp.is_empty else 0.0
    if area <= 0:
        return Coverage(float("nan"), 0.0, 0.0, [])
    if cameras is None or not len(cameras):
        return Coverage(0.0, 0.0, area, [])
    shapes = coverage_shapes(cameras)
    meets = np.array([not s.is_empty and s.intersects(fp) for s in shapes], dtype=bool)
    if not meets.any():
        return Coverage(0.0, 0.0, area, [])
    union = shapely.union_all(shapes[meets])
    covered = float(fp.intersection(union).area)
    ids = [str(v) for v in cameras["camera_id"].to_numpy(object)[meets]]
    return Coverage(min(1.0, covered / area), covered, area, ids)
