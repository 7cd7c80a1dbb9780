"""Styles of the observatory's layers (SPEC §5).

Each kind of layer has a style shipped as QML in ``resources/styles``
(``events``, ``planned`` and ``similar`` have one per geometry type:
``events_point.qml``, ``events_line.qml``, ``events_polygon.qml``).
:func:`apply_style` loads it onto a layer, then does what a QML file cannot
know in advance:

* the SVG pictograms (``resources/pictograms/<nature>.svg``) are pointed at
  the plugin's own folder, wherever the plugin is installed;
* sectors get graduated classes built from the data, and a hatched grey
  "no data" symbol for a sector without a value (:func:`style_sectors`);
* facts and events get their temporal properties, so that the Temporal
  Controller plays them back;
* events get the attachments form widget and a map tip showing the first photo;
* classification follows the layer's own field names (``field_map``).

The QML files are generated from the builders below by
``scripts/build_styles.py``; a site may edit them (in QGIS: Layer Properties >
Style > Save Style) and :func:`apply_style` will load its version.

The words and colours of the codes are in ``vocabulary.py``, the attachments
convention in ``attachments.py``, the temporal properties in ``temporal.py``.
"""

from __future__ import annotations

import os
from typing import List, Mapping, Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCentroidFillSymbolLayer,
    QgsClassificationJenks,
    QgsClassificationQuantile,
    QgsExpression,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGeometryGeneratorSymbolLayer,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsGraduatedSymbolRenderer,
    QgsLinePatternFillSymbolLayer,
    QgsLineSymbol,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSimpleFillSymbolLayer,
    QgsSimpleLineSymbolLayer,
    QgsSimpleMarkerSymbolLayer,
    QgsSimpleMarkerSymbolLayerBase,
    QgsSingleSymbolRenderer,
    QgsSvgMarkerSymbolLayer,
    QgsSymbol,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from tranquillite_plugin.attachments import ATTACHMENTS_FIELD, set_events_attachments
from tranquillite_plugin.compat import LABEL_QUADRANT_BELOW, LabelPlacement
from tranquillite_plugin.core.contract import AXIS_STATUSES, CATEGORIES, NATURES
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.store.qgis_time import configure_display
from tranquillite_plugin.temporal import set_events_temporal, set_facts_temporal
from tranquillite_plugin.vocabulary import AXIS_STATUS_COLORS, CATEGORY_COLORS, NATURE_COLORS, category_label, nature_label, status_label

PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))
STYLES_DIR = os.path.join(PLUGIN_DIR, "resources", "styles")
PICTOGRAMS_DIR = os.path.join(PLUGIN_DIR, "resources", "pictograms")

#: kinds that :func:`apply_style` knows
STYLE_KINDS = ("facts", "events", "planned", "similar", "sectors", "axes", "cameras")
#: kinds whose style depends on the geometry type (one QML per type)
GEOMETRY_KINDS = ("events", "planned", "similar")
GEOMETRY_NAMES = {
    QgsWkbTypes.PointGeometry: "point",
    QgsWkbTypes.LineGeometry: "line",
    QgsWkbTypes.PolygonGeometry: "polygon",
}

AXIS_WIDTH_MM = 1.1  # readable at city scale (1:10 000 to 1:50 000)


#: a readable sequential ramp (ColorBrewer Purples, 5 classes): light to dark, and
#: none of the traffic statuses' greens, oranges and reds, so the axes stay readable on it
SECTOR_RAMP = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
SECTOR_FIELDS = ("mean_score", "facts_per_km2")
SECTOR_OPACITY = 0.55  # the basemap shows through
NO_DATA_FILL = "#f0f0f0"  # a sector without a value: light grey...
NO_DATA_HATCH = "#999999"  # ...hatched
NO_DATA_OPACITY = 0.8
#: custom property of a sectors layer: the field its classes grade (style_sectors)
SECTOR_FIELD_PROPERTY = "tranquillite/sector_field"

CAMERA_COLOR = "#1f78b4"
PLANNED_COLOR = "#e3001b"
SIMILAR_COLOR = "#0b4f9c"


# --- names and paths -----------------------------------------------------------


def pictogram_path(nature: str) -> str:
    """Absolute path of the SVG pictogram of a nature (``autre`` for an unknown one)."""
    path = os.path.join(PICTOGRAMS_DIR, f"{nature}.svg")
    if not os.path.exists(path):
        path = os.path.join(PICTOGRAMS_DIR, "autre.svg")
    return path


