"""The personal-data guard of SPEC §7: no personal data enters the observatory.

Every layer goes through :func:`check_personal_data` on import.  Each field is
judged by its **name** and by its **content** (field names prove nothing: a
column called ``info`` or ``remarque`` is judged by what it holds).  A field
that looks personal is refused, with a :class:`PrivacyReport` naming the field,
the reason and how many values matched, unless the user drops it; the report
then says which fields were dropped.  The report never shows a personal value:
counts, and at most a masked example such as ``06 •• •• •• 78``.

The rules live in :data:`RULES` just below: one line per kind of personal data,
with the field names that are enough on their own, the names that only lower
the bar for the content test, and the thresholds of the content test.  The
content tests themselves are the ``_detect_*`` functions further down;
``docs/privacy.md`` explains them for users.

Speed: it samples rather than scans everything.  A field with more than
:data:`ROW_SAMPLE` rows is first reduced to that many rows, then to its
distinct non-empty values with a hash count (vectorised); at most
:data:`SAMPLE_SIZE` distinct values per field are examined by the content
tests.  Both draws use a fixed seed, so the verdict is the same on every run,
and a 2,000,000-row layer takes a fraction of a second per field.  A personal
value rarer than the sample can escape the content test (the name test always
applies); the report names the fields that were sampled.

Pure Python (pandas, numpy, ``phonenumbers``, ``python-stdnum``): no QGIS import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import numpy as np
import pandas as pd

from tranquillite_plugin.core.contract import ContractError, RawLayer

#: at most this many distinct non-empty values are examined per field
SAMPLE_SIZE = 5000
#: a field with more rows than this is first reduced to this many rows (fixed seed)
ROW_SAMPLE = 250_000
#: seed of the draws
SAMPLE_SEED = 0


def _names(*alternatives: str) -> str:
    """Regex matching a normalised field name holding one of these tokens.

    Field names are normalised first (accents stripped, lower case, camelCase
    and any punctuation turned into ``_``): ``DateNaissance`` -> ``date_naissance``.
    A token may carry a trailing number (``tel2``).
    """
    return r"(?:^|_)(?:" + "|".join(alternatives) + r")\d*(?:_|$)"


_ROLES = (
    "victime|victim|auteur|author|conducteur|driver|proprietaire|owner|agent|declarant|temoin|witness|"
    "contrevenant|requerant|plaignant|demandeur|personne|person|individu|contact|user|utilisateur|client|"
    "habitant|riverain|organisateur|responsable|interpelle|suspect|appelant|caller|signalant|usager"
)


@dataclass(frozen=True)
class Rule:
    """One kind of personal data and how the guard recognises it."""

    id: str
    #: what the field holds, as the report says it
    reason: str
    #: regex on the normalised field name: the name alone refuses the field
    names: str
    #: regex on the normalised field name: the name only lowers the content bar
    hint_names: str
    #: share of the sampled distinct values that must match the content test
    min_share: float
    #: the same share when the field's name is a hint
    hint_share: float
    #: and at least this many matching distinct values
    min_matches: int
    #: the content test in one sentence (for the report and the docs)
    content_test: str
    #: the names of ``names`` and ``hint_names`` in words (for the docs)
    names_doc: str = ""


# --- THE RULES ----------------------------------------------------------------
# A field is personal when its name matches `names`, or when its content test
# matches at least `min_matches` sampled distinct values making at least
# `min_share` of them (`hint_share` when the name matches `hint_names`).
# Validated identifiers (e-mail, telephone, plate, NIR, IBAN) need one match:
# a single telephone number in a comment column is personal data.
RULES: Tuple[Rule, ...] = (
    Rule(
        "person_name",
        "person names",
        names=_names(
            "prenoms?", "first_?names?", "given_?names?", "surnames?", "last_?names?", "full_?names?",
            "patronymes?", "nom_prenoms?", "prenom_nom", "noms?_(?:de_)?famille", "noms?_(?:d_)?usage",
            "noms?_(?:de_)?naissance", "nom_(?:de_)?jeune_fille", "nom_complet", "identite",
            r"(?:nom|noms|name|names)_(?:" + _ROLES + r")s?",
            r"(?:" + _ROLES + r")s?_(?:nom|noms|name|names)",
        ),
        hint_names=r"^(?:nom|noms|name|names|personne|person|contact|qui|who|identite)$",
        min_share=0.3,
        hint_share=0.1,
        min_matches=2,
        content_test=(
            "a common French first name next to a capitalised word (\"Jean Dupont\", \"DUPONT Jean\") "
            "that no street or place word (rue, place, stade, saint, général...) comes before, or a title "
            "and a name (\"Mme Martin\": one is enough); for a field called nom/name, also bare first or "
            "family names"
        ),
        names_doc=(
            "prenom, firstname, surname, lastname, fullname, nom_famille, nom_usage, patronyme, identite; "
            "nom or name with a person's role (nom_victime, nom_conducteur, declarant_nom, name_owner...). "
            "Hint: a field called just nom, name, personne, contact"
        ),
    ),
    Rule(
        "email",
        "e-mail addresses",
        names=_names("e_?mails?", "mails?", "courriels?", "mel", "adresse_electronique", "adresse_mail"),
        hint_names=r"^$",
        min_share=0.0,
        hint_share=0.0,
        min_matches=1,
        content_test="an e-mail address anywhere in the value",
        names_doc="email, e_mail, mail, courriel, mel, adresse_mail",
    ),
    Rule(
        "phone",
        "telephone numbers",
        names=_names(
            "tel", "tels", "telephones?", "phones?", "phone_?numbers?", "gsm", "fax", "num_tel", "numero_tel",
            "tel_(?:portable|mobile|fixe)", "(?:mobile|cell)_?phones?", "portable_tel", "telefono",
        ),
        hint_names=r"^$",
        min_share=0.0,
        hint_share=0.0,
        min_matches=1,
        content_test=(
            "a telephone number, French or international, that `phonenumbers` finds in the text and "
            "validates (region FR); for a number field, at least half its values read as valid French "
            "numbers (9 digits, the leading 0 lost, or 33 and 9 digits)"
        ),
        names_doc="tel, telephone, phone, gsm, fax, num_tel, tel_portable, mobile_phone",
    ),
    Rule(
        "licence_plate",
        "vehicle licence plates",
        names=_names(
            "immat", "immats", "immatriculations?", "plaques?", "plaque_immatriculation", "plates?",
            "licen[cs]e_plates?", "number_?plates?",
        ),
        hint_names=r"^$",
        min_share=0.0,
        hint_share=0.0,
        min_matches=1,
        content_test=(
            "a French plate: SIV \"AB-123-CD\" (no I, O, U) or the old format \"123 ABC 13\" "
            "(1-4 digits, 1-3 letters, a department)"
        ),
        names_doc="immat, immatriculation, plaque, plate, licence_plate, number_plate",
    ),
    Rule(
        "birth_date",
        "dates of birth or ages",
        names=_names(
            "naissance", "naiss", "date_?naissance", "dob", "birth", "birth_?date", "birthday", "date_of_birth",
            "nee?_le", "ne_e_le", "ages?", "age_ans",
        ),
        hint_names=r"^$",
        min_share=0.8,
        hint_share=0.8,
        min_matches=3,
        content_test=(
            "dates without a time of day, 0 to 110 years old, whose median is at least 16 years ago and "
            "which spread over at least 10 years (people's birthdays, not events); or \"né(e) le <date>\" "
            "or \"date de naissance\" in a text"
        ),
        names_doc="naissance, date_naissance, dob, birth, birthdate, birthday, ne_le, nee_le, age",
    ),
    Rule(
        "nir",
        "social security numbers (NIR)",
        names=_names("nir", "nirpp", "secu", "securite_sociale", "num_secu", "numero_secu", "nss", "ssn",
                     "social_security"),
        hint_names=r"^$",
        min_share=0.0,
        hint_share=0.0,
        min_matches=1,
        content_test=(
            "a 15-character French NIR whose key `stdnum.fr.nir` validates: one inside a text is enough; "
            "a column of bare numbers needs half of them to check (1 random number in 97 does)"
        ),
        names_doc="nir, secu, num_secu, securite_sociale, nss, ssn, social_security",
    ),
    Rule(
        "iban",
        "bank account numbers (IBAN)",
        names=_names("iban", "ibans", "rib", "bban", "compte_bancaire", "bank_account"),
        hint_names=r"^$",
        min_share=0.0,
        hint_share=0.0,
        min_matches=1,
        content_test="an IBAN whose checksum `stdnum.iban` validates",
        names_doc="iban, rib, bban, compte_bancaire, bank_account",
    ),
    Rule(
        "free_text",
        "free-text descriptions",
        names=r"^$",  # a name like 'remarque' proves nothing: the content decides
        hint_names=r"^$",
        min_share=0.5,
        hint_share=0.5,
        min_matches=1,
        content_test=(
            "sentences: values of at least 40 characters and 6 words that are not a street address, "
            "in a field whose median value is over 40 characters and whose values are mostly unique "
            "(distinct values at least half the non-empty rows)"
        ),
        names_doc="(none: description, remarque, commentaire, info... are judged by their content)",
    ),
)

RULES_BY_ID: Dict[str, Rule] = {r.id: r for r in RULES}

# Words that, just before a first name, make it part of a place's name
# ("Place Jean Jaurès", "Stade Pierre Delort", "Saint Antoine", "Général de Gaulle").
PLACE_WORDS = frozenset(
    """
    rue rues avenue av ave boulevard bd bld blvd place pl cours quai quais allee allees impasse chemin ch
    traverse montee route rte square esplanade parvis rond point pont parc jardin jardins port plage
    promenade corniche passage residence cite stade gymnase piscine ecole college lycee universite
    faculte hopital clinique centre salle gare metro station arret tunnel eglise cathedrale basilique
    chapelle musee theatre palais marche halle halles mairie bibliotheque mediatheque cinema complexe
    espace maison foyer creche quartier lotissement domaine bastide chateau hameau village campus tour
    immeuble batiment bat groupe secteur zone parking saint sainte st ste saints general gal marechal
    president docteur abbe pere soeur frere freres colonel capitaine commandant lieutenant amiral
    cardinal monseigneur mgr professeur pr sergent aviateur fondation institut association club prix
    avenues boulevards bvd anse vallon plateau carrefour giratoire echangeur bretelle
    """.split()
)
STOP_WORDS = frozenset("le la les l du de des d et a au aux en sur sous pour par avec un une sa son ses".split())
ARTICLES = frozenset("le la les l".split())
TITLES = frozenset("m mr mme mlle mrs ms monsieur madame mademoiselle".split())


# --- report ----------------------------------------------------------------------


@dataclass
class Finding:
    """One reason why one field looks personal."""

    field: str
    rule: str
    reason: str
    by: str  # "name" or "content"
    matches: int = 0  # sampled distinct values that matched the content test
    sampled: int = 0  # distinct non-empty values examined
    rows: int = 0  # rows holding the matching values (among those examined)
    example: str = ""  # masked, never a value as it is

    def describe(self) -> str:
        if self.by == "name":
            text = f"{self.reason} (by its name)"
        else:
            text = f"{self.reason}: {self.matches} of {self.sampled} distinct values examined, {self.rows} rows"
        if self.example:
            text += f", e.g. {self.example}"
        return text


@dataclass
class PrivacyReport:
    layer: str
    fields: List[str] = field(default_factory=list)  # fields examined
    findings: List[Finding] = field(default_factory=list)
    dropped: List[str] = field(default_factory=list)
    sampled_fields: List[str] = field(default_factory=list)  # fields with more distinct values than the sample
    sample_size: int = SAMPLE_SIZE

    @property
    def personal_fields(self) -> List[str]:
        """Fields judged personal, in the layer's order."""
        seen = {f.field for f in self.findings}
        return [f for f in self.fields if f in seen]

    @property
    def remaining(self) -> List[str]:
        """Personal fields that were not dropped."""
        return [f for f in self.personal_fields if f not in self.dropped]

    @property
    def ok(self) -> bool:
        return not self.remaining

    def findings_for(self, name: str) -> List[Finding]:
        return [f for f in self.findings if f.field == name]

    def reasons(self, name: str) -> List[str]:
        out: List[str] = []
        for f in self.findings_for(name):
            if f.reason not in out:
                out.append(f.reason)
        return out

    def lines(self) -> List[str]:
        out = []
        for name in self.personal_fields:
            for f in self.findings_for(name):
                out.append(f"field '{name}': {f.describe()}")
        return out

    def summary(self) -> str:
        head = f"layer '{self.layer}': {len(self.fields)} fields examined"
        if self.personal_fields:
            head += f", {len(self.personal_fields)} look personal ({', '.join(self.personal_fields)})"
        else:
            head += ", none looks personal"
        if self.dropped:
            head += f"; fields dropped: {', '.join(self.dropped)}"
        if self.sampled_fields:
            head += (
                f"; sampled (at most {ROW_SAMPLE:,} rows and {self.sample_size:,} distinct values a field, "
                f"fixed seed): {', '.join(self.sampled_fields)}"
            )
        return "\n".join([head] + ["  " + line for line in self.lines()])

    def as_dict(self) -> dict:
        return {
            "layer": self.layer,
            "fields": list(self.fields),
            "personal_fields": self.personal_fields,
            "dropped": list(self.dropped),
            "sampled_fields": list(self.sampled_fields),
            "sample_size": self.sample_size,
            "findings": [f.__dict__.copy() for f in self.findings],
        }


