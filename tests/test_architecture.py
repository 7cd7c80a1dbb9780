"""The layering of docs/architecture.md, enforced: import-linter's contracts in .importlinter.

core and the pipeline import no QGIS or Qt; processing imports no gui and gui no processing;
store imports neither gui nor processing; report imports no gui; no import cycles between siblings.
"""

import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("importlinter", reason="import-linter is in requirements-dev.txt")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(ROOT, "tranquillite_plugin")


def lint_imports(root: str) -> subprocess.CompletedProcess:
    """Runs lint-imports on the package under ``root`` (its own interpreter, so the graph is fresh)."""
    env = dict(os.environ, PYTHONPATH=root)
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename='.importlinter', no_cache=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_contracts_hold():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "7 kept, 0 broken" in run.stdout


@pytest.mark.parametrize(
    "module, line, contract",
    [
        ("core/footprint.py", "from qgis.core import QgsGeometry", "core is pure Python"),
        ("pipeline/record.py", "from qgis.PyQt.QtCore import QObject", "the pipeline imports no QGIS"),
        ("processing/algorithms/helpers.py", "from tranquillite_plugin.gui import tasks", "processing imports no gui"),
        ("gui/charts.py", "from tranquillite_plugin.processing.algorithms import helpers", "gui imports no processing"),
        ("store/schema.py", "from tranquillite_plugin.processing.algorithms import base", "store imports neither gui nor processing"),
        ("report/sheet.py", "from tranquillite_plugin.gui import charts", "report imports no gui"),
        ("core/contract.py", "from tranquillite_plugin.core import privacy", "no import cycles"),
        ("store/schema.py", "from tranquillite_plugin.store import observatory", "no import cycles"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, contract):
    shutil.copytree(PLUGIN, tmp_path / "tranquillite_plugin", ignore=shutil.ignore_patterns("__pycache__", "resources", "i18n"))
    shutil.copy(os.path.join(ROOT, ".importlinter"), tmp_path / ".importlinter")
    path = tmp_path / "tranquillite_plugin" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _forbidden():\n    {line}\n", encoding="utf-8")
    run = lint_imports(str(tmp_path))
    assert run.returncode != 0, run.stdout
    broken = run.stdout.split("Broken contracts")[-1]
    assert contract in broken and "BROKEN" in run.stdout, run.stdout
