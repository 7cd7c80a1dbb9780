"""The pictures of ``make demo`` (and of ``make screenshots``): the styled map of the
demo city and the event sheet of its first planned event.

:func:`demo_layers` opens the demo observatory's layers, styled as the plugin
styles them; :func:`render_demo_map` draws them; :func:`write_demo_sheet`
prints the sheet of the first planned event with the model the demo trained
(``model.tqm`` next to the observatory) — or, without a model, with the
similar events the prediction step named.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional

import numpy as np
import pandas as pd
from qgis.core import QgsVectorLayer

from tranquillite_plugin.core.contract import DEFAULT_CRS
from tranquillite_plugin.core.score import decode_details
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.styles import apply_style

FACTS_DAYS = 28  # the demo map shows the last four weeks of facts (60 000 over 3 years would be a carpet)
EVENTS_DAYS = 120  # and the past events of the last four months
GEOMETRY_SUBLAYERS = (("Point", "point"), ("LineString", "line"), ("Polygon", "polygon"))


def _ogr_layer(path: str, table: str, name: str, geometry: Optional[str] = None) -> Optional[QgsVectorLayer]:
    uri = f"{path}|layername={table}"
    if geometry:
        uri += f"|geometrytype={geometry}"
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid() or layer.featureCount() == 0:
        return None
    return layer


def _styled(path: str, table: str, name: str, kind: str, into: dict) -> Optional[QgsVectorLayer]:
    """The table as a layer with the kind's style, put in ``into[kind]`` (None when empty)."""
    layer = _ogr_layer(path, table, name)
    if layer is not None:
        apply_style(layer, kind)
        into[kind] = layer
    return layer


def _tables(path: str) -> List[str]:
    from tranquillite_plugin.store.layer_reader import list_layers

    return list_layers(path)


def _split(path: str, table: str, title: str, kind: str, subset: str = "") -> List[QgsVectorLayer]:
    names = {"point": tr("points"), "line": tr("itineraries"), "polygon": tr("areas")}
    out = []
    for wkb, family in GEOMETRY_SUBLAYERS:
        layer = _ogr_layer(path, table, f"{title} ({names[family]})", wkb)
        if layer is not None and subset:
            layer.setSubsetString(subset)
        if layer is not None and layer.featureCount():
            apply_style(layer, kind)
            out.append(layer)
    return out


def sectors_with_statistics(gpkg: str, scored: Optional[str]) -> Optional[QgsVectorLayer]:
    """A memory layer of the sectors with mean_score and facts_per_km2 (core.sector_stats)."""
    from tranquillite_plugin.core.contract import validate
    from tranquillite_plugin.core.sector_stats import sector_statistics
    from tranquillite_plugin.report.memory import frame_layer
    from tranquillite_plugin.store.layer_reader import read_ogr

    sectors, _ = validate("sectors", read_ogr(gpkg, "sectors"))
    facts, _ = validate("facts", read_ogr(gpkg, "facts", points_as_xy=True))
    events = None
    if scored and os.path.exists(scored):
        raw = read_ogr(scored)
        events, _ = validate("events", raw)
        scores = pd.to_numeric(raw.attributes["score"], errors="coerce").to_numpy(float)
        by_fid = dict(zip(np.asarray(raw.fids), scores))
        events["score"] = [by_fid.get(f, np.nan) for f in events["fid"]]
    stats = sector_statistics(sectors, events, facts)
    keep = ["geometry", "sector_id", "name"] + [c for c in ("mean_score", "facts_per_km2", "n_events", "n_facts") if c in stats.columns]
    return frame_layer(stats[keep], tr("Sectors"), DEFAULT_CRS)


def _since(layer: QgsVectorLayer, field: str, days: int) -> str:
    """A subset string keeping the last ``days`` days before the layer's latest ``field``."""
    last = layer.maximumValue(layer.fields().indexOf(field))
    if last is None or not days or not hasattr(last, "addDays"):
        return ""
    return f"\"{field}\" >= '{last.addDays(-int(days)).toString('yyyy-MM-dd')}'"


