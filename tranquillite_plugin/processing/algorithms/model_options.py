"""Parameters beyond the published method, shared by trainmodel and backtest.

The published configuration (SPEC §4) stays the default: every option below
is off unless the user turns it on.  The logic lives in core
(:mod:`~tranquillite_plugin.core.context`, :mod:`~tranquillite_plugin.core.selection`,
:mod:`~tranquillite_plugin.core.calibration`); this module only reads parameters.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterVectorLayer,
)

MODES = ("published", "auto")
AVERAGINGS = ("raw", "log")


def add_model_options(alg, enriched_switch: bool = False) -> None:
    """MODE, AVERAGING, the three context switches, CALIBRATE, FACTS and WEATHER (and COMPARE for the backtest)."""
    tr = alg.tr
    if enriched_switch:
        alg.addParameter(
            QgsProcessingParameterBoolean(
                "COMPARE", tr("Compare with the enriched configuration (context axes, auto settings, calibrated band)"), False
            )
        )
    alg.addParameter(
        QgsProcessingParameterEnum(
            "MODE",
            tr("Settings of the forest"),
            [tr("As given below (the published method by default)"),
             tr("Auto: chosen by a backtest inside the training period")],
            False,
            0,
        )
    )
    avg = QgsProcessingParameterEnum(
        "AVERAGING", tr("Averaging of the similar events' scores"),
        [tr("Raw scores (published)"), tr("Log space (weighted geometric mean)")], False, 0,
    )
    avg.setFlags(avg.flags() | avg.FlagAdvanced)
    alg.addParameter(avg)
    for name, label in (
        ("CONTEXT_BACKGROUND", tr("Context axis: background incident rate around the footprint at the event's hours (needs FACTS)")),
        ("CONTEXT_WEATHER", tr("Context axis: weather of the day (needs WEATHER)")),
        ("CONTEXT_LOAD", tr("Context axis: the city's load that day (other events and their participants)")),
        ("CALIBRATE", tr("Calibrated 10-90 % band (conformal, on the most recent training events)")),
    ):
        alg.addParameter(QgsProcessingParameterBoolean(name, label, False))
    alg.addParameter(
        QgsProcessingParameterVectorLayer("FACTS", tr("Facts (for the background axis)"), [QgsProcessing.TypeVectorPoint], optional=True)
    )
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "WEATHER", tr("Weather table by day (date, temperature, precipitation, wind; Météo-France columns accepted)"),
            [QgsProcessing.TypeVector], optional=True,
        )
    )


def read_weather_layer(alg, parameters, context, name: str = "WEATHER"):
    """The optional weather table -> (WeatherTable or None, [(layer, rows)])."""
    from tranquillite_plugin.core.context import read_weather

    if not parameters.get(name):
        return None, []
    layer = alg.parameterAsVectorLayer(parameters, name, context)
    if layer is None:
        raise QgsProcessingException(alg.tr("Layer {} could not be opened").format(name))
    fields = [f.name() for f in layer.fields()]
    rows = [[(None if v is None or (hasattr(v, "isNull") and v.isNull()) else _plain(v)) for v in feat.attributes()]
            for feat in layer.getFeatures()]
    frame = pd.DataFrame(rows, columns=fields)
    try:
        return read_weather(frame, layer.name()), [(layer, len(frame))]
    except ValueError as err:
        raise QgsProcessingException(str(err)) from None


def _plain(v):
    if hasattr(v, "toPyDate"):
        return v.toPyDate().isoformat()
    if hasattr(v, "toPyDateTime"):
        return v.toPyDateTime().date().isoformat()
    return v


def model_options_from(alg, parameters, context, feedback, settings, k=None):
    """(settings with the options, auto, facts frame or None, weather table or None, [(layer, n)] inputs)."""
    mode = MODES[alg.parameterAsEnum(parameters, "MODE", context)]
    averaging = AVERAGINGS[alg.parameterAsEnum(parameters, "AVERAGING", context)]
    wanted = [c for c, p in (("background", "CONTEXT_BACKGROUND"), ("weather", "CONTEXT_WEATHER"), ("load", "CONTEXT_LOAD"))
              if alg.parameterAsBoolean(parameters, p, context)]
    calibrate = alg.parameterAsBoolean(parameters, "CALIBRATE", context)
    facts, inputs = read_facts(alg, parameters, context, feedback, required="background" in wanted)
    weather, w_inputs = read_weather_layer(alg, parameters, context)
    if "weather" in wanted and weather is None:
        raise QgsProcessingException(alg.tr("The weather context axis needs the WEATHER table"))
    try:
        settings = replace(settings, averaging=averaging, context=tuple(wanted), calibrate=calibrate)
    except ValueError as err:
        raise QgsProcessingException(str(err)) from None
    return settings, mode == "auto", facts, weather, inputs + w_inputs


def read_facts(alg, parameters, context, feedback, required: bool):
    if not parameters.get("FACTS"):
        if required:
            raise QgsProcessingException(alg.tr("The background context axis needs the FACTS layer"))
        return None, []
    facts, report, layer = alg.read_contract_layer(parameters, "FACTS", "facts", context, feedback, points_as_xy=True)
    return facts, [(layer, report.read)]


__all__ = ["add_model_options", "model_options_from", "read_facts", "read_weather_layer"]
