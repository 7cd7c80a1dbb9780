"""The algorithm notice and the record of processing: every figure equals the store's (issue 17).

A store is built with known content (the demo city's layers, a field the guard
drops, an import it refuses, scores, a trained model, a backtest row, two
fairness controls); the figures gathered, the HTML and the PDF are checked
against what was put in.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from tests.conftest_report import pdf_text
from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.core.privacy import PersonalDataError
from tranquillite_plugin.store.observatory import Observatory

METRICS = {
    "transfer": {"spearman": 0.877123, "mae_log1p": 0.723456, "top_decile_hit": 0.6},
    "global_mean": {"spearman": None, "mae_log1p": 2.369, "top_decile_hit": 0.1},
    "nature_sector": {"spearman": 0.837, "mae_log1p": 0.863, "top_decile_hit": 0.533333},
}


def build_store(path, n_events=120, n_facts=6000, seed=3):
    from tranquillite_plugin.core.forest import ForestSettings, train_model
    from tranquillite_plugin.core.score import ScoreSettings, score_events
    from tranquillite_plugin.store.transparency import run_fairness_control

    city = make_demo_city(n_events=n_events, n_facts=n_facts, years=2, seed=seed)
    obs = Observatory.create(str(path))
    obs.import_layer("sectors", city.sectors)
    obs.import_layer("axes", city.axes)
    obs.import_layer("cameras", city.cameras)
    facts = city.facts.copy()
    rng = np.random.default_rng(0)
    facts["telephone"] = [f"06 {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)}" for _ in range(len(facts))]
    obs.import_layer("facts", facts, drop_fields=["telephone"])
    refused = city.events.head(10).copy()
    refused["contact"] = [f"jean.dupont{i}@example.org" for i in range(len(refused))]
    with pytest.raises(PersonalDataError):
        obs.import_layer("events", refused)
    obs.import_layer("events", city.events)
    obs.import_layer("planned", city.planned)
    events = obs.read("events", "past")
    settings = ScoreSettings(radius_m=250, before_h=1.5, after_h=2, weights={"violence": 4.0})
    result = score_events(events, obs.read("facts"), settings)
    obs.write_scores(pd.DataFrame({"event_id": events["event_id"], "score": result.score, "n_facts": result.n_facts}))
    model = train_model(events, result, sectors=obs.read("sectors"), settings=ForestSettings(n_trees=30, min_leaf=3, k=12),
                        score_settings=settings, crs=obs.crs)
    obs.save_model(model)
    obs.record("backtest", {"K": 12}, None, 100, model.fingerprint,
               {"cut": "2026-04-01T00:00:00+02:00", "n_train": 90, "n_test": 30, "metrics": METRICS})
    run_fairness_control(obs, model)
    run_fairness_control(obs, model)
    return obs, city, model, facts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tranquillite_plugin.store.disclosure import gather

    path = tmp_path_factory.mktemp("notice") / "obs.gpkg"
    obs, city, model, facts = build_store(path)
    figures = gather(obs)
    yield obs, city, model, facts, figures
    obs.close()


def test_layers_counts_dates_and_sources_are_the_stores(built):
    obs, city, model, facts, f = built
    by_kind = {x["kind"]: x for x in f["layers"]}
    assert by_kind["facts"]["count"] == len(city.facts) == obs.count("facts")
    assert by_kind["events"]["past"] == len(city.events) and by_kind["events"]["planned"] == len(city.planned)
    assert by_kind["sectors"]["count"] == len(city.sectors) and by_kind["cameras"]["count"] == len(city.cameras)
    first, last = city.facts["occurred_at"].min(), city.facts["occurred_at"].max()
    assert pd.Timestamp(by_kind["facts"]["first"]) == first and pd.Timestamp(by_kind["facts"]["last"]) == last
    assert pd.Timestamp(by_kind["events"]["first"]) == min(city.events["start"].min(), city.planned["start"].min())
    assert "telephone" not in by_kind["facts"]["fields"]
    expected = city.facts["source"].fillna("").value_counts()
    assert {s["source"]: s["count"] for s in f["sources"]} == expected.to_dict()


def test_guard_decisions_name_fields_and_reasons_never_values(built):
    obs, city, model, facts, f = built
    decisions = {(g["kind"], g["decision"]): g for g in f["guard"]}
    dropped = decisions[("facts", "imported")]
    assert [x["field"] for x in dropped["fields"]] == ["telephone"] and dropped["fields"][0]["reasons"]
    refused = decisions[("events", "refused")]
    assert [x["field"] for x in refused["fields"]] == ["contact"] and refused["fields"][0]["reasons"]
    text = repr(f)
    assert "example.org" not in text and facts["telephone"].iloc[0] not in text
    assert [g["decision"] for g in f["guard"]].count("refused") == 1


def test_model_parameters_importances_weights_and_backtest_are_the_stores(built):
    obs, city, model, facts, f = built
    m = f["model"]
    assert m["fingerprint"] == model.fingerprint == obs.model_info()["fingerprint"]
    assert m["n_events"] == model.n_events == len(city.events)
    assert (m["k"], m["n_trees"], m["min_leaf"], m["averaging"]) == (12, 30, 3, "raw")
    assert (m["radius_m"], m["before_h"], m["after_h"]) == (250.0, 1.5, 2.0)
    assert m["weights"]["violence"] == 4.0 and len(m["weights"]) == 10
    imp = model.importances()
    assert [a["axis"] for a in m["importances"]] == imp["axis"].tolist()
    assert np.allclose([a["importance"] for a in m["importances"]], imp["importance"])
    assert len(m["importances"]) == 8
    first, last = model.training_period
    assert m["period"] == (first.isoformat(), last.isoformat())
    assert f["backtest"]["metrics"] == METRICS and f["backtest"]["n_test"] == 30
    ex = f["example"]
    assert ex is not None and ex["event_id"] in set(city.events["event_id"])
    assert all(pd.Timestamp(s["start"]) < pd.Timestamp(ex["start"]) for s in ex["similar"])
    assert len(f["fairness"]["history"]) == 2 and f["fairness"]["latest"]["drifted"] == []


def test_record_roles_security_and_retention_read_from_the_store(built):
    obs, city, model, facts, f = built
    assert f["roles"]["configured"] is False and "GeoPackage" in f["roles"]["why"]
    check = obs.verify_audit()
    assert f["security"]["audit_rows"] == check.n_rows and f["security"]["audit_intact"] is True
    assert f["retention"]["facts"] == 60 and f["retention"]["events"] is None
    assert f["extra_columns"] == []


def _text_of(html_text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_text)))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_and_pdf_show_the_figures(built, tmp_path, lang, qgis_app):
    from tranquillite_plugin.core import disclosure
    from tranquillite_plugin.report.notice import write_documents

    obs, city, model, facts, f = built
    paths = write_documents(f, str(tmp_path), langs=(lang,))
    notice = _text_of(open(paths[f"notice_{lang}.html"], encoding="utf-8").read())
    n = disclosure._n
    assert n(len(city.facts), 0, lang) in notice and model.fingerprint in notice
    for source, count in city.facts["source"].value_counts().items():
        assert f"{source} {n(count, 0, lang)}" in notice
    assert "telephone" in notice and "contact" in notice
    assert n(0.877123, 3, lang) in notice and n(0.723456, 3, lang) in notice
    label = "label_fr" if lang == "fr" else "label_en"
    for a in f["model"]["importances"]:
        assert f"{a[label]} {disclosure._pct(a['importance'], lang)}" in notice
    assert ("avis donné à un opérateur" if lang == "fr" else "advice to an operator") in notice
    assert f["example"]["event_id"] in notice
    record = _text_of(open(paths[f"record_{lang}.html"], encoding="utf-8").read())
    assert disclosure.t("intact", lang, n=obs.verify_audit().n_rows) in record
    for key in ("risk_disc", "risk_patrol", "risk_reid"):
        assert disclosure.t(key, lang) in record
    for name in (f"notice_{lang}.pdf", f"record_{lang}.pdf"):
        out = pdf_text(paths[name], layout=False)
        assert model.fingerprint[:16] in out.replace("\n", "") or name.startswith("record")
        assert len(out) > 500
