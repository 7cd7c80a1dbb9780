"""Checks the Python packages the plugin needs, without importing QGIS.

A missing package must give a clear message with the install command, never a
crash at QGIS start-up.
"""

import importlib
from typing import List, Tuple

#: (module, pip requirement, minimum version or None)
REQUIRED: List[Tuple[str, str, str]] = [
    ("numpy", "numpy<2", None),
    ("pandas", "pandas", None),
    ("shapely", "shapely>=2", "2.0"),
    ("sklearn", "scikit-learn", None),
]


def _version_tuple(text: str):
    out = []
    for part in str(text).split(".")[:3]:
        digits = "".join(c for c in part if c.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def missing_packages(required=REQUIRED) -> List[str]:
    """pip requirements of the packages that are missing or too old."""
    missing = []
    for module, requirement, minimum in required:
        try:
            mod = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - any import failure means unusable
            missing.append(requirement)
            continue
        if minimum and _version_tuple(getattr(mod, "__version__", "0")) < _version_tuple(minimum):
            missing.append(requirement)
    return missing


def install_command(missing: List[str]) -> str:
    quoted = " ".join(f'"{m}"' if any(c in m for c in "<>=") else m for m in missing)
    return f"python3 -m pip install --user {quoted}"


def require_sklearn():
    """Imports scikit-learn lazily, with the command to install it when missing."""
    try:
        import sklearn  # noqa: F401
        from sklearn.ensemble import RandomForestRegressor
    except ImportError as err:
        raise ImportError(
            "scikit-learn is needed for the random forest: " + install_command(["scikit-learn"])
        ) from err
    return RandomForestRegressor
