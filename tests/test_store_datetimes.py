"""Datetimes stored in UTC (GeoPackage ``...Z``, PostGIS ``timestamptz``), shown in Europe/Paris time.

Exact instants across both DST changes, round trips through the store (both
backends), plain GDAL, psycopg2 and QGIS's own providers, the Paris display
(field formatter, ``represent_value``), the Temporal Controller's filter, and
the migration of a store written by schema 2 (Paris time with offsets).
"""

import os
import shutil
import sqlite3

import conftest_store
import numpy as np
import pandas as pd
import pytest
from conftest_store import raw_sql

from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.store.observatory import Observatory
from tranquillite_plugin.store.schema import SCHEMA_VERSION

pg_target = conftest_store.pg_target
store_target = conftest_store.store_target

FIXTURE = os.path.join(os.path.dirname(__file__), "data", "store_v2_offsets.gpkg")

#: instants around the 2026 DST changes (UTC), and their Paris wall time
INSTANTS = [
    ("2026-03-29T00:59:59.999Z", "29/03/2026 01:59:59"),  # last CET second before spring forward
    ("2026-03-29T01:00:00Z", "29/03/2026 03:00:00"),  # first CEST instant
    ("2026-10-25T00:30:00Z", "25/10/2026 02:30:00"),  # 02:30, first time (CEST)
    ("2026-10-25T01:30:00Z", "25/10/2026 02:30:00"),  # 02:30, second time (CET)
    ("2026-07-14T20:30:00.250Z", "14/07/2026 22:30:00"),
    ("1999-12-31T23:00:00Z", "01/01/2000 00:00:00"),
]


def _utc(texts):
    return pd.Series(pd.to_datetime(list(texts), utc=True, format="ISO8601"))


def _us(series) -> np.ndarray:
    return series.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]").to_numpy().view(np.int64)


def _facts(utc: pd.Series) -> pd.DataFrame:
    n = len(utc)
    return pd.DataFrame(
        {
            "x": 890_000.0 + np.arange(n),
            "y": 6_245_000.0 + np.arange(n),
            "category": ["vol"] * n,
            "occurred_at": utc.dt.tz_convert(TZ),
            "count": np.ones(n, np.int64),
        }
    )


class GdalMessages:
    """GDAL's messages during a block (a handler of our own, popped after)."""

    def __enter__(self):
        from osgeo import gdal

        self.messages = []
        gdal.PushErrorHandler(lambda cls, no, msg: self.messages.append((cls, msg)))
        return self

    def __exit__(self, *exc):
        from osgeo import gdal

        gdal.PopErrorHandler()


