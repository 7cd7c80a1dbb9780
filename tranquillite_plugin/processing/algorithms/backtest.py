"""tranquillite:backtest — train before a cut date, predict after it, compare with baselines (SPEC §4)."""

from __future__ import annotations

import time

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
)

from tranquillite_plugin.core.score import Cancelled
from tranquillite_plugin.pipeline import model as pipeline
from tranquillite_plugin.processing.algorithms import helpers
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm
from tranquillite_plugin.processing.algorithms.model_options import add_model_options, model_options_from


def cut_value(value):
    """QDateTime / QDate / text -> something core.backtest reads (naive = Europe/Paris local time)."""
    if value is None:
        return None
    if hasattr(value, "toPyDateTime"):
        return value.toPyDateTime() if value.isValid() else None
    if hasattr(value, "toPyDate"):
        return value.toPyDate() if value.isValid() else None
    return value


class BacktestAlgorithm(TranquilliteAlgorithm):
    NAME = "backtest"
    DISPLAY = "Backtest the score transfer"
    GROUP = "scoring"
    GROUP_DISPLAY = "Scoring and model"
    ICON = "tranquillite.svg"
    HELP = (
        "Measures how good the transfer is. The forest is trained once on the scored events that started "
        "before CUT_DATE (local time), then every event that started on or after it is predicted from those "
        "past events only. The report compares the transfer with three baselines — the global mean, the "
        "mean of the same nature and sector, and the 20 nearest neighbours on the standardised axes — on "
        "Spearman rank correlation, mean absolute error of log(1 + score), top-decile hit rate (share of the "
        "true 10 % highest events found in the predicted 10 % highest) and, per nature, a PAI-style hit rate.\n\n"
        "By default the transfer is the published method. With COMPARE (and FACTS for the background axis, WEATHER "
        "for the weather axis) an enriched configuration is trained and tested on the same events: context axes, "
        "settings chosen by auto mode inside the training period, conformal band. The report then gives both side "
        "by side with the difference and a paired bootstrap 95 % interval on it, hit rates and PAI at 5, 10 and 20 %, "
        "the band's coverage and sides, and a calibration chart. The other options set the first configuration "
        "(see 'Train the similarity model').\n\n"
        "OUTPUT_REPORT is a folder: report.md (Markdown, readable as text), PNG charts and predictions.csv."
    )
    EVENTS = "EVENTS"
    SECTORS = "SECTORS"
    CUT_DATE = "CUT_DATE"
    K = "K"
    OUTPUT_REPORT = "OUTPUT_REPORT"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.EVENTS, self.tr("Scored past events (field score)"), [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(QgsProcessingParameterDateTime(self.CUT_DATE, self.tr("Cut date (train before, predict after)")))
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.SECTORS, self.tr("Sectors"), [QgsProcessing.TypeVectorPolygon], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.K, self.tr("Number of similar past events (k)"), QgsProcessingParameterNumber.Integer, 20, False, 1)
        )
        helpers.add_forest_parameters(self)
        add_model_options(self, enriched_switch=True)
        helpers.add_score_parameters(self)
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_REPORT, self.tr("Report folder")))
        self.addOutput(QgsProcessingOutputFile("REPORT", self.tr("Report (Markdown)")))
        for name, label in (
            ("SPEARMAN", "Spearman of the transfer"),
            ("MAE_LOG1P", "MAE of log1p of the transfer"),
            ("TOP_DECILE_HIT", "Top-decile hit rate of the transfer"),
            ("ENRICHED_SPEARMAN", "Spearman of the enriched configuration"),
            ("ENRICHED_MAE_LOG1P", "MAE of log1p of the enriched configuration"),
            ("ENRICHED_TOP_DECILE_HIT", "Top-decile hit rate of the enriched configuration"),
            ("ENRICHED_BAND_COVERAGE", "Band coverage of the enriched configuration"),
            ("N_TRAIN", "Training events"),
            ("N_TEST", "Test events"),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))

    def processAlgorithm(self, parameters, context, feedback):
        from tranquillite_plugin.core.backtest import enriched_settings

        helpers.require_forest()
        t0 = time.perf_counter()
        k = self.parameterAsInt(parameters, self.K, context)
        settings = helpers.forest_settings_from(self, parameters, context, k=k)
        score_settings = helpers.score_settings_from(self, parameters, context)
        cut = cut_value(self.parameterAsDateTime(parameters, self.CUT_DATE, context))
        if cut is None:
            raise QgsProcessingException(self.tr("CUT_DATE: give a date and time"))
        folder = self.parameterAsString(parameters, self.OUTPUT_REPORT, context)
        events, result, events_layer, n_read = helpers.read_scored_events(self, parameters, self.EVENTS, context, feedback)
        sectors, sector_inputs = helpers.read_sectors(self, parameters, self.SECTORS, context, feedback)
        base = settings
        settings, auto, facts, weather, option_inputs = model_options_from(self, parameters, context, feedback, settings)
        compare = self.parameterAsBoolean(parameters, "COMPARE", context)
        challenger = enriched_settings(base, facts=facts is not None, weather=weather is not None) if compare else None
        if compare and facts is None:
            feedback.pushWarning(self.tr("No FACTS layer: the enriched configuration goes without the background axis"))
        feedback.setProgress(5)
        inputs = [(events_layer, n_read)] + sector_inputs + option_inputs
        try:
            run = pipeline.backtest(
                events, result, cut, settings, score_settings, k, sectors=sectors, folder=folder,
                inputs=self.layer_inputs(inputs), facts=facts, weather=weather, auto=auto, challenger=challenger,
                progress=self.progress(feedback, 5, 95), is_cancelled=self.cancelled(feedback),
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled")) from None
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None
        res, report = run.result, run.report
        feedback.setProgress(100)
        m = res.metrics.set_index("method")
        for method, row in m.iterrows():
            feedback.pushInfo(
                f"{method:20s} Spearman {row['spearman']:.3f}  MAE log1p {row['mae_log1p']:.3f}  top-decile {row['top_decile_hit']:.1%}"
            )
        beats = res.beats_baselines()
        if not (beats["spearman"] and beats["top_decile_hit"]):
            feedback.pushWarning(self.tr("The transfer does not beat every baseline on this data: read the report"))
        if res.comparison is not None:
            for _, c in res.comparison.iterrows():
                feedback.pushInfo(
                    f"enriched - transfer, {c['metric']}: {c['difference']:+.3f} [{c['low']:+.3f}, {c['high']:+.3f}] {c['verdict']}"
                )
        feedback.pushInfo(self.tr("Report written to {} in {:.1f} s").format(report, time.perf_counter() - t0))
        self.write_record(run.record, parameters, context, feedback, [layer for layer, _ in inputs])
        return {
            self.OUTPUT_REPORT: folder,
            "REPORT": report,
            "SPEARMAN": float(m.loc["transfer", "spearman"]),
            "MAE_LOG1P": float(m.loc["transfer", "mae_log1p"]),
            "TOP_DECILE_HIT": float(m.loc["transfer", "top_decile_hit"]),
            "N_TRAIN": res.n_train,
            "N_TEST": res.n_test,
            **({
                "ENRICHED_SPEARMAN": float(m.loc["enriched", "spearman"]),
                "ENRICHED_MAE_LOG1P": float(m.loc["enriched", "mae_log1p"]),
                "ENRICHED_TOP_DECILE_HIT": float(m.loc["enriched", "top_decile_hit"]),
                "ENRICHED_BAND_COVERAGE": float(m.loc["enriched", "band_coverage"]),
            } if "enriched" in m.index else {}),
        }
