"""A deterministic demo city: a Marseille-like observatory in Lambert-93.

:func:`make_demo_city` builds, from a seed, every layer of the data contract
(SPEC §2) as clean frames, the same columns and types that
:func:`~tranquillite_plugin.core.contract.validate` returns:

* ``sectors``: 16 polygons tiling the land around the Vieux-Port (a Voronoi
  tessellation of named seeds, clipped to a coastline with the port's inlet);
* ``axes``: about 35 named boulevards with a traffic status;
* ``cameras``: 60 camera positions with a coverage radius, half of them with
  a bearing and a field of view;
* ``events``: past events of every nature, as points, itineraries (1–4 km
  routes that follow the boulevards), areas, and multi-part geometries;
* ``facts``: incidents, made by two mechanisms (below);
* ``planned``: five future events with no facts yet (a demonstration on La
  Canebière, a concert at the Vélodrome, a festival on the Vieux-Port quays,
  the 11 November ceremony, a rugby match).

How the facts are made, so that a model has something to learn and something
to be honest about:

1. **Around events** (40 % of the facts): each event gets a share of them in
   proportion to an intensity ``base(nature) × (1 + participants/200)^0.7 ×
   1.5 if weekend × 1.6 if at night × 1.3 if summer × hotness(place) ×
   (duration/3 h)^0.4 × (1 + area/2 ha)^0.25 × noise`` (noise: a gamma of mean
   1).  Demonstrations, sport and festivals are risky, ceremonies and works
   are not.  Those facts fall on or near the footprint (mostly within 300 m,
   some up to 500 m) and within the event's time ± about two hours; their
   categories follow the nature (sport: violence and damage; festivals:
   nuisance, first aid, theft; works: fines and tow-aways; police operations:
   fines and interventions).
2. **Background** (60 %): everywhere on land, at a rate that follows hot
   spots (Belsunce, Noailles, Saint-Charles, the port) and a per-sector
   factor, with daily, weekly and seasonal cycles.

Everything is vectorised numpy, and the same seed gives the same frames bit
for bit.  Coordinates are metres in EPSG:2154; datetimes are tz-aware
Europe/Paris.  Pure core: no QGIS, no GDAL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.contract import CATEGORIES, DEFAULT_CRS, NATURES
from tranquillite_plugin.core.timeutil import HOUR_US, TZ, from_epoch_us, localize_naive

CRS = DEFAULT_CRS
#: the layers of a demo city, in the order they are written
LAYERS = ("sectors", "axes", "cameras", "events", "facts", "planned")
#: Lambert-93 coordinates of the Vieux-Port (the Quai des Belges is 250 m east)
ORIGIN = (892_400.0, 6_247_000.0)
SOURCES = (
    "police municipale",
    "police nationale",
    "marins-pompiers",
    "samu",
    "centre de supervision urbain",
)
EVENT_SHARE = 0.4  # share of the facts made around events

# --- the map (metres relative to ORIGIN) ---------------------------------------

# coastline: sea to the west, the Vieux-Port inlet cut into it
_LAND = [
    (-1100, 3600), (-1250, 2800), (-1150, 2000), (-1000, 1200), (-1050, 600),
    (-1150, 180), (-850, 140), (-500, 165), (-100, 150), (150, 90), (150, -90),
    (-100, -150), (-500, -165), (-850, -140), (-1100, -170), (-1350, -200),
    (-1550, -400), (-1750, -900), (-1600, -1700), (-1350, -2500), (-1000, -3200),
    (-500, -3900), (-100, -4200), (3600, -4200), (3600, 3600),
]
_PORT_WATER = [(-850, 140), (-500, 165), (-100, 150), (150, 90), (150, -90), (-100, -150), (-500, -165), (-850, -140)]

# sector id, name, Voronoi seed, incident-rate factor
_SECTORS = [
    ("S01", "Vieux-Port", (-300, 0), 1.3),
    ("S02", "Le Panier", (-550, 600), 1.0),
    ("S03", "Joliette", (-650, 1500), 0.9),
    ("S04", "Euroméditerranée", (-200, 2800), 0.8),
    ("S05", "Belsunce", (400, 700), 1.5),
    ("S06", "Saint-Charles", (1100, 1400), 1.3),
    ("S07", "Noailles", (750, 100), 1.4),
    ("S08", "Cours Julien", (1350, -200), 1.2),
    ("S09", "La Plaine", (1900, 300), 1.2),
    ("S10", "Longchamp", (2600, 1600), 0.9),
    ("S11", "Castellane", (1600, -1300), 1.0),
    ("S12", "Vauban", (500, -1200), 0.7),
    ("S13", "Saint-Victor", (-450, -550), 0.8),
    ("S14", "Pharo", (-1300, -600), 0.6),
    ("S15", "Endoume", (-1100, -2000), 0.6),
    ("S16", "Prado", (1000, -3100), 0.8),
]

# hot spots of incidents: x, y, amplitude, sigma (m)
_HOTSPOTS = np.array(
    [
        (400, 700, 2.0, 450),
        (750, 100, 1.8, 380),
        (1100, 1300, 1.4, 400),
        (0, 0, 1.2, 450),
        (1500, 0, 1.1, 450),
        (-600, 1500, 0.5, 500),
        (1400, -1150, 0.6, 400),
        (2300, 1400, 0.4, 400),
    ],
    dtype=float,
)

_P = {  # named places
    "QB": (250, 0), "PARA": (500, 114), "CAN_MID": (800, 250), "ATH": (1150, 385), "REF": (1500, 520),
    "CAST": (1400, -1150), "PREF": (900, -650), "PAIX": (300, 1300), "STCH": (1100, 1250),
    "CJ": (1300, -100), "PLAINE": (1750, 250), "LONG": (2300, 1400), "RPP": (1300, -2900),
    "BORELY": (-200, -3800), "J4": (-900, 450), "DOCKS": (-400, 2700), "PSPORTS": (1900, -3000),
    "MONU": (-1450, -1450), "PHARO": (-1150, -350), "NDG": (-150, -1450), "JOL": (-550, 1450),
    "CINQ": (2500, 800), "BAILLE": (2200, -700), "HDV": (-350, 260), "CATALANS": (-1500, -600),
    "PERIER": (900, -1800), "RN1": (-300, -230), "RN2": (-850, -230), "LIEU": (1350, -700),
    "VAUB": (200, -1100), "PRADO1": (1350, -2100), "CORD": (-600, -700), "PAR2": (650, -1000),
    "DAMES_E": (500, 800), "NAT_E": (2700, 1750), "PARIS_E": (900, 2400),
}

_AXES = [
    ("La Canebière", ["QB", "PARA", "CAN_MID", "ATH", "REF"]),
    ("Rue de Rome", ["CAN_MID", "PREF", "CAST"]),
    ("Avenue du Prado", ["CAST", "PRADO1", "RPP"]),
    ("Avenue du Prado II", ["RPP", (600, -3350), "BORELY"]),
    ("Boulevard Michelet", ["RPP", (1700, -3300), (1900, -4100)]),
    ("Rue de la République", ["QB", (-200, 800), "JOL"]),
    ("Quai du Port", ["QB", "HDV", (-850, 220), "J4"]),
    ("Quai de Rive-Neuve", ["QB", "RN1", "RN2"]),
    ("Boulevard Charles Livon", ["RN2", "PHARO", "CATALANS"]),
    ("Corniche Kennedy", ["CATALANS", (-1650, -1000), "MONU", (-1300, -2400), (-900, -3200), "BORELY"]),
    ("Boulevard Longchamp", ["REF", (1900, 950), "LONG"]),
    ("Boulevard d'Athènes", ["ATH", "STCH"]),
    ("Boulevard National", ["STCH", (1800, 1550), "NAT_E"]),
    ("Cours Lieutaud", ["ATH", "CJ", "LIEU", "CAST"]),
    ("Boulevard Baille", ["LIEU", "BAILLE", (3000, -800)]),
    ("Rue Paradis", ["PARA", "PAR2", "PERIER", "RPP"]),
    ("Avenue de Toulon", ["CAST", (2300, -1350), (3300, -1700)]),
    ("Boulevard Chave", ["REF", "PLAINE", (2800, -250)]),
    ("Cours Belsunce", ["CAN_MID", "DAMES_E", "PAIX"]),
    ("Boulevard de Paris", ["JOL", (100, 2000), "PARIS_E"]),
    ("Boulevard des Dames", ["JOL", "PAIX"]),
    ("Avenue Camille Pelletan", ["PAIX", (500, 2100), (700, 2600)]),
    ("Rue Breteuil", ["RN1", "VAUB", "PERIER"]),
    ("Boulevard Vauban", ["NDG", "VAUB", "PAR2"]),
    ("Rue de Lodi", ["CJ", (1900, -350), "BAILLE"]),
    ("Boulevard du Littoral", ["J4", (-900, 1300), (-1000, 2100), (-1000, 3400)]),
    ("Boulevard Rabatau", ["RPP", (2100, -2300), (3000, -2400)]),
    ("Avenue Jules Cantini", ["CAST", (1700, -2100), "PSPORTS"]),
    ("Boulevard Sakakini", ["LONG", "CINQ", (2900, 0), (3000, -800)]),
    ("Boulevard de la Libération", ["REF", "CINQ"]),
    ("Avenue Roger Salengro", ["JOL", "DOCKS", (-200, 3500)]),
    ("Boulevard de Plombières", ["PARIS_E", (1500, 2600), "NAT_E"]),
    ("Boulevard Périer", ["PERIER", "PRADO1"]),
    ("Boulevard de la Corderie", ["RN1", "CORD", "NDG"]),
    ("Chemin du Roucas-Blanc", ["NDG", (-800, -2000), (-1300, -2400)]),
]

_VENUES = {
    "Vieux-Port": (250, 0), "Hôtel de Ville": (-350, 260), "Réformés": (1500, 520),
    "Préfecture": (900, -650), "Castellane": (1400, -1150), "Porte d'Aix": (300, 1300),
    "Saint-Charles": (1100, 1250), "Cours Julien": (1300, -100), "La Plaine": (1750, 250),
    "Palais Longchamp": (2300, 1400), "Vélodrome": (1500, -3350), "Borély": (-200, -3800),
    "J4 / Mucem": (-900, 450), "Dock des Suds": (-400, 2700), "Palais des Sports": (1950, -3000),
    "Stade Delort": (2200, -3550), "Monument aux morts": (-1450, -1450), "Pharo": (-1150, -350),
    "Notre-Dame de la Garde": (-150, -1450), "Joliette": (-550, 1450), "Cinq-Avenues": (2500, 800),
    "Rond-point du Prado": (1300, -2900),
}
_VENUE_NAMES = list(_VENUES)
# stadium footprints: venue, semi-axes (m), rotation (degrees), weight
_STADIUMS = [("Vélodrome", 125, 95, 15, 0.6), ("Palais des Sports", 60, 45, 0, 0.2), ("Stade Delort", 75, 52, 80, 0.2)]

# --- natures ---------------------------------------------------------------------

_NATURE_P = dict(zip(NATURES, (0.15, 0.12, 0.08, 0.10, 0.06, 0.07, 0.08, 0.14, 0.12, 0.08)))

# share placed at random (hot-spot weighted) rather than at a venue; venue weights
_PLACES = {
    "manifestation": (0.1, {"Vieux-Port": 4, "Réformés": 3, "Castellane": 2, "Préfecture": 2, "Porte d'Aix": 1, "Saint-Charles": 1, "Hôtel de Ville": 1}),
    "rassemblement": (0.4, {"Vieux-Port": 3, "Préfecture": 2, "Hôtel de Ville": 2, "Cours Julien": 1, "La Plaine": 1, "Réformés": 1, "Castellane": 1}),
    "sport": (0.15, {"Vélodrome": 5, "Palais des Sports": 2, "Stade Delort": 2, "Borély": 2, "Vieux-Port": 1}),
    "concert": (
        0.2,
        {"Vélodrome": 2, "Dock des Suds": 3, "Borély": 2, "J4 / Mucem": 2, "Pharo": 1, "Cours Julien": 1,
         "La Plaine": 1, "Palais des Sports": 1, "Vieux-Port": 1},
    ),
    "festival": (0.2, {"Vieux-Port": 3, "Borély": 3, "J4 / Mucem": 2, "Palais Longchamp": 2, "Cours Julien": 1, "La Plaine": 1, "Dock des Suds": 1}),
    "marche": (0.1, {"Vieux-Port": 3, "Palais Longchamp": 2, "Borély": 2, "Rond-point du Prado": 2, "Castellane": 1}),
    "ceremonie": (0.15, {"Monument aux morts": 4, "Hôtel de Ville": 3, "Préfecture": 2, "Notre-Dame de la Garde": 2, "Vieux-Port": 1}),
    "travaux": (1.0, {"Vieux-Port": 1}),
    "operation_police": (0.7, {"Saint-Charles": 2, "Porte d'Aix": 2, "Cours Julien": 1, "La Plaine": 1, "Joliette": 1}),
    "autre": (0.6, {"Vieux-Port": 1, "Palais Longchamp": 1, "Cinq-Avenues": 1, "Pharo": 1}),
}

_SHAPE_KINDS = ("point", "multipoint", "route", "multiroute", "section", "multisection", "blob", "rect", "stadium", "multiblob")
_SHAPES = {
    "manifestation": {"route": 0.72, "multiroute": 0.08, "point": 0.20},
    "rassemblement": {"point": 0.65, "blob": 0.20, "rect": 0.15},
    "sport": {"stadium": 0.5, "point": 0.3, "route": 0.2},
    "concert": {"blob": 0.35, "stadium": 0.15, "rect": 0.10, "point": 0.35, "multiblob": 0.05},
    "festival": {"blob": 0.45, "rect": 0.10, "multiblob": 0.30, "point": 0.15},
    "marche": {"route": 0.85, "multiroute": 0.05, "point": 0.10},
    "ceremonie": {"point": 0.8, "rect": 0.2},
    "travaux": {"rect": 0.35, "blob": 0.10, "section": 0.45, "multisection": 0.10},
    "operation_police": {"point": 0.45, "blob": 0.25, "rect": 0.15, "multipoint": 0.15},
    "autre": {"point": 0.5, "blob": 0.2, "rect": 0.1, "route": 0.2},
}
# half-size of areas (m)
_SIZES = {
    "manifestation": (30, 80), "rassemblement": (25, 70), "sport": (50, 100), "concert": (40, 140),
    "festival": (60, 220), "marche": (30, 80), "ceremonie": (15, 40), "travaux": (8, 35),
    "operation_police": (80, 250), "autre": (30, 100),
}
# itinerary length (m)
_ROUTES = {"manifestation": (1000, 4000), "marche": (1000, 4000), "sport": (2000, 4000), "autre": (1000, 2500)}

# participants: median, log-sigma, min, max
_PARTICIPANTS = {
    "manifestation": (1500, 1.0, 50, 60000), "rassemblement": (150, 0.9, 10, 8000),
    "sport": (8000, 1.1, 200, 67000), "concert": (2500, 1.1, 100, 65000),
    "festival": (6000, 1.0, 300, 100000), "marche": (700, 0.9, 30, 20000),
    "ceremonie": (150, 0.8, 10, 3000), "travaux": (10, 0.5, 2, 40),
    "operation_police": (25, 0.6, 4, 200), "autre": (200, 1.2, 5, 10000),
}
# duration (h): median, log-sigma, min, max
_DURATION = {
    "manifestation": (3, 0.35, 1.5, 6), "rassemblement": (2, 0.45, 0.5, 5), "sport": (2.5, 0.2, 1.5, 5),
    "concert": (4, 0.25, 2, 6), "festival": (8, 0.3, 4, 14), "marche": (3, 0.3, 1.5, 5),
    "ceremonie": (1.5, 0.3, 0.5, 3), "travaux": (6, 0.45, 2, 12), "operation_police": (2, 0.5, 0.5, 6),
    "autre": (3, 0.5, 1, 8),
}
# start hour (local): mean, sd, min, max
_START_HOUR = {
    "manifestation": (14, 2, 9.5, 18.5), "rassemblement": (16, 3, 8, 21), "sport": (18, 2.5, 13, 21),
    "concert": (20, 0.8, 18, 22), "festival": (14, 3.5, 9, 21), "marche": (10.5, 1.5, 8, 15),
    "ceremonie": (10.5, 1.5, 8, 18.5), "travaux": (8, 1.5, 6, 22), "operation_police": (12, 24, 0, 23.75),
    "autre": (14, 4, 7, 22),
}
# day-of-week factors (Monday..Sunday) and month factors (Jan..Dec)
_WEEKDAYS = {
    "manifestation": (1, 1.3, 1, 1.3, 1, 2.0, 0.5), "rassemblement": (1, 1, 1, 1, 1, 1.5, 1.2),
    "sport": (0.5, 0.6, 1, 0.6, 1.2, 2.5, 2.0), "concert": (0.5, 0.6, 0.8, 1, 1.8, 2.2, 1.5),
    "festival": (0.5, 0.5, 0.6, 0.8, 1.5, 2.5, 2.5), "marche": (0.6, 0.6, 0.6, 0.6, 0.8, 2.0, 2.5),
    "ceremonie": (1, 1, 1, 1, 1, 1, 1.2), "travaux": (1, 1, 1, 1, 1, 0.2, 0.05),
    "operation_police": (1, 1, 1, 1, 1.2, 1.2, 1), "autre": (1, 1, 1, 1, 1, 1.3, 1.3),
}
_MONTHS = {
    "manifestation": (1, 1, 1.2, 1, 1.3, 1.1, 0.4, 0.3, 1, 1.2, 1, 0.8),
    "sport": (1, 1, 1, 1, 1, 0.5, 0.2, 0.8, 1, 1, 1, 0.8),
    "concert": (0.6, 0.6, 0.8, 1, 1.2, 2, 2, 2, 1.5, 1, 0.8, 0.8),
    "festival": (0.3, 0.3, 0.5, 0.8, 1.2, 3, 3, 3, 2, 0.8, 0.4, 0.6),
    "marche": (0.8, 0.8, 1, 1.2, 1.3, 1.2, 1, 0.8, 1.2, 1.2, 1, 0.8),
    "travaux": (1, 1, 1, 1, 1, 1.2, 1.6, 1.6, 1, 1, 1, 0.6),
}

# risk of a nature (facts per event, before the other factors)
_BASE_RISK = dict(zip(NATURES, (3.0, 1.4, 3.2, 1.6, 2.6, 0.9, 0.2, 0.25, 1.5, 0.8)))

# category mix: columns in CATEGORIES order
# main_courante, verbalisation, enlevement, secours, intervention, degradation, violence, vol, nuisance, autre
_CAT_MIX = {
    "manifestation": (0.12, 0.05, 0.03, 0.10, 0.20, 0.20, 0.15, 0.06, 0.07, 0.02),
    "rassemblement": (0.15, 0.05, 0.02, 0.10, 0.18, 0.12, 0.12, 0.08, 0.16, 0.02),
    "sport": (0.10, 0.05, 0.05, 0.12, 0.15, 0.20, 0.20, 0.06, 0.05, 0.02),
    "concert": (0.12, 0.08, 0.06, 0.20, 0.10, 0.06, 0.06, 0.14, 0.16, 0.02),
    "festival": (0.10, 0.06, 0.05, 0.20, 0.08, 0.06, 0.07, 0.18, 0.18, 0.02),
    "marche": (0.20, 0.05, 0.03, 0.22, 0.15, 0.06, 0.05, 0.06, 0.16, 0.02),
    "ceremonie": (0.30, 0.15, 0.10, 0.15, 0.15, 0.03, 0.02, 0.03, 0.05, 0.02),
    "travaux": (0.15, 0.35, 0.30, 0.05, 0.05, 0.03, 0.01, 0.02, 0.02, 0.02),
    "operation_police": (0.15, 0.35, 0.10, 0.03, 0.30, 0.02, 0.03, 0.01, 0.01, 0.00),
    "autre": (0.20, 0.10, 0.05, 0.15, 0.15, 0.08, 0.07, 0.08, 0.10, 0.02),
}
_BACKGROUND_MIX = (0.22, 0.18, 0.10, 0.13, 0.10, 0.07, 0.05, 0.10, 0.04, 0.01)
# reporting service per category: columns in SOURCES order
_SOURCE_MIX = {
    "main_courante": (0.40, 0.55, 0, 0, 0.05), "verbalisation": (0.9, 0.1, 0, 0, 0),
    "enlevement": (0.95, 0.05, 0, 0, 0), "secours": (0.05, 0.05, 0.6, 0.3, 0),
    "intervention": (0.35, 0.45, 0.15, 0, 0.05), "degradation": (0.35, 0.4, 0.05, 0, 0.2),
    "violence": (0.25, 0.6, 0.05, 0.05, 0.05), "vol": (0.3, 0.6, 0, 0, 0.1),
    "nuisance": (0.7, 0.25, 0, 0, 0.05), "autre": (0.4, 0.3, 0.1, 0.1, 0.1),
}
_COUNT_P = (0.86, 0.07, 0.04, 0.02, 0.01)  # count = 1..5
# background: hour-of-day, day-of-week and month factors
_BG_HOURS = (0.9, 0.7, 0.55, 0.45, 0.35, 0.3, 0.4, 0.6, 0.8, 0.9, 1.0, 1.05,
             1.1, 1.05, 1.0, 1.05, 1.1, 1.2, 1.3, 1.35, 1.35, 1.3, 1.2, 1.05)
_BG_WEEKDAYS = (0.95, 0.95, 1.0, 1.0, 1.1, 1.25, 1.2)
_BG_MONTHS = (0.95, 0.9, 0.95, 1.0, 1.05, 1.15, 1.25, 1.25, 1.1, 1.0, 0.95, 1.05)

_STATUS_P = {"fluide": 0.45, "dense": 0.25, "sature": 0.12, "ferme": 0.06, "inconnu": 0.12}


@dataclass
class DemoCity:
    """The demo observatory: one clean frame per layer (contract columns)."""

    sectors: pd.DataFrame
    axes: pd.DataFrame
    cameras: pd.DataFrame
    events: pd.DataFrame
    facts: pd.DataFrame
    planned: pd.DataFrame
    land: shapely.Geometry = None
    crs: str = CRS
    seed: int = 0
    end_date: pd.Timestamp = None
    info: Dict[str, object] = field(default_factory=dict)

    #: layer name -> contract kind
    KINDS = {"sectors": "sectors", "axes": "axes", "cameras": "cameras", "events": "events", "facts": "facts", "planned": "events"}

    def layers(self) -> Dict[str, Tuple[str, pd.DataFrame]]:
        """``{layer name: (contract kind, frame)}``, what a writer takes."""
        return {name: (kind, getattr(self, name)) for name, kind in self.KINDS.items()}

    @property
    def extent(self) -> Tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the land."""
        return tuple(float(v) for v in shapely.bounds(self.land))


