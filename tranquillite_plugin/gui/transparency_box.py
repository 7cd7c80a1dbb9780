"""The Audit tab's transparency box (issue 17): the fairness control's history as a small chart, and
the button that writes the algorithm notice and the record of processing from the open store."""

from __future__ import annotations

import math
from typing import Dict, List, Optional

from qgis.PyQt.QtCore import QPointF, QRectF, QSize, Qt
from qgis.PyQt.QtGui import QColor, QFontMetrics, QPainter, QPen
from qgis.PyQt.QtWidgets import QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import log

DRIFT = "#c0392b"
STEADY = "#7f8c9d"


class ControlChart(QWidget):
    """The police-initiated share of each sector at each control: one line per sector, drifting sectors in red."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.labels: List[str] = []
        self.shares: Dict[str, List[Optional[float]]] = {}
        self.drifting: set = set()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(130)

    def set_history(self, history: List[dict]) -> None:
        self.labels = [str(h.get("period_end") or h.get("at") or "")[:10] for h in history]
        sectors = sorted({s for h in history for s in h["snapshot"]})
        self.shares = {s: [h["snapshot"].get(s, {}).get("police_score_share") for h in history] for s in sectors}
        self.drifting = set(history[-1]["result"].drifted) if history else set()
        self.update()

    def sizeHint(self):  # noqa: N802 - Qt's name
        return QSize(300, 130)

    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        w, h = self.width(), self.height()
        if len(self.labels) < 2:
            p.setPen(QColor(120, 120, 120))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       tr("The chart shows once two models have been trained on this store."))
            p.end()
            return
        left, bottom, top = fm.horizontalAdvance("100 %") + 6, fm.height() + 6, 6
        plot = QRectF(left, top, max(10, w - left - 8), max(10, h - top - bottom))
        p.setPen(QPen(QColor(200, 200, 200), 1))
        for frac in (0.0, 0.5, 1.0):
            y = plot.bottom() - frac * plot.height()
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor(110, 110, 110))
            p.drawText(QRectF(0, y - fm.height() / 2, left - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{int(frac * 100)} %")
            p.setPen(QPen(QColor(200, 200, 200), 1))
        n = len(self.labels)

        def x(i):
            return plot.left() + plot.width() * i / (n - 1)

        for sector in sorted(self.shares, key=lambda s: s in self.drifting):
            drift = sector in self.drifting
            p.setPen(QPen(QColor(DRIFT if drift else STEADY), 2.2 if drift else 1))
            points = [(x(i), v) for i, v in enumerate(self.shares[sector])]
            for (x0, v0), (x1, v1) in zip(points, points[1:]):
                if v0 is None or v1 is None or not (math.isfinite(v0) and math.isfinite(v1)):
                    continue
                p.drawLine(QPointF(x0, plot.bottom() - v0 * plot.height()), QPointF(x1, plot.bottom() - v1 * plot.height()))
            last = self.shares[sector][-1]
            if drift and last is not None:
                p.drawText(QPointF(plot.right() - fm.horizontalAdvance(sector) - 2, plot.bottom() - last * plot.height() - 3), sector)
        p.setPen(QColor(110, 110, 110))
        for i in (0, n - 1):
            text = self.labels[i]
            tx = min(max(x(i) - fm.horizontalAdvance(text) / 2, 0), w - fm.horizontalAdvance(text))
            p.drawText(QPointF(tx, h - 3), text)
        p.end()


class TransparencyBox(QGroupBox):
    def __init__(self, controller, parent=None):
        super().__init__(tr("Regular control and algorithm notice"), parent)
        self.setObjectName("transparency_box")
        self.controller = controller
        v = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("control_summary")
        self.summary.setWordWrap(True)
        v.addWidget(self.summary)
        self.chart = ControlChart()
        self.chart.setObjectName("control_chart")
        v.addWidget(self.chart)
        row = QHBoxLayout()
        row.addStretch(1)
        self.notice_button = QPushButton(tr("Write the algorithm notice…"))
        self.notice_button.setObjectName("notice_button")
        self.notice_button.setToolTip(tr("The algorithm notice and the record of processing, in French and English, "
                                         "as PDF and HTML, from the store and its model"))
        self.notice_button.clicked.connect(self.choose_folder)
        row.addWidget(self.notice_button)
        v.addLayout(row)
        self.history: List[dict] = []
        controller.storeChanged.connect(self.refresh)
        controller.auditChanged.connect(self.refresh)
        controller.modelReady.connect(lambda *_: self.refresh())
        self.refresh()

    def store(self):
        return getattr(self.controller, "store", None)

    def refresh(self, *_args) -> None:
        store = self.store()
        self.notice_button.setEnabled(store is not None)
        self.history = []
        if store is not None:
            try:
                from tranquillite_plugin.store.transparency import fairness_history

                self.history = fairness_history(store)
            except Exception as err:  # noqa: BLE001 - an unreadable history shows as none, logged
                log(f"fairness control history not read: {err}")
        self.chart.set_history(self.history)
        self.summary.setText(self.summary_text())
        drift = bool(self.history and self.history[-1]["result"].drifted)
        self.summary.setStyleSheet(f"color: {DRIFT}; font-weight: bold;" if drift else "color: #555555;")

    def summary_text(self) -> str:
        if self.store() is None:
            return tr("Open a store: each training is compared with the previous one (fairness per sector).")
        if not self.history:
            return tr("No fairness control yet: it runs at every training.")
        r = self.history[-1]["result"]
        if r.first:
            return tr("{} control(s); the first has nothing to compare with.").format(len(self.history))
        if r.drifted:
            return tr("Drift at the latest control in: {} (police-initiated share moved by more than {} points).").format(
                ", ".join(r.drifted), int(round(r.rule.share_delta * 100)))
        return tr("{} controls; no drift at the latest ({} sectors compared).").format(len(self.history), r.compared)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Folder for the algorithm notice"))
        if folder:
            self.write_notice(folder)

    def write_notice(self, folder: str) -> Optional[dict]:
        from tranquillite_plugin.report.notice import write_documents
        from tranquillite_plugin.store.disclosure import gather

        store = self.store()
        if store is None:
            return None
        try:
            model = getattr(getattr(self.controller, "trained", None), "model", None)
            paths = write_documents(gather(store, model), folder)
            store.record("algorithmnotice", {"OUTPUT_FOLDER": folder}, None, None,
                         getattr(model, "fingerprint", None), {"files": sorted(paths)})
        except Exception as err:  # noqa: BLE001 - the user sees the message, the log the traceback
            log(f"algorithm notice failed: {err!r}")
            self.controller.failed.emit(tr("The algorithm notice was not written: {}").format(err))
            return None
        self.controller.auditChanged.emit()
        self.summary.setText(tr("Written to {}: {}").format(folder, ", ".join(sorted(p for p in paths if p.endswith(".pdf")))))
        return paths