def camera_pictogram_path() -> str:
    return os.path.join(PICTOGRAMS_DIR, "camera.svg")


def geometry_name(layer_or_type) -> str:
    """'point', 'line' or 'polygon' for a layer or a QgsWkbTypes.GeometryType."""
    gtype = layer_or_type.geometryType() if hasattr(layer_or_type, "geometryType") else layer_or_type
    try:
        return GEOMETRY_NAMES[gtype]
    except KeyError:
        raise ValueError(tr("A layer without point, line or polygon geometry cannot be styled.")) from None


def style_path(kind: str, geometry: Optional[str] = None) -> str:
    """The QML file of a kind (and geometry type for events, planned and similar)."""
    if kind not in STYLE_KINDS:
        raise ValueError(tr("Unknown layer kind '{}': expected one of {}.").format(kind, ", ".join(STYLE_KINDS)))
    if kind in GEOMETRY_KINDS:
        return os.path.join(STYLES_DIR, f"{kind}_{geometry or 'point'}.qml")
    return os.path.join(STYLES_DIR, f"{kind}.qml")


def code_expression(field: str) -> str:
    """A QGIS expression normalising a code like :func:`core.contract.normalise_code`.

    'Opération police' -> 'operation_police', so a layer not yet cleaned is
    classified as the contract reads it.
    """
    accents = "'é','è','ê','ë','à','â','ä','î','ï','ô','ö','ù','û','ü','ç'"
    plain = "'e','e','e','e','a','a','a','i','i','o','o','u','u','u','c'"
    return (
        f"regexp_replace(replace(lower(trim(\"{field}\")), array({accents}), array({plain})), "
        r"'[\\s\\-]+', '_')"
    )


# --- symbols -----------------------------------------------------------------------------


def _svg_marker(path: str, size_mm: float) -> QgsSvgMarkerSymbolLayer:
    layer = QgsSvgMarkerSymbolLayer(path, size_mm)
    layer.setSizeUnit(QgsUnitTypes.RenderMillimeters)
    return layer


def _line_layer(color: str, width_mm: float, alpha: int = 255, dash: bool = False) -> QgsSimpleLineSymbolLayer:
    c = QColor(color)
    c.setAlpha(alpha)
    layer = QgsSimpleLineSymbolLayer(c, width_mm)
    layer.setWidthUnit(QgsUnitTypes.RenderMillimeters)
    layer.setPenCapStyle(Qt.PenCapStyle.RoundCap)
    layer.setPenJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dash:
        layer.setUseCustomDashPattern(True)
        layer.setCustomDashVector([3.0, 1.5])
    return layer


def _fill_layer(color: str, fill_alpha: int, outline: str, outline_mm: float, dash: bool = False) -> QgsSimpleFillSymbolLayer:
    fill = QColor(color)
    fill.setAlpha(fill_alpha)
    layer = QgsSimpleFillSymbolLayer(fill)
    layer.setStrokeColor(QColor(outline))
    layer.setStrokeWidth(outline_mm)
    layer.setStrokeWidthUnit(QgsUnitTypes.RenderMillimeters)
    if dash:
        layer.setStrokeStyle(Qt.PenStyle.DashLine)  # reads as "planned"
    return layer


def _circle(color: str, size_mm: float, outline: str = "#ffffff", outline_mm: float = 0.2, alpha: int = 255):
    c = QColor(color)
    c.setAlpha(alpha)
    layer = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Circle, size_mm)
    layer.setColor(c)
    layer.setStrokeColor(QColor(outline))
    layer.setStrokeWidth(outline_mm)
    return layer


def _symbol(symbol: QgsSymbol, layers: list) -> QgsSymbol:
    symbol.deleteSymbolLayer(0)
    for layer in layers:
        symbol.appendSymbolLayer(layer)
    return symbol


