"""Corpus of field samples for the personal-data guard (tests/test_privacy.py).

Each sample is ``(field name, values, expected rule)``; the expected rule is a
rule id of ``core.privacy.RULES`` for a personal field, ``None`` for a field
that must pass.  Built deterministically (fixed seeds), by hand and from small
generators; every value is invented.  Personal values appear under telling
names (``telephone``) and under names that prove nothing (``info``,
``remarque``, ``champ3``), so that both the name and the content tests are
exercised.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import List, Optional, Tuple

import numpy as np
import pandas as pd

Sample = Tuple[str, list, Optional[str]]

FIRST = [
    "Jean", "Marie", "Karim", "Nathalie", "Pierre", "Sophie", "Mohamed", "Isabelle", "Thomas", "Camille",
    "Nicolas", "Julie", "Sébastien", "Fatima", "Laurent", "Céline", "Mehdi", "Christine", "Julien", "Léa",
    "Jean-Pierre", "Marie-Claire", "Yasmine", "Rachid", "Hélène", "Enzo", "Inès", "Romain", "Chloé", "Sofiane",
]
LAST = [
    "Dupont", "Martin", "Benali", "Rossi", "Nguyen", "Diallo", "Ferrandi", "Castelli", "Ouali", "Traoré",
    "Pellegrin", "Roussel", "Lambert", "Girard", "Fabre", "Bonnet", "Mercier", "Garcia", "Santini", "Benhamou",
    "Lefebvre", "Morel", "Giraud", "Barthélémy", "Chabert", "Aubert", "Moulin", "Rey", "Blanc", "Arnaud",
]
# bare family names for fields called "nom": the shipped list covers common ones
LIST_LAST = ["Dupont", "Martin", "Bernard", "Durand", "Garcia", "Roux", "Fabre", "Girard", "Morel", "Blanc",
             "Lambert", "Mercier", "Bonnet", "Giraud", "Rey", "Faure", "Fournier", "Petit", "Moreau", "Simon"]
DOMAINS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "sfr.fr", "outlook.com"]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"
SECTORS = [
    "Vieux-Port", "Noailles", "Belsunce", "Le Panier", "La Joliette", "Castellane", "La Plaine", "Cours Julien",
    "Saint-Charles", "Belle de Mai", "Saint-Victor", "Le Prado", "Bonneveine", "La Valentine", "Saint-Just",
    "Les Olives", "Sainte-Marthe", "Saint-Louis", "L'Estaque", "Mazargues", "Le Roucas Blanc", "Endoume",
    "Saint-Barnabé", "Château-Gombert", "La Rose", "Malpassé", "Frais Vallon", "Saint-Loup", "Pont de Vivaux",
    "Roy d'Espagne",
]
PUBLIC_PLACES = [
    "Place du Général de Gaulle", "Place Jean Jaurès", "Cours Julien", "Rue de Rome", "La Canebière",
    "Quai des Belges", "Esplanade J4", "Parvis de la gare Saint-Charles", "Place Castellane", "Stade Vélodrome",
    "Parc Borély", "Square Léon Blum", "Avenue du Prado", "Boulevard Michelet", "Rue Paradis",
    "Place de la Joliette", "Allées Léon Gambetta", "Cours Lieutaud", "Place Sébastien Barnabé",
    "Boulevard Jean Moulin", "Avenue Jules Cantini", "Rond-point du Prado", "Place Charles de Gaulle",
    "Corniche Président John Fitzgerald Kennedy", "Plage des Catalans", "Rue Saint-Ferréol",
    "Place du 4 Septembre", "Jardin Émile Duclaux", "Hôpital Nord", "Collège Marie Curie",
]
ADDRESSES = [
    "12 quai du Port, 13002 Marseille", "1 place du Général de Gaulle, 13001 Marseille",
    "2 rue Henri Barbusse, 13001 Marseille", "40 boulevard Charles Livon, 13007 Marseille",
    "3 avenue Robert Schuman, 13002 Marseille", "Place Jean Jaurès, 13005 Marseille",
    "Esplanade du J4, 7 promenade Robert Laffont, 13002 Marseille", "Parvis de l'église Saint-Vincent-de-Paul",
    "Rond-point du Prado, avenue du Prado, 13008 Marseille", "Place de la Joliette, 13002 Marseille",
    "Square Stalingrad, boulevard de la Libération, 13001", "100 avenue de Hambourg, 13008 Marseille",
]
CATEGORIES = ["main_courante", "verbalisation", "enlevement", "secours", "intervention", "degradation",
              "violence", "vol", "nuisance", "autre"]
NATURES = ["manifestation", "rassemblement", "sport", "concert", "festival", "marche", "ceremonie", "travaux",
           "operation_police", "autre"]
SOURCES = ["police municipale", "marins-pompiers", "police nationale", "CSU", "SAMU 13", "bailleur social",
           "RTM", "propreté urbaine", "Police Municipale", "Bataillon des marins-pompiers"]


def _rng(seed: int) -> random.Random:
    return random.Random(seed)


def _digits(r: random.Random, n: int) -> str:
    return "".join(str(r.randrange(10)) for _ in range(n))


def fr_mobile(r: random.Random, style: int) -> str:
    d = r.choice("67") if style % 2 else "6"
    # mobile ranges of the French plan: 06 [0-24-8]x (0639 and 069x belong elsewhere), 07 [3-9]x
    body = ("06" + r.choice("0124578") + _digits(r, 7)) if d == "6" else ("07" + str(r.randrange(3, 10)) + _digits(r, 7))
    pairs = [body[i:i + 2] for i in range(0, 10, 2)]
    return [
        " ".join(pairs), ".".join(pairs), body, "-".join(pairs), "+33 " + body[1] + " " + " ".join(pairs[1:]),
        "+33" + body[1:], "0033 " + body[1:], "+33 (0)" + body[1] + " " + " ".join(pairs[1:]),
    ][style % 8]


def fr_landline(r: random.Random) -> str:
    body = "04" + r.choice(["91", "96", "86", "88", "42"]) + _digits(r, 6)
    return " ".join(body[i:i + 2] for i in range(0, 10, 2))


INTERNATIONAL = [
    "+44 20 7946 0958", "+44 20 7946 0321", "+49 30 12345678", "+49 89 1234567", "+1 212 736 5000",
    "+1 415 692 3000", "+39 06 6988 4857", "+34 912 34 56 78", "+32 2 512 34 56", "+41 22 730 11 11",
    "+212 5 22 43 12 34", "+213 21 23 45 67", "+216 71 123 456",
]


def siv(r: random.Random, sep: str = "-") -> str:
    a = "".join(r.choice(PLATE_LETTERS) for _ in range(2))
    b = "".join(r.choice(PLATE_LETTERS) for _ in range(2))
    return f"{a}{sep}{r.randrange(1, 1000):03d}{sep}{b}"


def fni(r: random.Random) -> str:
    letters = "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(r.randrange(1, 4)))
    dep = r.choice(["13", "13", "83", "84", "06", "75", "2A", "30", "04"])
    return f"{r.randrange(1, 10000)} {letters} {dep}"


def nir(r: random.Random, spaced: bool = False) -> str:
    sex = r.choice("12")
    yy = f"{r.randrange(0, 100):02d}"
    mm = f"{r.randrange(1, 13):02d}"
    dep = r.choice(["13", "13", "83", "75", "2A", "69", "99"])
    commune = f"{r.randrange(1, 990):03d}"
    order = f"{r.randrange(1, 1000):03d}"
    body = sex + yy + mm + dep + commune + order
    numeric = int(body.replace("2A", "19").replace("2B", "18"))
    key = f"{97 - numeric % 97:02d}"
    if spaced:
        return f"{sex} {yy} {mm} {dep} {commune} {order} {key}"
    return body + key


def iban_fr(r: random.Random, spaced: bool = True) -> str:
    from stdnum import iban

    bban = _digits(r, 10) + "".join(r.choice("0123456789ABCDEFGHJK") for _ in range(11)) + _digits(r, 2)
    number = "FR" + iban.calc_check_digits("FR00" + bban) + bban
    if not spaced:
        return number
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def birth_dates(r: random.Random, n: int, fmt: str = "iso") -> list:
    out = []
    for _ in range(n):
        d = dt.date(1935, 1, 1) + dt.timedelta(days=r.randrange(0, 70 * 365))
        out.append(d.isoformat() if fmt == "iso" else d.strftime("%d/%m/%Y"))
    return out


SUBJECTS = ["Un riverain", "La gardienne", "Le commerçant", "Un passant", "La patrouille", "Un chauffeur de bus",
            "Le voisin du dessus", "Une cliente", "Le responsable du bar", "Un agent de sécurité"]
VERBS = ["signale", "se plaint de", "a constaté", "nous informe de", "rapporte", "appelle pour"]
OBJECTS = ["un tapage nocturne", "une bagarre devant l'immeuble", "des dégradations sur sa voiture",
           "un scooter qui tourne en boucle", "des jeunes qui squattent le hall", "un vol à l'arraché",
           "une fuite d'eau sur la chaussée", "un individu qui importune les passants", "des tags sur la façade",
           "une odeur de brûlé au troisième étage"]
TAILS = ["depuis 23 heures", "ce matin vers 7 h", "pour la troisième fois cette semaine", "hier soir",
         "à la sortie de l'école", "pendant le match", "et demande un passage", "sans suite pour l'instant"]


def free_texts(r: random.Random, n: int) -> list:
    out = set()
    while len(out) < n:
        out.add(f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(TAILS)}.")
    return sorted(out)


def person_names(r: random.Random, n: int, style: int) -> list:
    out = []
    for _ in range(n):
        f, last = r.choice(FIRST), r.choice(LAST)
        out.append([f"{f} {last}", f"{last.upper()} {f}", f"{last.upper()} {f.upper()}", f"{f} {last.upper()}"][style % 4])
    return out


def personal_samples() -> List[Sample]:
    r = _rng(2024)
    out: List[Sample] = []
    # --- person names: by name
    for name in ["prenom", "Prénom", "firstname", "nom_prenom", "NOM_PRENOM", "surname", "last_name",
                 "nom_victime", "nom_conducteur", "NomContrevenant", "identite", "nom_de_famille"]:
        out.append((name, person_names(r, 12, r.randrange(4)), "person_name"))
    out.append(("prenom", [r.choice(FIRST) for _ in range(15)], "person_name"))
    # --- person names: bare names in a field called nom/name
    out.append(("nom", [r.choice(LIST_LAST).upper() for _ in range(20)], "person_name"))
    out.append(("NOM", [r.choice(LIST_LAST) for _ in range(20)], "person_name"))
    out.append(("name", [r.choice(FIRST) for _ in range(20)], "person_name"))
    # --- person names: by content under names that prove nothing
    for i, name in enumerate(["info", "remarque", "libelle", "champ3", "contact", "declarant_x", "col_7",
                              "appel", "observations", "detail", "qui", "intervenant"]):
        out.append((name, person_names(r, 15, i), "person_name"))
    out.append(("info", ["RAS", "RAS", "voisin", "Appel de Mme Martin pour tapage", "rien à signaler"], "person_name"))
    out.append(("obs", ["calme", "M. Durand signale un vol", "RAS", "calme", "RAS"], "person_name"))
    out.append(("remarque", ["Jean Dupont, 12 rue de Rome", "Karim Benali, 3 bd National", "RAS", "calme"],
                "person_name"))
    out.append(("note", ["vu par Mme Ouali", "vu par M. Rossi", "RAS", "sans suite"], "person_name"))
    out.append(("auteur", ["Mehdi Chabert", "Sophie Aubert", "inconnu", "inconnu", "Julien Moulin"], "person_name"))
    # --- e-mail addresses
    for i, name in enumerate(["email", "e-mail", "Courriel", "mail_contact", "adresse_mail", "info", "champ1",
                              "contact", "remarque", "ref", "source_detail", "x_text"]):
        vals = []
        for _ in range(10):
            f = r.choice(FIRST).lower().replace("é", "e").replace("è", "e").replace("ï", "i").replace("-", "")
            last = r.choice(LAST).lower().replace("é", "e").replace("è", "e")
            vals.append(f"{f}.{last}{r.randrange(100) if i % 2 else ''}@{r.choice(DOMAINS)}")
        if i >= 8:  # mixed into other text, a few times only
            vals = ["RAS", "transmis", f"écrire à {vals[0]} pour suite", "RAS", "sans objet"]
        out.append((name, vals, "email"))
    # --- telephone numbers
    for i, name in enumerate(["telephone", "tel", "Tel_Portable", "phone", "num_tel", "gsm", "info", "contact",
                              "champ2", "joignable", "numero", "remarque", "appelant_coord", "x", "divers"]):
        if i < 10:
            vals = [fr_mobile(r, i + k) for k in range(10)]
        elif i < 12:
            vals = [fr_landline(r) for _ in range(8)]
        else:
            vals = ["RAS", f"rappeler le {fr_mobile(r, i)} après 18h", "sans suite", "RAS"]
        out.append((name, vals, "phone"))
    out.append(("international", list(INTERNATIONAL), "phone"))
    out.append(("contact_etranger", INTERNATIONAL[:5] + ["inconnu", "RAS"], "phone"))
    out.append(("numero", [int("6" + _digits(r, 8)) for _ in range(12)], "phone"))  # leading 0 lost
    out.append(("ref2", [int("33" + "6" + _digits(r, 8)) for _ in range(12)], "phone"))
    out.append(("champ_tel_txt", ["0491" + _digits(r, 6) for _ in range(10)], "phone"))
    # --- licence plates
    for i, name in enumerate(["immatriculation", "immat", "plaque", "plate", "vehicule", "info", "remarque",
                              "champ4", "ref_vehicule", "obj"]):
        if i % 3 == 0:
            vals = [siv(r) for _ in range(10)]
        elif i % 3 == 1:
            vals = [fni(r) for _ in range(10)]
        else:
            vals = [siv(r, r.choice(["", " ", "-"])) for _ in range(10)]
        out.append((name, vals, "licence_plate"))
    out.append(("observation", ["véhicule " + siv(r) + " stationné sur trottoir", "RAS", "RAS", "enlevé"],
                "licence_plate"))
    out.append(("note_enlevement", ["fourrière", "Renault Clio " + fni(r), "sans objet"], "licence_plate"))
    out.append(("lowercase_plate", [siv(r).lower() for _ in range(6)], "licence_plate"))
    # --- dates of birth
    for i, name in enumerate(["date_naissance", "DateNaissance", "dob", "birth_date", "ne_le", "née_le",
                              "date_de_naissance", "age"]):
        vals = birth_dates(r, 12, "iso" if i % 2 else "fr") if name != "age" else [r.randrange(12, 90) for _ in range(12)]
        out.append((name, vals, "birth_date"))
    for i, name in enumerate(["d1", "date", "info", "jour", "champ5", "date_ref"]):
        out.append((name, birth_dates(r, 20, "iso" if i % 2 else "fr"), "birth_date"))
    out.append(("date_x", pd.Series(pd.to_datetime(birth_dates(r, 15))).tolist(), "birth_date"))
    out.append(("when", [dt.date.fromisoformat(d) for d in birth_dates(r, 15)], "birth_date"))
    out.append(("remarque", ["RAS", "personne née le 12/03/1987 interpellée", "RAS", "calme"], "birth_date"))
    # --- social security numbers
    for i, name in enumerate(["nir", "num_secu", "securite_sociale", "info", "champ6", "ref", "identifiant",
                              "numero_dossier"]):
        out.append((name, [nir(r, spaced=bool(i % 2)) for _ in range(8)], "nir"))
    numeric = []
    while len(numeric) < 8:
        v = nir(r)
        if v.isdigit():
            numeric.append(int(v))
    out.append(("nir_numeric", numeric, "nir"))
    out.append(("remarque", ["RAS", f"assuré {nir(r, True)} pris en charge", "sans suite"], "nir"))
    # --- IBANs
    for i, name in enumerate(["iban", "rib", "compte_bancaire", "info", "champ7", "reference", "paiement"]):
        out.append((name, [iban_fr(r, spaced=bool(i % 2)) for _ in range(6)], "iban"))
    out.append(("remarque", ["RAS", f"remboursement sur {iban_fr(r)} demandé", "RAS"], "iban"))
    # --- free-text descriptions
    for name in ["description", "commentaire", "remarque", "info", "texte", "observations", "champ8", "libre",
                 "detail", "motif", "recit", "notes"]:
        out.append((name, free_texts(r, 25), "free_text"))
    # --- harder cases
    telegraphic = [
        "tapage signalé 3e étage bât B, voisins excédés, patrouille sur place 23h40",
        "VL stationné sur passage piéton, conducteur absent, enlèvement demandé par agent",
        "bagarre entre deux groupes devant le snack, un blessé léger pris en charge",
        "dépôt sauvage encombrants au pied de l'immeuble, bailleur prévenu ce jour",
        "scooter volé retrouvé incendié dans le parking souterrain niveau -2",
        "rodéo urbain signalé boulevard, plusieurs appels, équipage envoyé sur zone",
    ]
    out.append(("obs_agent", telegraphic, "free_text"))
    out.append(("OBS", [t.upper() for t in telegraphic], "free_text"))
    out.append(("comment_en", [
        "Caller reports loud music coming from the flat above since midnight",
        "The patrol found two people arguing in the street and calmed them down",
        "A resident complains about a car parked on the pavement for three days",
        "Shop owner says a group of teenagers is blocking the entrance again",
        "Neighbour heard glass breaking and saw someone running towards the harbour",
    ], "free_text"))
    out.append(("temoins", ["inconnu"] * 20 + person_names(r, 6, 0), "person_name"))
    out.append(("info_bis", ["Kylian Mbappé", "Zinedine Zidane", "Ousmane Dembélé", "Karim Benzema", "Jean Dupont",
                             "Marie Ferrandi", "Youssef Ouali", "Bixente Lizarazu", "Fabien Barthez", "Nadia Rossi"],
                "person_name"))
    out.append(("EMAIL_UP", [f"{f.upper()}.{last.upper()}@ORANGE.FR" for f, last in zip(["JEAN", "LEA", "KARIM"], LAST)],
                "email"))
    out.append(("plaque_old_dash", [f"{r.randrange(1, 9999)}-{'ABC'[: r.randrange(1, 4)]}-13" for _ in range(6)],
                "licence_plate"))
    out.append(("nir_points", [nir(r, True).replace(" ", ".") for _ in range(6)], "nir"))
    out.append(("contacts", [f"{fr_mobile(r, 0)} / {fr_landline(r)}" for _ in range(5)], "phone"))
    return out


def non_personal_samples() -> List[Sample]:
    r = _rng(99)
    rng = np.random.default_rng(99)
    out: List[Sample] = []
    # categories, natures, sources, statuses: many rows, few values
    for name in ["category", "categorie", "type", "CATEGORY", "info", "nature_fait"]:
        out.append((name, [r.choice(CATEGORIES) for _ in range(200)], None))
    for name in ["nature", "type_evenement", "libelle"]:
        out.append((name, [r.choice(NATURES) for _ in range(100)], None))
    for name in ["source", "service", "origine", "remarque"]:
        out.append((name, [r.choice(SOURCES) for _ in range(100)], None))
    out.append(("status", [r.choice(["fluide", "dense", "sature", "ferme", "inconnu"]) for _ in range(60)], None))
    out.append(("statut", ["Fluide", "Dense", "Saturé", "Fermé", "Inconnu"], None))
    # sector names and ids, including under "name" and "nom"
    for name in ["name", "nom", "sector", "secteur", "nom_secteur", "quartier", "info", "libelle"]:
        out.append((name, list(SECTORS), None))
    out.append(("sector_id", [f"S{i:02d}" for i in range(1, 17)], None))
    out.append(("code_secteur", [f"13-{i:03d}" for i in range(1, 40)], None))
    # public places and addresses of public places
    for name in ["name", "nom", "lieu", "adresse", "info", "localisation", "nom_voie", "remarque"]:
        out.append((name, list(PUBLIC_PLACES), None))
    for name in ["adresse", "lieu_exact", "address"]:
        out.append((name, list(ADDRESSES), None))
    out.append(("name", ["Boulevard National", "Rue de Rome", "La Canebière", "Avenue du Prado", "Cours Lieutaud",
                         "Quai des Belges", "Boulevard Jean Moulin", "Tunnel Prado-Carénage", "A7", "A55", "L2",
                         "Boulevard Michelet", "Rue Paradis", "Avenue de la Capelette"], None))
    # counts and numbers
    for name in ["count", "nb", "participants", "effectif", "n", "info", "valeur", "champ1"]:
        out.append((name, rng.integers(0, 5000 if name == "participants" else 12, 300).tolist(), None))
    out.append(("fid", list(range(1, 2001)), None))
    out.append(("population", rng.integers(20_000, 120_000, 16).tolist(), None))
    out.append(("score", np.round(rng.gamma(2.0, 10.0, 300), 3).tolist(), None))
    out.append(("weight", [0.5, 1.0, 1.5, 2.0, 3.0], None))
    out.append(("radius_m", rng.integers(30, 300, 50).astype(float).tolist(), None))
    out.append(("bearing_deg", rng.uniform(0, 360, 50).round(1).tolist(), None))
    out.append(("fov_deg", [60.0, 90.0, 120.0, 360.0] * 5, None))
    out.append(("annee", rng.integers(2016, 2025, 100).tolist(), None))
    out.append(("mois", rng.integers(1, 13, 100).tolist(), None))
    out.append(("heure", rng.integers(0, 24, 100).tolist(), None))
    out.append(("montant", [35.0, 135.0, 68.0, 22.0, 375.0] * 10, None))
    out.append(("surface_m2", rng.uniform(100, 1e6, 80).round(2).tolist(), None))
    out.append(("duree_h", rng.uniform(0.5, 48, 80).round(2).tolist(), None))
    # coordinates, as numbers and as text
    out.append(("x", rng.uniform(885_000, 905_000, 500).round(2).tolist(), None))
    out.append(("y", rng.uniform(6_240_000, 6_260_000, 500).round(2).tolist(), None))
    out.append(("X_L93", rng.integers(885_000, 905_000, 300).tolist(), None))
    out.append(("Y_L93", rng.integers(6_240_000, 6_260_000, 300).tolist(), None))
    out.append(("lon", rng.uniform(5.30, 5.45, 300).round(6).tolist(), None))
    out.append(("lat", rng.uniform(43.20, 43.38, 300).round(6).tolist(), None))
    out.append(("coords", [f"{a:.6f}, {b:.6f}" for a, b in zip(rng.uniform(43.2, 43.38, 100), rng.uniform(5.3, 5.45, 100))], None))
    out.append(("wkt", [f"POINT ({a:.2f} {b:.2f})" for a, b in zip(rng.uniform(885e3, 905e3, 100), rng.uniform(624e4, 626e4, 100))], None))
    xs, ys = rng.uniform(885e3, 905e3, 60), rng.uniform(624e4, 626e4, 60)
    out.append(("geom_txt", [f"LINESTRING ({a:.1f} {b:.1f}, {a + 50:.1f} {b + 20:.1f})" for a, b in zip(xs, ys)], None))
    out.append(("xy_mercator", [f"{a:.1f} {b:.1f}" for a, b in zip(rng.uniform(590e3, 600e3, 100), rng.uniform(5_340e3, 5_360e3, 100))], None))
    # datetimes of facts and events
    base = pd.Timestamp("2017-01-01")
    stamps = [base + pd.Timedelta(minutes=int(m)) for m in rng.integers(0, 8 * 365 * 24 * 60, 400)]
    out.append(("occurred_at", [s.isoformat() for s in stamps], None))
    out.append(("occurred_at", [s.strftime("%d/%m/%Y %H:%M") for s in stamps], None))
    out.append(("date_heure", stamps, None))
    out.append(("start", pd.Series(stamps).dt.tz_localize("Europe/Paris").tolist(), None))
    out.append(("date", [s.date().isoformat() for s in stamps], None))
    out.append(("jour", [s.strftime("%d/%m/%Y") for s in stamps], None))
    out.append(("date_evt", [s.normalize() for s in stamps], None))
    out.append(("updated_at", [(pd.Timestamp("2024-05-01") + pd.Timedelta(seconds=int(s))).isoformat()
                               for s in rng.integers(0, 86400 * 30, 100)], None))
    out.append(("date_creation", ["2015-01-01"] * 16, None))
    out.append(("mise_en_service", [f"{y}-0{m}-01" for y, m in zip(rng.integers(2008, 2022, 40), rng.integers(1, 10, 40))], None))
    out.append(("heure_txt", [f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(0, 24, 100), rng.integers(0, 60, 100))], None))
    out.append(("jour_semaine", [r.choice(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]) for _ in range(100)], None))
    out.append(("weekend", [r.choice([True, False]) for _ in range(100)], None))
    out.append(("est_ete", [r.choice(["oui", "non"]) for _ in range(100)], None))
    # identifiers
    out.append(("event_id", [f"EV-{y}-{i:05d}" for y, i in zip(rng.integers(2016, 2025, 300), rng.integers(1, 99999, 300))], None))
    out.append(("event_id", [f"EVT{i:06d}" for i in range(500)], None))
    out.append(("camera_id", [f"CAM-{i:04d}" for i in range(1, 200)], None))
    out.append(("axis_id", [f"AX{i:03d}" for i in range(1, 120)], None))
    out.append(("operation", [f"OP-2024-{i:03d}" for i in range(1, 60)], None))
    uuids = [f"{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-a{r.getrandbits(12):03x}-"
             f"{r.getrandbits(48):012x}" for _ in range(100)]
    out.append(("uuid", uuids, None))
    out.append(("code_postal", [f"130{i:02d}" for i in range(1, 17)] * 3, None))
    out.append(("insee", [f"132{i:02d}" for i in range(1, 17)], None))
    out.append(("arrondissement", [f"{i}e" for i in range(1, 17)], None))
    out.append(("siret_organisateur", [_digits(r, 14) for _ in range(20)], None))
    out.append(("num_arrete", [f"2024-{r.randrange(1, 9999):04d}/DGSEC" for _ in range(40)], None))
    out.append(("ref_dossier", [f"MC{r.randrange(10**7, 10**8)}" for _ in range(80)], None))
    # media and links
    out.append(("photo", [f"https://observatoire.example/media/ev_{i:05d}.jpg" for i in range(50)], None))
    out.append(("video", [f"media/events/2023/{i:04d}.mp4" for i in range(50)], None))
    out.append(("pictogramme", [f"{n}.svg" for n in NATURES], None))
    # short standard texts, repeated
    out.append(("libelle", ["Stationnement gênant", "Dépôt sauvage", "Tapage nocturne", "Rixe", "Vol à l'étalage",
                            "Feu de poubelle", "Tags", "Chien dangereux"] * 10, None))
    out.append(("commentaire", ["RAS", "calme", "sans suite", "transmis PN", "en cours", ""] * 20, None))
    out.append(("remarque", ["RAS"] * 50 + [""] * 50, None))
    out.append(("remarque", [None] * 40, None))
    out.append(("consigne", ["Intervention suite à appel du centre de supervision urbaine",
                             "Patrouille renforcée aux abords du stade les soirs de match",
                             "Fermeture de la voie à la circulation pendant la durée de la manifestation"] * 30, None))
    out.append(("nom_evenement", ["Marathon de Marseille", "Fête de la Musique", "Concert au Vélodrome", "Match OM - PSG",
                                  "Manifestation intersyndicale", "Festival Marsatac", "Défilé du 14 juillet",
                                  "Carnaval de la Plaine", "Braderie de la Canebière", "Feu d'artifice du 14 juillet",
                                  "Marché de Noël du Vieux-Port", "Nuit Blanche", "Fiesta des Suds",
                                  "Cérémonie au Monument aux morts"], None))
    out.append(("organisateur", ["Ville de Marseille", "Préfecture de police", "Association des commerçants du Panier",
                                 "CGT 13", "Olympique de Marseille", "Métropole Aix-Marseille-Provence", "RTM",
                                 "Office de tourisme"], None))
    out.append(("description_camera", [f"Caméra dôme carrefour {a} / {b}" for a, b in zip(SECTORS[:15], SECTORS[15:])], None))
    out.append(("meteo", [r.choice(["beau temps", "pluie", "mistral", "orage", "canicule"]) for _ in range(80)], None))
    out.append(("couleur", ["vert", "orange", "rouge", "noir", "gris"], None))
    out.append(("tranche_horaire", ["0h-6h", "6h-12h", "12h-18h", "18h-24h"] * 10, None))
    out.append(("mobile", [r.choice([0, 1]) for _ in range(40)], None))
    out.append(("portable", ["oui", "non"] * 10, None))
    out.append(("vehicule", ["VL", "PL", "2RM", "bus", "tram"] * 8, None))
    out.append(("type_voie", ["rue", "boulevard", "avenue", "place", "quai", "allée", "impasse", "traverse"], None))
    out.append(("empty_text", [""] * 30, None))
    out.append(("zeros", [0] * 30, None))
    out.append(("epoch_s", rng.integers(1_480_000_000, 1_730_000_000, 100).tolist(), None))
    out.append(("epoch_ms", (rng.integers(1_480_000_000, 1_730_000_000, 100) * 1000).tolist(), None))
    out.append(("gros_id", rng.integers(10**14, 9 * 10**14, 300).tolist(), None))
    out.append(("ref_longue", [_digits(r, 15) for _ in range(300)], None))
    out.append(("itineraire", ["Vieux-Port > Canebière > Réformés > Cinq-Avenues", "Castellane > Prado > Vélodrome",
                               "Porte d'Aix > Belsunce > Vieux-Port", "Joliette > Arenc > Euroméditerranée"], None))
    out.append(("secteur_desc", [f"Secteur {i} : {a}, {b}, {c}" for i, (a, b, c) in
                                 enumerate(zip(SECTORS[:10], SECTORS[10:20], SECTORS[20:30]), 1)], None))
    out.append(("category_en", ["public order", "noise", "theft", "vandalism", "assault", "rescue", "towing", "fine"] * 5, None))
    out.append(("ratio", rng.uniform(0, 1, 100).round(4).tolist(), None))
    out.append(("version", ["1.0", "1.1", "2.0", "2.1.3"], None))
    out.append(("ligne_bus", [f"Ligne {n}" for n in [19, 21, 41, 49, 54, 72, 83, 89, 97, 120]], None))
    out.append(("station_metro", ["Vieux-Port", "Noailles", "Castellane", "Saint-Charles", "Joliette",
                                  "Rond-point du Prado", "Jean Jaurès", "Réformés Canebière", "Sainte-Marguerite Dromel"], None))
    return out


def corpus() -> List[Sample]:
    return personal_samples() + non_personal_samples()
