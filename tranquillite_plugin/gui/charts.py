"""A small horizontal bar chart drawn with QPainter (no matplotlib in the docks).

Each bar is (label, value, colour); an optional second value per bar is drawn
as a thin marker (e.g. the selected similar event against the mean of all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from qgis.PyQt.QtCore import QRectF, QSize, Qt
from qgis.PyQt.QtGui import QColor, QFontMetrics, QPainter, QPen
from qgis.PyQt.QtWidgets import QSizePolicy, QWidget


@dataclass
class Bar:
    label: str
    value: float
    colour: str = "#4f6d9a"
    marker: Optional[float] = None  # a second value, drawn as a tick


class BarChart(QWidget):
    """Horizontal bars, labels on the left, values at the end of the bars."""

    BAR_HEIGHT = 16
    GAP = 5

    def __init__(self, parent=None, value_format: str = "{:.1f}", empty_text: str = ""):
        super().__init__(parent)
        self.bars: List[Bar] = []
        self.value_format = value_format
        self.empty_text = empty_text
        self.marker_label = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(40)

    def set_bars(self, bars: List[Bar], marker_label: str = "") -> None:
        self.bars = list(bars)
        self.marker_label = marker_label
        self.updateGeometry()
        self.setMinimumHeight(self._content_height())
        self.update()

    def _content_height(self) -> int:
        if not self.bars:
            return 40
        legend = self.BAR_HEIGHT + self.GAP if self.marker_label else 0
        return 8 + len(self.bars) * (self.BAR_HEIGHT + self.GAP) + legend

    def sizeHint(self):  # noqa: N802 - Qt's name
        return QSize(280, self._content_height())

    def minimumSizeHint(self):  # noqa: N802
        return QSize(160, self._content_height())

    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(palette.WindowText)
        fm = QFontMetrics(self.font())
        w = self.width()
        if not self.bars:
            p.setPen(QColor(120, 120, 120))
            p.drawText(self.rect().adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            p.end()
            return
        label_w = min(max(fm.horizontalAdvance(b.label) for b in self.bars) + 8, int(w * 0.45))
        top_value = max([b.value for b in self.bars] + [b.marker or 0 for b in self.bars] + [1e-12])
        value_w = max(fm.horizontalAdvance(self.value_format.format(b.value)) for b in self.bars) + 8
        x0 = label_w + 4
        span = max(10, w - x0 - value_w - 4)
        y = 4
        for b in self.bars:
            p.setPen(text_colour)
            label = fm.elidedText(b.label, Qt.TextElideMode.ElideRight, label_w - 6)
            p.drawText(QRectF(0, y, label_w - 6, self.BAR_HEIGHT), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            length = span * max(0.0, b.value) / top_value
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(b.colour))
            p.drawRoundedRect(QRectF(x0, y + 2, max(length, 1.5), self.BAR_HEIGHT - 4), 2, 2)
            if b.marker is not None:
                mx = x0 + span * max(0.0, b.marker) / top_value
                p.setPen(QPen(QColor(20, 20, 20), 2))
                p.drawLine(int(mx), y, int(mx), y + self.BAR_HEIGHT)
            p.setPen(text_colour)
            end = length if b.marker is None else max(length, span * max(0.0, b.marker) / top_value + 2)
            p.drawText(
                QRectF(x0 + end + 4, y, value_w, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.value_format.format(b.value),
            )
            y += self.BAR_HEIGHT + self.GAP
        if self.marker_label:
            p.setPen(QPen(QColor(20, 20, 20), 2))
            p.drawLine(x0 + 6, y, x0 + 6, y + self.BAR_HEIGHT)
            p.setPen(QColor(90, 90, 90))
            p.drawText(QRectF(x0 + 18, y, w - x0 - 18, self.BAR_HEIGHT), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.marker_label)
        p.end()
