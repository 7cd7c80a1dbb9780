"""Clash check and camera coverage (core/clash.py) on hand-computed geometry."""

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.clash import (
    ARC_SEGMENTS,
    KIND_CLOSED_AXIS,
    KIND_PLANNED,
    KIND_WORKS,
    camera_coverage,
    camera_shape,
    find_clashes,
)
from tranquillite_plugin.core.timeutil import TZ

X0, Y0 = 893_000.0, 6_247_000.0
# polygon-of-a-circle area / true circle area for ARC_SEGMENTS segments
DISC_RATIO = ARC_SEGMENTS / (2 * math.pi) * math.sin(2 * math.pi / ARC_SEGMENTS)


def ts(text):
    return pd.Timestamp(text).tz_localize(TZ)


def events(rows):
    return pd.DataFrame(
        {
            "fid": np.arange(len(rows)),
            "geometry": np.array([r[0] for r in rows], dtype=object),
            "event_id": [r[1] for r in rows],
            "nature": [r[2] for r in rows],
            "participants": [100] * len(rows),
            "start": pd.Series([ts(r[3]) for r in rows], dtype=f"datetime64[us, {TZ}]"),
            "end": pd.Series([ts(r[4]) for r in rows], dtype=f"datetime64[us, {TZ}]"),
            "sector": [""] * len(rows),
        }
    )


def cameras(rows):
    return pd.DataFrame(
        {
            "fid": np.arange(len(rows)),
            "x": [r[0] for r in rows],
            "y": [r[1] for r in rows],
            "camera_id": [f"C{i}" for i in range(len(rows))],
            "radius_m": [r[2] for r in rows],
            "bearing_deg": [r[3] if len(r) > 3 else np.nan for r in rows],
            "fov_deg": [r[4] if len(r) > 4 else np.nan for r in rows],
        }
    )


AREA = shapely.box(X0, Y0, X0 + 100, Y0 + 100)
START, END = "2026-06-21 18:00", "2026-06-21 23:00"


def test_planned_event_meeting_in_space_and_time_is_listed_with_shared_area():
    other = shapely.box(X0 + 60, Y0 + 60, X0 + 160, Y0 + 160)  # shares a 40 x 40 square
    planned = events([(other, "P2", "concert", "2026-06-21 22:00", "2026-06-22 01:00")])
    found = find_clashes(AREA, ts(START), ts(END), planned=planned)
    assert [(c.kind, c.ref) for c in found] == [(KIND_PLANNED, "P2")]
    assert found[0].overlap_m2 == pytest.approx(1600.0)


def test_time_bounds_are_inclusive_and_a_gap_is_no_clash():
    touching = events([(AREA, "P2", "sport", "2026-06-21 23:00", "2026-06-21 23:30")])
    assert [c.ref for c in find_clashes(AREA, ts(START), ts(END), planned=touching)] == ["P2"]
    after = events([(AREA, "P3", "sport", "2026-06-21 23:01", "2026-06-21 23:30")])
    assert find_clashes(AREA, ts(START), ts(END), planned=after) == []


def test_point_and_line_footprints_are_buffered_before_the_test():
    # a point 120 m east of the area's edge: its 50 m disc misses the area
    far_point = shapely.Point(X0 + 160, Y0 + 50)
    near_point = shapely.Point(X0 + 140, Y0 + 50)  # 40 m away: its 50 m disc meets the area
    planned = events(
        [
            (far_point, "FAR", "rassemblement", START, END),
            (near_point, "NEAR", "rassemblement", START, END),
        ]
    )
    assert [c.ref for c in find_clashes(AREA, ts(START), ts(END), planned=planned)] == ["NEAR"]
    # a line 10 m above the area: its 15 m half-width reaches it, 5 m deep
    line = shapely.LineString([(X0, Y0 + 110), (X0 + 100, Y0 + 110)])
    got = find_clashes(AREA, ts(START), ts(END), planned=events([(line, "L", "marche", START, END)]))
    assert [c.ref for c in got] == ["L"]
    assert got[0].overlap_m2 == pytest.approx(500.0, rel=1e-9)


def test_only_works_are_taken_from_the_events_and_the_event_itself_is_left_out():
    evs = events(
        [
            (AREA, "W1", "travaux", "2026-06-01 08:00", "2026-07-01 18:00"),
            (AREA, "C1", "concert", START, END),  # a past/other event that is not works: ignored
            (AREA, "SELF", "concert", START, END),
        ]
    )
    planned = events([(AREA, "SELF", "concert", START, END)])
    got = find_clashes(AREA, ts(START), ts(END), planned=planned, events=evs, event_id="SELF")
    assert [(c.kind, c.ref) for c in got] == [(KIND_WORKS, "W1")]