def event_symbol(nature: str, geometry: str, role: str = "events") -> QgsSymbol:
    """The symbol of an event of that nature: pictogram on points, at the middle of
    itineraries, at the centre of areas.  ``role`` is ``events`` (past events),
    ``planned`` (the event being prepared: red halo) or ``similar`` (the similar
    past events of a prediction: blue outline)."""
    color = NATURE_COLORS.get(nature, NATURE_COLORS["autre"])
    svg = pictogram_path(nature)
    big = {"events": 6.0, "planned": 9.0, "similar": 6.0}[role]
    if geometry == "point":
        layers = []
        if role == "planned":
            layers.append(_circle(PLANNED_COLOR, big + 3.0, PLANNED_COLOR, 0.6, alpha=90))
        elif role == "similar":
            layers.append(_circle(SIMILAR_COLOR, big + 2.0, SIMILAR_COLOR, 0.4, alpha=60))
        layers.append(_svg_marker(svg, big))
        return _symbol(QgsMarkerSymbol(), layers)
    if geometry == "line":
        layers = []
        if role == "planned":
            layers.append(_line_layer(PLANNED_COLOR, 3.2, alpha=110))
        elif role == "similar":
            layers.append(_line_layer(SIMILAR_COLOR, 2.4, alpha=110))
        layers.append(_line_layer(color, 1.2, dash=(role == "planned")))
        marker_line = QgsMarkerLineSymbolLayer()
        marker_line.setPlacement(QgsMarkerLineSymbolLayer.CentralPoint)
        marker_line.setRotateMarker(False)
        marker_line.setSubSymbol(_symbol(QgsMarkerSymbol(), [_svg_marker(svg, big)]))
        layers.append(marker_line)
        return _symbol(QgsLineSymbol(), layers)
    if geometry == "polygon":
        if role == "planned":
            layers = [_fill_layer(PLANNED_COLOR, 45, PLANNED_COLOR, 0.9, dash=True)]
        elif role == "similar":
            layers = [_fill_layer(color, 50, SIMILAR_COLOR, 0.7)]
        else:
            layers = [_fill_layer(color, 70, color, 0.6)]
        centroid = QgsCentroidFillSymbolLayer()
        centroid.setPointOnSurface(True)
        centroid.setPointOnAllParts(False)
        centroid.setSubSymbol(_symbol(QgsMarkerSymbol(), [_svg_marker(svg, big)]))
        layers.append(centroid)
        return _symbol(QgsFillSymbol(), layers)
    raise ValueError(geometry)


def events_renderer(geometry: str, role: str = "events", nature_field: str = "nature") -> QgsCategorizedSymbolRenderer:
    categories = [
        QgsRendererCategory(nature, event_symbol(nature, geometry, role), nature_label(nature))
        for nature in NATURES
    ]
    # any other code is drawn with the "autre" pictogram
    categories.append(QgsRendererCategory("", event_symbol("autre", geometry, role), tr("Other natures")))
    return QgsCategorizedSymbolRenderer(code_expression(nature_field), categories)


def axis_symbol(status: str) -> QgsLineSymbol:
    color = AXIS_STATUS_COLORS[status]
    width = AXIS_WIDTH_MM if status != "inconnu" else AXIS_WIDTH_MM * 0.6
    casing = _line_layer("#ffffff", width + 0.6)
    casing.setRenderingPass(0)
    line = _line_layer(color, width)
    line.setRenderingPass(1)
    return _symbol(QgsLineSymbol(), [casing, line])


def axes_renderer(status_field: str = "status") -> QgsCategorizedSymbolRenderer:
    categories = [QgsRendererCategory(s, axis_symbol(s), status_label(s)) for s in AXIS_STATUSES]
    # a status outside the contract reads as unknown
    categories.append(QgsRendererCategory("", axis_symbol("inconnu"), tr("Other status (unknown)")))
    renderer = QgsCategorizedSymbolRenderer(
        f"coalesce(nullif({code_expression(status_field)}, ''), 'inconnu')", categories
    )
    renderer.setUsingSymbolLevels(True)  # the white casings under every line
    return renderer


def fact_symbol(category: str) -> QgsMarkerSymbol:
    return _symbol(QgsMarkerSymbol(), [_circle(CATEGORY_COLORS.get(category, "#b0b0b0"), 1.25, "#ffffff", 0.1)])


def facts_renderer(category_field: str = "category") -> QgsCategorizedSymbolRenderer:
    categories = [QgsRendererCategory(c, fact_symbol(c), category_label(c)) for c in CATEGORIES]
    categories.append(QgsRendererCategory("", fact_symbol("?"), tr("Other categories")))
    return QgsCategorizedSymbolRenderer(code_expression(category_field), categories)


def coverage_expression(radius="radius_m", bearing="bearing_deg", fov="fov_deg", geographic: bool = False) -> str:
    """The camera's coverage: a wedge when bearing and field of view are set, else a disc."""
    r = f'"{radius}"'
    if geographic:  # degrees: ~111.32 km per degree of latitude
        r = f'("{radius}" / 111320.0)'
    return (
        f'CASE WHEN "{bearing}" IS NOT NULL AND "{fov}" IS NOT NULL AND "{fov}" > 0 AND "{fov}" < 360 '
        f'THEN wedge_buffer($geometry, "{bearing}", "{fov}", {r}) '
        f"ELSE buffer($geometry, {r}, 24) END"
    )


