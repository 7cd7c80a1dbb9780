"""Context axes: what surrounds an event besides its own eight published axes.

Three optional axes, each a few columns appended to the forest's matrix after
the published ones (:data:`CONTEXT_AXES`):

``background`` — column ``bg_rate``
    The background incident rate around the footprint at the event's hours of
    the week, in facts per hour.  *Background facts* are the facts that no
    event counts (outside every event's window and radius, SPEC §3).  For an
    event starting at ``s`` the rate uses only the background facts of the
    ``weeks`` weeks before ``s - before_h`` (its own pre-window is excluded:
    those facts are part of its score), so no fact after (or during) the event
    feeds it:

    ``bg_rate = N_disk × share(S) / (|S| × W)``

    ``N_disk``: background facts within the score's radius of the footprint
    (cells of ``cell_m`` metres whose centre lies in the footprint buffered by
    the radius), ``W``: weeks covered by facts in the window, ``S``: the hours
    of the week the event's window [start − before, end + after] touches
    (local time), ``share(S)``: the share of the city's background facts of
    the same weeks that fell in those hours.  The place's count and the city's
    hour profile are estimated separately and multiplied, because a 300 m disc
    sees too few facts per hour of the week for an hour-by-hour count.

``weather`` — columns ``temperature`` (°C), ``precipitation`` (mm), ``wind`` (m/s)
    Of the event's start day (local date), from a table the user imports
    (:func:`read_weather`, which also reads Météo-France's daily open data
    columns ``AAAAMMJJ``, ``TM``/``TN``/``TX``, ``RR``, ``FFM``).

``load`` — columns ``load_events``, ``load_participants``
    The city's load that day: the other events of the same local day that
    started before this one (strictly), and their participants.  Events that
    start later are not counted, so no later event feeds the context.

A value that cannot be computed (no weather that day, less than a week of
facts before the event) is filled with the training events' median, and
the explanation says so.  Everything here is pure numpy/shapely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.axes import Axis
from tranquillite_plugin.core.footprint import footprints
from tranquillite_plugin.core.score import FactIndex, ScoreSettings, counted_facts, event_windows
from tranquillite_plugin.core.timeutil import HOUR_US, TZ, parse_datetimes, to_epoch_us

WEEK_S = 7 * 86400
SECOND_US = 1_000_000

#: the optional context axes, in display order
CONTEXT_AXES: tuple[Axis, ...] = (
    Axis(
        "background",
        "Incidents de fond ici à ces heures (faits/h)",
        "Background incidents here at these hours (facts/h)",
        ("bg_rate",),
    ),
    Axis("weather", "Météo du jour", "Weather of the day", ("temperature", "precipitation", "wind")),
    Axis("load", "Charge de la ville ce jour-là", "City's load that day", ("load_events", "load_participants")),
)
CONTEXT_IDS: tuple[str, ...] = tuple(a.id for a in CONTEXT_AXES)
#: long-tailed context columns (log1p before distances)
CONTEXT_SKEWED: tuple[str, ...] = ("bg_rate", "precipitation", "load_events", "load_participants")
COLUMN_LABELS = {
    "bg_rate": ("incidents de fond (faits/h)", "background incidents (facts/h)"),
    "temperature": ("température (°C)", "temperature (°C)"),
    "precipitation": ("précipitations (mm)", "precipitation (mm)"),
    "wind": ("vent (m/s)", "wind (m/s)"),
    "load_events": ("autres événements ce jour-là", "other events that day"),
    "load_participants": ("leurs participants", "their participants"),
}


def context_axis(axis_id: str) -> Axis:
    for a in CONTEXT_AXES:
        if a.id == axis_id:
            return a
    raise KeyError(f"unknown context axis '{axis_id}' (one of {', '.join(CONTEXT_IDS)})")


def check_context(context) -> tuple[str, ...]:
    """Context axis ids -> canonical tuple (display order, no duplicates); ValueError on an unknown id."""
    if context is None:
        return ()
    if isinstance(context, str):
        context = [c for c in context.replace(";", ",").split(",")]
    wanted = {str(c).strip().lower() for c in context if str(c).strip()}
    unknown = sorted(wanted - set(CONTEXT_IDS))
    if unknown:
        raise ValueError(f"unknown context axis {', '.join(map(repr, unknown))} (one of {', '.join(CONTEXT_IDS)})")
    return tuple(c for c in CONTEXT_IDS if c in wanted)


def context_columns(context: Sequence[str]) -> tuple[str, ...]:
    return tuple(c for a in CONTEXT_AXES if a.id in set(context) for c in a.columns)


# --- weather ------------------------------------------------------------------------

#: accepted names of each weather column (lower case); Météo-France's daily files first
_WEATHER_NAMES = {
    "date": ("aaaammjj", "date", "day", "jour"),
    "temperature": ("tm", "temperature", "température", "temp", "tmoy"),
    "precipitation": ("rr", "precipitation", "précipitations", "precipitations", "pluie", "rain"),
    "wind": ("ffm", "wind", "vent", "wind_ms"),
}


def local_day(start_us) -> np.ndarray:
    """Local (Europe/Paris) calendar day of instants, as days since 1970-01-01."""
    if len(start_us) <= 32:  # a planned event: plain Timestamps (same answer, no pandas overhead)
        return np.array([pd.Timestamp(int(v), unit="us", tz="UTC").tz_convert(TZ).tz_localize(None).normalize().value // 86_400_000_000_000
                         for v in np.asarray(start_us, np.int64)], np.int64)
    s = pd.Series(np.asarray(start_us, np.int64).view("datetime64[us]")).dt.tz_localize("UTC").dt.tz_convert(TZ)
    return (s.dt.tz_localize(None).dt.normalize().astype("datetime64[us]").to_numpy().view(np.int64) // (86400 * SECOND_US)).astype(np.int64)


@dataclass
class WeatherTable:
    """Daily weather: ``day`` (days since 1970-01-01, sorted, unique) and one value array per column."""

    day: np.ndarray
    temperature: np.ndarray
    precipitation: np.ndarray
    wind: np.ndarray

    def __len__(self) -> int:
        return len(self.day)

    def values(self, days) -> np.ndarray:
        """``(n, 3)`` temperature, precipitation, wind of each day (NaN where the table has no row)."""
        days = np.asarray(days, np.int64)
        out = np.full((len(days), 3), np.nan)
        if not len(self.day):
            return out
        pos = np.clip(np.searchsorted(self.day, days), 0, len(self.day) - 1)
        hit = self.day[pos] == days
        table = np.column_stack([self.temperature, self.precipitation, self.wind])
        out[hit] = table[pos[hit]]
        return out

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "date": pd.to_datetime(self.day, unit="D").date,
                "temperature": self.temperature,
                "precipitation": self.precipitation,
                "wind": self.wind,
            }
        )


def read_weather(frame: pd.DataFrame, name: str = "weather") -> WeatherTable:
    """A weather table -> :class:`WeatherTable`; ValueError naming the row and field on bad input.

    Columns (any case): ``date`` (or Météo-France's ``AAAAMMJJ``, ``YYYYMMDD``
    digits or an ISO date), ``temperature`` (°C; or ``TM``, else the mean of
    ``TN`` and ``TX``), ``precipitation`` (mm; or ``RR``), ``wind`` (m/s; or
    ``FFM``).  Empty cells are allowed (the axis falls back to the training
    median); a repeated date keeps the last row.  Météo-France files carry
    one row per station and day: pass one station's rows.
    """
    cols = {str(c).strip().lower(): c for c in frame.columns}

    def find(key):
        for n in _WEATHER_NAMES[key]:
            if n in cols:
                return cols[n]
        return None

    dcol = find("date")
    if dcol is None:
        raise ValueError(f"table '{name}' has no date column (date or AAAAMMJJ)")
    raw = frame[dcol]
    text = raw.astype(str).str.strip()
    digits = text.str.fullmatch(r"\d{8}(\.0)?")
    parsed = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if digits.any():
        parsed[digits] = pd.to_datetime(text[digits].str[:8], format="%Y%m%d", errors="coerce")
    rest = ~digits
    if rest.any():
        vals = raw[rest]
        if isinstance(vals.dtype, pd.DatetimeTZDtype):
            vals = vals.dt.tz_convert(TZ).dt.tz_localize(None)
        else:
            got, _bad = parse_datetimes(vals.astype(object).where(vals.notna(), None))
            vals = got.dt.tz_convert(TZ).dt.tz_localize(None) if isinstance(got.dtype, pd.DatetimeTZDtype) else got
        parsed[rest] = pd.to_datetime(vals, errors="coerce").dt.normalize()
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"table '{name}', row {i + 1}, field '{dcol}': {str(raw.iloc[i])[:40]!r} is not a date")
    day = (parsed.astype("datetime64[us]").to_numpy().view(np.int64) // (86400 * SECOND_US)).astype(np.int64)

    def numeric(key, alt=None):
        c = find(key)
        if c is None and alt:
            lo, hi = cols.get(alt[0]), cols.get(alt[1])
            if lo is not None and hi is not None:
                return (numeric_col(lo) + numeric_col(hi)) / 2.0
            return np.full(len(frame), np.nan)
        if c is None:
            return np.full(len(frame), np.nan)
        return numeric_col(c)

    def numeric_col(c):
        vals = frame[c].to_numpy(object)
        out = np.full(len(vals), np.nan)
        for i, v in enumerate(vals):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            text = str(v).strip().replace(",", ".")
            if text == "" or text.lower() in ("nan", "none", "null"):
                continue
            try:
                out[i] = float(text)
            except ValueError:
                raise ValueError(f"table '{name}', row {i + 1}, field '{c}': {str(v)[:40]!r} is not a number") from None
            if not np.isfinite(out[i]):
                raise ValueError(f"table '{name}', row {i + 1}, field '{c}': {str(v)[:40]!r} is not a finite number")
        return out

    temp = numeric("temperature", ("tn", "tx"))
    rain = numeric("precipitation")
    wind = numeric("wind")
    if (np.nan_to_num(rain, nan=0.0) < 0).any():
        i = int(np.flatnonzero(np.nan_to_num(rain, nan=0.0) < 0)[0])
        raise ValueError(f"table '{name}', row {i + 1}: negative precipitation")
    if (np.nan_to_num(wind, nan=0.0) < 0).any():
        i = int(np.flatnonzero(np.nan_to_num(wind, nan=0.0) < 0)[0])
        raise ValueError(f"table '{name}', row {i + 1}: negative wind")
    order = np.argsort(day, kind="stable")
    day, temp, rain, wind = day[order], temp[order], rain[order], wind[order]
    last = np.ones(len(day), bool)
    last[:-1] = day[1:] != day[:-1]
    return WeatherTable(day[last], temp[last], rain[last], wind[last])


def demo_weather(first_day: str, last_day: str, seed: int = 0) -> pd.DataFrame:
    """A plausible daily weather table for Marseille (Météo-France's columns), deterministic.

    Mean temperature follows the season (about 7 °C in January, 25 °C in July)
    with autocorrelated noise; about 60 rainy days a year, more in autumn,
    amounts exponential (a few storms above 30 mm); wind gamma-distributed
    around 4 m/s with mistral spells.
    """
    days = pd.date_range(first_day, last_day, freq="D")
    n = len(days)
    rng = np.random.default_rng(seed + 7919)
    doy = days.dayofyear.to_numpy()
    season = 16.0 - 9.0 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    noise = np.zeros(n)
    eps = rng.normal(0, 1.4, n)
    for i in range(1, n):
        noise[i] = 0.75 * noise[i - 1] + eps[i]
    tm = np.round(season + noise, 1)
    month = days.month.to_numpy()
    p_rain = np.array([0.20, 0.17, 0.16, 0.20, 0.17, 0.11, 0.05, 0.08, 0.15, 0.24, 0.24, 0.20])[month - 1]
    wet = rng.random(n) < p_rain
    rr = np.where(wet, np.round(rng.exponential(7.0, n) + 0.2, 1), 0.0)
    mistral = np.zeros(n, bool)
    i = 0
    while i < n:
        if rng.random() < 0.04:
            k = int(rng.integers(2, 6))
            mistral[i : i + k] = True
            i += k
        i += 1
    ffm = np.round(rng.gamma(3.0, 1.3, n) + np.where(mistral, 7.0, 0.0), 1)
    return pd.DataFrame(
        {
            "AAAAMMJJ": days.strftime("%Y%m%d"),
            "TN": np.round(tm - rng.uniform(3, 6, n), 1),
            "TX": np.round(tm + rng.uniform(3, 6, n), 1),
            "TM": tm,
            "RR": rr,
            "FFM": ffm,
        }
    )


# --- background facts ----------------------------------------------------------------


def background_mask(
    facts: FactIndex,
    events: pd.DataFrame,
    settings: ScoreSettings | None = None,
) -> np.ndarray:
    """True for the facts (in ``facts``' time order) that no event counts."""
    settings = settings or ScoreSettings()
    keep = np.ones(len(facts), bool)
    if not len(events) or not len(facts):
        return keep
    fps = footprints(events["geometry"].to_numpy(object), settings.line_buffer_m, settings.point_buffer_m)
    lo, hi = event_windows(to_epoch_us(events["start"]), to_epoch_us(events["end"]), facts, settings)
    bounds = shapely.bounds(fps)
    for i in range(len(fps)):
        if hi[i] <= lo[i] or fps[i] is None or shapely.is_empty(fps[i]):
            continue
        keep[counted_facts(fps[i], lo[i], hi[i], bounds[i], facts, settings.radius_m)] = False
    return keep


def hour_of_week(t_us) -> np.ndarray:
    """Local hour of the week (0 = Monday 00:00–00:59 … 167) of instants."""
    if len(t_us) <= 32:
        out = []
        for v in np.asarray(t_us, np.int64):
            ts = pd.Timestamp(int(v), unit="us", tz="UTC").tz_convert(TZ)
            out.append(ts.dayofweek * 24 + ts.hour)
        return np.array(out, np.int64)
    s = pd.Series(np.asarray(t_us, np.int64).view("datetime64[us]")).dt.tz_localize("UTC").dt.tz_convert(TZ)
    return (s.dt.dayofweek.to_numpy() * 24 + s.dt.hour.to_numpy()).astype(np.int64)


@dataclass
class BackgroundFacts:
    """Background facts by cell and time, ready for many windows.

    ``cx``, ``cy``: cell of each fact (``floor(x / cell_m)``), ``t_s``: its
    time in seconds, ``how``: its local hour of the week.  ``known_from_s`` /
    ``known_to_s``: the period the facts cover (facts outside it are unknown,
    not absent): a window is counted only where it overlaps that period.
    """

    cx: np.ndarray
    cy: np.ndarray
    t_s: np.ndarray
    how: np.ndarray
    cell_m: float
    known_from_s: int
    known_to_s: int

    def __post_init__(self):
        self.cx = np.asarray(self.cx, np.int64)
        self.cy = np.asarray(self.cy, np.int64)
        self.t_s = np.asarray(self.t_s, np.int64)
        self.how = np.asarray(self.how, np.int64)
        cells = np.column_stack([self.cx, self.cy]) if len(self.cx) else np.zeros((0, 2), np.int64)
        uniq, inv = np.unique(cells, axis=0, return_inverse=True)
        inv = np.asarray(inv).ravel()
        self._cells = uniq
        self._span = int(max(1, self.known_to_s - self.known_from_s + 2))
        key = inv.astype(np.int64) * self._span + (self.t_s - self.known_from_s)
        self._key = np.sort(key)
        self._centres = shapely.points((uniq[:, 0] + 0.5) * self.cell_m, (uniq[:, 1] + 0.5) * self.cell_m) if len(uniq) else np.zeros(0, object)
        self._tree = shapely.STRtree(self._centres)
        # per hour of the week, the sorted times (the city's hour profile of any window)
        order = np.lexsort((self.t_s, self.how))
        self._how_key = self.how[order] * self._span + (self.t_s[order] - self.known_from_s)

    @classmethod
    def from_facts(cls, facts: FactIndex, mask: np.ndarray, cell_m: float = 100.0) -> BackgroundFacts:
        t_us = facts.t_us[mask]
        t_s = np.floor_divide(t_us, SECOND_US)
        known_from = int(facts.t_us[0] // SECOND_US) if len(facts) else 0
        known_to = int(facts.t_us[-1] // SECOND_US) + 1 if len(facts) else 0
        return cls(
            np.floor(facts.x[mask] / cell_m).astype(np.int64),
            np.floor(facts.y[mask] / cell_m).astype(np.int64),
            t_s,
            hour_of_week(t_us),
            float(cell_m),
            known_from,
            known_to,
        )

    def recent(self, weeks: float) -> BackgroundFacts:
        """The facts of the last ``weeks`` weeks only (what a saved model keeps)."""
        start = int(self.known_to_s - weeks * WEEK_S)
        keep = self.t_s >= start
        return BackgroundFacts(self.cx[keep], self.cy[keep], self.t_s[keep], self.how[keep], self.cell_m, max(start, self.known_from_s), self.known_to_s)

    def _city_hours(self, lo_s: np.ndarray, hi_s: np.ndarray) -> np.ndarray:
        """``(n, 168)`` background facts of the whole city per hour of the week in each window [lo, hi)."""
        h = np.arange(168, dtype=np.int64)[None, :] * self._span
        lo = np.clip(np.asarray(lo_s, np.int64) - self.known_from_s, 0, self._span - 1)[:, None]
        hi = np.clip(np.asarray(hi_s, np.int64) - self.known_from_s, 0, self._span - 1)[:, None]
        return np.searchsorted(self._how_key, h + hi, "left") - np.searchsorted(self._how_key, h + lo, "left")

    def rates(self, fps: np.ndarray, start_us, end_us, settings: ScoreSettings, weeks: float) -> np.ndarray:
        """``bg_rate`` of each footprint (NaN where less than a week of facts precedes it); see the module doc."""
        fps = np.asarray(fps, dtype=object)
        start_s = np.floor_divide(np.asarray(start_us, np.int64) - settings.before_us, SECOND_US)
        end_us = np.asarray(end_us, np.int64)
        n = len(fps)
        out = np.full(n, np.nan)
        if n == 0:
            return out
        hi = np.minimum(start_s, self.known_to_s)
        lo = np.maximum(hi - int(weeks * WEEK_S), self.known_from_s)
        covered = (hi - lo) / WEEK_S
        live = covered >= 1.0
        if not live.any() or not len(self._cells):
            return out
        # place: background facts within the radius of the footprint, in the window
        disks = shapely.buffer(fps, settings.radius_m, quad_segs=4)
        ev, cell = self._tree.query(disks, predicate="contains")
        keep = live[ev]
        ev, cell = ev[keep], cell[keep]
        base = cell.astype(np.int64) * self._span
        a = np.searchsorted(self._key, base + (lo[ev] - self.known_from_s), "left")
        b = np.searchsorted(self._key, base + (hi[ev] - self.known_from_s), "left")
        n_disk = np.bincount(ev, weights=(b - a), minlength=n)
        # hours: the city's share of background facts in the hours of the week the window touches
        city = self._city_hours(lo, hi)
        total = city.sum(axis=1)
        first_how = hour_of_week(np.asarray(start_us, np.int64) - settings.before_us)
        n_hours = np.ceil((end_us + settings.after_us - (np.asarray(start_us, np.int64) - settings.before_us)) / HOUR_US + 1e-9).astype(np.int64)
        n_hours = np.clip(n_hours, 1, 168)
        doubled = np.concatenate([np.zeros((n, 1), np.int64), np.cumsum(np.concatenate([city, city], axis=1), axis=1)], axis=1)
        idx = np.arange(n)
        in_slots = doubled[idx, first_how + n_hours] - doubled[idx, first_how]
        share = np.where(total > 0, in_slots / np.maximum(total, 1), 0.0)
        rate = n_disk * share / (n_hours * covered)
        out[live] = rate[live]
        return out


# --- the context of a set of events ---------------------------------------------------


@dataclass
class ContextSource:
    """What the context axes are computed from (the facts, the weather, the other events).

    ``background``: :class:`BackgroundFacts` (None without facts);
    ``weather``: :class:`WeatherTable` (None without a table);
    ``load_start_us`` / ``load_participants``: the events that make the city's
    load (the past events, plus the planned ones being predicted).
    """

    background: BackgroundFacts | None = None
    weather: WeatherTable | None = None
    load_start_us: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    load_participants: np.ndarray = field(default_factory=lambda: np.zeros(0))
    load_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, object))
    weeks: float = 52.0
    load_base: int = 0  # the first load_base load events are sorted by start with unique ids ...
    load_index: dict | None = None  # ... and this maps their id to their position (a model's past events)

    def with_events(self, start_us, participants, ids) -> ContextSource:
        """A copy whose load also counts these events (e.g. the planned batch)."""
        base = self.load_base if self.load_base else 0
        return ContextSource(
            self.background,
            self.weather,
            np.concatenate([self.load_start_us, np.asarray(start_us, np.int64)]),
            np.concatenate([self.load_participants, np.asarray(participants, float)]),
            np.concatenate([np.asarray(self.load_ids, object), np.asarray(ids, object)]),
            self.weeks,
            base if base == len(self.load_start_us) else 0,
            self.load_index if base == len(self.load_start_us) else None,
        )


def _day_starts(start_us: np.ndarray) -> np.ndarray:
    """UTC µs of the local midnight that starts each instant's day (Europe/Paris)."""
    if len(start_us) <= 32:
        return np.array([pd.Timestamp(int(v), unit="us", tz="UTC").tz_convert(TZ).normalize().value // 1000 for v in start_us], np.int64)
    day = local_day(start_us)
    day_start = pd.Series(day.astype("datetime64[D]").astype("datetime64[us]")).dt.tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    return to_epoch_us(day_start)


def city_load(start_us, ids, src_start_us, src_participants, src_ids, base: int = 0, base_index: dict | None = None) -> np.ndarray:
    """``(n, 2)``: other events of the same local day that started strictly before, and their participants.

    An event both among the sources' first ``base`` (a model's past events,
    sorted by start, unique ids, ``base_index``: id -> position) and later in
    the sources (the batch being predicted) counts once.
    """
    start_us = np.asarray(start_us, np.int64)
    n = len(start_us)
    out = np.zeros((n, 2))
    if not n or not len(src_start_us):
        return out
    src_start_us = np.asarray(src_start_us, np.int64)
    src_p = np.asarray(src_participants, float)
    day_start_us = _day_starts(start_us)
    if base and base_index is not None:
        b_s, b_p = src_start_us[:base], src_p[:base]
        cum = np.concatenate([[0.0], np.cumsum(b_p)])
        a = np.searchsorted(b_s, day_start_us, "left")
        b = np.searchsorted(b_s, start_us, "left")  # strictly before
        out[:, 0] = b - a
        out[:, 1] = cum[b] - cum[a]
        # the batch: keep the last copy of each id; a past event it repeats no longer counts as past
        e_ids = [str(v) for v in np.asarray(src_ids, object)[base:]]
        last = {v: j for j, v in enumerate(e_ids)}
        keep = np.array(sorted(last.values()), dtype=np.int64)
        e_s, e_p = src_start_us[base:][keep], src_p[base:][keep]
        dropped = np.array([base_index[v] for v in last if v in base_index], dtype=np.int64)
        for s_arr, p_arr, sign in ((e_s, e_p, 1.0), (b_s[dropped], b_p[dropped], -1.0)):
            if len(s_arr):
                inside = (s_arr[None, :] >= day_start_us[:, None]) & (s_arr[None, :] < start_us[:, None])
                out[:, 0] += sign * inside.sum(axis=1)
                out[:, 1] += sign * (inside * p_arr[None, :]).sum(axis=1)
        return out
    # deduplicate sources by id (an event both past and in the batch counts once)
    ids_all = np.asarray(src_ids, object).astype(str)
    _, first = np.unique(ids_all[::-1], return_index=True)
    keep = np.sort(len(ids_all) - 1 - first)
    src_start_us, src_p = src_start_us[keep], src_p[keep]
    order = np.argsort(src_start_us, kind="stable")
    s_sorted = src_start_us[order]
    cum_p = np.concatenate([[0.0], np.cumsum(src_p[order])])
    a = np.searchsorted(s_sorted, day_start_us, "left")
    b = np.searchsorted(s_sorted, start_us, "left")  # strictly before
    out[:, 0] = b - a
    out[:, 1] = cum_p[b] - cum_p[a]
    return out


def compute_context(
    context: Sequence[str],
    events: pd.DataFrame,
    raw: pd.DataFrame,
    source: ContextSource,
    settings: ScoreSettings | None = None,
) -> pd.DataFrame:
    """The context columns of ``events`` (clean frame) whose raw axes are ``raw`` (same order).

    NaN where a value cannot be computed; the caller fills it (the model keeps
    the training medians).
    """
    settings = settings or ScoreSettings()
    context = check_context(context)
    out = {}  # one frame at the end: a pandas column set one by one costs a millisecond each
    start_us = raw["start_us"].to_numpy(np.int64)
    if "background" in context:
        if source.background is None:
            raise ValueError("the background axis needs the facts (none were given)")
        fps = footprints(events["geometry"].to_numpy(object), settings.line_buffer_m, settings.point_buffer_m)
        end_us = start_us + np.round(raw["duration_h"].to_numpy(float) * HOUR_US).astype(np.int64)
        out["bg_rate"] = source.background.rates(fps, start_us, end_us, settings, source.weeks)
    if "weather" in context:
        if source.weather is None:
            raise ValueError("the weather axis needs a weather table (none was given)")
        vals = source.weather.values(local_day(start_us))
        out["temperature"] = vals[:, 0]
        out["precipitation"] = vals[:, 1]
        out["wind"] = vals[:, 2]
    if "load" in context:
        load = city_load(start_us, raw["event_id"].to_numpy(object), source.load_start_us, source.load_participants, source.load_ids,
                         source.load_base, source.load_index)
        out["load_events"] = load[:, 0]
        out["load_participants"] = load[:, 1]
    return pd.DataFrame(out, index=range(len(raw)))


__all__ = [
    "CONTEXT_AXES",
    "CONTEXT_IDS",
    "BackgroundFacts",
    "ContextSource",
    "WeatherTable",
    "background_mask",
    "check_context",
    "city_load",
    "compute_context",
    "context_axis",
    "context_columns",
    "demo_weather",
    "hour_of_week",
    "local_day",
    "read_weather",
]
