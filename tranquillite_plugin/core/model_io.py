"""Saving and loading a trained model without ever executing code (SPEC §6).

Format: a zip holding two members and nothing else,

* ``model.json`` — settings, weights, encoder codes, event ids, natures,
  sectors, training period, library versions, fingerprint; read with
  :func:`json.loads` and then checked key by key against a fixed schema
  (unexpected keys or types are refused);
* ``arrays.npz`` — numeric arrays only (axes matrix, starts, scores, facts by
  category, training leaves, the packed trees, sector geometries as WKB
  bytes), read with ``numpy.load(allow_pickle=False)``: an object array (the
  only way a pickle can hide in a ``.npz``) makes numpy raise, and we refuse
  the file.

No pickle, joblib or ``eval`` anywhere: the trees are plain arrays
(:class:`~tranquillite_plugin.core.forest.PackedForest`), so loading is a
read plus checks (shapes, dtypes, child indices inside their tree, leaves
really leaves) and does not need scikit-learn.  Finally the sha256
fingerprint over the content is recomputed and must match the one recorded,
so a truncated or edited file is refused rather than silently used.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from typing import Any

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.axes import COLUMNS, AxisEncoder
from tranquillite_plugin.core.forest import FORMAT_VERSION, ForestSettings, PackedForest, TransferModel

MEMBERS = ("model.json", "arrays.npz")
MAX_MEMBER_BYTES = 2 * 1024**3  # refuse absurd declared sizes (zip bombs)
FORMAT_NAME = "tranquillite-transfer-model"

#: expected arrays: name -> (dtype kind(s), ndim)
ARRAYS = {
    "X": ("f", 2),
    "start_us": ("i", 1),
    "score": ("f", 1),
    "by_category": ("f", 2),
    "leaves": ("i", 2),
    "column_importances": ("f", 1),
    "tree_feature": ("i", 2),
    "tree_threshold": ("f", 2),
    "tree_left": ("i", 2),
    "tree_right": ("i", 2),
    "tree_value": ("f", 2),
    "tree_n_nodes": ("i", 1),
    "sector_wkb": ("u", 1),
    "sector_wkb_offsets": ("i", 1),
}
#: arrays of a format-2 model with context axes (all four or none)
CONTEXT_ARRAYS = {
    "ctx_bg_cell": ("i", 2),
    "ctx_bg_t": ("i", 1),
    "ctx_weather_day": ("i", 1),
    "ctx_weather": ("f", 2),
}
_DTYPES = {
    "ctx_bg_cell": np.int64,
    "ctx_bg_t": np.int64,
    "ctx_weather_day": np.int64,
    "ctx_weather": np.float64,
    "X": np.float64,
    "start_us": np.int64,
    "score": np.float64,
    "by_category": np.float64,
    "leaves": np.int32,
    "column_importances": np.float64,
    "tree_feature": np.int32,
    "tree_threshold": np.float64,
    "tree_left": np.int32,
    "tree_right": np.int32,
    "tree_value": np.float64,
    "tree_n_nodes": np.int32,
    "sector_wkb": np.uint8,
    "sector_wkb_offsets": np.int64,
}


#: integer arrays written in 16 bits when their values fit (read back in their _DTYPES)
_NARROW = ("leaves", "tree_feature", "tree_left", "tree_right")


class ModelFileError(ValueError):
    """The file is not a model this plugin wrote, or it was altered."""


# --- writing -------------------------------------------------------------------------


def model_to_bytes(model: TransferModel) -> bytes:
    """The model as bytes (a zip of ``model.json`` and ``arrays.npz``)."""
    meta, arrays = model.state()
    meta["fingerprint"] = model.fingerprint or model.compute_fingerprint()
    for name in _NARROW:  # node ids fit 16 bits in practice: half the bytes to compress
        a = arrays[name]
        if a.size and a.min() >= -32768 and a.max() <= 32767:
            arrays[name] = a.astype(np.int16)
    buf_npz = io.BytesIO()
    np.savez_compressed(buf_npz, **arrays)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("model.json", json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True))
        z.writestr("arrays.npz", buf_npz.getvalue(), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def save_model(model: TransferModel, path: str) -> None:
    """Writes the model to ``path`` atomically (a crash leaves the old file)."""
    data = model_to_bytes(model)
    folder = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".model-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --- reading -------------------------------------------------------------------------


def load_model(path: str) -> TransferModel:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise ModelFileError(f"cannot read model file '{path}': {exc}") from exc
    try:
        return model_from_bytes(data)
    except ModelFileError as exc:
        raise ModelFileError(f"model file '{path}': {exc}") from None


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ModelFileError(f"a model is bytes, not {type(data).__name__}")
    try:
        z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except zipfile.BadZipFile as exc:
        raise ModelFileError("not a model file (not a zip archive)") from exc
    names = sorted(i.filename for i in z.infolist())
    if names != sorted(MEMBERS):
        raise ModelFileError(f"not a model file: members {names}, expected {list(MEMBERS)}")
    for info in z.infolist():
        if info.file_size > MAX_MEMBER_BYTES:
            raise ModelFileError(f"member '{info.filename}' is too large ({info.file_size} bytes)")
    return z


def read_model_info(data: bytes) -> dict:
    """The metadata of a model (settings, period, fingerprint), without its arrays."""
    z = _open_zip(data)
    meta = _read_meta(z.read("model.json"))
    return {k: meta[k] for k in meta if k not in ("event_ids", "natures", "sectors_of_events")}


def model_from_bytes(data: bytes) -> TransferModel:
    """Rebuilds a model from :func:`model_to_bytes` output; refuses anything else."""
    z = _open_zip(data)
    meta = _read_meta(z.read("model.json"))
    arrays = _read_arrays(z.read("arrays.npz"))
    model = _build(meta, arrays)
    fp = model.compute_fingerprint()
    if fp != meta["fingerprint"]:
        raise ModelFileError(
            "fingerprint mismatch: the file was altered or corrupted "
            f"(recorded {meta['fingerprint'][:12]}…, content {fp[:12]}…)"
        )
    model.fingerprint = fp
    return model


# --- schema checks ---------------------------------------------------------------------


def _fail(where: str, what: str):
    raise ModelFileError(f"{where}: {what}")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_str(v, where):
    if not isinstance(v, str):
        _fail(where, f"expected text, found {type(v).__name__}")
    return v


def _check_num(v, where):
    if not _is_number(v):
        _fail(where, f"expected a number, found {type(v).__name__}")
    return v


def _check_int(v, where):
    if isinstance(v, bool) or not isinstance(v, int):
        _fail(where, f"expected a whole number, found {type(v).__name__}")
    return v


def _check_list(v, where, item):
    if not isinstance(v, list):
        _fail(where, f"expected a list, found {type(v).__name__}")
    for i, x in enumerate(v):
        item(x, f"{where}[{i}]")
    return v


def _check_dict(v, where, value, keys=None):
    if not isinstance(v, dict):
        _fail(where, f"expected an object, found {type(v).__name__}")
    for k, x in v.items():
        _check_str(k, f"{where} key")
        if keys is not None and k not in keys:
            _fail(where, f"unexpected key '{k}'")
        value(x, f"{where}.{k}")
    return v


def _check_category_codes(v, where):
    _check_dict(v, where, lambda x, w: None, keys={"codes", "unseen", "means", "counts"})
    for k in ("codes", "unseen"):
        if k not in v:
            _fail(where, f"missing '{k}'")
    _check_dict(v["codes"], f"{where}.codes", _check_num)
    _check_num(v["unseen"], f"{where}.unseen")
    _check_dict(v.get("means", {}), f"{where}.means", _check_num)
    _check_dict(v.get("counts", {}), f"{where}.counts", _check_int)


def _check_encoder(v, where):
    _check_dict(v, where, lambda x, w: None, keys={"smoothing", "categories", "context", "fill"})
    _check_num(v.get("smoothing", 10.0), f"{where}.smoothing")
    _check_dict(v.get("categories"), f"{where}.categories", _check_category_codes)
    _check_list(v.get("context", []), f"{where}.context", _check_str)
    _check_dict(v.get("fill", {}), f"{where}.fill", _check_num)


def _check_bool(v, where):
    if not isinstance(v, bool):
        _fail(where, f"expected true or false, found {type(v).__name__}")
    return v


#: settings that are not numbers (format 2); every other setting is a number
_SETTING_CHECKS = {
    "averaging": _check_str,
    "context": lambda v, w: _check_list(v, w, _check_str),
    "calibrate": _check_bool,
}


def _check_settings(v, where):
    _check_dict(v, where, lambda x, w: None)
    for k, x in v.items():
        _SETTING_CHECKS.get(k, _check_num)(x, f"{where}.{k}")


def _check_json(v, where, depth=0):
    """Plain JSON data only (objects, lists, text, numbers, booleans, null), at most 6 levels deep."""
    if depth > 6:
        _fail(where, "nested too deep")
    if isinstance(v, dict):
        for k, x in v.items():
            _check_str(k, f"{where} key")
            _check_json(x, f"{where}.{k}", depth + 1)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _check_json(x, f"{where}[{i}]", depth + 1)
    elif not (v is None or isinstance(v, (str, bool, int, float))):
        _fail(where, f"unexpected {type(v).__name__}")


def _check_score_settings(v, where):
    def value(x, w):
        if w.endswith(".weights"):
            _check_dict(x, w, _check_num)
        else:
            _check_num(x, w)

    _check_dict(v, where, value)


def _check_period(v, where):
    _check_dict(v, where, lambda x, w: None, keys={"first_start", "last_start", "n_events"})
    _check_str(v.get("first_start"), f"{where}.first_start")
    _check_str(v.get("last_start"), f"{where}.last_start")
    _check_int(v.get("n_events"), f"{where}.n_events")


_META_SCHEMA = {
    "format": _check_str,
    "format_version": _check_int,
    "settings": _check_settings,
    "score_settings": _check_score_settings,
    "encoder": _check_encoder,
    "columns": lambda v, w: _check_list(v, w, _check_str),
    "categories": lambda v, w: _check_list(v, w, _check_str),
    "event_ids": lambda v, w: _check_list(v, w, _check_str),
    "natures": lambda v, w: _check_list(v, w, _check_str),
    "sectors_of_events": lambda v, w: _check_list(v, w, _check_str),
    "sector_ids": lambda v, w: _check_list(v, w, _check_str),
    "sector_names": lambda v, w: _check_list(v, w, _check_str),
    "training_period": _check_period,
    "sklearn_version": _check_str,
    "created_at": _check_str,
    "crs": _check_str,
    "fingerprint": _check_str,
}
#: keys of a format-2 model beyond the published method (all four or none)
_META_V2 = {
    "configuration": _check_str,
    "calibration": lambda v, w: _check_dict(v, w, lambda x, ww: _check_json(x, ww)),
    "selection": lambda v, w: _check_dict(v, w, lambda x, ww: _check_json(x, ww)),
    "context_source": lambda v, w: _check_dict(v, w, lambda x, ww: _check_json(x, ww)),
}


def _read_meta(raw: bytes) -> dict:
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"model.json is not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        _fail("model.json", "expected an object at the top")
    schema = dict(_META_SCHEMA)
    if any(k in meta for k in _META_V2):
        schema.update(_META_V2)
    unexpected = sorted(set(meta) - set(schema))
    if unexpected:
        _fail("model.json", f"unexpected key(s) {', '.join(map(repr, unexpected))}")
    missing = sorted(set(schema) - set(meta))
    if missing:
        _fail("model.json", f"missing key(s) {', '.join(missing)}")
    for key, check in schema.items():
        check(meta[key], f"model.json {key}")
    if meta["format"] != FORMAT_NAME:
        _fail("model.json", f"format '{meta['format']}' is not '{FORMAT_NAME}'")
    if meta["format_version"] > FORMAT_VERSION:
        _fail("model.json", f"format version {meta['format_version']} is newer than this plugin's ({FORMAT_VERSION}): update the plugin")
    try:
        expected = list(AxisEncoder.from_dict(meta["encoder"]).columns)
    except (TypeError, ValueError, KeyError) as exc:
        raise ModelFileError(f"model.json encoder: {exc}") from None
    if meta["columns"] != expected or meta["columns"][: len(COLUMNS)] != list(COLUMNS):
        _fail("model.json", f"axes {meta['columns']} differ from this plugin's {expected}")
    return meta


def _read_arrays(raw: bytes) -> dict:
    try:
        npz = np.load(io.BytesIO(raw), allow_pickle=False)
    except Exception as exc:  # noqa: BLE001 - any failure to parse is a refusal
        raise ModelFileError(f"arrays.npz cannot be read ({exc})") from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise ModelFileError("arrays.npz is not an .npz archive")
    with npz:
        names = set(npz.files)
        expected = dict(ARRAYS)
        if names & set(CONTEXT_ARRAYS):
            expected.update(CONTEXT_ARRAYS)
        if names != set(expected):
            extra = sorted(names - set(expected))
            lack = sorted(set(expected) - names)
            raise ModelFileError(f"arrays.npz: unexpected arrays {extra}, missing {lack}")
        for info in npz.zip.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                raise ModelFileError(f"arrays.npz: array '{info.filename}' is too large")
        out = {}
        for name, (kinds, ndim) in expected.items():
            try:
                a = npz[name]
            except ValueError as exc:  # object arrays need pickle: refused
                raise ModelFileError(f"arrays.npz: array '{name}' holds Python objects, refused ({exc})") from None
            except Exception as exc:  # noqa: BLE001
                raise ModelFileError(f"arrays.npz: array '{name}' cannot be read ({exc})") from None
            if a.dtype.kind not in kinds or a.dtype.hasobject:
                raise ModelFileError(f"arrays.npz: array '{name}' has type {a.dtype}, expected kind {kinds!r}")
            if a.ndim != ndim:
                raise ModelFileError(f"arrays.npz: array '{name}' has {a.ndim} dimensions, expected {ndim}")
            out[name] = a.astype(_DTYPES[name], copy=False)
    return out


def _build(meta: dict, arrays: dict) -> TransferModel:
    n = len(meta["event_ids"])
    d = len(meta["columns"])
    ncat = len(meta["categories"])
    expect = {
        "X": (n, d),
        "start_us": (n,),
        "score": (n,),
        "by_category": (n, ncat),
        "column_importances": (d,),
    }
    for name, shape in expect.items():
        if arrays[name].shape != shape:
            _fail("arrays.npz", f"array '{name}' has shape {arrays[name].shape}, expected {shape}")
    if n == 0:
        _fail("model", "no past event")
    if len(meta["natures"]) != n or len(meta["sectors_of_events"]) != n:
        _fail("model.json", "natures/sectors do not match the events")
    if len(set(meta["event_ids"])) != n:
        _fail("model.json", "duplicate event ids")
    if (np.diff(arrays["start_us"]) < 0).any():
        _fail("arrays.npz", "past events are not in start order")
    for name in ("X", "score", "by_category", "column_importances"):
        if not np.isfinite(arrays[name]).all():
            _fail("arrays.npz", f"array '{name}' holds non-finite values")
    try:
        settings = ForestSettings.from_dict(meta["settings"])
        encoder = AxisEncoder.from_dict(meta["encoder"])
    except (TypeError, ValueError, KeyError) as exc:
        raise ModelFileError(f"model.json settings: {exc}") from None
    forest = PackedForest(
        arrays["tree_feature"], arrays["tree_threshold"], arrays["tree_left"], arrays["tree_right"], arrays["tree_value"], arrays["tree_n_nodes"]
    )
    try:
        forest.check(d)
    except ValueError as exc:
        raise ModelFileError(f"arrays.npz trees: {exc}") from None
    if forest.n_trees != settings.n_trees:
        _fail("model", f"{forest.n_trees} trees stored, settings say {settings.n_trees}")
    leaves = arrays["leaves"]
    if leaves.shape != (n, forest.n_trees):
        _fail("arrays.npz", f"array 'leaves' has shape {leaves.shape}, expected {(n, forest.n_trees)}")
    T = np.arange(forest.n_trees)[None, :]
    if (leaves < 0).any() or (leaves >= forest.n_nodes[None, :]).any() or (forest.left[T, leaves] != -1).any():
        _fail("arrays.npz", "array 'leaves' names nodes that are not leaves")
    sectors = _sectors(meta, arrays)
    if ("configuration" in meta) != ("ctx_bg_t" in arrays):
        _fail("model", "the context arrays and the format-2 metadata do not go together")
    calibration = None
    source = None
    configuration = ""
    selection = None
    if "configuration" in meta:
        configuration = meta["configuration"]
        selection = meta["selection"] or None
        if meta["calibration"]:
            from tranquillite_plugin.core.calibration import ConformalBand

            try:
                calibration = ConformalBand.from_dict(meta["calibration"])
            except (TypeError, ValueError, KeyError) as exc:
                raise ModelFileError(f"model.json calibration: {exc}") from None
        source = _context_source(meta["context_source"], arrays, encoder.context)
    if settings.calibrate and calibration is None:
        _fail("model", "the settings say the band is calibrated, but the file holds no calibration")
    return TransferModel(
        settings=settings,
        score_settings=meta["score_settings"],
        encoder=encoder,
        forest=forest,
        X=arrays["X"],
        event_id=np.array(meta["event_ids"], dtype=object),
        nature=np.array(meta["natures"], dtype=object),
        sector=np.array(meta["sectors_of_events"], dtype=object),
        start_us=arrays["start_us"],
        score=arrays["score"],
        by_category=arrays["by_category"],
        categories=list(meta["categories"]),
        leaves=leaves,
        column_importances=arrays["column_importances"],
        sectors=sectors,
        sklearn_version=meta["sklearn_version"],
        created_at=meta["created_at"],
        crs=meta["crs"],
        fingerprint=meta["fingerprint"],
        context_source=source,
        calibration=calibration,
        selection=selection,
        configuration=configuration,
    )


def _context_source(info: dict, arrays: dict, context):
    from tranquillite_plugin.core.context import BackgroundFacts, ContextSource, WeatherTable, hour_of_week

    if not context:
        return None
    try:
        weeks = float(info.get("weeks", 52.0))
        bg = None
        cell, t = arrays["ctx_bg_cell"], arrays["ctx_bg_t"]
        if info.get("has_background"):
            if cell.shape != (len(t), 2):
                _fail("arrays.npz", "background cells and times differ in length")
            cell_m = float(info["cell_m"])
            if not (np.isfinite(cell_m) and cell_m > 0):
                _fail("model.json", "context cell size must be > 0")
            bg = BackgroundFacts(cell[:, 0], cell[:, 1], t, hour_of_week(t * 1_000_000), cell_m, int(info["known_from_s"]), int(info["known_to_s"]))
        elif "background" in context:
            _fail("model", "the background axis is used but the file holds no background facts")
        wt = None
        day, values = arrays["ctx_weather_day"], arrays["ctx_weather"]
        if info.get("has_weather"):
            if values.shape != (len(day), 3) or (np.diff(day) <= 0).any():
                _fail("arrays.npz", "weather days and values are not consistent")
            wt = WeatherTable(day, values[:, 0], values[:, 1], values[:, 2])
        return ContextSource(bg, wt, weeks=weeks)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"model.json context_source: {exc}") from None


def _sectors(meta: dict, arrays: dict):
    ids = meta["sector_ids"]
    names = meta["sector_names"]
    wkb = arrays["sector_wkb"]
    off = arrays["sector_wkb_offsets"]
    if len(names) != len(ids) or off.shape != (len(ids) + 1,):
        _fail("model", "sector ids, names and geometries do not match")
    if not ids:
        return None
    if off[0] != 0 or (np.diff(off) < 0).any() or off[-1] != len(wkb):
        _fail("arrays.npz", "sector geometry offsets are inconsistent")
    blobs = [wkb[off[i] : off[i + 1]].tobytes() for i in range(len(ids))]
    try:
        geoms = shapely.from_wkb(np.array(blobs, dtype=object))
    except Exception as exc:  # noqa: BLE001 - GEOS parse error
        raise ModelFileError(f"arrays.npz: sector geometry cannot be read ({exc})") from None
    return pd.DataFrame({"sector_id": ids, "name": names, "geometry": geoms})