# --- helpers ---------------------------------------------------------------------


def _xy(p) -> Tuple[float, float]:
    return _P[p] if isinstance(p, str) else p


def _hotness(x, y) -> np.ndarray:
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    h = 0.25 + 0.5 * np.exp(-((x - 800.0) ** 2 + y**2) / (2 * 2500.0**2))
    for hx, hy, amp, sig in _HOTSPOTS:
        h = h + amp * np.exp(-((x - hx) ** 2 + (y - hy) ** 2) / (2 * sig * sig))
    return h


def _choice(rng, probs: np.ndarray, n: int) -> np.ndarray:
    """n draws from a categorical distribution (inverse CDF, deterministic)."""
    cdf = np.cumsum(np.asarray(probs, float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def _grouped_choice(rng, groups: np.ndarray, table: np.ndarray) -> np.ndarray:
    """One draw per item from the categorical distribution ``table[group]``."""
    groups = np.asarray(groups, np.int64)
    out = np.zeros(len(groups), np.int64)
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(len(table) + 1))
    for g in range(len(table)):
        idx = order[bounds[g] : bounds[g + 1]]
        if len(idx):
            out[idx] = _choice(rng, table[g], len(idx))
    return out


def _lognormal(rng, median, sigma, lo, hi, n) -> np.ndarray:
    return np.clip(median * np.exp(sigma * rng.standard_normal(n)), lo, hi)


class _Grid:
    """A 20 m raster of the land: which cells are wholly on land, their sector and incident rate."""

    def __init__(self, land, sector_polys, sector_factor, cell: float = 20.0):
        xmin, ymin, xmax, ymax = shapely.bounds(land)
        self.cell = cell
        self.x0 = np.floor(xmin / cell) * cell
        self.y0 = np.floor(ymin / cell) * cell
        self.nx = int(np.ceil((xmax - self.x0) / cell))
        self.ny = int(np.ceil((ymax - self.y0) / cell))
        iy, ix = np.divmod(np.arange(self.nx * self.ny), self.nx)
        x0 = self.x0 + ix * cell
        y0 = self.y0 + iy * cell
        self.cx = x0 + cell / 2
        self.cy = y0 + cell / 2
        shapely.prepare(land)
        inside = shapely.contains_xy(land, self.cx, self.cy)
        full = np.zeros(len(inside), bool)
        full[inside] = shapely.contains(land, shapely.box(x0[inside], y0[inside], x0[inside] + cell, y0[inside] + cell))
        shapely.destroy_prepared(land)
        self.land = full
        self.sector = np.full(len(full), -1, np.int64)
        for k, poly in enumerate(sector_polys):
            hit = shapely.contains_xy(poly, self.cx, self.cy) & (self.sector < 0)
            self.sector[hit] = k
        factor = np.where(self.sector >= 0, np.asarray(sector_factor, float)[np.maximum(self.sector, 0)], 0.0)
        self.rate = np.where(full, _hotness(self.cx, self.cy) * factor, 0.0)
        self.land_idx = np.flatnonzero(full)
        self._near = None

    def index(self, x, y) -> np.ndarray:
        ix = np.floor((np.asarray(x) - self.x0) / self.cell)
        iy = np.floor((np.asarray(y) - self.y0) / self.cell)
        ok = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        out = np.full(len(ix), -1, np.int64)
        out[ok] = (iy[ok] * self.nx + ix[ok]).astype(np.int64)
        return out

    def on_land(self, x, y) -> np.ndarray:
        idx = self.index(x, y)
        out = np.zeros(len(idx), bool)
        out[idx >= 0] = self.land[idx[idx >= 0]]
        return out

    def sample(self, rng, n: int, weights: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """n points drawn in land cells with probability ∝ weights, uniform within a cell."""
        w = np.where(self.land, weights, 0.0)
        cells = self.land_idx[_choice(rng, w[self.land_idx], n)]
        u = rng.random((n, 2))
        return self.cx[cells] + (u[:, 0] - 0.5) * self.cell, self.cy[cells] + (u[:, 1] - 0.5) * self.cell

    def _nearest_land_cells(self) -> np.ndarray:
        """For every cell, a whole-land cell near it (itself when on land), by dilation."""
        near = np.where(self.land, np.arange(len(self.land)), -1).reshape(self.ny, self.nx)
        for _ in range(max(self.nx, self.ny)):
            todo = near < 0
            if not todo.any():
                break
            grown = near.copy()
            for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1)):
                shifted = np.full_like(near, -1)
                ys = slice(max(dy, 0), self.ny + min(dy, 0))
                yd = slice(max(-dy, 0), self.ny + min(-dy, 0))
                xs = slice(max(dx, 0), self.nx + min(dx, 0))
                xd = slice(max(-dx, 0), self.nx + min(-dx, 0))
                shifted[yd, xd] = near[ys, xs]
                take = (grown < 0) & (shifted >= 0)
                grown[take] = shifted[take]
            near = grown
        return near.ravel()

    def nearest_land(self, rng, x, y) -> Tuple[np.ndarray, np.ndarray]:
        """A random point in a whole-land cell near each point."""
        if self._near is None:
            self._near = self._nearest_land_cells()
        ix = np.clip(np.floor((np.asarray(x) - self.x0) / self.cell), 0, self.nx - 1).astype(np.int64)
        iy = np.clip(np.floor((np.asarray(y) - self.y0) / self.cell), 0, self.ny - 1).astype(np.int64)
        cells = self._near[iy * self.nx + ix]
        u = rng.random((len(cells), 2))
        return self.cx[cells] + (u[:, 0] - 0.5) * self.cell, self.cy[cells] + (u[:, 1] - 0.5) * self.cell

    def to_land(self, rng, bx, by, dist, max_tries: int = 8) -> Tuple[np.ndarray, np.ndarray]:
        """Points at ``dist`` from (bx, by) in a random direction, kept on land.

        A point that falls in the sea is drawn again closer (half the
        distance), then falls back on its base point or the nearest land.
        """
        bx = np.asarray(bx, float)
        by = np.asarray(by, float)
        dist = np.asarray(dist, float).copy()
        theta = rng.random(len(bx)) * 2 * np.pi
        x = bx + dist * np.cos(theta)
        y = by + dist * np.sin(theta)
        bad = np.flatnonzero(~self.on_land(x, y))
        for _ in range(max_tries):
            if not len(bad):
                break
            dist[bad] *= 0.5
            theta = rng.random(len(bad)) * 2 * np.pi
            x[bad] = bx[bad] + dist[bad] * np.cos(theta)
            y[bad] = by[bad] + dist[bad] * np.sin(theta)
            bad = bad[~self.on_land(x[bad], y[bad])]
        if len(bad):
            base_ok = self.on_land(bx[bad], by[bad])
            x[bad[base_ok]] = bx[bad[base_ok]]
            y[bad[base_ok]] = by[bad[base_ok]]
            rest = bad[~base_ok]
            if len(rest):
                x[rest], y[rest] = self.nearest_land(rng, bx[rest], by[rest])
        return x, y


