"""Tranquillité publique — QGIS plugin entry point.

Nothing heavy is imported here: QGIS calls :func:`classFactory` and the plugin
imports its parts when they are first needed.
"""


def classFactory(iface):  # noqa: N802 - QGIS's name
    from tranquillite_plugin.plugin import TranquillitePlugin

    return TranquillitePlugin(iface)
