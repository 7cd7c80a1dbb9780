"""The docks and the toolbox run one pipeline: "Estimate the score" and tranquillite:predictevents
(and the docks' training and tranquillite:trainmodel) reach the core through the same pipeline
function and write equal audit rows for equal inputs."""


import pytest
import shapely
from qgis.core import QgsGeometry

from tests.conftest_gui import demo_gpkg, isolated_qgs_settings, make_city, wait_until
from tranquillite_plugin import settings
from tranquillite_plugin.gui import tasks
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.planned import PlannedEvent
from tranquillite_plugin.pipeline import model as pipeline_model
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.qgis_store import store_layer

N_TREES = 30


@pytest.fixture
def isolated_settings(qgis_app, tmp_path):
    """QgsSettings of this test's own (fewer trees), put back afterwards."""
    with isolated_qgs_settings(tmp_path / "profile") as folder:
        settings.set("n_trees", N_TREES)
        yield folder


@pytest.fixture
def spy(monkeypatch):
    """Every call of pipeline.model.train and .predict, with the record it made (any thread)."""
    calls = []
    for name in ("train", "predict"):
        real = getattr(pipeline_model, name)

        def wrapped(*args, _real=real, _name=name, **kwargs):
            out = _real(*args, **kwargs)
            calls.append((_name, out.record))
            return out

        monkeypatch.setattr(pipeline_model, name, wrapped)
    return calls


@pytest.fixture
def controller(qgis_iface, qgis_new_project, isolated_settings, tmp_path):
    c = Controller(qgis_iface, planned_path=str(tmp_path / "planned.gpkg"))
    yield c
    c.cancel_tasks()
    wait_until(lambda: not c.running, 30)
    c.close()


def row_of(entry) -> dict:
    d = entry.as_dict()
    return {k: d[k] for k in ("algorithm", "parameters", "inputs", "n_features", "model_fingerprint", "summary")}


def planned_p002() -> PlannedEvent:
    row = make_city().planned.set_index("event_id").loc["P002"]
    return PlannedEvent("P002", row["nature"], int(row["participants"]), row["start"].to_pydatetime(),
                        row["end"].to_pydatetime(), QgsGeometry.fromWkt(shapely.to_wkt(row["geometry"])))


def test_estimate_and_predictevents_write_the_same_row(controller, spy, tranquillite_provider, tmp_path):
    import processing

    c = controller
    demo = demo_gpkg(tmp_path)
    model_file = str(tmp_path / "model.tqm")
    scored = str(tmp_path / "scored.gpkg")
    processing.run("tranquillite:scoreevents", {"EVENTS": f"{demo}|layername=events", "FACTS": f"{demo}|layername=facts",
                                                "OUTPUT": scored})
    processing.run("tranquillite:trainmodel", {"EVENTS": scored, "SECTORS": f"{demo}|layername=sectors", "N_TREES": N_TREES,
                                               "OUTPUT_MODEL": model_file})
    store = str(tmp_path / "observatoire.gpkg")
    assert c.open_store(store, create=True)
    assert c.load_model(model_file)
    del spy[:]

    # the docks: "Estimate the score" of P002 with the model file
    task = c.predict(planned_p002())
    assert task is not None and tasks.wait_for(task, 120)
    assert wait_until(lambda: "P002" in c.saved_predictions, 30)
    docks_row = row_of(c.store.audit_rows()[-1])

    # the toolbox: the same model on the same event (the store's planned events: P002 only)
    with Observatory.open(store) as obs:
        planned = store_layer(obs, "planned")
        assert planned.featureCount() == 1
        n_rows = len(obs.audit_rows())
    out = processing.run("tranquillite:predictevents", {"MODEL": model_file, "PLANNED": planned, "K": c.k(),
                                                        "OUTPUT": str(tmp_path / "predicted.gpkg")})
    assert out["N_PREDICTED"] == 1
    with Observatory.open(store) as obs:
        rows = obs.audit_rows()
        assert len(rows) == n_rows + 1 and obs.verify_audit().ok
    toolbox_row = row_of(rows[-1])

    # one function, called once by each, and the rows are what it recorded
    assert [name for name, _ in spy] == ["predict", "predict"]
    assert [record.as_kwargs()["summary"] for _, record in spy] == [docks_row["summary"], toolbox_row["summary"]]
    # equal rows: only the inputs' names and sources differ (a drawn event, a layer)
    assert docks_row["algorithm"] == toolbox_row["algorithm"] == "predictevents"
    assert docks_row["parameters"] == toolbox_row["parameters"] == {"K": c.k(), "MODEL": model_file, "EVENT_ID": "P002"}
    assert docks_row["summary"] == toolbox_row["summary"]
    assert docks_row["summary"]["predicted"] == 1 and docks_row["summary"]["transfers"]["P002"]["predicted"] > 0
    assert docks_row["summary"]["transfers"]["P002"]["similar_ids"] == c.prediction.transfer.similar_ids
    assert docks_row["n_features"] == toolbox_row["n_features"] == 1
    assert docks_row["model_fingerprint"] == toolbox_row["model_fingerprint"] == c.trained.model.fingerprint
    assert [set(i) - {"source"} for i in docks_row["inputs"]] == [set(i) - {"source"} for i in toolbox_row["inputs"]]
    assert [i["n_features"] for i in docks_row["inputs"]] == [i["n_features"] for i in toolbox_row["inputs"]] == [1]


