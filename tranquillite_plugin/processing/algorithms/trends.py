"""tranquillite:trends — per sector and category, the recent window against a seasonal baseline, with alerts."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.trends import BASELINES, TrendRule
from tranquillite_plugin.pipeline import accountability as pipeline
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.frame_output import add_frame, frame_fields, wkb_type_of
from tranquillite_plugin.styles import style_trends_layer

SECTOR_OUTPUT_FIELDS = (
    "sector", "name", "recent", "baseline_mean", "ratio", "z", "alert", "n_alert_categories", "driving_category",
    "driving_recent", "driving_baseline", "driving_ratio", "driving_z", "alert_categories",
)
CELL_FIELDS = ("sector", "category", "recent", "baseline_mean", "baseline_std", "ratio", "z", "alert")


class _Styler(QgsProcessingLayerPostProcessorInterface):
    instance = None

    def postProcessLayer(self, layer, context, feedback):
        if layer is not None and layer.isValid() and layer.fields().indexOf("alert") >= 0:
            style_trends_layer(layer)

    @staticmethod
    def create():
        _Styler.instance = _Styler()  # Processing does not keep a reference: keep one here
        return _Styler.instance


class TrendsAlgorithm(TranquilliteAlgorithm):
    NAME = "trends"
    DISPLAY = "Trends and alerts per sector"
    GROUP = "accountability"
    GROUP_DISPLAY = "Accountability"
    ICON = "tranquillite.svg"
    HELP = (
        "For every sector and category, counts the facts of the recent window (the WINDOW_DAYS days before END; "
        "empty END: midnight after the latest fact) and compares them with a seasonal baseline: the same "
        "window in the previous PERIODS weeks (BASELINE weeks, same weekdays) or the same weeks of the previous "
        "PERIODS years (BASELINE years, 52 weeks back).\n\n"
        "A sector and category is in alert when recent / baseline mean ≥ MIN_RATIO and the z-score "
        "(recent − mean) / sd ≥ MIN_Z and there are at least MIN_COUNT facts; sd is the baseline's standard "
        "deviation, never below the square root of its mean (Poisson). A sector is in alert when one of its "
        "categories or its total is, and driving_category names the alerting category with the largest "
        "excess.\n\n"
        "OUTPUT is the sectors layer with these fields, styled (sectors in alert in red, labelled with their "
        "driving category); ratio is empty when the baseline is 0. OUTPUT_CELLS is the table per sector and "
        "category."
    )

    FACTS = "FACTS"
    SECTORS = "SECTORS"
    END = "END"
    WINDOW_DAYS = "WINDOW_DAYS"
    BASELINE = "BASELINE"
    PERIODS = "PERIODS"
    MIN_RATIO = "MIN_RATIO"
    MIN_Z = "MIN_Z"
    MIN_COUNT = "MIN_COUNT"
    OUTPUT = "OUTPUT"
    OUTPUT_CELLS = "OUTPUT_CELLS"

    def initAlgorithm(self, config=None):
        number = QgsProcessingParameterNumber
        self.addParameter(QgsProcessingParameterVectorLayer(self.FACTS, self.tr("Facts (incidents)"), [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterVectorLayer(self.SECTORS, self.tr("Sectors"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(
            QgsProcessingParameterString(self.END, self.tr("End of the recent window (e.g. 2024-03-18; empty: after the latest fact)"),
                                         "", False, True)
        )
        self.addParameter(number(self.WINDOW_DAYS, self.tr("Recent window (days)"), number.Double, 7.0, False, 0.01, 364.0))
        self.addParameter(
            QgsProcessingParameterEnum(self.BASELINE, self.tr("Seasonal baseline"),
                                       [self.tr("previous weeks"), self.tr("same weeks of previous years")], False, 0)
        )
        self.addParameter(number(self.PERIODS, self.tr("Number of past weeks or years"), number.Integer, 8, False, 1, 520))
        self.addParameter(number(self.MIN_RATIO, self.tr("Alert when recent / usual is at least"), number.Double, 1.5, False, 0.0))
        self.addParameter(number(self.MIN_Z, self.tr("and the z-score is at least"), number.Double, 2.0))
        self.addParameter(number(self.MIN_COUNT, self.tr("and there are at least (facts)"), number.Double, 5.0, False, 0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Sectors with trends"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT_CELLS, self.tr("Trends per sector and category"), QgsProcessing.TypeVector,
                                              optional=True, createByDefault=False)
        )

    def processAlgorithm(self, parameters, context, feedback):
        facts, facts_report, facts_layer = self.read_contract_layer(
            parameters, self.FACTS, "facts", context, feedback, points_as_xy=True
        )
        feedback.setProgress(40)
        sectors, sectors_report, sectors_layer = self.read_contract_layer(parameters, self.SECTORS, "sectors", context, feedback)
        feedback.setProgress(50)
        end = (self.parameterAsString(parameters, self.END, context) or "").strip() or None
        try:
            rule = TrendRule(
                self.parameterAsDouble(parameters, self.MIN_RATIO, context),
                self.parameterAsDouble(parameters, self.MIN_Z, context),
                self.parameterAsDouble(parameters, self.MIN_COUNT, context),
            )
            run = pipeline.trends(
                facts,
                sectors,
                end=end,
                window_days=self.parameterAsDouble(parameters, self.WINDOW_DAYS, context),
                baseline=BASELINES[self.parameterAsEnum(parameters, self.BASELINE, context)],
                periods=self.parameterAsInt(parameters, self.PERIODS, context),
                rule=rule,
                inputs=self.layer_inputs([(facts_layer, facts_report.read), (sectors_layer, sectors_report.read)]),
            )
            result = run.result
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None
        feedback.setProgress(80)
        table = result.sectors
        types = {"alert": FieldType.Int, "n_alert_categories": FieldType.Int, "sector": FieldType.String, "name": FieldType.String,
                 "driving_category": FieldType.String, "alert_categories": FieldType.String}
        fields = frame_fields(table, SECTOR_OUTPUT_FIELDS, types)
        by_id = dict(zip(sectors["sector_id"].astype(str), sectors["geometry"]))
        geoms = np.array([by_id.get(s) for s in table["sector"]], dtype=object)
        wkb = wkb_type_of(geoms)
        crs = QgsCoordinateReferenceSystem(working_crs())
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        add_frame(sink, fields, table, geoms, wkb, feedback)
        outputs = {self.OUTPUT: dest, "ALERTS": ",".join(result.alerts["sector"]), "N_ALERTS": int(table["alert"].sum())}
        if context.willLoadLayerOnCompletion(dest):
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(_Styler.create())
        if parameters.get(self.OUTPUT_CELLS):
            cell_fields = frame_fields(result.cells, CELL_FIELDS, {"alert": FieldType.Int, "sector": FieldType.String,
                                                                   "category": FieldType.String})
            cell_sink, cell_dest = self.parameterAsSink(parameters, self.OUTPUT_CELLS, context, cell_fields,
                                                        QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem())
            if cell_sink is not None:
                add_frame(cell_sink, cell_fields, result.cells, feedback=feedback)
                outputs[self.OUTPUT_CELLS] = cell_dest
        for line in result.summary().splitlines():
            feedback.pushInfo(line)
        self.write_record(run.record, parameters, context, feedback, [facts_layer, sectors_layer])
        feedback.setProgress(100)
        return outputs
