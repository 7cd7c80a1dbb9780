"""The data contract of SPEC §2: layer kinds, their fields, and validation.

Pure Python (pandas, shapely): no QGIS import. A reader (``store/``) turns any
layer into a :class:`RawLayer`; :func:`validate` turns it into a clean frame
with the contract's column names and types, and a :class:`ContractReport`
saying how many features were taken, repaired or refused, and why.  Nothing is
dropped silently: every refused feature is named in the report.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.timeutil import parse_datetimes

# --- vocabularies ----------------------------------------------------------

CATEGORIES = (
    "main_courante",
    "verbalisation",
    "enlevement",
    "secours",
    "intervention",
    "degradation",
    "violence",
    "vol",
    "nuisance",
    "autre",
)

DEFAULT_WEIGHTS: Dict[str, float] = {
    "main_courante": 1.0,
    "verbalisation": 0.5,
    "enlevement": 0.5,
    "secours": 2.0,
    "intervention": 1.5,
    "degradation": 2.0,
    "violence": 3.0,
    "vol": 2.0,
    "nuisance": 1.0,
    "autre": 1.0,
}
#: weight of a category code that is not in the weights table
UNKNOWN_CATEGORY_WEIGHT = 1.0

NATURES = (
    "manifestation",
    "rassemblement",
    "sport",
    "concert",
    "festival",
    "marche",
    "ceremonie",
    "travaux",
    "operation_police",
    "autre",
)

AXIS_STATUSES = ("fluide", "dense", "sature", "ferme", "inconnu")

KINDS = ("facts", "events", "sectors", "axes", "cameras")
#: the working CRS when none is set: Lambert-93, in metres (distances of the score are in its units)
DEFAULT_CRS = "EPSG:2154"

# shapely type ids
_POINT, _LINE, _POLYGON = 0, 1, 3
_MULTIPOINT, _MULTILINE, _MULTIPOLYGON = 4, 5, 6
_LINEARRING, _COLLECTION = 2, 7


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # "text", "int", "float", "datetime"
    required: bool
    default: object = None
    meaning: str = ""


@dataclass(frozen=True)
class LayerSpec:
    kind: str
    geometry: str  # "point", "line", "polygon", "any"
    fields: tuple

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

SPECS: Dict[str, LayerSpec] = {
    "facts": LayerSpec(
        "facts",
        "point",
        (
            FieldSpec("category", "text", True, meaning="incident category code"),
            FieldSpec("occurred_at", "datetime", True, meaning="when it happened"),
            FieldSpec("count", "int", False, 1, "identical facts at that place and time"),
            FieldSpec("source", "text", False, "", "reporting service"),
        ),
    ),
    "events": LayerSpec(
        "events",
        "any",
        (
            FieldSpec("event_id", "text", True),
            FieldSpec("nature", "text", True),
            FieldSpec("participants", "int", True),
            FieldSpec("start", "datetime", True),
            FieldSpec("end", "datetime", True),
            FieldSpec("sector", "text", False, ""),
        ),
    ),
    "sectors": LayerSpec(
        "sectors",
        "polygon",
        (FieldSpec("sector_id", "text", True), FieldSpec("name", "text", False, "")),
    ),
    "axes": LayerSpec(
        "axes",
        "line",
        (
            FieldSpec("axis_id", "text", True),
            FieldSpec("name", "text", False, ""),
            FieldSpec("status", "text", False, "inconnu"),
            FieldSpec("updated_at", "datetime", False, None),
        ),
    ),
    "cameras": LayerSpec(
        "cameras",
        "point",
        (
            FieldSpec("camera_id", "text", True),
            FieldSpec("radius_m", "float", True),
            FieldSpec("bearing_deg", "float", False, None),
            FieldSpec("fov_deg", "float", False, None),
        ),
    ),
}


# --- input and report ------------------------------------------------------


@dataclass
class RawLayer:
    """A layer as read from any source, before validation.

    ``attributes`` holds the source's fields under their source names.
    Geometry comes either as ``geometry`` (an array of shapely geometries,
    ``None`` for a missing one) or, for point layers read in bulk, as ``xy``
    (an ``(n, 2)`` float array, NaN for an empty point).
    """

    name: str
    attributes: pd.DataFrame
    fids: np.ndarray
    geometry: Optional[np.ndarray] = None
    xy: Optional[np.ndarray] = None
    crs: Optional[str] = None

    def __len__(self) -> int:
        return len(self.fids)


class ContractError(ValueError):
    """The whole layer breaks the contract (missing field, no CRS, ...)."""

    def __init__(self, message: str, report: "ContractReport | None" = None):
        super().__init__(message)
        self.report = report


@dataclass
class Problem:
    fid: object
    field: str
    message: str
    action: str  # "refused" or "repaired"


@dataclass
class ContractReport:
    layer: str
    kind: str
    read: int = 0
    taken: int = 0
    repaired: int = 0
    refused: int = 0
    problems: List[Problem] = field(default_factory=list)
    dropped_fields: List[str] = field(default_factory=list)

    def add(self, fids: Sequence, field_name: str, message: str, action: str) -> None:
        for fid in fids:
            self.problems.append(Problem(fid, field_name, message, action))

    def refusals(self) -> List[Problem]:
        return [p for p in self.problems if p.action == "refused"]

    def lines(self, limit: int = 20) -> List[str]:
        out = []
        ordered = sorted(self.problems, key=lambda p: (p.action != "refused", str(p.fid)))
        for p in ordered[:limit]:
            out.append(
                f"layer '{self.layer}', feature {p.fid}, field '{p.field}': "
                f"{p.message} ({p.action})"
            )
        if len(self.problems) > limit:
            out.append(f"... and {len(self.problems) - limit} more")
        return out

    def summary(self) -> str:
        head = (
            f"layer '{self.layer}' ({self.kind}): {self.read} read, {self.taken} taken, "
            f"{self.repaired} repaired, {self.refused} refused"
        )
        if self.dropped_fields:
            head += f"; fields dropped: {', '.join(self.dropped_fields)}"
        return "\n".join([head] + self.lines())

    def as_dict(self) -> dict:
        return {
            "layer": self.layer,
            "kind": self.kind,
            "read": self.read,
            "taken": self.taken,
            "repaired": self.repaired,
            "refused": self.refused,
            "dropped_fields": list(self.dropped_fields),
            "problems": [p.__dict__ for p in self.problems],
        }


# --- helpers ---------------------------------------------------------------


def normalise_code(value: object) -> str:
    """'Cérémonie ' -> 'ceremonie'; 'Opération police' -> 'operation_police'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = unicodedata.normalize("NFKD", str(value).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "_".join(text.replace("-", " ").split())


def match_fields(
    layer: RawLayer, spec: LayerSpec, field_map: Optional[Mapping[str, str]] = None
) -> Dict[str, str]:
    """Contract field -> source column, matched case-insensitively.

    ``field_map`` maps contract names onto other source names and wins.
    """
    by_lower = {str(c).lower(): c for c in layer.attributes.columns}
    found: Dict[str, str] = {}
    field_map = {k.lower(): v for k, v in (field_map or {}).items() if v}
    for f in spec.fields:
        source = field_map.get(f.name)
        if source is not None:
            if source not in layer.attributes.columns:
                source = by_lower.get(str(source).lower())
            if source is None:
                raise ContractError(
                    f"layer '{layer.name}': field '{field_map[f.name]}' mapped onto "
                    f"'{f.name}' does not exist (fields: {', '.join(map(str, layer.attributes.columns))})"
                )
            found[f.name] = source
        elif f.name in by_lower:
            found[f.name] = by_lower[f.name]
    return found


def _is_missing(values: pd.Series) -> np.ndarray:
    miss = values.isna().to_numpy().copy()
    if values.dtype == object and len(values):
        # blank texts, each distinct value looked at once (no per-row Python)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        blank = np.array([isinstance(v, str) and not v.strip() for v in uniques], dtype=bool)
        if blank.any():
            miss |= (codes >= 0) & blank[np.maximum(codes, 0)]
    return miss


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if np.isnan(v) else (str(int(v)) if v.is_integer() else repr(v))
    return str(v).strip()


def _texts(values: pd.Series) -> np.ndarray:
    """Any column -> stripped str, computed once per distinct value."""
    positions, uniques = pd.factorize(values, use_na_sentinel=False)
    table = np.array([_text(u) for u in uniques], dtype=object)
    return table[positions] if len(values) else np.zeros(0, dtype=object)


def _numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


class _Checker:
    """Carries the refusal mask and report while the fields are checked."""

    def __init__(self, layer: RawLayer, report: ContractReport):
        self.layer = layer
        self.report = report
        self.refused = np.zeros(len(layer), dtype=bool)
        self.repaired = np.zeros(len(layer), dtype=bool)

    def refuse(self, mask: np.ndarray, field_name: str, message, values=None) -> None:
        """``values``: what ``message`` names, or a function giving them (called only if something is refused)."""
        mask = np.asarray(mask, bool) & ~self.refused
        if callable(values) and mask.any():
            values = values()
        for i in np.flatnonzero(mask):
            msg = message(values[i]) if callable(message) else message
            self.report.add([self.layer.fids[i]], field_name, msg, "refused")
        self.refused |= mask

    def repair(self, mask: np.ndarray, field_name: str, message) -> None:
        mask = np.asarray(mask, bool) & ~self.refused
        idx = np.flatnonzero(mask)
        for i in idx[:1000]:
            msg = message(i) if callable(message) else message
            self.report.add([self.layer.fids[i]], field_name, msg, "repaired")
        if len(idx) > 1000:
            self.report.add(["..."], field_name, f"{len(idx) - 1000} more repaired alike", "repaired")
        self.repaired |= mask


# --- geometry --------------------------------------------------------------


def _check_point_xy(layer: RawLayer, chk: _Checker) -> np.ndarray:
    """Point geometry as an (n, 2) array; refuses empty and multi-part points."""
    if layer.xy is not None:
        xy = np.asarray(layer.xy, dtype=float)
        bad = ~np.isfinite(xy).all(axis=1)
        chk.refuse(bad, "geometry", "empty or missing point geometry")
        return xy
    geoms = np.asarray(layer.geometry, dtype=object)
    xy = np.full((len(layer), 2), np.nan)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    chk.refuse(missing, "geometry", "empty or missing geometry")
    tid = shapely.get_type_id(geoms)
    single_multi = (tid == _MULTIPOINT) & (shapely.get_num_geometries(geoms) == 1)
    chk.repair(single_multi, "geometry", "single-part multipoint read as a point")
    wrong = ~missing & (tid != _POINT) & ~single_multi
    chk.refuse(
        wrong,
        "geometry",
        lambda g: f"a {shapely.get_type_id(g) and g.geom_type} is not a point",
        geoms,
    )
    ok = ~chk.refused & ((tid == _POINT) | single_multi)
    pts = np.where(single_multi, shapely.get_geometry(geoms, 0), geoms)
    xy[ok, 0] = shapely.get_x(pts[ok])
    xy[ok, 1] = shapely.get_y(pts[ok])
    bad = ok & ~np.isfinite(xy).all(axis=1)
    chk.refuse(bad, "geometry", "point without finite coordinates")
    return xy


def _check_shapes(layer: RawLayer, chk: _Checker, allowed: str) -> np.ndarray:
    """Line/polygon/any geometry: refuses empty and wrong types, repairs invalid ones."""
    geoms = np.asarray(layer.geometry, dtype=object).copy()
    missing = shapely.is_missing(geoms)
    geoms[missing] = None
    empty = missing | shapely.is_empty(geoms)
    chk.refuse(empty, "geometry", "empty or missing geometry")
    families = {
        "point": {_POINT, _MULTIPOINT},
        "line": {_LINE, _MULTILINE, _LINEARRING},
        "polygon": {_POLYGON, _MULTIPOLYGON},
    }
    allowed_ids = set().union(*families.values()) if allowed == "any" else families[allowed]
    tid = shapely.get_type_id(geoms)
    wrong = ~empty & ~np.isin(tid, list(allowed_ids))
    chk.refuse(
        wrong,
        "geometry",
        lambda g: f"a {g.geom_type} is not a {allowed if allowed != 'any' else 'point, line or polygon'}",
        geoms,
    )
    live = ~chk.refused
    invalid = np.zeros(len(geoms), bool)
    invalid[live] = ~shapely.is_valid(geoms[live])
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(geoms[i])
        fixed = shapely.make_valid(geoms[i])
        fixed = _keep_family(fixed, families.get(allowed) or {tid[i]} | _family_of(tid[i], families))
        if fixed is None or fixed.is_empty or not fixed.is_valid:
            chk.refuse(np.eye(1, len(geoms), i, dtype=bool)[0], "geometry", f"invalid geometry ({reason}) that cannot be repaired")
        else:
            geoms[i] = fixed
            chk.repair(np.eye(1, len(geoms), i, dtype=bool)[0], "geometry", f"invalid geometry repaired ({reason})")
    return geoms


def _family_of(tid: int, families: dict) -> set:
    for fam in families.values():
        if tid in fam:
            return fam
    return set()


def _keep_family(geom, ids: set):
    """make_valid may return a collection: keep the parts of the wanted family."""
    if geom is None:
        return None
    if shapely.get_type_id(geom) in ids:
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in ids]
    if not parts:
        return None
    return shapely.union_all(parts)


