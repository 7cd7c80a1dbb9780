"""Trend alerts on the map: the sectors with their trends as a temporary (memory) layer,
styled as ``tranquillite:trends``'s output (styles.style_trends_layer: sectors in alert
in red, labelled with their driving category; the others outlined in grey)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
from qgis.core import QgsVectorLayer

from tranquillite_plugin.i18n import tr

#: the fields of the alert layer (a subset of core.trends.SECTOR_FIELDS)
LAYER_FIELDS = (
    "sector", "name", "alert", "driving_category", "recent", "baseline_mean", "ratio", "z",
    "driving_recent", "driving_baseline", "driving_ratio", "driving_z", "alert_categories",
)


def alerts_frame(result, sectors: pd.DataFrame) -> pd.DataFrame:
    """The trend result's sectors table with their geometry; ``alert`` as 0/1, an infinite ratio empty."""
    table = result.sectors[list(LAYER_FIELDS)].copy()
    table["alert"] = table["alert"].astype(bool).astype(np.int64)
    for c in ("ratio", "driving_ratio"):
        v = table[c].to_numpy(float)
        table[c] = np.where(np.isfinite(v), v, np.nan)
    by_id = dict(zip(sectors["sector_id"].astype(str), sectors["geometry"]))
    table["geometry"] = [by_id.get(str(s)) for s in table["sector"]]
    return table[table["geometry"].notna()].reset_index(drop=True)


def alerts_layer(result, sectors: pd.DataFrame, crs: str, name: Optional[str] = None) -> QgsVectorLayer:
    """A styled memory layer of the sectors and their trends."""
    from tranquillite_plugin.report.memory import frame_layer
    from tranquillite_plugin.styles import style_trends_layer

    layer = frame_layer(alerts_frame(result, sectors), name or tr("Trend alerts"), crs, list(LAYER_FIELDS))
    style_trends_layer(layer)
    return layer
