"""The event sheet: one planned event, printed to PDF from a QGIS layout (SPEC §5).

Page 1 — the decision: the event (id, nature, times, participants, sector), a
map of its footprint and of the similar past events, the transferred score and
its band in large type, warnings (clashes, camera coverage), and a chart of
the similar events' facts by category.
Page 2 — the evidence: the settings and the model fingerprint, then the table
of the similar past events (continued on further pages when long).

Everything comes in as plain Python / pandas, so any caller can print a sheet:

    write_event_sheet(
        "sheet.pdf",
        {"event_id": "P001", "nature": "manifestation", "participants": 3000,
         "start": ..., "end": ..., "sector": "S03", "geometry": shapely_geometry},
        (42.0, 30.5, 61.2),                      # score, band low, band high
        similar_frame,                           # event_id, nature, start, proximity, score, facts_<category>...
        layers={"sectors": sectors_layer, "axes": axes_layer},
        settings={"radius_m": 300, "before_h": 2, "after_h": 2, "k": 20},
        fingerprint="3f2a…",
    )

Call it from the main thread (QGIS layouts are not thread-safe).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import tempfile
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemShape,
    QgsLayoutItemTextTable,
    QgsLayoutMultiFrame,
    QgsLayoutTableColumn,
    QgsRectangle,
    QgsRenderContext,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QLocale, Qt
from qgis.PyQt.QtGui import QColor

from tranquillite_plugin.core.contract import CATEGORIES, DEFAULT_CRS
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.report.memory import frame_layers
from tranquillite_plugin.report.render import (
    add_label,
    add_map,
    add_scale_bar,
    new_layout,
    place,
    text_format,
)
from tranquillite_plugin.styles import PLANNED_COLOR, SIMILAR_COLOR, apply_style, pictogram_path
from tranquillite_plugin.vocabulary import CATEGORY_COLORS, category_label, nature_label

PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, mm
MARGIN = 12.0
INK = "#1a1a1a"
MUTED = "#5a5a5a"
WARN = "#b35900"
CHART_ROWS = 25  # bars on the chart; the table lists them all


# --- inputs -------------------------------------------------------------------------------


def _row(event) -> Dict[str, object]:
    if isinstance(event, pd.DataFrame):
        if len(event) != 1:
            raise ValueError(tr("The event sheet is for one event; {} rows were given.").format(len(event)))
        event = event.iloc[0]
    if isinstance(event, pd.Series):
        return event.to_dict()
    if isinstance(event, Mapping):
        return dict(event)
    raise TypeError(tr("The planned event must be a dict or a table row."))


def _prediction(prediction) -> Dict[str, object]:
    """(score, band_low, band_high) from a tuple, a dict or a Transfer-like object."""
    out = {"score": math.nan, "band_low": math.nan, "band_high": math.nan, "note": "", "n_candidates": None}
    if prediction is None:
        return out
    if isinstance(prediction, (tuple, list, np.ndarray)):
        values = list(prediction) + [math.nan] * 3
        out.update(score=values[0], band_low=values[1], band_high=values[2])
    elif isinstance(prediction, Mapping):
        out.update(
            score=prediction.get("score", prediction.get("predicted", math.nan)),
            band_low=prediction.get("band_low", math.nan),
            band_high=prediction.get("band_high", math.nan),
            note=prediction.get("note", "") or "",
            n_candidates=prediction.get("n_candidates"),
        )
    else:
        out.update(
            score=getattr(prediction, "predicted", getattr(prediction, "score", math.nan)),
            band_low=getattr(prediction, "band_low", math.nan),
            band_high=getattr(prediction, "band_high", math.nan),
            note=getattr(prediction, "note", "") or "",
            n_candidates=getattr(prediction, "n_candidates", None),
        )
    for key in ("score", "band_low", "band_high"):
        try:
            out[key] = float(out[key])
        except (TypeError, ValueError):
            out[key] = math.nan
    return out


def chart_data(similar: pd.DataFrame, chart: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Similar events x categories (index: event_id) from ``chart`` or from the
    ``facts_<category>`` (or ``<category>``) columns of ``similar``."""
    if chart is not None:
        data = chart.copy()
        if "event_id" in data.columns:
            data = data.set_index("event_id")
    else:
        cols = [c for c in similar.columns if str(c).startswith("facts_")]
        if cols:
            data = similar.set_index("event_id")[cols]
            data.columns = [str(c)[len("facts_"):] for c in cols]
        else:
            cols = [c for c in similar.columns if c in CATEGORIES]
            data = similar.set_index("event_id")[cols] if cols else pd.DataFrame(index=similar.get("event_id", []))
    data = data[[c for c in CATEGORIES if c in data.columns] + [c for c in data.columns if c not in CATEGORIES]]
    data = data.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    data.index = [str(i) for i in data.index]
    return data


