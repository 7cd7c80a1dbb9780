"""Regenerates the shipped QML styles (tranquillite_plugin/resources/styles/*.qml)
from the builders of tranquillite_plugin.styles.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_styles.py
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_HASH_SEED"] = "0"  # the same attribute order in every run: no diff without a change


def main() -> int:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from tranquillite_plugin.styles import write_styles

    for path in write_styles():
        print(os.path.relpath(path, ROOT))
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
