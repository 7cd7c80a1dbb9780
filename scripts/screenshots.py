"""``make screenshots``: the pictures of docs/screenshots, rendered under Xvfb.

    xvfb-run -a env QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py docs/screenshots

Writes
    demo_map.png          the styled demo city (sectors, axes, cameras, events, facts)
    demo_map_detail.png   the city centre, where the cameras' coverage and the pictograms read
    event_sheet.png       page 1 of the event sheet of a planned event
    window_results.png, dock_*.png
                          the plugin's dock with a drawn event and its results, and each tab
                          (tranquillite_plugin.gui.screenshots, when the docks exist)

Every step says what it wrote; a step that cannot run says why and the others go on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SMALL = dict(n_events=600, n_facts=60_000, years=3, seed=0)


def start_qgis():
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], True)
    app.initQgis()
    return app


def build_demo(folder: str) -> dict:
    """The demo observatory, its scored events and a model, through the core."""
    import json

    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.core.forest import train_model
    from tranquillite_plugin.core.model_io import save_model
    from tranquillite_plugin.core.score import ScoreSettings, score_events
    from tranquillite_plugin.store.ogr_io import write_layer, write_layers

    city = make_demo_city(**SMALL)
    gpkg = os.path.join(folder, "demo_observatory.gpkg")
    kinds = {"sectors": "sectors", "axes": "axes", "cameras": "cameras", "events": "events", "facts": "facts", "planned": "events"}
    write_layers(gpkg, {name: (kind, getattr(city, name)) for name, kind in kinds.items()}, city.crs)
    result = score_events(city.events, city.facts, ScoreSettings())
    events = city.events.copy()
    events["score"] = result.score
    events["n_facts"] = result.n_facts.astype(int)
    events["score_detail"] = [json.dumps(dict(zip(result.categories, map(float, row)))) for row in result.by_category]
    scored = os.path.join(folder, "scored_events.gpkg")
    write_layer(scored, "scored_events", "events", events, city.crs)
    model = train_model(city.events, result, sectors=city.sectors, score_settings=ScoreSettings())
    save_model(model, os.path.join(folder, "model.tqm"))
    return {"gpkg": gpkg, "scored": scored, "city": city}


def step(name, function, *args):
    t0 = time.perf_counter()
    try:
        out = function(*args)
    except Exception:  # noqa: BLE001 - a screenshot that fails must not stop the others
        print(f"  {name}: FAILED\n" + traceback.format_exc(), flush=True)
        return None
    print(f"  {name}: {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def shot_maps(demo: dict, out: str) -> list:
    from qgis.core import QgsRectangle

    from tranquillite_plugin.demo_render import render_demo_map

    written = []
    path = os.path.join(out, "demo_map.png")
    render_demo_map(demo["gpkg"], demo["scored"], path)
    written.append(path)
    # the centre, around the first planned event
    centre = demo["city"].planned["geometry"].iloc[0].centroid
    extent = QgsRectangle(centre.x - 900, centre.y - 650, centre.x + 900, centre.y + 650)
    path = os.path.join(out, "demo_map_detail.png")
    from tranquillite_plugin.i18n import tr

    render_demo_map(demo["gpkg"], demo["scored"], path, extent=extent, title=tr("Tranquillité publique — the city centre"))
    written.append(path)
    return written


def shot_sheet(demo: dict, out: str) -> list:
    from tranquillite_plugin.demo_render import write_demo_sheet

    pdf = os.path.join(out, "event_sheet.pdf")
    write_demo_sheet(demo["gpkg"], demo["scored"], {}, pdf)
    if shutil.which("pdftoppm") is None:
        print("  (pdftoppm is missing: no PNG of the event sheet)")
        return [pdf]
    base = os.path.join(out, "event_sheet")
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, base], check=True)
    os.remove(pdf)
    return [base + ".png"]


def shot_docks(demo: dict, out: str, folder: str) -> list:
    """The docks with a drawn planned event and its results (gui/screenshots.py drives them)."""
    try:
        from tranquillite_plugin.gui.screenshots import screenshot_docks
    except ImportError as err:
        print(f"  (no docks yet: {err})")
        return []
    return screenshot_docks(out, demo_path=demo["gpkg"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=os.path.join(ROOT, "docs", "screenshots"))
    parser.add_argument("--only", choices=["maps", "sheet", "docks"], action="append")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    app = start_qgis()  # noqa: F841 - the application lives until os._exit
    written = []
    with tempfile.TemporaryDirectory(prefix="tranquillite_shots_") as folder:
        print("→ building the demo observatory …", flush=True)
        demo = step("demo", build_demo, folder)
        if demo is None:
            return 1
        only = set(args.only or ["maps", "sheet", "docks"])
        if "maps" in only:
            written += step("maps", shot_maps, demo, args.out) or []
        if "sheet" in only:
            written += step("event sheet", shot_sheet, demo, args.out) or []
        if "docks" in only:
            written += step("docks", shot_docks, demo, args.out, folder) or []
        from qgis.core import QgsProject

        QgsProject.instance().clear()
        for name in os.listdir(args.out):  # working files of the docks' screenshots
            if name.startswith(".screenshot_"):
                os.remove(os.path.join(args.out, name))
    print("\nWritten:")
    for path in written:
        print("  " + os.path.relpath(path, ROOT))
    sys.stdout.flush()
    sys.stderr.flush()
    # QGIS's exit tears down the project's layers under the docks: end the process here
    os._exit(0 if written else 1)


if __name__ == "__main__":
    sys.exit(main())
