"""Bad input gets a clear message naming layer, feature and field; nothing is dropped silently."""

import numpy as np
import pandas as pd
import pytest
import shapely

from tranquillite_plugin.core.contract import (
    ContractError,
    RawLayer,
    category_weights,
    normalise_code,
    parse_weights,
    validate,
)


def events_layer(**overrides):
    data = {
        "event_id": ["a", "b", "c"],
        "nature": ["manifestation", "concert", "sport"],
        "participants": [100, 2000, 30000],
        "start": ["2024-05-01 14:00", "2024-06-21 20:00", "2024-09-14 21:00"],
        "end": ["2024-05-01 18:00", "2024-06-22 01:00", "2024-09-14 23:00"],
    }
    data.update(overrides)
    geoms = np.array(
        [shapely.LineString([(0, 0), (500, 0)]), shapely.box(0, 0, 100, 100), shapely.Point(10, 10)], dtype=object
    )
    return RawLayer("evenements", pd.DataFrame(data), np.array([11, 12, 13]), geometry=geoms, crs="EPSG:2154")


def test_clean_events_are_taken_with_contract_types():
    clean, report = validate("events", events_layer())
    assert (report.read, report.taken, report.repaired, report.refused) == (3, 3, 0, 0)
    assert clean["participants"].dtype == np.int64
    assert str(clean["start"].dtype) == "datetime64[us, Europe/Paris]"
    assert clean["end"][1] > clean["start"][1]
    assert clean["fid"].tolist() == [11, 12, 13]
    assert clean["sector"].tolist() == ["", "", ""]


def test_missing_field_names_layer_and_field():
    layer = events_layer()
    layer.attributes = layer.attributes.drop(columns=["participants"])
    with pytest.raises(ContractError, match=r"layer 'evenements' \(events\) has no field 'participants'"):
        validate("events", layer)


def test_field_names_match_case_insensitively_and_by_mapping():
    layer = events_layer()
    layer.attributes = layer.attributes.rename(columns={"event_id": "EVENT_ID", "participants": "nb_personnes"})
    clean, report = validate("events", layer, field_map={"participants": "NB_PERSONNES"})
    assert report.taken == 3 and clean["participants"].tolist() == [100, 2000, 30000]
    with pytest.raises(ContractError, match="'inexistant' mapped onto 'participants' does not exist"):
        validate("events", layer, field_map={"participants": "inexistant"})


def test_each_bad_feature_is_refused_with_its_reason():
    layer = events_layer(
        start=["2024-05-01 14:00", "pas une date", "2024-09-14 21:00"],
        end=["2024-05-01 12:00", "2024-06-22 01:00", "2024-09-14 23:00"],
        participants=[100, 2000, -5],
    )
    clean, report = validate("events", layer)
    assert report.taken == 0 and report.refused == 3
    text = report.summary()
    assert "layer 'evenements', feature 11, field 'end': end 2024-05-01 12:00:00+02:00 is before start" in text
    assert "feature 12, field 'start': cannot read 'pas une date' as a date and time" in text
    assert "feature 13, field 'participants': negative participants (-5)" in text


def test_empty_invalid_and_wrong_geometries():
    geoms = np.array(
        [
            None,
            shapely.Polygon(),
            shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)]),  # bow-tie: repaired
            shapely.box(0, 0, 1, 1),
        ],
        dtype=object,
    )
    attrs = pd.DataFrame({"sector_id": ["S1", "S2", "S3", "S4"], "name": ["a", "b", "c", "d"]})
    clean, report = validate("sectors", RawLayer("secteurs", attrs, np.arange(4), geometry=geoms, crs="EPSG:2154"))
    assert (report.taken, report.repaired, report.refused) == (2, 1, 2)
    assert clean["sector_id"].tolist() == ["S3", "S4"]
    assert clean["geometry"][0].is_valid and clean["geometry"][0].area == pytest.approx(50.0)
    assert "feature 0, field 'geometry': empty or missing geometry" in report.summary()
    assert "invalid geometry repaired (Self-intersection" in report.summary()

    lines = np.array([shapely.LineString([(0, 0), (1, 1)])], dtype=object)
    _, report = validate("sectors", RawLayer("secteurs", attrs.iloc[:1], np.arange(1), geometry=lines, crs="EPSG:2154"))
    assert report.refused == 1 and "a LineString is not a polygon" in report.summary()


def test_layer_without_crs_is_refused():
    layer = events_layer()
    layer.crs = None
    with pytest.raises(ContractError, match="layer 'evenements' has no CRS"):
        validate("events", layer)


def test_facts_defaults_repairs_and_refusals():
    attrs = pd.DataFrame(
        {
            "CATEGORY": ["Violence", "vol", "graffiti", None, "vol"],
            "occurred_at": ["2024-05-01 10:00", "2024-05-01T10:00:00Z", "01/05/2024 10:00", "2024-05-01", "demain"],
            "count": [None, 2, 1, 1, 0],
        }
    )
    xy = np.array([[0, 0], [1, 1], [2, 2], [3, 3], [np.nan, np.nan]])
    clean, report = validate("facts", RawLayer("faits", attrs, np.arange(5), xy=xy, crs="EPSG:2154"))
    assert clean["category"].tolist() == ["violence", "vol", "graffiti"]  # unknown codes are kept
    assert clean["count"].tolist() == [1, 2, 1]  # missing count is 1
    assert report.repaired == 1  # 'Violence' -> 'violence'
    assert report.refused == 2
    text = report.summary()
    assert "feature 3, field 'category': value missing" in text
    assert "feature 4, field 'geometry': empty or missing point geometry" in text
    # 10:00 UTC is 12:00 in Paris in May
    assert clean["occurred_at"][1].hour == 12 and clean["occurred_at"][0].hour == 10


def test_duplicate_ids_and_unknown_natures():
    layer = events_layer(event_id=["a", "a", "b"], nature=["Cérémonie", "concert", "bal"])
    clean, report = validate("events", layer)
    assert clean["nature"].tolist() == ["ceremonie"]
    text = report.summary()
    assert "feature 12, field 'event_id': duplicate event_id 'a'" in text
    assert "feature 13, field 'nature': unknown nature 'bal'" in text


def test_axes_status_defaults_and_vocabulary():
    attrs = pd.DataFrame({"axis_id": ["A1", "A2", "A3"], "status": ["Saturé", None, "bouché"]})
    geoms = np.array([shapely.LineString([(0, 0), (1, 0)])] * 3, dtype=object)
    clean, report = validate("axes", RawLayer("axes", attrs, np.arange(3), geometry=geoms, crs="EPSG:2154"))
    assert clean["status"].tolist() == ["sature", "inconnu"]
    assert "unknown status 'bouché'" in report.summary()


def test_codes_and_weights():
    assert normalise_code(" Opération police ") == "operation_police"
    assert normalise_code("Main-courante") == "main_courante"
    w = category_weights(np.array(["violence", "x", "verbalisation"], dtype=object), {"x": 7})
    assert w.tolist() == [3.0, 7.0, 0.5]
    assert parse_weights("violence=4; vol: 2.5") == {"violence": 4.0, "vol": 2.5}
    assert parse_weights('{"Violence": 5}') == {"violence": 5.0}
    with pytest.raises(ValueError, match="weight of 'vol' is not a number"):
        parse_weights("vol=beaucoup")