def _along(lines: np.ndarray, which: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """Points at fraction ``frac`` of the length of ``lines[which]`` (vectorised)."""
    coords, vidx = shapely.get_coordinates(lines, return_index=True)
    same = vidx[:-1] == vidx[1:]
    seglen = np.where(same, np.hypot(np.diff(coords[:, 0]), np.diff(coords[:, 1])), 0.0)
    cum = np.concatenate([[0.0], np.cumsum(seglen)])
    first = np.searchsorted(vidx, np.arange(len(lines)), side="left")
    last = np.searchsorted(vidx, np.arange(len(lines)), side="right") - 1
    length = cum[last] - cum[first]
    target = cum[first[which]] + np.clip(frac, 0.0, 1.0) * length[which]
    seg = np.searchsorted(cum, target, side="right") - 1
    seg = np.clip(seg, first[which], np.maximum(last[which] - 1, first[which]))
    seg = np.minimum(seg, len(coords) - 2) if len(coords) > 1 else seg
    slen = seglen[seg]
    t = np.where(slen > 0, (target - cum[seg]) / np.where(slen > 0, slen, 1.0), 0.0)
    return coords[seg] + np.clip(t, 0, 1)[:, None] * (coords[seg + 1] - coords[seg])


class _Network:
    """The boulevards as a graph, for itineraries that follow the streets."""

    def __init__(self, axis_lines: List[shapely.LineString]):
        noded = shapely.get_parts(shapely.node(shapely.multilinestrings(axis_lines)))
        keys: Dict[Tuple[float, float], int] = {}
        self.edges: List[np.ndarray] = []
        self.ends: List[Tuple[int, int]] = []
        self.length: List[float] = []
        nodes: List[Tuple[float, float]] = []

        def key(pt) -> int:
            k = (round(float(pt[0]), 3), round(float(pt[1]), 3))
            if k not in keys:
                keys[k] = len(nodes)
                nodes.append(k)
            return keys[k]

        for line in noded:
            c = shapely.get_coordinates(line)
            if len(c) < 2 or shapely.length(line) <= 0:
                continue
            a, b = key(c[0]), key(c[-1])
            self.edges.append(c)
            self.ends.append((a, b))
            self.length.append(float(shapely.length(line)))
        self.nodes = np.array(nodes, float)
        self.adj: List[List[Tuple[int, bool]]] = [[] for _ in nodes]
        for e, (a, b) in enumerate(self.ends):
            self.adj[a].append((e, True))
            if b != a:
                self.adj[b].append((e, False))

    def walk(self, rng, x: float, y: float, target: float) -> np.ndarray:
        """A route of about ``target`` metres from a node near (x, y), never reusing a street piece."""
        d2 = (self.nodes[:, 0] - x) ** 2 + (self.nodes[:, 1] - y) ** 2
        near = np.argsort(d2, kind="stable")[:3]
        best = None
        for _attempt in range(4):
            cur = int(near[int(rng.integers(len(near)))])
            parts = [self.nodes[cur][None, :]]
            used = set()
            length = 0.0
            for _step in range(80):
                options = [(e, fwd) for e, fwd in self.adj[cur] if e not in used]
                if not options:
                    break
                e, fwd = options[int(rng.integers(len(options)))]
                c = self.edges[e] if fwd else self.edges[e][::-1]
                parts.append(c[1:])
                used.add(e)
                length += self.length[e]
                cur = self.ends[e][1] if fwd else self.ends[e][0]
                if length >= target:
                    break
            coords = np.vstack(parts)
            if best is None or length > best[1]:
                best = (coords, length)
            if length >= 0.8 * target:
                break
        return _cut(best[0], target)


def _cut(coords: np.ndarray, target: float) -> np.ndarray:
    """The first ``target`` metres of a polyline."""
    seg = np.hypot(np.diff(coords[:, 0]), np.diff(coords[:, 1]))
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    if cum[-1] <= target:
        return coords
    k = int(np.searchsorted(cum, target, side="right"))  # first vertex beyond target
    t = (target - cum[k - 1]) / seg[k - 1]
    end = coords[k - 1] + t * (coords[k] - coords[k - 1])
    return np.vstack([coords[:k], end[None, :]])


def _star_polygons(rng, cx, cy, r, n_vertices: int = 12) -> np.ndarray:
    """Irregular star-shaped (hence simple) polygons around centres."""
    n = len(cx)
    step = 2 * np.pi / n_vertices
    ang = np.arange(n_vertices) * step + rng.random((n, n_vertices)) * step * 0.6 + rng.random((n, 1)) * 2 * np.pi
    rad = r[:, None] * (0.75 + 0.4 * rng.random((n, n_vertices)))
    xs = cx[:, None] + rad * np.cos(ang)
    ys = cy[:, None] + rad * np.sin(ang)
    ring = np.stack([np.concatenate([xs, xs[:, :1]], 1), np.concatenate([ys, ys[:, :1]], 1)], axis=2)
    return shapely.polygons(np.round(ring, 2))


def _rectangles(cx, cy, w, h, angle_rad) -> np.ndarray:
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)], float)
    dx = corners[None, :, 0] * w[:, None]
    dy = corners[None, :, 1] * h[:, None]
    c, s = np.cos(angle_rad)[:, None], np.sin(angle_rad)[:, None]
    xs = cx[:, None] + dx * c - dy * s
    ys = cy[:, None] + dx * s + dy * c
    return shapely.polygons(np.round(np.stack([xs, ys], axis=2), 2))


