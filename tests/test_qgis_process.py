"""The provider works headless through qgis_process, as the README shows."""

import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


def qgis_process(args, home):
    env = dict(os.environ)
    env.update(
        {
            # a fresh profile: nothing of the developer's (or pytest-qgis') QGIS settings leaks in
            "HOME": str(home),
            "QGIS_CUSTOM_CONFIG_PATH": str(home / "qgis-profile"),
            "QGIS_OPTIONS_PATH": str(home / "qgis-profile"),
            "QGIS_PLUGINPATH": ROOT,
            "PYTHONPATH": os.pathsep.join([sysconfig.get_paths()["purelib"], ROOT]),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not os.path.exists(QGIS_PROCESS), reason="qgis_process.bin is not installed")
def test_enable_list_and_score_with_qgis_process(tmp_path):
    sys.path.insert(0, os.path.dirname(__file__))
    from test_processing_score import city

    enabled = qgis_process(["plugins", "enable", "tranquillite_plugin"], tmp_path)
    assert enabled.returncode == 0, enabled.stderr
    listed = qgis_process(["list"], tmp_path)
    assert "tranquillite:scoreevents" in listed.stdout
    path = city(tmp_path, n_events=6, n_facts=300)
    out = tmp_path / "scored.gpkg"
    run = qgis_process(
        ["run", "tranquillite:scoreevents", "--", f"EVENTS={path}|layername=events", f"FACTS={path}|layername=facts",
         "RADIUS=300", "WEIGHTS=violence=4", f"OUTPUT={out}"],
        tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "N_SCORED:\t6" in run.stdout and out.exists()