class PersonalDataError(ValueError):
    """Personal fields are present and were not dropped."""

    def __init__(self, report: PrivacyReport):
        parts = [f"'{name}' ({'; '.join(f.describe() for f in report.findings_for(name))})" for name in report.remaining]
        message = (
            f"layer '{report.layer}' holds personal data in field"
            f"{'s' if len(report.remaining) > 1 else ''} {', '.join(parts)}. "
            "The observatory keeps no personal data: drop "
            f"{'these fields' if len(report.remaining) > 1 else 'this field'} to import the layer."
        )
        super().__init__(message)
        self.report = report
        self.layer = report.layer
        self.fields = list(report.remaining)


# --- public API --------------------------------------------------------------------


def check_personal_data(
    attributes: pd.DataFrame,
    layer_name: str,
    drop: Iterable[str] = (),
    sample_size: int = SAMPLE_SIZE,
) -> Tuple[pd.DataFrame, PrivacyReport]:
    """Drops the ``drop`` fields and checks the others; returns (kept attributes, report).

    Raises :class:`PersonalDataError` (message naming the layer, the fields and
    the reasons; ``.report`` holds the report) when a kept field looks personal.
    Names in ``drop`` match field names exactly or, failing that,
    case-insensitively; a name that matches no field raises ``KeyError``.
    """
    kept, dropped = _drop_fields(attributes, layer_name, drop)
    report = scan_personal_data(kept, layer_name, sample_size=sample_size)
    report.dropped = dropped
    if report.remaining:
        raise PersonalDataError(report)
    return kept, report


