"""The personal-data guard (core/privacy.py, SPEC §7).

Run with ``pytest -s tests/test_privacy.py`` to see recall and false-positive
rate on the corpus of tests/privacy_corpus.py.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from privacy_corpus import FIRST, LAST, corpus, fr_mobile, nir

from tranquillite_plugin.core import privacy
from tranquillite_plugin.core.privacy import (
    DETECTORS,
    MASKS,
    RULES,
    PersonalDataError,
    apply_decision,
    check_personal_data,
    describe_rules,
    judge_field,
    mask_keep,
    normalise_field_name,
    person_name_in,
    sample_field,
    scan_personal_data,
)


def _verdict(name, values):
    return {f.rule for f in judge_field(sample_field(pd.Series(values), name))}


def test_corpus_recall_and_false_positive_rate():
    samples = corpus()
    personal = [s for s in samples if s[2]]
    ordinary = [s for s in samples if not s[2]]
    assert len(samples) >= 200 and len(personal) >= 100 and len(ordinary) >= 100
    missed, wrong_reason, false_pos = [], [], []
    for name, values, expected in samples:
        rules = _verdict(name, values)
        if expected:
            if not rules:
                missed.append((name, expected))
            elif expected not in rules:
                wrong_reason.append((name, expected, sorted(rules)))
        elif rules:
            false_pos.append((name, sorted(rules)))
    recall = 1 - len(missed) / len(personal)
    fp_rate = len(false_pos) / len(ordinary)
    by_rule = {}
    for _, _, expected in personal:
        by_rule[expected] = by_rule.get(expected, 0) + 1
    print(
        f"\nprivacy guard on {len(samples)} field samples: {len(personal)} personal "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_rule.items()))}), {len(ordinary)} not; "
        f"recall {recall:.3f}, false-positive rate {fp_rate:.3f}"
    )
    assert not missed, f"personal samples not caught: {missed}"
    assert not false_pos, f"ordinary samples refused: {false_pos}"
    assert not wrong_reason, f"caught for another reason than expected: {wrong_reason}"
    assert recall == 1.0 and fp_rate == 0.0


def test_refusal_names_layer_fields_and_reasons_but_no_value():
    rng = np.random.default_rng(1)
    r = __import__("random").Random(1)
    n = 40
    phones = [fr_mobile(r, i) for i in range(n)]
    names = [f"{FIRST[i % len(FIRST)]} {LAST[(3 * i) % len(LAST)]}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "category": ["vol", "violence"] * (n // 2),
            "x": rng.uniform(885e3, 905e3, n),
            "info": phones,
            "Declarant": names,
            "count": rng.integers(1, 4, n),
        }
    )
    with pytest.raises(PersonalDataError) as err:
        check_personal_data(frame, "mains courantes 2023")
    message = str(err.value)
    assert "layer 'mains courantes 2023'" in message
    assert "'info'" in message and "telephone numbers" in message
    assert "'Declarant'" in message and "person names" in message
    assert "'category'" not in message and "'x'" not in message
    assert err.value.fields == ["info", "Declarant"]
    report = err.value.report
    assert report.personal_fields == ["info", "Declarant"]
    text = message + report.summary() + repr(report.as_dict())
    for value in phones + names:
        assert value not in text
    for value in phones:  # not even the digits run together
        assert re.sub(r"\D", "", value)[-8:] not in re.sub(r"\D", "", text)
    finding = report.findings_for("info")[0]
    assert finding.by == "content" and finding.matches == n and finding.rows == n and finding.sampled == n
    assert "•" in finding.example


def test_dropping_the_fields_imports_the_rest_and_says_so():
    frame = pd.DataFrame(
        {
            "category": ["vol", "nuisance", "vol"],
            "Email": ["a.b@orange.fr", "c.d@free.fr", ""],
            "telephone": ["", "", ""],
            "source": ["police municipale"] * 3,
        }
    )
    with pytest.raises(PersonalDataError) as err:
        check_personal_data(frame, "faits", drop=["email"])  # case-insensitive
    assert err.value.fields == ["telephone"]  # refused by its name even when empty
    kept, report = check_personal_data(frame, "faits", drop=["email", "TELEPHONE"])
    assert list(kept.columns) == ["category", "source"]
    assert len(kept) == 3
    assert report.dropped == ["Email", "telephone"]
    assert report.ok and report.remaining == []
    assert "fields dropped: Email, telephone" in report.summary()
    with pytest.raises(KeyError, match="layer 'faits' has no field 'tel'"):
        check_personal_data(frame, "faits", drop=["tel"])


def test_scan_then_apply_decision():
    frame = pd.DataFrame({"nom": ["DUPONT", "MARTIN", "GARCIA"], "count": [1, 2, 3]})
    report = scan_personal_data(frame, "l")
    assert report.personal_fields == ["nom"]
    with pytest.raises(PersonalDataError, match="'nom'"):
        apply_decision(frame, report, [])
    kept = apply_decision(frame, report, ["nom"])
    assert list(kept.columns) == ["count"] and report.dropped == ["nom"]


def test_clean_layer_passes_untouched():
    frame = pd.DataFrame(
        {
            "category": ["vol", "secours"],
            "occurred_at": ["2024-05-01 10:00", "2024-05-02 11:30"],
            "source": ["police municipale", "marins-pompiers"],
            "lieu": ["Place du Général de Gaulle", "Cours Julien"],
        }
    )
    kept, report = check_personal_data(frame, "faits")
    assert kept is not None and list(kept.columns) == list(frame.columns)
    assert report.findings == [] and report.ok
    assert "none looks personal" in report.summary()


def test_masks():
    assert mask_keep("06 12 34 56 78") == "06 •• •• •• 78"
    assert MASKS["email"]("jean.dupont@gmail.com") == "j•••.••••••@•••••.com"
    assert MASKS["person_name"]("Jean Dupont") == "J••• D•••••"
    assert MASKS["birth_date"]("12/05/1987") == "••/••/••••"
    assert MASKS["iban"]("FR76 3000 6000 0112 3456 7890 189").startswith("FR76 ••••")


def test_every_rule_has_a_test_a_mask_and_a_doc_line():
    table = describe_rules()
    for rule in RULES:
        assert rule.id in DETECTORS and rule.id in MASKS
        assert rule.reason in table


@pytest.mark.parametrize(
    "name, norm",
    [("DateNaissance", "date_naissance"), ("Né le", "ne_le"), ("e-Mail", "e_mail"), ("NUM_TEL", "num_tel")],
)
def test_field_names_are_normalised(name, norm):
    assert normalise_field_name(name) == norm


@pytest.mark.parametrize(
    "text, found",
    [
        ("Jean Dupont", "Jean Dupont"),
        ("DUPONT Jean", "DUPONT Jean"),
        ("appel de Mme Ouali ce matin", "Mme Ouali"),
        ("Place du Général de Gaulle", ""),
        ("Rue Jean Jaurès", ""),
        ("Square Léon Blum", ""),
        ("La Valentine", ""),
        ("Saint-Louis", ""),
        ("rassemblement place Jean Jaurès, calme", ""),
        ("Jean-Pierre Martin, rue de Rome", "Jean-Pierre Martin"),
    ],
)
def test_person_names_in_text(text, found):
    assert person_name_in(text)[0] == found


def test_sector_names_and_places_pass_under_name_and_nom():
    places = ["Vieux-Port", "Noailles", "Cours Julien", "La Valentine", "Saint-Just", "Le Roucas Blanc",
              "Place Jean Jaurès", "Boulevard Jean Moulin", "Roy d'Espagne", "Sainte-Marthe"]
    for name in ("name", "nom", "NAME"):
        assert _verdict(name, places) == set()


def test_number_fields_lose_the_leading_zero_of_phones_but_ids_pass():
    assert _verdict("num", [612345678, 698765432, 491234567]) == {"phone"}
    assert _verdict("fid", list(range(1, 5000))) == set()
    assert _verdict("id", list(range(100_000_000, 100_000_040))) == {"phone"}  # documented limit
    r = __import__("random").Random(3)
    numeric = [int(v) for v in (nir(r) for _ in range(40)) if v.isdigit()]
    assert _verdict("ref", numeric) == {"nir"}


def test_big_layer_is_sampled_deterministically_and_still_caught():
    n = 600_000
    rng = np.random.default_rng(5)
    r = __import__("random").Random(5)
    remarks = np.array(["RAS"] * n, dtype=object)
    hits = rng.choice(n, n // 20, replace=False)  # 5 % of the rows carry a phone number
    pool = np.array([f"rappeler au {fr_mobile(r, i)}" for i in range(2000)], dtype=object)
    remarks[hits] = pool[rng.integers(0, len(pool), len(hits))]
    frame = pd.DataFrame(
        {
            "remarque": remarks,
            "x": rng.uniform(885e3, 905e3, n),
            "ref": np.array([f"MC{i:08d}" for i in range(n)], dtype=object),
        }
    )
    first = scan_personal_data(frame, "big")
    second = scan_personal_data(frame, "big")
    assert first.as_dict() == second.as_dict()
    assert first.personal_fields == ["remarque"]
    assert set(first.sampled_fields) == {"remarque", "x", "ref"}
    finding = first.findings_for("remarque")[0]
    assert finding.sampled <= privacy.SAMPLE_SIZE
    assert "sampled" in first.summary()


def test_datetime_columns():
    births = pd.Series(pd.to_datetime(["1950-03-02", "1962-07-14", "1971-01-30", "1985-11-11", "1999-05-05"]))
    assert _verdict("champ", births) == {"birth_date"}
    events = pd.Series(pd.date_range("2017-01-01 08:00", periods=200, freq="17h", tz="Europe/Paris"))
    assert _verdict("start", events) == set()
    assert _verdict("jour", events.dt.normalize()) == set()