def test_instants_round_trip_through_the_store_gdal_and_qgis(store_target, qgis_app):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    from tranquillite_plugin.store.qgis_store import store_layer
    from tranquillite_plugin.store.qgis_time import FORMATTER_ID, instant_ms

    utc = _utc(t for t, _ in INSTANTS)
    expect_us = _us(utc)
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", _facts(utc))
        back = obs.read("facts").sort_values("fid")
        assert np.array_equal(_us(back["occurred_at"]), expect_us - expect_us % 1000)  # ms kept
        # what is stored: UTC text in a GeoPackage, instants in PostGIS
        if obs.backend_name == "gpkg":
            stored = [r[0] for r in raw_sql(obs, "SELECT occurred_at FROM {facts} ORDER BY fid")]
            assert stored == [pd.Timestamp(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{pd.Timestamp(t).microsecond // 1000:03d}Z" for t in utc]
            from osgeo import ogr

            with GdalMessages() as gdal_log:  # plain GDAL, no filter: exact and silent
                ds = ogr.Open(obs.path)
                got = []
                for feat in ds.GetLayerByName("facts"):
                    y, mo, d, h, mi, s, tz = feat.GetFieldAsDateTime("occurred_at")
                    assert tz == 100  # UTC
                    whole = int(s)
                    t = pd.Timestamp(year=y, month=mo, day=d, hour=h, minute=mi, second=whole, tz="UTC")
                    got.append(int(t.value // 1000) + round((s - whole) * 1000) * 1000)
                ds = None
            assert gdal_log.messages == []
            assert got == list(expect_us - expect_us % 1000)
        else:
            rows = raw_sql(obs, "SELECT (extract(epoch FROM occurred_at) * 1000000)::bigint FROM {facts} ORDER BY fid")
            assert [r[0] for r in rows] == list(expect_us)
        # QGIS's own provider: the same instants, shown in Paris time
        layer = store_layer(obs, "facts")
        idx = layer.fields().indexOf("occurred_at")
        setup = layer.editorWidgetSetup(idx)
        assert setup.type() == FORMATTER_ID
        from qgis.core import QgsApplication

        formatter = QgsApplication.fieldFormatterRegistry().fieldFormatter(FORMATTER_ID)
        feats = sorted(layer.getFeatures(), key=lambda f: f.id())
        assert [instant_ms(f["occurred_at"]) for f in feats] == list(expect_us // 1000)
        config = dict(setup.config(), display_format="dd/MM/yyyy HH:mm:ss")
        shown = [formatter.representValue(layer, idx, config, None, f["occurred_at"]) for f in feats]
        assert shown == [p for _, p in INSTANTS]
        # expressions and map tips go through the same formatter
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        context.setFeature(feats[1])
        assert QgsExpression('represent_value("occurred_at")').evaluate(context) == "29/03/2026 03:00"


@pytest.mark.parametrize("hours", [0.0, 1.0])
def test_temporal_controller_selects_by_instant(store_target, qgis_app, hours):
    from qgis.core import QgsDateTimeRange, QgsFeatureRequest, QgsVectorLayerTemporalContext
    from qgis.PyQt.QtCore import QDateTime, Qt

    from tranquillite_plugin.store.qgis_store import store_layer
    from tranquillite_plugin.styles import set_facts_temporal

    utc = _utc(t for t, _ in INSTANTS)
    us = _us(utc)
    with Observatory.create(store_target) as obs:
        obs.import_layer("facts", _facts(utc))
        layer = store_layer(obs, "facts")
        set_facts_temporal(layer, "occurred_at", hours=hours)
        props = layer.temporalProperties()
        # ranges whose bounds fall on no fact (so that bound conventions do not matter)
        for lo, hi in [("2026-03-29T00:30:00.5Z", "2026-03-29T01:00:00.5Z"), ("2026-10-25T00:00:00.5Z", "2026-10-25T01:00:00.5Z"),
                       ("2026-10-25T01:00:00.5Z", "2026-10-25T02:00:00.5Z"), ("2026-07-14T18:00:00.5Z", "2026-07-14T20:00:00.5Z")]:
            a, b = (int(pd.Timestamp(t).value // 1000) for t in (lo, hi))
            # in the local time of this machine, as the controller hands it: the same instant
            begin = QDateTime.fromMSecsSinceEpoch(a // 1000).toLocalTime()
            end = QDateTime.fromMSecsSinceEpoch(b // 1000, Qt.TimeSpec.UTC).toLocalTime()
            rng = QgsDateTimeRange(begin, end)
            text = props.createFilterString(QgsVectorLayerTemporalContext(), rng)
            got = sorted(f.id() for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(text)))
            dur = int(hours * 3600e6)
            want = sorted(int(fid) for fid, t in zip(obs.read("facts")["fid"], us) if t + dur >= a and t <= b)
            assert got == want, (lo, hi, text)


def test_migration_of_a_schema_2_store(tmp_path):
    path = str(tmp_path / "old.gpkg")
    shutil.copy(FIXTURE, path)
    conn = sqlite3.connect(path)
    before = {r[0]: r[1] for r in conn.execute("SELECT fid, occurred_at FROM facts")}
    events_before = conn.execute('SELECT event_id, start, "end", scored_at, predicted_at FROM events ORDER BY event_id').fetchall()
    conn.close()
    assert all("+0" in v for v in before.values())  # Paris time with offsets, as schema 2 wrote
    with Observatory.open(path, upgrade=False) as obs:
        assert obs.schema_version == 2
        old_read = obs.read("facts").sort_values("fid")
        old_events = obs.read("events").sort_values("event_id")
    with Observatory.open(path) as obs:
        assert obs.schema_version == SCHEMA_VERSION == 4
        assert obs.audit_rows()[-1].algorithm == "upgradestore"
        assert obs.verify_audit().ok
        new_read = obs.read("facts").sort_values("fid")
        new_events = obs.read("events").sort_values("event_id")
    assert np.array_equal(_us(new_read["occurred_at"]), _us(old_read["occurred_at"]))
    for c in ("start", "end", "scored_at", "predicted_at"):
        a, b = old_events[c].reset_index(drop=True), new_events[c].reset_index(drop=True)
        assert (a.isna() == b.isna()).all() and (a[a.notna()] == b[b.notna()]).all(), c
    conn = sqlite3.connect(path)
    after = {r[0]: r[1] for r in conn.execute("SELECT fid, occurred_at FROM facts")}
    texts = [v for row in conn.execute('SELECT start, "end", scored_at, predicted_at FROM events') for v in row if v] + [
        r[0] for r in conn.execute("SELECT updated_at FROM axes")
    ]
    conn.close()
    assert all(v.endswith("Z") for v in list(after.values()) + texts)
    # the instants of the script that made the fixture
    assert after[4] == "2026-10-25T00:30:00.000Z" and after[5] == "2026-10-25T01:30:00.000Z"
    assert after[1] == "2026-03-29T00:59:59.999Z" and after[9] == "1999-12-31T23:00:00.500Z"
    assert len(events_before) == 3
    # QGIS opens the migrated store without a GDAL warning
    from osgeo import ogr

    with GdalMessages() as log:
        ds = ogr.Open(path)
        for name in ("facts", "events", "axes"):
            for _feat in ds.GetLayerByName(name):
                pass
        ds = None
    assert log.messages == []


def test_failed_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    from tranquillite_plugin.store import audit

    path = str(tmp_path / "old.gpkg")
    shutil.copy(FIXTURE, path)
    with open(path, "rb") as f:
        original = f.read()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        Observatory.open(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM tq_meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    assert all("+0" in r[0] for r in conn.execute("SELECT occurred_at FROM facts"))
    conn.close()
    with Observatory.open(path) as obs:  # and a later open migrates it
        assert obs.schema_version == SCHEMA_VERSION and obs.verify_audit().ok
    assert len(original) > 0


def test_reader_detects_the_datetime_encoding_per_layer(tmp_path):
    """Arrow int64 where GDAL gives the instant (all 'Z', or no zone: Paris time), text otherwise."""
    from osgeo import ogr

    from tranquillite_plugin.store.layer_reader import column_encoding, read_ogr

    path = str(tmp_path / "src.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    values = {
        "utc": ["2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00Z", None],
        "naive": ["2026-10-25T02:30:00", "2026-03-29T02:30:00", None],  # ambiguous -> first; skipped -> forward
        "offsets": ["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", None],
        "mixed": ["2026-10-25T00:30:00Z", "2026-10-25T02:30:00", None],
    }
    for name, texts in values.items():
        lyr = ds.CreateLayer(name, None, ogr.wkbNone)
        lyr.CreateField(ogr.FieldDefn("t", ogr.OFTDateTime))
        for t in texts:
            feat = ogr.Feature(lyr.GetLayerDefn())
            if t:
                feat.SetField("t", t)
            lyr.CreateFeature(feat)
    ds = None
    # OGR normalises what it writes: put the exact texts in with SQLite
    conn = sqlite3.connect(path)
    for name, texts in values.items():
        for fid, t in enumerate(texts, start=1):
            conn.execute(f'UPDATE "{name}" SET t = ? WHERE fid = ?', (t, fid))
    conn.commit()
    conn.close()
    assert [column_encoding(path, n, "t") for n in values] == ["utc", "local", "text", "text"]
    expect = {
        "utc": ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"],
        "naive": ["2026-10-25T00:30:00Z", "2026-03-29T01:00:00Z"],
        "offsets": ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"],
        "mixed": ["2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z"],
    }
    for name, want in expect.items():
        raw = read_ogr(path, name)
        s = raw.attributes["t"]
        assert isinstance(s.dtype, pd.DatetimeTZDtype) or name in ("offsets", "mixed"), name
        from tranquillite_plugin.core.timeutil import parse_datetimes

        parsed, bad = parse_datetimes(s)
        assert not bad.any()
        assert list(_us(parsed[:2])) == list(_us(_utc(want))), name
        assert pd.isna(parsed.iloc[2])