def scan_personal_data(
    attributes: pd.DataFrame,
    layer_name: str,
    sample_size: int = SAMPLE_SIZE,
    today: Optional[pd.Timestamp] = None,
) -> PrivacyReport:
    """Judges every field of ``attributes``; never raises on personal data."""
    report = PrivacyReport(layer=str(layer_name), sample_size=sample_size)
    for column in attributes.columns:
        name = str(column)
        report.fields.append(name)
        sample = sample_field(attributes[column], name, sample_size)
        if sample.sampled:
            report.sampled_fields.append(name)
        report.findings.extend(judge_field(sample, today=today))
    return report


def apply_decision(attributes: pd.DataFrame, report: PrivacyReport, drop: Iterable[str]) -> pd.DataFrame:
    """Drops the user's chosen fields; raises :class:`PersonalDataError` if personal ones remain.

    ``report`` is the result of :func:`scan_personal_data` on the same attributes;
    its ``dropped`` list is filled in.
    """
    kept, dropped = _drop_fields(attributes, report.layer, drop)
    report.dropped = dropped
    if report.remaining:
        raise PersonalDataError(report)
    return kept


def _drop_fields(attributes: pd.DataFrame, layer_name: str, drop: Iterable[str]) -> Tuple[pd.DataFrame, List[str]]:
    columns = [str(c) for c in attributes.columns]
    by_lower: Dict[str, str] = {}
    for c in columns:
        by_lower.setdefault(c.lower(), c)
    dropped: List[str] = []
    for name in drop or ():
        name = str(name)
        found = name if name in columns else by_lower.get(name.lower())
        if found is None:
            raise KeyError(
                f"layer '{layer_name}' has no field '{name}' to drop (fields: {', '.join(columns) or 'none'})"
            )
        if found not in dropped:
            dropped.append(found)
    keep = [c for c in attributes.columns if str(c) not in dropped]
    return attributes.loc[:, keep], dropped


