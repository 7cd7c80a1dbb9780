"""What the current login may do on the open store, said in words; the edits the Audit tab shows.

On PostGIS the server decides (roles made by createstore, store/pg_security.py);
the dock only says it and greys out what the login may not do. A GeoPackage's
user owns the file and may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from qgis.PyQt.QtGui import QBrush, QColor

from tranquillite_plugin.i18n import tr

ROLES = ("reader", "editor", "analyst", "owner")
#: the least role each of the dock's actions needs
NEEDS = {"import": "analyst", "save_model": "analyst", "settings": "analyst", "edit": "editor"}


def _words():
    return {
        "reader": tr("may view the layers, compute scores and predictions and append its own audit rows; "
                     "may not edit, import, write scores or save models"),
        "editor": tr("may view, compute and edit traffic axes, events, planned events and cameras; "
                     "may not import, write scores or save models"),
        "analyst": tr("may view, compute, edit, import layers, write scores, change the store's settings and save models"),
        "owner": tr("may do everything, including changing the store's structure and roles"),
        None: tr("has no role on this store: it may not even read it"),
    }


@dataclass
class Access:
    login: str
    role: Optional[str]
    text: str

    def may(self, action: str) -> bool:
        need = NEEDS.get(action, "reader")
        return self.role in ROLES and ROLES.index(self.role) >= ROLES.index(need)


def store_access(store) -> Access:
    """The open store's access for this login (everything when no store or a GeoPackage)."""
    if store is None:
        return Access("", "owner", "")
    if store.backend_name != "postgis":
        from tranquillite_plugin.store.audit import os_user

        login = os_user()
        return Access(login, "owner", tr("{login} owns this GeoPackage: {words}").format(login=login, words=_words()["owner"]))
    from tranquillite_plugin.store.pg_security import rights_of

    try:
        rights = rights_of(store.backend)
    except Exception as err:  # noqa: BLE001 - said, not raised: the server decides anyway
        return Access("?", "reader", tr("The rights of this login could not be read: {}").format(err))
    role = rights["role"]
    return Access(rights["login"], role, tr("Logged in as {login} ({role}): {words}").format(
        login=rights["login"], role=role or tr("no role"), words=_words()[role]))


def describe_change(row: dict) -> str:
    """An ``edit`` audit row in words: 'axes A12: status fluide → ferme' (the first few changes)."""
    if row.get("algorithm") != "edit":
        return ""
    params = row.get("parameters") if isinstance(row.get("parameters"), dict) else {}
    summary = row.get("summary") if isinstance(row.get("summary"), dict) else {}
    table, op = params.get("table", "?"), params.get("operation", "")
    parts = []
    for change in (summary.get("changes") or [])[:3]:
        key = change.get("key") or change.get("fid")
        if op == "UPDATE":
            old, new = change.get("old") or {}, change.get("new") or {}
            what = ", ".join(f"{c} {old.get(c)} → {new.get(c)}" for c in sorted(set(old) | set(new)))
            if change.get("geometry_changed"):
                what = ", ".join(filter(None, [what, tr("geometry moved")]))
            parts.append(f"{table} {key}: {what}")
        else:
            parts.append(tr("{table} {key}: added").format(table=table, key=key) if op == "INSERT"
                         else tr("{table} {key}: deleted").format(table=table, key=key))
    more = int(row.get("n_features") or 0) - len(parts)
    if more > 0:
        parts.append(tr("and {} more").format(more))
    return "; ".join(parts)


def mark_first_bad(table, check) -> None:
    """Paints the row of the first bad audit entry red in the Audit tab's table (rows newest first)."""
    red = QBrush(QColor("#fdecea"))
    for i in range(table.rowCount()):
        first = table.item(i, 0)
        bad = check is not None and not check.ok and first is not None and first.text() == str(check.first_bad)
        for j in range(table.columnCount()):
            item = table.item(i, j)
            if item is not None:
                item.setBackground(red if bad else QBrush())
        if bad:
            table.scrollToItem(first)
