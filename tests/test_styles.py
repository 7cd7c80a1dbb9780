"""Styles: renderers, pictograms, temporal playback, camera coverage, attachments."""

from __future__ import annotations

import glob
import os

import numpy as np
import pandas as pd
import pytest

from tests.conftest_report import CRS, X0, Y0, axes_frame, cameras_frame, events_frame, facts_frame, sectors_frame

qgis_core = pytest.importorskip("qgis.core")

from qgis.core import (  # noqa: E402
    NULL,
    QgsCategorizedSymbolRenderer,
    QgsDateTimeRange,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsGeometryGeneratorSymbolLayer,
    QgsGraduatedSymbolRenderer,
    QgsLinePatternFillSymbolLayer,
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsRectangle,
    QgsRenderContext,
    QgsRuleBasedRenderer,
    QgsSvgMarkerSymbolLayer,
    QgsUnitTypes,
    QgsVectorLayerTemporalContext,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtCore import QDateTime, QSize, Qt, QTimeZone  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage, QPainter  # noqa: E402

from tranquillite_plugin import attachments, styles, vocabulary  # noqa: E402
from tranquillite_plugin.core.contract import AXIS_STATUSES, CATEGORIES, NATURES  # noqa: E402
from tranquillite_plugin.report.memory import frame_layers  # noqa: E402


@pytest.fixture()
def layers(qgis_app):
    def make(frame, name):
        return frame_layers(frame, name, CRS)

    return make


def _symbol_for(renderer, layer, feature):
    """The symbol the renderer draws ``feature`` with (as the map renderer does:
    the feature is in the expression context, for classification expressions)."""
    context = QgsRenderContext()
    context.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    renderer.startRender(context, layer.fields())
    try:
        context.expressionContext().setFeature(feature)
        symbol = renderer.symbolForFeature(feature, context)
        return None if symbol is None else symbol.clone()
    finally:
        renderer.stopRender(context)


def _symbols_for(renderer, layer, feature):
    """(will the renderer draw ``feature``, the symbols it draws it with), as the map renderer asks."""
    context = QgsRenderContext()
    context.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    renderer.startRender(context, layer.fields())
    try:
        context.expressionContext().setFeature(feature)
        drawn = renderer.willRenderFeature(feature, context)
        return drawn, [symbol.clone() for symbol in renderer.symbolsForFeature(feature, context)]
    finally:
        renderer.stopRender(context)


def _svg_paths(symbol):
    out = []
    for i in range(symbol.symbolLayerCount()):
        sl = symbol.symbolLayer(i)
        if isinstance(sl, QgsSvgMarkerSymbolLayer):
            out.append(sl.path())
        if sl.subSymbol() is not None:
            out.extend(_svg_paths(sl.subSymbol()))
    return out


def _render(layer, extent, size=400):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor("white"))
    settings.setOutputDpi(96)
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.start()
    job.waitForFinished()
    painter.end()
    return image


# --- pictograms ------------------------------------------------------------------------


def test_every_nature_has_a_valid_svg_pictogram(qgis_app):
    from qgis.PyQt.QtSvg import QSvgRenderer

    for nature in NATURES:
        path = styles.pictogram_path(nature)
        assert os.path.basename(path) == f"{nature}.svg", nature
        assert os.path.exists(path)
        assert QSvgRenderer(path).isValid(), path
        with open(path, encoding="utf-8") as fh:
            assert "param(" not in fh.read()  # plain SVG, readable outside QGIS
    assert styles.pictogram_path("unknown nature").endswith("autre.svg")


@pytest.mark.parametrize("family", ["point", "line", "polygon"])
def test_events_pictograms_point_at_existing_files_for_each_nature(layers, family):
    frame = events_frame()
    if family != "point":
        frame["geometry"] = [
            g.buffer(60) if family == "polygon" else __import__("shapely").LineString([(g.x, g.y), (g.x + 200, g.y + 50)])
            for g in frame["geometry"]
        ]
    layer = layers(frame, "events")[family]
    styles.apply_style(layer, "events")
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    values = [c.value() for c in renderer.categories()]
    assert set(NATURES) <= set(values)
    for cat in renderer.categories():
        paths = _svg_paths(cat.symbol())
        assert paths, cat.value()
        for path in paths:
            assert os.path.isabs(path) and os.path.exists(path), path
            assert os.path.dirname(path) == styles.PICTOGRAMS_DIR
        if cat.value() in NATURES:
            assert paths[-1] == styles.pictogram_path(cat.value())
    # an uncleaned code ("Opération police") is drawn with its nature's pictogram
    feature = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"nature\" = 'Opération police'")))
    symbol = _symbol_for(renderer, layer, feature)
    assert _svg_paths(symbol)[-1] == styles.pictogram_path("operation_police")