def _ellipses(cx, cy, a, b, angle_rad, n_vertices: int = 32) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n_vertices + 1)
    t[-1] = 0.0
    dx = np.cos(t)[None, :] * a[:, None]
    dy = np.sin(t)[None, :] * b[:, None]
    c, s = np.cos(angle_rad)[:, None], np.sin(angle_rad)[:, None]
    xs = cx[:, None] + dx * c - dy * s
    ys = cy[:, None] + dx * s + dy * c
    return shapely.polygons(np.round(np.stack([xs, ys], axis=2), 2))


def _text_frame_column(values, table) -> np.ndarray:
    return np.asarray(table, dtype=object)[values]


# --- the city --------------------------------------------------------------------


def _base_map():
    land = shapely.Polygon(_LAND)
    seeds = shapely.multipoints([s[2] for s in _SECTORS])
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=shapely.box(-6000, -9000, 9000, 9000)))
    seed_pts = shapely.points([s[2] for s in _SECTORS])
    sector_polys = []
    for pt in seed_pts:
        cell = cells[np.flatnonzero(shapely.contains(cells, pt))[0]]
        sector_polys.append(shapely.intersection(cell, land))
    sector_polys = np.array(sector_polys, dtype=object)
    # the land is the union of the sectors, so every fact on land is in a sector
    axis_lines = [shapely.LineString([_xy(p) for p in pts]) for _, pts in _AXES]
    return land, sector_polys, axis_lines


