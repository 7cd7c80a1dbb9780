"""Readable, translated labels for the contract's codes (natures, categories, kinds).

The codes stay the data's; these are what a person reads. Each label is a
literal inside :func:`tr` so that pylupdate extracts it; the French file
gives the French words.
"""

from __future__ import annotations

from typing import Dict

from tranquillite_plugin.i18n import tr
from tranquillite_plugin.styles import AXIS_STATUS_COLORS, CATEGORY_COLORS

#: the styles' colours, so that the docks' chart, the map and the event sheet agree
CATEGORY_COLOURS: Dict[str, str] = dict(CATEGORY_COLORS)
STATUS_COLOURS: Dict[str, str] = dict(AXIS_STATUS_COLORS)


def nature_labels() -> Dict[str, str]:
    return {
        "manifestation": tr("Demonstration"),
        "rassemblement": tr("Gathering"),
        "sport": tr("Sports event"),
        "concert": tr("Concert"),
        "festival": tr("Festival"),
        "marche": tr("March, parade"),
        "ceremonie": tr("Ceremony"),
        "travaux": tr("Roadworks"),
        "operation_police": tr("Police operation"),
        "autre": tr("Other"),
    }


def category_labels() -> Dict[str, str]:
    return {
        "main_courante": tr("Logbook entry"),
        "verbalisation": tr("Fine"),
        "enlevement": tr("Tow-away"),
        "secours": tr("Rescue"),
        "intervention": tr("Intervention"),
        "degradation": tr("Damage"),
        "violence": tr("Violence"),
        "vol": tr("Theft"),
        "nuisance": tr("Nuisance"),
        "autre": tr("Other"),
    }


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
    }


def status_labels() -> Dict[str, str]:
    return {
        "fluide": tr("Flowing"),
        "dense": tr("Dense"),
        "sature": tr("Saturated"),
        "ferme": tr("Closed"),
        "inconnu": tr("Unknown"),
    }


def label(table: Dict[str, str], code) -> str:
    """The label of a code, or the code itself when it is not in the table."""
    code = "" if code is None else str(code)
    return table.get(code, code)


def nature_label(code) -> str:
    return label(nature_labels(), code)


def category_label(code) -> str:
    return label(category_labels(), code)
