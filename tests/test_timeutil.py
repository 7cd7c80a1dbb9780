"""Datetimes of the contract: Europe/Paris rules, offsets, French forms, large columns in slices."""

import datetime as dt

import numpy as np
import pandas as pd

from tranquillite_plugin.core.timeutil import from_epoch_us, parse_datetimes, to_epoch_us


def test_forms_and_dst_rules():
    got, bad = parse_datetimes(
        ["2024-05-01", "2024-05-01T10:00:00Z", "2024-05-01 10:00:00.5+01:00", "2024-10-27 02:30",
         "2024-03-31 02:30", "junk", None, "23/11/2026 14:30", "", dt.datetime(2024, 1, 1, 12), 5]
    )
    text = [None if pd.isna(v) else str(v) for v in got]
    assert text[:5] == [
        "2024-05-01 00:00:00+02:00",
        "2024-05-01 12:00:00+02:00",
        "2024-05-01 11:00:00.500000+02:00",
        "2024-10-27 02:30:00+02:00",  # ambiguous: the first one (summer time)
        "2024-03-31 03:00:00+02:00",  # skipped hour: moved forward
    ]
    assert text[5:9] == [None, None, "2026-11-23 14:30:00+01:00", None]
    assert text[9] == "2024-01-01 12:00:00+01:00"
    assert bad.tolist() == [False] * 5 + [True, False, False, False, False, True]


def test_large_columns_parse_in_slices_without_mixing_them():
    n = 45_001
    values = np.array(["2024-01-15 08:00"] * n, dtype=object)
    values[19_999] = "2024-07-01T00:00:00Z"  # last of the first slice
    values[20_000] = "15/07/2024 09:30"  # first of the second
    values[40_000] = "not a date"
    values[45_000] = None
    got, bad = parse_datetimes(values)
    assert str(got[0]) == "2024-01-15 08:00:00+01:00" and str(got[44_999]) == "2024-01-15 08:00:00+01:00"
    assert str(got[19_999]) == "2024-07-01 02:00:00+02:00"
    assert str(got[20_000]) == "2024-07-15 09:30:00+02:00"
    assert bool(bad[40_000]) and not bool(bad[45_000]) and pd.isna(got[45_000])
    assert int(bad.sum()) == 1


def test_epoch_round_trip():
    got, _ = parse_datetimes(["2024-03-31 01:59:59", "2024-03-31 03:00:00"])
    us = to_epoch_us(got)
    assert us[1] - us[0] == 1_000_000  # one second apart across the spring-forward gap
    assert from_epoch_us(us).tolist() == got.tolist()
