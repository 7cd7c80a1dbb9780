"""Shared test set-up: the repository root on sys.path, headless Qt."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# this run's audit signing key and offline anchors: never the developer's (store/tamper.py)
if "TRANQUILLITE_HOME" not in os.environ:
    import tempfile

    os.environ["TRANQUILLITE_HOME"] = tempfile.mkdtemp(prefix="tq-home-")

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def tranquillite_provider(qgis_processing):
    """Processing initialised with the plugin's provider registered for one test module.

    The provider is removed afterwards, so a test of the plugin itself finds
    the registry as QGIS would at start-up.
    """
    from qgis.core import QgsApplication

    from tranquillite_plugin.processing.provider import TranquilliteProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("tranquillite")
    added = provider is None
    if added:
        provider = TranquilliteProvider()
        registry.addProvider(provider)
    yield provider
    if added and registry.providerById("tranquillite") is not None:
        registry.removeProvider("tranquillite")


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL 15 + PostGIS server on 127.0.0.1 for the session (tests/pg_server.py).

    Fails (does not skip) when the server cannot run and CI is set.
    """
    from conftest_store import start_pg_server

    server = start_pg_server()
    yield server
    server.stop()
