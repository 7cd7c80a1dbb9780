"""tranquillite:trainmodel, predictevents and backtest through Processing, on the demo city."""

import json
import os
import shutil
import subprocess
import sysconfig
import zipfile

import numpy as np
import pandas as pd
import pytest

from tranquillite_plugin.core.contract import validate
from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.timeutil import to_epoch_us


@pytest.fixture(scope="module")
def city_files(tmp_path_factory, tranquillite_provider):
    import processing

    from tranquillite_plugin.store.ogr_io import write_layers

    folder = tmp_path_factory.mktemp("model_alg")
    city = make_demo_city(n_events=400, n_facts=40_000, years=2, seed=3)
    gpkg = str(folder / "city.gpkg")
    write_layers(gpkg, {"events": ("events", city.events), "facts": ("facts", city.facts),
                        "sectors": ("sectors", city.sectors), "planned": ("events", city.planned)})
    scored = str(folder / "scored.gpkg")
    processing.run("tranquillite:scoreevents", {"EVENTS": f"{gpkg}|layername=events", "FACTS": f"{gpkg}|layername=facts",
                                                "OUTPUT": scored})
    return folder, gpkg, scored, city


def read_clean(source, kind, extra=()):
    from tranquillite_plugin.store.layer_reader import read_ogr

    path, _, name = source.partition("|layername=")
    raw = read_ogr(path, name or None)
    clean, _ = validate(kind, raw)
    by_fid = raw.attributes.set_index(raw.fids)
    for f in extra:
        clean[f] = by_fid[f].reindex(clean["fid"].to_numpy()).to_numpy()
    return clean


def train(city_files, name="model.tqm", **extra):
    import processing

    folder, gpkg, scored, _ = city_files
    params = {"EVENTS": scored, "SECTORS": f"{gpkg}|layername=sectors", "N_TREES": 30, "MIN_LEAF": 5, "SEED": 0,
              "OUTPUT_MODEL": str(folder / name)}
    params.update(extra)
    return processing.run("tranquillite:trainmodel", params)


def test_trainmodel_writes_a_model_equal_to_the_core_one(city_files):
    from tranquillite_plugin.core.forest import ForestSettings, train_model
    from tranquillite_plugin.core.model_io import load_model
    from tranquillite_plugin.pipeline.scoring import scored_events

    folder, gpkg, scored, city = city_files
    result = train(city_files)
    assert os.path.exists(result["OUTPUT_MODEL"])
    model = load_model(result["OUTPUT_MODEL"])
    assert model.fingerprint == result["FINGERPRINT"]
    assert result["N_EVENTS"] == len(city.events) == model.n_events
    assert model.crs == "EPSG:2154" and model.settings.n_trees == 30
    assert model.categories and model.by_category.sum() > 0  # score_detail carried the facts by category
    # same data and settings through the core: the same model
    events = read_clean(scored, "events", ("score", "score_detail"))
    ev, res, skipped = scored_events(events, "scored")
    core = train_model(ev, res, sectors=read_clean(f"{gpkg}|layername=sectors", "sectors"),
                       settings=ForestSettings(n_trees=30, min_leaf=5, seed=0), crs="EPSG:2154")
    assert core.fingerprint == model.fingerprint
    # and again through Processing: deterministic
    assert train(city_files, "again.tqm")["FINGERPRINT"] == result["FINGERPRINT"]
    assert train(city_files, "seed1.tqm", SEED=1)["FINGERPRINT"] != result["FINGERPRINT"]


def test_trainmodel_records_the_scoring_weights(city_files):
    from tranquillite_plugin.core.model_io import load_model

    result = train(city_files, "weights.tqm", WEIGHTS="violence=4", RADIUS=250)
    model = load_model(result["OUTPUT_MODEL"])
    assert model.score_settings["weights"]["violence"] == 4.0 and model.score_settings["radius_m"] == 250.0


def test_trainmodel_refuses_events_without_score(city_files):
    import processing
    from qgis.core import QgsProcessingException

    folder, gpkg, _, _ = city_files
    with pytest.raises(QgsProcessingException, match="no field 'score'"):
        processing.run("tranquillite:trainmodel", {"EVENTS": f"{gpkg}|layername=events", "OUTPUT_MODEL": str(folder / "x.tqm")})


