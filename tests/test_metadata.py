"""metadata.txt: what QGIS's plugin manager (3.22 to 4.x) and the plugin repository read."""

from __future__ import annotations

import configparser
import pathlib
import re

PLUGIN = pathlib.Path(__file__).resolve().parents[1] / "tranquillite_plugin"


def general():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive for QGIS
    assert parser.read(PLUGIN / "metadata.txt", encoding="utf-8")
    return parser["general"]


def version_tuple(text):
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", text), text
    return tuple(int(p) for p in text.split("."))


def test_versions_admit_qgis_3_22_to_4_x():
    md = general()
    assert version_tuple(md["qgisMinimumVersion"]) == (3, 22)
    assert version_tuple(md["qgisMaximumVersion"]) == (4, 99)
    assert md["supportsQt6"] == "True"
    assert version_tuple(md["version"])


def test_every_required_field_is_there_and_valid():
    md = general()
    for key in ("name", "description", "about", "version", "author", "email", "repository"):
        assert md.get(key, "").strip(), key
    assert "\n" not in md["description"]
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", md["email"])
    for key in ("homepage", "tracker", "repository"):
        assert md[key].startswith("https://"), key
    for key in ("experimental", "deprecated", "server"):
        assert md[key] in ("True", "False"), key
    assert md["hasProcessingProvider"] in ("yes", "no")
    assert (PLUGIN / md["icon"]).is_file()


def test_about_does_not_offer_a_command_that_fails_on_debian():
    """pip install --user is refused on Debian 12+ (externally managed) and a shapely wheel crashes QGIS."""
    assert "pip install" not in general()["about"]
