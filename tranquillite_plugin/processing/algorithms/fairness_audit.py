"""tranquillite:fairnessaudit — per sector, residuals and the share of police-initiated facts (SPEC §7)."""

from __future__ import annotations

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
from tranquillite_plugin.core.fairness import AUDIT_FIELDS, POLICE_CATEGORIES, POLICE_NATURES
from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.pipeline import accountability as pipeline
from tranquillite_plugin.pipeline.scoring import scores_of
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.frame_output import add_frame, frame_fields, wkb_type_of


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
            scores = scores_of(events, events_layer.name())
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None
        off = np.abs(scores.by_category.sum(axis=1) - scores.score) > 1e-6 * np.maximum(1.0, np.abs(scores.score))
        if off.any():
            feedback.pushWarning(
                self.tr("{} events have a score_detail that does not add up to their score").format(int(off.sum()))
            )
        sectors = sectors_layer = sectors_report = None
        if parameters.get(self.SECTORS):
            sectors, sectors_report, sectors_layer = self.read_contract_layer(parameters, self.SECTORS, "sectors", context, feedback)
        feedback.setProgress(10)
        cut = (self.parameterAsString(parameters, self.CUT_DATE, context) or "").strip()
        compare = self.parameterAsBoolean(parameters, self.COMPARE, context)
        if compare and not cut:
            feedback.pushWarning(self.tr("The comparison of weightings needs a CUT_DATE: skipped"))
        elif compare:
            feedback.setProgressText(self.tr("Backtests as scored and with police-initiated facts down-weighted"))
        elif cut:
            feedback.setProgressText(self.tr("Backtest"))
        inputs = [(events_layer, events_report.read)]
        if sectors_layer is not None:
            inputs.append((sectors_layer, sectors_report.read))
        try:
            settings = None
            if cut:
                from tranquillite_plugin.core.forest import ForestSettings

                settings = ForestSettings(
                    n_trees=self.parameterAsInt(parameters, self.N_TREES, context),
                    min_leaf=self.parameterAsInt(parameters, self.MIN_LEAF, context),
                    seed=self.parameterAsInt(parameters, self.SEED, context),
                    k=self.parameterAsInt(parameters, self.K, context),
                )
            run = pipeline.fairness(
                events, scores, sectors,
                threshold=self.parameterAsDouble(parameters, self.THRESHOLD, context),
                police_categories=_codes(self.parameterAsString(parameters, self.POLICE_CATEGORIES, context)),
                police_natures=_codes(self.parameterAsString(parameters, self.POLICE_NATURES, context)),
                cut=cut, compare=compare and bool(cut), factor=self.parameterAsDouble(parameters, self.FACTOR, context),
                forest_settings=settings, inputs=self.layer_inputs(inputs),
                progress=self.progress(feedback, 10, 90), is_cancelled=self.cancelled(feedback),
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        except ImportError as err:
            raise QgsProcessingException(str(err)) from None
        except ValueError as err:
            raise QgsProcessingException(f"layer '{events_layer.name()}': {err}") from None
        audit, comparison = run.audit, run.comparison
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
        self.write_record(run.record, parameters, context, feedback, [layer for layer, _ in inputs])
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


__all__ = ["FairnessAuditAlgorithm", "AUDIT_FIELDS"]
