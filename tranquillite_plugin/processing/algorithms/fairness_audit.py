"""tranquillite:fairnessaudit — per sector, residuals and the share of police-initiated facts (SPEC §7)."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.fairness import (
    AUDIT_FIELDS,
    POLICE_CATEGORIES,
    POLICE_NATURES,
    backtest_with_downweighting,
    fairness_audit,
    fairness_from_backtest,
)
from tranquillite_plugin.core.score import Cancelled, ScoreResult
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.frame_output import add_frame, frame_fields, wkb_type_of


def scores_from_layer(events: pd.DataFrame) -> ScoreResult:
    """The ScoreResult of events scored by tranquillite:scoreevents (fields score, n_facts, score_detail)."""
    details = []
    for i, text in enumerate(events["score_detail"].to_numpy(object)):
        if text is None or (isinstance(text, float) and np.isnan(text)) or str(text).strip() == "":
            details.append({})
            continue
        try:
            details.append({str(k): float(v) for k, v in json.loads(str(text)).items()})
        except (ValueError, AttributeError, TypeError):
            raise ValueError(
                f"feature {events['fid'].iloc[i]}, field 'score_detail': {str(text)[:60]!r} is not the JSON "
                "that Score events writes"
            ) from None
    categories = sorted({c for d in details for c in d})
    table = np.zeros((len(events), len(categories)))
    col = {c: j for j, c in enumerate(categories)}
    for i, d in enumerate(details):
        for c, v in d.items():
            table[i, col[c]] = v
    n_facts = pd.to_numeric(events["n_facts"], errors="coerce").fillna(0).to_numpy(float) if "n_facts" in events else np.zeros(len(events))
    return ScoreResult(events["score"].to_numpy(float), n_facts, table, categories)


def _codes(text: str):
    return [t.strip() for t in (text or "").replace(";", ",").split(",") if t.strip()]


class FairnessAuditAlgorithm(TranquilliteAlgorithm):
    NAME = "fairnessaudit"
    DISPLAY = "Fairness audit per sector"
    GROUP = "accountability"
    GROUP_DISPLAY = "Accountability"
    ICON = "tranquillite.svg"
    HELP = (
        "Shows, sector by sector, where the model may feed on its own patrols.\n\n"
        "EVENTS are events scored by 'Score events' (fields score and score_detail). For each sector: the number "
        "of events, the share of its score made by police-initiated facts (categories verbalisation and "
        "enlevement, and every fact of an operation_police event: POLICE_CATEGORIES and POLICE_NATURES) and the "
        "flag police_driven when that share is above THRESHOLD (0.5: more than half).\n\n"
        "With a CUT_DATE, the score transfer is backtested (trained on the events before the date, predicting "
        "those after it) and each sector gets its mean residual (predicted − observed, raw and in log1p: "
        "positive = over-predicted) and the ratio of predicted to observed scores.\n\n"
        "COMPARE_DOWNWEIGHTED runs the backtest a second time with police-initiated facts weighing FACTOR times "
        "as much (0 = ignored) and writes both, side by side, in the report.\n\n"
        "With SECTORS the output is the sectors layer with the audit fields; without, a table."
    )

    EVENTS = "EVENTS"
    SECTORS = "SECTORS"
    CUT_DATE = "CUT_DATE"
    THRESHOLD = "THRESHOLD"
    POLICE_CATEGORIES = "POLICE_CATEGORIES"
    POLICE_NATURES = "POLICE_NATURES"
    COMPARE = "COMPARE_DOWNWEIGHTED"
    FACTOR = "FACTOR"
    N_TREES = "N_TREES"
    MIN_LEAF = "MIN_LEAF"
    SEED = "SEED"
    K = "K"
    OUTPUT = "OUTPUT"
    OUTPUT_REPORT = "OUTPUT_REPORT"

    def initAlgorithm(self, config=None):
        number = QgsProcessingParameterNumber
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.EVENTS, self.tr("Scored events (fields score and score_detail)"),
                                              [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.SECTORS, self.tr("Sectors"), [QgsProcessing.TypeVectorPolygon], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString(self.CUT_DATE, self.tr("Backtest cut date (e.g. 2024-01-01; empty: no residuals)"),
                                         "", False, True)
        )
        self.addParameter(number(self.THRESHOLD, self.tr("Flag sectors whose police-initiated share is above"),
                                 number.Double, 0.5, False, 0.0, 1.0))
        self.addParameter(QgsProcessingParameterBoolean(self.COMPARE, self.tr("Compare with police-initiated facts down-weighted"), False))
        self.addParameter(number(self.FACTOR, self.tr("Down-weighting factor of police-initiated facts"), number.Double, 0.0, False, 0.0, 1.0))
        advanced = [
            QgsProcessingParameterString(self.POLICE_CATEGORIES, self.tr("Police-initiated categories"), ", ".join(POLICE_CATEGORIES)),
            QgsProcessingParameterString(self.POLICE_NATURES, self.tr("Police-initiated event natures"), ", ".join(POLICE_NATURES)),
            number(self.N_TREES, self.tr("Number of trees (backtest)"), number.Integer, 200, False, 1),
            number(self.MIN_LEAF, self.tr("Minimum events per leaf (backtest)"), number.Integer, 5, False, 1),
            number(self.SEED, self.tr("Random seed (backtest)"), number.Integer, 0, False, 0),
            number(self.K, self.tr("Similar events per transfer (backtest)"), number.Integer, 20, False, 1),
        ]
        for param in advanced:
            param.setFlags(param.flags() | param.FlagAdvanced)
            self.addParameter(param)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Fairness audit"), QgsProcessing.TypeVector))
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT_REPORT, self.tr("Audit report"), self.tr("Markdown (*.md)"),
                                                  optional=True, createByDefault=False)
        )

    def processAlgorithm(self, parameters, context, feedback):
        events, events_report, events_layer = self.read_contract_layer(
            parameters, self.EVENTS, "events", context, feedback, extra_fields=("score", "n_facts", "score_detail")
        )
        for name in ("score", "score_detail"):
            if name not in events:
                raise QgsProcessingException(
                    self.tr("layer '{}' has no field '{}': run Score events first").format(events_layer.name(), name)
                )
        events["score"] = pd.to_numeric(events["score"], errors="coerce")
        unscored = events["score"].isna().to_numpy()
        if unscored.any():
            feedback.pushWarning(
                self.tr("{} events without a score are left out of the audit (features {})").format(
                    int(unscored.sum()), ", ".join(map(str, events.loc[unscored, "fid"].head(10)))
                )
            )
            events = events[~unscored].reset_index(drop=True)
        try:
            scores = scores_from_layer(events)
        except ValueError as err:
            raise QgsProcessingException(f"layer '{events_layer.name()}': {err}") from None
        off = np.abs(scores.by_category.sum(axis=1) - scores.score) > 1e-6 * np.maximum(1.0, np.abs(scores.score))
        if off.any():
            feedback.pushWarning(
                self.tr("{} events have a score_detail that does not add up to their score").format(int(off.sum()))
            )
        sectors = sectors_layer = sectors_report = None
        if parameters.get(self.SECTORS):
            sectors, sectors_report, sectors_layer = self.read_contract_layer(parameters, self.SECTORS, "sectors", context, feedback)
        feedback.setProgress(10)
        options = {
            "threshold": self.parameterAsDouble(parameters, self.THRESHOLD, context),
            "police_categories": _codes(self.parameterAsString(parameters, self.POLICE_CATEGORIES, context)),
            "police_natures": _codes(self.parameterAsString(parameters, self.POLICE_NATURES, context)),
            "sectors": sectors,
        }
        cut = (self.parameterAsString(parameters, self.CUT_DATE, context) or "").strip()
        compare = self.parameterAsBoolean(parameters, self.COMPARE, context)
        factor = self.parameterAsDouble(parameters, self.FACTOR, context)
        comparison = None
        fingerprint = None
        try:
            if cut:
                from tranquillite_plugin.core.forest import ForestSettings

                settings = ForestSettings(
                    n_trees=self.parameterAsInt(parameters, self.N_TREES, context),
                    min_leaf=self.parameterAsInt(parameters, self.MIN_LEAF, context),
                    seed=self.parameterAsInt(parameters, self.SEED, context),
                    k=self.parameterAsInt(parameters, self.K, context),
                )
                bt = {"sectors": sectors, "settings": settings, "progress": self.progress(feedback, 10, 90),
                      "is_cancelled": self.cancelled(feedback)}
                if compare:
                    feedback.setProgressText(self.tr("Backtests as scored and with police-initiated facts down-weighted"))
                    comparison = backtest_with_downweighting(events, scores, cut, factor, audit_options=options, **bt)
                    audit = comparison.audit_base
                    fingerprint = comparison.base.fingerprint
                else:
                    from tranquillite_plugin.core.backtest import backtest

                    feedback.setProgressText(self.tr("Backtest"))
                    result = backtest(events, scores, cut, **bt)
                    audit = fairness_from_backtest(result, events, scores, **options)
                    fingerprint = result.fingerprint
            else:
                if compare:
                    feedback.pushWarning(self.tr("The comparison of weightings needs a CUT_DATE: skipped"))
                audit = fairness_audit(events, scores.score, scores.by_category, scores.categories, **options)
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        except ImportError as err:
            raise QgsProcessingException(str(err)) from None
        except ValueError as err:
            raise QgsProcessingException(f"layer '{events_layer.name()}': {err}") from None
        feedback.setProgress(90)

        table = audit.sectors.copy()
        if comparison is not None:
            down = comparison.audit_downweighted.sectors.set_index("sector")
            for name in ("police_score_share", "predicted_mean", "residual_log1p_mean", "police_driven"):
                table[f"{name}_dw"] = table["sector"].map(down[name]).to_numpy()
        columns = [c for c in table.columns if c != "geometry"]
        types = {"police_driven": FieldType.Int, "police_driven_dw": FieldType.Int, "sector": FieldType.String,
                 "name": FieldType.String}
        for c in ("n_events", "n_predicted", "n_police_events"):
            types[c] = FieldType.Int
        fields = frame_fields(table, columns, types)
        geoms = None
        if sectors is not None:
            by_id = dict(zip(sectors["sector_id"].astype(str), sectors["geometry"]))
            geoms = np.array([by_id.get(s) for s in table["sector"]], dtype=object)
            wkb = wkb_type_of([g for g in geoms if g is not None])
            crs = QgsCoordinateReferenceSystem(working_crs())
        else:
            wkb = QgsWkbTypes.NoGeometry
            crs = QgsCoordinateReferenceSystem()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        add_frame(sink, fields, table, geoms, wkb if geoms is not None else None, feedback)
        for line in audit.summary().splitlines():
            feedback.pushInfo(line)
        outputs = {self.OUTPUT: dest, "FLAGGED": ",".join(audit.flagged), "N_SECTORS": len(table)}
        report_path = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        if report_path:
            self._write_report(report_path, audit, comparison, cut)
            outputs[self.OUTPUT_REPORT] = report_path
        inputs = [(events_layer, events_report.read)]
        if sectors_layer is not None:
            inputs.append((sectors_layer, sectors_report.read))
        summary = {"flagged": audit.flagged, "n_sectors": len(table), "threshold": audit.threshold,
                   "cut_date": cut or None, "compared_downweighted": comparison is not None,
                   **{k: v for k, v in audit.overall.items() if isinstance(v, (int, float, str))}}
        if comparison is not None:
            summary["factor"] = comparison.factor
        self.audit(parameters, context, feedback, inputs=inputs, n_features=len(events), fingerprint=fingerprint,
                   summary=summary)
        feedback.setProgress(100)
        return outputs

    def _write_report(self, path, audit, comparison, cut) -> None:
        lines = ["# Fairness audit per sector", "", audit.summary(), "", audit.markdown(), ""]
        if comparison is not None:
            from tranquillite_plugin.core.backtest import markdown_table

            fmt = {c: (lambda v: "n/a" if not np.isfinite(v) else f"{v:.3f}") for c in comparison.metrics.columns[2:]}
            lines += [
                f"## Backtest (cut {cut}) as scored and with police-initiated facts × {comparison.factor:g}",
                "",
                markdown_table(comparison.metrics, fmt),
                "",
                "### Per sector",
                "",
                markdown_table(comparison.sectors, {c: (lambda v: str(v) if isinstance(v, (bool, np.bool_)) else
                                                        ("n/a" if not np.isfinite(v) else f"{v:.3f}"))
                                                    for c in comparison.sectors.columns[1:]}),
                "",
            ]
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))


__all__ = ["FairnessAuditAlgorithm", "scores_from_layer", "AUDIT_FIELDS"]
