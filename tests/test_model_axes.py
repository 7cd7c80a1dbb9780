"""The eight factor axes on hand-made events (SPEC §4)."""

import math

import numpy as np
import pandas as pd
import pytest
import shapely
from conftest_model import make_sectors, one_event

from tranquillite_plugin.core.axes import (
    AXES,
    AXIS_IDS,
    COLUMNS,
    AxisEncoder,
    CategoryCodes,
    assign_sectors,
    axis_importances,
    axis_label,
    event_axes,
    sector_of_points,
    standardised,
    summer_time,
)

P = shapely.Point(890_500.0, 6_245_500.0)


def axes_of(start, end, geometry=P, **kw):
    return event_axes(one_event("e", geometry, start, end, **kw)).iloc[0]


def test_eight_axes_with_labels():
    assert len(AXES) == 8
    assert AXIS_IDS == ("location", "participants", "nature", "sector", "weekend", "summer", "area", "duration")
    assert COLUMNS[:2] == ("x", "y")
    assert axis_label("summer", "fr") == "Hiver ou été"
    assert axis_label("summer", "en") == "Winter or summer"
    with pytest.raises(KeyError):
        axis_label("colour")


@pytest.mark.parametrize(
    "start, weekend",
    [
        ("2024-05-31 23:59", 0),  # Friday
        ("2024-06-01 00:00", 1),  # Saturday
        ("2024-06-02 23:59", 1),  # Sunday
        ("2024-06-03 00:00", 0),  # Monday
        (pd.Timestamp("2024-05-31 22:30", tz="UTC"), 1),  # Friday in UTC, Saturday 00:30 in Paris
        (pd.Timestamp("2024-06-02 22:30", tz="UTC"), 0),  # Sunday in UTC, Monday 00:30 in Paris
    ],
)
def test_weekend_is_read_in_paris_time(start, weekend):
    end = pd.Timestamp(start) + pd.Timedelta(hours=1)
    assert axes_of(start, end)["weekend"] == weekend


@pytest.mark.parametrize(
    "start, summer",
    [
        ("2024-03-31 01:59", 0),  # last minute of winter time
        ("2024-03-31 03:00", 1),  # clocks went 02:00 -> 03:00
        (pd.Timestamp("2024-10-27 00:30", tz="UTC"), 1),  # 02:30 CEST, first pass
        (pd.Timestamp("2024-10-27 01:30", tz="UTC"), 0),  # 02:30 CET, second pass
        ("2024-10-27 03:00", 0),
        ("2024-07-14 12:00", 1),
        ("2024-01-15 12:00", 0),
        ("1975-07-14 12:00", 0),  # France had no daylight saving time from 1946 to 1975
        ("1976-07-14 12:00", 1),
    ],
)
def test_summer_is_daylight_saving_time_in_paris(start, summer):
    end = pd.Timestamp(start) + pd.Timedelta(hours=1)
    assert axes_of(start, end)["summer"] == summer


def test_summer_time_vectorised_matches_dst_of_each_timestamp():
    s = pd.Series(pd.date_range("2023-01-01", "2025-12-31", freq="7h", tz="Europe/Paris"))
    expected = np.array([t.dst() != pd.Timedelta(0) for t in s])
    assert (summer_time(s) == expected).all()


def test_area_of_a_buffered_point_is_the_32_gon_close_to_pi_r2():
    a = axes_of("2024-05-01 10:00", "2024-05-01 12:00")
    # GEOS buffer, 8 segments per quarter circle: a regular 32-gon inscribed in the circle
    polygon = 0.5 * 32 * 50.0**2 * math.sin(2 * math.pi / 32)
    assert a["area_m2"] == pytest.approx(polygon, rel=1e-9)
    assert a["area_m2"] == pytest.approx(math.pi * 50.0**2, rel=0.01)
    assert (a["x"], a["y"]) == pytest.approx((P.x, P.y), abs=1e-6)


