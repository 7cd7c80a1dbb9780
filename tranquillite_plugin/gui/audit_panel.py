"""Audit tab: the audit trail of the observatory store and its verification.

One hash-chained row per import, scoring, training, prediction, backtest, export and (PostGIS) edit;
until a store is open, the tab says so instead of showing an empty table.
"""

from __future__ import annotations

import math

import pandas as pd
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tranquillite_plugin.gui.access import mark_first_bad
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.vocabulary import category_label

OK_STYLE = "QLabel { background: #eaf6ec; border: 1px solid #8cc79a; border-radius: 3px; padding: 4px; color: #1b5e20; }"
BAD_STYLE = "QLabel { background: #fdecea; border: 1px solid #e57373; border-radius: 3px; padding: 4px; color: #8b1a1a; }"


def audit_titles():
    return {
        "seq": tr("#"),
        "at": tr("When"),
        "os_user": tr("User"),
        "algorithm": tr("Operation"),
        "n_features": tr("Features"),
        "inputs": tr("Input layers"),
        "parameters": tr("Parameters"),
        "model_fingerprint": tr("Model"),
        "change": tr("Change"),
    }


FAIRNESS_COLUMNS = ("sector", "n_events", "police_score_share", "observed_mean", "predicted_mean", "ratio")


def fairness_titles():
    return {
        "sector": tr("Sector"),
        "n_events": tr("Events"),
        "police_score_share": tr("Police-initiated"),
        "observed_mean": tr("Observed"),
        "predicted_mean": tr("Predicted"),
        "ratio": tr("Predicted / observed"),
    }


ALERT_COLUMNS = ("sector", "driving_category", "driving_recent", "driving_baseline", "driving_ratio", "driving_z")


def alert_titles():
    return {
        "sector": tr("Sector"),
        "driving_category": tr("Driving category"),
        "driving_recent": tr("Recent"),
        "driving_baseline": tr("Usual"),
        "driving_ratio": tr("Ratio"),
        "driving_z": tr("z"),
    }


def baseline_choices():
    return (("weeks", tr("the previous weeks")), ("years", tr("the same weeks of previous years")))


