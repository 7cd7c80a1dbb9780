"""tranquillite:algorithmnotice, fairnesscontrol, applyretention through Processing; the record's roles and
security read from a live PostGIS store (issue 17)."""

from __future__ import annotations

import json
import uuid

import conftest_store
import pytest

from tests.conftest_report import pdf_text
from tests.test_transparency_notice import build_store
from tranquillite_plugin.store.observatory import Observatory

pg_target = conftest_store.pg_target


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("proc") / "obs.gpkg"
    obs, city, model, facts = build_store(path, n_events=100, n_facts=4000)
    obs.close()
    return str(path)


def test_algorithmnotice_writes_both_languages_from_the_store(tranquillite_provider, store_path, tmp_path):
    import processing

    out = processing.run("tranquillite:algorithmnotice", {"STORE": store_path, "LANGUAGE": 0, "OUTPUT_FOLDER": str(tmp_path)})
    assert out["N_FILES"] == 8 and out["NOTICE_PDF"].endswith("notice_fr.pdf")
    figures = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    with Observatory.open(store_path) as obs:
        assert figures["model"]["fingerprint"] == obs.model_info()["fingerprint"]
        assert {x["kind"]: x["count"] for x in figures["layers"]}["facts"] == obs.count("facts")
        assert obs.audit_rows()[-1].algorithm == "algorithmnotice"
    for lang in ("fr", "en"):
        text = pdf_text(tmp_path / f"notice_{lang}.pdf", layout=False)
        assert ("Degré et mode de contribution" if lang == "fr" else "Degree and mode of contribution") in text


def test_fairnesscontrol_and_applyretention(tranquillite_provider, store_path):
    import processing

    out = processing.run("tranquillite:fairnesscontrol", {"STORE": store_path, "SHARE_DELTA": 0.15, "RESIDUAL_DELTA": 0.5, "MIN_EVENTS": 5})
    assert out["N_CONTROLS"] == 3 and out["N_DRIFTED"] == 0 and out["DRIFTED"] == ""
    with Observatory.open(store_path) as obs:
        n = obs.count("facts")
        last = obs.read("facts")["occurred_at"].max()
    out = processing.run("tranquillite:applyretention", {"STORE": store_path, "FACTS_MONTHS": 6})
    with Observatory.open(store_path) as obs:
        assert obs.get_setting("retention")["facts"] == 6
        assert out["AGGREGATED"] == n - obs.count("facts") > 0
        assert obs.read("facts")["occurred_at"].max() == last
        assert obs.audit_rows()[-1].algorithm == "applyretention"


def test_record_reads_roles_and_security_from_postgis(pg_target, pg_server):
    from tranquillite_plugin.store.disclosure import gather

    with Observatory.create(pg_target) as obs:
        schema = obs.pg_schema
        tag = uuid.uuid4().hex[:6]
        conn = pg_server.connect(conftest_store.TEST_DB)
        conn.autocommit = True
        with conn.cursor() as cur:
            for role in ("reader", "analyst"):
                cur.execute(f'DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \'{schema}_{role}\') '
                            f'THEN CREATE ROLE "{schema}_{role}" NOLOGIN; END IF; END $$')
            for i, role in enumerate(("reader", "reader", "analyst")):
                cur.execute(f'CREATE ROLE "u{tag}{i}" LOGIN')
                cur.execute(f'GRANT "{schema}_{role}" TO "u{tag}{i}"')
        conn.close()
        f = gather(obs)
        roles = {r["role"]: r["logins"] for r in f["roles"]["roles"]}
        # createstore made the four roles and gave the owner role to the creating login (postgres)
        assert roles == {"reader": 2, "editor": 0, "analyst": 1, "owner": 1} and f["roles"]["configured"]
        assert f["security"]["tls"].startswith(("TLS", "off"))
        assert f["security"]["audit_rows"] == obs.verify_audit().n_rows
        assert f["extra_columns"] == []
        assert f["model"] is None and f["example"] is None and f["backtest"] is None