def demo_layers(
    gpkg: str,
    scored: Optional[str] = None,
    facts_days: int = FACTS_DAYS,
    events_days: int = EVENTS_DAYS,
    sector_field: str = "mean_score",
) -> Dict[str, object]:
    """The styled demo layers: ``{"planned": [...], "events": [...], "cameras", "facts",
    "axes", "sectors"}`` (lists for the events, one layer per geometry type)."""
    tables = {t.lower() for t in _tables(gpkg)}
    out: Dict[str, object] = {}
    if "planned" in tables:
        out["planned"] = _split(gpkg, "planned", tr("Planned events"), "planned")
    events_path, events_table = (scored, None) if scored and os.path.exists(scored) else (gpkg, "events")
    if events_table is None:
        events_table = _tables(scored)[0]
    subset = ""
    whole = _ogr_layer(events_path, events_table, "events")
    if whole is not None and events_days:
        subset = _since(whole, "start", events_days)
    title = tr("Past events (last {} days)").format(events_days) if subset else tr("Past events")
    out["events"] = _split(events_path, events_table, title, "events", subset)
    _styled(gpkg, "cameras", tr("Cameras"), "cameras", out)
    facts = _ogr_layer(gpkg, "facts", tr("Facts"))
    if facts is not None:
        subset = _since(facts, "occurred_at", facts_days)
        if subset:
            facts.setSubsetString(subset)
            facts.setName(tr("Facts (last {} days)").format(facts_days))
        apply_style(facts, "facts")
        out["facts"] = facts
    _styled(gpkg, "axes", tr("Traffic axes"), "axes", out)
    sectors = sectors_with_statistics(gpkg, scored)
    if sectors is not None:
        apply_style(sectors, "sectors", sector_field=sector_field)
        if sector_field == "mean_score":
            sectors.setName(tr("Sectors: mean event score"))
        else:
            sectors.setName(tr("Sectors: facts per km²"))
        out["sectors"] = sectors
    return out


def ordered(layers: Dict[str, object]) -> List[QgsVectorLayer]:
    """Top to bottom, as in the Layers panel."""
    out: List[QgsVectorLayer] = []
    for key in ("planned", "events", "cameras", "facts", "axes", "sectors"):
        value = layers.get(key)
        if value is None:
            continue
        out.extend(value if isinstance(value, list) else [value])
    return out


def render_demo_map(gpkg: str, scored: Optional[str], path: str, size=(1600, 1100), extent=None, title: Optional[str] = None) -> str:
    """The styled map of the demo city (PNG)."""
    from tranquillite_plugin.report.render import render_map

    layers = demo_layers(gpkg, scored)
    all_layers = ordered(layers)
    if extent is None and layers.get("sectors") is not None:
        extent = layers["sectors"].extent()
    legend = demo_legend(layers)
    render_map(
        all_layers,
        extent,
        path,
        size=size,
        title=title or tr("Tranquillité publique — demo city"),
        subtitle=tr("Sectors by mean event score, traffic axes by status, cameras and their coverage, events by nature"),
        legend_layers=legend,
        legend_px=640,
        legend_columns=2,
        legend_filter=False,
    )
    return path


