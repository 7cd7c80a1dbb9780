"""Results tab: the transferred score and band, warnings, similar past events, charts."""

from __future__ import annotations

import math

import numpy as np
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tranquillite_plugin.core.clash import KIND_CLOSED_AXIS, KIND_WORKS
from tranquillite_plugin.gui.charts import Bar, BarChart
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.report.sheet import fairness_line, model_lines
from tranquillite_plugin.vocabulary import CATEGORY_COLORS, axis_labels, category_label, nature_label

COLUMNS = ("rank", "event_id", "nature", "start", "proximity", "score")
WARN_STYLE = "QLabel { background: #fff4e5; border: 1px solid #f0b429; border-radius: 3px; padding: 4px; color: #5c3c00; }"
OK_STYLE = "QLabel { background: #eaf6ec; border: 1px solid #8cc79a; border-radius: 3px; padding: 4px; color: #1b5e20; }"


def column_titles():
    return {
        "rank": tr("#"),
        "event_id": tr("Event"),
        "nature": tr("Nature"),
        "start": tr("Date"),
        "proximity": tr("Similarity"),
        "score": tr("Score"),
    }


def fmt_score(v: float) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{v:.1f}"


class NumericItem(QTableWidgetItem):
    """Sorts by its number, shows its text."""

    def __init__(self, text: str, value: float):
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other):  # noqa: D105
        if isinstance(other, NumericItem):
            return self.value < other.value
        return super().__lt__(other)


