"""The plugin's settings in one place (QgsSettings, section "tranquillite").

The core keeps its own defaults (core.score.ScoreSettings,
core.forest.ForestSettings); these are the user's choices that outlive a
session, edited on the plugin's page of QGIS's Options dialog
(gui/settings_page.py).  The docks build their score and forest settings here
only (:func:`score_settings`, :func:`forest_settings`), so what the page saves
is what the next scoring, training and prediction use.

A value outside its range in the settings file (edited by hand) reads as its
default; writing one is refused with a message naming the setting.
"""

from __future__ import annotations

import json
import math
from typing import Dict, Iterable, List, Mapping, Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsSettings, QgsUnitTypes
from qgis.PyQt.QtCore import QObject, pyqtSignal

from tranquillite_plugin.core.contract import CATEGORIES, DEFAULT_CRS, DEFAULT_WEIGHTS, normalise_code
from tranquillite_plugin.i18n import tr

SECTION = "tranquillite"
DEFAULTS = {
    "working_crs": DEFAULT_CRS,
    "radius_m": 300.0,
    "before_h": 2.0,
    "after_h": 2.0,
    "line_buffer_m": 15.0,
    "point_buffer_m": 50.0,
    "weights": json.dumps(DEFAULT_WEIGHTS, sort_keys=True),
    "k": 20,
    "n_trees": 200,
    "min_leaf": 5,
    # beyond the published method (SPEC §4), each off by default: 0 or 1
    "auto": 0,
    "log_averaging": 0,
    "context_background": 0,
    "context_load": 0,
    "calibrate": 0,
    "last_store": "",
}
#: the switches beyond the published method, in display order
SWITCHES = ("auto", "log_averaging", "context_background", "context_load", "calibrate")
#: accepted range of each number (bounds included); the settings page uses the same ranges
LIMITS = {
    "radius_m": (0.0, 10_000.0),
    "before_h": (0.0, 168.0),
    "after_h": (0.0, 168.0),
    "line_buffer_m": (0.0, 1_000.0),
    "point_buffer_m": (0.0, 5_000.0),
    "k": (1, 500),
    "n_trees": (1, 2_000),
    "min_leaf": (1, 500),
    **{key: (0, 1) for key in ("auto", "log_averaging", "context_background", "context_load", "calibrate")},
}
WEIGHT_LIMITS = (0.0, 1_000.0)
#: the settings a score or a model depends on (recorded in the store with them)
MODEL_KEYS = ("working_crs", "radius_m", "before_h", "after_h", "line_buffer_m", "point_buffer_m", "weights", "k", "n_trees", "min_leaf",
              "auto", "log_averaging", "context_background", "context_load", "calibrate")


class _Notifier(QObject):
    changed = pyqtSignal(list)  # the keys whose value changed


_notifier: Optional[_Notifier] = None


def notifier() -> _Notifier:
    """Emits ``changed(keys)`` after :func:`update` or :func:`reset` changed settings."""
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


# --- reading and writing one value --------------------------------------------------------------


def _in_range(key: str, value) -> bool:
    if key not in LIMITS:
        return True
    low, high = LIMITS[key]
    return isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high


def get(key: str):
    default = DEFAULTS[key]
    value = QgsSettings().value(f"{SECTION}/{key}", default)
    try:
        value = type(default)(value)
    except (TypeError, ValueError):
        return default
    return value if _in_range(key, value) else default


def _checked(key: str, value):
    """``value`` as the type of the setting, or ValueError naming the setting and its range."""
    if key not in DEFAULTS:
        raise KeyError(key)
    if key == "weights":
        return json.dumps(_checked_weights(value if isinstance(value, Mapping) else _parse_weights(value)), sort_keys=True)
    if key == "working_crs":
        problem = working_crs_problem(value)
        if problem:
            raise ValueError(problem)
        return QgsCoordinateReferenceSystem(str(value)).authid()
    kind = type(DEFAULTS[key])
    if kind is str:
        return str(value)
    try:
        number = float(value)
        if kind is int and number != int(number):
            raise ValueError
        typed = int(number) if kind is int else number
    except (TypeError, ValueError, OverflowError):
        raise ValueError(tr("Setting '{}' must be a number, not {!r}.").format(key, value)) from None
    if not _in_range(key, typed):
        low, high = LIMITS[key]
        raise ValueError(tr("Setting '{}' must be between {} and {}, not {}.").format(key, low, high, value))
    return typed


def set(key: str, value) -> None:  # noqa: A001 - settings.set reads well
    QgsSettings().setValue(f"{SECTION}/{key}", _checked(key, value))


