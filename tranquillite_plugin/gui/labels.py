"""Readable, translated labels for the contract's codes (natures, categories, kinds).

The codes stay the data's; these are what a person reads. Each label is a
literal inside :func:`tr` so that pylupdate extracts it; the French file
gives the French words.
"""

from __future__ import annotations

from typing import Dict

from tranquillite_plugin.i18n import tr
from tranquillite_plugin.styles import (  # noqa: F401 - re-exported: one table each, in styles
    AXIS_STATUS_COLORS,
    CATEGORY_COLORS,
    category_labels,
    nature_labels,
    status_labels,
)

#: the styles' colours, so that the docks' chart, the map and the event sheet agree
CATEGORY_COLOURS: Dict[str, str] = dict(CATEGORY_COLORS)
STATUS_COLOURS: Dict[str, str] = dict(AXIS_STATUS_COLORS)


def kind_labels() -> Dict[str, str]:
    return {
        "facts": tr("Facts (incidents)"),
        "events": tr("Past events"),
        "sectors": tr("Sectors"),
        "axes": tr("Traffic axes"),
        "cameras": tr("Cameras"),
        "planned": tr("Planned events"),
    }


def axis_labels() -> Dict[str, str]:
    return {
        "location": tr("Location"),
        "participants": tr("Participants"),
        "nature": tr("Nature"),
        "sector": tr("Sector"),
        "weekend": tr("Weekday or weekend"),
        "summer": tr("Winter or summer"),
        "area": tr("Footprint area"),
        "duration": tr("Duration"),
        "background": tr("Background incidents here at these hours"),
        "weather": tr("Weather of the day"),
        "load": tr("City's load that day"),
    }


def label(table: Dict[str, str], code) -> str:
    """The label of a code, or the code itself when it is not in the table."""
    code = "" if code is None else str(code)
    return table.get(code, code)


def nature_label(code) -> str:
    return label(nature_labels(), code)


def category_label(code) -> str:
    return label(category_labels(), code)
