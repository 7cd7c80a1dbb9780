"""Saved models: round trip, and refusal of files crafted to run code or altered (SPEC §6)."""

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest
from conftest_model import make_events, make_sectors

from tranquillite_plugin.core.forest import ForestSettings, train_model
from tranquillite_plugin.core.model_io import (
    ModelFileError,
    load_model,
    model_from_bytes,
    model_to_bytes,
    read_model_info,
    save_model,
)


@pytest.fixture(scope="module")
def model():
    ev, sc, bc, cats = make_events(300, seed=21)
    return train_model(
        ev, sc, bc, cats, sectors=make_sectors(), settings=ForestSettings(n_trees=12, seed=4),
        score_settings={"radius_m": 250.0, "weights": {"violence": 4.0}},
    )


@pytest.fixture(scope="module")
def blob(model):
    return model_to_bytes(model)


def members(blob):
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return json.loads(z.read("model.json")), z.read("arrays.npz")


def repack(meta, npz_bytes, extra=None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("model.json", json.dumps(meta) if isinstance(meta, dict) else meta)
        z.writestr("arrays.npz", npz_bytes)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def arrays_of(npz_bytes):
    with np.load(io.BytesIO(npz_bytes), allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def npz_of(arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def test_round_trip_keeps_everything(model, blob, tmp_path):
    again = model_from_bytes(blob)
    assert again.fingerprint == model.fingerprint
    assert again.settings == model.settings
    assert again.score_settings["radius_m"] == 250.0 and again.score_settings["weights"]["violence"] == 4.0
    assert list(again.sectors["sector_id"]) == list(model.sectors["sector_id"])
    assert again.sectors["geometry"].iloc[5].equals(model.sectors["geometry"].iloc[5])
    planned, _, _, _ = make_events(20, seed=22, start="2023-02-01", days=20)
    assert again.predict(planned).equals(model.predict(planned))
    (a,) = again.transfer(planned.iloc[:1])
    (b,) = model.transfer(planned.iloc[:1])
    assert a.similar.equals(b.similar)
    path = str(tmp_path / "m.tpmodel")
    save_model(model, path)
    assert load_model(path).fingerprint == model.fingerprint
    assert [p for p in os.listdir(tmp_path) if p.startswith(".model-")] == []


def test_model_info_records_settings_weights_period_and_fingerprint(model, blob):
    info = read_model_info(blob)
    assert info["fingerprint"] == model.fingerprint
    assert info["settings"]["n_trees"] == 12 and info["settings"]["seed"] == 4
    assert info["score_settings"]["weights"]["violence"] == 4.0
    assert info["training_period"]["n_events"] == 300
    assert info["training_period"]["first_start"] == model.training_period[0].isoformat()
    assert info["sklearn_version"]


class Boom:
    """Unpickling this touches a file: proof that code ran."""

    path = ""

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_a_pickle_hidden_in_the_npz_is_refused_and_never_runs(blob, tmp_path):
    flag = tmp_path / "code_ran"
    Boom.path = str(flag)
    meta, npz = members(blob)
    arrays = arrays_of(npz)
    arrays["score"] = np.array([Boom()] * len(arrays["score"]), dtype=object)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # numpy pickles object arrays when saving
    crafted = repack(meta, buf.getvalue())
    with pytest.raises(ModelFileError, match="Python objects"):
        model_from_bytes(crafted)
    assert not flag.exists()


def test_a_plain_pickle_file_is_refused_and_never_runs(tmp_path):
    flag = tmp_path / "code_ran"
    Boom.path = str(flag)
    path = tmp_path / "evil.tpmodel"
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ModelFileError, match="not a zip"):
        load_model(str(path))
    assert not flag.exists()


def test_a_pickle_as_an_extra_member_is_refused(blob, tmp_path):
    meta, npz = members(blob)
    crafted = repack(meta, npz, {"model.pkl": pickle.dumps(Boom())})
    with pytest.raises(ModelFileError, match="members"):
        model_from_bytes(crafted)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda m: m["settings"].update(n_trees="__import__('os').system('true')"), "settings.n_trees: expected a number"),
        (lambda m: m.update(event_ids=[{"__class__": "os.system"}] + m["event_ids"][1:]), r"event_ids\[0\]: expected text"),
        (lambda m: m.update(payload="print('hi')"), "unexpected key"),
        (lambda m: m.pop("fingerprint"), "missing key"),
        (lambda m: m["encoder"]["categories"]["nature"]["codes"].update(concert=[1, 2]), "expected a number"),
        (lambda m: m.update(format="something-else"), "format"),
        (lambda m: m.update(format_version=99), "newer"),
        (lambda m: m.update(settings=True), "expected an object"),
    ],
)
def test_json_with_unexpected_content_is_refused(blob, edit, message):
    meta, npz = members(blob)
    edit(meta)
    with pytest.raises(ModelFileError, match=message):
        model_from_bytes(repack(meta, npz))


def test_json_that_is_not_an_object_or_not_json_is_refused(blob):
    _, npz = members(blob)
    with pytest.raises(ModelFileError, match="expected an object"):
        model_from_bytes(repack("[1, 2, 3]", npz))
    with pytest.raises(ModelFileError, match="not valid JSON"):
        model_from_bytes(repack("{'python': 'literal'}", npz))


def test_an_altered_array_is_refused_by_the_fingerprint(blob):
    meta, npz = members(blob)
    arrays = arrays_of(npz)
    arrays["score"] = arrays["score"] * 2
    with pytest.raises(ModelFileError, match="fingerprint"):
        model_from_bytes(repack(meta, npz_of(arrays)))


def test_an_altered_setting_is_refused_by_the_fingerprint(blob):
    meta, npz = members(blob)
    meta["score_settings"]["weights"]["violence"] = 1.0
    with pytest.raises(ModelFileError, match="fingerprint"):
        model_from_bytes(repack(meta, npz))


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda a: a.update(tree_left=np.where(a["tree_left"] > 0, a["tree_left"] + 10_000, a["tree_left"])), "child outside"),
        (lambda a: a.update(tree_feature=np.where(a["tree_feature"] >= 0, 99, a["tree_feature"])), "feature that does not exist"),
        (lambda a: a.update(leaves=np.zeros_like(a["leaves"])), "not leaves"),
        (lambda a: a.update(X=a["X"][:-1]), "shape"),
        (lambda a: a.update(score=a["score"].astype(np.complex128)), "type"),
        (lambda a: a.update(extra=np.zeros(3)), "unexpected arrays"),
        (lambda a: a.pop("leaves"), "missing"),
        (lambda a: a.update(start_us=a["start_us"][::-1].copy()), "start order"),
    ],
)
def test_inconsistent_arrays_are_refused(blob, edit, message):
    meta, npz = members(blob)
    arrays = arrays_of(npz)
    edit(arrays)
    with pytest.raises(ModelFileError, match=message):
        model_from_bytes(repack(meta, npz_of(arrays)))


def test_garbage_and_wrong_types_are_refused(tmp_path):
    with pytest.raises(ModelFileError):
        model_from_bytes(b"")
    with pytest.raises(ModelFileError):
        model_from_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelFileError, match="bytes"):
        model_from_bytes("a string")
    with pytest.raises(ModelFileError, match="cannot read"):
        load_model(str(tmp_path / "missing.tpmodel"))
