"""Audit tab: the published and the enriched configuration side by side (core.backtest).

A backtest (from this box, cut at the start of the last quarter of the scored
events, or from the Data tab with its own date) trains both on the same past
events and predicts the same later ones; the box shows each one's Spearman,
MAE of log1p, hit rates at 5/10/20 %, PAI and band coverage, and the
difference with its bootstrap interval, so that a lead within noise reads
"within noise".
"""

from __future__ import annotations

import math

from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tranquillite_plugin.i18n import tr

ROWS = ("spearman", "mae_log1p", "hit_5", "hit_10", "hit_20", "pai_10", "band_coverage", "band_below", "band_above")
PERCENT = ("hit_5", "hit_10", "hit_20", "band_coverage", "band_below", "band_above")


def row_titles() -> dict:
    return {
        "spearman": tr("Spearman (higher is better)"),
        "mae_log1p": tr("MAE of log(1 + score) (lower is better)"),
        "hit_5": tr("Hit rate of the top 5 %"),
        "hit_10": tr("Hit rate of the top 10 %"),
        "hit_20": tr("Hit rate of the top 20 %"),
        "pai_10": tr("PAI of the top 10 % (1 = chance)"),
        "band_coverage": tr("Band coverage (goal 80 %)"),
        "band_below": tr("Below the band"),
        "band_above": tr("Above the band"),
    }


def verdict_text(verdict: str) -> str:
    if verdict == "within noise":
        return tr("within noise")
    if verdict.endswith("better") and not verdict.startswith("transfer"):
        return tr("enriched better")
    return tr("published better")


def _fmt(key: str, v) -> str:
    if v is None or not math.isfinite(float(v)):
        return "—"
    return f"{float(v):.1%}" if key in PERCENT else f"{float(v):.3f}"


class ModelComparisonBox(QGroupBox):
    """Published against enriched, after each backtest (``controller.backtestDone``)."""

    def __init__(self, controller, parent=None):
        super().__init__(tr("Published and enriched configurations"), parent)
        self.setObjectName("model_comparison")
        self.controller = controller
        layout = QVBoxLayout(self)
        self.summary = QLabel(
            tr("Run a backtest to compare the published method with the enriched configuration (context axes, "
               "settings chosen by a backtest inside the training period, calibrated band) on the same events.")
        )
        self.summary.setObjectName("comparison_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #555555;")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("comparison_table")
        self.table.setHorizontalHeaderLabels([tr("Figure"), tr("Published"), tr("Enriched"), tr("Difference (95 % interval)")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(False)
        self.table.setMinimumHeight(240)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        self.run_button = QPushButton(tr("Compare (backtest on the last quarter)"))
        self.run_button.setObjectName("comparison_run")
        self.run_button.setToolTip(tr("Train both configurations before the start of the last quarter of the scored events, predict the rest"))
        self.run_button.clicked.connect(self.run)
        row.addWidget(self.run_button)
        layout.addLayout(row)
        controller.backtestDone.connect(self.show_result)

    def run(self) -> None:
        trained = getattr(self.controller, "trained", None)
        scored = getattr(trained, "scored", None) if trained is not None else None
        if scored is None or not len(scored.events):
            self.summary.setText(tr("Score and train the model first: the backtest uses the scored past events."))
            return
        starts = scored.events["start"].sort_values()
        self.controller.backtest(starts.iloc[int(len(starts) * 0.75)])

    def show_result(self, result, _path: str = "") -> None:
        m = result.metrics.set_index("method")
        ch = getattr(result, "challenger", "")
        comp = {} if result.comparison is None else {r["metric"]: r for _, r in result.comparison.iterrows()}
        titles = row_titles()
        self.table.setRowCount(len(ROWS))
        for i, key in enumerate(ROWS):
            cells = [titles[key], _fmt(key, m.loc["transfer", key]), _fmt(key, m.loc[ch, key]) if ch in m.index else "—", ""]
            metric = "top_decile_hit" if key == "hit_10" else key
            if metric in comp:
                c = comp[metric]
                cells[3] = f"{_fmt(key, c['difference'])} [{_fmt(key, c['low'])}, {_fmt(key, c['high'])}] {verdict_text(c['verdict'])}"
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.setVisible(True)
        chosen = ((result.configurations.get(ch) or {}).get("selection") or {}).get("chosen")
        lines = [tr("Trained on {} events, tested on the {} that followed.").format(result.n_train, result.n_test)]
        if chosen:
            lines.append(tr("Enriched settings chosen by the backtest inside the training period: {}").format(
                ", ".join(f"{k}={v}" for k, v in chosen.items())))
        if not ch:
            lines.append(tr("Only the published configuration was tested."))
        self.summary.setText("\n".join(lines))