def test_shipped_qml_files_load_and_hold_no_machine_path(qgis_app):
    files = sorted(glob.glob(os.path.join(styles.STYLES_DIR, "*.qml")))
    names = {os.path.basename(f) for f in files}
    for kind in ("facts", "sectors", "axes", "cameras"):
        assert f"{kind}.qml" in names
    for kind in styles.GEOMETRY_KINDS:
        for family in ("point", "line", "polygon"):
            assert f"{kind}_{family}.qml" in names
    for path in files:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        assert "/work/" not in text and "/home/" not in text and ":\\" not in text, path


# --- axes ------------------------------------------------------------------------------------


def test_axes_are_categorised_by_status_with_the_spec_colours(layers):
    layer = layers(axes_frame(), "axes")["line"]
    styles.apply_style(layer, "axes")
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    by_value = {c.value(): c.symbol().clone() for c in renderer.categories()}
    # green, orange, red, black, grey
    expected = {"fluide": "#2e9d3a", "dense": "#f28c0f", "sature": "#d7191c", "ferme": "#000000", "inconnu": "#9e9e9e"}
    assert set(AXIS_STATUSES) <= set(by_value)
    for status, color in expected.items():
        symbol = by_value[status]
        top = symbol.symbolLayer(symbol.symbolLayerCount() - 1)
        assert top.color().name() == color, status
        # readable at city scale: at least 0.5 mm
        assert top.width() >= 0.5 and top.widthUnit() == QgsUnitTypes.RenderMillimeters
    # "Saturé" in the layer reads as sature (red); an unknown status as inconnu (grey)
    for feature in layer.getFeatures():
        symbol = _symbol_for(renderer, layer, feature)
        top = symbol.symbolLayer(symbol.symbolLayerCount() - 1)
        status = feature["status"]
        want = {"Saturé": "sature", "bizarre": "inconnu"}.get(status, status)
        assert top.color().name() == expected[want], status


# --- facts ------------------------------------------------------------------------------------


def test_facts_are_small_points_by_category(layers):
    layer = layers(facts_frame(), "facts")["point"]
    styles.apply_style(layer, "facts")
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert set(CATEGORIES) <= {c.value() for c in renderer.categories()}
    for cat in renderer.categories():
        assert cat.symbol().size() <= 2.0  # small points
    feature = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"category\" = 'Dégradation'")))
    symbol = _symbol_for(renderer, layer, feature)
    assert symbol.color().name() == vocabulary.CATEGORY_COLORS["degradation"]


def test_facts_temporal_properties_play_back_one_hour_per_fact(layers):
    frame = facts_frame(n=600)
    layer = layers(frame, "facts")["point"]
    styles.apply_style(layer, "facts")
    props = layer.temporalProperties()
    assert props.isActive()
    assert props.mode() == QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField
    assert props.startField() == "occurred_at"
    assert props.fixedDuration() == 1 and props.durationUnits() == QgsUnitTypes.TemporalHours
    # what the Temporal Controller shows for a 5-hour frame: the facts of the frame and of the hour before it.
    # Half an hour after a fact: that fact is shown only thanks to its hour of duration.
    begin = frame["occurred_at"].sort_values().iloc[300] + pd.Timedelta(minutes=30, milliseconds=500)
    end = begin + pd.Timedelta(hours=5)
    tz = QTimeZone(b"Europe/Paris")
    frame_range = QgsDateTimeRange(
        QDateTime.fromMSecsSinceEpoch(int(begin.value // 10**6), tz), QDateTime.fromMSecsSinceEpoch(int(end.value // 10**6), tz)
    )
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    expression = props.createFilterString(context, frame_range)
    shown = sum(1 for _ in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))
    t = frame["occurred_at"]
    expected = int(((t <= end) & (t + pd.Timedelta(hours=1) > begin)).sum())
    without_duration = int(((t <= end) & (t > begin)).sum())
    assert expected > without_duration  # the hour of duration matters here
    assert shown == expected


def test_facts_with_a_text_date_are_still_played_back(qgis_app):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(f"Point?crs={CRS}&field=category:string&field=occurred_at:string", "csv facts", "memory")
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0, Y0)))
    f.setAttributes(["vol", "2026-01-12T18:20:00"])
    layer.dataProvider().addFeatures([f])
    styles.apply_style(layer, "facts")
    props = layer.temporalProperties()
    assert props.isActive()
    assert props.mode() == QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions
    assert "occurred_at" in props.startExpression()


