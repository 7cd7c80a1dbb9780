"""Offscreen rendering of styled layers to an image (no map canvas needed).

:func:`render_map` builds a small print layout in code — the map, a title, a
legend panel and a scale bar — and exports it to PNG.  It works headless
(``QT_QPA_PLATFORM=offscreen``) and with layers that are not in any project.
Call it from the main thread (layouts are not thread-safe).

The layout helpers (:func:`add_label`, :func:`add_map`, :func:`add_legend`,
:func:`add_scale_bar`) are shared with the event sheet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple, Union

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayerTree,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsMapLayer,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont

from tranquillite_plugin.core.contract import DEFAULT_CRS
from tranquillite_plugin.i18n import tr

FONT = "DejaVu Sans"
MM_PER_INCH = 25.4
BACKGROUND = "#f4f1ea"  # a quiet paper colour under the layers (no basemap offline)
PANEL_PX = 380  # width of the legend panel of render_map, in pixels

ExtentLike = Union[QgsRectangle, Sequence[float]]


# --- shared layout helpers -----------------------------------------------------------


def font(size: float, bold: bool = False) -> QFont:
    f = QFont(FONT)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def text_format(size: float, bold: bool = False, color: str = "#1a1a1a") -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(font(size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor(color))
    return fmt


def to_rectangle(extent: ExtentLike) -> QgsRectangle:
    if isinstance(extent, QgsRectangle):
        return QgsRectangle(extent)
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    return QgsRectangle(xmin, ymin, xmax, ymax)


def fit_extent(extent: QgsRectangle, width: float, height: float, margin: float = 0.05) -> QgsRectangle:
    """``extent`` grown by ``margin`` and to the width/height ratio of the frame."""
    rect = QgsRectangle(extent)
    if rect.width() <= 0 or rect.height() <= 0:  # a single point
        rect = rect.buffered(200.0)
    rect.scale(1.0 + 2 * margin)
    ratio = width / height
    if rect.width() / rect.height() < ratio:
        _scale_x(rect, rect.height() * ratio / rect.width())
    else:
        _scale_y(rect, rect.width() / ratio / rect.height())
    return rect


def _scale_x(rect: QgsRectangle, factor: float) -> None:
    cx, half = rect.center().x(), rect.width() * factor / 2
    rect.setXMinimum(cx - half)
    rect.setXMaximum(cx + half)


def _scale_y(rect: QgsRectangle, factor: float) -> None:
    cy, half = rect.center().y(), rect.height() * factor / 2
    rect.setYMinimum(cy - half)
    rect.setYMaximum(cy + half)


def add_label(
    layout: QgsLayout,
    text: str,
    x: float,
    y: float,
    w: float,
    h: float,
    size: float = 10,
    bold: bool = False,
    color: str = "#1a1a1a",
    align=Qt.AlignmentFlag.AlignLeft,
    valign=Qt.AlignmentFlag.AlignTop,
    background: Optional[str] = None,
    html: bool = False,
    page: int = 0,
) -> QgsLayoutItemLabel:
    """A text item at (x, y) mm of ``page``, w x h mm."""
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    if html:
        label.setMode(QgsLayoutItemLabel.ModeHtml)
    label.setFont(font(size, bold))
    label.setFontColor(QColor(color))
    label.setHAlign(align)
    label.setVAlign(valign)
    label.setMarginX(1.5 if background else 0.0)
    label.setMarginY(1.0 if background else 0.0)
    if background:
        label.setBackgroundEnabled(True)
        label.setBackgroundColor(QColor(background) if isinstance(background, str) else background)
    else:
        label.setBackgroundEnabled(False)
    layout.addLayoutItem(label)
    place(layout, label, x, y, w, h, page)
    return label


def place(layout: QgsLayout, item, x: float, y: float, w: float, h: float, page: int = 0) -> None:
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    point = layout.pageCollection().pagePositionToLayoutPosition(page, QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptMove(QgsLayoutPoint(point.x(), point.y(), QgsUnitTypes.LayoutMillimeters))


def add_map(
    layout: QgsLayout,
    layers: Sequence[QgsMapLayer],
    extent: QgsRectangle,
    x: float,
    y: float,
    w: float,
    h: float,
    crs: Optional[QgsCoordinateReferenceSystem] = None,
    background: str = BACKGROUND,
    frame: bool = True,
    page: int = 0,
) -> QgsLayoutItemMap:
    """A map item showing ``layers`` (first on top) over ``extent`` (fitted to the frame)."""
    item = QgsLayoutItemMap(layout)
    item.setLayers(list(layers))
    item.setKeepLayerSet(True)
    if crs is not None and crs.isValid():
        item.setCrs(crs)
    item.setBackgroundColor(QColor(background))
    item.setFrameEnabled(frame)
    item.setFrameStrokeColor(QColor("#7a7a7a"))
    item.setFrameStrokeWidth(QgsLayoutMeasurementMm(0.3))
    layout.addLayoutItem(item)
    place(layout, item, x, y, w, h, page)
    item.setExtent(fit_extent(extent, w, h, margin=0.0))
    return item


def QgsLayoutMeasurementMm(value: float):  # noqa: N802 - reads like the QGIS class
    from qgis.core import QgsLayoutMeasurement

    return QgsLayoutMeasurement(value, QgsUnitTypes.LayoutMillimeters)


@dataclass
class LegendEntry:
    """A layer in a legend, with an optional title and a choice of its legend items
    (indices into the layer's legend, e.g. its categories) and their labels."""

    layer: QgsMapLayer
    title: Optional[str] = None
    items: Optional[Sequence[int]] = None
    labels: Optional[Dict[int, str]] = None


def add_legend(
    layout: QgsLayout,
    map_item: QgsLayoutItemMap,
    layers: Sequence[Union[QgsMapLayer, LegendEntry]],
    x: float,
    y: float,
    w: float,
    title: str = "",
    columns: int = 1,
    size: float = 8.0,
    page: int = 0,
    filter_by_map: bool = True,
) -> QgsLayoutItemLegend:
    """A legend of ``layers`` only (layers need not be in the project).

    Each element is a layer or a :class:`LegendEntry`; with ``filter_by_map``
    only the items drawn on the map are listed.
    """
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(title)
    legend.setAutoUpdateModel(False)
    legend.setLinkedMap(map_item)
    root = QgsLayerTree()
    nodes = []
    for entry in layers:
        entry = entry if isinstance(entry, LegendEntry) else LegendEntry(entry)
        node = root.addLayer(entry.layer)
        if entry.title:
            node.setUseLayerName(False)
            node.setName(entry.title)
        if entry.items is not None:
            QgsMapLayerLegendUtils.setLegendNodeOrder(node, list(entry.items))
        for index, label in (entry.labels or {}).items():
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, label)
        nodes.append(node)
    legend.model().setRootGroup(root)
    for node in nodes:
        legend.model().refreshLayerLegend(node)
    legend._tranquillite_root = root  # keep the tree alive as long as the legend
    legend.setWrapString("\n")  # a title may hold a line break
    legend.setColumnCount(columns)
    legend.setSplitLayer(True)
    legend.setEqualColumnWidth(False)
    legend.setSymbolWidth(6.0)
    legend.setSymbolHeight(4.0)
    legend.setWmsLegendWidth(6)
    legend.setBackgroundEnabled(False)
    legend.setFrameEnabled(False)
    for style, fsize, bold in (
        (QgsLegendStyle.Title, size + 3, True),
        (QgsLegendStyle.Group, size + 1, True),
        (QgsLegendStyle.Subgroup, size + 1, True),
        (QgsLegendStyle.SymbolLabel, size, False),
    ):
        legend.setStyleFont(style, font(fsize, bold))
    legend.rstyle(QgsLegendStyle.Subgroup).setMargin(QgsLegendStyle.Top, 3.0)
    legend.setResizeToContents(True)
    legend.setLegendFilterByMapEnabled(filter_by_map)  # only what the map shows
    layout.addLayoutItem(legend)
    place(layout, legend, x, y, w, 10, page)
    legend.adjustBoxSize()
    return legend


