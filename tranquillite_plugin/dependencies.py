"""Checks the Python packages the plugin needs, without importing QGIS.

A missing package must give a clear message with the install command that works
on the machine QGIS runs on, never a crash at QGIS start-up:

- Debian 13+ (and sid), Ubuntu 24.04+ and their derivatives: the distribution's
  packages (``sudo apt install python3-pandas ...``), no pip, no venv;
- Debian 12: its pandas and shapely are too old, ``pip install --user`` is refused
  (externally managed environment) and a shapely wheel bundles a second GEOS that
  crashes QGIS: the project's venv, started with ``make qgis``;
- Windows (OSGeo4W / the QGIS installers): OSGeo4W packages, pip in the OSGeo4W Shell
  for the pure-Python rest;
- macOS: pip inside QGIS's own Python, keeping QGIS's shapely (a wheel brings its own GEOS).

Texts go through the ``tr`` the caller passes (the plugin's i18n.tr); the default
leaves them in English, for callers outside QGIS.
"""

from __future__ import annotations

import importlib
import sys
from typing import Callable, Dict, List, Optional, Tuple

#: (module, package name on PyPI, minimum version or None)
REQUIRED: List[Tuple[str, str, Optional[str]]] = [
    ("numpy", "numpy", None),
    ("pandas", "pandas", "2.1"),
    ("shapely", "shapely", "2.0"),
    ("sklearn", "scikit-learn", None),
    ("matplotlib", "matplotlib", None),
    ("phonenumbers", "phonenumbers", None),
    ("stdnum", "python-stdnum", None),
]

#: what the minimum version must offer, for a package whose build records no version
#: (Debian sid's python3-shapely 2.1 says ``0+unknown``): module -> attributes
CAPABILITIES: Dict[str, Tuple[str, ...]] = {
    "shapely": ("contains_xy", "from_wkb", "STRtree"),  # shapely 2's vectorised API
    "pandas": ("ArrowDtype",),  # pandas >= 2.0
}

#: PyPI name -> Debian/Ubuntu package
APT_PACKAGES: Dict[str, str] = {
    "numpy": "python3-numpy",
    "pandas": "python3-pandas",
    "shapely": "python3-shapely",
    "scikit-learn": "python3-sklearn",
    "matplotlib": "python3-matplotlib",
    "phonenumbers": "python3-phonenumbers",
    "python-stdnum": "python3-stdnum",
}
#: the line the README gives for Debian 13 / Ubuntu 24.04+ (apt installs only what is missing)
APT_LINE = "sudo apt install python3-pandas python3-shapely python3-sklearn python3-matplotlib python3-phonenumbers python3-stdnum"
#: PyPI name -> OSGeo4W package (the QGIS installers for Windows ship these)
OSGEO4W_PACKAGES: Dict[str, str] = {
    "numpy": "python3-numpy",
    "pandas": "python3-pandas",
    "shapely": "python3-shapely",
    "matplotlib": "python3-matplotlib",
}
#: Ubuntu releases from 24.04 on (for derivatives, which give their own VERSION_ID)
UBUNTU_APT_CODENAMES = {"noble", "oracular", "plucky", "questing", "resolute"}

APT = "apt"  # Debian 13+, sid, Ubuntu 24.04+
DEBIAN12 = "debian12"  # and older Debian/Ubuntu with QGIS >= 3.22: the venv route
WINDOWS = "windows"
MACOS = "macos"
OTHER = "other"