def _shift(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.round(c + np.asarray(ORIGIN), 2))


def make_demo_city(
    n_events: int = 600,
    n_facts: int = 60_000,
    years: int = 3,
    seed: int = 0,
    end_date: str = "2026-10-31",
) -> DemoCity:
    """A Marseille-like observatory, the same for the same arguments (bit for bit).

    ``n_events`` past events and exactly ``n_facts`` facts over the ``years``
    before ``end_date`` (local midnight), plus five planned events after it.
    """
    n_events = int(n_events)
    n_facts = int(n_facts)
    years = int(years)
    if n_events < 0 or n_facts < 0 or years < 1:
        raise ValueError("n_events and n_facts must be >= 0 and years >= 1")
    rng = np.random.Generator(np.random.PCG64(int(seed)))
    land, sector_polys, axis_lines = _base_map()
    factor = np.array([s[3] for s in _SECTORS])
    grid = _Grid(land, sector_polys, factor)
    network = _Network(axis_lines)
    end = pd.Timestamp(end_date)
    if end.tzinfo is not None:
        end = end.tz_convert(TZ).tz_localize(None)
    end = end.normalize()
    start = end - pd.DateOffset(years=years)

    sectors = _sectors_frame(sector_polys)
    axes = _axes_frame(rng, axis_lines, end)
    cameras = _cameras_frame(rng, grid, axis_lines)
    ev = _events(rng, grid, network, axis_lines, sector_polys, land, n_events, start, end)
    facts = _facts(rng, grid, ev, n_facts, start, end)
    events = _events_frame(ev)
    planned = _planned_frame(network, sector_polys, end)
    return DemoCity(
        sectors=sectors,
        axes=axes,
        cameras=cameras,
        events=events,
        facts=facts,
        planned=planned,
        land=_shift(np.array([land], dtype=object))[0],
        crs=CRS,
        seed=int(seed),
        end_date=pd.Timestamp(end).tz_localize(TZ),
        info={"event_facts": int(ev["n_facts"].sum()), "background_facts": int(n_facts - ev["n_facts"].sum())},
    )


def _sectors_frame(sector_polys) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fid": np.arange(1, len(_SECTORS) + 1, dtype=np.int64),
            "geometry": _shift(sector_polys),
            "sector_id": np.array([s[0] for s in _SECTORS], dtype=object),
            "name": np.array([s[1] for s in _SECTORS], dtype=object),
        }
    )


def _axes_frame(rng, axis_lines, end) -> pd.DataFrame:
    n = len(axis_lines)
    statuses = np.array(list(_STATUS_P), dtype=object)[_choice(rng, np.array(list(_STATUS_P.values())), n)]
    minutes = rng.integers(1, 180, n)
    end_us = _local_to_us(np.array([end.to_datetime64().astype("datetime64[us]")]))[0]
    updated = end_us - minutes.astype(np.int64) * 60 * 1_000_000
    return pd.DataFrame(
        {
            "fid": np.arange(1, n + 1, dtype=np.int64),
            "geometry": _shift(shapely.segmentize(np.array(axis_lines, dtype=object), 60.0)),
            "axis_id": np.array([f"A{i:02d}" for i in range(1, n + 1)], dtype=object),
            "name": np.array([a[0] for a in _AXES], dtype=object),
            "status": statuses,
            "updated_at": from_epoch_us(updated),
        }
    )


