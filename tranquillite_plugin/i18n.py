"""Translation: every user-visible string goes through :func:`tr`."""

import os

from qgis.PyQt.QtCore import QCoreApplication, QSettings, QTranslator

CONTEXT = "Tranquillite"
_translator = None


def tr(text: str, context: str = CONTEXT) -> str:
    return QCoreApplication.translate(context, text)


def locale_code() -> str:
    """The QGIS locale ('fr', 'en', ...)."""
    value = QSettings().value("locale/userLocale", "") or ""
    if not value:
        from qgis.PyQt.QtCore import QLocale

        value = QLocale.system().name()
    return str(value)[:2]


def install_translator(locale: str = None) -> bool:
    """Loads i18n/tranquillite_<locale>.qm when it exists; True when loaded."""
    global _translator
    locale = (locale or locale_code())[:2]
    path = os.path.join(os.path.dirname(__file__), "i18n", f"tranquillite_{locale}.qm")
    if not os.path.exists(path):
        return False
    translator = QTranslator()
    if not translator.load(path):
        return False
    remove_translator()
    QCoreApplication.installTranslator(translator)
    _translator = translator
    return True


def remove_translator() -> None:
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
