"""One logger for the plugin: messages go to QGIS's log panel, tag "Tranquillité"."""

from qgis.core import Qgis, QgsMessageLog

TAG = "Tranquillité"


def log(message: str, level=Qgis.MessageLevel.Info) -> None:
    QgsMessageLog.logMessage(str(message), TAG, level)


def warning(message: str) -> None:
    log(message, Qgis.MessageLevel.Warning)