def camera_symbol(geographic: bool = False) -> QgsMarkerSymbol:
    coverage = QgsGeometryGeneratorSymbolLayer.create(
        {"geometryModifier": coverage_expression(geographic=geographic), "SymbolType": "Fill"}
    )
    coverage.setSymbolType(QgsSymbol.Fill)
    coverage.setSubSymbol(_symbol(QgsFillSymbol(), [_fill_layer(CAMERA_COLOR, 80, CAMERA_COLOR, 0.3)]))
    coverage.setRenderingPass(0)
    icon = _svg_marker(camera_pictogram_path(), 3.6)
    icon.setRenderingPass(1)
    return _symbol(QgsMarkerSymbol(), [coverage, icon])


def cameras_renderer(geographic: bool = False) -> QgsSingleSymbolRenderer:
    renderer = QgsSingleSymbolRenderer(camera_symbol(geographic))
    renderer.setUsingSymbolLevels(True)  # every coverage under every camera
    return renderer


def sector_symbol(color: str = "#ffffff", alpha: int = 0) -> QgsFillSymbol:
    symbol = _symbol(QgsFillSymbol(), [_fill_layer(color, alpha if alpha else 255, "#4d4d4d", 0.35)])
    if not alpha:
        symbol.symbolLayer(0).setBrushStyle(Qt.BrushStyle.NoBrush)  # outlines only
    return symbol


def sector_ramp() -> QgsGradientColorRamp:
    n = len(SECTOR_RAMP) - 1
    stops = [QgsGradientStop(i / n, QColor(c)) for i, c in enumerate(SECTOR_RAMP[1:-1], start=1)]
    return QgsGradientColorRamp(QColor(SECTOR_RAMP[0]), QColor(SECTOR_RAMP[-1]), False, stops)


def sector_labeling(layer: Optional[QgsVectorLayer] = None) -> QgsVectorLayerSimpleLabeling:
    names = [f.name() for f in layer.fields()] if layer is not None else ["name", "sector_id"]
    if "name" in names and "sector_id" in names:
        expression = "coalesce(nullif(trim(\"name\"), ''), \"sector_id\")"
    elif "name" in names:
        expression = '"name"'
    else:
        expression = '"sector_id"'
    settings = QgsPalLayerSettings()
    settings.isExpression = True
    settings.fieldName = expression
    settings.placement = LabelPlacement.OverPoint
    fmt = QgsTextFormat()
    font = QFont()
    font.setFamily("DejaVu Sans")
    font.setBold(True)
    fmt.setFont(font)
    fmt.setSize(8.5)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor("#262626"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.9)
    buffer.setColor(QColor(255, 255, 255, 220))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    return QgsVectorLayerSimpleLabeling(settings)


def _label_settings(expression: str, color: str, size: float = 8.0) -> QgsVectorLayerSimpleLabeling:
    settings = QgsPalLayerSettings()
    settings.isExpression = True
    settings.fieldName = expression
    fmt = QgsTextFormat()
    font = QFont()
    font.setFamily("DejaVu Sans")
    font.setBold(True)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(color))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    settings.dist = 2.5
    return QgsVectorLayerSimpleLabeling(settings)


def no_data_symbol() -> QgsFillSymbol:
    """A sector without a value (no event, so no mean score): light grey, hatched, same outline."""
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45.0)
    hatch.setDistance(2.0)
    hatch.setDistanceUnit(QgsUnitTypes.RenderMillimeters)
    hatch.setLineWidth(0.25)
    hatch.setLineWidthUnit(QgsUnitTypes.RenderMillimeters)
    hatch.setColor(QColor(NO_DATA_HATCH))
    outline = _fill_layer("#ffffff", 255, "#4d4d4d", 0.35)
    outline.setBrushStyle(Qt.BrushStyle.NoBrush)
    symbol = _symbol(QgsFillSymbol(), [_fill_layer(NO_DATA_FILL, 255, NO_DATA_FILL, 0.0), hatch, outline])
    symbol.symbolLayer(0).setStrokeStyle(Qt.PenStyle.NoPen)
    symbol.setOpacity(NO_DATA_OPACITY)
    return symbol


