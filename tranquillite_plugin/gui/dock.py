"""The plugin's dock: tabs Data, Event, Results, Audit, and a task bar at the bottom."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tranquillite_plugin.gui.audit_panel import AuditPanel
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.data_panel import DataPanel
from tranquillite_plugin.gui.event_panel import EventPanel
from tranquillite_plugin.gui.model_comparison import ModelComparisonBox
from tranquillite_plugin.gui.results_panel import ResultsPanel
from tranquillite_plugin.gui.transparency_box import TransparencyBox
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.logger import log, warning

DATA_TAB, EVENT_TAB, RESULTS_TAB, AUDIT_TAB = range(4)


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class TranquilliteDock(QgsDockWidget):
    def __init__(self, controller: Controller, parent=None):
        super().__init__(tr("Tranquillité publique"), parent)
        self.setObjectName("TranquilliteDock")
        self.controller = controller
        self.iface = controller.iface
        root = QWidget()
        layout = QVBoxLayout(root)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("TranquilliteTabs")
        self.data_panel = DataPanel(controller)
        self.event_panel = EventPanel(controller)
        self.results_panel = ResultsPanel(controller)
        self.audit_panel = AuditPanel(controller)
        self.model_comparison = ModelComparisonBox(controller)
        self.audit_panel.layout().insertWidget(self.audit_panel.layout().count() - 1, self.model_comparison)
        self.tabs.addTab(scrolled(self.data_panel), tr("Data"))
        self.tabs.addTab(scrolled(self.event_panel), tr("Event"))
        self.tabs.addTab(scrolled(self.results_panel), tr("Results"))
        self.transparency_box = TransparencyBox(controller)
        audit_tab = QWidget()
        audit_layout = QVBoxLayout(audit_tab)
        audit_layout.setContentsMargins(0, 0, 0, 0)
        audit_layout.addWidget(self.audit_panel)
        audit_layout.addWidget(self.transparency_box)
        self.tabs.addTab(scrolled(audit_tab), tr("Audit"))
        layout.addWidget(self.tabs, 1)

        # --- the task bar -----------------------------------------------------------------
        bar = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("task_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #444444;")
        bar.addWidget(self.status, 1)
        self.progress = QProgressBar()
        self.progress.setObjectName("task_progress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(140)
        self.progress.setVisible(False)
        bar.addWidget(self.progress)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(controller.cancel_tasks)
        bar.addWidget(self.cancel_button)
        layout.addLayout(bar)
        self.setWidget(root)
        self.setMinimumWidth(380)

        controller.busy.connect(self._busy)
        controller.progress.connect(lambda p: self.progress.setValue(int(round(p))))
        controller.idle.connect(self._idle)
        controller.failed.connect(self._failed)
        controller.info.connect(self._info)
        controller.predictionReady.connect(lambda _p: self.tabs.setCurrentIndex(RESULTS_TAB))

    def _busy(self, description: str) -> None:
        self.status.setText(description + "…")
        self.status.setStyleSheet("color: #444444;")
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        if self.status.text().endswith("…"):
            self.status.setText(tr("Done."))

    def _failed(self, message: str) -> None:
        warning(message)
        self.status.setText(message)
        self.status.setStyleSheet("color: #b00020;")
        self.iface.messageBar().pushMessage(tr("Tranquillité publique"), message, Qgis.MessageLevel.Critical, 10)

    def _info(self, message: str) -> None:
        log(message)
        self.status.setText(message)
        self.status.setStyleSheet("color: #444444;")

    def show_tab(self, index: int) -> None:
        self.setUserVisible(True)
        self.tabs.setCurrentIndex(index)


def add_dock(iface, controller: Controller) -> TranquilliteDock:
    dock = TranquilliteDock(controller, iface.mainWindow())
    iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return dock