def test_predictevents_matches_the_core_and_uses_only_past_events(city_files):
    import processing
    from qgis.core import QgsVectorLayer

    from tranquillite_plugin.core.model_io import load_model

    folder, gpkg, scored, city = city_files
    model_path = train(city_files)["OUTPUT_MODEL"]
    out = processing.run("tranquillite:predictevents", {"MODEL": model_path, "PLANNED": f"{gpkg}|layername=planned", "K": 15,
                                                        "OUTPUT": str(folder / "predicted.gpkg")})
    assert out["N_PREDICTED"] == len(city.planned)
    layer = QgsVectorLayer(out["OUTPUT"], "p", "ogr")
    got = {f["event_id"]: f for f in layer.getFeatures()}
    assert set(got) == set(city.planned["event_id"])
    expected = load_model(model_path).predict(read_clean(f"{gpkg}|layername=planned", "events"), k=15).set_index("event_id")
    start = dict(zip(city.events["event_id"], to_epoch_us(city.events["start"])))
    planned_start = dict(zip(city.planned["event_id"], to_epoch_us(city.planned["start"])))
    for eid, f in got.items():
        assert f["predicted"] == pytest.approx(expected.loc[eid, "predicted"], rel=1e-12)
        assert f["band_low"] <= f["predicted"] <= f["band_high"]
        ids = f["similar_ids"].split(",")
        assert ids == expected.loc[eid, "similar_ids"].split(",") and len(ids) == 15
        assert all(start[s] < planned_start[eid] for s in ids)


def test_predictevents_on_a_memory_layer(city_files):
    import processing
    from qgis.core import QgsFeature, QgsVectorLayer

    folder, gpkg, _, city = city_files
    model_path = train(city_files)["OUTPUT_MODEL"]
    source = QgsVectorLayer(f"{gpkg}|layername=planned", "planned", "ogr")
    mem = QgsVectorLayer("MultiPolygon?crs=EPSG:2154", "planned areas", "memory")
    mem.dataProvider().addAttributes(source.fields().toList()[1:])
    mem.updateFields()
    areas = []
    for f in source.getFeatures():
        if f.geometry().type() == 2:  # polygons only: a memory layer holds one geometry type
            g = f.geometry()
            g.convertToMultiType()
            out = QgsFeature(mem.fields())
            out.setGeometry(g)
            out.setAttributes(f.attributes()[1:])
            areas.append(out)
    assert mem.dataProvider().addFeatures(areas)[0] and len(areas) >= 2
    result = processing.run("tranquillite:predictevents", {"MODEL": model_path, "PLANNED": mem, "OUTPUT": "memory:"})
    values = [f["predicted"] for f in result["OUTPUT"].getFeatures()]
    assert len(values) == len(areas) == result["N_PREDICTED"] and all(v > 0 for v in values)
    assert result["N_UNWRITTEN"] == 0
    # a mixed layer cannot go to memory: the events that do not fit are reported, not silently dropped
    mixed = processing.run("tranquillite:predictevents", {"MODEL": model_path, "PLANNED": f"{gpkg}|layername=planned", "OUTPUT": "memory:"})
    assert mixed["N_UNWRITTEN"] + mixed["OUTPUT"].featureCount() == len(city.planned)