def _number(value: float) -> str:
    """A float written so that an expression reads back the very same value (no exponent)."""
    import numpy as np

    return np.format_float_positional(float(value), unique=True, trim="-")


def sector_rules(graduated: QgsGraduatedSymbolRenderer, field: str) -> QgsRuleBasedRenderer:
    """The classes of ``graduated`` as rules (same symbols, same labels, same order), then a
    rule "no data" for a sector whose value is NULL (or NaN).

    A value matches the class it falls in as QGIS's graduated renderer places it
    (first class closed, the others open below); the lowest and the highest
    classes are open-ended, so a value that arrives after the classes were made
    still gets a colour rather than "no data".  Every value thus matches exactly
    one rule.  "no data" is a filter, not an ELSE rule: QGIS 3.22 counts an
    ELSE rule for every feature in ``symbolsForFeature`` and
    ``legendKeysForFeature`` (feature counts, legend filtered by map content).
    """
    attr = QgsExpression.quotedColumnRef(field)
    # NULL, or NaN (PostgreSQL's 'NaN': every comparison with it gives NULL, its text is 'nan')
    no_data = f"{attr} IS NULL OR to_string({attr}) = 'nan'"
    # The rules are made by QGIS (the renderer's own first rule, then its clones), never
    # constructed in Python: a Rule's destructor is not virtual, so a Rule built in Python
    # and deleted by its renderer leaves sip a wrapper that writes into freed memory.
    renderer = QgsRuleBasedRenderer(no_data_symbol())
    root = renderer.rootRule()
    last_rule = root.children()[0]
    ranges = [r for r in graduated.ranges() if r.renderState()]
    last = len(ranges) - 1
    for i, r in enumerate(ranges):
        terms = []
        if i > 0:
            terms.append(f"{attr} > {_number(r.lowerValue())}")
        if i < last:
            terms.append(f"{attr} <= {_number(r.upperValue())}")
        rule = last_rule.clone()
        rule.setSymbol(r.symbol().clone())
        rule.setFilterExpression(" AND ".join(terms) or f"NOT ({no_data})")  # one class: any number
        rule.setLabel(r.label())
        root.insertChild(i, rule)
    last_rule.setFilterExpression(no_data)
    last_rule.setLabel(tr("no data"))
    last_rule.setDescription(tr("Sectors without a value (no event, so no mean score)"))
    return renderer


def style_sectors(
    layer: QgsVectorLayer,
    field: str = "mean_score",
    classes: int = 5,
    method: str = "quantile",
) -> QgsRuleBasedRenderer:
    """Sectors coloured by ``field`` (``mean_score`` or ``facts_per_km2``).

    Classes are quantiles (or natural breaks with ``method="jenks"``) of the
    layer's values on a YlOrRd ramp, semi-transparent so the basemap shows;
    labels are the sector's name.  A sector whose value is NULL (no event, so
    no mean score) is drawn light grey and hatched, "no data" in the legend:
    the classes are the rules of a rule-based renderer, with a last rule for
    it (QGIS's graduated renderer draws nothing for a NULL value).  The
    renderer is set on the layer and returned; the field is kept in the layer's
    custom property ``SECTOR_FIELD_PROPERTY``.
    """
    if layer.fields().indexOf(field) < 0:
        raise ValueError(
            tr("Layer '{}' has no field '{}' to grade its sectors by (fields: {}).").format(
                layer.name(), field, ", ".join(f.name() for f in layer.fields())
            )
        )
    if not layer.fields().field(field).isNumeric():
        raise ValueError(tr("Field '{}' of layer '{}' is not numeric.").format(field, layer.name()))
    graduated = sector_classes(layer, field, classes, method)
    renderer = sector_rules(graduated, field)
    layer.setRenderer(renderer)
    layer.setCustomProperty(SECTOR_FIELD_PROPERTY, field)
    layer.setOpacity(1.0)
    layer.setLabeling(sector_labeling(layer))
    layer.setLabelsEnabled(True)
    return renderer


def sector_values(layer: QgsVectorLayer, field: str) -> List[float]:
    """The layer's numbers in ``field``: NULL (and NaN) left out, not read as 0."""
    import math

    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([field], layer.fields())
    out = []
    for feature in layer.getFeatures(request):
        value = feature[field]
        if value is None or (hasattr(value, "isNull") and value.isNull()):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            out.append(number)
    return out