def test_closed_axes_crossing_the_footprint_come_first_whatever_the_dates():
    axes = pd.DataFrame(
        {
            "fid": [1, 2, 3],
            "geometry": [
                shapely.LineString([(X0 - 50, Y0 + 50), (X0 + 150, Y0 + 50)]),  # crosses, closed
                shapely.LineString([(X0 - 50, Y0 + 20), (X0 + 150, Y0 + 20)]),  # crosses, dense
                shapely.LineString([(X0 - 50, Y0 + 500), (X0 + 150, Y0 + 500)]),  # far, closed
            ],
            "axis_id": ["A1", "A2", "A3"],
            "name": ["La Canebière", "Rue de Rome", "Corniche"],
            "status": ["ferme", "dense", "ferme"],
            "updated_at": pd.Series([ts("2026-01-01 10:00")] * 3),
        }
    )
    works = events([(AREA, "W1", "travaux", START, END)])
    got = find_clashes(AREA, ts(START), ts(END), events=works, axes=axes)
    assert [(c.kind, c.ref) for c in got] == [(KIND_CLOSED_AXIS, "A1"), (KIND_WORKS, "W1")]
    assert "La Canebière" in got[0].message()


def test_disc_covering_the_whole_footprint_gives_one():
    cams = cameras([(X0 + 50, Y0 + 50, 500.0)])
    cov = camera_coverage(AREA, cams)
    assert cov.share == pytest.approx(1.0)
    assert cov.area_m2 == pytest.approx(10_000.0)
    assert cov.camera_ids == ["C0"]


def test_disc_inside_a_square_covers_pi_r2():
    # a 20 x 20 square around the camera, radius 10: share = pi * 100 / 400
    square = shapely.box(X0 - 10, Y0 - 10, X0 + 10, Y0 + 10)
    cov = camera_coverage(square, cameras([(X0, Y0, 10.0)]))
    assert cov.covered_m2 == pytest.approx(math.pi * 100 * DISC_RATIO, rel=1e-9)
    assert cov.share == pytest.approx(math.pi / 4, rel=1e-3)


def test_wedges_follow_the_compass():
    square = shapely.box(X0 - 10, Y0 - 10, X0 + 10, Y0 + 10)
    # facing east with 180 degrees: the eastern half
    east = camera_coverage(square, cameras([(X0, Y0, 100.0, 90.0, 180.0)]))
    assert east.share == pytest.approx(0.5, abs=1e-9)
    wedge = camera_shape(X0, Y0, 100.0, 90.0, 180.0)
    assert wedge.bounds[0] == pytest.approx(X0)  # nothing west of the camera
    # facing north-east with 90 degrees: the north-east quarter
    ne = camera_coverage(square, cameras([(X0, Y0, 100.0, 45.0, 90.0)]))
    assert ne.share == pytest.approx(0.25, abs=1e-9)
    assert camera_shape(X0, Y0, 100.0, 45.0, 90.0).bounds[:2] == pytest.approx((X0, Y0))
    # a 360 degree field of view, or a missing bearing, is the whole disc
    assert camera_shape(X0, Y0, 10.0, 45.0, 360.0).area == pytest.approx(camera_shape(X0, Y0, 10.0).area)
    assert camera_shape(X0, Y0, 10.0, None, 90.0).area == pytest.approx(camera_shape(X0, Y0, 10.0).area)


def test_overlapping_cameras_count_once_and_a_far_camera_not_at_all():
    square = shapely.box(X0 - 10, Y0 - 10, X0 + 10, Y0 + 10)
    cams = cameras(
        [
            (X0, Y0, 100.0, 90.0, 180.0),  # east half
            (X0, Y0, 100.0, 0.0, 180.0),  # north half: union = 3/4
            (X0 + 5_000, Y0, 100.0),  # far away
        ]
    )
    cov = camera_coverage(square, cams)
    assert cov.share == pytest.approx(0.75, abs=1e-9)
    assert cov.camera_ids == ["C0", "C1"]


def test_point_event_coverage_uses_its_buffered_footprint():
    # a point event: 50 m disc (32 segments); a camera at the same place with radius 25:
    # (25/50)^2, each disc being a regular polygon
    cov = camera_coverage(shapely.Point(X0, Y0), cameras([(X0, Y0, 25.0)]))
    footprint_ratio = 32 / (2 * math.pi) * math.sin(2 * math.pi / 32)
    assert cov.area_m2 == pytest.approx(math.pi * 2500 * footprint_ratio, rel=1e-9)
    assert cov.share == pytest.approx(0.25 * DISC_RATIO / footprint_ratio, rel=1e-9)


def test_no_camera_and_degenerate_cameras_cover_nothing():
    assert camera_coverage(AREA, None).share == 0.0
    assert camera_coverage(AREA, cameras([(X0, Y0, 0.0), (X0, Y0, 50.0, 0.0, 0.0)])).share == 0.0
