"""Qt6 readiness cannot regress: every Qt name the code uses exists in PyQt6 (QGIS 4).

See tests/qt6_names.py for what is checked and how. PyQt6 comes from PyPI into a cache
outside the repository (the first run downloads it, later runs are offline); on CI
(``CI`` set) a PyQt6 that cannot be had fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from tests import qt6_names


@pytest.fixture(scope="session")
def pyqt6_folder():
    folder, how = qt6_names.ensure_pyqt6()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail(f"PyQt6 is needed for the Qt6 name check and could not be installed: {how}")
        pytest.skip(f"PyQt6 could not be installed (not on CI, so skipped): {how}")
    return str(folder)


def check(source: str, folder: str):
    uses, problems = qt6_names.scan_source(textwrap.dedent(source), "snippet.py")
    bad, report = qt6_names.resolve(uses, folder)
    return {".".join(u.chain) for u, _ in bad}, [p.text for p in problems], report


def test_every_qt_name_of_the_plugin_tests_and_scripts_exists_in_pyqt6(pyqt6_folder):
    uses, problems = qt6_names.scan_tree()
    assert len(uses) > 300  # the scan sees the code (the plugin alone uses several hundred)
    bad, report = qt6_names.resolve(uses, pyqt6_folder)
    print(f"{len(uses)} Qt name uses, {len({(u.module, u.chain) for u in uses})} distinct, checked against "
          f"PyQt {report['pyqt']} / Qt {report['qt']}")
    assert [f"{u}: PyQt6 has no {missing}" for u, missing in bad] == []
    assert [str(p) for p in problems] == []


def test_the_child_sees_pyqt6_and_nothing_of_qgis(pyqt6_folder):
    _, _, report = check("from qgis.PyQt.QtCore import Qt\n", pyqt6_folder)
    assert report["qgis_importable"] is False and report["pyqt5_importable"] is False
    assert report["qt"].startswith("6.")
    assert report["path"][0] == pyqt6_folder


def test_the_checker_catches_qt5_only_spellings(pyqt6_folder):
    bad, problems, _ = check(
        """
        from qgis.PyQt import QtCore
        from qgis.PyQt.QtCore import QRegExp, Qt
        from qgis.PyQt.QtWidgets import QDesktopWidget, QDialog, QHeaderView, QUndoStack

        label.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.Stretch)
        role = QtCore.Qt.UserRole
        if dialog.exec_() == QDialog.Accepted:
            pass
        """,
        pyqt6_folder,
    )
    assert bad == {"Qt.AlignLeft", "Qt.AlignVCenter", "QHeaderView.Stretch", "Qt.UserRole", "QDialog.Accepted",
                   "QRegExp", "QDesktopWidget", "QUndoStack"}
    assert problems == ["exec_(): PyQt6 has only exec()"]


def test_the_checker_accepts_the_qt6_spellings(pyqt6_folder):
    bad, problems, _ = check(
        """
        from qgis.PyQt import QtCore
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtWidgets import QAction, QDialog, QHeaderView, QShortcut

        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        role = QtCore.Qt.ItemDataRole.UserRole
        if dialog.exec() == QDialog.DialogCode.Accepted:
            pass
        """,
        pyqt6_folder,
    )
    assert bad == set() and problems == []


def test_exec_by_name_and_imports_around_qgis_pyqt_are_caught():
    _, problems = qt6_names.scan_source(
        textwrap.dedent(
            """
            from PyQt5.QtCore import Qt
            from qgis.PyQt.Qt import QColor
            monkeypatch.setattr(QDialog, "exec_", lambda self: 1)
            class Dialog(QDialog):
                def exec_(self):
                    return 1
            """
        )
    )
    assert len(problems) == 4


def test_only_compat_marks_lines_qt5_only():
    marked = []
    for folder in qt6_names.SCANNED:
        for path in sorted((qt6_names.ROOT / folder).rglob("*.py")):
            if path.name in ("qt6_names.py", "test_qt6_names.py"):
                continue
            text = path.read_text(encoding="utf-8")
            if qt6_names.QT5_ONLY_MARK in text:
                marked.append(str(path.relative_to(qt6_names.ROOT)))
    assert marked == ["tranquillite_plugin/compat.py"]
