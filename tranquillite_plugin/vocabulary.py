"""The domain's words and colours: what each code of the contract is called and drawn in.

One table each, shared by the docks, the map styles and the event sheet. The codes stay
the data's; these are what a person reads. Each label is a literal inside :func:`tr` so
that pylupdate extracts it; the French file gives the French words. No widget, no QGIS.
"""

from __future__ import annotations

from typing import Dict

from tranquillite_plugin.i18n import tr

#: SPEC §5: fluide green, dense orange, sature red, ferme black, inconnu grey
AXIS_STATUS_COLORS: Dict[str, str] = {
    "fluide": "#2e9d3a",
    "dense": "#f28c0f",
    "sature": "#d7191c",
    "ferme": "#000000",
    "inconnu": "#9e9e9e",
}

#: the colour of each nature (the disc of its pictogram has the same colour)
NATURE_COLORS: Dict[str, str] = {
    "manifestation": "#c0392b",
    "rassemblement": "#e67e22",
    "sport": "#27ae60",
    "concert": "#8e44ad",
    "festival": "#d6337f",
    "marche": "#2e86c1",
    "ceremonie": "#6d4c41",
    "travaux": "#b7950b",
    "operation_police": "#1a237e",
    "autre": "#7f8c8d",
}

#: one colour per fact category (the docks' charts, the map and the event sheet agree)
CATEGORY_COLORS: Dict[str, str] = {
    "main_courante": "#8d99ae",
    "verbalisation": "#4f6d9a",
    "enlevement": "#7b8fc9",
    "secours": "#e9c46a",
    "intervention": "#f4a261",
    "degradation": "#b5651d",
    "violence": "#c0392b",
    "vol": "#8e44ad",
    "nuisance": "#2a9d8f",
    "autre": "#adb5bd",
}


def nature_labels() -> Dict[str, str]:
    """Natures in words: the map legends', the docks' and the event sheet's."""
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
    """Fact categories in words."""
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


def status_labels() -> Dict[str, str]:
    """Traffic axis statuses in words."""
    return {
        "fluide": tr("Flowing"),
        "dense": tr("Dense"),
        "sature": tr("Saturated"),
        "ferme": tr("Closed"),
        "inconnu": tr("Unknown"),
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
        "background": tr("Background incidents here at these hours"),
        "weather": tr("Weather of the day"),
        "load": tr("City's load that day"),
    }


def label(table: Dict[str, str], code) -> str:
    """The label of a code, or the code itself when it is not in the table."""
    code = "" if code is None else str(code)
    return table.get(code, code)


def nature_label(code) -> str:
    """The words of a nature code (the code itself when it has none)."""
    return label(nature_labels(), code)


def category_label(code) -> str:
    return label(category_labels(), code)


def status_label(code) -> str:
    return label(status_labels(), code)
