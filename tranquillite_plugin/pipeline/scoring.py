"""Score past events (SPEC §3), and read back the scores a scored layer carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from tranquillite_plugin.core.score import FactIndex, ScoreResult, ScoreSettings, decode_details, encode_detail, score_events
from tranquillite_plugin.pipeline.record import AuditRecord, inputs_list, score_parameters, sub_progress


@dataclass
class Scoring:
    """Past events with their exact scores, what made them, and the audit record of the run."""

    events: pd.DataFrame
    result: ScoreResult
    facts: pd.DataFrame
    index: FactIndex
    settings: ScoreSettings
    record: AuditRecord
    reports: List = field(default_factory=list)  # the contract reports of the facts and events read

    def details(self) -> List[str]:
        """The ``score_detail`` text of each event."""
        r = self.result
        return [encode_detail(r.by_category[i], r.categories) for i in range(len(self.events))]


def score(
    facts: pd.DataFrame,
    events: pd.DataFrame,
    settings: ScoreSettings,
    inputs: Sequence = (),
    facts_report=None,
    events_report=None,
    output: Optional[str] = None,
    progress=None,
    is_cancelled=None,
) -> Scoring:
    """Scores the clean ``events`` against the clean ``facts`` (raises core.score.Cancelled when told)."""
    index = FactIndex.build(facts, settings.weights)
    result = score_events(events, index, settings, sub_progress(progress, 0, 100), is_cancelled)
    parameters = score_parameters(settings)
    if output is not None:
        parameters["OUTPUT"] = output
    refused = int(events_report.refused) if events_report is not None else 0
    record = AuditRecord(
        "scoreevents",
        parameters,
        inputs_list(inputs),
        len(events),
        None,
        {
            "scored": len(events),
            "not_scored": refused,
            "facts_used": int(facts_report.taken) if facts_report is not None else len(facts),
            "facts_refused": int(facts_report.refused) if facts_report is not None else 0,
            "score_total": float(np.sum(result.score)),
        },
    )
    reports = [r for r in (facts_report, events_report) if r is not None]
    return Scoring(events, result, facts, index, settings, record, reports)


def scored_events(events: pd.DataFrame, layer_name: str) -> Tuple[pd.DataFrame, ScoreResult, List[str]]:
    """Clean events carrying ``score`` (and ``score_detail``) -> (events with a score, ScoreResult, skipped ids).

    Events whose score is empty (refused by Score events) are left out and
    returned in ``skipped``; a ``score_detail`` that is not the JSON Score
    events writes is an error naming the feature.
    """
    if "score" not in events:
        raise ValueError(f"layer '{layer_name}' has no field 'score': run 'Score events' on it first")
    value = pd.to_numeric(events["score"], errors="coerce").to_numpy(float)
    keep = np.isfinite(value)
    skipped = events.loc[~keep, "event_id"].astype(str).tolist()
    events = events.loc[keep].reset_index(drop=True)
    value = value[keep]
    bad = np.flatnonzero(value < 0)
    if len(bad):
        raise ValueError(f"layer '{layer_name}', feature {events['fid'].iloc[bad[0]]}, field 'score': negative score {value[bad[0]]:g}")
    n_facts = pd.to_numeric(events["n_facts"], errors="coerce").fillna(0).to_numpy(float) if "n_facts" in events else np.zeros(len(events))
    table, categories = _details(events, layer_name)
    return events, ScoreResult(value, n_facts, table, categories), skipped


def _details(events: pd.DataFrame, layer_name: str):
    texts = events["score_detail"].to_numpy(object) if "score_detail" in events else np.full(len(events), None, dtype=object)
    fids = events["fid"].to_numpy() if "fid" in events else np.arange(len(events))
    return decode_details(texts, lambda i: f"layer '{layer_name}', feature {fids[i]}")


def scores_of(events: pd.DataFrame, layer_name: str = "") -> ScoreResult:
    """The ScoreResult of events all carrying a score (fields score, n_facts, score_detail)."""
    n_facts = pd.to_numeric(events["n_facts"], errors="coerce").fillna(0).to_numpy(float) if "n_facts" in events else np.zeros(len(events))
    table, categories = _details(events, layer_name)
    return ScoreResult(events["score"].to_numpy(float), n_facts, table, categories)
