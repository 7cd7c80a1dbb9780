"""The plugin leaves process-wide state alone: GDAL's exception switches and config, warnings filters, logging.

Other plugins share the QGIS process. Each check runs in a fresh interpreter (a test
process has already imported everything), with GDAL's switch off (GDAL 3.x's
default) and on (another plugin called UseExceptions()): the plugin must give the
same results and the same errors either way, and leave the switch as it found it.
"""

from __future__ import annotations

import ast
import json
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "tranquillite_plugin"

CHILD = textwrap.dedent(
    r"""
    import json, logging, os, sys, tempfile, warnings
    from osgeo import gdal, ogr, osr

    mode = sys.argv[1]
    if mode == "on":
        gdal.UseExceptions(); ogr.UseExceptions(); osr.UseExceptions()
    elif mode == "off":
        gdal.DontUseExceptions(); ogr.DontUseExceptions(); osr.DontUseExceptions()

    def state():
        config = gdal.GetConfigOptions() if hasattr(gdal, "GetConfigOptions") else None
        return {
            "exceptions": [gdal.GetUseExceptions(), ogr.GetUseExceptions(), osr.GetUseExceptions()],
            "warnings": [repr(f) for f in warnings.filters],
            "root_logger": [logging.root.level, [repr(h) for h in logging.root.handlers]],
            "config": config,
        }

    # the libraries' own import-time filters (numpy, scipy add some) are theirs: QGIS has them loaded already
    import numpy, pandas, shapely, scipy.sparse, sklearn.ensemble, matplotlib, qgis.core, qgis.gui  # noqa: E401, F401
    before = state()
    import pandas as pd
    import tranquillite_plugin
    import tranquillite_plugin.plugin, tranquillite_plugin.gui.dock, tranquillite_plugin.processing.provider  # noqa: E401
    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.core.score import score_events
    from tranquillite_plugin.store.layer_reader import LayerReadError, list_layers, read_ogr, reproject
    from tranquillite_plugin.store.observatory import Observatory
    from tranquillite_plugin.store.ogr_io import LayerWriteError, write_layers

    out = {}
    folder = tempfile.mkdtemp()
    city = make_demo_city(n_events=30, n_facts=800, years=1, seed=3)
    path = os.path.join(folder, "city.gpkg")
    out["written"] = write_layers(path, city.layers())
    out["layers"] = sorted(list_layers(path))
    facts = read_ogr(path, "facts", points_as_xy=True)
    out["facts_xy_sum"] = round(float(facts.xy.sum()), 3)
    out["wgs84_x0"] = round(float(reproject(facts, "EPSG:4326").xy[0, 0]), 6)
    with Observatory.create(os.path.join(folder, "store.gpkg")) as obs:
        for name, (kind, frame) in city.layers().items():
            obs.import_layer("planned" if name == "planned" else kind, frame)
        events, stored_facts = obs.read("events", status="past"), obs.read("facts")
        result = score_events(events, stored_facts)
        out["score_sum"] = round(float(result.score.sum()), 6)
        obs.write_scores(pd.DataFrame({"event_id": events["event_id"], "score": result.score, "n_facts": result.n_facts}))
    errors = []
    for attempt in (
        lambda: read_ogr(os.path.join(folder, "none.gpkg"), "facts"),
        lambda: read_ogr(path, "no_such_layer"),
        lambda: read_ogr(path, "facts", subset="no_such_field = 1"),
        lambda: write_layers(os.path.join(folder, "nowhere", "x.gpkg"), city.layers()),
        lambda: write_layers(os.path.join(folder, "bad_crs.gpkg"), city.layers(), crs="EPSG:999999"),
    ):
        try:
            attempt()
            errors.append("no error")
        except (LayerReadError, LayerWriteError, RuntimeError) as err:
            errors.append(type(err).__name__)
    out["errors"] = errors
    after = state()
    print(json.dumps({"before": before, "after": after, "out": out}))
    """
)


def run_child(mode: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs():
    return {mode: run_child(mode) for mode in ("default", "off", "on")}


@pytest.mark.parametrize("mode", ["default", "off", "on"])
def test_import_read_score_leave_process_state_as_found(runs, mode):
    run = runs[mode]
    assert run["after"] == run["before"]
    assert run["before"]["exceptions"] == ([1, 1, 1] if mode == "on" else [0, 0, 0])


def test_same_results_and_same_errors_whatever_gdal_exception_switch(runs):
    outs = [runs[m]["out"] for m in ("default", "off", "on")]
    assert outs[0] == outs[1] == outs[2]
    out = outs[0]
    assert out["written"]["facts"] == 800 and "sectors" in out["layers"]
    assert out["score_sum"] > 0
    assert out["errors"] == ["LayerReadError", "LayerReadError", "GdalError", "LayerWriteError", "LayerWriteError"]


FORBIDDEN_CALLS = {"UseExceptions", "DontUseExceptions", "SetConfigOption", "SetErrorHandler", "basicConfig", "simplefilter",
                   "filterwarnings", "resetwarnings"}


def test_no_process_wide_switch_in_the_plugin_source():
    """GDAL switches, config options, error handlers left set, global warnings filters, logging set-up: none.

    ``warnings.filterwarnings`` is allowed inside ``with warnings.catch_warnings():`` (restored on exit);
    ``PushErrorHandler`` only in store/gdal_calls.py, which pops it in a ``finally``.
    """
    offenders = []
    for path in PLUGIN.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scoped = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.With) and any("catch_warnings" in ast.unparse(item.context_expr) for item in node.items):
                scoped.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            where = f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}"
            if name in FORBIDDEN_CALLS and not (name == "filterwarnings" and id(node) in scoped):
                offenders.append(where)
            if name == "PushErrorHandler" and path.name != "gdal_calls.py":
                offenders.append(where)
            if name == "getLogger" and not node.args:  # the root logger
                offenders.append(where)
    assert offenders == []
