"""Event tab: draw and describe a planned event, then estimate its score."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Optional

from qgis.core import QgsGeometry, QgsWkbTypes
from qgis.PyQt.QtCore import QDateTime, QSize, Qt, QTime
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tranquillite_plugin.core.contract import NATURES
from tranquillite_plugin.gui.controller import Controller
from tranquillite_plugin.gui.footprint_tool import LINE, POINT, POLYGON, mode_labels, mode_of
from tranquillite_plugin.gui.planned import PlannedEvent
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.vocabulary import nature_labels

ATTACHMENT_FILTER_EXTS = "*.jpg *.jpeg *.png *.gif *.webp *.heic *.mp4 *.mov *.avi *.mkv *.webm"
DATETIME_FORMAT = "ddd dd/MM/yyyy HH:mm"


def format_area(m2: float) -> str:
    if m2 >= 1_000_000:
        return tr("{:.2f} km²").format(m2 / 1_000_000)
    if m2 >= 10_000:
        return tr("{:.1f} ha").format(m2 / 10_000)
    return tr("{:,.0f} m²").format(m2).replace(",", "\u202f")


def format_length(m: float) -> str:
    if m >= 1000:
        return tr("{:.2f} km").format(m / 1000)
    return tr("{:.0f} m").format(m)


class EventPanel(QWidget):
    def __init__(self, controller: Controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("TranquilliteEventPanel")
        self.geometry: Optional[QgsGeometry] = None  # working CRS
        self.loaded_fid: Optional[int] = None
        layout = QVBoxLayout(self)

        # --- which event --------------------------------------------------------------------
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Planned event")))
        self.existing = QComboBox()
        self.existing.setObjectName("planned_events")
        self.existing.setToolTip(tr("Open a planned event saved earlier to change it"))
        self.existing.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.existing.activated.connect(self._open_selected)
        top.addWidget(self.existing, 1)
        self.new_button = QPushButton(tr("New"))
        self.new_button.clicked.connect(self.new_event)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        # --- footprint ----------------------------------------------------------------------
        fbox = QGroupBox(tr("Footprint"))
        flayout = QVBoxLayout(fbox)
        brow = QHBoxLayout()
        self.mode_group = QButtonGroup(self)
        self.mode_buttons = {}
        tips = {
            POINT: tr("A place: a rally point, a ceremony"),
            LINE: tr("An itinerary: a march, a race"),
            POLYGON: tr("An area: a concert, a festival ground"),
        }
        for mode, text in mode_labels().items():
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tips[mode])
            b.setCheckable(True)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setMinimumWidth(80)
            b.clicked.connect(lambda _=False, m=mode: self.draw(m))
            self.mode_group.addButton(b)
            self.mode_buttons[mode] = b
            brow.addWidget(b)
        self.edit_button = QToolButton()
        self.edit_button.setText(tr("Edit vertices"))
        self.edit_button.setToolTip(tr("Drag the vertices of the footprint on the map"))
        self.edit_button.clicked.connect(self.edit_vertices)
        brow.addWidget(self.edit_button)
        brow.addStretch(1)
        flayout.addLayout(brow)
        self.hint = QLabel(
            tr("Click on the map to add vertices; right-click or double-click finishes. Backspace removes the last vertex, Esc cancels.")
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        flayout.addWidget(self.hint)
        self.footprint_info = QLabel(tr("No footprint drawn yet."))
        self.footprint_info.setObjectName("footprint_info")
        self.footprint_info.setWordWrap(True)
        flayout.addWidget(self.footprint_info)
        layout.addWidget(fbox)

        # --- description --------------------------------------------------------------------
        dbox = QGroupBox(tr("Description"))
        form = QFormLayout(dbox)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.event_id = QLineEdit()
        self.event_id.setObjectName("event_id")
        form.addRow(tr("Identifier"), self.event_id)
        self.nature = QComboBox()
        self.nature.setObjectName("nature")
        labels = nature_labels()
        for code in NATURES:
            self.nature.addItem(labels[code], code)
        form.addRow(tr("Nature"), self.nature)
        self.participants = QSpinBox()
        self.participants.setObjectName("participants")
        self.participants.setRange(0, 5_000_000)
        self.participants.setSingleStep(100)
        self.participants.setGroupSeparatorShown(True)
        self.participants.setValue(1000)
        form.addRow(tr("Participants"), self.participants)
        self.start = QDateTimeEdit()
        self.start.setObjectName("start")
        self.end = QDateTimeEdit()
        self.end.setObjectName("end")
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat(DATETIME_FORMAT)
        self.start.dateTimeChanged.connect(self._keep_end_after_start)
        form.addRow(tr("Start"), self.start)
        form.addRow(tr("End"), self.end)
        self.sector = QLineEdit()
        self.sector.setObjectName("sector")
        self.sector.setPlaceholderText(tr("found from the sectors when empty"))
        form.addRow(tr("Sector"), self.sector)
        layout.addWidget(dbox)

        # --- attachments --------------------------------------------------------------------
        abox = QGroupBox(tr("Photos and videos"))
        alayout = QHBoxLayout(abox)
        self.attachments = QListWidget()
        self.attachments.setObjectName("attachments")
        self.attachments.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.attachments.setMaximumHeight(80)
        self.attachments.setIconSize(QSize(16, 16))
        alayout.addWidget(self.attachments, 1)
        acol = QVBoxLayout()
        add = QPushButton(tr("Add…"))
        add.clicked.connect(self.choose_attachments)
        remove = QPushButton(tr("Remove"))
        remove.clicked.connect(self.remove_attachments)
        acol.addWidget(add)
        acol.addWidget(remove)
        acol.addStretch(1)
        alayout.addLayout(acol)
        layout.addWidget(abox)

        # --- actions ------------------------------------------------------------------------
        arow = QHBoxLayout()
        arow.addStretch(1)
        self.save_button = QPushButton(tr("Save"))
        self.save_button.setToolTip(tr("Save the planned event in the planned events layer"))
        self.save_button.clicked.connect(self.save)
        arow.addWidget(self.save_button)
        self.predict_button = QPushButton(tr("Estimate the score"))
        self.predict_button.setObjectName("predict_button")
        self.predict_button.setDefault(True)
        self.predict_button.setToolTip(tr("Find the similar past events and transfer their score (runs in the background)"))
        self.predict_button.clicked.connect(self.predict)
        arow.addWidget(self.predict_button)
        layout.addLayout(arow)
        layout.addStretch(1)

        controller.footprintChanged.connect(self.set_footprint)
        controller.plannedListChanged.connect(self.refresh_list)
        controller.busy.connect(lambda _t: self.predict_button.setEnabled(False))
        controller.idle.connect(lambda: self.predict_button.setEnabled(True))
        self.new_event()
        self.refresh_list()

    # --- form ------------------------------------------------------------------------------------

    def _keep_end_after_start(self, start: QDateTime) -> None:
        if self.end.dateTime() < start:
            self.end.setDateTime(start.addSecs(3 * 3600))

    def new_event(self) -> None:
        try:
            self.event_id.setText(self.controller.planned.next_id())
        except (IOError, RuntimeError):
            self.event_id.setText(f"P-{_dt.date.today():%Y%m%d}-1")
        start = QDateTime(QDateTime.currentDateTime().date().addDays(7), QTime(14, 0))
        self.start.setDateTime(start)
        self.end.setDateTime(start.addSecs(4 * 3600))
        self.nature.setCurrentIndex(self.nature.findData("manifestation"))
        self.participants.setValue(1000)
        self.sector.clear()
        self.attachments.clear()
        self.loaded_fid = None
        self.set_footprint(None)
        self.controller.tool.clear()
        self.existing.setCurrentIndex(0)

    def refresh_list(self) -> None:
        current = self.event_id.text()
        self.existing.blockSignals(True)
        self.existing.clear()
        self.existing.addItem(tr("(new event)"), "")
        try:
            ids = self.controller.planned.ids()
        except (IOError, RuntimeError):
            ids = []
        for event_id in ids:
            self.existing.addItem(event_id, event_id)
        i = self.existing.findData(current)
        self.existing.setCurrentIndex(max(i, 0))
        self.existing.blockSignals(False)

    def _open_selected(self, index: int) -> None:
        event_id = self.existing.itemData(index)
        if event_id:
            self.open_event(event_id)
        else:
            self.new_event()

    def open_event(self, event_id: str) -> bool:
        event = self.controller.planned.load(event_id)
        if event is None:
            return False
        self.event_id.setText(event.event_id)
        i = self.nature.findData(event.nature)
        self.nature.setCurrentIndex(i if i >= 0 else self.nature.findData("autre"))
        self.participants.setValue(int(event.participants))
        if event.start is not None:
            self.start.setDateTime(QDateTime(event.start))
        if event.end is not None:
            self.end.setDateTime(QDateTime(event.end))
        self.sector.setText(event.sector)
        self.attachments.clear()
        for path in event.attachments:
            self._add_attachment(path)
        self.loaded_fid = event.fid
        self.set_footprint(event.geometry)
        self.controller.show_planned_footprint(event.geometry)
        return True

    def planned_event(self) -> PlannedEvent:
        return PlannedEvent(
            event_id=self.event_id.text().strip(),
            nature=self.nature.currentData(),
            participants=self.participants.value(),
            start=self.start.dateTime().toPyDateTime(),
            end=self.end.dateTime().toPyDateTime(),
            geometry=QgsGeometry(self.geometry) if self.geometry is not None else None,
            sector=self.sector.text().strip(),
            attachments=[self.attachments.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.attachments.count())],
            fid=self.loaded_fid,
        )

    # --- footprint ----------------------------------------------------------------------------------

    def draw(self, mode: str) -> None:
        for m, b in self.mode_buttons.items():
            b.setChecked(m == mode)
        self.controller.start_drawing(mode)

    def edit_vertices(self) -> None:
        if self.geometry is None:
            self.footprint_info.setText(tr("Draw a footprint first: choose Point, Itinerary or Area."))
            return
        self.controller.edit_footprint(self.geometry)

    def set_footprint(self, geometry: Optional[QgsGeometry]) -> None:
        """The footprint drawn (working CRS), or None."""
        self.geometry = QgsGeometry(geometry) if geometry is not None and not geometry.isEmpty() else None
        self.edit_button.setEnabled(self.geometry is not None)
        if self.geometry is None:
            self.footprint_info.setText(tr("No footprint drawn yet: choose Point, Itinerary or Area, then click on the map."))
            return
        for m, b in self.mode_buttons.items():
            b.setChecked(m == mode_of(self.geometry))
        s = self.controller.score_settings()
        kind = self.geometry.type()
        if kind == QgsWkbTypes.PointGeometry:
            what = tr("Point; scored on a disc of {} m radius").format(f"{s.point_buffer_m:g}")
        elif kind == QgsWkbTypes.LineGeometry:
            what = tr("Itinerary of {}; scored on a strip {} m either side").format(format_length(self.geometry.length()), f"{s.line_buffer_m:g}")
        else:
            what = tr("Area of {}").format(format_area(self.geometry.area()))
        self.footprint_info.setText(what)

    # --- attachments ----------------------------------------------------------------------------

    def choose_attachments(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, tr("Photos and videos"), "", tr("Photos and videos ({});;All files (*)").format(ATTACHMENT_FILTER_EXTS)
        )
        for path in paths:
            self._add_attachment(path)

    def _add_attachment(self, path: str) -> None:
        if ";" in path:
            self.controller.failed.emit(tr("An attachment path cannot contain ';': {}").format(path))
            return
        item = QListWidgetItem(os.path.basename(path))
        item.setToolTip(path)
        item.setData(Qt.ItemDataRole.UserRole, path)
        self.attachments.addItem(item)

    def remove_attachments(self) -> None:
        for item in self.attachments.selectedItems():
            self.attachments.takeItem(self.attachments.row(item))

    # --- actions ----------------------------------------------------------------------------------

    def save(self) -> bool:
        event = self.planned_event()
        ok = self.controller.save_planned(event)
        if ok:
            self.loaded_fid = event.fid
        return ok

    def predict(self):
        return self.controller.predict(self.planned_event())