def sector_classes(layer: QgsVectorLayer, field: str, classes: int = 5, method: str = "quantile") -> QgsGraduatedSymbolRenderer:
    """The graduated classes of the sectors' ``field`` (quantiles or Jenks, YlOrRd ramp, labels),
    made from the sectors that have a value (QGIS's own classification counts a NULL as 0)."""
    renderer = QgsGraduatedSymbolRenderer(field)
    base = sector_symbol(SECTOR_RAMP[2], 255)
    base.setOpacity(SECTOR_OPACITY)
    renderer.setSourceSymbol(base)
    classification = QgsClassificationJenks() if method == "jenks" else QgsClassificationQuantile()
    classification.setLabelPrecision(1 if field == "mean_score" else 0)
    classification.setLabelTrimTrailingZeroes(False)
    renderer.setClassificationMethod(classification)
    renderer.setSourceColorRamp(sector_ramp())
    values = sector_values(layer, field)
    upper = None
    for c in classification.classes(values, classes) if values else []:
        if upper is not None and c.upperBound() <= upper:
            continue  # a class no value can fall in (few distinct values): not in the legend
        renderer.addClassRange(QgsRendererRange(c, base.clone()))
        upper = c.upperBound()
    # colours along the ramp, light to dark
    renderer.updateColorRamp(sector_ramp())
    for i in range(len(renderer.ranges())):
        renderer.updateRangeRenderState(i, True)
    return renderer


# --- building, saving and applying -------------------------------------------------------


def build_style(layer: QgsVectorLayer, kind: str, field_map: Optional[Mapping[str, str]] = None) -> None:
    """Sets the renderer, labels and properties of ``kind`` on ``layer`` from the builders
    (no QML file involved)."""
    field_map = dict(field_map or {})

    def f(name: str) -> str:
        return field_map.get(name, name)

    geographic = layer.crs().isValid() and layer.crs().isGeographic()
    if kind == "facts":
        layer.setRenderer(facts_renderer(f("category")))
        layer.setLabelsEnabled(False)
    elif kind in GEOMETRY_KINDS:
        layer.setRenderer(events_renderer(geometry_name(layer), kind, f("nature")))
        if kind in ("similar", "planned"):
            labels = _label_settings(f'"{f("event_id")}"', SIMILAR_COLOR if kind == "similar" else PLANNED_COLOR)
            settings = labels.settings()
            if geometry_name(layer) == "line":
                settings.placement = LabelPlacement.Horizontal
            else:
                settings.placement = LabelPlacement.AroundPoint
            settings.priority = 9 if kind == "planned" else 7  # before the context's labels
            settings.displayAll = kind == "planned"
            layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
            layer.setLabelsEnabled(True)
        else:
            layer.setLabelsEnabled(False)
    elif kind == "axes":
        layer.setRenderer(axes_renderer(f("status")))
        labels = _label_settings(f'"{f("name")}"', "#333333", 7.0)
        settings = labels.settings()
        settings.placement = LabelPlacement.Curved
        settings.scaleVisibility = True
        settings.maximumScale = 1
        settings.minimumScale = 15000  # names only when zoomed in
        labels = QgsVectorLayerSimpleLabeling(settings)
        layer.setLabeling(labels)
        layer.setLabelsEnabled(layer.fields().indexOf(f("name")) >= 0)
    elif kind == "cameras":
        layer.setRenderer(cameras_renderer(geographic))
        layer.setLabelsEnabled(False)
    elif kind == "sectors":
        layer.setRenderer(QgsSingleSymbolRenderer(sector_symbol()))
        layer.setLabeling(sector_labeling(layer if layer.fields().count() else None))
        layer.setLabelsEnabled(True)
    else:
        raise ValueError(tr("Unknown layer kind '{}': expected one of {}.").format(kind, ", ".join(STYLE_KINDS)))