def test_the_docks_training_and_trainmodel_write_the_same_row(controller, spy, tranquillite_provider, tmp_path):
    import processing

    c = controller
    demo = demo_gpkg(tmp_path)
    c.open_observatory(demo)
    assert c.open_store(str(tmp_path / "observatoire.gpkg"), create=True)
    task = c.train()
    assert task is not None and tasks.wait_for(task, 180)
    assert wait_until(lambda: c.trained is not None and not c.running, 30)
    docks_row = row_of(c.store.audit_rows()[-1])

    s = c.score_settings()
    scored = str(tmp_path / "scored.gpkg")
    processing.run("tranquillite:scoreevents", {"EVENTS": f"{demo}|layername=events", "FACTS": f"{demo}|layername=facts",
                                                "RADIUS": s.radius_m, "BEFORE_H": s.before_h, "AFTER_H": s.after_h,
                                                "OUTPUT": scored})
    processing.run("tranquillite:trainmodel", {"EVENTS": scored, "SECTORS": f"{demo}|layername=sectors", "N_TREES": N_TREES,
                                               "MIN_LEAF": settings.get("min_leaf"), "OUTPUT_MODEL": str(tmp_path / "m.tqm")})
    assert [name for name, _ in spy] == ["train", "train"]
    toolbox_row = spy[-1][1].as_kwargs()
    toolbox_row["model_fingerprint"] = toolbox_row.pop("fingerprint")
    # the toolbox saves the model to a file, the docks into the store: only where differs
    for row in (docks_row, toolbox_row):
        row["parameters"].pop("OUTPUT_MODEL")
        row["summary"].pop("model")
    assert docks_row["algorithm"] == toolbox_row["algorithm"] == "trainmodel"
    assert docks_row["parameters"] == toolbox_row["parameters"]
    assert docks_row["parameters"]["N_TREES"] == N_TREES
    assert docks_row["summary"] == toolbox_row["summary"]
    assert docks_row["n_features"] == toolbox_row["n_features"] == len(make_city().events)
    # the fingerprints differ: the docks' model holds the facts by category as scored (every category
    # of the facts), the toolbox's as read back from score_detail (the non-zero ones, in the contract's order)
    assert docks_row["model_fingerprint"] == c.trained.model.fingerprint and toolbox_row["model_fingerprint"]
    # the docks read the facts and events and score them; the toolbox reads events scored already
    assert [i["n_features"] for i in docks_row["inputs"]] == [len(make_city().facts), len(make_city().events), len(make_city().sectors)]
    assert [i["n_features"] for i in toolbox_row["inputs"]] == [len(make_city().events), len(make_city().sectors)]