# --- validation --------------------------------------------------------------


def validate(
    kind: str,
    layer: RawLayer,
    field_map: Optional[Mapping[str, str]] = None,
    require_crs: bool = True,
) -> "tuple[pd.DataFrame, ContractReport]":
    """Checks a layer against the contract; returns the clean frame and the report.

    Raises :class:`ContractError` when the whole layer is unusable (unknown
    kind, no CRS, missing required field). Features that break the contract
    are refused and listed in the report; the clean frame holds the others,
    with a ``fid`` column naming their source feature.
    """
    if kind not in SPECS:
        raise ContractError(f"unknown layer kind '{kind}' (one of {', '.join(KINDS)})")
    spec = SPECS[kind]
    report = ContractReport(layer.name, kind, read=len(layer))
    if require_crs and not layer.crs:
        raise ContractError(f"layer '{layer.name}' has no CRS: set its CRS in QGIS before importing", report)
    columns = match_fields(layer, spec, field_map)
    for f in spec.fields:
        if f.required and f.name not in columns:
            raise ContractError(
                f"layer '{layer.name}' ({kind}) has no field '{f.name}' "
                f"(fields: {', '.join(map(str, layer.attributes.columns)) or 'none'}); "
                "map one of its fields onto it",
                report,
            )
    chk = _Checker(layer, report)
    out = pd.DataFrame({"fid": np.asarray(layer.fids)})
    n = len(layer)

    if spec.geometry == "point":
        xy = _check_point_xy(layer, chk)
        out["x"] = xy[:, 0]
        out["y"] = xy[:, 1]
    else:
        out["geometry"] = _check_shapes(layer, chk, spec.geometry)

    for f in spec.fields:
        src = columns.get(f.name)
        raw = layer.attributes[src].reset_index(drop=True) if src is not None else pd.Series([None] * n, dtype=object)
        missing = _is_missing(raw) if src is not None else np.ones(n, bool)
        if f.required:
            chk.refuse(missing, f.name, "value missing")
        if f.type == "text":
            values = raw.astype(object).where(~missing, f.default if f.default is not None else "")
            out[f.name] = _texts(values)
        elif f.type in ("int", "float"):
            nums = _numbers(raw)
            unreadable = ~missing & ~np.isfinite(nums)
            chk.refuse(unreadable, f.name, lambda v: f"cannot read {v!r} as a number", lambda raw=raw: raw.to_numpy(object))
            if f.default is not None:
                nums = np.where(missing, float(f.default), nums)
            if f.type == "int":
                frac = np.isfinite(nums) & (nums != np.round(nums))
                chk.refuse(frac, f.name, lambda v: f"{v!r} is not a whole number", lambda raw=raw: raw.to_numpy(object))
            out[f.name] = nums
        elif f.type == "datetime":
            parsed, bad = parse_datetimes(raw)
            chk.refuse(bad & ~missing, f.name, lambda v: f"cannot read {v!r} as a date and time", lambda raw=raw: raw.to_numpy(object))
            out[f.name] = parsed

    _check_kind_rules(kind, out, chk)
    report.refused = int(chk.refused.sum())
    report.repaired = int((chk.repaired & ~chk.refused).sum())
    clean = out.loc[~chk.refused].reset_index(drop=True)
    for f in spec.fields:
        if f.type == "int" and f.name in clean:
            clean[f.name] = clean[f.name].astype(np.int64)
    report.taken = len(clean)
    return clean, report


