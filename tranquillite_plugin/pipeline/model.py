"""Train the similarity model, transfer scores to planned events, backtest (SPEC §4)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, List, Optional, Sequence

import pandas as pd

from tranquillite_plugin.core.clash import camera_coverage, find_clashes
from tranquillite_plugin.core.fairness import model_fairness, sector_flag
from tranquillite_plugin.core.footprint import LINE_BUFFER_M, POINT_BUFFER_M
from tranquillite_plugin.core.score import Cancelled, ScoreResult, ScoreSettings
from tranquillite_plugin.pipeline.accountability import scored_fairness
from tranquillite_plugin.pipeline.record import AuditRecord, forest_parameters, inputs_list, number, score_parameters, sub_progress

# --- training ---------------------------------------------------------------------------


@dataclass
class Training:
    model: Any  # core.forest.TransferModel
    record: AuditRecord
    path: str = ""
    fairness: Any = None  # core.fairness.FairnessAudit of the training events (when asked)
    fairness_error: str = ""  # why it could not be made


def train(
    events: pd.DataFrame,
    scores: ScoreResult,
    forest_settings,
    score_settings: ScoreSettings,
    sectors: Optional[pd.DataFrame] = None,
    crs: str = "",
    path: str = "",
    inputs: Sequence = (),
    with_fairness: bool = False,
    facts: Optional[pd.DataFrame] = None,
    weather: Optional[pd.DataFrame] = None,
    auto: bool = False,
    configuration: str = "",
    progress=None,
    is_cancelled=None,
) -> Training:
    """Trains the model on scored past events; saves it to ``path`` when given (no pickle).

    ``facts`` and ``weather``: what the context axes the settings ask for are made of;
    ``auto``: settings chosen by a backtest inside the training period; ``configuration``: the name the
    model records ("enriched"; derived from the settings when empty) (core.forest.train_model).
    """
    from tranquillite_plugin.core.forest import train_model

    model = train_model(
        events, scores, sectors=sectors, settings=forest_settings, score_settings=score_settings,
        progress=sub_progress(progress, 0, 98), is_cancelled=is_cancelled, crs=crs, facts=facts, weather=weather, auto=auto,
        configuration=configuration,
    )
    if path:
        from tranquillite_plugin.core.model_io import save_model

        save_model(model, path)
    fairness, fairness_error = None, ""
    if with_fairness:
        try:
            fairness = scored_fairness(events, scores, sectors)
        except (ValueError, KeyError) as err:
            fairness_error = str(err)
    first, last = model.training_period
    imp = model.importances()
    parameters = forest_parameters(model.settings)
    parameters.update(score_parameters(score_settings))
    parameters.update({"MODE": "auto" if auto else "fixed", "OUTPUT_MODEL": path})
    record = AuditRecord(
        "trainmodel",
        parameters,
        inputs_list(inputs),
        int(model.n_events),
        model.fingerprint,
        {
            "model": path, "n_events": int(model.n_events), "first_start": first.isoformat(), "last_start": last.isoformat(),
            "settings": model.settings.to_dict(), "importances": dict(zip(imp["axis"], imp["importance"].round(6).tolist())),
            "configuration": model.configuration,
            "auto_chosen": model.selection["chosen"] if model.selection else None,
            "calibration": model.calibration.to_dict() if model.calibration is not None else None,
        },
    )
    return Training(model, record, path, fairness, fairness_error)


# --- prediction ---------------------------------------------------------------------------


@dataclass
class Predictions:
    """Transferred scores of planned events, with their clashes, coverage and fairness warnings."""

    planned: pd.DataFrame
    transfers: List[Any]  # core.forest.Transfer, one per planned event
    record: AuditRecord
    clashes: List[list] = field(default_factory=list)  # per event: core.clash.Clash
    coverage: List[Any] = field(default_factory=list)  # per event: core.clash.Coverage or None
    sectors: List[str] = field(default_factory=list)  # per event: its sector (own, else assigned)
    flags: List[Any] = field(default_factory=list)  # per event: core.fairness.SectorFlag or None
    fairness_error: str = ""  # why the fairness warning could not be computed


def model_score_settings(model) -> ScoreSettings:
    return ScoreSettings.from_dict(getattr(model, "score_settings", None) or {})


def planned_sectors(model, planned: pd.DataFrame) -> List[str]:
    """Each planned event's sector: its own, else the one the model assigns (centroid, else nearest)."""
    own = planned["sector"].fillna("").astype(str).tolist() if "sector" in planned else [""] * len(planned)
    if all(own) or getattr(model, "sectors", None) is None:
        return own
    from tranquillite_plugin.core.axes import assign_sectors

    s = getattr(model, "score_settings", None) or {}
    s = s.to_dict() if hasattr(s, "to_dict") else dict(s)
    placed = assign_sectors(planned, model.sectors, float(s.get("line_buffer_m", LINE_BUFFER_M)),
                            float(s.get("point_buffer_m", POINT_BUFFER_M)))
    return [o or str(p or "") for o, p in zip(own, placed["sector"].tolist())]


