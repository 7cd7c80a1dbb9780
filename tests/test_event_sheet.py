"""The event sheet PDF: pages, the event's id, score, band, table and chart."""

from __future__ import annotations

import math
import shutil
import subprocess

import pandas as pd
import pytest

from tests.conftest_report import CRS, axes_frame, pdf_text, planned_event, sectors_frame, similar_events

pytest.importorskip("qgis.core")

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture()
def context_layers(qgis_app):
    from tranquillite_plugin.report.memory import frame_layers
    from tranquillite_plugin.styles import apply_style

    sectors = frame_layers(sectors_frame().drop(columns=["mean_score", "facts_per_km2"]), "Sectors", CRS)["polygon"]
    apply_style(sectors, "sectors")
    axes = frame_layers(axes_frame(), "Axes", CRS)["line"]
    apply_style(axes, "axes")
    return {"sectors": sectors, "axes": axes}


@needs_poppler
def test_event_sheet_pdf_has_the_event_its_score_and_its_similar_events(tmp_path, context_layers):
    from tranquillite_plugin.report.event_sheet import write_event_sheet

    similar = similar_events(12)
    path = tmp_path / "sheet.pdf"
    out = write_event_sheet(
        str(path),
        planned_event("P-2026-017"),
        (42.37, 28.1, 63.94),
        similar,
        layers=context_layers,
        settings={"radius_m": 300, "before_h": 2, "after_h": 2, "k": 20, "weights": {"violence": 3.0, "vol": 2.0}},
        fingerprint="3f2a9c81d0e4b7aa55",
        warnings=["Clash: road works T-88 on the footprint", "Camera coverage: 38 % of the footprint"],
    )
    assert out == str(path) and path.exists()
    assert pdf_pages(path) == 2
    text = pdf_text(path)
    flat = " ".join(text.split())
    assert "P-2026-017" in text
    assert "42.4" in text and "28.1" in text and "63.9" in text  # score and band
    for event_id in similar["event_id"]:
        assert event_id in text, event_id  # every similar event is in the table
    assert "3f2a9c81d0e4b7aa55" in text  # the model fingerprint
    assert "radius 300 m" in flat and "Violence 3.0" in flat  # the settings
    assert "road works T-88" in flat  # the warnings
    assert "Demonstration" in text  # the nature, in words
    # proximities as printed in the table, in order
    positions = [text.index(f"{p:.2f}") for p in similar["proximity"].head(3)]
    assert positions == sorted(positions)


@needs_poppler
def test_event_sheet_with_a_long_table_continues_on_further_pages(tmp_path, context_layers):
    from tranquillite_plugin.report.event_sheet import write_event_sheet

    similar = similar_events(70)
    similar["proximity"] = similar["proximity"].clip(lower=0.01)
    path = tmp_path / "long.pdf"
    write_event_sheet(str(path), planned_event("P-LONG"), (10.0, 5.0, 20.0), similar, layers=context_layers)
    assert pdf_pages(path) >= 3
    text = pdf_text(path)
    assert similar["event_id"].iloc[-1] in text  # nothing cut off
    assert "page 1 / " in text


@needs_poppler
def test_event_sheet_without_transfer_nor_geometry_still_prints(tmp_path, qgis_app):
    from tranquillite_plugin.report.event_sheet import write_event_sheet

    event = planned_event("P-EMPTY")
    event.pop("geometry")
    path = tmp_path / "empty.pdf"
    write_event_sheet(str(path), event, {"predicted": math.nan, "note": "no past event started before this one"}, None)
    text = pdf_text(path)
    assert "P-EMPTY" in text and "no past event started before this one" in text
    assert "No similar past event" in text


def test_event_sheet_reads_the_model_transfer_shape(tmp_path, qgis_app):
    """The Transfer of core.forest (predicted, band_low, band_high, similar with facts_<category>)."""
    from tranquillite_plugin.report.event_sheet import _prediction, chart_data

    class Transfer:  # the attributes the sheet reads, as core.forest.Transfer has them
        predicted, band_low, band_high, note, n_candidates = 12.5, 3.0, 30.0, "", 420

    pred = _prediction(Transfer())
    assert (pred["score"], pred["band_low"], pred["band_high"], pred["n_candidates"]) == (12.5, 3.0, 30.0, 420)
    similar = similar_events(4)
    data = chart_data(similar)
    assert list(data.index) == list(similar["event_id"])
    assert data.loc[similar["event_id"][0], "violence"] == similar["facts_violence"][0]
    # scores are the sum of the weighted facts: the bars' length is the score
    assert (data.sum(axis=1).to_numpy() == similar["score"].to_numpy()).all()
    own = pd.DataFrame({"event_id": ["A"], "vol": [2.0]})
    assert chart_data(similar, own).loc["A", "vol"] == 2.0


