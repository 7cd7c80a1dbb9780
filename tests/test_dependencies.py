"""A missing package gives a message with the install command, never a crash."""

from qgis.core import Qgis, QgsApplication

from tranquillite_plugin import dependencies


def test_missing_and_too_old_packages_are_listed():
    required = [
        ("json", "json-is-stdlib", None),
        ("a_module_that_does_not_exist", "imaginary-package>=1", None),
        ("shapely", "shapely>=99", "99.0"),
    ]
    assert dependencies.missing_packages(required) == ["imaginary-package>=1", "shapely>=99"]
    assert dependencies.install_command(["scikit-learn", "shapely>=2"]) == 'python3 -m pip install --user scikit-learn "shapely>=2"'


def test_everything_needed_is_here():
    assert dependencies.missing_packages() == []


def test_plugin_warns_in_the_message_bar_and_registers_nothing(qgis_iface, monkeypatch):
    import tranquillite_plugin.plugin as plugin_module

    monkeypatch.setattr(plugin_module, "missing_packages", lambda: ["scikit-learn"])
    before = QgsApplication.processingRegistry().providerById("tranquillite")
    plugin = plugin_module.TranquillitePlugin(qgis_iface)
    plugin.initProcessing()
    plugin.initGui()
    texts = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    assert any("pip install --user scikit-learn" in t for t in texts), texts
    assert plugin.actions == [] and plugin.provider is None
    assert QgsApplication.processingRegistry().providerById("tranquillite") is before
    plugin.unload()
