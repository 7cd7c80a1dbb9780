"""tranquillite:fairnessaudit, tranquillite:trends and tranquillite:exportaggregated through Processing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from osgeo import ogr

from tests.test_processing_score import write_layer
from tranquillite_plugin.core.aggregate import aggregate_facts
from tranquillite_plugin.core.contract import validate

X0, Y0 = 890_000.0, 6_245_000.0


def _sectors(path):
    rows = []
    for i, sid in enumerate(["W", "E"]):
        x = X0 + i * 2000
        rows.append((f"POLYGON (({x} {Y0}, {x + 2000} {Y0}, {x + 2000} {Y0 + 2000}, {x} {Y0 + 2000}, {x} {Y0}))",
                     [sid, "Ouest" if sid == "W" else "Est"]))
    write_layer(path, "sectors", ogr.wkbPolygon, [("sector_id", ogr.OFTString), ("name", ogr.OFTString)], rows)


FACT_FIELDS = [("category", ogr.OFTString), ("occurred_at", ogr.OFTString), ("count", ogr.OFTInteger)]


def _layers(tmp_path):
    """A two-sector city: West gets fines only, East a mix; a surge of 'degradation' in East in the last week."""
    rng = np.random.default_rng(11)
    path = tmp_path / "city.gpkg"
    _sectors(path)
    t0 = pd.Timestamp("2024-01-01 14:00")
    ev_rows, fact_rows = [], []
    for i in range(60):
        west = i % 2 == 0
        x = X0 + (rng.uniform(300, 1700) if west else rng.uniform(2300, 3700))
        y = Y0 + rng.uniform(300, 1700)
        start = t0 + pd.Timedelta(days=i)
        end = start + pd.Timedelta(hours=3)
        ev_rows.append((f"POINT ({x} {y})", [f"E{i:03d}", "concert" if i % 3 else "manifestation",
                                             int(rng.integers(50, 5000)), start.isoformat(), end.isoformat()]))
        cats = ["verbalisation", "enlevement"] if west else ["violence", "vol", "nuisance", "secours"]
        for _ in range(int(rng.integers(2, 12))):
            t = start + pd.Timedelta(minutes=int(rng.integers(0, 180)))
            fact_rows.append((f"POINT ({x + rng.uniform(-80, 80)} {y + rng.uniform(-80, 80)})",
                              [str(rng.choice(cats)), t.isoformat(), int(rng.integers(1, 3))]))
    # background facts every week, and a surge in East in the week before 2024-03-04
    end_ts = pd.Timestamp("2024-03-04")
    for k in range(9):
        w_end = end_ts - pd.Timedelta(days=7 * k)
        for sx in (X0 + 1000, X0 + 3000):
            for _ in range(10 + int(rng.integers(-1, 2))):
                t = w_end - pd.Timedelta(seconds=float(rng.uniform(3600, 6 * 86400)))
                fact_rows.append((f"POINT ({sx + rng.uniform(-900, 900)} {Y0 + rng.uniform(100, 1900)})",
                                  ["degradation", t.isoformat(), 1]))
    for _ in range(15):
        t = end_ts - pd.Timedelta(seconds=float(rng.uniform(3600, 6 * 86400)))
        fact_rows.append((f"POINT ({X0 + 3000 + rng.uniform(-900, 900)} {Y0 + rng.uniform(100, 1900)})", ["degradation", t.isoformat(), 1]))
    write_layer(path, "events", ogr.wkbPoint,
           [("event_id", ogr.OFTString), ("nature", ogr.OFTString), ("participants", ogr.OFTInteger),
            ("start", ogr.OFTString), ("end", ogr.OFTString)], ev_rows)
    write_layer(path, "facts", ogr.wkbPoint, FACT_FIELDS, fact_rows)
    return path


def _features(dest):
    from qgis.core import QgsVectorLayer

    layer = dest if not isinstance(dest, str) else QgsVectorLayer(dest, "out", "ogr")
    assert layer.isValid()
    names = [f.name() for f in layer.fields()]
    rows = [dict(zip(names, f.attributes())) for f in layer.getFeatures()]
    return layer, rows


def test_algorithms_are_registered(tranquillite_provider):
    ids = {a.id() for a in tranquillite_provider.algorithms()}
    assert {"tranquillite:fairnessaudit", "tranquillite:trends", "tranquillite:exportaggregated"} <= ids


def test_exportaggregated_grid_matches_core(tranquillite_provider, tmp_path):
    import processing

    from tranquillite_plugin.store.layer_reader import read_ogr

    path = _layers(tmp_path)
    out = str(tmp_path / "agg.gpkg")
    res = processing.run("tranquillite:exportaggregated",
                         {"FACTS": f"{path}|layername=facts", "MODE": 0, "CELL_SIZE": 250, "MIN_COUNT": 5, "PERIOD": 0,
                          "BY_CATEGORY": True, "OUTPUT": out})
    layer, rows = _features(res["OUTPUT"])
    facts = validate("facts", read_ogr(str(path), "facts", points_as_xy=True))[0]
    core = aggregate_facts(facts, cell_size=250, min_count=5)
    assert len(rows) == len(core.cells) == res["N_PUBLISHED_CELLS"] > 0
    assert all(r["n_records"] >= 5 for r in rows)
    assert sum(r["n_records"] for r in rows) + res["N_SUPPRESSED_RECORDS"] == len(facts)
    names = [f.name() for f in layer.fields()]
    assert {"cell_id", "n_records", "n_facts", "n_verbalisation", "n_violence", "n_other"} <= set(names)
    for r in rows:
        cats = sum(r[n] for n in names if n.startswith("n_") and n not in ("n_records", "n_facts"))
        assert cats == pytest.approx(r["n_facts"])
        geom = [f for f in layer.getFeatures() if f["cell_id"] == r["cell_id"]][0].geometry()
        i, j = map(int, r["cell_id"].split("_"))
        assert geom.boundingBox().xMinimum() == pytest.approx(i * 250)
        assert geom.boundingBox().yMinimum() == pytest.approx(j * 250)


def test_exportaggregated_sectors(tranquillite_provider, tmp_path):
    import processing
    from qgis.core import NULL, QgsProcessingException

    path = _layers(tmp_path)
    res = processing.run("tranquillite:exportaggregated",
                         {"FACTS": f"{path}|layername=facts", "MODE": 1, "SECTORS": f"{path}|layername=sectors",
                          "MIN_COUNT": 5, "PERIOD": 2, "BY_CATEGORY": False, "OUTPUT": "TEMPORARY_OUTPUT"})
    _, rows = _features(res["OUTPUT"])
    assert {r["cell_id"] for r in rows} == {"W", "E"}
    assert {r["name"] for r in rows} == {"Ouest", "Est"}
    for r in rows:
        assert (r["suppressed"] == 1) == (r["n_records"] in (None, NULL))
        assert r["suppressed"] == 1 or r["n_records"] >= 5
    assert any(r["suppressed"] == 0 for r in rows)
    with pytest.raises(QgsProcessingException, match="SECTORS"):
        processing.run("tranquillite:exportaggregated",
                       {"FACTS": f"{path}|layername=facts", "MODE": 1, "OUTPUT": "TEMPORARY_OUTPUT"})


def test_trends_finds_the_planted_surge(tranquillite_provider, tmp_path):
    import processing

    path = _layers(tmp_path)
    res = processing.run("tranquillite:trends",
                         {"FACTS": f"{path}|layername=facts", "SECTORS": f"{path}|layername=sectors", "END": "2024-03-04",
                          "WINDOW_DAYS": 7, "BASELINE": 0, "PERIODS": 8, "MIN_RATIO": 1.5, "MIN_Z": 2, "MIN_COUNT": 5,
                          "OUTPUT": str(tmp_path / "trends.gpkg"), "OUTPUT_CELLS": "TEMPORARY_OUTPUT"})
    assert res["ALERTS"] == "E" and res["N_ALERTS"] == 1
    _, rows = _features(res["OUTPUT"])
    by = {r["sector"]: r for r in rows}
    assert by["E"]["alert"] == 1 and by["E"]["driving_category"] == "degradation"
    assert by["W"]["alert"] == 0 and not by["W"]["driving_category"]
    _, cells = _features(res["OUTPUT_CELLS"])
    surge = [c for c in cells if c["sector"] == "E" and c["category"] == "degradation"][0]
    assert surge["alert"] == 1 and surge["recent"] >= 20


def test_trends_output_is_styled_when_loaded(tranquillite_provider, tmp_path, monkeypatch):
    import processing
    from processing.gui import Postprocessing
    from qgis.core import QgsProject

    path = _layers(tmp_path)
    # pytest-qgis's iface is a mock: QGIS 3.44 hands its layer tree view to C++, which refuses
    # a MagicMock; the layer is loaded into the project either way
    monkeypatch.setattr(Postprocessing, "iface", None, raising=False)
    res = processing.runAndLoadResults(
        "tranquillite:trends",
        {"FACTS": f"{path}|layername=facts", "SECTORS": f"{path}|layername=sectors", "END": "2024-03-04",
         "OUTPUT": str(tmp_path / "styled.gpkg")},
    )
    layers = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.source().startswith(str(tmp_path / "styled.gpkg"))]
    try:
        assert res["ALERTS"] == "E" and len(layers) == 1
        renderer = layers[0].renderer()
        assert renderer.classAttribute() == "alert"
        assert sorted(c.value() for c in renderer.categories()) == [0, 1]
        assert layers[0].labelsEnabled()
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_fairnessaudit_flags_the_fined_sector_and_compares_weightings(tranquillite_provider, tmp_path):
    import processing

    path = _layers(tmp_path)
    scored = str(tmp_path / "scored.gpkg")
    processing.run("tranquillite:scoreevents",
                   {"EVENTS": f"{path}|layername=events", "FACTS": f"{path}|layername=facts", "OUTPUT": scored})
    res = processing.run("tranquillite:fairnessaudit",
                         {"EVENTS": scored, "SECTORS": f"{path}|layername=sectors", "OUTPUT": "TEMPORARY_OUTPUT"})
    assert res["FLAGGED"] == "W"
    _, rows = _features(res["OUTPUT"])
    by = {r["sector"]: r for r in rows}
    assert by["W"]["police_driven"] == 1 and by["W"]["police_score_share"] > 0.5
    assert by["E"]["police_driven"] == 0 and by["E"]["name"] == "Est"
    # with a backtest and the comparison of weightings
    report = tmp_path / "audit.md"
    res = processing.run("tranquillite:fairnessaudit",
                         {"EVENTS": scored, "SECTORS": f"{path}|layername=sectors", "CUT_DATE": "2024-02-15",
                          "COMPARE_DOWNWEIGHTED": True, "FACTOR": 0.0, "N_TREES": 20, "MIN_LEAF": 2, "K": 5,
                          "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_REPORT": str(report)})
    _, rows = _features(res["OUTPUT"])
    by = {r["sector"]: r for r in rows}
    assert by["W"]["n_predicted"] > 0 and by["W"]["residual_mean"] is not None
    assert by["W"]["police_driven_dw"] == 0
    text = report.read_text(encoding="utf-8")
    assert "# Fairness audit per sector" in text and "police down-weighted" in text and "| W |" in text


def test_fairnessaudit_needs_scored_events(tranquillite_provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    path = _layers(tmp_path)
    with pytest.raises(QgsProcessingException, match="run Score events first"):
        processing.run("tranquillite:fairnessaudit", {"EVENTS": f"{path}|layername=events", "OUTPUT": "TEMPORARY_OUTPUT"})


def test_export_and_trends_are_written_to_the_audit_trail(tranquillite_provider, tmp_path):
    import processing

    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.store.observatory import Observatory
    from tranquillite_plugin.store.qgis_store import store_layer

    city = make_demo_city(n_events=40, n_facts=4000, years=1, seed=5)
    target = str(tmp_path / "observatoire.gpkg")
    with Observatory.create(target) as obs:
        obs.import_layer("facts", city.facts)
        obs.import_layer("sectors", city.sectors)
        facts_layer = store_layer(obs, "facts")
        sectors_layer = store_layer(obs, "sectors")
        n_audit = len(obs.audit_rows())
    res = processing.run("tranquillite:exportaggregated",
                         {"FACTS": facts_layer, "MODE": 0, "CELL_SIZE": 500, "MIN_COUNT": 7, "OUTPUT": "TEMPORARY_OUTPUT"})
    processing.run("tranquillite:trends", {"FACTS": facts_layer, "SECTORS": sectors_layer, "OUTPUT": "TEMPORARY_OUTPUT"})
    with Observatory.open(target) as obs:
        rows = [r.as_dict() for r in obs.audit_rows()[n_audit:]]
        assert [r["algorithm"] for r in rows] == ["exportaggregated", "trends"]
        export = rows[0]
        assert export["parameters"]["MIN_COUNT"] == 7 and export["summary"]["min_count"] == 7
        assert export["summary"]["n_suppressed_cells"] == res["N_SUPPRESSED_CELLS"]
        assert export["inputs"][0]["n_features"] == len(city.facts)
        assert "rule" in rows[1]["summary"] and rows[1]["inputs"][1]["n_features"] == len(city.sectors)
        assert obs.verify_audit().ok