def add_scale_bar(layout: QgsLayout, map_item: QgsLayoutItemMap, x: float, y: float, page: int = 0) -> QgsLayoutItemScaleBar:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.applyDefaultSize(QgsUnitTypes.DistanceMeters)
    width_m = map_item.extent().width()
    segment_m = _nice_segment(width_m / 8.0)
    if segment_m >= 1000:  # kilometres read better at city scale
        bar.setUnits(QgsUnitTypes.DistanceKilometers)
        bar.setUnitLabel("km")
        bar.setUnitsPerSegment(segment_m / 1000.0)
    else:
        bar.setUnits(QgsUnitTypes.DistanceMeters)
        bar.setUnitLabel("m")
        bar.setUnitsPerSegment(segment_m)
    bar.setMapUnitsPerScaleBarUnit(1.0)  # the label multiplier
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFixed)
    bar.setTextFormat(text_format(7.5))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 235))
    layout.addLayoutItem(bar)
    bar.attemptMove(
        QgsLayoutPoint(
            *_xy(layout.pageCollection().pagePositionToLayoutPosition(page, QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))),
            QgsUnitTypes.LayoutMillimeters,
        )
    )
    bar.update()
    return bar


def _xy(point):
    return point.x(), point.y()


def _nice_segment(value: float) -> float:
    """The largest 1, 2 or 5 x 10^n not above ``value``."""
    import math

    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * power <= value:
            return step * power
    return power