# --- cameras -----------------------------------------------------------------------------------


def test_cameras_draw_their_coverage_disc_or_wedge(layers):
    frame = pd.DataFrame(
        {"x": [X0, X0 + 1000], "y": [Y0, Y0], "camera_id": ["W", "D"], "radius_m": [150.0, 150.0],
         "bearing_deg": [90.0, np.nan], "fov_deg": [60.0, np.nan]}
    )
    layer = layers(frame, "cameras")["point"]
    styles.apply_style(layer, "cameras")
    symbol = layer.renderer().symbol()
    generators = [symbol.symbolLayer(i) for i in range(symbol.symbolLayerCount())
                  if isinstance(symbol.symbolLayer(i), QgsGeometryGeneratorSymbolLayer)]
    assert len(generators) == 1
    expression = generators[0].geometryExpression()
    assert "wedge_buffer" in expression and "buffer($geometry" in expression and "radius_m" in expression

    def pixel(image, extent, x, y):
        px = int((x - extent.xMinimum()) / extent.width() * image.width())
        py = int((extent.yMaximum() - y) / extent.height() * image.height())
        return QColor(image.pixel(px, py))

    def is_coverage(color):  # the light blue fill, not white
        return color.blue() > color.red() + 20

    for cx, wedge in ((X0, True), (X0 + 1000, False)):
        extent = QgsRectangle(cx - 200, Y0 - 200, cx + 200, Y0 + 200)
        image = _render(layer, extent)
        east = pixel(image, extent, cx + 100, Y0)  # inside the radius, on the bearing (90° = east)
        west = pixel(image, extent, cx - 100, Y0)
        far = pixel(image, extent, cx + 190, Y0 + 190)  # beyond the radius
        assert is_coverage(east)
        assert is_coverage(west) is (not wedge)
        assert not is_coverage(far)


def test_cameras_in_degrees_use_a_radius_in_degrees(qgis_app):
    layer = frame_layers(pd.DataFrame({"x": [5.37], "y": [43.3], "camera_id": ["C"], "radius_m": [100.0],
                                       "bearing_deg": [np.nan], "fov_deg": [np.nan]}), "cams", "EPSG:4326")["point"]
    styles.apply_style(layer, "cameras")
    symbol = layer.renderer().symbol()
    expression = symbol.symbolLayer(0).geometryExpression()
    assert "111320" in expression


# --- sectors -------------------------------------------------------------------------------------


def _rules(renderer):
    """(class rules, [the "no data" rule]) of a sectors renderer."""
    rules = renderer.rootRule().children()
    return rules[:-1], rules[-1:]


