"""Photos and videos of an event: the ``attachments`` field convention, and the events layers' form and map tip.

The contract has no photo field. An events layer *may* have a text field
``attachments`` holding a list of file paths separated by ``;`` (QGIS's own
multiple-file format, ``"a.jpg" "b.mp4"``, is read too, since that is what
the form's file widget writes). :func:`split_attachments` and
:func:`join_attachments` read and write it.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, List, Optional

from qgis.core import QgsEditorWidgetSetup, QgsVectorLayer

from tranquillite_plugin.i18n import tr

ATTACHMENTS_FIELD = "attachments"
ATTACHMENT_SEPARATOR = ";"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff")
VIDEO_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".ogv")
ATTACHMENT_FILTER = "Photos and videos (*.jpg *.jpeg *.png *.gif *.webp *.mp4 *.mov *.avi *.mkv *.webm);;All files (*)"


def split_attachments(value) -> List[str]:
    """The file paths of an ``attachments`` value (``;`` list or QGIS's quoted list)."""
    if value is None:
        return []
    text = str(value).strip()
    if not text or text.upper() == "NULL":
        return []
    if text.startswith('"'):
        parts = re.findall(r'"([^"]*)"', text)
    else:
        parts = text.split(ATTACHMENT_SEPARATOR)
    return [p.strip() for p in parts if p.strip()]


def join_attachments(paths: Iterable[str]) -> str:
    paths = [str(p).strip() for p in paths if str(p).strip()]
    for p in paths:
        if ATTACHMENT_SEPARATOR in p:
            raise ValueError(tr("An attachment path cannot contain ';': {}").format(p))
    return ATTACHMENT_SEPARATOR.join(paths)


def is_image(path: str) -> bool:
    return os.path.splitext(str(path))[1].lower() in IMAGE_EXTENSIONS


def is_video(path: str) -> bool:
    return os.path.splitext(str(path))[1].lower() in VIDEO_EXTENSIONS


def attachments_widget_setup() -> QgsEditorWidgetSetup:
    """The form widget of the ``attachments`` field: pick several photos and videos."""
    return QgsEditorWidgetSetup(
        "ExternalResource",
        {
            "FileWidget": True,
            "FileWidgetButton": True,
            "FileWidgetFilter": ATTACHMENT_FILTER,
            "StorageMode": 2,  # QgsFileWidget.GetMultipleFiles
            "RelativeStorage": 0,  # absolute paths
            "DocumentViewer": 0,  # several files: no single preview (the map tip shows the first photo)
            "UseLink": True,
            "FullUrl": True,
        },
    )


def first_attachment_expression(field: str = ATTACHMENTS_FIELD) -> str:
    """QGIS expression: the first path of the attachments list (both formats)."""
    return (
        f"trim(replace(array_first(string_to_array("
        f"regexp_replace(coalesce(\"{field}\", ''), '\"\\\\s+\"', ';'), ';')), '\"', ''))"
    )


def events_map_tip(layer: Optional[QgsVectorLayer] = None) -> str:
    """HTML map tip: id, nature, participants, times and the first photo (or a link to the video)."""
    names = [f.name() for f in layer.fields()] if layer is not None else []
    lines = [
        "<div style=\"font-family: sans-serif; max-width: 280px\">",
        "<b>[% \"event_id\" %]</b> — [% \"nature\" %]<br/>",
    ]
    if not names or "participants" in names:
        lines.append(tr("Participants") + ": [% \"participants\" %]<br/>")
    if not names or ("start" in names and "end" in names):
        # the fields' formatter: Paris time for the store's UTC values (store.qgis_time)
        lines.append("[% represent_value(\"start\") %] → [% represent_value(\"end\") %]<br/>")
    if not names or ATTACHMENTS_FIELD in names:
        first = first_attachment_expression()
        url = f"CASE WHEN left({first}, 1) = '/' THEN 'file://' ELSE 'file:///' END || {first}"
        images = "|".join(e.lstrip(".") for e in IMAGE_EXTENSIONS)
        lines.append(
            "[% CASE WHEN " + first + " = '' THEN '' "
            f"WHEN regexp_match(lower({first}), '\\\\.({images})$') > 0 "
            f"THEN '<img src=\"' || {url} || '\" width=\"260\"/>' "
            f"ELSE '<a href=\"' || {url} || '\">" + tr("video or document") + "</a>' END %]"
        )
    lines.append("</div>")
    return "\n".join(lines)


def set_events_attachments(layer: QgsVectorLayer, field: str = ATTACHMENTS_FIELD) -> bool:
    """Attachment widget on ``attachments`` and the HTML map tip; False when the field is absent."""
    layer.setMapTipTemplate(events_map_tip(layer))
    idx = layer.fields().indexOf(field)
    if idx < 0:
        return False
    layer.setEditorWidgetSetup(idx, attachments_widget_setup())
    layer.setFieldAlias(idx, tr("Photos and videos"))
    return True