def test_area_of_a_line_and_of_a_polygon():
    line = shapely.LineString([(0, 0), (1000, 0)])
    a = axes_of("2024-05-01 10:00", "2024-05-01 12:00", geometry=line)
    assert a["area_m2"] == pytest.approx(2 * 15 * 1000 + math.pi * 15**2, rel=0.01)
    assert (a["x"], a["y"]) == pytest.approx((500, 0), abs=1e-6)
    box = shapely.box(0, 0, 200, 100)
    b = axes_of("2024-05-01 10:00", "2024-05-01 12:00", geometry=box)
    assert b["area_m2"] == pytest.approx(20_000)
    assert (b["x"], b["y"]) == pytest.approx((100, 50))


@pytest.mark.parametrize(
    "start, end, hours",
    [
        ("2024-05-01 10:00", "2024-05-01 12:30", 2.5),
        ("2024-05-01 10:00", "2024-05-01 10:00", 0.0),
        ("2024-10-27 00:00", "2024-10-27 06:00", 7.0),  # the night gains an hour
        ("2024-03-31 00:00", "2024-03-31 06:00", 5.0),  # the night loses one
    ],
)
def test_duration_is_elapsed_time(start, end, hours):
    assert axes_of(start, end)["duration_h"] == pytest.approx(hours)


def test_participants_nature_sector_pass_through():
    a = axes_of("2024-05-01 10:00", "2024-05-01 12:00", nature="sport", participants=1234, sector="S00")
    assert (a["participants"], a["nature"], a["sector"]) == (1234, "sport", "S00")


def test_missing_start_names_the_event():
    ev = one_event("bad-one", P, "2024-05-01 10:00", "2024-05-01 11:00")
    ev["start"] = pd.Series([pd.NaT], dtype="datetime64[us, Europe/Paris]")
    with pytest.raises(ValueError, match="bad-one.*start"):
        event_axes(ev)


def test_empty_footprint_names_the_event():
    ev = one_event("hollow", shapely.Polygon(), "2024-05-01 10:00", "2024-05-01 11:00")
    with pytest.raises(ValueError, match="hollow.*empty footprint"):
        event_axes(ev)


# --- sectors -----------------------------------------------------------------


def test_sector_of_points_inside_boundary_and_nearest():
    sectors = make_sectors()  # 4x4 squares of 2 km from (890000, 6245000); ids S{i}{j}
    pts = np.array(
        [
            shapely.Point(891_000, 6_246_000),  # inside S00
            shapely.Point(895_000, 6_252_000),  # inside S23
            shapely.Point(892_000, 6_246_000),  # on the S00/S10 boundary -> smallest id S00
            shapely.Point(892_000, 6_247_000),  # corner of S00, S01, S10, S11 -> S00
            shapely.Point(889_000, 6_252_000),  # 1 km west of S03 -> nearest S03
            shapely.Point(889_000, 6_251_000),  # as far from S02 as from S03 -> smallest id S02
            shapely.Point(899_000, 6_244_000),  # south-east corner outside -> S30
            None,
        ],
        dtype=object,
    )
    ids, inside = sector_of_points(pts, sectors.sample(frac=1.0, random_state=3))
    assert list(ids) == ["S00", "S23", "S00", "S00", "S03", "S02", "S30", ""]
    assert list(inside) == [True, True, True, True, False, False, False, False]


def test_assign_sectors_fills_only_the_empty_ones():
    sectors = make_sectors()
    ev = pd.concat(
        [
            one_event("a", shapely.Point(891_000, 6_246_000), "2024-05-01 10:00", "2024-05-01 11:00"),
            one_event("b", shapely.Point(891_000, 6_246_000), "2024-05-01 10:00", "2024-05-01 11:00", sector="MINE"),
            one_event("c", shapely.LineString([(893_000, 6_253_500), (895_000, 6_253_500)]), "2024-05-01 10:00", "2024-05-01 11:00"),
        ],
        ignore_index=True,
    )
    out = assign_sectors(ev, sectors)
    assert list(out["sector"]) == ["S00", "MINE", "S13"]
    assert list(ev["sector"]) == ["", "MINE", ""]  # input untouched
    assert list(assign_sectors(ev, None)["sector"]) == ["", "MINE", ""]


# --- encoding ----------------------------------------------------------------


