"""Datetimes of the contract: local time Europe/Paris (SPEC §2).

Naive values are local time; values with an offset are converted. Internally
every datetime column is ``datetime64[us, Europe/Paris]``; arithmetic on
instants (the score's time window) uses integer microseconds since the epoch
(UTC), so that comparisons are exact and DST changes do not move a window.

An ambiguous local time (the repeated hour in October) is read as the first
one (summer time); a non-existent one (the skipped hour in March) is moved
forward to the first valid instant.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Tuple

import numpy as np
import pandas as pd

TZ = "Europe/Paris"
# an offset after a time of day: "...10:00:00+02:00", "...10:00Z" (not "2024-05-01")
_OFFSET = re.compile(r"\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)$", re.IGNORECASE)
_DAYFIRST_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y")
_UNIT = "datetime64[us]"


def localize_naive(values) -> pd.Series:
    """Naive datetimes (local wall time) -> tz-aware Europe/Paris."""
    s = pd.Series(pd.to_datetime(pd.Series(values), errors="coerce")).astype(_UNIT)
    return s.dt.tz_localize(TZ, ambiguous=np.ones(len(s), dtype=bool), nonexistent="shift_forward")


def parse_datetimes(values) -> Tuple[pd.Series, np.ndarray]:
    """Any column of datetimes -> (tz-aware Europe/Paris series, unreadable mask).

    Accepts datetime64 (naive or aware), Python datetimes, and strings in
    ISO 8601 (with or without an offset) or French day-first form
    (``23/11/2026 14:30``). Missing values come back as NaT and are not marked
    unreadable; the caller decides whether they are allowed.
    """
    s = pd.Series(values).reset_index(drop=True)
    n = len(s)
    out = pd.Series(pd.NaT, index=range(n), dtype=f"datetime64[us, {TZ}]")
    bad = np.zeros(n, dtype=bool)
    if n == 0:
        return out, bad
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(TZ).astype(f"datetime64[us, {TZ}]"), bad
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return localize_naive(s), bad

    missing = s.isna().to_numpy().copy()
    obj = s.astype(object).to_numpy()
    is_str = np.array([isinstance(v, str) for v in obj])
    texts = np.array([v.strip() if isinstance(v, str) else "" for v in obj], dtype=object)
    missing |= is_str & (texts == "")
    # datetime objects (from QGIS or Python)
    is_dt = np.array([isinstance(v, (_dt.datetime, pd.Timestamp)) for v in obj])
    is_date = np.array([isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in obj])
    for i in np.flatnonzero(is_dt | is_date):
        v = obj[i]
        ts = pd.Timestamp(v)
        if ts.tzinfo is None:
            ts = ts.tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
        out.iloc[i] = ts.tz_convert(TZ)
    todo = is_str & ~missing
    other = ~missing & ~is_str & ~is_dt & ~is_date
    bad |= other
    if todo.any():
        idx = np.flatnonzero(todo)
        txt = pd.Series(texts[idx])
        has_off = txt.str.contains(_OFFSET).to_numpy()
        if has_off.any():
            parsed = pd.to_datetime(txt[has_off], errors="coerce", utc=True, format="ISO8601")
            out.iloc[idx[has_off]] = parsed.dt.tz_convert(TZ).to_numpy()
            bad[idx[has_off]] = parsed.isna().to_numpy()
        naive_idx = idx[~has_off]
        if len(naive_idx):
            ntxt = pd.Series(texts[naive_idx])
            parsed = pd.to_datetime(ntxt, errors="coerce", format="ISO8601")
            for fmt in _DAYFIRST_FORMATS:
                still = parsed.isna()
                if not still.any():
                    break
                parsed[still] = pd.to_datetime(ntxt[still], errors="coerce", format=fmt)
            local = localize_naive(parsed)
            out.iloc[naive_idx] = local.to_numpy()
            bad[naive_idx] = local.isna().to_numpy()
    return out, bad


def to_epoch_us(series) -> np.ndarray:
    """tz-aware datetimes -> int64 microseconds since 1970-01-01 UTC (NaT -> min int)."""
    s = pd.Series(series)
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        s, _ = parse_datetimes(s)
    utc = s.dt.tz_convert("UTC").dt.tz_localize(None).astype(_UNIT)
    return utc.to_numpy().view(np.int64)


def from_epoch_us(values) -> pd.Series:
    """int64 microseconds since the epoch (UTC) -> tz-aware Europe/Paris."""
    arr = np.asarray(values, dtype=np.int64).view(_UNIT)
    return pd.Series(arr).dt.tz_localize("UTC").dt.tz_convert(TZ)


HOUR_US = 3_600_000_000