def demo_legend(layers: Dict[str, object]) -> list:
    """One legend entry per kind of layer (not one per geometry type), with every
    nature, category and status it can show, and nothing else."""
    from tranquillite_plugin.core.contract import AXIS_STATUSES, CATEGORIES, NATURES
    from tranquillite_plugin.report.render import LegendEntry

    def first(key):
        value = layers.get(key)
        if isinstance(value, list):
            return value[0] if value else None
        return value

    def indices(layer, values):
        cats = getattr(layer.renderer(), "categories", lambda: [])()
        return [i for i, c in enumerate(cats) if c.value() in values]

    out = []
    planned = first("planned")
    if planned is not None:
        idx = indices(planned, ["manifestation"])[:1]
        out.append(LegendEntry(planned, tr("Planned events"), idx, {idx[0]: tr("planned event")} if idx else None))
    events = first("events")
    if events is not None:
        title = events.name().rsplit(" (", 1)[0].replace(" (", "\n(")  # the period on its own line
        out.append(LegendEntry(events, title, indices(events, NATURES)))
    if layers.get("cameras") is not None:
        out.append(LegendEntry(layers["cameras"], tr("Cameras and their coverage"), None, {0: tr("camera and its coverage")}))
    facts = layers.get("facts")
    if facts is not None:
        out.append(LegendEntry(facts, facts.name().replace(" (", "\n("), indices(facts, CATEGORIES)))
    axes = layers.get("axes")
    if axes is not None:
        out.append(LegendEntry(axes, tr("Traffic axes"), indices(axes, AXIS_STATUSES)))
    if layers.get("sectors") is not None:
        out.append(LegendEntry(layers["sectors"], layers["sectors"].name().replace(": ", ":\n").replace(" : ", " :\n")))
    return out


def write_demo_sheet(gpkg: str, scored: Optional[str], explanation: dict, path: str) -> Optional[str]:
    """The event sheet of the first planned event of the demo."""
    from tranquillite_plugin.core.contract import validate
    from tranquillite_plugin.report.event_sheet import write_event_sheet
    from tranquillite_plugin.store.layer_reader import read_ogr

    planned_raw = read_ogr(gpkg, "planned")
    planned, _ = validate("events", planned_raw)
    if not len(planned):
        return None
    wanted = str((explanation or {}).get("planned", {}).get("event_id", planned["event_id"].iloc[0]))
    row = planned[planned["event_id"].astype(str) == wanted]
    row = row if len(row) else planned.head(1)
    model_path = os.path.join(os.path.dirname(os.path.abspath(gpkg)), "model.tqm")
    past_raw = read_ogr(scored) if scored and os.path.exists(scored) else read_ogr(gpkg, "events")
    geometry_of = dict(zip(past_raw.attributes["event_id"].astype(str), past_raw.geometry))
    settings, fingerprint, notes = {}, "", []
    if os.path.exists(model_path):
        from tranquillite_plugin.core.model_io import load_model

        model = load_model(model_path)
        transfer = model.transfer(row, k=20)[0]
        similar = transfer.similar.copy()
        prediction = transfer
        settings = dict(model.score_settings or {})
        settings["k"] = len(similar)
        fingerprint = getattr(model, "fingerprint", "") or ""
    else:  # no model file: the similar events the prediction named, with their scores
        ids = list((explanation or {}).get("similar_ids", []))
        attrs = past_raw.attributes.copy()
        attrs["event_id"] = attrs["event_id"].astype(str)
        similar = attrs.set_index("event_id").loc[[i for i in ids if i in set(attrs["event_id"])]].reset_index()
        first = (explanation or {}).get("planned", {})
        prediction = (first.get("predicted", np.nan), first.get("band_low", np.nan), first.get("band_high", np.nan))
        if "score_detail" in similar.columns:
            table, categories = decode_details(similar["score_detail"].to_numpy(object))
            for j, cat in enumerate(categories):
                similar[f"facts_{cat}"] = table[:, j]
        notes.append(tr("No model file: proximities are not shown."))
    similar["geometry"] = [geometry_of.get(str(i)) for i in similar["event_id"]]
    context = {}
    _styled(gpkg, "axes", tr("Traffic axes"), "axes", context)
    _styled(gpkg, "sectors", tr("Sectors"), "sectors", context)
    warnings = list(notes)
    event = row.iloc[0].to_dict()
    write_event_sheet(path, event, prediction, similar, layers=context, settings=settings, fingerprint=fingerprint, warnings=warnings)
    return path