def write_styles(directory: str = STYLES_DIR) -> List[str]:
    """Writes every kind's QML into ``directory`` (used by scripts/build_styles.py)."""
    os.makedirs(directory, exist_ok=True)
    written = []
    templates = {
        "facts": "Point?field=category:string&field=occurred_at:datetime&field=count:integer&field=source:string",
        "sectors": "Polygon?field=sector_id:string&field=name:string",
        "axes": "LineString?field=axis_id:string&field=name:string&field=status:string&field=updated_at:datetime",
        "cameras": "Point?field=camera_id:string&field=radius_m:double&field=bearing_deg:double&field=fov_deg:double",
    }
    events_fields = (
        "field=event_id:string&field=nature:string&field=participants:integer"
        "&field=start:datetime&field=end:datetime&field=sector:string&field=attachments:string"
    )
    for geometry, wkb in (("point", "Point"), ("line", "LineString"), ("polygon", "Polygon")):
        for kind in GEOMETRY_KINDS:
            templates[f"{kind}_{geometry}"] = f"{wkb}?{events_fields}"
    for name, uri in templates.items():
        kind = name.split("_")[0]
        layer = QgsVectorLayer(uri + "&crs=EPSG:2154", name, "memory")
        build_style(layer, kind)
        _after_load(layer, kind, {})
        path = os.path.join(directory, f"{name}.qml")
        message, ok = layer.saveNamedStyle(path)
        if not ok:
            raise OSError(message)
        _portable_qml(path)
        written.append(path)
    return written


def _portable_qml(path: str) -> None:
    """No machine path in a shipped QML: pictograms are named by file name only
    (``manifestation.svg``); :func:`apply_style` points them at the plugin."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    for prefix in {PICTOGRAMS_DIR + os.sep, PICTOGRAMS_DIR.replace(os.sep, "/") + "/"}:
        text = text.replace(prefix, "")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def _repoint_svgs(symbol: Optional[QgsSymbol], svg_for) -> int:
    """Points every SVG marker of ``symbol`` (sub-symbols included) at ``svg_for(old_path)``."""
    if symbol is None:
        return 0
    n = 0
    for i in range(symbol.symbolLayerCount()):
        layer = symbol.symbolLayer(i)
        if isinstance(layer, QgsSvgMarkerSymbolLayer):
            layer.setPath(svg_for(layer.path()))
            n += 1
        sub = layer.subSymbol()
        if sub is not None:
            n += _repoint_svgs(sub, svg_for)
    return n


def _svg_by_name(old_path: str) -> str:
    """Our pictogram of the same file name, so a QML written elsewhere still finds it."""
    name = os.path.basename(str(old_path).replace("\\", "/"))
    candidate = os.path.join(PICTOGRAMS_DIR, name)
    return candidate if os.path.exists(candidate) else old_path


def repoint_pictograms(layer: QgsVectorLayer) -> int:
    """After loading a QML: the SVG pictograms come from this plugin's folder."""
    renderer = layer.renderer()
    if renderer is None:
        return 0
    n = 0
    if isinstance(renderer, QgsCategorizedSymbolRenderer):
        for i, cat in enumerate(renderer.categories()):
            symbol = cat.symbol().clone()
            value = str(cat.value() or "")

            def svg_for(old, value=value):
                if value in NATURES:
                    return pictogram_path(value)
                return _svg_by_name(old)

            n += _repoint_svgs(symbol, svg_for)
            renderer.updateCategorySymbol(i, symbol)
    else:
        for symbol in renderer.symbols(_render_context()):
            n += _repoint_svgs(symbol, _svg_by_name)
    return n


def _render_context():
    from qgis.core import QgsRenderContext

    return QgsRenderContext()


def relabel(layer: QgsVectorLayer, kind: str) -> None:
    """The legend's words in the current language (a QML holds the words it was saved with)."""
    renderer = layer.renderer()
    if not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return
    if kind == "facts":
        words, other = category_label, tr("Other categories")
    elif kind == "axes":
        words, other = status_label, tr("Other status (unknown)")
    elif kind in GEOMETRY_KINDS:
        words, other = nature_label, tr("Other natures")
    else:
        return
    for i, cat in enumerate(renderer.categories()):
        value = "" if cat.value() is None else str(cat.value())
        renderer.updateCategoryLabel(i, words(value) if value else other)


def _after_load(layer: QgsVectorLayer, kind: str, field_map: Mapping[str, str], sector_field: Optional[str] = None) -> None:
    def f(name: str) -> str:
        return field_map.get(name, name)

    repoint_pictograms(layer)
    relabel(layer, kind)
    configure_display(layer)
    fields = layer.fields()
    if kind == "facts" and fields.indexOf(f("occurred_at")) >= 0:
        set_facts_temporal(layer, f("occurred_at"))
    elif kind in GEOMETRY_KINDS:
        set_events_temporal(layer, f("start"), f("end"))
        set_events_attachments(layer, f(ATTACHMENTS_FIELD))
        if isinstance(layer.renderer(), QgsCategorizedSymbolRenderer) and field_map.get("nature"):
            layer.renderer().setClassAttribute(code_expression(f("nature")))
    elif kind == "axes" and field_map.get("status") and isinstance(layer.renderer(), QgsCategorizedSymbolRenderer):
        layer.renderer().setClassAttribute(f"coalesce(nullif({code_expression(f('status'))}, ''), 'inconnu')")
    elif kind == "cameras" and layer.crs().isValid() and layer.crs().isGeographic():
        layer.setRenderer(cameras_renderer(geographic=True))
        repoint_pictograms(layer)
    elif kind == "sectors":
        present = [name for name in SECTOR_FIELDS if fields.indexOf(name) >= 0]
        # the first field that holds a value (a mean score without any scored event is all NULL)
        field = sector_field or next((name for name in present if sector_values(layer, name)), present[0] if present else None)
        if field is not None:
            style_sectors(layer, field)
        elif fields.count():
            layer.setLabeling(sector_labeling(layer))


