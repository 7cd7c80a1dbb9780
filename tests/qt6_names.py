"""The Qt6 name checker: every Qt name the code uses must exist in PyQt6.

QGIS 4 is Qt6 only and Debian packages no QGIS 4, so the check runs against the
PyQt6 wheels from PyPI, imported in a child process that sees nothing but them
(no QGIS, no PyQt5). What it checks, with ``ast``:

- every ``Class.member...`` chain on a name imported from ``qgis.PyQt.*``
  (``Qt.AlignmentFlag.AlignLeft``, ``QtCore.Qt.ItemDataRole.UserRole``,
  ``QDialog.DialogCode.Accepted``), and every imported name itself: Qt5-only
  spellings and classes (``Qt.AlignLeft``, ``QRegExp``, ``QDesktopWidget``) do
  not resolve;
- ``exec_`` (PyQt6 has only ``exec``), imports that bypass ``qgis.PyQt``
  (``PyQt5``, ``PyQt6``) and ``qgis.PyQt.Qt`` (gone in PyQt6).

QAction, QActionGroup and QShortcut moved from QtWidgets to QtGui in Qt6; QGIS
keeps them importable from ``qgis.PyQt.QtWidgets`` (qgis/QGIS#55658, #57467),
which QGIS 3.22 needs, so those imports are resolved in QtGui.

A line marked ``# qt5-only`` is not checked: compat.py's branch for Qt5 QGIS only.

``python -m tests.qt6_names --install`` fills the wheel cache (for a make target).
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

PYQT6_REQUIREMENT = "PyQt6==6.11.0"
#: imported from qgis.PyQt.QtWidgets, found in PyQt6.QtGui under QGIS 4
QGIS_WIDGETS_FROM_GUI = {"QAction", "QActionGroup", "QShortcut"}
QT5_ONLY_MARK = "# qt5-only"
ROOT = pathlib.Path(__file__).resolve().parents[1]
SCANNED = ("tranquillite_plugin", "tests", "scripts", "benchmarks")


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    module: str  # QtCore, QtGui, ...
    chain: Tuple[str, ...]  # ("Qt", "AlignmentFlag", "AlignLeft")

    def __str__(self) -> str:
        return f"{self.path}:{self.line} qgis.PyQt.{self.module}.{'.'.join(self.chain)}"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.text}"


def scan_source(source: str, path: str = "<source>") -> Tuple[List[Use], List[Problem]]:
    """The Qt names used in ``source`` and the Qt6 problems seen without PyQt6."""
    tree = ast.parse(source, filename=path)
    lines = source.splitlines()
    uses: List[Use] = []
    problems: List[Problem] = []
    bound: Dict[str, Tuple[str, Tuple[str, ...]]] = {}  # local name -> (module, chain prefix)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module
            if mod.split(".")[0] in ("PyQt5", "PyQt6", "PySide2", "PySide6"):
                problems.append(Problem(path, node.lineno, f"import from {mod}: import through qgis.PyQt"))
            elif mod == "qgis.PyQt.Qt":
                problems.append(Problem(path, node.lineno, "qgis.PyQt.Qt does not exist in PyQt6: import from qgis.PyQt.QtCore etc."))
            elif mod == "qgis.PyQt":
                for a in node.names:
                    if a.name.startswith("Qt"):
                        bound[a.asname or a.name] = (a.name, ())
            elif mod.startswith("qgis.PyQt."):
                qt_module = mod.split(".")[2]
                for a in node.names:
                    if a.name == "*":
                        problems.append(Problem(path, node.lineno, f"star import from {mod}: names cannot be checked"))
                        continue
                    bound[a.asname or a.name] = (qt_module, (a.name,))
                    uses.append(Use(path, node.lineno, qt_module, (a.name,)))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in ("PyQt5", "PyQt6", "PySide2", "PySide6"):
                    problems.append(Problem(path, node.lineno, f"import {a.name}: import through qgis.PyQt"))
                elif a.name.startswith("qgis.PyQt.") and a.asname:
                    bound[a.asname] = (a.name.split(".")[2], ())
        elif isinstance(node, ast.FunctionDef) and node.name == "exec_":
            problems.append(Problem(path, node.lineno, "def exec_: PyQt6 calls exec"))
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "exec_":
            problems.append(Problem(path, node.lineno, "exec_(): PyQt6 has only exec()"))
        if isinstance(node, ast.Call) and _called_name(node) in ("setattr", "getattr", "hasattr") and len(node.args) >= 2:
            arg = node.args[1]
            if isinstance(arg, ast.Constant) and arg.value == "exec_":
                problems.append(Problem(path, node.lineno, "'exec_' by name: PyQt6 has only exec"))
        if not isinstance(node, ast.Attribute) or isinstance(parents.get(node), ast.Attribute):
            continue
        attrs = []
        base = node
        while isinstance(base, ast.Attribute):
            attrs.append(base.attr)
            base = base.value
        attrs.reverse()
        if isinstance(base, ast.Name) and base.id in bound:
            qt_module, prefix = bound[base.id]
            uses.append(Use(path, node.lineno, qt_module, prefix + tuple(attrs)))  # prefix () for a module: QtCore.Qt.X
        elif isinstance(base, ast.Name) and base.id == "qgis" and attrs[:1] == ["PyQt"] and len(attrs) >= 3:
            uses.append(Use(path, node.lineno, attrs[1], tuple(attrs[2:])))
    # a line marked "# qt5-only" runs on Qt5 QGIS only (compat.py's branches for QGIS 3.22)
    uses = [u for u in uses if QT5_ONLY_MARK not in lines[u.line - 1]]
    return uses, problems


def _called_name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def scan_tree(root: pathlib.Path = ROOT, folders: Iterable[str] = SCANNED) -> Tuple[List[Use], List[Problem]]:
    uses: List[Use] = []
    problems: List[Problem] = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            u, p = scan_source(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
            uses += u
            problems += p
    return uses, problems


# --- resolving in PyQt6, in a child process ---------------------------------------------

_CHILD = r"""
import importlib, json, sys
folder = sys.argv[1]
sys.path.insert(0, folder)
gui_moved = set(json.loads(sys.argv[2]))
request = json.load(sys.stdin)
missing = {}
for module, chain in request:
    try:
        obj = importlib.import_module("PyQt6." + module)
    except ImportError as err:
        missing["|".join([module] + chain)] = f"no module PyQt6.{module} ({err})"
        continue
    if module == "QtWidgets" and chain and chain[0] in gui_moved and not hasattr(obj, chain[0]):
        obj = importlib.import_module("PyQt6.QtGui")
    for i, name in enumerate(chain):
        if not hasattr(obj, name):
            missing["|".join([module] + chain)] = ".".join(chain[: i + 1])
            break
        obj = getattr(obj, name)