def _check_kind_rules(kind: str, out: pd.DataFrame, chk: _Checker) -> None:
    """Rules beyond types: vocabularies, ranges, ordering, uniqueness."""
    if kind == "facts":
        _normalise_codes(out, "category", chk, vocabulary=None)
        chk.refuse(out["count"].to_numpy() < 1, "count", lambda v: f"count {v:g} is below 1", out["count"].to_numpy())
    elif kind == "events":
        _normalise_codes(out, "nature", chk, vocabulary=NATURES)
        part = out["participants"].to_numpy()
        chk.refuse(part < 0, "participants", lambda v: f"negative participants ({v:g})", part)
        start = out["start"]
        end = out["end"]
        both = (start.notna() & end.notna()).to_numpy()
        backwards = np.zeros(len(out), bool)
        backwards[both] = (end[both] < start[both]).to_numpy()
        chk.refuse(
            backwards,
            "end",
            lambda i: f"end {out['end'].iloc[i]} is before start {out['start'].iloc[i]}",
            np.arange(len(out)),
        )
        _refuse_duplicates(out, "event_id", chk)
    elif kind == "axes":
        _normalise_codes(out, "status", chk, vocabulary=AXIS_STATUSES, default="inconnu")
        _refuse_duplicates(out, "axis_id", chk)
    elif kind == "sectors":
        _refuse_duplicates(out, "sector_id", chk)
    elif kind == "cameras":
        r = out["radius_m"].to_numpy()
        chk.refuse(r < 0, "radius_m", lambda v: f"negative radius ({v:g} m)", r)
        _refuse_duplicates(out, "camera_id", chk)