def _fmt_number(value, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return QLocale().toString(float(value), "f", decimals)


def _fmt_int(value) -> str:
    try:
        return QLocale().toString(int(value))
    except (TypeError, ValueError):
        return "—"


def _fmt_time(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Europe/Paris")
    # translators: strftime format of a date and time
    return ts.strftime(tr("%Y-%m-%d %H:%M"))


def _geometry(value):
    if value is None:
        return None
    if isinstance(value, shapely.Geometry):
        return value
    if isinstance(value, (bytes, bytearray)):
        return shapely.from_wkb(bytes(value))
    if isinstance(value, str):
        return shapely.from_wkt(value)
    if hasattr(value, "asWkt"):  # QgsGeometry
        return shapely.from_wkt(value.asWkt())
    raise TypeError(tr("Unreadable footprint geometry: {}").format(type(value).__name__))


# --- layers of the map -----------------------------------------------------------------


def _as_list(value) -> List[QgsVectorLayer]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None]
    if isinstance(value, dict):
        return [v for v in value.values() if v is not None]
    return [value]


def _copy_features(layers: Sequence[QgsVectorLayer], ids: Sequence[str], name: str, id_field: str = "event_id") -> List[QgsVectorLayer]:
    """Memory copies of the features of ``layers`` whose ``event_id`` is in ``ids``."""
    out = []
    wanted = [str(i) for i in ids]
    if not wanted:
        return out
    quoted = ",".join("'" + i.replace("'", "''") + "'" for i in wanted)
    for layer in layers:
        if layer.fields().indexOf(id_field) < 0:
            raise ValueError(tr("Layer '{}' has no field '{}' to find the similar events in.").format(layer.name(), id_field))
        from qgis.core import QgsWkbTypes

        copy = QgsVectorLayer(f"{QgsWkbTypes.displayString(layer.wkbType())}?crs={layer.crs().authid()}", name, "memory")
        copy.dataProvider().addAttributes(layer.fields().toList())
        copy.updateFields()
        request = QgsFeatureRequest().setFilterExpression(f'"{id_field}" IN ({quoted})')
        copy.dataProvider().addFeatures(list(layer.getFeatures(request)))
        copy.updateExtents()
        if copy.featureCount():
            out.append(copy)
    return out


def _map_layers(event: dict, similar: pd.DataFrame, layers: Mapping, crs: str):
    """(footprint layers, similar layers, context layers) — the first two are ours, styled."""
    footprint: List[QgsVectorLayer] = []
    geometry = _geometry(event.get("geometry"))
    if geometry is not None and not geometry.is_empty:
        frame = pd.DataFrame(
            {
                "geometry": [geometry],
                "event_id": [str(event.get("event_id", ""))],
                "nature": [str(event.get("nature", "autre"))],
            }
        )
        footprint = list(frame_layers(frame, tr("Planned event"), crs).values())
        for layer in footprint:
            apply_style(layer, "planned")
    else:
        footprint = _as_list(layers.get("footprint"))
    similar_layers: List[QgsVectorLayer] = []
    if layers.get("similar") is not None:
        similar_layers = _as_list(layers.get("similar"))
    elif layers.get("events") is not None:
        similar_layers = _copy_features(_as_list(layers.get("events")), similar["event_id"].astype(str).tolist(), tr("Similar past events"))
        for layer in similar_layers:
            apply_style(layer, "similar")
    elif len(similar) and ("geometry" in similar.columns or {"x", "y"} <= set(similar.columns)):
        cols = [c for c in ("event_id", "nature") if c in similar.columns]
        frame = similar[cols + [c for c in ("geometry", "x", "y") if c in similar.columns]].copy()
        if "geometry" in frame.columns:
            frame = frame[frame["geometry"].notna()]
        similar_layers = list(frame_layers(frame, tr("Similar past events"), crs, columns=cols).values())
        for layer in similar_layers:
            apply_style(layer, "similar")
    context = []
    for key in ("cameras", "axes", "sectors"):
        context.extend(_as_list(layers.get(key)))
    return footprint, similar_layers, context


def _extent(layers: Sequence[QgsVectorLayer]) -> Optional[QgsRectangle]:
    rect = None
    for layer in layers:
        layer.updateExtents()
        e = layer.extent()
        if e.isNull():
            continue
        if rect is None:
            rect = QgsRectangle(e)
        else:
            rect.combineExtentWith(e)
    return rect


# --- the chart ------------------------------------------------------------------------------


def quiet_matplotlib_projections() -> None:
    """Imports matplotlib's projections without the Axes3D warning.

    With a venv over system site packages, Debian's mpl_toolkits sits next to
    the venv's matplotlib and its 3D part does not load; no chart here is 3D.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unable to import Axes3D")
        import matplotlib.projections  # noqa: F401


def write_chart(data: pd.DataFrame, labels: Mapping[str, str], path_png: str, width_mm: float, height_mm: float) -> str:
    """Horizontal stacked bars: one bar per similar event, one colour per category."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    quiet_matplotlib_projections()
    from matplotlib.figure import Figure

    inch = 25.4
    fig = Figure(figsize=(width_mm / inch, height_mm / inch), dpi=200)
    ax = fig.add_subplot(1, 1, 1)
    rows = data.iloc[::-1]  # most similar at the top
    cats = [c for c in data.columns if float(data[c].sum()) > 0] or list(data.columns)
    left = np.zeros(len(rows))
    y = np.arange(len(rows))
    for cat in cats:
        values = rows[cat].to_numpy(float)
        ax.barh(y, values, left=left, height=0.72, color=CATEGORY_COLORS.get(cat, "#b0b0b0"), label=category_label(cat), edgecolor="white", linewidth=0.4)
        left += values
    top = float(left.max()) if len(left) else 0.0
    for yi, total in zip(y, left):  # the total (the event's score) at the end of its bar
        ax.text(total + top * 0.008, yi, _fmt_number(total, 0 if top >= 100 else 1), va="center", ha="left", fontsize=5.5, color="#444444")
    ax.set_xlim(0, top * 1.08 if top > 0 else 1.0)
    ax.set_yticks(y)
    ax.set_yticklabels([labels.get(i, i) for i in rows.index], fontsize=6.5)
    ax.tick_params(axis="x", labelsize=6.5)
    ax.set_xlabel(tr("weighted facts (the score of each past event)"), fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    fig.tight_layout(pad=0.4)
    if cats:  # the key to the right of the bars, never over them
        fig.subplots_adjust(right=0.80)
        ax.legend(fontsize=6.5, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    fig.savefig(path_png, dpi=200, facecolor="white")
    return path_png


# --- the sheet ------------------------------------------------------------------------------


SETTING_LABELS = {
    "radius_m": lambda v: tr("radius {} m").format(_fmt_number(v, 0)),
    "before_h": lambda v: tr("{} h before").format(_fmt_number(v, 1)),
    "after_h": lambda v: tr("{} h after").format(_fmt_number(v, 1)),
    "line_buffer_m": lambda v: tr("itineraries widened by {} m").format(_fmt_number(v, 0)),
    "point_buffer_m": lambda v: tr("points widened by {} m").format(_fmt_number(v, 0)),
    "k": lambda v: tr("{} most similar events").format(_fmt_int(v)),
}


def settings_text(settings: Optional[Mapping]) -> str:
    """The settings in words, known ones first (radius, window, buffers, k), weights last."""
    if not settings:
        return tr("not given")
    parts = []
    keys = [k for k in SETTING_LABELS if k in settings] + [k for k in settings if k not in SETTING_LABELS and k != "weights"]
    for key in keys:
        value = settings[key]
        if key in SETTING_LABELS:
            parts.append(SETTING_LABELS[key](value))
        else:
            parts.append(f"{key}: {value}")
    weights = settings.get("weights")
    if isinstance(weights, Mapping) and weights:
        order = [c for c in CATEGORIES if c in weights] + sorted(c for c in weights if c not in CATEGORIES)
        text = ", ".join(f"{category_label(k)} {_fmt_number(weights[k], 1)}" for k in order)
        parts.append(tr("weights: {}").format(text))
    return "; ".join(parts)


def _title_block(layout, event: dict, generated: str) -> None:
    event_id = str(event.get("event_id", ""))
    nature = str(event.get("nature", ""))
    heading = tr("Event sheet — {}").format(event_id)
    if nature:
        heading += f" ({nature_label(nature)})"
    # a long id or a French nature must not be cut: shrink the heading to its 150 mm box
    # (a bold character, capitals included, is up to 0.75 em wide; 1 pt = 0.3528 mm), never below 9 pt
    size = max(9.0, min(17.0, 150.0 / (max(len(heading), 1) * 0.75 * 0.3528)))
    add_label(layout, heading, MARGIN, 9, 150, 10, size=size, bold=True)
    add_label(layout, generated, 160, 10.5, PAGE_W - MARGIN - 160, 6, size=7, color=MUTED, align=Qt.AlignmentFlag.AlignRight)
    parts = [f"{_fmt_time(event.get('start'))} → {_fmt_time(event.get('end'))}"]
    if event.get("participants") is not None and not pd.isna(event.get("participants")):
        parts.append(tr("{} participants").format(_fmt_int(event.get("participants"))))
    if event.get("sector"):
        parts.append(tr("sector {}").format(event.get("sector")))
    add_label(layout, "  ·  ".join(parts), MARGIN, 20, PAGE_W - 2 * MARGIN, 6, size=10.5, color="#333333")


def _score_box(layout, pred: dict, n_similar: int, x: float, y: float, w: float) -> float:
    box = QgsLayoutItemShape(layout)
    box.setShapeType(QgsLayoutItemShape.Rectangle)
    box.setSymbol(QgsFillSymbol.createSimple({"color": "246,243,236,255", "outline_color": "180,172,160,255", "outline_width": "0.3"}))
    box.setCornerRadius(QgsLayoutMeasurementMm(2.0))
    layout.addLayoutItem(box)
    place(layout, box, x, y, w, 52)
    add_label(layout, tr("Transferred score"), x + 3, y + 3, w - 6, 5, size=10, bold=True, color=MUTED)
    add_label(layout, _fmt_number(pred["score"]), x + 3, y + 9, w - 6, 16, size=34, bold=True, color=INK)
    if math.isfinite(pred["band_low"]) and math.isfinite(pred["band_high"]):
        add_label(layout, tr("likely band (10 % – 90 %)"), x + 3, y + 27, w - 6, 5, size=8, color=MUTED)
        band = f"{_fmt_number(pred['band_low'])} – {_fmt_number(pred['band_high'])}"
        add_label(layout, band, x + 3, y + 32, w - 6, 8, size=15, bold=True, color="#333333")
    else:
        add_label(layout, tr("no band: no score could be transferred"), x + 3, y + 27, w - 6, 10, size=8, color=MUTED)
    if pred.get("n_candidates"):
        basis = tr("from {} similar past events among {}").format(n_similar, _fmt_int(pred["n_candidates"]))
    else:
        basis = tr("from {} similar past events").format(n_similar)
    add_label(layout, basis, x + 3, y + 42, w - 6, 8, size=7.5, color=MUTED)
    return y + 52


def _map_key(layout, x: float, y: float, w: float, bottom: float, natures: Sequence[str]) -> None:
    """What the map shows: the planned footprint, the similar events, and the
    pictogram of each nature on the sheet (at most what fits above ``bottom``)."""
    add_label(layout, tr("On the map"), x, y, w, 5, size=9, bold=True)
    y += 6.5
    for color, text in (
        (PLANNED_COLOR, tr("this event's footprint")),
        (SIMILAR_COLOR, tr("similar past events, with their id")),
    ):
        swatch = QgsLayoutItemShape(layout)
        swatch.setShapeType(QgsLayoutItemShape.Rectangle)
        swatch.setSymbol(QgsFillSymbol.createSimple({"color": color, "outline_style": "no"}))
        layout.addLayoutItem(swatch)
        place(layout, swatch, x, y + 1.2, 5, 2.2)
        lines = max(1, math.ceil(len(text) / max(10.0, (w - 7) / 1.55)))  # ~1.55 mm a character at 7.5 pt
        add_label(layout, text, x + 7, y, w - 7, 3.6 * lines + 1.4, size=7.5)
        y += 3.6 * lines + 1.4
    y += 1.5
    seen = []
    for nature in natures:
        if nature and nature not in seen:
            seen.append(nature)
    for nature in seen:
        if y + 5 > bottom:
            break
        picture = QgsLayoutItemPicture(layout)
        picture.setPicturePath(pictogram_path(nature))
        picture.setResizeMode(QgsLayoutItemPicture.Zoom)
        layout.addLayoutItem(picture)
        place(layout, picture, x, y, 4.4, 4.4)
        add_label(layout, nature_label(nature), x + 7, y + 0.4, w - 7, 5, size=7.5)
        y += 5.2


def QgsLayoutMeasurementMm(value: float):  # noqa: N802
    from qgis.core import QgsLayoutMeasurement

    return QgsLayoutMeasurement(value, QgsUnitTypes.LayoutMillimeters)


def _table(layout, similar: pd.DataFrame, y: float, page: int) -> QgsLayoutItemTextTable:
    table = QgsLayoutItemTextTable(layout)
    headings = [
        ("#", Qt.AlignmentFlag.AlignRight, 6),
        (tr("Event"), Qt.AlignmentFlag.AlignLeft, 27),
        (tr("Nature"), Qt.AlignmentFlag.AlignLeft, 30),
        (tr("Start"), Qt.AlignmentFlag.AlignLeft, 28),
        (tr("Sector"), Qt.AlignmentFlag.AlignLeft, 15),
        (tr("Proximity"), Qt.AlignmentFlag.AlignRight, 18),
        (tr("Score"), Qt.AlignmentFlag.AlignRight, 16),
    ]
    has_weight = "weight" in similar.columns
    if has_weight:
        headings.append((tr("Weight"), Qt.AlignmentFlag.AlignRight, 16))
    columns = []
    for heading, align, width in headings:
        column = QgsLayoutTableColumn(heading)
        column.setHAlignment(align)
        column.setWidth(width)
        columns.append(column)
    table.setColumns(columns)
    rows = []
    for i, (_, r) in enumerate(similar.iterrows(), start=1):
        row = [
            str(int(r["rank"])) if "rank" in similar.columns and pd.notna(r.get("rank")) else str(i),
            str(r.get("event_id", "")),
            nature_label(str(r.get("nature", ""))),
            _fmt_time(r.get("start")),
            str(r.get("sector", "") or "—") if "sector" in similar.columns else "—",
            _fmt_number(r.get("proximity"), 2),
            _fmt_number(r.get("score"), 1),
        ]
        if has_weight:
            row.append(QLocale().toString(float(r["weight"]) * 100.0, "f", 1) + " %")
        rows.append(row)
    table.setContents(rows)
    table.setHeaderTextFormat(text_format(8, True))
    table.setContentTextFormat(text_format(8))
    table.setHeaderHAlignment(QgsLayoutItemTextTable.FollowColumn)
    table.setCellMargin(1.2)
    table.setGridStrokeWidth(0.15)
    table.setGridColor(QColor("#bbbbbb"))
    table.setHorizontalGrid(True)
    table.setVerticalGrid(False)
    table.setEmptyTableBehavior(QgsLayoutItemTextTable.ShowMessage)
    table.setEmptyTableMessage(tr("No similar past event."))
    table.setHeaderMode(QgsLayoutItemTextTable.AllFrames)  # the header again on each page
    table.setResizeMode(QgsLayoutMultiFrame.RepeatUntilFinished)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    place(layout, frame, MARGIN, y, PAGE_W - 2 * MARGIN, PAGE_H - y - 16, page)
    table.addFrame(frame)
    table.recalculateFrameSizes()
    return table


def write_event_sheet(
    path_pdf: str,
    planned_event,
    prediction,
    similar: Optional[pd.DataFrame] = None,
    layers: Optional[Mapping] = None,
    settings: Optional[Mapping] = None,
    fingerprint: str = "",
    chart: Optional[pd.DataFrame] = None,
    warnings: Sequence[str] = (),
    crs: str = DEFAULT_CRS,
    generated_at: Optional[_dt.datetime] = None,
    title: Optional[str] = None,
    explanation: Sequence[str] = (),
) -> str:
    """Writes the event sheet of ``planned_event`` to ``path_pdf``; returns the path.

    planned_event
        dict, Series or one-row frame: event_id, nature, participants, start,
        end, sector and, for the map, ``geometry`` (shapely, WKT or WKB).
    prediction
        (score, band_low, band_high), a dict with those keys (``predicted``
        is read as ``score``; ``note`` and ``n_candidates`` are shown), or the
        model's Transfer object.
    similar
        the similar past events, most similar first: event_id, nature, start,
        proximity, score, optionally rank, sector, weight, ``facts_<category>``
        columns (the chart), and ``geometry`` or ``x``/``y`` for the map.
    layers
        optional QGIS layers for the map: ``footprint`` (when the event has no
        geometry), ``similar`` (their footprints) or ``events`` (the past
        events, the similar ones are picked by event_id), and context layers
        ``sectors``, ``axes``, ``cameras`` (drawn with their own style).
    settings
        the scoring / model settings printed on the sheet (radius_m, before_h,
        after_h, line_buffer_m, point_buffer_m, k, weights...).
    chart
        similar events x categories; by default read from ``similar``.
    warnings
        lines printed in a warning box (clash check, camera coverage).
    explanation
        lines under the score: the model's configuration and the event's context values
        (``report.sheet.model_lines``).
    """
    event = _row(planned_event)
    similar = pd.DataFrame(columns=["event_id", "nature", "start", "proximity", "score"]) if similar is None else similar
    similar = similar.reset_index(drop=True)
    pred = _prediction(prediction)
    layers = dict(layers or {})
    generated_at = generated_at or _dt.datetime.now()
    generated = tr("printed {}").format(generated_at.strftime(tr("%Y-%m-%d %H:%M")))

    layout = new_layout(PAGE_W, PAGE_H, title or tr("Event sheet"))
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Portrait)
    tmp = tempfile.mkdtemp(prefix="tranquillite_sheet_")
    try:
        # --- page 1: header, map, score, warnings, chart
        _title_block(layout, event, generated)
        footprint, similar_layers, context = _map_layers(event, similar, layers, crs)
        map_layers = footprint + similar_layers + context
        map_x, map_y, map_w, map_h = MARGIN, 30.0, 122.0, 118.0
        extent = _extent(footprint + similar_layers) or _extent(context)
        if map_layers and extent is not None:
            extent = QgsRectangle(extent)
            extent.grow(max(extent.width(), extent.height()) * 0.08 + 100.0)
            map_item = add_map(layout, map_layers, extent, map_x, map_y, map_w, map_h, QgsCoordinateReferenceSystem(crs))
            add_scale_bar(layout, map_item, map_x + 2, map_y + map_h - 11)
        else:
            add_label(layout, tr("No footprint to map."), map_x, map_y + map_h / 2 - 4, map_w, 8, size=10, color=MUTED, align=Qt.AlignmentFlag.AlignHCenter)
            map_item = None
        col_x = map_x + map_w + 5
        col_w = PAGE_W - MARGIN - col_x
        y = _score_box(layout, pred, len(similar), col_x, map_y, col_w)
        if pred.get("note"):
            add_label(layout, pred["note"], col_x, y + 2, col_w, 14, size=7.5, color=WARN)
            y += 15
        if explanation:
            n = sum(max(1, math.ceil(len(t) / 48)) for t in explanation)  # 7 pt over about 59 mm
            add_label(layout, "<br/>".join(_html(t) for t in explanation), col_x, y + 2, col_w, 3.2 * n + 2, size=7, color=MUTED, html=True)
            y += 3.2 * n + 4
        if map_item is not None and (footprint or similar_layers):
            natures = [str(event.get("nature", ""))] + [str(n) for n in similar.get("nature", pd.Series(dtype=object))]
            _map_key(layout, col_x, y + 4, col_w, map_y + map_h, natures)
        y = map_y + map_h + 5
        if warnings:
            text = "<br/>".join("⚠ " + _html(w) for w in warnings)
            n = sum(max(1, math.ceil(len(w) / 110)) for w in warnings)  # a long line wraps (8.5 pt over 186 mm)
            add_label(layout, f"<b>{_html(tr('Warnings'))}</b><br/>{text}", MARGIN, y, PAGE_W - 2 * MARGIN, 6 + 4.2 * n,
                      size=8.5, color=WARN, html=True, background=QColor(255, 243, 224))
            y += 8 + 4.2 * n
        data = chart_data(similar, chart)
        heading = tr("Facts of the similar past events, by category")
        if len(data) > CHART_ROWS:
            heading += " " + tr("(the {} most similar of {})").format(CHART_ROWS, len(data))
        add_label(layout, heading, MARGIN, y, PAGE_W - 2 * MARGIN, 6, size=11, bold=True)
        y += 7
        chart_h = PAGE_H - 16 - y
        if len(data) and data.to_numpy().sum() > 0 and chart_h > 30:
            labels = {}
            if "nature" in similar.columns:
                labels = {str(r["event_id"]): f"{r['event_id']} · {nature_label(str(r['nature']))}" for _, r in similar.iterrows()}
            png = write_chart(data.head(CHART_ROWS), labels, os.path.join(tmp, "chart.png"), PAGE_W - 2 * MARGIN, chart_h)
            picture = QgsLayoutItemPicture(layout)
            picture.setPicturePath(png)
            picture.setResizeMode(QgsLayoutItemPicture.Zoom)
            layout.addLayoutItem(picture)
            place(layout, picture, MARGIN, y, PAGE_W - 2 * MARGIN, chart_h)
        else:
            add_label(layout, tr("No facts by category to chart."), MARGIN, y, PAGE_W - 2 * MARGIN, 6, size=9, color=MUTED)

        # --- page 2: settings, fingerprint, table of similar events
        page2 = QgsLayoutItemPage(layout)
        page2.setPageSize("A4", QgsLayoutItemPage.Portrait)
        layout.pageCollection().addPage(page2)
        add_label(layout, tr("Similar past events — {}").format(event.get("event_id", "")), MARGIN, 9, PAGE_W - 2 * MARGIN, 9, size=14, bold=True, page=1)
        explain = tr(
            "Past events that started before this one, most similar first. Proximity: share of the model's trees "
            "in which the past event falls in the same leaf as this one. The transferred score is the "
            "proximity-weighted mean of their scores."
        )
        add_label(layout, explain, MARGIN, 19, PAGE_W - 2 * MARGIN, 14, size=8, color=MUTED, page=1)
        settings_line = tr("Settings: {}").format(settings_text(settings))
        model_line = tr("Model fingerprint: {}").format(fingerprint or tr("not given"))
        add_label(layout, settings_line, MARGIN, 34, PAGE_W - 2 * MARGIN, 14, size=8, page=1)
        add_label(layout, model_line, MARGIN, 49, PAGE_W - 2 * MARGIN, 5, size=8, page=1)
        _table(layout, similar, 57, page=1)

        # --- footers on every page (the table may have added some)
        n_pages = layout.pageCollection().pageCount()
        for p in range(n_pages):
            footer = tr("Tranquillité publique — event {} — model {} — page {} / {}").format(
                event.get("event_id", ""), (fingerprint or "—")[:12], p + 1, n_pages
            )
            add_label(layout, footer, MARGIN, PAGE_H - 10, PAGE_W - 2 * MARGIN, 5, size=7, color=MUTED, align=Qt.AlignmentFlag.AlignHCenter, page=p)

        os.makedirs(os.path.dirname(os.path.abspath(path_pdf)), exist_ok=True)
        settings_pdf = QgsLayoutExporter.PdfExportSettings()
        settings_pdf.dpi = 200
        settings_pdf.rasterizeWholeImage = False
        settings_pdf.forceVectorOutput = False
        settings_pdf.textRenderFormat = QgsRenderContext.TextFormatAlwaysText  # searchable, copyable text
        result = QgsLayoutExporter(layout).exportToPdf(path_pdf, settings_pdf)
        if result != QgsLayoutExporter.Success:
            raise OSError(tr("Could not write the event sheet {} (layout export error {}).").format(path_pdf, int(result)))
    finally:
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)
    return path_pdf


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["write_event_sheet", "chart_data", "settings_text", "write_chart"]
