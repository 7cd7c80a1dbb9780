"""Per-sector figures for the sectors' colour code (SPEC §5).

``mean_score``: mean score of the scored events of the sector (an event
without a sector goes to the sector containing its footprint's centroid, else
the nearest); ``facts_per_km2``: facts (counts included) inside the sector per
km² of its area. A fact on a boundary shared by two sectors goes to the
sector whose ``sector_id`` comes first, so every fact is counted once.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.axes import assign_sectors

STAT_FIELDS = ("n_events", "mean_score", "n_facts", "area_km2", "facts_per_km2")


def facts_sector_index(sectors: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Position (row of ``sectors``) of the sector holding each fact; -1 outside every sector."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    owner = np.full(len(x), -1, dtype=np.int64)
    order = np.argsort(sectors["sector_id"].astype(str).to_numpy(), kind="stable")
    geoms = sectors["geometry"].to_numpy(object)
    for row in order:
        geom = geoms[row]
        if geom is None or shapely.is_empty(geom):
            continue
        minx, miny, maxx, maxy = geom.bounds
        cand = np.flatnonzero((owner < 0) & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if not len(cand):
            continue
        shapely.prepare(geom)
        inside = shapely.intersects(geom, shapely.points(x[cand], y[cand]))
        owner[cand[inside]] = row
    return owner


def sector_statistics(
    sectors: pd.DataFrame,
    events: Optional[pd.DataFrame] = None,
    facts: Optional[pd.DataFrame] = None,
) -> pd.DataFrame:
    """``sectors`` with the STAT_FIELDS columns added.

    ``events`` is a clean events frame with a ``score`` column; ``facts`` the
    clean facts frame (x, y, count). Either may be None.
    """
    out = sectors.copy()
    area = shapely.area(out["geometry"].to_numpy(object)) / 1e6
    out["area_km2"] = area
    out["n_events"] = 0
    out["mean_score"] = np.nan
    if events is not None and len(events):
        placed = assign_sectors(events, sectors)
        table = placed.groupby("sector")["score"].agg(["count", "mean"])
        ids = out["sector_id"].astype(str)
        out["n_events"] = ids.map(table["count"]).fillna(0).astype(int).to_numpy()
        out["mean_score"] = ids.map(table["mean"]).to_numpy(dtype=float)
    out["n_facts"] = 0
    if facts is not None and len(facts):
        owner = facts_sector_index(sectors, facts["x"].to_numpy(), facts["y"].to_numpy())
        counts = facts["count"].to_numpy(float) if "count" in facts else np.ones(len(facts))
        inside = owner >= 0
        out["n_facts"] = np.bincount(owner[inside], weights=counts[inside], minlength=len(sectors)).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["facts_per_km2"] = np.where(area > 0, out["n_facts"] / area, np.nan)
    return out