class AuditPanel(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("TranquilliteAuditPanel")
        layout = QVBoxLayout(self)
        self.placeholder = QLabel(
            tr(
                "The audit trail shows here once an observatory store is open: every import, scoring, training, "
                "prediction and export, with when, who, the parameters, the input layers and the model fingerprint."
            )
        )
        self.placeholder.setObjectName("audit_placeholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666666; padding: 24px;")
        layout.addWidget(self.placeholder)
        self.verification = QLabel()
        self.verification.setObjectName("audit_verification")
        self.verification.setWordWrap(True)
        self.verification.setVisible(False)
        layout.addWidget(self.verification)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("audit_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setVisible(False)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.verify_button = QPushButton(tr("Verify the chain"))
        self.verify_button.setToolTip(tr("Check that no audit row was edited, deleted or reordered"))
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.refresh_button)
        row.addWidget(self.verify_button)
        layout.addLayout(row)

        # --- fairness per sector ------------------------------------------------------------
        fbox = QGroupBox(tr("Fairness per sector"))
        flayout = QVBoxLayout(fbox)
        self.fairness_summary = QLabel(
            tr(
                "Train the model to see, per sector, the share of the score made by police-initiated facts "
                "(fines, tow-aways, police operations); run a backtest to compare predicted and observed scores."
            )
        )
        self.fairness_summary.setObjectName("fairness_summary")
        self.fairness_summary.setWordWrap(True)
        self.fairness_summary.setStyleSheet("color: #555555;")
        flayout.addWidget(self.fairness_summary)
        self.fairness_table = QTableWidget(0, len(FAIRNESS_COLUMNS))
        self.fairness_table.setObjectName("fairness_table")
        titles = fairness_titles()
        self.fairness_table.setHorizontalHeaderLabels([titles[c] for c in FAIRNESS_COLUMNS])
        self.fairness_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fairness_table.verticalHeader().setVisible(False)
        self.fairness_table.setAlternatingRowColors(True)
        self.fairness_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.fairness_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.fairness_table.setVisible(False)
        self.fairness_table.setMinimumHeight(220)
        flayout.addWidget(self.fairness_table)
        layout.addWidget(fbox)
        self.fairness = None
        layout.addWidget(self._trends_box())
        layout.addStretch(0)
        controller.storeChanged.connect(self.refresh)
        controller.auditChanged.connect(self.refresh)
        controller.modelReady.connect(self.fairness_of_model)
        controller.backtestDone.connect(self.fairness_of_backtest)
        if hasattr(controller, "trendsReady"):
            controller.trendsReady.connect(self.show_trends)
        controller.layersChanged.connect(self._trends_ready)
        controller.busy.connect(lambda _d: self.trends_button.setEnabled(False))
        controller.idle.connect(self._trends_ready)
        self.refresh()
        self._trends_ready()

    def store(self):
        return getattr(self.controller, "store", None)

    def refresh(self) -> None:
        store = self.store()
        has_store = store is not None
        self.placeholder.setVisible(not has_store)
        self.table.setVisible(has_store)
        self.refresh_button.setEnabled(has_store)
        self.verify_button.setEnabled(has_store)
        if not has_store:
            return
        try:
            rows = self.controller.audit_rows()
        except Exception as err:  # noqa: BLE001 - shown to the user, never a crash
            self.verification.setVisible(True)
            self.verification.setStyleSheet(BAD_STYLE)
            self.verification.setText(tr("The audit trail could not be read: {}").format(err))
            return
        self.fill(rows)

    def fill(self, rows) -> None:
        """``rows``: list of dicts (one per audit row), newest last."""
        titles = audit_titles()
        keys = [k for k in titles if any(k in r for r in rows)] or list(titles)
        self.table.setColumnCount(len(keys))
        self.table.setHorizontalHeaderLabels([titles[k] for k in keys])
        self.table.setRowCount(len(rows))
        for i, r in enumerate(reversed(rows)):
            for j, k in enumerate(keys):
                value = r.get(k, "")
                text = "" if value is None else str(value)
                if k == "model_fingerprint":
                    text = text[:12]
                item = QTableWidgetItem(text)
                item.setToolTip(str(value))
                self.table.setItem(i, j, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        _fit_rows(self.table, len(rows), 12)

    # --- fairness -------------------------------------------------------------------------------

    def fairness_of_model(self, trained) -> None:
        """Police-initiated share per sector of the scored past events (made by the training task)."""
        if trained is None or trained.scored is None:
            return
        self._show_audit_of(trained)

    def fairness_of_backtest(self, _result, _path="") -> None:
        """The same, with the residuals of the backtest (made by the backtest task)."""
        self._show_audit_of(self.controller.last_backtest)

    def _show_audit_of(self, run) -> None:
        if run is None:
            return
        if run.fairness is not None:
            self.show_fairness(run.fairness)
        elif run.fairness_error:
            self.fairness_summary.setText(tr("Fairness audit not computed: {}").format(run.fairness_error))

    def show_fairness(self, audit) -> None:
        self.fairness = audit
        frame = audit.sectors
        o = audit.overall
        share = o.get("police_score_share", float("nan"))
        lines = [
            tr("Police-initiated facts make {share} of the score of {n} past events.").format(
                share=_pct(share), n=int(o.get("n_events", 0))
            )
        ]
        flagged = audit.flagged
        if flagged:
            names = dict(zip(frame["sector"], frame["name"])) if "name" in frame else {}
            lines.append(
                tr("⚠ Score driven mostly (over {t}) by police-initiated facts in: {s}. The model may feed on its own patrols there.").format(
                    t=f"{audit.threshold:.0%}", s=", ".join(names.get(x) or x for x in flagged)
                )
            )
        else:
            lines.append(tr("No sector gets more than {} of its score from police-initiated facts.").format(f"{audit.threshold:.0%}"))
        if o.get("n_predicted", 0):
            lines.append(
                tr("Backtest: predicted / observed = {ratio:.2f} over {n} predicted events.").format(
                    ratio=o.get("ratio", float("nan")), n=int(o["n_predicted"])
                )
            )
        self.fairness_summary.setText("\n".join(lines))
        self.fairness_summary.setStyleSheet("color: #8b1a1a;" if flagged else "color: #1b5e20;")
        self.fairness_table.setVisible(True)
        predicted = bool(o.get("n_predicted", 0))
        for j, c in enumerate(FAIRNESS_COLUMNS):
            self.fairness_table.setColumnHidden(j, c in ("observed_mean", "predicted_mean", "ratio") and not predicted)
        rows = frame[frame["n_events"] > 0].reset_index(drop=True)
        self.fairness_table.setRowCount(len(rows))
        for i, r in rows.iterrows():
            name = r.get("name") or r["sector"]
            cells = [
                f"{name} ({r['sector']})" if name != r["sector"] else str(name),
                str(int(r["n_events"])),
                _pct(r["police_score_share"]),
                _num(r["observed_mean"]),
                _num(r["predicted_mean"]),
                _num(r["ratio"], "{:.2f}"),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if bool(r["police_driven"]):
                    item.setBackground(QColor("#fdecea"))
                    item.setToolTip(tr("Score driven mostly by police-initiated facts"))
                self.fairness_table.setItem(i, j, item)
        _fit_rows(self.fairness_table, len(rows), 20)

    # --- trends and alerts ------------------------------------------------------------------------

    def _trends_box(self) -> QGroupBox:
        box = QGroupBox(tr("Trends and alerts"))
        box.setObjectName("trends_box")
        v = QVBoxLayout(box)
        intro = QLabel(
            tr(
                "Per sector and category, the facts of the recent window against the same window in the past "
                "(seasonal baseline). A sector is in alert when one of its categories meets all three conditions."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555555;")
        v.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.window_days = QSpinBox()
        self.window_days.setObjectName("trend_window")
        self.window_days.setRange(1, 364)
        self.window_days.setValue(7)
        self.window_days.setSuffix(tr(" days"))
        self.window_days.setToolTip(tr("The recent window ends at midnight after the latest fact"))
        form.addRow(tr("Recent window"), self.window_days)
        brow = QHBoxLayout()
        self.baseline = QComboBox()
        self.baseline.setObjectName("trend_baseline")
        for key, text in baseline_choices():
            self.baseline.addItem(text, key)
        self.periods = QSpinBox()
        self.periods.setObjectName("trend_periods")
        self.periods.setRange(1, 520)
        self.periods.setValue(8)
        self.periods.setToolTip(tr("How many past weeks or years make the baseline"))
        brow.addWidget(self.baseline, 1)
        brow.addWidget(QLabel(tr("×")))
        brow.addWidget(self.periods)
        form.addRow(tr("Compared with"), brow)
        rrow = QHBoxLayout()
        self.min_ratio = QDoubleSpinBox()
        self.min_ratio.setObjectName("trend_min_ratio")
        self.min_ratio.setRange(0.0, 1000.0)
        self.min_ratio.setSingleStep(0.1)
        self.min_ratio.setDecimals(1)
        self.min_ratio.setValue(1.5)
        self.min_ratio.setToolTip(tr("Recent count divided by the usual (baseline mean) count"))
        self.min_z = QDoubleSpinBox()
        self.min_z.setObjectName("trend_min_z")
        self.min_z.setRange(-100.0, 100.0)
        self.min_z.setSingleStep(0.5)
        self.min_z.setDecimals(1)
        self.min_z.setValue(2.0)
        self.min_z.setToolTip(tr("(recent − usual) / spread of the baseline, the spread never below √usual"))
        self.min_count = QSpinBox()
        self.min_count.setObjectName("trend_min_count")
        self.min_count.setRange(0, 1_000_000)
        self.min_count.setValue(5)
        self.min_count.setToolTip(tr("At least this many facts in the recent window"))
        for text, w in ((tr("ratio ≥"), self.min_ratio), (tr("z ≥"), self.min_z), (tr("facts ≥"), self.min_count)):
            rrow.addWidget(QLabel(text))
            rrow.addWidget(w)
        rrow.addStretch(1)
        form.addRow(tr("Alert when"), rrow)
        v.addLayout(form)
        crow = QHBoxLayout()
        crow.addStretch(1)
        self.trends_button = QPushButton(tr("Compute"))
        self.trends_button.setObjectName("trends_button")
        self.trends_button.clicked.connect(self.compute_trends)
        crow.addWidget(self.trends_button)
        v.addLayout(crow)
        self.trends_summary = QLabel()
        self.trends_summary.setObjectName("trends_summary")
        self.trends_summary.setWordWrap(True)
        self.trends_summary.setStyleSheet("color: #555555;")
        v.addWidget(self.trends_summary)
        self.alerts_table = QTableWidget(0, len(ALERT_COLUMNS))
        self.alerts_table.setObjectName("alerts_table")
        titles = alert_titles()
        self.alerts_table.setHorizontalHeaderLabels([titles[c] for c in ALERT_COLUMNS])
        self.alerts_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.alerts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.alerts_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.alerts_table.verticalHeader().setVisible(False)
        self.alerts_table.setAlternatingRowColors(True)
        header = self.alerts_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.alerts_table.cellClicked.connect(lambda row, _col: self.show_alert(row))
        self.alerts_table.setVisible(False)
        v.addWidget(self.alerts_table)
        self.alerts_hint = QLabel(
            tr("Click a sector to zoom to it. The sectors in alert are drawn in red on the map, labelled with the category that drives them.")
        )
        self.alerts_hint.setWordWrap(True)
        self.alerts_hint.setStyleSheet("color: #555555;")
        self.alerts_hint.setVisible(False)
        v.addWidget(self.alerts_hint)
        self.trends = None
        return box

    def _trends_ready(self) -> None:
        """The Compute button: enabled with facts and sectors layers and no task running."""
        c = self.controller
        missing = [k for k in ("facts", "sectors") if c.layer(k) is None]
        busy = c.is_busy() if hasattr(c, "is_busy") else False
        self.trends_button.setEnabled(not missing and not busy)
        if missing and self.trends is None:
            self.trends_summary.setText(tr("Open an observatory (or choose the facts and sectors layers in the Data tab) to compute the trends."))

    def trend_rule(self):
        from tranquillite_plugin.core.trends import TrendRule

        return TrendRule(self.min_ratio.value(), self.min_z.value(), float(self.min_count.value()))

    def compute_trends(self):
        """Runs the trends task with the inputs' window, baseline and rule."""
        try:
            rule = self.trend_rule()
        except ValueError as err:
            self.trends_summary.setText(str(err))
            return None
        self.trends_summary.setText(tr("Computing the trends…"))
        task = self.controller.trends(self.window_days.value(), self.baseline.currentData(), self.periods.value(), rule)
        if task is None:
            self.trends_summary.setText(tr("Trends not computed: see the message above."))
        return task

    def show_trends(self, trends) -> None:
        self.trends = trends
        result = trends.result
        w = result.windows
        alerts = result.alerts
        start, end = w["start"].iloc[0], w["end"].iloc[0] - pd.Timedelta(seconds=1)
        head = tr("Recent window {start} – {end}, against {n} baseline windows; {k} of {m} sectors in alert.").format(
            start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"), n=len(w) - 1, k=len(alerts), m=len(result.sectors)
        )
        self.trends_summary.setText(head if len(alerts) else head + " " + tr("No sector in alert."))
        self.trends_summary.setStyleSheet("color: #8b1a1a;" if len(alerts) else "color: #1b5e20;")
        self.alerts_table.setVisible(bool(len(alerts)))
        self.alerts_hint.setVisible(bool(len(alerts)))
        self.alerts_table.setRowCount(len(alerts))
        for i, r in alerts.iterrows():
            name = r.get("name") or r["sector"]
            cells = [
                f"{name} ({r['sector']})" if name != r["sector"] else str(name),
                category_label(str(r["driving_category"])),
                _num(r["driving_recent"], "{:.0f}"),
                _num(r["driving_baseline"]),
                "∞" if math.isinf(float(r["driving_ratio"])) else _num(r["driving_ratio"], "{:.1f}"),
                _num(r["driving_z"]),
            ]
            others = [category_label(c) for c in str(r["alert_categories"]).split(",") if c]
            tip = tr("Categories in alert: {}").format(", ".join(others)) if others else tr("The sector's total is in alert")
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setData(Qt.ItemDataRole.UserRole, str(r["sector"]))
                item.setToolTip(tip)
                self.alerts_table.setItem(i, j, item)
        _fit_rows(self.alerts_table, len(alerts), 12)

    def alert_sector(self, row: int):
        item = self.alerts_table.item(row, 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def show_alert(self, row: int) -> bool:
        """Zooms to the sector of ``row`` (what a click does)."""
        sector = self.alert_sector(row)
        return bool(sector) and self.controller.show_sector(sector)

    def verify(self) -> None:
        try:
            ok, message = self.controller.verify_audit()
        except Exception as err:  # noqa: BLE001
            ok, message = False, str(err)
        self.verification.setVisible(True)
        self.verification.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.verification.setText(message)
        mark_first_bad(self.table, getattr(self.controller, "last_check", None))


def _pct(v) -> str:
    return _num(v, "{:.0%}")


def _num(v, fmt: str = "{:.1f}") -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "—"
    return "—" if not math.isfinite(v) else fmt.format(v)


def _fit_rows(table, n_rows: int, at_most: int) -> None:
    """Compact rows, and a table as tall as its rows (up to ``at_most``): no empty band below."""
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    shown = max(1, min(n_rows, at_most))
    scroll = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows.defaultSectionSize() * shown + scroll + 2 * table.frameWidth() + 2)
