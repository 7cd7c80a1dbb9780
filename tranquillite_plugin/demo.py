"""``make demo``: the main job on the bundled demo city, headless.

Builds the demo observatory, scores its events, trains the model, predicts a
planned event with its explanation, and writes the styled map (PNG) and the
event sheet (PDF) — every step through the same Processing algorithms the
toolbox and ``qgis_process`` run.

    python -m tranquillite_plugin.demo --out out [--events 600 --facts 60000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

_PROVIDER = None


def _start_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        QgsApplication.setPrefixPath("/usr", True)
        app = QgsApplication([], False)
        app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from tranquillite_plugin.processing.provider import TranquilliteProvider

    global _PROVIDER
    registry = QgsApplication.processingRegistry()
    if registry.providerById("tranquillite") is None:
        _PROVIDER = TranquilliteProvider()  # keep the Python object alive while QGIS uses it
        registry.addProvider(_PROVIDER)
    return app


class Step:
    """Prints a step with its duration."""

    def __init__(self, text: str):
        self.text = text

    def __enter__(self):
        self.t0 = time.perf_counter()
        print(f"→ {self.text} …", flush=True)
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            print(f"  done in {time.perf_counter() - self.t0:.1f} s", flush=True)
        return False


def run(out: str, n_events: int, n_facts: int, years: int, seed: int) -> dict:
    import processing

    from tranquillite_plugin.store.observatory import Observatory

    os.makedirs(out, exist_ok=True)
    out = os.path.abspath(out)
    source = os.path.join(out, "demo_city_source.gpkg")
    store = os.path.join(out, "demo_observatory.gpkg")
    for path in (source, store):
        if os.path.exists(path):
            os.remove(path)
    results = {"source": source, "observatory": store}

    with Step(f"generating the demo city ({n_events} events, {n_facts} facts) in {source}"):
        processing.run(
            "tranquillite:makedemocity",
            {"N_EVENTS": n_events, "N_FACTS": n_facts, "YEARS": years, "SEED": seed, "OUTPUT": source},
        )
    with Step(f"creating the observatory store {store} and importing the city's layers"):
        processing.run("tranquillite:createstore", {"STORE": store})
        for layer, kind, planned in (
            ("sectors", "sectors", False), ("axes", "axes", False), ("cameras", "cameras", False),
            ("events", "events", False), ("facts", "facts", False), ("planned", "events", True),
        ):
            processing.run(
                "tranquillite:importlayer",
                {"INPUT": f"{source}|layername={layer}", "KIND": KINDS.index(kind), "STORE": store, "PLANNED": planned},
            )
    obs = Observatory.open(store)
    print("  " + ", ".join(f"{kind}: {n}" for kind, n in obs.counts().items()))

    scored = os.path.join(out, "scored_events.gpkg")
    with Step("scoring the past events"):
        processing.run(
            "tranquillite:scoreevents",
            {"EVENTS": obs.uri("events", status="past"), "FACTS": obs.uri("facts"), "OUTPUT": scored},
        )
    results["scored"] = scored
    _summarise_scores(scored)

    model = os.path.join(out, "model.tqm")
    with Step("training the random forest on the scored events"):
        processing.run("tranquillite:trainmodel", {"EVENTS": scored, "SECTORS": obs.uri("sectors"), "OUTPUT_MODEL": model})
    results["model"] = model
    predicted = os.path.join(out, "planned_predicted.gpkg")
    with Step("predicting the planned events"):
        processing.run(
            "tranquillite:predictevents",
            {"MODEL": model, "PLANNED": obs.uri("events", status="planned"), "K": 20, "OUTPUT": predicted},
        )
    results["predicted"] = predicted
    explanation = _explain_first_planned(model, source, scored, predicted)
    results.update(explanation)

    with Step("rendering the styled map"):
        results["map_png"] = _render_demo_map(source, scored, os.path.join(out, "demo_map.png"))
    with Step("writing the event sheet"):
        results["sheet_pdf"] = _write_sheet(source, scored, explanation, os.path.join(out, "event_sheet.pdf"))
    check = obs.verify_audit()
    rows = obs.audit_rows()
    verdict = "intact" if check.ok else f"BROKEN at row {check.first_bad}: {check.reason}"
    print(f"\n  audit trail: {len(rows)} rows ({', '.join(sorted({r['algorithm'] for r in rows}))}); hash chain {verdict}")
    print("\nWritten:")
    for key in ("observatory", "scored", "model", "predicted", "map_png", "sheet_pdf"):
        if results.get(key):
            print(f"  {key:12s} {results[key]}")
    return results


KINDS = ("facts", "events", "sectors", "axes", "cameras")  # the order of importlayer's KIND


def _summarise_scores(scored: str) -> None:
    from tranquillite_plugin.store.layer_reader import read_ogr

    raw = read_ogr(scored, fields=["nature", "score"])
    table = raw.attributes.groupby("nature")["score"].agg(["count", "mean", "max"]).sort_values("mean", ascending=False)
    print("  mean score by nature:")
    for nature, row in table.iterrows():
        print(f"    {nature:18s} {int(row['count']):5d} events  mean {row['mean']:8.1f}  max {row['max']:8.1f}")


def _explain_first_planned(model_path: str, gpkg: str, scored: str, predicted: str) -> dict:
    """Prints the explanation of the first planned event, from the saved model."""
    from tranquillite_plugin.core.contract import validate
    from tranquillite_plugin.core.model_io import load_model
    from tranquillite_plugin.store.layer_reader import read_ogr

    raw = read_ogr(predicted)
    attrs = raw.attributes
    if not len(attrs):
        return {}
    first = attrs.iloc[0]
    planned, _ = validate("events", read_ogr(gpkg, "planned"))
    planned = planned[planned["event_id"] == first["event_id"]]
    transfer = load_model(model_path).transfer(planned)[0]
    print(f"\n  planned event {first['event_id']} ({first['nature']}, {int(first['participants'])} participants)")
    print("  " + transfer.summary(limit=10).replace("\n", "\n  "))
    by_category = transfer.facts_by_category().head(5)
    by_category = by_category.loc[:, by_category.sum(axis=0) > 0]
    print("  facts behind the five most similar events' scores (weighted, by category):")
    print("    " + by_category.to_string().replace("\n", "\n    "))
    ids = [s for s in str(first["similar_ids"]).split(",") if s]
    return {"planned": first.to_dict(), "planned_geometry": raw.geometry[0], "similar_ids": ids}


def _render_demo_map(gpkg: str, scored: str, path: str):
    from tranquillite_plugin.demo_render import render_demo_map

    return render_demo_map(gpkg, scored, path)


def _write_sheet(gpkg: str, scored: str, explanation: dict, path: str):
    from tranquillite_plugin.demo_render import write_demo_sheet

    return write_demo_sheet(gpkg, scored, explanation, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out", help="output folder")
    parser.add_argument("--events", type=int, default=600, help="past events in the demo city")
    parser.add_argument("--facts", type=int, default=60000, help="facts in the demo city")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    app = _start_qgis()
    try:
        run(args.out, args.events, args.facts, args.years, args.seed)
    finally:
        del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