# --- sampling ----------------------------------------------------------------------


@dataclass
class FieldSample:
    """The distinct non-empty values of one field, at most ``sample_size`` of them."""

    name: str
    kind: str  # "text", "integer", "real", "datetime", "bool", "empty"
    values: np.ndarray  # distinct values as stripped text (object array)
    rows: np.ndarray  # rows holding each value
    n_rows: int
    n_nonempty: int  # among the rows examined
    n_distinct: int  # among the rows examined
    sampled: bool  # rows or distinct values were drawn, not all examined
    numbers: Optional[np.ndarray] = None  # for integer/real kinds
    datetimes: Optional[pd.Series] = None  # for the datetime kind (naive)
    n_examined: int = 0  # rows examined (all of them, or ROW_SAMPLE)

    def __len__(self) -> int:
        return len(self.values)


def _as_text(value) -> str:
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8", "replace")
        except Exception:  # pragma: no cover - defensive
            value = repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def sample_field(
    series: pd.Series, name: str, sample_size: int = SAMPLE_SIZE, row_sample: int = ROW_SAMPLE
) -> FieldSample:
    """Distinct non-empty values of a column with their row counts, sampled if many."""
    s = pd.Series(series).reset_index(drop=True)
    n_rows = len(s)
    rows_drawn = n_rows > row_sample
    if rows_drawn:
        pick = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n_rows, row_sample, replace=False))
        s = s.iloc[pick].reset_index(drop=True)
    dtype = s.dtype
    numbers = None
    datetimes = None
    if pd.api.types.is_bool_dtype(dtype):
        kind = "bool"
        vc = s.dropna().value_counts(sort=False)
        texts = np.array([str(v) for v in vc.index], dtype=object)
        rows = vc.to_numpy(np.int64)
    elif isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        kind = "datetime"
        d = s.dropna()
        if isinstance(d.dtype, pd.DatetimeTZDtype):
            d = d.dt.tz_localize(None)
        vc = d.value_counts(sort=False)
        datetimes = pd.Series(vc.index)
        texts = np.array([v.isoformat() for v in vc.index], dtype=object)
        rows = vc.to_numpy(np.int64)
    elif pd.api.types.is_numeric_dtype(dtype):
        d = pd.to_numeric(s, errors="coerce").astype(float)
        d = d[np.isfinite(d.to_numpy())]
        vc = d.value_counts(sort=False)
        numbers = vc.index.to_numpy(float)
        rows = vc.to_numpy(np.int64)
        kind = "integer" if len(numbers) and np.all(numbers == np.round(numbers)) else "real"
        texts = np.array([_as_text(float(v)) for v in numbers], dtype=object)
    else:
        # a hash count on the plain object array (faster than pandas' string dtype)
        codes, raw = pd.factorize(s.to_numpy(object))
        counts = np.bincount(codes[codes >= 0], minlength=len(raw))
        if len(raw) and all(_is_number(v) for v in raw):
            numeric = pd.Series(np.repeat(np.asarray(raw, dtype=float), counts))
            out = sample_field(numeric, name, sample_size, row_sample)
            out.n_rows, out.sampled = n_rows, out.sampled or rows_drawn
            return out
        # " RAS" and "RAS" are one value; blanks are no value
        text_codes, texts = pd.factorize(np.array([_as_text(v) for v in raw], dtype=object))
        rows = np.bincount(text_codes, weights=counts, minlength=len(texts)).astype(np.int64)
        texts = np.asarray(texts, dtype=object)
        filled = texts != ""
        texts, rows = texts[filled], rows[filled]
        kind = "text"
    if len(texts) == 0:
        kind = "empty"
    n_distinct = len(texts)
    n_nonempty = int(rows.sum()) if len(rows) else 0
    sampled = n_distinct > sample_size
    if sampled:
        pick = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n_distinct, sample_size, replace=False))
        texts = texts[pick]
        rows = rows[pick]
        if numbers is not None:
            numbers = numbers[pick]
        if datetimes is not None:
            datetimes = datetimes.iloc[pick].reset_index(drop=True)
    return FieldSample(
        name, kind, texts, rows, n_rows, n_nonempty, n_distinct, sampled or rows_drawn, numbers, datetimes, len(s)
    )