@pytest.mark.parametrize("field", ["mean_score", "facts_per_km2"])
def test_sectors_are_graduated_with_a_sequential_ramp_and_named(layers, field):
    frame = sectors_frame()
    layer = layers(frame, "sectors")["polygon"]
    renderer = styles.style_sectors(layer, field)
    assert layer.renderer() is renderer
    assert isinstance(renderer, QgsRuleBasedRenderer)
    assert layer.customProperty(styles.SECTOR_FIELD_PROPERTY) == field
    classes, no_data = _rules(renderer)
    assert len(classes) == 5 and len(no_data) == 1
    assert all(field in r.filterExpression() for r in classes)
    # the classes are the graduated renderer's: quantiles of the values, same labels and colours
    graduated = styles.sector_classes(layer, field)
    assert isinstance(graduated, QgsGraduatedSymbolRenderer) and graduated.classAttribute() == field
    ranges = graduated.ranges()
    values = frame[field]
    assert ranges[0].lowerValue() <= values.min() and ranges[-1].upperValue() >= values.max()
    assert [r.label() for r in classes] == [g.label() for g in ranges]
    lightness = [r.symbol().color().lightness() for r in classes]
    assert lightness == sorted(lightness, reverse=True)  # light to dark
    for r in classes:
        assert 0.3 <= r.symbol().opacity() <= 0.8  # the basemap shows through
    # every sector falls in exactly one class: the one the graduated renderer gives it
    for feature in layer.getFeatures():
        drawn, symbols = _symbols_for(renderer, layer, feature)
        assert drawn and len(symbols) == 1
        assert symbols[0].color() == graduated.rangeForValue(feature[field]).symbol().color()
    legend = [item.label() for item in renderer.legendSymbolItems()]
    assert legend == [g.label() for g in ranges] + ["no data"]
    assert layer.labelsEnabled()
    assert "name" in layer.labeling().settings().fieldName


def test_a_sector_without_a_value_is_drawn_grey_hatched_and_named_no_data(layers):
    frame = sectors_frame()
    frame.loc[[1, 4], "mean_score"] = np.nan  # Noailles and Vieux-Port had no event: no mean score
    layer = layers(frame, "sectors")["polygon"]
    renderer = styles.style_sectors(layer, "mean_score")
    classes, (no_data,) = _rules(renderer)
    assert no_data.label() == "no data" and len(classes) == 5
    # the classes are made from the sectors with a value (QGIS's own classification reads NULL as 0)
    graduated = styles.sector_classes(layer, "mean_score")
    known = frame["mean_score"].dropna()
    assert graduated.ranges()[0].lowerValue() == known.min() and graduated.ranges()[-1].upperValue() == known.max()
    empty = [f for f in layer.getFeatures() if f["sector_id"] in ("S02", "S05")]
    assert len(empty) == 2 and all(f["mean_score"] == NULL for f in empty)
    for feature in layer.getFeatures():
        drawn, symbols = _symbols_for(renderer, layer, feature)
        assert drawn and len(symbols) == 1  # every sector is drawn, with one symbol
        if feature in empty:
            # QGIS's graduated renderer, with the same classes, does not draw it at all
            assert not _symbols_for(graduated, layer, feature)[0]
            symbol = symbols[0]
            assert any(isinstance(symbol.symbolLayer(i), QgsLinePatternFillSymbolLayer) for i in range(symbol.symbolLayerCount()))
            fill = QColor(styles.NO_DATA_FILL)
            assert symbol.symbolLayer(0).color().rgb() == fill.rgb() and fill.saturation() == 0  # neutral grey
        else:
            assert symbols[0].color() == graduated.rangeForValue(feature["mean_score"]).symbol().color()

    # one legend key per sector: feature counts and legends filtered by map content count "no data" right
    context = QgsRenderContext()
    context.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    renderer.startRender(context, layer.fields())
    try:
        keys = []
        for feature in layer.getFeatures():
            context.expressionContext().setFeature(feature)
            found = renderer.legendKeysForFeature(feature, context) - {renderer.rootRule().ruleKey()}
            assert len(found) == 1
            keys.extend(found)
    finally:
        renderer.stopRender(context)
    assert keys.count(no_data.ruleKey()) == 2

    # on the map: the empty sector shows a light grey fill and darker hatch lines (before: the white page)
    extent = QgsRectangle()
    extent.setMinimal()
    for g in frame.geometry:
        extent.combineExtentWith(QgsRectangle(*g.bounds))
    size = 400
    image = _render(layer, extent, size)
    scale = max(extent.width(), extent.height()) / size  # map units per pixel (the extent is centred)
    left = extent.center().x() - size * scale / 2
    top = extent.center().y() + size * scale / 2
    xmin, ymin, xmax, ymax = frame.loc[1, "geometry"].bounds
    inside = [
        QColor(image.pixel(px, py))
        for px in range(int((xmin - left) / scale) + 6, int((xmax - left) / scale) - 6)
        for py in range(int((top - ymax) / scale) + 6, int((top - ymin) / scale) - 6)
    ]
    assert len(inside) > 1000
    assert all(c.saturation() < 20 for c in inside)  # grey, not a class colour
    light = [c for c in inside if c.lightness() > 235]
    dark = [c for c in inside if c.lightness() < 215]
    assert light and len(dark) > len(inside) * 0.05  # fill and hatch
    assert len(light) < len(inside)  # not the white page


