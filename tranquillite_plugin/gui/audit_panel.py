"""Audit tab: the audit trail of the observatory store and its verification.

The store (store/observatory.py, store/audit.py) writes one hash-chained row
per import, scoring, training, prediction, backtest and export. Until a store
is open, the tab says so instead of showing an empty table.
"""

from __future__ import annotations

import math

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
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
    QWidget,
)

from tranquillite_plugin.i18n import tr

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
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.placeholder.setStyleSheet("color: #666666; padding: 24px;")
        layout.addWidget(self.placeholder)
        self.verification = QLabel()
        self.verification.setObjectName("audit_verification")
        self.verification.setWordWrap(True)
        self.verification.setVisible(False)
        layout.addWidget(self.verification)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("audit_table")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
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
        self.fairness_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.fairness_table.verticalHeader().setVisible(False)
        self.fairness_table.setAlternatingRowColors(True)
        self.fairness_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.fairness_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.fairness_table.setVisible(False)
        self.fairness_table.setMinimumHeight(220)
        flayout.addWidget(self.fairness_table)
        layout.addWidget(fbox)
        self.fairness = None
        layout.addStretch(0)
        controller.storeChanged.connect(self.refresh)
        controller.auditChanged.connect(self.refresh)
        controller.modelReady.connect(self.fairness_of_model)
        controller.backtestDone.connect(self.fairness_of_backtest)
        self.refresh()

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
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        _fit_rows(self.table, len(rows), 12)

    # --- fairness -------------------------------------------------------------------------------

    def fairness_of_model(self, trained) -> None:
        """Police-initiated share per sector, from the scored past events of a training."""
        if trained is None or trained.scored is None:
            return
        if getattr(trained, "fairness", None) is not None:  # computed by the training task
            self.show_fairness(trained.fairness)
            return
        from tranquillite_plugin.gui.tasks import fairness_of

        try:
            audit = fairness_of(trained.scored, trained.sectors)
            if audit is None:
                return
        except (ValueError, KeyError) as err:
            self.fairness_summary.setText(tr("Fairness audit not computed: {}").format(err))
            return
        self.show_fairness(audit)

    def fairness_of_backtest(self, result, _path="") -> None:
        trained = self.controller.trained
        if trained is None or trained.scored is None:
            return
        from tranquillite_plugin.core.fairness import fairness_from_backtest

        try:
            audit = fairness_from_backtest(result, trained.scored.events, trained.scored.result, sectors=trained.sectors)
        except (ValueError, KeyError) as err:
            self.fairness_summary.setText(tr("Fairness audit not computed: {}").format(err))
            return
        self.show_fairness(audit)

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
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if bool(r["police_driven"]):
                    item.setBackground(QColor("#fdecea"))
                    item.setToolTip(tr("Score driven mostly by police-initiated facts"))
                self.fairness_table.setItem(i, j, item)
        _fit_rows(self.fairness_table, len(rows), 20)

    def verify(self) -> None:
        try:
            ok, message = self.controller.verify_audit()
        except Exception as err:  # noqa: BLE001
            ok, message = False, str(err)
        self.verification.setVisible(True)
        self.verification.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.verification.setText(message)


def _pct(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "—"
    return "—" if not math.isfinite(v) else f"{v:.0%}"


def _num(v, fmt: str = "{:.1f}") -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "—"
    return "—" if not math.isfinite(v) else fmt.format(v)


def _fit_rows(table, n_rows: int, at_most: int) -> None:
    """Compact rows, and a table as tall as its rows (up to ``at_most``): no empty band below."""
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    shown = max(1, min(n_rows, at_most))
    scroll = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows.defaultSectionSize() * shown + scroll + 2 * table.frameWidth() + 2)