def _cameras_frame(rng, grid: _Grid, axis_lines, n: int = 60) -> pd.DataFrame:
    lines = np.array(axis_lines, dtype=object)
    lengths = shapely.length(lines)
    n_axis = 40
    which = _choice(rng, lengths, n_axis)
    pts = _along(lines, which, rng.random(n_axis))
    ax, ay = grid.to_land(rng, pts[:, 0], pts[:, 1], rng.random(n_axis) * 12)
    hot = ["Vieux-Port", "Saint-Charles", "Porte d'Aix", "Cours Julien", "La Plaine", "Réformés", "Castellane", "Joliette", "Vélodrome", "Préfecture"]
    vi = _choice(rng, np.ones(len(hot)), n - n_axis)
    vx = np.array([_VENUES[hot[i]][0] for i in vi], float)
    vy = np.array([_VENUES[hot[i]][1] for i in vi], float)
    hx, hy = grid.to_land(rng, vx, vy, rng.random(n - n_axis) * 120)
    x = np.concatenate([ax, hx]) + ORIGIN[0]
    y = np.concatenate([ay, hy]) + ORIGIN[1]
    radius = rng.integers(6, 25, n).astype(float) * 5.0
    directed = rng.random(n) < 0.55
    bearing = np.where(directed, rng.integers(0, 72, n) * 5.0, np.nan)
    fov = np.where(directed, np.array([60.0, 75.0, 90.0, 110.0, 120.0])[rng.integers(0, 5, n)], np.nan)
    return pd.DataFrame(
        {
            "fid": np.arange(1, n + 1, dtype=np.int64),
            "x": np.round(x, 2),
            "y": np.round(y, 2),
            "camera_id": np.array([f"CAM{i:03d}" for i in range(1, n + 1)], dtype=object),
            "radius_m": radius,
            "bearing_deg": bearing,
            "fov_deg": fov,
        }
    )


def _local_to_us(naive_local: np.ndarray) -> np.ndarray:
    """Naive local datetime64 -> int64 µs UTC (Europe/Paris rules of timeutil)."""
    aware = localize_naive(pd.Series(np.asarray(naive_local, dtype="datetime64[us]")))
    return aware.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]").to_numpy().view(np.int64)


def _day_weights(days: pd.DatetimeIndex, weekday_f, month_f) -> np.ndarray:
    return np.asarray(weekday_f, float)[days.dayofweek] * np.asarray(month_f, float)[days.month - 1]


def _events(rng, grid: _Grid, network: _Network, axis_lines, sector_polys, land, n, start, end) -> dict:
    """Past events as arrays (relative coordinates), sorted by start."""
    natures = np.concatenate(
        [np.arange(min(n, len(NATURES))), _choice(rng, np.array([_NATURE_P[k] for k in NATURES]), max(n - len(NATURES), 0))]
    )
    natures = natures[rng.permutation(n)] if n else natures.astype(np.int64)
    days = pd.date_range(start, end - pd.Timedelta(days=4), freq="D")
    day_of = np.zeros(n, np.int64)
    hour = np.zeros(n)
    dur = np.zeros(n)
    participants = np.zeros(n)
    kind = np.zeros(n, np.int64)
    bx = np.zeros(n)
    by = np.zeros(n)
    venue = np.full(n, -1, np.int64)
    for k, nature in enumerate(NATURES):
        idx = np.flatnonzero(natures == k)
        m = len(idx)
        if not m:
            continue
        w = _day_weights(days, _WEEKDAYS.get(nature, (1,) * 7), _MONTHS.get(nature, (1,) * 12))
        day_of[idx] = _choice(rng, w, m)
        mean, sd, lo, hi = _START_HOUR[nature]
        if nature == "operation_police":
            h = rng.random(m) * 24
        else:
            h = np.clip(mean + sd * rng.standard_normal(m), lo, hi)
        if nature == "travaux":
            night = rng.random(m) < 0.2
            h = np.where(night, np.clip(21.5 + 0.5 * rng.standard_normal(m), 20.5, 23), h)
        hour[idx] = np.floor(h * 4) / 4
        med, sig, lo, hi = _DURATION[nature]
        d = _lognormal(rng, med, sig, lo, hi, m)
        if nature == "festival":
            multi = rng.random(m) < 0.3
            d = np.where(multi, 24 * rng.integers(1, 4, m) - rng.random(m) * 6, d)
        if nature == "travaux":
            long = rng.random(m) < 0.1
            d = np.where(long, 24 * rng.integers(1, 4, m), d)
        dur[idx] = np.maximum(np.round(d * 4) / 4, 0.25)
        med, sig, lo, hi = _PARTICIPANTS[nature]
        p = _lognormal(rng, med, sig, lo, hi, m)
        if nature == "travaux":
            p = np.where(rng.random(m) < 0.8, 0, p)
        participants[idx] = p
        shapes = _SHAPES[nature]
        kind[idx] = np.array([_SHAPE_KINDS.index(s) for s in shapes])[_choice(rng, np.array(list(shapes.values())), m)]
        p_random, venues = _PLACES[nature]
        at_random = rng.random(m) < p_random
        names = list(venues)
        v = np.array([_VENUE_NAMES.index(s) for s in names])[_choice(rng, np.array(list(venues.values()), float), m)]
        venue[idx] = np.where(at_random, -1, v)
    # places: venues with a jitter, or random hot-spot-weighted land
    at_venue = venue >= 0
    vxy = np.array([_VENUES[s] for s in _VENUE_NAMES], float)
    rx, ry = grid.sample(rng, n, grid.rate)
    jitter = np.abs(rng.standard_normal(n)) * 60
    jx, jy = grid.to_land(rng, vxy[np.maximum(venue, 0), 0], vxy[np.maximum(venue, 0), 1], jitter)
    bx = np.where(at_venue, jx, rx)
    by = np.where(at_venue, jy, ry)
    # stadium events sit on a stadium
    stad = kind == _SHAPE_KINDS.index("stadium")
    st_pick = _choice(rng, np.array([s[4] for s in _STADIUMS]), n)
    st_venue = np.array([_VENUE_NAMES.index(s[0]) for s in _STADIUMS])[st_pick]
    venue = np.where(stad, st_venue, venue)
    bx = np.where(stad, vxy[venue, 0], bx)
    by = np.where(stad, vxy[venue, 1], by)
    velodrome = (venue == _VENUE_NAMES.index("Vélodrome")) & np.isin(natures, [NATURES.index("sport"), NATURES.index("concert")])
    participants = np.where(velodrome, _lognormal(rng, 40000, 0.3, 10000, 67000, n), participants)
    participants = np.where(
        participants >= 1000,
        np.round(participants / 50) * 50,
        np.where(participants >= 100, np.round(participants / 10) * 10, np.round(participants)),
    )

    geoms = _event_geometries(rng, grid, network, axis_lines, natures, kind, bx, by, st_pick, land)

    # times: local start -> UTC µs; the duration is elapsed time
    day_dt = days.to_numpy().astype("datetime64[us]")[day_of]
    start_local = day_dt + (hour * 3600).astype(np.int64).astype("timedelta64[s]")
    start_us = _local_to_us(start_local)
    end_us = start_us + np.round(dur * HOUR_US).astype(np.int64)
    order = np.lexsort((np.arange(n), start_us))
    ev = {
        "nature": natures[order],
        "kind": kind[order],
        "geometry": geoms[order],
        "participants": participants[order].astype(np.int64),
        "start_us": start_us[order],
        "end_us": end_us[order],
        "start_local": start_local[order],
        "duration_h": dur[order],
    }
    centroids = shapely.centroid(ev["geometry"])
    cx, cy = shapely.get_x(centroids), shapely.get_y(centroids)
    sector = np.full(n, -1, np.int64)
    for k, poly in enumerate(sector_polys):
        hit = (sector < 0) & shapely.contains_xy(poly, cx, cy)
        sector[hit] = k
    for i in np.flatnonzero(sector < 0):
        sector[i] = int(np.argmin(shapely.distance(sector_polys, centroids[i])))
    ev["sector_index"] = sector
    blank = rng.random(n) < 0.07
    ids = np.array([s[0] for s in _SECTORS], dtype=object)
    ev["sector"] = np.where(blank, "", ids[sector]).astype(object)
    ev["cx"], ev["cy"] = cx, cy
    ev["n_facts"] = np.zeros(n, np.int64)
    return ev


