"""The fairness flag of one sector (core.fairness.sector_flag, model_fairness), on data whose answer is known."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import shapely

from tests.test_fairness import CATS, _known, _row
from tranquillite_plugin.core.fairness import NO_SECTOR, fairness_audit, model_fairness, sector_flag


def test_the_flag_of_a_sector_driven_by_fines_and_none_for_the_others():
    events, observed, table, predicted = _known()
    audit = fairness_audit(events, observed, table, CATS, predicted)
    a = sector_flag(audit, "A")  # fines and towing only
    assert a is not None and a.sector == "A" and a.name == ""
    assert a.police_score_share == pytest.approx(1.0) and a.threshold == 0.5 and a.n_events == 2
    c = sector_flag(audit, " C ")  # an operation_police event: 10 of 14
    assert c is not None and c.police_score_share == pytest.approx(10 / 14)
    assert sector_flag(audit, "B") is None  # 1/6
    assert sector_flag(audit, "D") is None  # exactly half is not "mostly"
    assert sector_flag(audit, "Z") is None  # unknown sector
    assert sector_flag(audit, "") is None and sector_flag(audit, None) is None
    assert sector_flag(None, "A") is None
    # a stricter threshold flags nothing but A
    strict = fairness_audit(events, observed, table, CATS, predicted, threshold=0.8)
    assert sector_flag(strict, "A") is not None and sector_flag(strict, "C") is None


def test_flag_names_the_sector_and_events_without_sector_are_never_flagged():
    events = pd.DataFrame({"sector": ["S07", "S07", ""], "nature": ["marche", "concert", "marche"]})
    table = np.vstack([_row(verbalisation=3.0, vol=1.0), _row(enlevement=2.0), _row(verbalisation=9.0)])
    sectors = pd.DataFrame({"sector_id": ["S07", "S08"], "name": ["Noailles", "Cours Julien"]})
    audit = fairness_audit(events, table.sum(axis=1), table, CATS, sectors=sectors)
    flag = sector_flag(audit, "S07")
    assert flag.name == "Noailles" and flag.police_score_share == pytest.approx(5 / 6)
    assert sector_flag(audit, "S08") is None  # no event
    assert sector_flag(audit, NO_SECTOR) is None


def test_model_fairness_reads_the_past_events_a_model_holds():
    events, observed, table, predicted = _known()
    square = shapely.box(0, 0, 1, 1)
    model = SimpleNamespace(
        sector=events["sector"].to_numpy(object), nature=events["nature"].to_numpy(object), score=observed,
        by_category=table, categories=CATS,
        sectors=pd.DataFrame({"sector_id": ["A", "B", "C", "D", "E"], "name": ["Alpha", "B", "C", "D", "Echo"],
                              "geometry": [square] * 5}),
    )
    audit = model_fairness(model)
    assert audit.flagged == ["A", "C"]
    s = audit.sectors.set_index("sector")
    assert s.loc["A", "name"] == "Alpha" and s.loc["E", "n_events"] == 0
    assert sector_flag(audit, "A").name == "Alpha"
    assert audit.overall["police_score_share"] == pytest.approx(
        fairness_audit(events, observed, table, CATS).overall["police_score_share"])
