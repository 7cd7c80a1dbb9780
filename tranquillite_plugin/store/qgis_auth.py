"""Credentials of a PostGIS store from QGIS's authentication database (``authcfg``).

A store target may say ``authcfg=<id>`` instead of holding a user and
password: the store's own connection (psycopg2) then asks QGIS's
authentication manager for the libpq parameters, as QGIS's postgres provider
does for the store's layers. The password stays in memory; nothing here logs
or returns it beyond the connection call. With the Basic method and
``sslmode=verify-ca``/``verify-full``, QGIS also hands over the certificate
authorities it trusts (``sslrootcert``).
"""

from __future__ import annotations

import re
from typing import Dict

from qgis.core import QgsApplication


class AuthcfgError(ValueError):
    """An authcfg QGIS cannot apply (store/backend.py raises it as a StoreError)."""


_ITEM = re.compile(r"""^(\w+)=(?:'((?:[^'\\]|\\.)*)'|(\S*))$""")


def _quoted(value: str) -> str:
    text = str(value)
    if re.match(r"^[\w.\-/:]+$", text):  # as QGIS writes them: its methods read e.g. sslmode=verify-full unquoted
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def resolve(parts: Dict[str, str], authcfg: str) -> Dict[str, str]:
    manager = QgsApplication.authManager()
    if manager is None or authcfg not in manager.configIds():
        raise AuthcfgError(f"authcfg '{authcfg}' is not in this QGIS profile's authentication database")
    items = [f"{k}={_quoted(v)}" for k, v in parts.items() if v not in (None, "")]
    ok, items = manager.updateDataSourceUriItems(items, authcfg, "postgres")
    if not ok:
        raise AuthcfgError(f"authcfg '{authcfg}' could not be applied (is the authentication database unlocked?)")
    out: Dict[str, str] = {}
    for item in items:
        m = _ITEM.match(item.strip())
        if m:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            out[m.group(1)] = re.sub(r"\\(.)", r"\1", value)
    return out

