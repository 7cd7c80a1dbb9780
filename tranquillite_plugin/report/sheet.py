"""The event sheet of a prediction of the docks (gui/jobs.Prediction) turned into the plain
inputs of :func:`write_event_sheet`."""

from __future__ import annotations

import dataclasses
import math
from typing import List, Optional

import pandas as pd

from tranquillite_plugin.i18n import tr
from tranquillite_plugin.report.event_sheet import write_event_sheet
from tranquillite_plugin.vocabulary import nature_label


def _when(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Europe/Paris")
    return ts.strftime(tr("%Y-%m-%d %H:%M"))


def fairness_line(flag) -> str:
    """The warning for a planned event in a sector the fairness audit flags
    (``core.fairness.SectorFlag``); "" without a flag."""
    if flag is None:
        return ""
    sector = f"{flag.sector} ({flag.name})" if getattr(flag, "name", "") else str(flag.sector)
    share = getattr(flag, "police_score_share", math.nan)
    pct = int(round(share * 100)) if share is not None and math.isfinite(share) else "—"
    return tr(
        "Sector {sector}: {pct} % of its past events' score comes from police-initiated facts — "
        "the transferred score may reflect patrols as much as incidents (fairness audit)"
    ).format(sector=sector, pct=pct)


def _ctx_suffix(c) -> str:
    return tr(" (unknown that day: training median)") if c.get("filled") else ""


def _standing(p) -> str:
    if p is None or not math.isfinite(p):
        return ""
    if p >= 0.8:
        return tr(", in the top {} % of past events").format(max(1, int(round((1 - p) * 100))))
    return tr(", above {} % of past events").format(int(round(p * 100)))


def model_lines(transfer) -> List[str]:
    """Which configuration made the estimate, its band and the planned event's context values (translated)."""
    if transfer is None:
        return []
    config = getattr(transfer, "configuration", "published") or "published"
    names = {
        "published": tr("Configuration: the published method (eight axes, scores of the similar events averaged)"),
        "enriched": tr("Configuration: enriched (context axes, settings chosen by a backtest, calibrated band)"),
    }
    lines = [names.get(config, tr("Configuration: custom settings"))]
    if "conformal" in (getattr(transfer, "band_method", "") or ""):
        lines.append(tr("Band: calibrated on recent events to hold 80 % of the scores"))
    ctx = getattr(transfer, "context", None) or {}
    if "bg_rate" in ctx:
        c = ctx["bg_rate"]
        lines.append(tr("Background incidents here at these hours: {:.2f} facts / h").format(c["value"]) + _standing(c.get("percentile"))
                     + _ctx_suffix(c))
    if "temperature" in ctx:
        t, r, w = ctx["temperature"], ctx.get("precipitation", {}), ctx.get("wind", {})
        lines.append(tr("Weather that day: {:.0f} °C, {:.0f} mm of rain, wind {:.0f} m/s").format(
            t["value"], r.get("value", math.nan), w.get("value", math.nan)) + _ctx_suffix(t))
    if "load_events" in ctx:
        e, p = ctx["load_events"], ctx.get("load_participants", {})
        lines.append(tr("City's load that day, before it: {} other events, {} participants").format(
            int(round(e["value"])), int(round(p.get("value", 0.0)))) + _ctx_suffix(e))
    return lines


def drift_line(drift) -> str:
    """The warning for a planned event in a sector whose fairness drifted at the latest control
    (``core.fairness_control.SectorDrift``); "" without a drift."""
    if drift is None:
        return ""

    def pct(v):
        return int(round(v * 100)) if v is not None and math.isfinite(v) else "—"

    return tr(
        "Sector {sector}: its fairness drifted since the previous model (police-initiated share {before} % → {after} %) "
        "— regular control"
    ).format(sector=drift.sector, before=pct(drift.share_before), after=pct(drift.share_after))


def warning_lines(clashes, coverage, fairness=None, drift=None) -> List[str]:
    """Clash check, fairness flag of the event's sector (``core.fairness.SectorFlag``) and
    camera coverage in words (plain text, translated)."""
    from tranquillite_plugin.core.clash import KIND_CLOSED_AXIS, KIND_WORKS

    lines = []
    for c in clashes or []:
        if c.kind == KIND_CLOSED_AXIS:
            lines.append(tr("Closed traffic axis {} ({}) crosses the footprint").format(c.ref, c.label or "—"))
        elif c.kind == KIND_WORKS:
            lines.append(tr("Works {} from {} to {} meet the footprint").format(c.ref, _when(c.start), _when(c.end)))
        else:
            lines.append(
                tr("Planned event {} ({}) from {} to {} meets the footprint").format(
                    c.ref, nature_label(c.label), _when(c.start), _when(c.end)
                )
            )
    if fairness is not None:
        lines.append(fairness_line(fairness))
    if drift is not None:
        lines.append(drift_line(drift))
    if coverage is not None:
        share = getattr(coverage, "share", math.nan)
        if share is not None and math.isfinite(share):
            lines.append(
                tr("Camera coverage: {} % of the footprint ({} cameras)").format(
                    int(round(share * 100)), len(getattr(coverage, "camera_ids", []) or [])
                )
            )
    return lines


def similar_with_geometry(similar: pd.DataFrame, past_events: Optional[pd.DataFrame]) -> pd.DataFrame:
    """The similar events with the footprints of the past events (by event_id)."""
    out = similar.copy()
    if past_events is not None and "geometry" in past_events.columns and "geometry" not in out.columns:
        by_id = dict(zip(past_events["event_id"].astype(str), past_events["geometry"]))
        out["geometry"] = [by_id.get(str(i)) for i in out["event_id"]]
    return out


def write_prediction_sheet(prediction, path: str, score_settings, k: int, layers: dict, crs: str, drift=None) -> str:
    """The sheet of ``prediction`` (gui/jobs.Prediction) to ``path``; ``layers``: the sectors and axes
    QGIS layers drawn on its map; ``score_settings`` and ``k``: the settings the sheet prints; ``drift``:
    the fairness drift of the event's sector at the latest control (:func:`drift_of`)."""
    if prediction is None:
        raise ValueError(tr("Estimate the score of a planned event first"))
    transfer = prediction.transfer
    trained = prediction.trained
    scored = getattr(trained, "scored", None) if trained is not None else None
    past = getattr(scored, "events", None) if scored is not None else None
    similar = similar_with_geometry(transfer.similar, past)
    settings = {}
    if dataclasses.is_dataclass(score_settings):
        settings = {k_: v for k_, v in dataclasses.asdict(score_settings).items() if v is not None}
    settings["k"] = k
    model = getattr(trained, "model", None) if trained is not None else None
    fingerprint = getattr(model, "fingerprint", "") or ""
    return write_event_sheet(
        path,
        prediction.planned,
        transfer,
        similar,
        layers=layers,
        settings=settings,
        fingerprint=fingerprint,
        warnings=warning_lines(prediction.clashes, prediction.coverage, getattr(prediction, "fairness_flag", None), drift),
        crs=crs,
        explanation=model_lines(transfer),
    )


def drift_of(control, store, planned):
    """The drift in the planned event's sector at the latest fairness control (``control``, else the
    one the open ``store`` holds) (issue 17), if any."""
    from tranquillite_plugin.core.fairness_control import drift_for_sector

    if control is None and store is not None:
        try:
            from tranquillite_plugin.store.transparency import latest_control

            control = latest_control(store)
        except Exception:  # noqa: BLE001 - an older store without the control's table: no warning
            control = None
    sector = planned.get("sector") if hasattr(planned, "get") else None
    return drift_for_sector(control, sector)
