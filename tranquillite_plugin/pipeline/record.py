"""The audit record a use case produces (SPEC §7), and the parameter sets shared by its callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence


@dataclass
class LayerInput:
    """One input of a run as the audit trail lists it (name, source without password, features read)."""

    layer: str
    n_features: Optional[int] = None
    source: Optional[str] = None

    def as_dict(self) -> dict:
        out = {"layer": self.layer}
        if self.source is not None:
            out["source"] = self.source
        out["n_features"] = self.n_features
        return out


@dataclass
class AuditRecord:
    """What one run appends to the audit trail: ``Observatory.record(**record.as_kwargs())``."""

    algorithm: str
    parameters: Dict[str, Any] = field(default_factory=dict)
    inputs: List[dict] = field(default_factory=list)
    n_features: Optional[int] = None
    fingerprint: Optional[str] = None
    summary: Dict[str, Any] = field(default_factory=dict)

    def as_kwargs(self) -> dict:
        return {
            "algorithm": self.algorithm,
            "parameters": dict(self.parameters),
            "inputs": list(self.inputs),
            "n_features": self.n_features,
            "fingerprint": self.fingerprint,
            "summary": dict(self.summary),
        }


def inputs_list(inputs: Sequence) -> List[dict]:
    """LayerInput, dicts or (name, n_features) pairs -> the inputs stored in a row."""
    out = []
    for item in inputs or ():
        if isinstance(item, LayerInput):
            out.append(item.as_dict())
        elif isinstance(item, Mapping):
            out.append(dict(item))
        else:
            name, n = item
            out.append({"layer": str(name), "n_features": n})
    return out


def score_parameters(settings) -> Dict[str, Any]:
    """A core.score.ScoreSettings as the audit's parameters (the Processing names)."""
    return {
        "RADIUS": float(settings.radius_m),
        "BEFORE_H": float(settings.before_h),
        "AFTER_H": float(settings.after_h),
        "LINE_BUFFER": float(settings.line_buffer_m),
        "POINT_BUFFER": float(settings.point_buffer_m),
        "WEIGHTS": {str(k): float(v) for k, v in sorted(settings.weights.items())},
    }


def forest_parameters(settings) -> Dict[str, Any]:
    """A core.forest.ForestSettings as the audit's parameters (the Processing names)."""
    return {
        "N_TREES": int(settings.n_trees),
        "MIN_LEAF": int(settings.min_leaf),
        "SEED": int(settings.seed),
        "MAX_FEATURES": float(settings.max_features),
        "K": int(settings.k),
    }


def number(v) -> Optional[float]:
    """A finite float, else None (JSON has no NaN)."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if v == v and v not in (float("inf"), float("-inf")) else None


def no_progress(_percent: float) -> None:
    pass


def never() -> bool:
    return False


def sub_progress(progress: Optional[Callable[[float], None]], start: float, end: float) -> Callable[[float], None]:
    """A ``progress(percent)`` callback mapped onto [start, end] of ``progress`` (the one mapping)."""
    progress = progress or no_progress

    def report(percent: float) -> None:
        progress(start + (end - start) * float(percent) / 100.0)

    return report
