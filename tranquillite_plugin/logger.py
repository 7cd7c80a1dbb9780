"""One logger for the plugin: messages go to QGIS's log panel, tag "Tranquillité"."""

from qgis.core import Qgis, QgsMessageLog

TAG = "Tranquillité"


def log(message: str, level=Qgis.Info) -> None:
    QgsMessageLog.logMessage(str(message), TAG, level)


def warning(message: str) -> None:
    log(message, Qgis.Warning)


def critical(message: str) -> None:
    log(message, Qgis.Critical)
