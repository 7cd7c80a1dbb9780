"""The French translation is complete: every tr() string of the plugin has a finished
French entry in i18n/tranquillite_fr.ts, with the same placeholders, and the
compiled translator answers in French.

When this fails, run ``bash scripts/update_translations.sh`` and translate what it
lists (the message below lists exactly the strings missing or unfinished).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(ROOT, "tranquillite_plugin")
TS = os.path.join(PLUGIN, "i18n", "tranquillite_fr.ts")
CONTEXT = "Tranquillite"
ALGORITHM_ATTRIBUTES = ("DISPLAY", "GROUP_DISPLAY", "HELP")  # passed to self.tr by the algorithms' base


def code_strings():
    """{source text: "file:line"} of every literal the plugin translates."""
    found = {}
    for folder, dirs, files in os.walk(PLUGIN):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as fh:
                tree = ast.parse(fh.read(), path)
            where = os.path.relpath(path, ROOT)

            def literal(node):
                return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

            for node in ast.walk(tree):
                text = None
                if isinstance(node, ast.Call):
                    func = node.func
                    fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                    if fname == "tr" and node.args:
                        text = literal(node.args[0])
                    elif fname in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2 and literal(node.args[0]) == CONTEXT:
                        text = literal(node.args[1])
                elif isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if (
                            isinstance(item, ast.Assign)
                            and len(item.targets) == 1
                            and isinstance(item.targets[0], ast.Name)
                            and item.targets[0].id in ALGORITHM_ATTRIBUTES
                            and literal(item.value)
                        ):
                            found.setdefault(literal(item.value), f"{where}:{item.lineno}")
                if text:
                    found.setdefault(text, f"{where}:{node.lineno}")
    return found


def ts_entries():
    """{source: (translation, finished)} of the Tranquillite context."""
    out = {}
    root = ET.parse(TS).getroot()
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            text = (translation.text or "") if translation is not None else ""
            finished = translation is not None and translation.get("type") not in ("unfinished", "vanished", "obsolete")
            out[message.findtext("source") or ""] = (text, finished and bool(text.strip()))
    return out


def test_the_code_has_strings_to_translate():
    strings = code_strings()
    assert "Score events" in strings  # the Processing algorithm's DISPLAY
    assert len(strings) > 100


def test_every_tr_string_has_a_finished_french_translation():
    assert os.path.exists(TS), "i18n/tranquillite_fr.ts is missing: run bash scripts/update_translations.sh"
    entries = ts_entries()
    missing, unfinished = [], []
    for text, where in sorted(code_strings().items(), key=lambda kv: kv[1]):
        if text not in entries:
            missing.append(f"  {where}: {text!r}")
        elif not entries[text][1]:
            unfinished.append(f"  {where}: {text!r}")
    message = []
    if missing:
        message.append(f"{len(missing)} string(s) not in {os.path.relpath(TS, ROOT)}:\n" + "\n".join(missing))
    if unfinished:
        message.append(f"{len(unfinished)} string(s) not translated yet:\n" + "\n".join(unfinished))
    if message:
        message.append("Run: bash scripts/update_translations.sh, then translate them.")
    assert not message, "\n".join(message)


PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_translations_keep_placeholders_and_markup():
    """A translation that loses a {} or a <b> breaks .format() or the dock's text."""
    wrong = []
    for source, (text, finished) in ts_entries().items():
        if not finished:
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            wrong.append(f"  placeholders differ: {source!r} -> {text!r}")
        if sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
            wrong.append(f"  markup differs: {source!r} -> {text!r}")
        if source.count("%") != text.count("%") and "%Y" in source:
            wrong.append(f"  date format differs: {source!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(shutil.which("lrelease") is None and not os.path.exists("/usr/lib/qt5/bin/lrelease"), reason="lrelease is missing")
def test_with_the_french_translator_tr_speaks_french(tmp_path, qgis_app):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from tranquillite_plugin import i18n

    lrelease = shutil.which("lrelease") or "/usr/lib/qt5/bin/lrelease"
    qm = tmp_path / "tranquillite_fr.qm"
    subprocess.run([lrelease, "-silent", TS, "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert i18n.tr("Score events") == "Score events"  # English without a translator
    QCoreApplication.installTranslator(translator)
    try:
        assert i18n.tr("Score events") == "Scorer les événements"
        assert i18n.tr("Traffic axes") == "Axes de circulation"
        assert i18n.tr("{} participants").format(3) == "3 participants"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert i18n.tr("Score events") == "Score events"


def test_install_translator_loads_the_compiled_french(qgis_app):
    """What the plugin does at start in a French QGIS (the .qm comes from `make translations`)."""
    from tranquillite_plugin import i18n

    qm = os.path.join(PLUGIN, "i18n", "tranquillite_fr.qm")
    if not os.path.exists(qm) or os.path.getmtime(qm) < os.path.getmtime(TS):
        pytest.skip("tranquillite_fr.qm is missing or older than the .ts: run `make translations`")
    assert i18n.install_translator("fr")
    try:
        assert i18n.tr("Score events") == "Scorer les événements"
    finally:
        i18n.remove_translator()
    assert not i18n.install_translator("xx")  # no such language: English stays


@pytest.mark.skipif(shutil.which("lrelease") is None and not os.path.exists("/usr/lib/qt5/bin/lrelease"), reason="lrelease is missing")
def test_styled_legends_speak_the_users_language(tmp_path, qgis_app):
    """The shipped QML holds English labels; apply_style relabels in the current language."""
    from qgis.core import QgsVectorLayer
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from tranquillite_plugin.styles import apply_style

    lrelease = shutil.which("lrelease") or "/usr/lib/qt5/bin/lrelease"
    qm = tmp_path / "tranquillite_fr.qm"
    subprocess.run([lrelease, "-silent", TS, "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        facts = QgsVectorLayer("Point?crs=EPSG:2154&field=category:string&field=occurred_at:datetime", "f", "memory")
        apply_style(facts, "facts")
        labels = {c.value(): c.label() for c in facts.renderer().categories()}
        axes = QgsVectorLayer("LineString?crs=EPSG:2154&field=status:string", "a", "memory")
        apply_style(axes, "axes")
        statuses = {c.value(): c.label() for c in axes.renderer().categories()}
    finally:
        QCoreApplication.removeTranslator(translator)
    assert labels["vol"] == "Vol" and labels["main_courante"] == "Main courante"
    assert statuses["sature"] == "Saturé" and statuses["ferme"] == "Fermé"
