"""A missing package gives a message with the install command that works on this platform, never a crash."""

import pytest
from qgis.core import Qgis, QgsApplication

from tranquillite_plugin import dependencies

OS_RELEASES = {
    "debian13": ('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\n'
                 'VERSION="13 (trixie)"\nVERSION_CODENAME=trixie\nID=debian\n', dependencies.APT),
    "debian12": ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
                 dependencies.DEBIAN12),
    "sid": ('PRETTY_NAME="Debian GNU/Linux forky/sid"\nNAME="Debian GNU/Linux"\nVERSION_CODENAME=forky\nID=debian\n',
            dependencies.APT),
    "ubuntu2404": ('NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=noble\n', dependencies.APT),
    "ubuntu2510": ("NAME=Ubuntu\nVERSION_ID='25.10'\nID=ubuntu\nID_LIKE=debian\n", dependencies.APT),
    "ubuntu2204": ('NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n',
                   dependencies.DEBIAN12),
    "mint22": ('NAME="Linux Mint"\nVERSION_ID="22"\nID=linuxmint\nID_LIKE="ubuntu debian"\nUBUNTU_CODENAME=noble\n',
               dependencies.APT),
    "mint21": ('NAME="Linux Mint"\nVERSION_ID="21.3"\nID=linuxmint\nID_LIKE="ubuntu debian"\nUBUNTU_CODENAME=jammy\n',
               dependencies.DEBIAN12),
    "raspbian12": ('# comment\nID=raspbian\nID_LIKE=debian\nVERSION_ID="12"\n', dependencies.DEBIAN12),
    "fedora": ('NAME="Fedora Linux"\nVERSION_ID=41\nID=fedora\n', dependencies.OTHER),
}


@pytest.mark.parametrize("name", sorted(OS_RELEASES))
def test_platform_from_os_release(tmp_path, name):
    text, expected = OS_RELEASES[name]
    path = tmp_path / "os-release"
    path.write_text(text, encoding="utf-8")
    assert dependencies.detect_platform(str(path), system="linux") == expected


def test_platform_without_os_release_and_on_windows_and_macos(tmp_path):
    assert dependencies.detect_platform(str(tmp_path / "absent"), system="linux") == dependencies.OTHER
    assert dependencies.detect_platform(str(tmp_path / "absent"), system="win32") == dependencies.WINDOWS
    assert dependencies.detect_platform(str(tmp_path / "absent"), system="darwin") == dependencies.MACOS


def test_each_platform_gets_the_command_that_works_there():
    missing = ["scikit-learn", "shapely>=2.0", "phonenumbers"]
    apt = dependencies.install_advice(missing, dependencies.APT)
    assert ("sudo apt install python3-pandas python3-shapely python3-sklearn python3-matplotlib python3-phonenumbers "
            "python3-stdnum") in apt
    assert "pip" not in apt
    debian12 = dependencies.install_advice(missing, dependencies.DEBIAN12)
    assert "make qgis" in debian12 and "externally managed" in debian12 and "GEOS" in debian12
    assert "pip install --user" in debian12 and "refused" in debian12  # named only as what does not work
    windows = dependencies.install_advice(missing, dependencies.WINDOWS)
    assert "OSGeo4W" in windows and "python3-shapely" in windows
    assert "python -m pip install scikit-learn phonenumbers" in windows and "pip install shapely" not in windows
    macos = dependencies.install_advice(missing, dependencies.MACOS)
    assert "-m pip install --user scikit-learn phonenumbers" in macos
    assert "its own GEOS" in macos and "--no-binary shapely" in macos
    other = dependencies.install_advice(missing, dependencies.OTHER)
    assert "distribution's packages" in other and "GEOS" in other


def test_missing_and_too_old_packages_are_listed(monkeypatch):
    import sys
    import types

    old = types.ModuleType("tq_old_shapely")
    old.__version__ = "1.8.5"  # Debian 12's python3-shapely
    monkeypatch.setitem(sys.modules, "tq_old_shapely", old)
    required = [
        ("json", "json-is-stdlib", None),
        ("a_module_that_does_not_exist", "imaginary-package", None),
        ("tq_old_shapely", "shapely", "2.0"),
    ]
    assert dependencies.missing_packages(required) == ["imaginary-package", "shapely>=2.0"]


def test_a_build_without_a_version_is_judged_by_its_api(monkeypatch):
    """Debian sid's python3-shapely 2.1 reports ``0+unknown``: still shapely 2."""
    import types

    import shapely

    monkeypatch.setattr(shapely, "__version__", "0+unknown")
    assert dependencies.missing_packages([("shapely", "shapely", "2.0")]) == []
    old = types.ModuleType("shapely")
    old.__version__ = "0+unknown"  # and no shapely 2 API: too old
    monkeypatch.setitem(__import__("sys").modules, "shapely", old)
    assert dependencies.missing_packages([("shapely", "shapely", "2.0")]) == ["shapely>=2.0"]


def test_everything_needed_is_here():
    assert dependencies.missing_packages() == []


def test_this_machine_is_recognised():
    """The host is Debian 12 (the project's minimum), the CI chroots Debian 13 and sid."""
    info = dependencies.read_os_release()
    if info.get("ID") != "debian":
        pytest.skip(f"not a Debian machine: {info.get('PRETTY_NAME')}")
    expected = dependencies.DEBIAN12 if info.get("VERSION_ID") == "12" else dependencies.APT
    assert dependencies.detect_platform() == expected


@pytest.mark.parametrize("platform, expected, absent", [
    (dependencies.DEBIAN12, "make qgis", "pip install --user scikit-learn"),
    (dependencies.APT, "sudo apt install python3-pandas", "pip"),
])
def test_plugin_warns_in_the_message_bar_and_registers_nothing(qgis_iface, monkeypatch, platform, expected, absent):
    import tranquillite_plugin.plugin as plugin_module

    monkeypatch.setattr(plugin_module, "missing_packages", lambda: ["scikit-learn"])
    monkeypatch.setattr(dependencies, "detect_platform", lambda: platform)
    before = QgsApplication.processingRegistry().providerById("tranquillite")
    plugin = plugin_module.TranquillitePlugin(qgis_iface)
    plugin.initProcessing()
    plugin.initGui()
    texts = [t for t in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning) if "scikit-learn" in t]
    assert texts and expected in texts[-1] and absent not in texts[-1], texts
    assert plugin.actions == [] and plugin.provider is None
    assert QgsApplication.processingRegistry().providerById("tranquillite") is before
    plugin.unload()
