"""Builds the demo city's store (scores, model, a real backtest, two fairness controls), writes the
algorithm notice and the record of processing in French and English, and renders page 1 of the
French notice to docs/screenshots/notice_fr.png (pdftoppm).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/notice_example.py [out_folder]

Every figure of the documents comes from that store: nothing is typed by hand here either.
"""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def build(folder: str, n_events: int = 600, n_facts: int = 60_000) -> str:
    import pandas as pd

    from tranquillite_plugin.core.backtest import backtest
    from tranquillite_plugin.core.democity import make_demo_city
    from tranquillite_plugin.core.forest import train_model
    from tranquillite_plugin.core.score import ScoreSettings, score_events
    from tranquillite_plugin.store.observatory import Observatory
    from tranquillite_plugin.store.transparency import run_fairness_control

    path = os.path.join(folder, "demo_observatory.gpkg")
    if os.path.exists(path):
        os.remove(path)
    city = make_demo_city(n_events=n_events, n_facts=n_facts, years=3, seed=0)
    obs = Observatory.create(path)
    for kind, frame in (("sectors", city.sectors), ("axes", city.axes), ("cameras", city.cameras), ("facts", city.facts),
                        ("events", city.events), ("planned", city.planned)):
        obs.import_layer(kind, frame)
    events = obs.read("events", "past")
    settings = ScoreSettings()
    result = score_events(events, obs.read("facts"), settings)
    obs.write_scores(pd.DataFrame({"event_id": events["event_id"], "score": result.score, "n_facts": result.n_facts}))
    sectors = obs.read("sectors")
    starts = events["start"].sort_values()
    earlier = events["start"] < starts.iloc[int(len(starts) * 0.75)]
    first = train_model(events[earlier].reset_index(drop=True), result.score[earlier.to_numpy()], result.by_category[earlier.to_numpy()],
                        result.categories, sectors=sectors, score_settings=settings, crs=obs.crs)
    run_fairness_control(obs, first)
    model = train_model(events, result, sectors=sectors, score_settings=settings, crs=obs.crs)
    obs.save_model(model)
    run_fairness_control(obs, model)
    res = backtest(events, result, starts.iloc[int(len(starts) * 0.75)], sectors=sectors, score_settings=settings)
    m = res.metrics.set_index("method")
    obs.record("backtest", {"CUT": res.cut.isoformat()}, None, res.n_train + res.n_test, res.fingerprint, {
        "cut": res.cut.isoformat(), "n_train": res.n_train, "n_test": res.n_test,
        "metrics": {method: {k: (None if v != v else round(float(v), 6)) for k, v in row[["spearman", "mae_log1p", "top_decile_hit"]].items()}
                    for method, row in m.iterrows()},
    })
    obs.close()
    return path


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = args[0] if args else os.path.join(ROOT, "out", "notice")
    os.makedirs(out, exist_ok=True)
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from tranquillite_plugin.report.notice import write_documents
    from tranquillite_plugin.store.disclosure import gather
    from tranquillite_plugin.store.observatory import Observatory

    path = build(out)
    with Observatory.open(path) as obs:
        paths = write_documents(gather(obs), out)
    for name in sorted(paths):
        print(f"  {paths[name]}")
    shots = os.path.join(ROOT, "docs", "screenshots")
    for lang in ("fr", "en"):
        stem = os.path.join(out, f"notice_{lang}")
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", stem + ".pdf", stem], check=True)
    os.replace(os.path.join(out, "notice_fr.png"), os.path.join(shots, "notice_fr.png"))
    print(f"  {os.path.join(shots, 'notice_fr.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