# --- trends and alerts (tranquillite:trends's output, the Audit tab's alert layer) ---------------


#: fill and outline of a sector in alert (the calm ones are outlined in grey)
ALERT_FILL = "227,26,28,110"
ALERT_OUTLINE = "#b10026"


def driving_category_expression(field: str = "driving_category") -> str:
    """A QGIS expression giving the (translated) label of a category code."""
    whens = " ".join(
        "WHEN \"{}\" = '{}' THEN '{}'".format(field, c, category_label(c).replace("'", "''")) for c in CATEGORIES
    )
    return f'CASE {whens} ELSE "{field}" END'


def style_trends_layer(layer) -> None:
    """Sectors in alert (``alert`` = 1) in red, labelled with their sector and driving
    category; the others outlined in grey."""
    alert = QgsFillSymbol.createSimple({"color": ALERT_FILL, "outline_color": ALERT_OUTLINE, "outline_width": "0.6"})
    calm = QgsFillSymbol.createSimple({"color": "255,255,255,0", "outline_color": "#9e9e9e", "outline_width": "0.3"})
    renderer = QgsCategorizedSymbolRenderer(
        "alert", [QgsRendererCategory(1, alert, tr("alert")), QgsRendererCategory(0, calm, tr("no alert"))]
    )
    layer.setRenderer(renderer)
    expression = "CASE WHEN \"alert\" = 1 THEN '⚠ ' || \"sector\" || ' · ' || " + driving_category_expression() + " END"
    labeling = _label_settings(expression, ALERT_OUTLINE, 8.5)
    settings = labeling.settings()
    settings.placement = LabelPlacement.OverPoint  # just below the sector's own name
    settings.quadOffset = LABEL_QUADRANT_BELOW
    settings.yOffset = 2.5
    settings.priority = 10
    labeling.setSettings(settings)
    layer.setLabeling(labeling)
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()


def apply_style(
    layer: QgsVectorLayer,
    kind: str,
    field_map: Optional[Mapping[str, str]] = None,
    sector_field: Optional[str] = None,
) -> QgsVectorLayer:
    """Styles ``layer`` as a layer of ``kind`` (facts, events, planned, similar,
    sectors, axes, cameras): loads the shipped QML, then points the pictograms at
    the plugin, sets the temporal properties, the attachments widget, and (for
    sectors) grades them by ``sector_field`` — by default ``mean_score`` when
    the layer has it with at least one value, else ``facts_per_km2``.

    ``field_map`` maps contract field names onto the layer's own names.
    Returns the layer, repainted.
    """
    if kind not in STYLE_KINDS:
        raise ValueError(tr("Unknown layer kind '{}': expected one of {}.").format(kind, ", ".join(STYLE_KINDS)))
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise ValueError(tr("Layer '{}' is not a valid vector layer.").format(getattr(layer, "name", lambda: layer)()))
    field_map = dict(field_map or {})
    geometry = geometry_name(layer) if kind in GEOMETRY_KINDS else None
    path = style_path(kind, geometry)
    loaded = False
    if os.path.exists(path):
        message, loaded = layer.loadNamedStyle(path)
    if not loaded:  # no QML shipped (or unreadable): the builders
        build_style(layer, kind, field_map)
    elif field_map and kind == "facts" and isinstance(layer.renderer(), QgsCategorizedSymbolRenderer):
        layer.renderer().setClassAttribute(code_expression(field_map.get("category", "category")))
    _after_load(layer, kind, field_map, sector_field)
    layer.triggerRepaint()
    return layer


__all__ = ["apply_style", "style_sectors", "pictogram_path", "style_path", "write_styles"]
