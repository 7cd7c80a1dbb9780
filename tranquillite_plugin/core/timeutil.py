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
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(TZ).astype(f"datetime64[us, {TZ}]"), np.zeros(n, dtype=bool)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return localize_naive(s), np.zeros(n, dtype=bool)
    us = np.full(n, _NAT, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    obj = s.astype(object).to_numpy()
    kind = pd.api.types.infer_dtype(obj, skipna=True) if n else "empty"
    if kind in ("string", "empty"):
        _parse_texts(obj, np.arange(n), us, bad)
    else:
        texts = np.array([isinstance(v, str) for v in obj])
        _parse_texts(obj[texts], np.flatnonzero(texts), us, bad)
        for i in np.flatnonzero(~texts):
            v = obj[i]
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
                continue
            if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp, np.datetime64)):
                ts = pd.Timestamp(v)
                if ts.tzinfo is None:
                    ts = ts.tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
                us[i] = (ts - _EPOCH) // pd.Timedelta(microseconds=1)
            else:
                bad[i] = True
    return from_epoch_us(us), bad


_NAT = np.iinfo(np.int64).min
_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")
_TAIL = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)$", re.IGNORECASE)


def _parse_texts(obj: np.ndarray, where: np.ndarray, us: np.ndarray, bad: np.ndarray) -> None:
    """Parses strings (None for missing) into ``us`` at positions ``where``."""
    if not len(where):
        return
    txt = pd.Series(obj, dtype=object).str.strip()
    present = (txt.notna() & (txt != "")).to_numpy()
    if not present.any():
        return
    txt = txt[present].reset_index(drop=True)
    pos = where[present]
    # an offset only counts after a time of day: "2024-05-01" is a date, not "-01"
    tails, uniques = pd.factorize(txt.str[-6:])
    tail_has_offset = np.array([bool(_TAIL.search(u)) for u in uniques], dtype=bool)
    has_off = tail_has_offset[tails] & txt.str.contains(":", regex=False).to_numpy()
    if has_off.any():
        parsed = pd.to_datetime(txt[has_off], errors="coerce", utc=True, format="ISO8601")
        _store(parsed.dt.tz_localize(None), pos[has_off], us, bad)
    if (~has_off).any():
        ntxt = txt[~has_off].reset_index(drop=True)
        parsed = pd.to_datetime(ntxt, errors="coerce", format="ISO8601")
        for fmt in _DAYFIRST_FORMATS:
            still = parsed.isna()
            if not still.any():
                break
            parsed[still] = pd.to_datetime(ntxt[still], errors="coerce", format=fmt)
        local = localize_naive(parsed).dt.tz_convert("UTC").dt.tz_localize(None)
        _store(local, pos[~has_off], us, bad)


def _store(naive_utc: pd.Series, pos: np.ndarray, us: np.ndarray, bad: np.ndarray) -> None:
    vals = naive_utc.astype(_UNIT).to_numpy()
    missing = np.isnat(vals)
    us[pos[~missing]] = vals[~missing].view(np.int64)
    bad[pos[missing]] = True


def to_epoch_us(series) -> np.ndarray:
    """tz-aware datetimes -> int64 microseconds since 1970-01-01 UTC (NaT -> min int)."""
    s = pd.Series(series)
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        s, _ = parse_datetimes(s)
    utc = s.dt.tz_convert("UTC").dt.tz_localize(None).astype(_UNIT)
    return utc.to_numpy().view(np.int64)


def from_epoch_us(values) -> pd.Series:
    """int64 microseconds since the epoch (UTC) -> tz-aware Europe/Paris (min int -> NaT)."""
    arr = np.asarray(values, dtype=np.int64).view(_UNIT)
    return pd.Series(arr).dt.tz_localize("UTC").dt.tz_convert(TZ)


HOUR_US = 3_600_000_000
