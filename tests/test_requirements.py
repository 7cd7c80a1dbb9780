"""The requirement bounds admit what each leg of the matrix really runs.

On Debian 13 the plugin runs on Debian's own packages (numpy 2.2, pandas 2.2,
shapely 2.1, scikit-learn 1.4) with no pip: a bound that excludes one of them
(``numpy<2`` did) would make the documented install line a lie. This test runs
on every leg (host venv, Debian 13 and sid chroots) against the packages that
are really imported.
"""

import importlib.metadata
import os

import pytest
from packaging.requirements import Requirement

HERE = os.path.dirname(os.path.abspath(__file__))


def _requirements():
    with open(os.path.join(HERE, os.pardir, "requirements.txt")) as f:
        lines = [line.split("#")[0].strip() for line in f]
    return [Requirement(line) for line in lines if line and not line.startswith("-") and not line.startswith("--")]


@pytest.mark.parametrize("req", _requirements(), ids=str)
def test_installed_version_is_admitted(req):
    if req.marker is not None and not req.marker.evaluate():
        pytest.skip(f"{req} does not apply to this Python")
    version = importlib.metadata.version(req.name)
    if version.startswith("0+unknown"):
        # Debian sid's python3-shapely 2.1 records no version in its metadata
        pytest.skip(f"{req.name}: the distribution's package records no version ({version})")
    assert req.specifier.contains(version, prereleases=True), (
        f"{req.name} {version} is installed on this leg but requirements.txt says {req}"
    )


def test_both_numpy_lines_are_exclusive():
    numpy = [r for r in _requirements() if r.name == "numpy"]
    assert numpy, "requirements.txt names numpy"
    assert sum(1 for r in numpy if r.marker is None or r.marker.evaluate()) == 1
