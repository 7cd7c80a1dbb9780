"""tranquillite:exportaggregated — facts leave the observatory aggregated, with a minimum count per figure."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from tranquillite_plugin.compat import FieldType
from tranquillite_plugin.core.aggregate import OTHER, PERIODS
from tranquillite_plugin.core.contract import normalise_code
from tranquillite_plugin.pipeline import accountability as pipeline
from tranquillite_plugin.processing.algorithms.base import TranquilliteAlgorithm, working_crs
from tranquillite_plugin.processing.algorithms.frame_output import add_frame, frame_fields

MODES = ("grid", "sectors")
FIXED = ("cell_id", "name", "period", "n_records", "n_facts", "suppressed")


def category_field_names(categories, reserved=FIXED):
    """Category code -> output field name ``n_<code>`` (a safe, unique name)."""
    out, used = {}, set(reserved)
    for c in list(categories) + [OTHER]:
        base = "n_" + (normalise_code(c) or "unnamed")
        base = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in base)[:60]
        name, k = base, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        out[c] = name
    return out


class ExportAggregatedAlgorithm(TranquilliteAlgorithm):
    NAME = "exportaggregated"
    DISPLAY = "Export facts aggregated"
    GROUP = "accountability"
    GROUP_DISPLAY = "Accountability"
    ICON = "tranquillite.svg"
    HELP = (
        "Exports the facts counted per cell — squares of a grid of CELL_SIZE metres (aligned on multiples of the "
        "size in the working CRS) or SECTORS — and optionally per PERIOD (year, month, ISO week or day), so that "
        "no single fact can be singled out.\n\n"
        "Every published figure comes from at least MIN_COUNT fact records (rows; a record whose count is 3 is "
        "still one place and one time): a cell with fewer is suppressed (on a grid it is not written; a sector "
        "is written with empty figures and suppressed = 1, also when it has no fact at all); in a published "
        "cell, categories with fewer records are merged into n_other, and when n_other itself would come from "
        "fewer records the smallest remaining category is merged too. Figures are facts (counts included): "
        "n_facts and one n_<category> field per category (BY_CATEGORY).\n\n"
        "The log gives the totals published and suppressed."
    )

    FACTS = "FACTS"
    MODE = "MODE"
    CELL_SIZE = "CELL_SIZE"
    SECTORS = "SECTORS"
    MIN_COUNT = "MIN_COUNT"
    PERIOD = "PERIOD"
    BY_CATEGORY = "BY_CATEGORY"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        number = QgsProcessingParameterNumber
        self.addParameter(QgsProcessingParameterVectorLayer(self.FACTS, self.tr("Facts (incidents)"), [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterEnum(self.MODE, self.tr("Aggregate to"), [self.tr("a square grid"), self.tr("sectors")],
                                                     False, 0))
        self.addParameter(number(self.CELL_SIZE, self.tr("Grid cell size (m)"), number.Double, 200.0, False, 1.0))
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.SECTORS, self.tr("Sectors"), [QgsProcessing.TypeVectorPolygon], optional=True)
        )
        self.addParameter(number(self.MIN_COUNT, self.tr("Minimum fact records per published figure"), number.Integer, 5, False, 2))
        self.addParameter(
            QgsProcessingParameterEnum(self.PERIOD, self.tr("Per period"),
                                       [self.tr("none"), self.tr("year"), self.tr("month"), self.tr("week"), self.tr("day")],
                                       False, 0)
        )
        self.addParameter(QgsProcessingParameterBoolean(self.BY_CATEGORY, self.tr("One figure per category"), True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Aggregated facts"), QgsProcessing.TypeVectorPolygon))

    def processAlgorithm(self, parameters, context, feedback):
        mode = MODES[self.parameterAsEnum(parameters, self.MODE, context)]
        facts, facts_report, facts_layer = self.read_contract_layer(
            parameters, self.FACTS, "facts", context, feedback, points_as_xy=True
        )
        inputs = [(facts_layer, facts_report.read)]
        feedback.setProgress(50)
        sectors = None
        if mode == "sectors":
            if not parameters.get(self.SECTORS):
                raise QgsProcessingException(self.tr("Aggregating to sectors needs a SECTORS layer"))
            sectors, sectors_report, sectors_layer = self.read_contract_layer(parameters, self.SECTORS, "sectors", context, feedback)
            inputs.append((sectors_layer, sectors_report.read))
        by_category = self.parameterAsBoolean(parameters, self.BY_CATEGORY, context)
        try:
            run = pipeline.export_aggregated(
                facts,
                cell_size=self.parameterAsDouble(parameters, self.CELL_SIZE, context) if mode == "grid" else None,
                sectors=sectors,
                min_count=self.parameterAsInt(parameters, self.MIN_COUNT, context),
                period=PERIODS[self.parameterAsEnum(parameters, self.PERIOD, context)],
                by_category=by_category,
                inputs=self.layer_inputs(inputs),
            )
            agg = run.aggregation
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None
        feedback.setProgress(75)
        cells = agg.cells.copy()
        rename = category_field_names(agg.report.categories) if by_category else {}
        cells = cells.rename(columns=rename)
        columns = [c for c in cells.columns if c != "geometry"]
        types = {c: FieldType.String for c in ("cell_id", "name", "period")}
        types.update({c: FieldType.Int for c in ("n_records", "suppressed")})
        types.update({c: FieldType.Double for c in ["n_facts"] + list(rename.values())})
        fields = frame_fields(cells, columns, types)
        crs = QgsCoordinateReferenceSystem(working_crs())
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        add_frame(sink, fields, cells, cells["geometry"].to_numpy(object), QgsWkbTypes.MultiPolygon, feedback)
        feedback.pushInfo(agg.report.summary())
        r = agg.report
        self.write_record(run.record, parameters, context, feedback, [layer for layer, _ in inputs])
        feedback.setProgress(100)
        return {
            self.OUTPUT: dest,
            "N_PUBLISHED_CELLS": r.n_published_cells,
            "N_SUPPRESSED_CELLS": r.n_suppressed_cells,
            "N_SUPPRESSED_RECORDS": r.n_suppressed_records,
            "MIN_COUNT": r.min_count,
            "N_CELLS_WRITTEN": int(len(cells)),
            "N_OUTSIDE": int(r.n_outside_records),
            "HAS_SUPPRESSED": bool(np.any(cells["suppressed"])) if "suppressed" in cells else r.n_suppressed_cells > 0,
        }