def importable(name):
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False
import PyQt6.QtCore
print(json.dumps({"missing": missing, "qt": PyQt6.QtCore.QT_VERSION_STR, "pyqt": PyQt6.QtCore.PYQT_VERSION_STR,
                  "qgis_importable": importable("qgis"), "pyqt5_importable": importable("PyQt5"), "path": sys.path}))
"""


def child_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS", "QT_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def resolve(uses: Iterable[Use], folder: str) -> Tuple[List[Tuple[Use, str]], dict]:
    """The uses whose name PyQt6 lacks (with the first missing part), and the child's report."""
    uses = list(uses)
    keys = sorted({(u.module, u.chain) for u in uses})
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _CHILD, folder, json.dumps(sorted(QGIS_WIDGETS_FROM_GUI))],
        input=json.dumps([[m, list(c)] for m, c in keys]),
        capture_output=True, text=True, env=child_env(), timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the PyQt6 child failed: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    bad = [(u, report["missing"]["|".join((u.module,) + u.chain)]) for u in uses if "|".join((u.module,) + u.chain) in report["missing"]]
    return bad, report


# --- the wheel cache -------------------------------------------------------------------


def cache_folder() -> pathlib.Path:
    """Where PyQt6 is installed for this Python (PyQt6-sip is built per Python version)."""
    explicit = os.environ.get("TRANQUILLITE_PYQT6_DIR")
    if explicit:
        return pathlib.Path(explicit)
    base = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "tranquillite"
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    return base / f"pyqt6-{PYQT6_REQUIREMENT.split('==')[1]}-{tag}"


def ensure_pyqt6(timeout: float = 900) -> Tuple[Optional[pathlib.Path], str]:
    """The folder holding PyQt6, installed from PyPI on first use; (None, why) when it cannot be had."""
    folder = cache_folder()
    done = folder / ".complete"
    if done.exists():
        return folder, "cached"
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _lock(folder.parent / (folder.name + ".lock")):
        if done.exists():
            return folder, "cached"
        tmp = folder.parent / (folder.name + f".tmp{os.getpid()}")
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-warn-script-location",
               "--target", str(tmp), PYQT6_REQUIREMENT]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as err:
            shutil.rmtree(tmp, ignore_errors=True)
            return None, f"{' '.join(cmd)}: {err}"
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            return None, f"{' '.join(cmd)} failed: {(proc.stderr or proc.stdout)[-1500:]}"
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
        done.write_text(PYQT6_REQUIREMENT + "\n")
    return folder, "installed"


@contextlib.contextmanager
def _lock(path: pathlib.Path):
    import fcntl

    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


if __name__ == "__main__":
    if "--install" in sys.argv:
        where, how = ensure_pyqt6()
        print(where if where else how)
        sys.exit(0 if where else 1)
    found, issues = scan_tree()
    if "--scan" in sys.argv:
        print("\n".join(str(p) for p in issues))
        print(f"{len(found)} Qt name uses")
