"""The observatory store seen from QGIS: its layers, the project's store, store detection.

* :func:`store_layer` / :func:`store_layers` make QGIS layers on the store's
  tables. On PostGIS they refresh on notification
  (``setRefreshOnNotifyEnabled``) with the table's own message, so that
  when another workstation commits a change the layer redraws (SPEC §6).
  Events, which mix points, itineraries and areas in one table, are shown as
  three layers, one per geometry type, as QGIS shows any mixed table.
* :func:`remember_store` / :func:`remembered_store` keep the last store of
  each QGIS project (a project entry, never a password) and of the user.
* :func:`store_target_of_layer` tells whether a layer lives in a store (a
  GeoPackage or PostgreSQL schema holding the store's marker table), so
  that algorithms working on store layers write their audit row there.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsDefaultValue,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
)

from tranquillite_plugin.i18n import tr
from tranquillite_plugin.store.backend import parse_target
from tranquillite_plugin.store.qgis_time import configure_display
from tranquillite_plugin.store.schema import LAYER_KINDS

PROJECT_SCOPE = "tranquillite"
PROJECT_KEY = "store"

#: events' geometry types, as QGIS splits a mixed table
EVENT_GEOMETRIES = (("Point", "points"), ("LineString", "itineraries"), ("Polygon", "areas"))


def layer_title(kind: str, part: Optional[str] = None, status: Optional[str] = None) -> str:
    titles = {
        "facts": tr("Facts"),
        "events": tr("Planned events") if status == "planned" else tr("Events"),
        "sectors": tr("Sectors"),
        "axes": tr("Traffic axes"),
        "cameras": tr("Cameras"),
    }
    parts = {"points": tr("points"), "itineraries": tr("itineraries"), "areas": tr("areas")}
    title = titles[kind]
    return f"{title} ({parts[part]})" if part else title


def store_layer(
    obs,
    kind: str,
    name: Optional[str] = None,
    geometry_type: Optional[str] = None,
    status: Optional[str] = None,
) -> QgsVectorLayer:
    """A QGIS layer on the store's ``kind`` (``planned`` for planned events), live on PostGIS."""
    if kind == "planned":
        kind, status = "events", "planned"
    uri = obs.uri(kind, geometry_type=geometry_type, status=status)
    layer = QgsVectorLayer(uri, name or layer_title(kind, status=status), obs.provider)
    if not layer.isValid():
        raise IOError(tr("Layer {} of store {} cannot be opened").format(kind, obs.target))
    if not layer.crs().isValid():
        # every event at once on PostGIS (a GeometryCollection layer): the provider cannot tell the CRS
        layer.setCrs(QgsCoordinateReferenceSystem(obs.crs))
    _base_edits_on_version(layer)
    message = obs.notify_message(kind)
    # QGIS 3.22's notification listener frees memory twice on a source with an authcfg (the process
    # aborts): such layers redraw on the next refresh instead; a pg_service entry keeps live redraw
    if message and "authcfg=" not in uri:
        set_message = getattr(layer, "setRefreshOnNotifyMessage", None) or layer.setRefreshOnNofifyMessage  # 3.22's spelling
        set_message(message)
        layer.setRefreshOnNotifyEnabled(True)
    layer.setCustomProperty("tranquillite/store", obs.target)
    layer.setCustomProperty("tranquillite/kind", "planned" if status == "planned" else kind)
    configure_display(layer)  # UTC stored, Europe/Paris shown and typed
    return layer


def _base_edits_on_version(layer: QgsVectorLayer) -> None:
    """An edited feature tells the server which version it was read at (PostGIS stores with versions).

    ``version`` is re-set on every change of the feature to minus the value
    the layer read (a default value applied on update; QGIS sends only values
    that changed), so the UPDATE QGIS commits says ``version = -<as read>``:
    the server refuses it when another workstation
    changed the row since (store/pg_security.py), and QGIS shows its message
    in the commit errors. The server's columns are read-only in forms.
    """
    fields = layer.fields()
    idx = fields.indexOf("version")
    if layer.providerType() != "postgres" or idx < 0:
        return
    layer.setDefaultValueDefinition(idx, QgsDefaultValue('-abs("version")', True))
    form = layer.editFormConfig()
    for name in ("version", "updated_by", "updated_at"):
        if fields.indexOf(name) >= 0:
            form.setReadOnly(fields.indexOf(name), True)
    layer.setEditFormConfig(form)


def store_layers(obs, kinds: Iterable[str] = LAYER_KINDS, split_events: bool = True) -> List[QgsVectorLayer]:
    """Layers on the store: one per kind, events as points, itineraries and areas."""
    out = []
    for kind in kinds:
        if kind == "events" and split_events:
            for gtype, part in EVENT_GEOMETRIES:
                out.append(store_layer(obs, "events", layer_title("events", part), geometry_type=gtype))
        else:
            out.append(store_layer(obs, kind))
    return out


# --- the project's store -------------------------------------------------------------------


def remember_store(target: str, project: Optional[QgsProject] = None) -> str:
    """Remembers ``target`` as the store of the project (and the user's last store); no password kept."""
    text = parse_target(target).display()
    project = project or QgsProject.instance()
    project.writeEntry(PROJECT_SCOPE, PROJECT_KEY, text)
    try:
        from tranquillite_plugin import settings

        settings.set("last_store", text)
    except Exception:  # noqa: BLE001 - settings unavailable: the project entry is enough
        pass
    return text


def remembered_store(project: Optional[QgsProject] = None, fallback_to_last: bool = True) -> str:
    """The project's store, else (``fallback_to_last``) the user's last one, else ''."""
    project = project or QgsProject.instance()
    value, found = project.readEntry(PROJECT_SCOPE, PROJECT_KEY, "")
    if found and value:
        return value
    if fallback_to_last:
        try:
            from tranquillite_plugin import settings

            return settings.get("last_store") or ""
        except Exception:  # noqa: BLE001
            return ""
    return ""


# --- detection ---------------------------------------------------------------------------------

_known: Dict[str, Optional[str]] = {}


def store_target_of_layer(layer) -> Optional[str]:
    """The store target a layer lives in, or None (results cached per data source)."""
    if layer is None:
        return None
    prop = layer.customProperty("tranquillite/store") if hasattr(layer, "customProperty") else None
    provider = layer.providerType() if hasattr(layer, "providerType") else ""
    source = layer.source() if hasattr(layer, "source") else ""
    key = f"{provider}:{source}"
    if key in _known:
        return _known[key]
    target = None
    candidates = [prop] if prop else []
    if provider == "ogr":
        path = QgsProviderRegistry.instance().decodeUri("ogr", source).get("path") or ""
        if path.lower().endswith(".gpkg"):
            candidates.append(path)
    elif provider == "postgres":
        uri = QgsDataSourceUri(source)
        schema = uri.schema()
        if not schema:  # a filtered layer of every event: "(SELECT * FROM schema.events WHERE ...)"
            found = re.match(r"^\(SELECT \* FROM ([A-Za-z_][A-Za-z0-9_]*)\.", uri.table() or "")
            schema = found.group(1) if found else ""
        if schema:
            candidates.append(f"{uri.connectionInfo(False)} schema={schema}")
    from tranquillite_plugin.store.observatory import Observatory

    for candidate in candidates:
        if candidate and Observatory.is_store(candidate):
            target = candidate
            break
    _known[key] = target
    return target


def forget_detection() -> None:
    """Clears the detection cache (after a store's grants or contents changed where a layer was detected)."""
    _known.clear()