def new_layout(width_mm: float, height_mm: float, name: str = "Tranquillité") -> QgsPrintLayout:
    """A one-page layout of that size, attached to the current project (read only:
    nothing is added to the project)."""
    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    layout.setName(name)
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(width_mm, height_mm, QgsUnitTypes.LayoutMillimeters))
    return layout


def map_crs(layers: Sequence[QgsMapLayer], crs=None) -> QgsCoordinateReferenceSystem:
    if crs is not None:
        return crs if isinstance(crs, QgsCoordinateReferenceSystem) else QgsCoordinateReferenceSystem(str(crs))
    for layer in layers:
        if layer is not None and layer.crs().isValid():
            return layer.crs()
    return QgsCoordinateReferenceSystem(DEFAULT_CRS)


# --- the map image -------------------------------------------------------------------


def render_map(
    layers: Sequence[QgsMapLayer],
    extent: Optional[ExtentLike],
    path_png: str,
    size: Tuple[int, int] = (1600, 1100),
    title: Optional[str] = None,
    subtitle: Optional[str] = None,
    crs=None,
    legend: bool = True,
    legend_layers: Optional[Sequence[Union[QgsMapLayer, LegendEntry]]] = None,
    legend_filter: bool = True,
    scale_bar: bool = True,
    dpi: float = 144.0,
    background: str = BACKGROUND,
    legend_px: int = PANEL_PX,
    legend_columns: int = 1,
) -> str:
    """Renders ``layers`` (first on top, like the Layers panel) over ``extent``
    into a PNG of ``size`` pixels, with an optional title, a legend panel on the
    right and a scale bar.  ``extent`` is a QgsRectangle or (xmin, ymin, xmax,
    ymax) in the map CRS (``crs``, by default the first layer's); None = the
    layers' full extent.  Returns ``path_png``.
    """
    layers = [layer for layer in layers if layer is not None]
    if not layers:
        raise ValueError(tr("Nothing to render: no layer was given."))
    for layer in layers:
        if not layer.isValid():
            raise ValueError(tr("Layer '{}' is not valid and cannot be rendered.").format(layer.name()))
    width_px, height_px = int(size[0]), int(size[1])
    crs = map_crs(layers, crs)
    if extent is None:
        extent = full_extent(layers, crs)
    extent = to_rectangle(extent)
    mm = MM_PER_INCH / dpi
    page_w, page_h = width_px * mm, height_px * mm
    layout = new_layout(page_w, page_h, title or "map")
    layout.pageCollection().page(0).setPageStyleSymbol(_plain_page())
    panel = legend_px * mm if legend else 0.0
    top = 0.0
    if title:  # a title band above the map, not over it
        top = 17.0 if subtitle else 11.0
        add_label(layout, title, 4, 2.5, page_w - 8, 8, size=15, bold=True)
        if subtitle:
            add_label(layout, subtitle, 4, 10.5, page_w - 8, 5.5, size=9, color="#444444")
    map_item = add_map(layout, layers, extent, 0, top, page_w - panel, page_h - top, crs, background, frame=False)
    if legend:
        add_label(layout, tr("Legend"), page_w - panel + 4, top + 3, panel - 8, 7, size=12, bold=True)
        add_legend(
            layout, map_item, legend_layers or layers, page_w - panel + 4, top + 11, panel - 8,
            columns=legend_columns, size=7.5, filter_by_map=legend_filter,
        )
    if scale_bar:
        add_scale_bar(layout, map_item, 5, page_h - 14)
    export_png(layout, path_png, dpi, QSize(width_px, height_px))
    return path_png


def _plain_page():
    from qgis.core import QgsFillSymbol

    return QgsFillSymbol.createSimple({"color": "255,255,255,255", "outline_style": "no"})


def full_extent(layers: Sequence[QgsMapLayer], crs: QgsCoordinateReferenceSystem) -> QgsRectangle:
    from qgis.core import QgsCoordinateTransform

    rect = QgsRectangle()
    rect.setMinimal()
    for layer in layers:
        layer_extent = layer.extent()
        if layer_extent.isEmpty() and layer_extent.width() == 0 and layer_extent.height() == 0 and layer.featureCount() == 0:
            continue
        if layer.crs() != crs and layer.crs().isValid():
            layer_extent = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance()).transformBoundingBox(layer_extent)
        rect.combineExtentWith(layer_extent)
    if rect.isNull():
        raise ValueError(tr("Nothing to render: the layers have no feature."))
    return rect


def export_png(layout: QgsLayout, path_png: str, dpi: float, size: Optional[QSize] = None) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path_png)), exist_ok=True)
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = dpi
    if size is not None:
        settings.imageSize = size
    result = QgsLayoutExporter(layout).exportToImage(path_png, settings)
    if result != QgsLayoutExporter.Success:
        raise OSError(tr("Could not write the image {} (layout export error {}).").format(path_png, int(result)))
