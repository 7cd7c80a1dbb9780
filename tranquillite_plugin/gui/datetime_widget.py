"""The form widget of the store's datetimes: typed and shown in Europe/Paris time, kept in UTC.

Registered under :data:`~tranquillite_plugin.store.qgis_time.FORMATTER_ID`,
the id the store's layers give their datetime fields, so that the attribute
form, the attribute table's editor and the identify results use it, and the
field formatter of the same id shows the values. A typed wall time follows
the contract's rules (SPEC §2): the repeated hour in October is the first
(summer time), the skipped hour in March moves forward.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
from qgis.gui import QgsDateTimeEdit, QgsEditorConfigWidget, QgsEditorWidgetFactory, QgsEditorWidgetWrapper, QgsGui
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QDateTime, QVariant
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout

from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.i18n import tr
from tranquillite_plugin.store import qgis_time


def paris_wall(value) -> Optional[QDateTime]:
    """A store value -> its Paris wall time as a zone-less QDateTime (what the edit shows)."""
    paris = qgis_time.to_paris(value)
    if paris is None:
        return None
    return QDateTime(paris.date(), paris.time())


def instant_of_wall(wall: QDateTime) -> Optional[QDateTime]:
    """A typed Paris wall time -> the UTC QDateTime of that instant (SPEC §2's DST rules)."""
    if wall is None or not wall.isValid():
        return None
    d, t = wall.date(), wall.time()
    ts = pd.Timestamp(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec() * 1000)
    ts = ts.tz_localize(TZ, ambiguous=True, nonexistent="shift_forward")
    return qgis_time.utc_qdatetime(ts.value // 1_000_000)


class ParisDateTimeWrapper(QgsEditorWidgetWrapper):
    def __init__(self, layer, field_idx, editor, parent):
        super().__init__(layer, field_idx, editor, parent)
        self._edit: Optional[QgsDateTimeEdit] = None

    def createWidget(self, parent):  # noqa: N802 - QGIS's name
        self._edit = QgsDateTimeEdit(parent)
        return self._edit

    def initWidget(self, editor):  # noqa: N802
        if self._edit is None and editor is not None and editor.inherits("QgsDateTimeEdit"):
            # a form's own editor (a .ui form): QGIS 3.40 hands it as a plain QWidget
            self._edit = sip.cast(editor, QgsDateTimeEdit)
        if self._edit is not None:
            fmt = self.config().get("display_format") or qgis_time.DISPLAY_FORMAT
            self._edit.setDisplayFormat(fmt)
            self._edit.setCalendarPopup(True)
            self._edit.setAllowNull(bool(self.config().get("allow_null", True)))
            self._edit.valueChanged.connect(self._changed)

    def _changed(self, _value) -> None:
        self.emitValueChanged()

    def valid(self) -> bool:
        return self._edit is not None

    def value(self):
        if self._edit is None or self._edit.isNull():
            return QVariant()
        instant = instant_of_wall(self._edit.dateTime())
        return QVariant() if instant is None else instant

    def updateValues(self, value, additional_values=None):  # noqa: N802
        self.setValue(value)

    def setValue(self, value):  # noqa: N802 - what QGIS 3.22's updateValues calls
        if self._edit is None:
            return
        wall = paris_wall(value)
        if wall is None:
            self._edit.clear()
        else:
            self._edit.setDateTime(wall)

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802
        if self._edit is not None:
            self._edit.setReadOnly(not enabled)
            self._edit.setEnabled(enabled)


class _ConfigWidget(QgsEditorConfigWidget):
    def __init__(self, layer, field_idx, parent):
        super().__init__(layer, field_idx, parent)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(tr("Stored in UTC, shown and typed in Europe/Paris time.")))

    def config(self):
        return {"display_format": qgis_time.DISPLAY_FORMAT, "allow_null": True}

    def setConfig(self, config):  # noqa: N802
        pass


class ParisDateTimeFactory(QgsEditorWidgetFactory):
    def __init__(self):
        super().__init__(tr("Date and time (Europe/Paris)"))

    def create(self, layer, field_idx, editor, parent):
        return ParisDateTimeWrapper(layer, field_idx, editor, parent)

    def configWidget(self, layer, field_idx, parent):  # noqa: N802
        return _ConfigWidget(layer, field_idx, parent)

    def fieldScore(self, layer, field_idx):  # noqa: N802
        """Supported on date-times (QGIS >= 3.30 checks before using a set widget); below QGIS's
        own date-time widget (20), so that QGIS never picks it for a field on its own."""
        from tranquillite_plugin.compat import is_date_or_datetime

        fields = layer.fields()
        return 5 if 0 <= field_idx < fields.count() and is_date_or_datetime(fields.at(field_idx)) else 0


_factory: Optional[ParisDateTimeFactory] = None


def register() -> None:
    """The field formatter and the form widget (once per QGIS session: the widget registry has no removal)."""
    global _factory
    qgis_time.register()
    registry = QgsGui.editorWidgetRegistry()
    if qgis_time.FORMATTER_ID in registry.factories():
        return
    _factory = ParisDateTimeFactory()
    registry.registerWidget(qgis_time.FORMATTER_ID, _factory)