def _event_geometries(rng, grid, network, axis_lines, natures, kind, bx, by, st_pick, land) -> np.ndarray:
    n = len(natures)
    geoms = np.empty(n, dtype=object)
    size = np.zeros(n)
    for k, nature in enumerate(NATURES):
        idx = natures == k
        lo, hi = _SIZES[nature]
        size[idx] = lo + (hi - lo) * rng.random(int(idx.sum()))
    K = {name: np.flatnonzero(kind == i) for i, name in enumerate(_SHAPE_KINDS)}

    i = K["point"]
    geoms[i] = shapely.points(np.round(bx[i], 2), np.round(by[i], 2))

    i = K["multipoint"]
    if len(i):
        nparts = rng.integers(2, 5, len(i))
        owner = np.repeat(np.arange(len(i)), nparts)
        px, py = grid.to_land(rng, bx[i][owner], by[i][owner], 100 + 300 * rng.random(len(owner)))
        px[np.r_[0, np.cumsum(nparts)[:-1]]] = bx[i]
        py[np.r_[0, np.cumsum(nparts)[:-1]]] = by[i]
        geoms[i] = shapely.multipoints(shapely.points(np.round(px, 2), np.round(py, 2)), indices=owner)

    for name in ("route", "multiroute"):
        for j in K[name]:
            nature = NATURES[natures[j]]
            lo, hi = _ROUTES.get(nature, (1000, 2500))
            if name == "route":
                target = lo + (hi - lo) * rng.random()
                geoms[j] = shapely.LineString(np.round(network.walk(rng, bx[j], by[j], target), 2))
            else:
                other = _VENUES[_VENUE_NAMES[int(rng.integers(len(_VENUE_NAMES)))]]
                a = network.walk(rng, bx[j], by[j], 700 + 1300 * rng.random())
                b = network.walk(rng, other[0], other[1], 700 + 1300 * rng.random())
                geoms[j] = shapely.MultiLineString([np.round(a, 2), np.round(b, 2)])

    lines = np.array(axis_lines, dtype=object)
    lengths = shapely.length(lines)
    for name, nparts_range in (("section", (1, 1)), ("multisection", (2, 3))):
        i = K[name]
        if not len(i):
            continue
        nparts = rng.integers(nparts_range[0], nparts_range[1] + 1, len(i))
        owner = np.repeat(np.arange(len(i)), nparts)
        m = len(owner)
        which = _choice(rng, lengths, m)
        seg_len = 80 + 420 * rng.random(m)
        f0 = rng.random(m) * np.maximum(1 - seg_len / lengths[which], 0)
        f1 = np.minimum(f0 + seg_len / lengths[which], 1)
        frac = f0[:, None] + (f1 - f0)[:, None] * np.linspace(0, 1, 6)[None, :]
        pts = _along(lines, np.repeat(which, 6), frac.ravel()).reshape(m, 6, 2)
        parts = shapely.linestrings(np.round(pts, 2))
        if name == "section":
            geoms[i] = parts
        else:
            geoms[i] = shapely.multilinestrings(parts, indices=owner)

    i = K["blob"]
    if len(i):
        geoms[i] = _star_polygons(rng, bx[i], by[i], size[i])
    i = K["rect"]
    if len(i):
        ratio = 0.35 + 0.65 * rng.random(len(i))
        geoms[i] = _rectangles(bx[i], by[i], size[i], size[i] * ratio, rng.random(len(i)) * np.pi)
    i = K["stadium"]
    if len(i):
        st = np.array([_STADIUMS[s][1:4] for s in st_pick[i]], float)
        geoms[i] = _ellipses(bx[i], by[i], st[:, 0], st[:, 1], np.radians(st[:, 2]))
    i = K["multiblob"]
    if len(i):
        nparts = rng.integers(2, 4, len(i))
        owner = np.repeat(np.arange(len(i)), nparts)
        rank = np.arange(len(owner)) - np.repeat(np.r_[0, np.cumsum(nparts)[:-1]], nparts)
        rmax = size[i][owner]
        theta = (rng.random(len(i)) * 2 * np.pi)[owner]
        # centres 2.6 r apart along a line: star polygons reach 1.15 r, so parts never touch
        px = bx[i][owner] + rank * 2.6 * rmax * np.cos(theta)
        py = by[i][owner] + rank * 2.6 * rmax * np.sin(theta)
        r = rmax * (0.6 + 0.4 * rng.random(len(owner)))
        geoms[i] = shapely.multipolygons(_star_polygons(rng, px, py, r), indices=owner)

    # areas stop at the shore
    areas = np.flatnonzero(np.isin(kind, [_SHAPE_KINDS.index(k) for k in ("blob", "rect", "stadium", "multiblob")]))
    wet = areas[~shapely.within(geoms[areas], land)]
    if len(wet):
        clipped = shapely.intersection(geoms[wet], land, grid_size=0.01)
        keep = shapely.get_type_id(clipped) != 7
        for j in np.flatnonzero(~keep):  # a collection: keep its polygons
            polys = [g for g in shapely.get_parts(clipped[j]) if shapely.get_type_id(g) in (3, 6)]
            clipped[j] = shapely.union_all(polys) if polys else None
        ok = ~shapely.is_missing(clipped)
        ok[ok] = ~shapely.is_empty(clipped[ok])
        geoms[wet[ok]] = clipped[ok]
        geoms[wet[~ok]] = shapely.buffer(shapely.points(bx[wet[~ok]], by[wet[~ok]]), 20.0, quad_segs=4)
    lines_like = np.isin(kind, [_SHAPE_KINDS.index(k) for k in ("route", "multiroute")])
    geoms[lines_like] = shapely.segmentize(geoms[lines_like], 60.0)
    # guard: every geometry must be valid (star polygons, rectangles and ellipses are by construction)
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    return geoms


def _event_local_features(ev) -> dict:
    start_local = ev["start_local"]
    local_us = start_local.astype("datetime64[us]").view(np.int64)
    offset_h = (local_us - ev["start_us"]) / HOUR_US
    days = pd.DatetimeIndex(start_local)
    hour = days.hour + days.minute / 60.0
    weekend = days.dayofweek >= 5
    summer = offset_h > 1.5
    night = (hour >= 20) | (hour < 5) | (hour + ev["duration_h"] >= 23)
    return {"weekend": np.asarray(weekend), "summer": np.asarray(summer), "night": np.asarray(night)}