def test_category_codes_follow_the_mean_target_and_place_unseen_in_the_middle():
    values = ["a"] * 10 + ["b"] * 10 + ["c"] * 10
    target = np.r_[np.full(10, 3.0), np.full(10, 1.0), np.full(10, 2.0)]
    codes = CategoryCodes.fit(values, target, smoothing=0.0)
    assert codes.codes == {"b": 0.0, "c": 1.0, "a": 2.0}
    # global mean 2.0: "b" is below it, so an unseen category sits between b and c
    assert codes.unseen == 0.5
    assert list(codes.transform(["a", "zzz", "b"])) == [2.0, 0.5, 0.0]
    again = CategoryCodes.from_dict(codes.to_dict())
    assert again.codes == codes.codes and again.unseen == codes.unseen


def test_smoothing_pulls_small_categories_to_the_mean():
    values = ["big"] * 100 + ["small"]
    target = np.r_[np.zeros(100), [10.0]]
    codes = CategoryCodes.fit(values, target, smoothing=10.0)
    glob = target.mean()
    assert codes.means["small"] == pytest.approx((10.0 + 10 * glob) / 11)


def test_encoder_matrix_columns():
    raw = pd.DataFrame(
        {
            "x": [1.0, 2.0],
            "y": [3.0, 4.0],
            "participants": [10.0, 20.0],
            "nature": ["sport", "concert"],
            "sector": ["S1", "S2"],
            "weekend": [0, 1],
            "summer": [1, 0],
            "area_m2": [100.0, 200.0],
            "duration_h": [1.0, 2.0],
        }
    )
    enc = AxisEncoder.fit(raw, np.array([1.0, 2.0]), smoothing=0.0)
    X = enc.transform(raw)
    assert X.shape == (2, len(COLUMNS))
    assert list(X[:, COLUMNS.index("nature")]) == [0.0, 1.0]  # sport lower target than concert
    assert list(X[:, COLUMNS.index("participants")]) == [10.0, 20.0]
    enc2 = AxisEncoder.from_dict(enc.to_dict())
    assert (enc2.transform(raw) == X).all()


def test_axis_importances_sum_location_columns():
    imp = np.zeros(len(COLUMNS))
    imp[COLUMNS.index("x")] = 0.2
    imp[COLUMNS.index("y")] = 0.3
    imp[COLUMNS.index("duration_h")] = 0.5
    frame = axis_importances(imp)
    assert list(frame["axis"][:2]) == ["location", "duration"]
    assert frame["importance"].iloc[0] == pytest.approx(0.5)
    assert frame["importance"].sum() == pytest.approx(1.0)


def test_standardised_uses_training_statistics():
    X = np.tile(np.arange(len(COLUMNS), dtype=float), (3, 1))
    X[:, 0] = [0.0, 1.0, 2.0]
    z, mean, std = standardised(X)
    assert z[:, 0] == pytest.approx([-1.2247449, 0.0, 1.2247449])
    assert (z[:, 1] == 0).all()  # constant column: std 1, centred
    z2, _, _ = standardised(X[:1] + 1.0, mean, std)
    assert z2[0, 0] == pytest.approx(0.0)


def test_summer_time_small_path_matches_the_vectorised_one():
    """Up to 32 starts go one by one (fast for a planned event): same answer as the vectorised path, DST edges included."""
    s = pd.Series(pd.date_range("2026-03-29 00:30", periods=80, freq="37min", tz="UTC")).dt.tz_convert("Europe/Paris")
    s = pd.concat([s, pd.Series(pd.date_range("2026-10-25 00:00", periods=40, freq="11min", tz="UTC")).dt.tz_convert("Europe/Paris")],
                  ignore_index=True)
    whole = summer_time(s)
    pieces = np.concatenate([summer_time(s.iloc[i : i + 7]) for i in range(0, len(s), 7)])
    assert (whole == pieces).all() and whole.any() and not whole.all()


def test_event_axes_small_path_matches_the_vectorised_one():
    """A few events (a planned one) go through plain Timestamps: same axes as inside a larger frame."""
    from conftest_model import make_events

    from tranquillite_plugin.core.axes import event_axes

    events, _, _, _ = make_events(80, seed=9)
    whole = event_axes(events)
    pieces = pd.concat([event_axes(events.iloc[i : i + 5].reset_index(drop=True)) for i in range(0, len(events), 5)], ignore_index=True)
    pd.testing.assert_frame_equal(whole, pieces)