def test_a_nan_value_is_no_data_too(layers):
    frame = sectors_frame()
    layer = layers(frame, "sectors")["polygon"]
    renderer = styles.style_sectors(layer, "mean_score")
    classes, (no_data,) = _rules(renderer)
    feature = next(layer.getFeatures())
    feature.setAttribute("mean_score", float("nan"))  # a PostgreSQL 'NaN'
    drawn, symbols = _symbols_for(renderer, layer, feature)
    assert drawn and len(symbols) == 1 and symbols[0].symbolLayerCount() == no_data.symbol().symbolLayerCount() == 3
    # a single class (one distinct value) takes every number, and still not NULL or NaN
    one = sectors_frame()
    one["mean_score"] = [4.0] * 8 + [np.nan]
    layer = layers(one, "sectors")["polygon"]
    renderer = styles.style_sectors(layer, "mean_score")
    classes, (no_data,) = _rules(renderer)
    assert [r.label() for r in classes] == ["4.0 - 4.0"]  # not five times the same class
    for feature in layer.getFeatures():
        for value, expected in ((4.0, classes[0]), (7.5, classes[0]), (-1.0, classes[0]), (None, no_data), (float("nan"), no_data)):
            feature.setAttribute("mean_score", value)
            drawn, symbols = _symbols_for(renderer, layer, feature)
            assert drawn and len(symbols) == 1 and symbols[0].symbolLayerCount() == expected.symbol().symbolLayerCount()
            assert symbols[0].color() == expected.symbol().color()
        break


def test_sectors_all_without_value_are_all_no_data_and_new_values_keep_a_colour(layers):
    frame = sectors_frame()
    frame["mean_score"] = np.nan
    layer = layers(frame, "sectors")["polygon"]
    renderer = styles.style_sectors(layer, "mean_score")
    classes, no_data = _rules(renderer)
    assert classes == [] and len(no_data) == 1
    for feature in layer.getFeatures():
        drawn, symbols = _symbols_for(renderer, layer, feature)
        assert drawn and len(symbols) == 1 and symbols[0].symbolLayerCount() == 3

    # a value above the highest class (the layer changed after styling) is drawn with the highest class, not "no data"
    frame = sectors_frame()
    layer = layers(frame, "sectors")["polygon"]
    renderer = styles.style_sectors(layer, "mean_score")
    classes, _ = _rules(renderer)
    feature = next(layer.getFeatures())
    for value, expected in ((1e6, classes[-1]), (-5.0, classes[0])):
        feature.setAttribute("mean_score", value)
        drawn, symbols = _symbols_for(renderer, layer, feature)
        assert drawn and len(symbols) == 1 and symbols[0].color() == expected.symbol().color()


def test_apply_style_grades_sectors_by_mean_score_when_present(layers):
    frame = sectors_frame()
    layer = layers(frame.drop(columns=["mean_score"]), "sectors")["polygon"]
    styles.apply_style(layer, "sectors")
    assert layer.customProperty(styles.SECTOR_FIELD_PROPERTY) == "facts_per_km2"
    assert all('"facts_per_km2"' in r.filterExpression() for r in _rules(layer.renderer())[0])
    # a mean score that no sector has (no scored event yet): the facts per km² instead
    unscored = frame.assign(mean_score=np.nan)
    layer = layers(unscored, "sectors")["polygon"]
    styles.apply_style(layer, "sectors")
    assert layer.customProperty(styles.SECTOR_FIELD_PROPERTY) == "facts_per_km2"
    assert len(_rules(layer.renderer())[0]) == 5
    styles.apply_style(layer, "sectors", sector_field="mean_score")  # asked for: every sector "no data"
    assert _rules(layer.renderer())[0] == []
    plain = layers(frame.drop(columns=["mean_score", "facts_per_km2"]), "sectors")["polygon"]
    styles.apply_style(plain, "sectors")
    assert not isinstance(plain.renderer(), (QgsGraduatedSymbolRenderer, QgsRuleBasedRenderer))
    assert plain.labelsEnabled()


