"""Audit tab: the audit trail of the observatory store and its verification.

The store (store/observatory.py, store/audit.py) writes one hash-chained row
per import, scoring, training, prediction, backtest and export. Until a store
is open, the tab says so instead of showing an empty table.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
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
        layout.addStretch(0)
        controller.storeChanged.connect(self.refresh)
        controller.auditChanged.connect(self.refresh)
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

    def verify(self) -> None:
        try:
            ok, message = self.controller.verify_audit()
        except Exception as err:  # noqa: BLE001
            ok, message = False, str(err)
        self.verification.setVisible(True)
        self.verification.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.verification.setText(message)