def test_event_sheet_similar_footprints_from_the_past_events_layer(tmp_path, qgis_app):
    """With ``layers['events']`` the similar events' footprints are picked by event_id."""
    from tranquillite_plugin.report.event_sheet import _map_layers
    from tranquillite_plugin.report.memory import frame_layers

    similar = similar_events(9)
    past = similar.copy()
    past.loc[len(past)] = past.iloc[0]
    past.loc[len(past) - 1, "event_id"] = "NOT-SIMILAR"
    events = frame_layers(past[["geometry", "event_id", "nature"]], "past events", CRS)
    footprint, similar_layers, context = _map_layers(planned_event(), similar.head(5), {"events": events}, CRS)
    ids = sorted(f["event_id"] for layer in similar_layers for f in layer.getFeatures())
    assert ids == sorted(similar["event_id"].head(5))
    assert len(footprint) == 1 and footprint[0].featureCount() == 1


def test_gui_warnings_are_sentences_for_the_sheet(qgis_app):
    from tranquillite_plugin.core.clash import KIND_CLOSED_AXIS, KIND_WORKS, Clash, Coverage
    from tranquillite_plugin.report.sheet import similar_with_geometry, warning_lines

    clashes = [
        Clash(KIND_CLOSED_AXIS, "A12", "Cours Lieutaud", None, None),
        Clash(KIND_WORKS, "T-88", "travaux", pd.Timestamp("2026-11-14 08:00", tz="Europe/Paris"), pd.Timestamp("2026-11-14 20:00", tz="Europe/Paris"), 120.0),
    ]
    lines = warning_lines(clashes, Coverage(0.384, 100.0, 260.0, ["C1", "C2"]))
    assert lines[0] == "Closed traffic axis A12 (Cours Lieutaud) crosses the footprint"
    assert lines[1] == "Works T-88 from 2026-11-14 08:00 to 2026-11-14 20:00 meet the footprint"
    assert lines[2] == "Camera coverage: 38 % of the footprint (2 cameras)"
    assert warning_lines([], Coverage(float("nan"), 0.0, 0.0)) == []
    similar = similar_events(3).drop(columns=["geometry"])
    past = similar_events(3)[["event_id", "geometry"]].iloc[::-1]
    joined = similar_with_geometry(similar, past)
    assert [g.equals(h) for g, h in zip(joined["geometry"], similar_events(3)["geometry"])] == [True] * 3


@needs_poppler
def test_demo_map_and_sheet_of_make_demo(tmp_path, qgis_app):
    """What ``make demo`` writes: the styled map PNG and the first planned event's sheet."""
    from qgis.PyQt.QtGui import QImage

    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.core.score import ScoreSettings, score_events
    from tranquillite_plugin.demo_render import render_demo_map, write_demo_sheet
    from tranquillite_plugin.store.ogr_io import write_layer, write_layers

    city = make_demo_city(n_events=120, n_facts=4000, years=1, seed=2)
    gpkg = str(tmp_path / "demo_observatory.gpkg")
    kinds = {"sectors": "sectors", "axes": "axes", "cameras": "cameras", "events": "events", "facts": "facts", "planned": "events"}
    write_layers(gpkg, {name: (kind, getattr(city, name)) for name, kind in kinds.items()}, city.crs)
    result = score_events(city.events, city.facts, ScoreSettings())
    events = city.events.copy()
    events["score"] = result.score
    scored = str(tmp_path / "scored_events.gpkg")
    write_layer(scored, "scored_events", "events", events, city.crs)

    png = render_demo_map(gpkg, scored, str(tmp_path / "demo_map.png"), size=(900, 620))
    image = QImage(png)
    assert (image.width(), image.height()) == (900, 620)
    # no model file: the sheet uses the similar events the prediction named
    ids = list(events.sort_values("score", ascending=False)["event_id"].head(6))
    first = city.planned.iloc[0]
    explanation = {"planned": {"event_id": first["event_id"], "predicted": 33.0, "band_low": 10.0, "band_high": 70.0}, "similar_ids": ids}
    pdf = write_demo_sheet(gpkg, scored, explanation, str(tmp_path / "event_sheet.pdf"))
    text = pdf_text(pdf)
    assert first["event_id"] in text and "33.0" in text
    for event_id in ids:
        assert event_id in text