class ResultsPanel(QWidget):
    def __init__(self, controller: Controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("TranquilliteResultsPanel")
        self.prediction = None
        layout = QVBoxLayout(self)

        self.empty = QLabel(
            tr("No result yet. Draw a planned event in the Event tab and press “Estimate the score”: the similar past events and their score appear here.")
        )
        self.empty.setObjectName("results_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #666666; padding: 24px;")
        layout.addWidget(self.empty)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("results_title")
        self.title.setWordWrap(True)
        f = QFont(self.title.font())
        f.setBold(True)
        self.title.setFont(f)
        body.addWidget(self.title)

        score_frame = QFrame()
        score_frame.setFrameShape(QFrame.Shape.StyledPanel)
        srow = QHBoxLayout(score_frame)
        self.score = QLabel()
        self.score.setObjectName("score_value")
        big = QFont(self.score.font())
        big.setPointSizeF(big.pointSizeF() * 2.2)
        big.setBold(True)
        self.score.setFont(big)
        self.score.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.score.setMinimumWidth(90)
        srow.addWidget(self.score)
        scol = QVBoxLayout()
        self.score_caption = QLabel(tr("Transferred score"))
        self.band = QLabel()
        self.band.setObjectName("score_band")
        self.basis = QLabel()
        self.basis.setWordWrap(True)
        self.basis.setStyleSheet("color: #555555;")
        for w in (self.score_caption, self.band, self.basis):
            w.setWordWrap(True)
            scol.addWidget(w)
        srow.addLayout(scol, 1)
        body.addWidget(score_frame)

        self.warnings = QLabel()
        self.warnings.setObjectName("clash_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        body.addWidget(self.warnings)
        self.fairness_warning = QLabel()
        self.fairness_warning.setObjectName("fairness_warning")
        self.fairness_warning.setWordWrap(True)
        self.fairness_warning.setStyleSheet(WARN_STYLE)
        self.fairness_warning.setToolTip(
            tr("Police-initiated facts (fines, tow-aways, police operations) are made by patrolling: see the fairness audit in the Audit tab")
        )
        self.fairness_warning.setVisible(False)
        body.addWidget(self.fairness_warning)
        self.coverage = QLabel()
        self.coverage.setObjectName("camera_coverage")
        self.coverage.setWordWrap(True)
        body.addWidget(self.coverage)

        tbox = QGroupBox(tr("Similar past events"))
        tlayout = QVBoxLayout(tbox)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("similar_table")
        titles = column_titles()
        self.table.setHorizontalHeaderLabels([titles[c] for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("nature"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        # every similar event shows (the tab scrolls): no inner scroll bar to eat the width
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setMinimumHeight(rows.defaultSectionSize() * 10 + 30)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.cellClicked.connect(lambda row, _col: self.show_row(row))
        tlayout.addWidget(self.table)
        hint = QLabel(tr("Click an event to zoom to it: its footprint and the facts that made its score are highlighted."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        tlayout.addWidget(hint)
        body.addWidget(tbox)

        cbox = QGroupBox(tr("Facts by category (mean of the similar events, weighted)"))
        clayout = QVBoxLayout(cbox)
        self.chart = BarChart(empty_text=tr("No fact around the similar events."))
        self.chart.setObjectName("facts_chart")
        clayout.addWidget(self.chart)
        body.addWidget(cbox)

        ibox = QGroupBox(tr("Importance of the axes"))
        ilayout = QVBoxLayout(ibox)
        self.importances = BarChart(value_format="{:.0%}")
        self.importances.setObjectName("importances_chart")
        ilayout.addWidget(self.importances)
        body.addWidget(ibox)

        brow = QHBoxLayout()
        brow.addStretch(1)
        self.sheet_button = QPushButton(tr("Event sheet (PDF)…"))
        self.sheet_button.setObjectName("sheet_button")
        self.sheet_button.clicked.connect(self.write_sheet)
        brow.addWidget(self.sheet_button)
        body.addLayout(brow)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.body.setVisible(False)

        controller.predictionReady.connect(self.show_prediction)

    # --- filling -----------------------------------------------------------------------------------

    def show_prediction(self, prediction) -> None:
        self.prediction = prediction
        t = prediction.transfer
        row = prediction.planned.iloc[0]
        self.empty.setVisible(False)
        self.body.setVisible(True)
        self.title.setText(
            tr("{id} — {nature}, {n} participants, {start} → {end}").format(
                id=row["event_id"],
                nature=nature_label(row["nature"]),
                n=f"{int(row['participants']):,}".replace(",", "\u202f"),
                start=row["start"].strftime("%d/%m/%Y %H:%M"),
                end=row["end"].strftime("%d/%m/%Y %H:%M"),
            )
        )
        self.score.setText(fmt_score(t.predicted))
        if math.isfinite(t.predicted) and "conformal" in (getattr(t, "band_method", "") or ""):
            self.band.setText(tr("likely between {} and {} (calibrated 10 %–90 % band)").format(fmt_score(t.band_low), fmt_score(t.band_high)))
        elif math.isfinite(t.predicted):
            self.band.setText(tr("likely between {} and {} (10 %–90 % of the similar events)").format(fmt_score(t.band_low), fmt_score(t.band_high)))
        else:
            self.band.setText(tr("no score could be transferred"))
        basis = tr("from the {} most similar of {} past events that started before it").format(len(t.similar), t.n_candidates)
        if t.note:
            basis += "\n" + t.note
        basis += "\n" + "\n".join(model_lines(t))
        self.basis.setText(basis)
        self._show_warnings(prediction)
        self._fill_table(t)
        self._fill_charts(t)
        if self.table.rowCount():
            self.table.selectRow(0)

    def _show_warnings(self, prediction) -> None:
        clashes = prediction.clashes or []
        if not clashes:
            self.warnings.setText(tr("No clash with other planned events, works or closed traffic axes."))
            self.warnings.setStyleSheet(OK_STYLE)
        else:
            items = []
            for c in clashes:
                if c.kind == KIND_CLOSED_AXIS:
                    text = tr("Closed traffic axis <b>{}</b> ({}) crosses the footprint").format(c.ref, c.label or "—")
                elif c.kind == KIND_WORKS:
                    text = tr("Works <b>{}</b> from {} to {}").format(c.ref, _when(c.start), _when(c.end))
                else:
                    text = tr("Planned event <b>{}</b> ({}) from {} to {}").format(c.ref, nature_label(c.label), _when(c.start), _when(c.end))
                items.append(f"<li>{text}</li>")
            head = tr("1 warning: same place, same time") if len(clashes) == 1 else tr("{} warnings: same place, same time").format(len(clashes))
            self.warnings.setText("<b>" + head + "</b><ul style='margin: 2px 0 0 -20px;'>" + "".join(items) + "</ul>")
            self.warnings.setStyleSheet(WARN_STYLE)
        flag = getattr(prediction, "fairness_flag", None)
        self.fairness_warning.setText("⚠ " + fairness_line(flag) if flag is not None else "")
        self.fairness_warning.setVisible(flag is not None)
        cov = prediction.coverage
        if cov is None:
            self.coverage.setText(tr("Camera coverage: no cameras layer chosen."))
        elif not math.isfinite(cov.share):
            self.coverage.setText(tr("Camera coverage: the footprint has no area."))
        else:
            self.coverage.setText(
                tr("Camera coverage: {share:.0%} of the footprint ({n} cameras)").format(share=cov.share, n=len(cov.camera_ids))
            )

    def _fill_table(self, t) -> None:
        sim = t.similar
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(sim))
        for i, (_, r) in enumerate(sim.iterrows()):
            items = [
                NumericItem(str(int(r["rank"])), float(r["rank"])),
                QTableWidgetItem(str(r["event_id"])),
                QTableWidgetItem(nature_label(r["nature"])),
                QTableWidgetItem(r["start"].strftime("%d/%m/%y")),
                NumericItem(f"{float(r['proximity']):.0%}", float(r["proximity"])),
                NumericItem(fmt_score(float(r["score"])), float(r["score"])),
            ]
            items[1].setData(Qt.ItemDataRole.UserRole, str(r["event_id"]))
            items[3].setToolTip(r["start"].strftime("%d/%m/%Y %H:%M"))
            sector = str(r.get("sector", "") or "")
            nature = nature_label(r["nature"])
            items[2].setToolTip(nature + ", " + tr("sector {}").format(sector) if sector else nature)
            for j, item in enumerate(items):
                self.table.setItem(i, j, item)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        height = self.table.horizontalHeader().height() + self.table.verticalHeader().defaultSectionSize() * max(len(sim), 3) + 4
        self.table.setFixedHeight(height + 2 * self.table.frameWidth())

    def _category_means(self, t):
        cats = list(t.categories)
        if not cats or not len(t.similar):
            return cats, np.zeros(len(cats))
        frame = t.facts_by_category()
        w = t.similar["weight"].to_numpy(float) if "weight" in t.similar else np.full(len(frame), 1.0 / len(frame))
        return cats, w @ frame.to_numpy(float)

    def _fill_charts(self, t, selected_id=None) -> None:
        cats, means = self._category_means(t)
        marker = None
        if selected_id is not None and len(t.similar):
            frame = t.facts_by_category()
            if selected_id in frame.index:
                marker = frame.loc[selected_id].to_numpy(float)
        bars = []
        for j in np.argsort(-means, kind="stable"):
            if means[j] <= 0 and (marker is None or marker[j] <= 0):
                continue
            bars.append(Bar(category_label(cats[j]), float(means[j]), CATEGORY_COLORS.get(cats[j], "#888888"), None if marker is None else float(marker[j])))
        self.chart.set_bars(bars, tr("the selected event, {}").format(selected_id) if marker is not None else "")
        labels = axis_labels()
        imp = t.importances
        self.importances.set_bars([Bar(labels.get(r["axis"], r["axis"]), float(r["importance"]), "#5b7db1") for _, r in imp.iterrows()])

    # --- interaction -------------------------------------------------------------------------------

    def selected_event_id(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.table.item(rows[0].row(), COLUMNS.index("event_id")).data(Qt.ItemDataRole.UserRole)

    def _on_selection(self) -> None:
        event_id = self.selected_event_id()
        if event_id is not None and self.prediction is not None:
            self._fill_charts(self.prediction.transfer, event_id)

    def show_row(self, row: int) -> bool:
        """Zooms to the similar event of ``row`` and highlights it (what a click does)."""
        item = self.table.item(row, COLUMNS.index("event_id"))
        if item is None or self.prediction is None:
            return False
        event_id = item.data(Qt.ItemDataRole.UserRole)
        sim = self.prediction.transfer.similar
        hit = sim[sim["event_id"].astype(str) == event_id]
        return self.controller.show_past_event(event_id, hit.iloc[0] if len(hit) else None)

    def write_sheet(self) -> None:
        if self.prediction is None:
            return
        event_id = str(self.prediction.planned.iloc[0]["event_id"])
        path, _ = QFileDialog.getSaveFileName(self, tr("Event sheet"), f"{event_id}.pdf", tr("PDF (*.pdf)"))
        if path:
            self.controller.event_sheet(path)


def _when(ts) -> str:
    try:
        return ts.strftime("%d/%m/%Y %H:%M")
    except (AttributeError, ValueError):
        return "—"