def update(values: Mapping[str, object]) -> List[str]:
    """Writes several settings at once (all checked first: none written when one is wrong).

    Returns the keys whose value changed, and tells :func:`notifier`'s listeners.
    """
    checked = {key: _checked(key, value) for key, value in values.items()}
    before = {key: get(key) for key in checked}
    store = QgsSettings()
    for key, value in checked.items():
        store.setValue(f"{SECTION}/{key}", value)
    changed = [key for key in checked if get(key) != before[key]]
    if changed:
        notifier().changed.emit(changed)
    return changed


def reset(keys: Optional[Iterable[str]] = None) -> List[str]:
    """Back to the defaults (``keys``, by default every setting but the last store)."""
    keys = [k for k in DEFAULTS if k != "last_store"] if keys is None else list(keys)
    before = {key: get(key) for key in keys}
    store = QgsSettings()
    for key in keys:
        if key not in DEFAULTS:
            raise KeyError(key)
        store.remove(f"{SECTION}/{key}")
    changed = [key for key in keys if get(key) != before[key]]
    if changed:
        notifier().changed.emit(changed)
    return changed


# --- typed views ----------------------------------------------------------------------------------


def working_crs() -> str:
    return get("working_crs") or DEFAULTS["working_crs"]


def working_crs_problem(value) -> str:
    """'' when ``value`` can be the working CRS, else why not (distances are metres in it)."""
    crs = value if isinstance(value, QgsCoordinateReferenceSystem) else QgsCoordinateReferenceSystem(str(value or ""))
    if not crs.isValid():
        return tr("'{}' is not a coordinate reference system QGIS knows.").format(value)
    if not crs.authid():
        return tr("The working CRS needs an authority code such as EPSG:2154.")
    if crs.isGeographic() or crs.mapUnits() != QgsUnitTypes.DistanceMeters:
        return tr("{} does not measure in metres: choose a projected CRS in metres (EPSG:2154, Lambert-93, for France).").format(crs.authid())
    return ""


def _parse_weights(text) -> Dict[str, float]:
    try:
        data = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        raise ValueError(tr("The category weights are not readable: {!r}.").format(text)) from None
    if not isinstance(data, Mapping):
        raise ValueError(tr("The category weights are not readable: {!r}.").format(text))
    return dict(data)


def _checked_weights(weights: Mapping[str, object]) -> Dict[str, float]:
    out = {}
    low, high = WEIGHT_LIMITS
    for category, value in weights.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not (math.isfinite(number) and low <= number <= high):
            raise ValueError(tr("The weight of category '{}' must be between {} and {}, not {!r}.").format(category, low, high, value))
        out[normalise_code(category)] = number
    return out


def weights() -> Dict[str, float]:
    """Weight of each fact category: the ten of the contract (defaults where not set) and any other saved."""
    merged = dict(DEFAULT_WEIGHTS)
    try:
        merged.update(_checked_weights(_parse_weights(get("weights"))))
    except ValueError:  # a hand-edited file: the defaults
        pass
    return merged


def set_weights(values: Mapping[str, float]) -> None:
    update({"weights": values})


def default_weights() -> Dict[str, float]:
    return {c: DEFAULT_WEIGHTS[c] for c in CATEGORIES}


def k() -> int:
    return int(get("k"))


def score_settings():
    """The score's settings (core.score.ScoreSettings) as the user set them."""
    from tranquillite_plugin.core.score import ScoreSettings

    return ScoreSettings(
        radius_m=get("radius_m"),
        before_h=get("before_h"),
        after_h=get("after_h"),
        line_buffer_m=get("line_buffer_m"),
        point_buffer_m=get("point_buffer_m"),
        weights=weights(),
    )


def forest_settings():
    """The forest's settings (core.forest.ForestSettings) as the user set them (seed and the rest: the core's)."""
    from tranquillite_plugin.core.forest import ForestSettings

    context = tuple(c for c, key in (("background", "context_background"), ("load", "context_load")) if get(key))
    return ForestSettings(
        n_trees=int(get("n_trees")),
        min_leaf=int(get("min_leaf")),
        k=k(),
        averaging="log" if get("log_averaging") else "raw",
        context=context,
        calibrate=bool(get("calibrate")),
    )


def auto_mode() -> bool:
    """True when the forest's settings are chosen by a backtest inside the training period (core.selection)."""
    return bool(get("auto"))


def model_settings() -> Dict[str, object]:
    """What a score and a model depend on, as plain values (for the store's settings table)."""
    out = {key: get(key) for key in MODEL_KEYS if key != "weights"}
    out["weights"] = weights()
    return out
