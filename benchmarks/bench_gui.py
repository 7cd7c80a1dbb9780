"""Does the interface freeze? The longest stall of QGIS's event loop while the docks
score the past events, train the model and transfer a score to a drawn event.

A 10 ms QTimer on the main thread records the gap between its ticks (what a user
feels as a frozen window). Measured in the same run:

* reference: the same job (score + train + transfer, ``jobs.predict_job``) run
  synchronously on the main thread, as a plugin without tasks would: the
  window is frozen for the whole job;
* the docks: the job in a QgsTask, as the Event tab runs it, then the results
  shown in the Results tab (main thread).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--events 600 --facts 60000]

Prints seconds and the ratio of the longest stall to the reference's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class StallMeter:
    """Gaps between the ticks of a 10 ms timer on the main thread."""

    def __init__(self):
        from qgis.PyQt.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.gaps = []
        self.last = None

    def _tick(self):
        now = time.perf_counter()
        if self.last is not None:
            self.gaps.append(now - self.last)
        self.last = now

    def start(self):
        self.gaps, self.last = [], time.perf_counter()
        self.timer.start()

    def stop(self):
        self._tick()
        self.timer.stop()
        return self.gaps

    def summary(self):
        g = sorted(self.gaps) or [0.0]
        return max(g), g[int(0.95 * (len(g) - 1))], statistics.median(g)


def pump_until(predicate, timeout_s=600.0):
    from qgis.PyQt.QtCore import QCoreApplication

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.002)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--facts", type=int, default=60_000)
    args = parser.parse_args()

    from qgis.core import QgsApplication

    app = QgsApplication([], True)
    app.initQgis()
    from qgis.core import QgsGeometry
    from qgis.PyQt.QtCore import QDateTime

    from tranquillite_plugin.core.forest import ForestSettings
    from tranquillite_plugin.gui import jobs
    from tranquillite_plugin.gui.controller import Controller
    from tranquillite_plugin.gui.dock import add_dock
    from tranquillite_plugin.gui.screenshots import StandaloneIface, ensure_demo

    folder = tempfile.mkdtemp(prefix="bench_gui_")
    demo = ensure_demo(os.path.join(folder, "demo.gpkg"), args.events, args.facts)
    iface = StandaloneIface()
    controller = Controller(iface, planned_path=os.path.join(folder, "planned.gpkg"))
    dock = add_dock(iface, controller)
    iface.window.show()
    t0 = time.perf_counter()
    controller.open_observatory(demo)
    t_open = time.perf_counter() - t0
    source = controller.planned.load("P002")
    panel = dock.event_panel
    panel.event_id.setText("P-BENCH")
    panel.nature.setCurrentIndex(panel.nature.findData(source.nature))
    panel.participants.setValue(int(source.participants))
    panel.start.setDateTime(QDateTime(source.start))
    panel.end.setDateTime(QDateTime(source.end))
    panel.set_footprint(QgsGeometry(source.geometry))
    event = panel.planned_event()
    frame = event.clean_frame(controller.working_crs)
    meter = StallMeter()

    # reference: the whole job on the main thread
    job = jobs.predict_job(
        frame, None, jobs.train_job(
            controller.snapshot("facts"), controller.snapshot("events"), controller.snapshot("sectors"),
            controller.score_settings(), ForestSettings(k=controller.k()), controller.working_crs,
        ), controller.k(), cameras=controller.snapshot("cameras"), axes=controller.snapshot("axes"),
    )
    from qgis.PyQt.QtCore import QCoreApplication

    meter.start()
    t0 = time.perf_counter()
    reference = job(lambda p: None, lambda: False)
    QCoreApplication.processEvents()
    t_ref = time.perf_counter() - t0
    ref_max = max(meter.stop() or [t_ref])

    # the docks: the same job in a QgsTask, the results shown in the Results tab
    meter.start()
    t0 = time.perf_counter()
    panel.predict()
    pump_until(lambda: "P-BENCH" in controller.saved_predictions)
    t_task = time.perf_counter() - t0
    gaps = meter.stop()
    worst, p95, median = StallMeter.summary(meter)
    same = controller.prediction.transfer.similar_ids == reference.transfer.similar_ids
    t0 = time.perf_counter()
    dock.results_panel.show_prediction(controller.prediction)
    t_show = time.perf_counter() - t0
    t0 = time.perf_counter()
    dock.results_panel.show_row(0)
    t_click = time.perf_counter() - t0

    print(f"demo city: {args.events} past events, {args.facts} facts")
    print(f"open the observatory (main thread, layers and styles): {t_open:.2f} s")
    print(f"reference, job on the main thread: {t_ref:.2f} s, window frozen {ref_max:.2f} s")
    print(
        f"docks, job in a QgsTask: {t_task:.2f} s; event loop stalls: longest {worst * 1000:.0f} ms, "
        f"95th percentile {p95 * 1000:.0f} ms, median {median * 1000:.0f} ms over {len(gaps)} ticks"
    )
    print(f"longest stall / reference freeze: {worst / ref_max:.3f}  (same similar events: {same})")
    print(f"results shown in the Results tab: {t_show * 1000:.0f} ms; click on a similar event (zoom, highlight): {t_click * 1000:.0f} ms")
    controller.close()
    iface.close()
    app.exitQgis()


if __name__ == "__main__":
    main()
