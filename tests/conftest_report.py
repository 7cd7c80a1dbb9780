"""Hand-made data for the styles and report tests (no store, no demo needed)."""

from __future__ import annotations

import subprocess
import unicodedata

import numpy as np
import pandas as pd
import shapely

from tranquillite_plugin.core.contract import CATEGORIES, NATURES

CRS = "EPSG:2154"


def pdf_text(path, layout: bool = True) -> str:
    """The text of a PDF (pdftotext), with ligatures unfolded: newer poppler gives
    "reﬂect" for "reflect" (NFKC folds U+FB02 back to "fl")."""
    cmd = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", text)
X0, Y0 = 892000.0, 6246000.0


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="Europe/Paris")


def planned_event(event_id: str = "P-2026-017") -> dict:
    return {
        "event_id": event_id,
        "nature": "manifestation",
        "participants": 3500,
        "start": ts("2026-11-14 14:00"),
        "end": ts("2026-11-14 18:30"),
        "sector": "S03",
        "geometry": shapely.LineString([(X0, Y0), (X0 + 600, Y0 + 250), (X0 + 1100, Y0 + 200)]),
    }


def similar_events(n: int = 12, seed: int = 3) -> pd.DataFrame:
    """A similar-events frame shaped like core.forest's Transfer.similar."""
    rng = np.random.default_rng(seed)
    natures = ["manifestation", "rassemblement", "marche", "concert", "manifestation", "sport"]
    rows = []
    for i in range(n):
        cx, cy = X0 + rng.uniform(-1500, 1500), Y0 + rng.uniform(-1200, 1200)
        kind = i % 3
        if kind == 0:
            geom = shapely.Point(cx, cy)
        elif kind == 1:
            geom = shapely.LineString([(cx, cy), (cx + 300, cy + 120), (cx + 520, cy - 40)])
        else:
            geom = shapely.Point(cx, cy).buffer(140, quad_segs=6)
        facts = rng.poisson(rng.uniform(0.5, 6.0, len(CATEGORIES))).astype(float)
        row = {
            "rank": i + 1,
            "event_id": f"E-2025-{100 + i:03d}",
            "nature": natures[i % len(natures)],
            "sector": f"S{1 + i % 5:02d}",
            "start": ts("2025-06-01 15:00") + pd.Timedelta(days=17 * i),
            "proximity": round(0.62 - 0.035 * i, 3),
            "weight": 0.0,
            "geometry": geom,
        }
        for c, v in zip(CATEGORIES, facts):
            row[f"facts_{c}"] = v * (2.0 if c == "violence" else 1.0)
        row["score"] = float(sum(row[f"facts_{c}"] for c in CATEGORIES))
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["weight"] = frame["proximity"] / frame["proximity"].sum()
    return frame


def sectors_frame() -> pd.DataFrame:
    polys, ids, names = [], [], []
    k = 0
    for i in range(3):
        for j in range(3):
            k += 1
            x, y = X0 - 2000 + i * 1500, Y0 - 1700 + j * 1300
            polys.append(shapely.box(x, y, x + 1500, y + 1300))
            ids.append(f"S{k:02d}")
            names.append(["Belsunce", "Noailles", "Le Panier", "Joliette", "Vieux-Port", "Cours Julien", "Castellane", "Prado", "Endoume"][k - 1])
    frame = pd.DataFrame({"geometry": polys, "sector_id": ids, "name": names})
    frame["mean_score"] = np.linspace(2.0, 90.0, len(frame))
    frame["facts_per_km2"] = np.linspace(40.0, 900.0, len(frame))[::-1]
    return frame


def axes_frame() -> pd.DataFrame:
    statuses = ["fluide", "dense", "Saturé", "ferme", "inconnu", "bizarre"]
    lines = [shapely.LineString([(X0 - 1800, Y0 - 1500 + 550 * i), (X0 + 2300, Y0 - 1300 + 520 * i)]) for i in range(len(statuses))]
    return pd.DataFrame(
        {"geometry": lines, "axis_id": [f"A{i}" for i in range(len(lines))], "name": [f"Boulevard {i}" for i in range(len(lines))], "status": statuses}
    )


def cameras_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [X0, X0 + 400, X0 - 600],
            "y": [Y0, Y0 + 300, Y0 - 200],
            "camera_id": ["C1", "C2", "C3"],
            "radius_m": [120.0, 80.0, 150.0],
            "bearing_deg": [90.0, np.nan, 200.0],
            "fov_deg": [60.0, np.nan, 90.0],
        }
    )


def facts_frame(n: int = 400, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": X0 + rng.normal(0, 700, n),
            "y": Y0 + rng.normal(0, 600, n),
            "category": rng.choice(list(CATEGORIES) + ["Dégradation"], n),
            "occurred_at": ts("2026-01-01") + pd.to_timedelta(rng.integers(0, 86400 * 30, n), unit="s"),
            "count": np.ones(n, dtype=np.int64),
            "source": "PM",
        }
    )


def events_frame() -> pd.DataFrame:
    rows = []
    natures = list(NATURES) + ["Opération police"]
    for i, nature in enumerate(natures):
        cx, cy = X0 - 1500 + 300 * i, Y0 + (i % 3) * 400 - 400
        rows.append(
            {
                "geometry": shapely.Point(cx, cy),
                "event_id": f"E{i}",
                "nature": nature,
                "participants": 100 * (i + 1),
                "start": ts("2026-02-01 10:00") + pd.Timedelta(days=i),
                "end": ts("2026-02-01 14:00") + pd.Timedelta(days=i),
                "sector": "S01",
                "attachments": "/data/photos/e%d_1.jpg;/data/videos/e%d.mp4" % (i, i) if i % 2 == 0 else "",
            }
        )
    return pd.DataFrame(rows)
