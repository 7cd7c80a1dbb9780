"""Shared test set-up: the repository root on sys.path, headless Qt."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tranquillite_provider(qgis_processing):
    """Processing initialised with the plugin's provider registered (once per session)."""
    from qgis.core import QgsApplication

    from tranquillite_plugin.processing.provider import TranquilliteProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("tranquillite")
    if provider is None:
        provider = TranquilliteProvider()
        registry.addProvider(provider)
    return provider
