"""Extraction and merge of the plugin's translations (used by update_translations.sh).

    python scripts/i18n_tools.py update [--ts tranquillite_plugin/i18n/tranquillite_fr.ts]
    python scripts/i18n_tools.py fill translations.json   # unfinished entries from a {source: french} file
    python scripts/i18n_tools.py check                     # lists the unfinished / missing strings

Every string the plugin shows goes through ``i18n.tr`` (context "Tranquillite").
pylupdate5 (Debian's pyqt5-dev-tools) finds the ``tr("…")`` / ``self.tr("…")``
calls but files a bare ``tr`` under ``@default`` and ``self.tr`` under the class
name; at run time all of them are translated in the "Tranquillite" context.
``update`` therefore runs pylupdate5 over every .py file of the plugin, adds what
a Python ``ast`` pass finds and pylupdate5 does not (the Processing algorithms'
``DISPLAY``, ``GROUP_DISPLAY`` and ``HELP`` class attributes, which the base
class passes to ``self.tr``; ``QT_TRANSLATE_NOOP("Tranquillite", "…")``
markers), puts everything in the "Tranquillite" context, and keeps the
translations already in the .ts (by source text).  Strings no longer in the
code are dropped.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from typing import Dict, List, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(ROOT, "tranquillite_plugin")
TS = os.path.join(PLUGIN, "i18n", "tranquillite_fr.ts")
CONTEXT = "Tranquillite"
#: class attributes that TranquilliteAlgorithm passes to self.tr
TRANSLATED_ATTRIBUTES = ("DISPLAY", "GROUP_DISPLAY", "HELP")

Locations = Dict[str, List[Tuple[str, int]]]


def python_files(plugin: str = PLUGIN) -> List[str]:
    out = []
    for folder, dirs, files in os.walk(plugin):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        out.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))
    return out


def _string(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def ast_strings(plugin: str = PLUGIN) -> Locations:
    """Source text -> [(file, line)] of every string the plugin translates."""
    found: Locations = {}

    def add(text, path, line):
        if text:
            found.setdefault(text, []).append((os.path.relpath(path, os.path.dirname(TS)), line))

    for path in python_files(plugin):
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
                if name == "tr" and node.args:
                    add(_string(node.args[0]), path, node.lineno)
                elif name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2 and _string(node.args[0]) == CONTEXT:
                    add(_string(node.args[1]), path, node.lineno)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
                        if item.targets[0].id in TRANSLATED_ATTRIBUTES:
                            add(_string(item.value), path, item.lineno)
    return found


def pylupdate_strings(plugin: str = PLUGIN) -> Locations:
    """What pylupdate5 extracts (all contexts), source -> [(file, line)]."""
    exe = shutil.which("pylupdate5")
    if exe is None:
        raise SystemExit("pylupdate5 is missing: apt-get install pyqt5-dev-tools")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "extracted.ts")
        files = python_files(plugin)
        subprocess.run([exe, "-noobsolete", *files, "-ts", out], check=True, capture_output=True)
        messages = read_ts(out, any_context=True)
        found: Locations = {}
        for source, entry in messages.items():
            # pylupdate5 names files relative to the .ts it writes (here, in tmp)
            found[source] = [
                (os.path.relpath(os.path.normpath(os.path.join(tmp, f)), os.path.dirname(TS)), line) for f, line in entry["locations"]
            ]
    return found


def read_ts(path: str, any_context: bool = False) -> Dict[str, dict]:
    """source -> {"translation", "finished", "locations"} of the "Tranquillite" context
    (of every context with ``any_context``)."""
    if not os.path.exists(path):
        return {}
    out: Dict[str, dict] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name")
        if not any_context and name != CONTEXT:
            continue
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            text = (translation.text or "") if translation is not None else ""
            kind = translation.get("type", "") if translation is not None else "unfinished"
            locations = [(loc.get("filename", ""), int(loc.get("line", "0") or 0)) for loc in message.iter("location")]
            entry = out.setdefault(source, {"translation": text, "finished": kind == "" and bool(text), "locations": []})
            entry["locations"].extend(locations)
    return out


def write_ts(path: str, strings: Locations, translations: Dict[str, dict]) -> Tuple[int, int]:
    """Writes the .ts; returns (strings, unfinished)."""
    root = ET.Element("TS", {"version": "2.1", "language": "fr_FR"})
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    unfinished = 0
    for source in sorted(strings, key=lambda s: (s.lower(), s)):
        message = ET.SubElement(context, "message")
        for filename, line in sorted(set(strings[source])):
            ET.SubElement(message, "location", {"filename": filename.replace(os.sep, "/"), "line": str(line)})
        ET.SubElement(message, "source").text = source
        known = translations.get(source)
        translation = ET.SubElement(message, "translation")
        if known and known.get("translation") and known.get("finished", True):
            translation.text = known["translation"]
        else:
            translation.set("type", "unfinished")
            translation.text = (known or {}).get("translation", "") or ""
            unfinished += 1
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    return len(strings), unfinished


def update(ts: str = TS) -> Tuple[int, int]:
    strings = pylupdate_strings()
    for source, locations in ast_strings().items():
        strings.setdefault(source, []).extend(locations)
    return write_ts(ts, strings, read_ts(ts))


def fill(json_path: str, ts: str = TS) -> Tuple[int, int]:
    """Sets the translations of a {source: french} JSON file (the entries must exist)."""
    with open(json_path, encoding="utf-8") as fh:
        new = json.load(fh)
    current = read_ts(ts)
    unknown = [s for s in new if s not in current]
    for source, french in new.items():
        if source in current and french:
            current[source]["translation"] = french
            current[source]["finished"] = True
    strings = {s: e["locations"] for s, e in current.items()}
    if unknown:
        print(f"{len(unknown)} source(s) of {json_path} are not in the code any more (ignored):")
        for s in unknown:
            print("   " + repr(s))
    return write_ts(ts, strings, current)


def unfinished(ts: str = TS) -> List[str]:
    current = read_ts(ts)
    code = set(ast_strings())
    return sorted(s for s in code if s not in current or not current[s]["finished"])


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv else "update"
    if command == "update":
        n, left = update()
        print(f"{os.path.relpath(TS, ROOT)}: {n} strings, {left} unfinished")
    elif command == "fill":
        n, left = fill(argv[0])
        print(f"{os.path.relpath(TS, ROOT)}: {n} strings, {left} unfinished")
    elif command == "check":
        left = unfinished()
        for s in left:
            print(json.dumps(s, ensure_ascii=False))
        print(f"{len(left)} unfinished or missing", file=sys.stderr)
        return 1 if left else 0
    elif command == "dump-unfinished":  # a JSON skeleton to translate
        left = unfinished()
        print(json.dumps({s: "" for s in left}, ensure_ascii=False, indent=1))
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
