"""Helpers several algorithms share: parameter sets, settings from parameters, reading scored
events and sectors, the output's geometry type. Not an algorithm."""

from __future__ import annotations

import shapely
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from tranquillite_plugin.core.score import ScoreSettings
from tranquillite_plugin.pipeline.scoring import scored_events

MODEL_FILTER = "Tranquillité model (*.tqm)"


def add_forest_parameters(alg) -> None:
    """N_TREES, MIN_LEAF, SEED (and MAX_FEATURES, advanced) — shared by training and backtest."""
    number = QgsProcessingParameterNumber
    alg.addParameter(number("N_TREES", alg.tr("Number of trees"), number.Integer, 200, False, 1, 5000))
    alg.addParameter(number("MIN_LEAF", alg.tr("Minimum events per leaf"), number.Integer, 5, False, 1))
    alg.addParameter(number("SEED", alg.tr("Random seed"), number.Integer, 0, False, 0))
    mf = number("MAX_FEATURES", alg.tr("Share of the axes tried at each split"), number.Double, 0.5, False, 0.01, 1.0)
    mf.setFlags(mf.flags() | mf.FlagAdvanced)
    alg.addParameter(mf)


def add_score_parameters(alg) -> None:
    """The scoring settings that made the ``score`` field (recorded with the model), advanced."""
    number = QgsProcessingParameterNumber
    params = [
        number("RADIUS", alg.tr("Radius used by the score (m)"), number.Double, 300.0, False, 0.0),
        number("BEFORE_H", alg.tr("Hours before the start used by the score"), number.Double, 2.0, False, 0.0),
        number("AFTER_H", alg.tr("Hours after the end used by the score"), number.Double, 2.0, False, 0.0),
        QgsProcessingParameterString("WEIGHTS", alg.tr("Category weights used by the score (e.g. violence=4)"), "", False, True),
        number("LINE_BUFFER", alg.tr("Itinerary footprint half-width (m)"), number.Double, 15.0, False, 0.0),
        number("POINT_BUFFER", alg.tr("Point footprint radius (m)"), number.Double, 50.0, False, 0.0),
    ]
    for p in params:
        p.setFlags(p.flags() | p.FlagAdvanced)
        alg.addParameter(p)


def require_forest() -> None:
    """scikit-learn is there, else a QgsProcessingException that says how to install it."""
    from tranquillite_plugin.core.forest import require_sklearn

    try:
        require_sklearn()
    except ImportError as err:
        raise QgsProcessingException(str(err)) from None


def forest_settings_from(alg, parameters, context, k: int = 20):
    from tranquillite_plugin.core.forest import ForestSettings

    try:
        return ForestSettings(
            n_trees=alg.parameterAsInt(parameters, "N_TREES", context),
            min_leaf=alg.parameterAsInt(parameters, "MIN_LEAF", context),
            seed=alg.parameterAsInt(parameters, "SEED", context),
            max_features=alg.parameterAsDouble(parameters, "MAX_FEATURES", context),
            k=k,
        )
    except ValueError as err:
        raise QgsProcessingException(str(err)) from None


def score_settings_from(alg, parameters, context) -> ScoreSettings:
    """RADIUS, BEFORE_H, AFTER_H, LINE_BUFFER, POINT_BUFFER and WEIGHTS -> core.score.ScoreSettings."""
    return ScoreSettings(
        radius_m=alg.parameterAsDouble(parameters, "RADIUS", context),
        before_h=alg.parameterAsDouble(parameters, "BEFORE_H", context),
        after_h=alg.parameterAsDouble(parameters, "AFTER_H", context),
        line_buffer_m=alg.parameterAsDouble(parameters, "LINE_BUFFER", context),
        point_buffer_m=alg.parameterAsDouble(parameters, "POINT_BUFFER", context),
        weights=alg.parse_weights(alg.parameterAsString(parameters, "WEIGHTS", context)),
    )


def read_scored_events(alg, parameters, name, context, feedback):
    """Reads a scored events layer: (events with a score, ScoreResult, layer, features read)."""
    events, report, layer = alg.read_contract_layer(parameters, name, "events", context, feedback, extra_fields=("score", "score_detail"))
    try:
        events, result, skipped = scored_events(events, layer.name())
    except ValueError as err:
        raise QgsProcessingException(str(err)) from None
    if skipped:
        shown = ", ".join(skipped[:10]) + (" …" if len(skipped) > 10 else "")
        feedback.pushWarning(alg.tr("{} events without a score are left out: {}").format(len(skipped), shown))
    if not result.categories:
        feedback.pushWarning(alg.tr("No field 'score_detail': the explanation will not show facts by category"))
    if not len(events):
        raise QgsProcessingException(alg.tr("layer '{}' has no event with a score").format(layer.name()))
    return events, result, layer, report.read


def read_sectors(alg, parameters, name, context, feedback):
    """The optional sectors layer: (clean frame, [(layer, features read)]) or (None, [])."""
    if not parameters.get(name):
        return None, []
    sectors, report, layer = alg.read_contract_layer(parameters, name, "sectors", context, feedback)
    return sectors, [(layer, report.read)]


def to_memory(alg, parameters, name, context) -> bool:
    """Does the output ``name`` go to a memory layer?"""
    dest = alg.parameterAsOutputLayer(parameters, name, context) or ""
    return dest.startswith("memory:") or dest == QgsProcessing.TEMPORARY_OUTPUT


def fields_with(layer, added, on_replaced) -> QgsFields:
    """The layer's fields and the ``added`` (name, type) ones; a name the layer has already
    (case-insensitively) keeps its field, its value replaced: ``on_replaced(name)`` says so."""
    fields = QgsFields(layer.fields())
    present = {f.name().lower() for f in layer.fields()}
    for name, kind in added:
        if name in present:
            on_replaced(name)
            continue
        fields.append(QgsField(name, kind))
    return fields


def copy_feature(feat, fields: QgsFields):
    """(new feature on ``fields`` with ``feat``'s geometry, its attributes padded to ``fields``)."""
    out = QgsFeature(fields)
    out.setGeometry(feat.geometry())
    return out, list(feat.attributes()) + [None] * (fields.count() - len(feat.attributes()))


_FAMILY = {0: QgsWkbTypes.PointGeometry, 4: QgsWkbTypes.PointGeometry, 1: QgsWkbTypes.LineGeometry,
           2: QgsWkbTypes.LineGeometry, 5: QgsWkbTypes.LineGeometry, 3: QgsWkbTypes.PolygonGeometry,
           6: QgsWkbTypes.PolygonGeometry}


def output_wkb_type(layer, geometries, to_memory: bool):
    """The layer's geometry type, or Unknown when its events mix points, itineraries and areas.

    A memory layer cannot hold mixed types: there the layer's own type is kept.
    """
    families = {_FAMILY.get(int(t)) for t in shapely.get_type_id(geometries.to_numpy(object))} - {None}
    if len(families) <= 1 and families <= {QgsWkbTypes.geometryType(layer.wkbType())}:
        return layer.wkbType()
    if to_memory and layer.wkbType() != QgsWkbTypes.Unknown:
        return layer.wkbType()
    return QgsWkbTypes.GeometryCollection if to_memory else QgsWkbTypes.Unknown