def predict(
    model,
    planned: pd.DataFrame,
    k: int,
    model_path: str = "",
    inputs: Sequence = (),
    explain: bool = True,
    fairness=None,
    past_events: Optional[pd.DataFrame] = None,
    score_settings: Optional[ScoreSettings] = None,
    others: Optional[pd.DataFrame] = None,
    axes: Optional[pd.DataFrame] = None,
    cameras: Optional[pd.DataFrame] = None,
    weather: Optional[pd.DataFrame] = None,
    progress=None,
    is_cancelled=None,
) -> Predictions:
    """Transfers a score to each clean planned event; checks clashes (with ``others``, the past
    events and ``axes``), cameras' coverage, and the fairness warning of each event's sector
    (``fairness``: the audit to use, else the one of the model's past events). ``weather``: the forecast
    table of a model with the weather axis (else the one it saved)."""
    transfers = model.transfer(planned, k=k, explain=explain, progress=sub_progress(progress, 0, 90), is_cancelled=is_cancelled,
                               weather=weather)
    settings = score_settings or model_score_settings(model)
    out = Predictions(planned, transfers, None)
    check = any(f is not None for f in (others, past_events, axes))
    for i in range(len(planned)):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        row = planned.iloc[i]
        clashes = []
        if check:
            clashes = find_clashes(
                row["geometry"], row["start"], row["end"], planned=others, events=past_events, axes=axes,
                event_id=str(row["event_id"]), line_buffer=settings.line_buffer_m, point_buffer=settings.point_buffer_m,
            )
        out.clashes.append(clashes)
        out.coverage.append(
            camera_coverage(row["geometry"], cameras, settings.line_buffer_m, settings.point_buffer_m) if cameras is not None else None
        )
    try:
        out.sectors = planned_sectors(model, planned)
        audit = fairness if fairness is not None else model_fairness(model)
        out.flags = [sector_flag(audit, s) for s in out.sectors]
    except (ValueError, KeyError, AttributeError) as err:
        out.sectors = out.sectors or [""] * len(planned)
        out.flags = [None] * len(planned)
        out.fairness_error = str(err)
    predicted = [t for t in transfers if number(t.predicted) is not None]
    ids = planned["event_id"].astype(str).tolist()
    out.record = AuditRecord(
        "predictevents",
        {"K": int(k), "MODEL": model_path, "EVENT_ID": ",".join(ids)},
        inputs_list(inputs),
        len(planned),
        model.fingerprint,
        {
            "predicted": len(predicted),
            "not_predicted": len(planned) - len(predicted),
            "transfers": {
                str(t.event_id): {"predicted": number(t.predicted), "band_low": number(t.band_low),
                                  "band_high": number(t.band_high), "similar_ids": list(t.similar_ids)}
                for t in predicted
            },
            "clashes": sum(len(c) for c in out.clashes),
            "fairness_flagged": sorted({s for s, f in zip(out.sectors, out.flags) if f is not None}),
        },
    )
    return out


# --- backtest ---------------------------------------------------------------------------------


@dataclass
class Backtest:
    result: Any  # core.backtest.BacktestResult
    report: str  # path of report.md ("" without a folder)
    record: AuditRecord


def backtest(
    events: pd.DataFrame,
    scores: ScoreResult,
    cut,
    forest_settings,
    score_settings: ScoreSettings,
    k: int,
    sectors: Optional[pd.DataFrame] = None,
    folder: str = "",
    inputs: Sequence = (),
    facts: Optional[pd.DataFrame] = None,
    weather: Optional[pd.DataFrame] = None,
    auto: bool = False,
    challenger=None,
    challenger_auto: bool = True,
    progress=None,
    is_cancelled=None,
) -> Backtest:
    """Trains before ``cut``, predicts after it, compares with the baselines; writes the report into ``folder``.

    ``challenger``: the forest settings of a second configuration trained and tested on the same events
    (its settings chosen by auto mode when ``challenger_auto``), compared with a paired bootstrap interval
    (core.backtest.backtest).
    """
    from tranquillite_plugin.core.backtest import backtest as run_backtest
    from tranquillite_plugin.core.backtest import write_report

    res = run_backtest(
        events, scores, cut, sectors=sectors, settings=forest_settings, k=k, score_settings=score_settings,
        progress=sub_progress(progress, 0, 95), is_cancelled=is_cancelled, facts=facts, weather=weather, auto=auto,
        challenger=challenger, challenger_auto=challenger_auto,
    )
    report = ""
    if folder:
        os.makedirs(folder, exist_ok=True)
        report = write_report(res, folder)
    m = res.metrics.set_index("method")
    parameters = forest_parameters(forest_settings)
    parameters.update(score_parameters(score_settings))
    parameters.update({"K": int(k), "CUT_DATE": res.cut.isoformat(), "MODE": "auto" if auto else "fixed",
                       "COMPARE": challenger is not None, "OUTPUT_REPORT": folder})
    record = AuditRecord(
        "backtest",
        parameters,
        inputs_list(inputs),
        int(res.n_train + res.n_test),
        res.fingerprint or None,
        {
            "report": report, "cut": res.cut.isoformat(), "n_train": int(res.n_train), "n_test": int(res.n_test),
            "metrics": {
                method: {key: (None if number(v) is None else round(float(v), 6)) for key, v in row[["spearman", "mae_log1p", "top_decile_hit"]].items()}
                for method, row in m.iterrows()
            },
            "comparison": None if res.comparison is None else [
                {key: (v if isinstance(v, str) else round(float(v), 6)) for key, v in r.items()} for r in res.comparison.to_dict("records")
            ],
        },
    )
    return Backtest(res, report, record)
