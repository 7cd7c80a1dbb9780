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
        # in slices: each pandas call holds the GIL, and a GUI thread waiting on it would freeze
        for lo in range(0, n, _SLICE):
            hi = min(n, lo + _SLICE)
            _parse_texts(obj[lo:hi], np.arange(lo, hi), us, bad)
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
_SLICE = 20_000
_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")
_TAIL = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)$", re.IGNORECASE)


def _parse_texts(obj: np.ndarray, where: np.ndarray, us: np.ndarray, bad: np.ndarray) -> None:
    """Parses strings (None for missing) into ``us`` at positions ``where``."""
    if not len(where):
        return
    # fast path: strict ISO 8601 with a zone, as GeoPackages hold them (store.ogr_io writes
    # "2026-07-14T22:30:00.000+02:00"); pandas takes ~2.5 µs per string with an offset
    obj = np.asarray(obj, dtype=object)
    fast_us, fast_ok = parse_iso_zoned(obj)
    if fast_ok.any():
        us[where[fast_ok]] = fast_us[fast_ok]
        if fast_ok.all():
            return
        obj = obj[~fast_ok]
        where = where[~fast_ok]
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


def _digits(cp: np.ndarray, cols) -> "tuple[np.ndarray, np.ndarray]":
    """Value of the decimal digits at columns ``cols`` of a code-point matrix, and whether all are digits."""
    value = np.zeros(len(cp), np.int64)
    ok = np.ones(len(cp), bool)
    for c in cols:
        d = cp[:, c].astype(np.int64) - 48
        ok &= (d >= 0) & (d <= 9)
        value = value * 10 + d
    return value, ok


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm), y >= 1."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def parse_iso_zoned(values: np.ndarray, chunk: int = 262_144) -> "tuple[np.ndarray, np.ndarray]":
    """Vectorised parse of strict ISO 8601 strings with a zone -> (µs since the epoch UTC, parsed).

    Accepts ``YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}](Z|±HH:MM)`` with a year in
    1678–2261 (where pandas agrees); anything else (naive values, other forms,
    invalid dates) is left unparsed for the general path, so the result is the
    same as ``pd.to_datetime(..., utc=True, format="ISO8601")`` on what it parses.
    """
    values = np.asarray(values, dtype=object)
    n = len(values)
    out = np.zeros(n, np.int64)
    done = np.zeros(n, bool)
    if not n:
        return out, done
    lens = np.fromiter((len(v) if isinstance(v, str) else 0 for v in values), np.int64, n)
    cand = np.flatnonzero((lens >= 20) & (lens <= 32))
    for start in range(0, len(cand), chunk):
        rows = cand[start : start + chunk]
        width = int(lens[rows].max())
        try:
            text = np.array(values[rows].tolist(), dtype=f"<U{width}")
        except (TypeError, ValueError):
            continue
        cp = text.view(np.uint32).reshape(len(rows), width)
        for length in np.unique(lens[rows]):
            sub = np.flatnonzero(lens[rows] == length)
            c = cp[sub]
            for zone in (1, 6):
                frac = int(length) - 19 - zone  # '.' and its digits
                if frac < 0 or frac == 1 or frac > 7:
                    continue
                year, ok = _digits(c, (0, 1, 2, 3))
                month, k = _digits(c, (5, 6))
                ok &= k
                day, k = _digits(c, (8, 9))
                ok &= k
                hour, k = _digits(c, (11, 12))
                ok &= k
                minute, k = _digits(c, (14, 15))
                ok &= k
                second, k = _digits(c, (17, 18))
                ok &= k
                ok &= (c[:, 4] == 45) & (c[:, 7] == 45) & ((c[:, 10] == 84) | (c[:, 10] == 32))
                ok &= (c[:, 13] == 58) & (c[:, 16] == 58)
                micro = np.zeros(len(sub), np.int64)
                if frac:
                    ok &= c[:, 19] == 46
                    f, k = _digits(c, range(20, 19 + frac))
                    ok &= k
                    micro = f * 10 ** (7 - frac)
                z = int(length) - zone
                if zone == 1:
                    ok &= c[:, z] == 90
                    offset = np.zeros(len(sub), np.int64)
                else:
                    sign = c[:, z]
                    ok &= ((sign == 43) | (sign == 45)) & (c[:, z + 3] == 58)
                    oh, k = _digits(c, (z + 1, z + 2))
                    ok &= k & (oh <= 23)
                    om, k = _digits(c, (z + 4, z + 5))
                    ok &= k & (om <= 59)
                    offset = np.where(sign == 45, -1, 1) * (oh * 60 + om)
                ok &= (year >= 1678) & (year <= 2261) & (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59) & (second <= 59)
                leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
                mdays = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
                ok &= (day >= 1) & (day <= mdays)
                if not ok.any():
                    continue
                days = _days_from_civil(year[ok], month[ok], day[ok])
                secs = days * 86400 + hour[ok] * 3600 + minute[ok] * 60 + second[ok] - offset[ok] * 60
                at = rows[sub[ok]]
                out[at] = secs * 1_000_000 + micro[ok]
                done[at] = True
    return out, done


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