def _version_tuple(text: str):
    out = []
    for part in str(text).split(".")[:3]:
        digits = "".join(c for c in part if c.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def _recent_enough(mod, module: str, minimum: str) -> bool:
    version = str(getattr(mod, "__version__", "") or "")
    if not version or version.startswith("0+unknown"):
        # no usable version: judge by the API the minimum brings
        wanted = CAPABILITIES.get(module)
        return bool(wanted) and all(hasattr(mod, name) for name in wanted)
    return _version_tuple(version) >= _version_tuple(minimum)


def missing_packages(required=REQUIRED) -> List[str]:
    """PyPI names of the packages that are missing or too old (``shapely>=2`` when too old)."""
    missing = []
    for module, package, minimum in required:
        try:
            mod = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - any import failure means unusable
            missing.append(package)
            continue
        if minimum and not _recent_enough(mod, module, minimum):
            missing.append(f"{package}>={minimum}")
    return missing


def _bare(requirement: str) -> str:
    for sep in "<>=!~ ":
        requirement = requirement.split(sep)[0]
    return requirement


def read_os_release(path: str = "/etc/os-release") -> Dict[str, str]:
    """KEY=value pairs of an os-release file ({} when absent)."""
    values: Dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return values
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def detect_platform(os_release: str = "/etc/os-release", system: Optional[str] = None) -> str:
    """APT, DEBIAN12, WINDOWS, MACOS or OTHER, for the machine this Python runs on."""
    system = system or sys.platform
    if system.startswith("win"):
        return WINDOWS
    if system == "darwin":
        return MACOS
    info = read_os_release(os_release)
    ids = [info.get("ID", "").lower()] + info.get("ID_LIKE", "").lower().split()
    version = _version_tuple(info.get("VERSION_ID", "")) if info.get("VERSION_ID") else None
    if ids[0] == "ubuntu":
        return APT if version and version >= (24, 4) else DEBIAN12
    if "ubuntu" in ids:  # Linux Mint, Pop!_OS, ...: their own numbering, Ubuntu's codename
        return APT if info.get("UBUNTU_CODENAME", "").lower() in UBUNTU_APT_CODENAMES else DEBIAN12
    if "debian" in ids:
        if version is None:  # testing and sid carry no VERSION_ID
            return APT
        return APT if version >= (13,) else DEBIAN12
    return OTHER


def install_advice(missing: List[str], platform: Optional[str] = None, tr: Callable[[str], str] = lambda s: s) -> str:
    """How to install ``missing`` (PyPI names) on ``platform`` (detected when None): whole sentences."""
    platform = platform or detect_platform()
    names = [_bare(m) for m in missing]
    if platform == APT:
        extra = [APT_PACKAGES[n] for n in names if n in APT_PACKAGES and APT_PACKAGES[n] not in APT_LINE.split()]
        return tr("Install them in a terminal with: {} — then restart QGIS.").format(" ".join([APT_LINE] + extra))
    if platform == DEBIAN12:
        return tr(
            "On Debian 12, pandas and shapely are too old, pip install --user is refused (externally managed "
            "environment) and a shapely wheel brings a second GEOS that crashes QGIS. Use the project's virtual "
            "environment: in the plugin's source folder, run {} (it builds shapely against Debian's GEOS and "
            "starts QGIS with it). Debian 13 and Ubuntu 24.04 or later need only: {}"
        ).format("make qgis", APT_LINE)
    if platform == WINDOWS:
        osgeo = [OSGEO4W_PACKAGES[n] for n in names if n in OSGEO4W_PACKAGES]
        rest = [n for n in names if n not in OSGEO4W_PACKAGES]
        parts = []
        if osgeo:
            parts.append(tr("Install {} with the OSGeo4W installer (Advanced Install).").format(", ".join(osgeo)))
        if rest:
            parts.append(tr("Install the others in the OSGeo4W Shell with: {}").format("python -m pip install " + " ".join(rest)))
        return " ".join(parts + [tr("Then restart QGIS.")])
    if platform == MACOS:
        parts = []
        pip_names = [n for n in names if n != "shapely"]
        if pip_names:
            parts.append(tr("Install them with the Python inside QGIS (QGIS's Python console shows its path: "
                            "import sys; sys.executable): {} —").format("<that python> -m pip install --user " + " ".join(pip_names)))
        if "shapely" in names:
            parts.append(tr(
                "For shapely, prefer the one your QGIS package provides: a shapely wheel from pip brings its own GEOS, "
                "which can clash with the GEOS QGIS loads (crashes seen on Linux). If you must, build it against "
                "QGIS's GEOS: {}"
            ).format("<that python> -m pip install --user --no-binary shapely shapely"))
        return " ".join(parts)
    return tr(
        "Install them with your distribution's packages ({}); avoid pip wheels of shapely, which bring a second "
        "GEOS that can crash QGIS."
    ).format(", ".join(names))