def _facts(rng, grid: _Grid, ev: dict, n_facts: int, start, end) -> pd.DataFrame:
    n_ev = len(ev["nature"])
    n_event_facts = int(round(EVENT_SHARE * n_facts)) if n_ev else 0
    n_bg = n_facts - n_event_facts

    # (a) around events
    feats = _event_local_features(ev)
    fps_area = np.array([0.0]) if not n_ev else shapely.area(shapely.buffer(ev["geometry"], 15.0, quad_segs=2))
    hot = _hotness(ev["cx"], ev["cy"]) * np.array([s[3] for s in _SECTORS])[ev["sector_index"]] if n_ev else np.zeros(0)
    base = np.array([_BASE_RISK[k] for k in NATURES])[ev["nature"]] if n_ev else np.zeros(0)
    intensity = (
        base
        * (1 + ev["participants"] / 200.0) ** 0.7
        * np.where(feats["weekend"], 1.5, 1.0)
        * np.where(feats["night"], 1.6, 1.0)
        * np.where(feats["summer"], 1.3, 1.0)
        * hot
        * (ev["duration_h"] / 3.0) ** 0.4
        * (1 + fps_area / 20000.0) ** 0.25
        * rng.gamma(2.5, 1 / 2.5, n_ev)
    ) if n_ev else np.zeros(0)
    per_event = rng.multinomial(n_event_facts, intensity / intensity.sum()) if n_ev and n_event_facts else np.zeros(n_ev, np.int64)
    ev["n_facts"] = per_event
    owner = np.repeat(np.arange(n_ev), per_event)
    m = len(owner)
    ex, ey = _points_on_events(rng, ev["geometry"], owner)
    dist = np.where(rng.random(m) < 0.65, np.abs(rng.standard_normal(m)) * 100.0, rng.random(m) * 500.0)
    ex, ey = grid.to_land(rng, ex, ey, dist)
    s_us = ev["start_us"][owner]
    e_us = ev["end_us"][owner]
    u = rng.random(m)
    mode = rng.random(m)
    during = s_us + (u * (e_us - s_us)).astype(np.int64) + (rng.standard_normal(m) * 0.5 * HOUR_US).astype(np.int64)
    after = e_us + (rng.exponential(0.75, m) * HOUR_US).astype(np.int64)
    before = s_us - (rng.exponential(0.66, m) * HOUR_US).astype(np.int64)
    et = np.where(mode < 0.65, during, np.where(mode < 0.9, after, before))
    et = np.clip(et, s_us - int(2.5 * HOUR_US), e_us + int(2.5 * HOUR_US))
    ecat = _grouped_choice(rng, ev["nature"][owner], np.array([_CAT_MIX[k] for k in NATURES]))

    # (b) background
    bx, by = grid.sample(rng, n_bg, grid.rate)
    days = pd.date_range(start, end - pd.Timedelta(days=1), freq="D")
    dw = _day_weights(days, _BG_WEEKDAYS, _BG_MONTHS)
    day = _choice(rng, dw, n_bg)
    sec = _choice(rng, np.array(_BG_HOURS), n_bg) * 3600 + rng.integers(0, 3600, n_bg)
    local = days.to_numpy().astype("datetime64[us]")[day] + sec.astype("timedelta64[s]")
    bt = _local_to_us(local) if n_bg else np.zeros(0, np.int64)
    bcat = _choice(rng, np.array(_BACKGROUND_MIX), n_bg)

    x = np.concatenate([ex, bx]) + ORIGIN[0]
    y = np.concatenate([ey, by]) + ORIGIN[1]
    t = np.concatenate([et, bt])
    t = (t // 1_000_000) * 1_000_000  # whole seconds
    cat = np.concatenate([ecat, bcat]).astype(np.int64)
    n_all = len(t)
    src_mix = np.array([_SOURCE_MIX[c] for c in CATEGORIES])
    src = _grouped_choice(rng, cat, src_mix)
    count = _choice(rng, np.array(_COUNT_P), n_all) + 1
    order = np.argsort(t, kind="stable")
    return pd.DataFrame(
        {
            "fid": np.arange(1, n_all + 1, dtype=np.int64),
            "x": np.round(x[order], 2),
            "y": np.round(y[order], 2),
            "category": _text_frame_column(cat[order], CATEGORIES),
            "occurred_at": from_epoch_us(t[order]),
            "count": count[order].astype(np.int64),
            "source": _text_frame_column(src[order], SOURCES),
        }
    )


def _points_on_events(rng, geoms: np.ndarray, owner: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """One random point on (a random part of) each owner's geometry."""
    m = len(owner)
    x = np.zeros(m)
    y = np.zeros(m)
    if not m:
        return x, y
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    first = np.searchsorted(part_owner, np.arange(len(geoms)), side="left")
    nparts = np.bincount(part_owner, minlength=len(geoms))
    p = first[owner] + np.minimum((rng.random(m) * nparts[owner]).astype(np.int64), nparts[owner] - 1)
    tid = shapely.get_type_id(parts)
    ptype = tid[p]
    u = rng.random(m)
    # points
    sel = np.flatnonzero(ptype == 0)
    if len(sel):
        x[sel] = shapely.get_x(parts[p[sel]])
        y[sel] = shapely.get_y(parts[p[sel]])
    # lines: uniform along the length
    sel = np.flatnonzero(ptype == 1)
    if len(sel):
        line_ids = np.flatnonzero(tid == 1)
        pos = np.searchsorted(line_ids, p[sel])
        xy = _along(parts[line_ids], pos, u[sel])
        x[sel], y[sel] = xy[:, 0], xy[:, 1]
    # polygons: uniform inside, by rejection in the bounding box
    sel = np.flatnonzero(ptype == 3)
    if len(sel):
        b = shapely.bounds(parts[p[sel]])
        todo = np.arange(len(sel))
        for _ in range(40):
            if not len(todo):
                break
            r = rng.random((len(todo), 2))
            cx = b[todo, 0] + r[:, 0] * (b[todo, 2] - b[todo, 0])
            cy = b[todo, 1] + r[:, 1] * (b[todo, 3] - b[todo, 1])
            ok = shapely.contains_xy(parts[p[sel[todo]]], cx, cy)
            x[sel[todo[ok]]] = cx[ok]
            y[sel[todo[ok]]] = cy[ok]
            todo = todo[~ok]
        if len(todo):
            rp = shapely.point_on_surface(parts[p[sel[todo]]])
            x[sel[todo]] = shapely.get_x(rp)
            y[sel[todo]] = shapely.get_y(rp)
    return x, y


def _events_frame(ev: dict) -> pd.DataFrame:
    n = len(ev["nature"])
    return pd.DataFrame(
        {
            "fid": np.arange(1, n + 1, dtype=np.int64),
            "geometry": _shift(ev["geometry"]) if n else np.zeros(0, dtype=object),
            "event_id": np.array([f"E{i:05d}" for i in range(1, n + 1)], dtype=object),
            "nature": _text_frame_column(ev["nature"], NATURES),
            "participants": ev["participants"].astype(np.int64),
            "start": from_epoch_us(ev["start_us"]),
            "end": from_epoch_us(ev["end_us"]),
            "sector": ev["sector"].astype(object),
        }
    )


def _planned_frame(network: _Network, sector_polys, end) -> pd.DataFrame:
    """Five future events, after ``end``: what an officer would draw next month."""
    canebiere = shapely.LineString([_xy(p) for p in ("QB", "PARA", "CAN_MID", "ATH", "REF")] + [(1900, 950)])
    velodrome = _ellipses(*(np.array([v]) for v in (1500.0, -3350.0, 125.0, 95.0, np.radians(15))))[0]
    water = shapely.Polygon(_PORT_WATER)
    quays = shapely.intersection(
        shapely.difference(shapely.buffer(water, 45.0, quad_segs=4), water), shapely.box(-800, -400, 400, 400)
    )
    quays = shapely.intersection(quays, shapely.Polygon(_LAND))
    delort = _rectangles(np.array([2200.0]), np.array([-3550.0]), np.array([75.0]), np.array([52.0]), np.radians([80.0]))[0]
    rows = [
        ("P001", "manifestation", 8000, shapely.segmentize(canebiere, 50.0), 12, 14.0, 4.0),
        ("P002", "concert", 55000, velodrome, 19, 20.5, 3.5),
        ("P003", "festival", 20000, quays, 25, 10.0, 61.0),
        ("P004", "ceremonie", 600, shapely.Point(_VENUES["Monument aux morts"]), 11, 10.5, 1.5),
        ("P005", "sport", 6000, delort, 15, 21.0, 2.0),
    ]
    geoms = np.array([r[3] for r in rows], dtype=object)
    geoms = shapely.transform(geoms, lambda c: np.round(c, 2))
    local = np.array(
        [end.to_datetime64().astype("datetime64[us]") + np.timedelta64(r[4], "D") + np.timedelta64(int(r[5] * 60), "m") for r in rows]
    )
    start_us = _local_to_us(local)
    end_us = start_us + np.array([int(r[6] * HOUR_US) for r in rows], np.int64)
    centroids = shapely.centroid(geoms)
    sector = []
    for c in centroids:
        hit = np.flatnonzero(shapely.contains(sector_polys, c))
        k = int(hit[0]) if len(hit) else int(np.argmin(shapely.distance(sector_polys, c)))
        sector.append(_SECTORS[k][0])
    return pd.DataFrame(
        {
            "fid": np.arange(1, len(rows) + 1, dtype=np.int64),
            "geometry": _shift(geoms),
            "event_id": np.array([r[0] for r in rows], dtype=object),
            "nature": np.array([r[1] for r in rows], dtype=object),
            "participants": np.array([r[2] for r in rows], dtype=np.int64),
            "start": from_epoch_us(start_us),
            "end": from_epoch_us(end_us),
            "sector": np.array(sector, dtype=object),
        }
    )


def demo_kind(layer_name: str) -> str:
    """The contract kind of a demo city's layer (planned events are events)."""
    return "events" if layer_name == "planned" else layer_name
