"""The plugin's settings in one place (QgsSettings, section "tranquillite").

The core keeps its own defaults (core.score.ScoreSettings); these are the
user's choices that outlive a session.
"""

from qgis.core import QgsSettings

SECTION = "tranquillite"
DEFAULTS = {
    "working_crs": "EPSG:2154",
    "radius_m": 300.0,
    "before_h": 2.0,
    "after_h": 2.0,
    "line_buffer_m": 15.0,
    "point_buffer_m": 50.0,
    "k": 20,
    "last_store": "",
}


def get(key: str):
    default = DEFAULTS[key]
    value = QgsSettings().value(f"{SECTION}/{key}", default)
    try:
        return type(default)(value)
    except (TypeError, ValueError):
        return default


def set(key: str, value) -> None:  # noqa: A001 - settings.set reads well
    if key not in DEFAULTS:
        raise KeyError(key)
    QgsSettings().setValue(f"{SECTION}/{key}", value)


def working_crs() -> str:
    return get("working_crs") or DEFAULTS["working_crs"]