def _normalise_codes(out, name, chk, vocabulary, default=None):
    raw = out[name].to_numpy(object)
    positions, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=False)
    normal = np.array([normalise_code(v) for v in uniques], dtype=object)
    if default is not None:
        normal = np.where(normal == "", default, normal)
    codes = normal[positions] if len(raw) else np.zeros(0, dtype=object)
    changed_u = np.array([n != u and u != "" for n, u in zip(normal, uniques)], dtype=bool)
    changed = changed_u[positions] if len(raw) else np.zeros(0, bool)
    if vocabulary is not None:
        unknown_u = ~np.isin(normal, vocabulary) & (normal != "")
        chk.refuse(
            unknown_u[positions] if len(raw) else np.zeros(0, bool),
            name,
            lambda v: f"unknown {name} {v!r} (one of {', '.join(vocabulary)})",
            raw,
        )
    chk.repair(changed, name, lambda i: f"{raw[i]!r} read as {codes[i]!r}")
    out[name] = codes


def _refuse_duplicates(out, name, chk):
    """A value is refused when a live (not refused) earlier feature holds it."""
    values = out[name].to_numpy(object)
    seen = set()
    mask = np.zeros(len(values), bool)
    for i, v in enumerate(values):
        if chk.refused[i] or v == "":
            continue
        if v in seen:
            mask[i] = True
        seen.add(v)
    chk.refuse(mask, name, lambda v: f"duplicate {name} {v!r}", values)


def category_weights(categories: np.ndarray, weights: Optional[Mapping[str, float]] = None) -> np.ndarray:
    """Weight of each fact's category; unknown codes weigh 1 (SPEC §3)."""
    table = dict(DEFAULT_WEIGHTS)
    if weights:
        table.update({normalise_code(k): float(v) for k, v in weights.items()})
    cats = pd.Series(np.asarray(categories, dtype=object))
    return cats.map(table).fillna(UNKNOWN_CATEGORY_WEIGHT).to_numpy(dtype=float)


def parse_weights(text: str) -> Dict[str, float]:
    """'violence=4, vol=2.5' -> {'violence': 4.0, 'vol': 2.5}; also accepts JSON."""
    import json

    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        data = json.loads(text)
        return {normalise_code(k): float(v) for k, v in data.items()}
    out = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        if "=" not in part and ":" not in part:
            raise ValueError(f"weight '{part.strip()}' must read category=number")
        key, _, value = part.replace(":", "=").partition("=")
        try:
            out[normalise_code(key)] = float(value)
        except ValueError:
            raise ValueError(f"weight of '{key.strip()}' is not a number: {value.strip()!r}") from None
    return out
