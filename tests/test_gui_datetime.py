"""The store's datetime form widget: typed and shown in Europe/Paris time, written as the UTC instant."""

import pandas as pd
import pytest
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

from tranquillite_plugin.gui import datetime_widget
from tranquillite_plugin.store import qgis_time
from tranquillite_plugin.store.observatory import Observatory


@pytest.mark.parametrize(
    "wall, utc",
    [
        ("2026-10-25 02:30", "2026-10-25T00:30:00Z"),  # the repeated hour: the first (summer time)
        ("2026-03-29 02:30", "2026-03-29T01:00:00Z"),  # the skipped hour: forward to 03:00
        ("2026-07-14 22:30", "2026-07-14T20:30:00Z"),
        ("2026-01-10 08:15", "2026-01-10T07:15:00Z"),
    ],
)
def test_typed_paris_time_is_the_instant(wall, utc):
    ts = pd.Timestamp(wall)
    q = QDateTime(QDate(ts.year, ts.month, ts.day), QTime(ts.hour, ts.minute))
    got = datetime_widget.instant_of_wall(q)
    assert got.timeSpec() == Qt.TimeSpec.UTC
    assert got.toMSecsSinceEpoch() == pd.Timestamp(utc).value // 1_000_000


def test_form_widget_on_a_store_layer_shows_paris_and_writes_utc(tmp_path, qgis_app):
    from qgis.gui import QgsGui

    QgsGui.editorWidgetRegistry().initEditors()  # what QGIS does at start-up
    from tranquillite_plugin.store.qgis_store import store_layer

    datetime_widget.register()
    path = str(tmp_path / "store.gpkg")
    utc = pd.Series(pd.to_datetime(["2026-10-25T01:30:00Z"], utc=True))
    with Observatory.create(path) as obs:
        obs.import_layer(
            "axes",
            pd.DataFrame({"axis_id": ["A1"], "name": ["Canebière"], "status": ["dense"], "updated_at": utc.dt.tz_convert("Europe/Paris"),
                          "geometry": [__import__("shapely").LineString([(890_000, 6_245_000), (891_000, 6_246_000)])]}),
        )
        layer = store_layer(obs, "axes")
        idx = layer.fields().indexOf("updated_at")
        setup = layer.editorWidgetSetup(idx)
        assert setup.type() == qgis_time.FORMATTER_ID
        # the attribute form QGIS builds (C++) uses the plugin's widget: Paris time shown
        from qgis.gui import QgsAttributeForm, QgsDateTimeEdit

        feat = next(layer.getFeatures())
        form = QgsAttributeForm(layer, feat)
        edits = form.findChildren(QgsDateTimeEdit)
        assert len(edits) == 1
        edit = edits[0]
        assert edit.dateTime().toString("dd/MM/yyyy HH:mm") == "25/10/2026 02:30"  # the second 02:30 (CET)
        # the user types 14 July 22:30 (Paris) and saves: the store gets 20:30 UTC
        form.deleteLater()
        assert layer.startEditing()
        form = QgsAttributeForm(layer, feat)  # in single edit mode: editable
        edit = form.findChildren(QgsDateTimeEdit)[0]
        edit.setDateTime(QDateTime(QDate(2026, 7, 14), QTime(22, 30)))
        assert form.save()
        assert layer.commitChanges(), layer.commitErrors()
        form.deleteLater()
        back = obs.read("axes")
        assert back["updated_at"].iloc[0] == pd.Timestamp("2026-07-14T20:30:00Z")
        # the attribute table's formatter shows it in Paris time
        layer2 = store_layer(obs, "axes")
        f2 = next(layer2.getFeatures())
        shown = qgis_time.ParisDateTimeFormatter().representValue(layer2, idx, setup.config(), None, f2["updated_at"])
        assert shown == "14/07/2026 22:30"