def test_style_sectors_names_the_missing_field(layers):
    layer = layers(sectors_frame().drop(columns=["mean_score"]), "my sectors")["polygon"]
    with pytest.raises(ValueError, match="mean_score") as err:
        styles.style_sectors(layer, "mean_score")
    assert "my sectors" in str(err.value)


def test_unknown_kind_is_refused(layers):
    layer = layers(sectors_frame(), "s")["polygon"]
    with pytest.raises(ValueError, match="roads"):
        styles.apply_style(layer, "roads")


# --- events: attachments and time -------------------------------------------------------------------


def test_events_attachments_widget_and_map_tip(layers):
    layer = layers(events_frame(), "events")["point"]
    styles.apply_style(layer, "events")
    idx = layer.fields().indexOf("attachments")
    setup = layer.editorWidgetSetup(idx)
    assert setup.type() == "ExternalResource"
    assert setup.config()["StorageMode"] == 2  # several files
    tip = layer.mapTipTemplate()
    assert "<img" in tip and "attachments" in tip
    # the map tip's expression finds the first photo of both formats
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeature

    expression = QgsExpression(attachments.first_attachment_expression())
    for value, first in (("/a/b.jpg;/c/d.mp4", "/a/b.jpg"), ('"/x y/p.png" "/q.mp4"', "/x y/p.png"), ("", "")):
        feature = QgsFeature(layer.fields())
        feature.setAttribute("attachments", value)
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        context.setFeature(feature)
        assert expression.evaluate(context) == first, value
    props = layer.temporalProperties()
    assert props.isActive() and props.startField() == "start" and props.endField() == "end"


def test_split_and_join_attachments():
    assert attachments.split_attachments("/a.jpg; /b c.mp4 ;") == ["/a.jpg", "/b c.mp4"]
    assert attachments.split_attachments('"/a.jpg" "/b c.mp4"') == ["/a.jpg", "/b c.mp4"]
    assert attachments.split_attachments(None) == [] and attachments.split_attachments("NULL") == []
    assert attachments.join_attachments(["/a.jpg", " ", "/b.mp4"]) == "/a.jpg;/b.mp4"
    with pytest.raises(ValueError):
        attachments.join_attachments(["/a;b.jpg"])
    assert attachments.is_image("/x/P.JPG") and attachments.is_video("/x/v.mov") and not attachments.is_image("/x/v.mov")


def test_field_map_follows_the_layers_own_names(qgis_app):
    frame = cameras_frame()  # any frame: we only need a renamed status
    axes = axes_frame().rename(columns={"status": "etat"})
    layer = frame_layers(axes, "axes", CRS)["line"]
    styles.apply_style(layer, "axes", field_map={"status": "etat"})
    assert '"etat"' in layer.renderer().classAttribute()
    assert len(frame) == 3


def test_render_map_writes_the_styled_png(layers, tmp_path):
    from tranquillite_plugin.report.render import render_map

    sectors = layers(sectors_frame(), "Sectors")["polygon"]
    styles.apply_style(sectors, "sectors")
    axes = layers(axes_frame(), "Axes")["line"]
    styles.apply_style(axes, "axes")
    path = str(tmp_path / "map.png")
    render_map([axes, sectors], (X0 - 2000, Y0 - 1700, X0 + 2500, Y0 + 2200), path, size=(800, 550), title="Test map")
    image = QImage(path)
    assert (image.width(), image.height()) == (800, 550)
    # the red of the saturated axis is drawn somewhere
    reds = 0
    for x in range(0, 800, 2):
        for y in range(0, 550, 2):
            c = QColor(image.pixel(x, y))
            if c.red() > 190 and c.green() < 70 and c.blue() < 70:
                reds += 1
    assert reds > 20
    assert Qt is not None