def test_predictevents_refuses_a_crafted_model(city_files, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    folder, gpkg, _, _ = city_files
    model_path = train(city_files)["OUTPUT_MODEL"]
    crafted = tmp_path / "crafted.tqm"
    with zipfile.ZipFile(model_path) as src, zipfile.ZipFile(crafted, "w") as dst:
        meta = json.loads(src.read("model.json"))
        meta["settings"]["n_trees"] = "__import__('os')"
        dst.writestr("model.json", json.dumps(meta))
        dst.writestr("arrays.npz", src.read("arrays.npz"))
    with pytest.raises(QgsProcessingException, match="expected a number"):
        processing.run("tranquillite:predictevents", {"MODEL": str(crafted), "PLANNED": f"{gpkg}|layername=planned", "OUTPUT": "memory:"})
    plain = tmp_path / "plain.tqm"
    plain.write_bytes(b"\x80\x04\x95 a pickle")
    with pytest.raises(QgsProcessingException, match="not a zip"):
        processing.run("tranquillite:predictevents", {"MODEL": str(plain), "PLANNED": f"{gpkg}|layername=planned", "OUTPUT": "memory:"})


def test_backtest_writes_a_report(city_files):
    import processing

    folder, gpkg, scored, city = city_files
    starts = city.events["start"].sort_values()
    cut = starts.iloc[int(0.7 * len(starts))]
    report = str(folder / "report")
    out = processing.run("tranquillite:backtest", {"EVENTS": scored, "SECTORS": f"{gpkg}|layername=sectors",
                                                   "CUT_DATE": cut.strftime("%Y-%m-%dT%H:%M:%S"), "N_TREES": 40,
                                                   "OUTPUT_REPORT": report})
    assert out["N_TRAIN"] + out["N_TEST"] == len(city.events)
    assert out["N_TRAIN"] == int((to_epoch_us(city.events["start"]) < to_epoch_us(starts.iloc[[int(0.7 * len(starts))]])[0]).sum())
    assert 0.3 < out["SPEARMAN"] <= 1 and np.isfinite(out["MAE_LOG1P"])
    text = open(out["REPORT"], encoding="utf-8").read()
    assert "Nature × sector mean" in text and "20 nearest neighbours" in text
    for name in ("metrics.png", "observed_vs_transfer.png", "importances.png", "pai_by_nature.png", "predictions.csv"):
        assert os.path.getsize(os.path.join(report, name)) > 1000


QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


@pytest.mark.skipif(not os.path.exists(QGIS_PROCESS), reason="qgis_process.bin is not installed")
def test_train_predict_and_backtest_with_qgis_process(city_files, tmp_path):
    """Headless, in QGIS's own Python (where the system GEOS is the one loaded)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ)
    env.update({"HOME": str(tmp_path), "QGIS_PLUGINPATH": root, "QT_QPA_PLATFORM": "offscreen",
                "PYTHONPATH": os.pathsep.join([sysconfig.get_paths()["purelib"], root])})

    def run(*args, ok=("",)):
        done = subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 or any(o and o in done.stdout + done.stderr for o in ok), done.stdout + done.stderr
        return done.stdout

    folder, gpkg, scored, city = city_files
    run("plugins", "enable", "tranquillite_plugin", ok=("already enabled",))
    model = tmp_path / "m.tqm"
    out = run("run", "tranquillite:trainmodel", "--", f"EVENTS={scored}", f"SECTORS={gpkg}|layername=sectors",
              "N_TREES=30", f"OUTPUT_MODEL={model}")
    assert f"N_EVENTS:\t{len(city.events)}" in out and model.exists()
    # the same model as in this Python: the fingerprint does not depend on the GEOS that wrote it
    assert f"FINGERPRINT:\t{train(city_files)['FINGERPRINT']}" in out
    predicted = tmp_path / "p.gpkg"
    out = run("run", "tranquillite:predictevents", "--", f"MODEL={model}", f"PLANNED={gpkg}|layername=planned", "K=20",
              f"OUTPUT={predicted}")
    assert f"N_PREDICTED:\t{len(city.planned)}" in out
    cut = city.events["start"].sort_values().iloc[300].strftime("%Y-%m-%dT%H:%M:%S")
    out = run("run", "tranquillite:backtest", "--", f"EVENTS={scored}", f"CUT_DATE={cut}", "N_TREES=20",
              f"OUTPUT_REPORT={tmp_path / 'report'}")
    assert "N_TRAIN:\t300" in out and (tmp_path / "report" / "report.md").exists()


def test_training_and_backtest_on_store_layers_are_audited(tranquillite_provider, tmp_path):
    """On the observatory store's events (scored there), each run leaves an audit row with the model fingerprint."""
    import processing

    from tranquillite_plugin.core.score import score_events
    from tranquillite_plugin.store.observatory import Observatory
    from tranquillite_plugin.store.qgis_store import store_layer

    city = make_demo_city(n_events=150, n_facts=12_000, years=1, seed=8)
    target = str(tmp_path / "observatoire.gpkg")
    with Observatory.create(target) as obs:
        obs.import_layer("events", city.events)
        obs.import_layer("sectors", city.sectors)
        stored = obs.read("events")
        res = score_events(stored, city.facts)
        detail = [json.dumps({c: float(v) for c, v in zip(res.categories, row) if v}) for row in res.by_category]
        obs.write_scores(pd.DataFrame({"event_id": stored["event_id"], "score": res.score, "score_detail": detail}))
        events_layer = store_layer(obs, "events")
        sectors_layer = store_layer(obs, "sectors")
        n_rows = len(obs.audit_rows())
    out = processing.run("tranquillite:trainmodel", {"EVENTS": events_layer, "SECTORS": sectors_layer, "N_TREES": 20,
                                                     "OUTPUT_MODEL": str(tmp_path / "m.tqm")})
    cut = city.events["start"].sort_values().iloc[100].strftime("%Y-%m-%dT%H:%M:%S")
    bt = processing.run("tranquillite:backtest", {"EVENTS": events_layer, "CUT_DATE": cut, "N_TREES": 20,
                                                  "OUTPUT_REPORT": str(tmp_path / "report")})
    with Observatory.open(target) as obs:
        rows = [r.as_dict() for r in obs.audit_rows()[n_rows:]]
        assert obs.verify_audit().ok
    # the regular control runs at every training on a store (issue 17): its row follows the training's
    assert [r["algorithm"] for r in rows] == ["trainmodel", "fairnesscontrol", "backtest"]
    train_row, control_row, bt_row = rows
    assert control_row["model_fingerprint"] == out["FINGERPRINT"] and control_row["summary"]["first"] is True
    assert out["DRIFTED"] == ""
    assert train_row["model_fingerprint"] == out["FINGERPRINT"]
    assert train_row["summary"]["n_events"] == len(city.events) and train_row["parameters"]["N_TREES"] == 20
    assert [i["n_features"] for i in train_row["inputs"]] == [len(city.events), len(city.sectors)]
    assert bt_row["summary"]["n_test"] == bt["N_TEST"] and bt_row["summary"]["metrics"]["transfer"]["spearman"] == pytest.approx(bt["SPEARMAN"])


def test_trainmodel_enriched_options_and_prediction_with_context(city_files, tmp_path):
    """MODE auto, log averaging, the three context axes and the calibrated band, through Processing; the model
    equals the core one and its planned events carry their context."""
    import processing

    from tranquillite_plugin.core import selection
    from tranquillite_plugin.core.context import demo_weather, read_weather
    from tranquillite_plugin.core.forest import ForestSettings, train_model
    from tranquillite_plugin.core.model_io import load_model

    folder, gpkg, scored, city = city_files
    weather = demo_weather("2024-01-01", "2026-12-31", seed=3)
    csv = tmp_path / "weather.csv"
    weather.to_csv(csv, index=False)
    from qgis.core import QgsVectorLayer

    table = QgsVectorLayer(f"file://{csv}?delimiter=,&detectTypes=no&geomType=none", "weather", "delimitedtext")
    assert table.isValid() and table.featureCount() == len(weather)
    small = {"max_features": (0.5, 0.8), "min_leaf": (5,), "n_trees": (30, 15), "averaging": ("raw", "log")}
    old, selection.GRID = selection.GRID, small
    try:
        out = train(city_files, "enriched.tqm", MODE=1, CONTEXT_BACKGROUND=True, CONTEXT_WEATHER=True, CONTEXT_LOAD=True,
                    CALIBRATE=True, FACTS=f"{gpkg}|layername=facts", WEATHER=table)
        events = read_clean(scored, "events", extra=("score",))
        facts = read_clean(f"{gpkg}|layername=facts", "facts")
        core = train_model(events, events["score"].to_numpy(float), sectors=city.sectors,
                           settings=ForestSettings(n_trees=30, context=("background", "weather", "load"), calibrate=True),
                           facts=facts, weather=read_weather(weather), auto=True)
    finally:
        selection.GRID = old
    assert out["CONFIGURATION"] == "enriched"
    model = load_model(out["OUTPUT_MODEL"])
    assert model.selection["chosen"] == core.selection["chosen"]
    assert model.calibration.to_dict()["high"] == pytest.approx(core.calibration.to_dict()["high"])
    pred = processing.run("tranquillite:predictevents", {"MODEL": out["OUTPUT_MODEL"], "PLANNED": f"{gpkg}|layername=planned",
                                                         "OUTPUT": str(tmp_path / "p.gpkg")})
    assert pred["N_PREDICTED"] == len(city.planned)
    planned = read_clean(str(tmp_path / "p.gpkg"), "events", extra=("predicted", "band_low", "band_high"))
    want = core.predict(city.planned)
    np.testing.assert_allclose(np.sort(planned["predicted"].to_numpy(float)), np.sort(want["predicted"].to_numpy(float)), rtol=1e-9)
    assert (planned["band_low"] <= planned["predicted"]).all() and (planned["predicted"] <= planned["band_high"]).all()


def test_trainmodel_context_without_its_layer_is_refused(city_files):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="background context axis needs the FACTS layer"):
        train(city_files, "x.tqm", CONTEXT_BACKGROUND=True)


def test_backtest_compares_published_and_enriched(city_files):
    import processing

    from tranquillite_plugin.core import selection

    folder, gpkg, scored, city = city_files
    cut = city.events["start"].sort_values().iloc[300]
    report = str(folder / "report_compare")
    small = {"max_features": (0.5,), "min_leaf": (5, 10), "n_trees": (30,), "averaging": ("raw", "log")}
    old, selection.GRID = selection.GRID, small
    try:
        out = processing.run("tranquillite:backtest", {"EVENTS": scored, "SECTORS": f"{gpkg}|layername=sectors",
                                                       "CUT_DATE": cut.strftime("%Y-%m-%dT%H:%M:%S"), "N_TREES": 30,
                                                       "COMPARE": True, "FACTS": f"{gpkg}|layername=facts", "OUTPUT_REPORT": report})
    finally:
        selection.GRID = old
    assert 0.3 < out["ENRICHED_SPEARMAN"] <= 1 and 0 < out["ENRICHED_BAND_COVERAGE"] <= 1
    text = open(out["REPORT"], encoding="utf-8").read()
    assert "Two configurations" in text and "within noise" in text or "better" in text
    assert "hit 20 %" in text and os.path.getsize(os.path.join(report, "calibration.png")) > 1000
