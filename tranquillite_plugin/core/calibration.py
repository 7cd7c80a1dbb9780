"""A conformally calibrated band around the transferred score, in log space.

Split conformal prediction (Vovk et al., *Algorithmic Learning in a Random
World*, 2005; Lei et al., *JASA* 2018): the residuals ``r = log1p(observed)
- log1p(predicted)`` of ``n`` calibration events (the most recent part of
the training period, predicted by a model trained on the part before it) are
sorted, and for a central level ``L`` with ``a = (1 - L) / 2`` on each side

* the lower offset is the ``floor((n + 1) a)``-th smallest residual,
* the upper offset is the ``ceil((n + 1) (1 - a))``-th smallest residual.

If the calibration events and a new event are exchangeable, the new event's
residual falls below the lower offset with probability at most ``a`` and
above the upper one with probability at most ``a`` (each side at least
``a - 1/(n + 1)``), so the band ``[expm1(log1p(p) + lo), expm1(log1p(p) +
hi)]`` holds about ``L`` of the events with neither side above ``a``.  When
``n`` is too small for an order statistic (``floor((n + 1) a) < 1``), the
smallest (largest) residual is used (and, for the 80 % band, it is marked
``approximate``).

The offsets are computed for several levels (:data:`LEVELS`) so that the
backtest can draw a calibration chart (nominal level against observed
coverage); the product's band is the 80 % one (10 %–90 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

LEVELS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
BAND_LEVEL = 0.8
MIN_CALIBRATION = 20  # fewer calibration events: no conformal band (the weighted quantiles stay)


@dataclass
class ConformalBand:
    """Offsets in log1p space per central level: ``{level: (low, high)}``."""

    offsets: dict = field(default_factory=dict)
    n: int = 0
    approximate: bool = False
    period: tuple = ("", "")  # first and last start of the calibration events (ISO)
    coverage: float = float("nan")  # of the calibration events themselves by the 80 % band
    below: float = float("nan")
    above: float = float("nan")

    @classmethod
    def fit(cls, residuals, levels=LEVELS, period=("", "")) -> ConformalBand:
        r = np.sort(np.asarray(residuals, float)[np.isfinite(np.asarray(residuals, float))])
        n = len(r)
        if n == 0:
            raise ValueError("no calibration residual")
        offsets = {}
        approximate = False
        for level in levels:
            a = (1.0 - float(level)) / 2.0
            k_lo = int(math.floor((n + 1) * a + 1e-9))
            k_hi = int(math.ceil((n + 1) * (1 - a) - 1e-9))
            if (k_lo < 1 or k_hi > n) and float(level) == BAND_LEVEL:
                approximate = True
            lo = r[min(max(k_lo, 1), n) - 1]
            hi = r[min(max(k_hi, 1), n) - 1]
            offsets[float(level)] = (float(lo), float(hi))
        lo, hi = offsets.get(BAND_LEVEL, offsets[max(offsets)])
        return cls(
            offsets=offsets,
            n=n,
            approximate=approximate,
            period=tuple(str(p) for p in period),
            coverage=float(np.mean((r >= lo) & (r <= hi))),
            below=float(np.mean(r < lo)),
            above=float(np.mean(r > hi)),
        )

    def band(self, predicted, level: float = BAND_LEVEL):
        """(low, high) score bounds around ``predicted`` (scores, not logs) at ``level``."""
        lo, hi = self.offsets[float(level)]
        p = np.log1p(np.maximum(np.asarray(predicted, float), 0.0))
        return np.expm1(np.maximum(p + lo, 0.0)), np.expm1(np.maximum(p + hi, 0.0))

    def to_dict(self) -> dict:
        return {
            "method": "split conformal, log1p residuals",
            "levels": [float(k) for k in sorted(self.offsets)],
            "low": [float(self.offsets[k][0]) for k in sorted(self.offsets)],
            "high": [float(self.offsets[k][1]) for k in sorted(self.offsets)],
            "n": int(self.n),
            "approximate": bool(self.approximate),
            "period": list(self.period),
            "coverage": _num(self.coverage),
            "below": _num(self.below),
            "above": _num(self.above),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ConformalBand:
        levels, low, high = data["levels"], data["low"], data["high"]
        if not (len(levels) == len(low) == len(high)) or not levels:
            raise ValueError("calibration levels and offsets differ in length")
        offsets = {}
        for lv, lo, hi in zip(levels, low, high):
            lv, lo, hi = float(lv), float(lo), float(hi)
            if not (0 < lv < 1 and np.isfinite(lo) and np.isfinite(hi) and lo <= hi):
                raise ValueError(f"calibration offsets of level {lv} are not valid")
            offsets[lv] = (lo, hi)
        if BAND_LEVEL not in offsets:
            raise ValueError("calibration lacks the 80 % band")
        period = tuple(str(p) for p in data.get("period", ("", "")))
        return cls(
            offsets,
            int(data.get("n", 0)),
            bool(data.get("approximate", False)),
            period,
            _den(data.get("coverage")),
            _den(data.get("below")),
            _den(data.get("above")),
        )


def _num(v):
    return None if v is None or not np.isfinite(v) else float(v)


def _den(v):
    return float("nan") if v is None else float(v)


def coverage_table(observed, predicted, band: ConformalBand) -> list:
    """Observed coverage of each level's band: ``[{level, coverage, below, above}]`` (the calibration chart)."""
    o = np.asarray(observed, float)
    rows = []
    for level in sorted(band.offsets):
        lo, hi = band.band(predicted, level)
        rows.append(
            {
                "level": float(level),
                "coverage": float(np.mean((o >= lo) & (o <= hi))) if len(o) else float("nan"),
                "below": float(np.mean(o < lo)) if len(o) else float("nan"),
                "above": float(np.mean(o > hi)) if len(o) else float("nan"),
            }
        )
    return rows


__all__ = ["BAND_LEVEL", "LEVELS", "MIN_CALIBRATION", "ConformalBand", "coverage_table"]
