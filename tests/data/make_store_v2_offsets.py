"""Builds tests/data/store_v2_offsets.gpkg with the plugin as of main 50bf479 (offset datetimes)."""
import os
import sqlite3
import sys

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.timeutil import TZ
from tranquillite_plugin.store.observatory import Observatory

out = sys.argv[1]
if os.path.exists(out):
    os.remove(out)
obs = Observatory.create(out, "EPSG:2154")
# instants across both 2026 DST changes (UTC), plus ordinary ones
utc = pd.to_datetime([
    "2026-03-29T00:59:59.999Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00.123Z",
    "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z",
    "2026-07-14T20:30:00Z", "2026-01-01T00:00:00Z", "1999-12-31T23:00:00.5Z", "2026-11-23T13:30:00Z",
], utc=True, format="ISO8601")
n = len(utc)
facts = pd.DataFrame({
    "x": 890_000 + np.arange(n) * 10.0, "y": 6_245_000 + np.arange(n) * 10.0,
    "category": ["vol", "violence", "nuisance", "secours", "vol", "autre", "degradation", "vol", "secours", "nuisance"],
    "occurred_at": utc.tz_convert(TZ), "count": [1, 2, 1, 1, 3, 1, 1, 1, 2, 1], "source": "police municipale",
})
obs.import_layer("facts", facts)
ev = pd.DataFrame({
    "event_id": ["E1", "E2", "P1"], "nature": ["concert", "manifestation", "festival"], "participants": [1000, 300, 50],
    "start": pd.to_datetime(["2026-03-29T00:30:00Z", "2026-10-25T00:00:00Z", "2026-12-24T18:00:00Z"], utc=True, format="ISO8601").tz_convert(TZ),
    "end": pd.to_datetime(["2026-03-29T03:00:00Z", "2026-10-25T03:00:00Z", "2026-12-24T22:00:00Z"], utc=True, format="ISO8601").tz_convert(TZ),
    "geometry": [shapely.Point(890_020, 6_245_020), shapely.LineString([(890_000, 6_245_000), (890_100, 6_245_100)]), shapely.Point(890_050, 6_245_050)],
})
obs.import_layer("events", ev.iloc[:2])
obs.import_layer("events", ev.iloc[2:], status="planned")
obs.import_layer("sectors", pd.DataFrame({"sector_id": ["S1"], "name": ["Centre"], "geometry": [shapely.box(889_000, 6_244_000, 892_000, 6_247_000)]}))
obs.import_layer("axes", pd.DataFrame({"axis_id": ["A1"], "name": ["Canebière"], "status": ["dense"],
    "updated_at": pd.to_datetime(["2026-10-25T01:15:00Z"], utc=True, format="ISO8601").tz_convert(TZ),
    "geometry": [shapely.LineString([(890_000, 6_245_000), (891_000, 6_246_000)])]}))
obs.import_layer("cameras", pd.DataFrame({"camera_id": ["C1"], "radius_m": [50.0], "x": [890_010.0], "y": [6_245_010.0]}))
obs.write_scores(pd.DataFrame({"event_id": ["E1", "E2"], "score": [7.0, 4.5], "n_facts": [3, 2],
    "scored_at": pd.to_datetime(["2026-11-01T10:00:00Z", "2026-11-01T10:00:00Z"], utc=True, format="ISO8601")}))
obs.write_scores(pd.DataFrame({"event_id": ["P1"], "predicted": [3.0], "predicted_low": [1.0], "predicted_high": [5.0],
    "predicted_at": pd.to_datetime(["2026-03-29T01:00:00Z"], utc=True, format="ISO8601"), "model_fingerprint": ["abc"]}), algorithm="predictevents")
obs.close()
c = sqlite3.connect(out)
c.execute("VACUUM")
c.close()