# --- judging a field ----------------------------------------------------------------


def normalise_field_name(name: str) -> str:
    """'DateNaissance' -> 'date_naissance'; 'Né le' -> 'ne_le'; 'e-Mail' -> 'e_mail'."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "_".join(t for t in re.split(r"[^a-z0-9]+", text) if t)


@dataclass
class Detection:
    """What a content test found in a sample."""

    mask: np.ndarray  # per sampled value: does it match
    found: List[str]  # per sampled value: the matching piece ("" if none)
    force: Optional[bool] = None  # True/False: the verdict regardless of the thresholds


def judge_field(sample: FieldSample, today: Optional[pd.Timestamp] = None) -> List[Finding]:
    """All findings for one field (empty list: the field passes)."""
    findings: List[Finding] = []
    norm = normalise_field_name(sample.name)
    for rule in RULES:
        if re.search(rule.names, norm):
            findings.append(Finding(sample.name, rule.id, rule.reason, "name", sampled=len(sample)))
            continue
        if not len(sample) or sample.kind == "bool":
            continue
        hinted = bool(re.search(rule.hint_names, norm))
        det = DETECTORS[rule.id](sample, hinted, today)
        k = int(det.mask.sum())
        if det.force is None:
            share = rule.hint_share if hinted else rule.min_share
            hit = k >= rule.min_matches and k >= share * len(sample)
        else:
            hit = bool(det.force) and k > 0
        if hit:
            first = int(np.flatnonzero(det.mask)[0])
            findings.append(
                Finding(
                    sample.name,
                    rule.id,
                    rule.reason,
                    "content",
                    matches=k,
                    sampled=len(sample),
                    rows=int(sample.rows[det.mask].sum()),
                    example=MASKS[rule.id](det.found[first] or str(sample.values[first])),
                )
            )
    return findings


# --- content tests ---------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# SIV (2009-): AB-123-CD, no I, O, U; the old FNI format: 123 ABC 13 (department 01-95, 2A, 2B, 971-976)
_PHONE_SHAPE = re.compile(r"\+\s?\(?\d|(?<!\d)00\s?[1-9]|(?<!\d)0[1-9](?:[\s.\-/]?\d){8}(?!\d)")
_SIV = r"[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}"
_FNI = r"\d{1,4}[- ][A-HJ-NP-Z]{1,3}[- ](?:0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])"
_PLATE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(?:" + _SIV + "|" + _FNI + r")(?![A-Za-z0-9])")
_PLATE_WHOLE = re.compile(r"(?:" + _SIV + "|" + _FNI + r")")
_NIR = re.compile(
    r"(?<![0-9A-Za-z])[1-478][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2[ABab])[ .\-]?\d{3}[ .\-]?\d{3}[ .\-]?\d{2}(?![0-9A-Za-z])"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,32}")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_FR_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: 00:00(?::00)?)?$")
_BIRTH_PHRASE = re.compile(
    r"\bn[ée]e?\s+le\s+\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\bdate\s+de\s+naissance\b|\bborn\s+on\b", re.IGNORECASE
)
_ADDRESS = re.compile(
    r"^\s*(?:\d+\s*(?:bis|ter)?\s*,?\s*)?(?:" + "|".join(sorted(PLACE_WORDS - {"saint", "sainte", "st", "ste"}, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_FUNCTION_WORDS = re.compile(
    r"(?<![\w'])(?:le|la|les|un|une|des|du|de|et|ou|au|aux|en|dans|sur|sous|pour|par|avec|qui|que|est|sont|"
    r"il|elle|ils|elles|on|nous|vous|je|ce|cet|cette|se|ne|pas|plus|the|an|of|to|and|is|was|in|at|for|with)"
    r"(?![\w'])|(?<!\w)(?:l|d|qu|j|s|n|c)'"
)
_TRIM = ".,;:!?()[]{}\"'«»“”"


def _strip_accents_lower(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=None)
def _name_list(filename: str) -> frozenset:
    path = Path(__file__).with_name("data") / filename
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(_strip_accents_lower(line))
    return frozenset(out)


def first_names() -> frozenset:
    """The shipped list of common first names (normalised: lower case, no accents)."""
    return _name_list("first_names_fr.txt")


def family_names() -> frozenset:
    return _name_list("surnames_fr.txt")


def _texts(sample: FieldSample) -> pd.Series:
    return pd.Series(sample.values, dtype=object)


def _empty(sample: FieldSample) -> Detection:
    return Detection(np.zeros(len(sample), bool), [""] * len(sample))


def _regex_detection(sample: FieldSample, pattern: re.Pattern, validate: Optional[Callable[[str], bool]] = None,
                     whole: Optional[re.Pattern] = None) -> Detection:
    """Values in which ``pattern`` finds a piece that ``validate`` accepts."""
    texts = _texts(sample)
    mask = np.zeros(len(sample), bool)
    found = [""] * len(sample)
    cand = texts.str.contains(pattern).to_numpy(bool).copy()
    if whole is not None:
        cand |= texts.str.upper().str.fullmatch(whole).to_numpy(bool)
    for i in np.flatnonzero(cand):
        text = sample.values[i]
        pieces = [m.group(0) for m in pattern.finditer(text)]
        if whole is not None and whole.fullmatch(text.upper()):
            pieces.append(text.upper())
        for piece in pieces:
            if validate is None or validate(piece):
                mask[i] = True
                found[i] = piece
                break
    return Detection(mask, found)


def _detect_email(sample, hinted, today):
    if sample.kind != "text":
        return _empty(sample)
    return _regex_detection(sample, _EMAIL)


def _detect_phone(sample, hinted, today):
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher

    mask = np.zeros(len(sample), bool)
    found = [""] * len(sample)
    if sample.kind == "integer":
        # a number field loses the leading 0: 612345678 is 06 12 34 56 78
        nums = sample.numbers
        for i in np.flatnonzero(((nums >= 1e8) & (nums < 1e9)) | ((nums >= 33e9) & (nums < 34e9))):
            digits = str(int(nums[i]))
            text = "0" + digits if len(digits) == 9 else "+" + digits
            try:
                ok = phonenumbers.is_valid_number(phonenumbers.parse(text, "FR"))
            except phonenumbers.NumberParseException:
                ok = False
            if ok:
                mask[i] = True
                found[i] = text
        # an identifier column is not a phone book: most of it must read as numbers
        return Detection(mask, found, force=bool(mask.sum() >= max(1, 0.5 * len(sample))))
    if sample.kind != "text":
        return Detection(mask, found)
    texts = _texts(sample)
    # only values shaped like a number (+33..., 0033..., 06 12 34 56 78) go to the matcher
    cand = ((texts.str.count(r"\d") >= 8) & texts.str.contains(_PHONE_SHAPE)).to_numpy(bool)
    for i in np.flatnonzero(cand):
        for match in PhoneNumberMatcher(sample.values[i], "FR", leniency=Leniency.VALID):
            mask[i] = True
            found[i] = match.raw_string
            break
    return Detection(mask, found)


def _detect_plate(sample, hinted, today):
    if sample.kind != "text":
        return _empty(sample)
    return _regex_detection(sample, _PLATE_IN_TEXT, whole=_PLATE_WHOLE)


def _nir_valid(piece: str) -> bool:
    from stdnum.fr import nir

    return nir.is_valid(re.sub(r"[ .\-]", "", piece).upper())


def _detect_nir(sample, hinted, today):
    if sample.kind not in ("text", "integer"):
        return _empty(sample)
    det = _regex_detection(sample, _NIR, _nir_valid)
    if det.mask.any():
        # a NIR's key is right for 1 random 15-digit number in 97: a column of long
        # identifiers is only a NIR column when most of them check; one NIR inside
        # a longer text is enough
        whole = _texts(sample).str.fullmatch(_NIR).to_numpy(bool)
        embedded = det.mask & ~whole
        det.force = bool(embedded.any() or det.mask.sum() >= 0.5 * len(sample))
    return det


def _iban_valid(piece: str) -> bool:
    from stdnum import iban

    compact = piece.replace(" ", "").upper()
    # the pattern may run into a following upper-case word: try the shorter prefixes
    for end in range(len(compact), 14, -1):
        if iban.is_valid(compact[:end]):
            return True
    return False


def _detect_iban(sample, hinted, today):
    if sample.kind != "text":
        return _empty(sample)
    return _regex_detection(sample, _IBAN, _iban_valid, whole=re.compile(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,32}"))


def _pure_dates(sample: FieldSample) -> Tuple[np.ndarray, pd.Series]:
    """(is a date without a time of day, the date) for each sampled value."""
    n = len(sample)
    if sample.kind == "datetime":
        d = pd.Series(sample.datetimes).reset_index(drop=True)
        pure = (d == d.dt.normalize()).to_numpy(bool)
        return pure, d
    if sample.kind != "text":
        return np.zeros(n, bool), pd.Series(pd.NaT, index=range(n))
    texts = _texts(sample)
    iso = texts.str.extract(_ISO_DATE)
    fr = texts.str.extract(_FR_DATE)
    def either(a, b):
        # the ISO part where it matched, else the French one (no fillna on object
        # columns: pandas 2.2 warns that it will stop downcasting there)
        return pd.to_numeric(pd.Series(np.where(a.notna(), a, b), index=a.index), errors="coerce")

    year = either(iso[0], fr[2])
    month = either(iso[1], fr[1])
    day = either(iso[2], fr[0])
    d = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    return d.notna().to_numpy(bool), d


def _detect_birth_date(sample, hinted, today):
    n = len(sample)
    mask = np.zeros(n, bool)
    found = [""] * n
    if sample.kind == "text":
        phrases = _texts(sample).str.contains(_BIRTH_PHRASE).to_numpy(bool)
        if phrases.any():
            for i in np.flatnonzero(phrases):
                found[i] = _BIRTH_PHRASE.search(sample.values[i]).group(0)
            return Detection(phrases, found, force=True)
    pure, dates = _pure_dates(sample)
    if not pure.any():
        return Detection(mask, found)
    now = pd.Timestamp(today) if today is not None else pd.Timestamp.now()
    if now.tzinfo is not None:
        now = now.tz_localize(None)
    ages = np.full(n, np.nan)
    ages[pure] = (now - pd.to_datetime(dates[pure])).dt.days.to_numpy(float) / 365.25
    mask = pure & (ages >= 0) & (ages <= 110)
    a = ages[mask]
    # birthdays, not events: at least 16 years ago on the median, spread over at least 10 years
    force = None
    if len(a) < 3 or np.median(a) < 16 or (np.percentile(a, 90) - np.percentile(a, 10)) < 10:
        force = False
    found = [str(v) for v in sample.values]
    return Detection(mask, found, force)


@dataclass(frozen=True)
class _Word:
    word: str  # as written, punctuation trimmed
    norm: str  # lower case, no accents
    cap: bool  # starts with a capital
    brk: bool  # a comma, full stop... comes before it
    dotted: bool  # written with a final full stop ("M.")


def _words(text: str) -> List[_Word]:
    out: List[_Word] = []
    brk = True
    for raw in text.split():
        word = raw.strip(_TRIM)
        if not word:
            brk = True
            continue
        norm = _strip_accents_lower(word).replace("\u2019", "'")
        head, sep, _ = norm.partition("'")
        if sep and head in ("l", "d"):  # l'Estaque, d'Arenc: the article decides
            norm = head
        dotted = raw.endswith(".")
        out.append(_Word(word, norm, word[0].isupper(), brk, dotted))
        # "M." or "St." do not end a clause; other punctuation does
        brk = raw[-1] in ",;:!?()[]" or (dotted and norm not in TITLES and norm not in PLACE_WORDS)
    return out


def _is_first_name(norm: str, names: frozenset) -> bool:
    parts = [p for p in norm.split("-") if p]
    return bool(parts) and all(p in names for p in parts)


def _blocked(words: List[_Word], i: int) -> bool:
    """A place, title or article word among the three words before word ``i`` (same clause)."""
    j = i
    while j > 0 and i - j < 3 and not words[j].brk:
        j -= 1
        if words[j].norm in PLACE_WORDS or (j == i - 1 and words[j].norm in ARTICLES):
            return True
    return False


def _surname_like(w: _Word) -> bool:
    return (
        w.cap
        and w.norm not in STOP_WORDS
        and w.norm not in PLACE_WORDS
        and w.norm not in TITLES
        and len(w.word) > 1
        and all(c.isalpha() or c in "-'\u2019" for c in w.word)
    )


def person_name_in(text: str, loose: bool = False) -> Tuple[str, bool]:
    """('Jean Dupont', strong?) for the first person name found in ``text``, or ('', False).

    Strong: a title and a name ("Mme Martin", "M. Durand"). ``loose`` (for
    fields called nom/name) also accepts a bare first or family name.
    """
    names = first_names()
    words = _words(text)
    n = len(words)
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < n and not words[i + 1].brk else None
        if w.norm in TITLES and nxt is not None and _surname_like(nxt) and not _blocked(words, i):
            if w.norm != "m" or w.dotted:  # a bare "M" is not "Monsieur"
                return f"{w.word} {nxt.word}", True
        if not (w.cap or loose) or not _is_first_name(w.norm, names) or _blocked(words, i):
            continue
        if nxt is not None and _surname_like(nxt):
            return f"{w.word} {nxt.word}", False
        if i > 0 and not w.brk and _surname_like(words[i - 1]) and not _blocked(words, i - 1):
            return f"{words[i - 1].word} {w.word}", False
    # a field called nom/name: bare names ("DUPONT", "Karim"), when no place word says otherwise
    if loose and 1 <= n <= 3 and not any(w.norm in PLACE_WORDS or w.norm in STOP_WORDS for w in words):
        family = family_names()
        if any(_is_first_name(w.norm, names) or w.norm in family for w in words):
            return text, False
    return "", False


def _detect_person_name(sample, hinted, today):
    n = len(sample)
    mask = np.zeros(n, bool)
    found = [""] * n
    if sample.kind != "text":
        return Detection(mask, found)
    # only values with a capitalised word can hold a name (a fast vectorised filter)
    texts = _texts(sample)
    cand = np.ones(n, bool) if hinted else texts.str.contains(r"[A-ZÀ-Ý]").to_numpy(bool)
    strong = False
    for i in np.flatnonzero(cand):
        piece, is_strong = person_name_in(sample.values[i], loose=hinted)
        if piece:
            mask[i] = True
            found[i] = piece
            strong |= is_strong
    return Detection(mask, found, force=True if strong else None)


def _detect_free_text(sample, hinted, today):
    if sample.kind != "text":
        return _empty(sample)
    texts = _texts(sample)
    lengths = texts.str.len().to_numpy(float)
    words = texts.str.count(r"\S+").to_numpy(float)
    address = texts.str.contains(_ADDRESS).to_numpy(bool)
    # sentences, not labels: mostly lower-case words ("tapage signalé au 3e étage, voisins
    # excédés") or at least two function words ("Un riverain se plaint de ..."); a text
    # all in capitals counts as lower case
    upper = (texts == texts.str.upper()).to_numpy(bool)
    lower_words = texts.str.count(r"(?<!\S)[a-zà-ÿ]").to_numpy(float)
    lower_share = np.where(upper, 1.0, lower_words / np.maximum(words, 1))
    function_words = texts.str.lower().str.count(_FUNCTION_WORDS).to_numpy(float)
    sentence = (lower_share >= 0.5) | (function_words >= 2)
    mask = (lengths >= 40) & (words >= 6) & ~address & sentence
    mostly_unique = sample.n_distinct >= 0.5 * max(1, sample.n_nonempty)
    force = None if (np.median(lengths) > 40 and mostly_unique) else False
    found = [f"({int(length)} characters, {int(w)} words)" for length, w in zip(lengths, words)]
    return Detection(mask, found, force)


DETECTORS: Dict[str, Callable[[FieldSample, bool, Optional[pd.Timestamp]], Detection]] = {
    "person_name": _detect_person_name,
    "email": _detect_email,
    "phone": _detect_phone,
    "licence_plate": _detect_plate,
    "birth_date": _detect_birth_date,
    "nir": _detect_nir,
    "iban": _detect_iban,
    "free_text": _detect_free_text,
}


# --- masked examples ------------------------------------------------------------------

DOT = "•"


def mask_keep(text: str, head: int = 2, tail: int = 2) -> str:
    """Hides every letter and digit but the first ``head`` and last ``tail``."""
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    keep = set(positions[:head]) | set(positions[len(positions) - tail:] if tail else [])
    if len(keep) * 2 >= len(positions):  # too short to show anything
        keep = set()
    return "".join(c if (i in keep or not c.isalnum()) else DOT for i, c in enumerate(text))


def mask_name(text: str) -> str:
    """'Jean Dupont' -> 'J••• D•••••'."""
    return " ".join(w[:1] + DOT * (len(w) - 1) for w in text.split())


def mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    labels = domain.split(".")
    return mask_keep(local, 1, 0) + "@" + ".".join([DOT * len(p) for p in labels[:-1]] + labels[-1:])


MASKS: Dict[str, Callable[[str], str]] = {
    "person_name": mask_name,
    "email": mask_email,
    "phone": lambda t: mask_keep(t, 2, 2),
    "licence_plate": lambda t: mask_keep(t, 1, 1),
    "birth_date": lambda t: re.sub(r"\d", DOT, t),
    "nir": lambda t: mask_keep(t, 1, 0),
    "iban": lambda t: mask_keep(t, 4, 0),
    "free_text": lambda t: t if t.startswith("(") else f"({len(t)} characters)",
}


def describe_rules() -> str:
    """The rules as a Markdown table (for docs/privacy.md and the about box)."""
    lines = [
        "| personal data | refused by its name alone when the field name holds | content test | threshold |",
        "|---|---|---|---|",
    ]
    for r in RULES:
        names = r.names_doc or "—"
        if r.min_matches == 1 and r.min_share == 0:
            threshold = "one value"
        else:
            threshold = f"{r.min_share:.0%} of values and at least {r.min_matches}"
        lines.append(f"| {r.reason} | {names} | {r.content_test} | {threshold} |")
    return "\n".join(lines)


def privacy_guard(raw, drop_fields: Iterable[str] = ()):
    """A core.contract.RawLayer with the ``drop_fields`` dropped, refused when a kept field is personal.

    Returns (RawLayer, dropped field names, PrivacyReport). Raises
    :class:`PersonalDataError`, or ContractError when a field to drop is not in the layer.
    """
    drop = [d.strip() for d in (drop_fields or ()) if str(d).strip()]
    try:
        kept, report = check_personal_data(raw.attributes, raw.name, drop=drop)
    except KeyError as err:
        raise ContractError(str(err.args[0]) if err.args else str(err)) from None
    dropped = list(getattr(report, "dropped", [c for c in raw.attributes.columns if c not in kept.columns]))
    return RawLayer(raw.name, kept, raw.fids, geometry=raw.geometry, xy=raw.xy, crs=raw.crs), dropped, report
