"""Tamper evidence for a GeoPackage store, whose owner can write anything (issue: every case found).

Each case rewrites the file behind the application's back the way someone
with the file and this plugin's source could, recomputing every hash and the
meta keys, and the trail must be reported broken, by ``verify_audit`` and by
``tranquillite:verifyaudit`` failing.
"""

import os

import pytest
from conftest_store import raw_sql, synthetic_facts

from tranquillite_plugin.store import audit, tamper
from tranquillite_plugin.store.observatory import Observatory


@pytest.fixture
def store(tmp_path):
    """A GeoPackage store with 6 audit rows, verified once by this workstation (its anchor)."""
    path = str(tmp_path / "observatoire.gpkg")
    obs = Observatory.create(path)
    obs.import_layer("facts", synthetic_facts(40))
    for i in range(4):
        obs.record("scoreevents", {"RADIUS": 300 + i}, [("events", 10)], 10 + i, summary={"scored": 10})
    assert obs.verify_audit().ok  # anchors (6 rows, head) on this workstation
    yield obs
    obs.close()


def rechain(obs, start_fid=1):
    """Recomputes every hash from ``start_fid`` and the two meta keys, as a careful forger would."""
    rows = raw_sql(obs, "SELECT fid, at, os_user, algorithm, parameters, inputs, n_features, model_fingerprint, summary FROM {audit} ORDER BY fid")
    prev = audit.GENESIS
    for seq, r in enumerate(rows, start=1):
        if r[0] != seq:
            raw_sql(obs, "UPDATE {audit} SET fid = ? WHERE fid = ?", (seq, r[0]))
        digest = audit.compute_hash(seq, r[1], r[2], r[3], r[4] or "", r[5] or "", r[6], r[7], r[8] or "", prev)
        raw_sql(obs, "UPDATE {audit} SET prev_hash = ?, row_hash = ? WHERE fid = ?", (prev, digest, seq))
        prev = digest
    raw_sql(obs, "DELETE FROM {tq_meta} WHERE key IN ('audit_rows', 'audit_head')")
    raw_sql(obs, "INSERT INTO {tq_meta} (key, value) VALUES ('audit_rows', ?), ('audit_head', ?)", (str(len(rows)), prev))
    return len(rows), prev


def broken(obs, first_bad=None, words=""):
    check = obs.verify_audit()
    assert not check.ok, check.message()
    if first_bad is not None:
        assert check.first_bad == first_bad, check.message()
    assert words in check.reason, check.reason
    return check


def test_an_untouched_store_verifies_and_its_rows_are_signed(store):
    assert store.verify_audit().ok
    sigs = raw_sql(store, "SELECT seq, public_key FROM audit_signature ORDER BY seq")
    assert [s[0] for s in sigs] == list(range(1, 7)) and {s[1] for s in sigs} == {tamper.public_hex()}


def test_an_edited_row_with_every_hash_recomputed(store):
    raw_sql(store, "UPDATE {audit} SET parameters = ? WHERE fid = 3", ('{"RADIUS":5000}',))
    rechain(store)
    assert audit._verify_chain(store.backend).ok  # the chain alone is fooled
    broken(store, 3, "signature does not match")


def test_deleted_rows_re_chained(store):
    raw_sql(store, "DELETE FROM {audit} WHERE fid IN (2, 3)")
    raw_sql(store, "DELETE FROM audit_signature WHERE seq > 4")
    rechain(store)
    broken(store, 2, "signature does not match")  # the renumbered rows no longer carry their signed hash
    assert "cut or wiped" in tamper.check_anchor(store.backend, audit.rows(store.backend))[1]  # and 4 rows where 6 were verified


def test_deleted_rows_re_chained_then_padded_back_to_the_anchored_count(store):
    raw_sql(store, "DELETE FROM {audit} WHERE fid = 2")
    raw_sql(store, "INSERT INTO {audit} (fid, at, os_user, algorithm, parameters, inputs, summary, prev_hash, row_hash) "
                   "VALUES (99, '2026-01-01T00:00:00.000Z', 'x', 'padding', '', '', '', '', '')")
    rechain(store)
    broken(store, 2)


def test_every_row_and_both_meta_keys_wiped(store):
    raw_sql(store, "DELETE FROM {audit}")
    raw_sql(store, "DELETE FROM {tq_meta} WHERE key IN ('audit_rows', 'audit_head')")
    assert audit._verify_chain(store.backend).ok  # "0 rows, intact" without the anchor
    broken(store, 1, "holds 0")


def test_the_tail_cut_and_its_new_last_hash_copied_into_the_meta_table(store):
    last = raw_sql(store, "SELECT row_hash FROM {audit} WHERE fid = 4")[0][0]
    raw_sql(store, "DELETE FROM {audit} WHERE fid > 4")
    raw_sql(store, "UPDATE {tq_meta} SET value = '4' WHERE key = 'audit_rows'")
    raw_sql(store, "UPDATE {tq_meta} SET value = ? WHERE key = 'audit_head'", (last,))
    broken(store, 5, "verified 6 rows")


def test_a_forged_row_appended_with_a_correct_hash(store):
    head = raw_sql(store, "SELECT row_hash FROM {audit} WHERE fid = 6")[0][0]
    at = "2026-12-01T10:00:00.000Z"
    digest = audit.compute_hash(7, at, "mayor", "trainmodel", "{}", "[]", 0, None, "{}", head)
    raw_sql(store, "INSERT INTO {audit} (fid, at, os_user, algorithm, parameters, inputs, n_features, summary, prev_hash, row_hash) "
                   "VALUES (7, ?, 'mayor', 'trainmodel', ?, '[]', 0, ?, ?, ?)", (at, "{}", "{}", head, digest))
    raw_sql(store, "UPDATE {tq_meta} SET value = '7' WHERE key = 'audit_rows'")
    raw_sql(store, "UPDATE {tq_meta} SET value = ? WHERE key = 'audit_head'", (digest,))
    broken(store, 7, "not signed")


def test_a_forged_row_signed_by_another_key(store, tmp_path, monkeypatch):
    from cryptography.hazmat.primitives.asymmetric import ed25519

    head = raw_sql(store, "SELECT row_hash FROM {audit} WHERE fid = 6")[0][0]
    at = "2026-12-01T10:00:00.000Z"
    digest = audit.compute_hash(7, at, "mayor", "trainmodel", "{}", "[]", 0, None, "{}", head)
    raw_sql(store, "INSERT INTO {audit} (fid, at, os_user, algorithm, parameters, inputs, n_features, summary, prev_hash, row_hash) "
                   "VALUES (7, ?, 'mayor', 'trainmodel', ?, '[]', 0, ?, ?, ?)", (at, "{}", "{}", head, digest))
    rechain(store)
    data = raw_sql(store, "SELECT data_digest FROM audit_signature WHERE seq = 6")[0][0]
    public, signature = tamper.sign(digest, data, ed25519.Ed25519PrivateKey.generate())
    raw_sql(store, "INSERT INTO audit_signature (seq, public_key, signature, data_digest) VALUES (7, ?, ?, ?)", (public, signature, data))
    broken(store, 7, "does not trust")


def test_the_data_itself_edited(store):
    n = raw_sql(store, "SELECT count(*) FROM {facts} WHERE category = 'vol'")[0][0]
    assert n > 0
    raw_sql(store, "UPDATE {facts} SET category = 'violence' WHERE category = 'vol'")
    broken(store, 6, "data (facts) changed")


def test_the_signature_table_dropped(store):
    raw_sql(store, "DROP TABLE audit_signature")
    broken(store, 1, "no signature")


def test_audited_work_keeps_verifying(store):
    store.import_layer("facts", synthetic_facts(10, seed=3))
    store.record("predictevents", {"K": 20})
    assert store.verify_audit().ok


def test_verifyaudit_fails_loudly(tranquillite_provider, store):
    import processing
    from qgis.core import QgsProcessingException

    ok = processing.run("tranquillite:verifyaudit", {"STORE": store.path})
    assert ok["OK"] is True and ok["N_ROWS"] == 6
    raw_sql(store, "DELETE FROM {audit}")
    raw_sql(store, "DELETE FROM {tq_meta} WHERE key IN ('audit_rows', 'audit_head')")
    with pytest.raises(QgsProcessingException, match="BROKEN at row 1"):
        processing.run("tranquillite:verifyaudit", {"STORE": store.path})


def test_qgis_process_verifyaudit_exits_non_zero(store, tmp_path):
    """The command line reports a broken trail with a non-zero exit status."""
    from test_qgis_process import QGIS_PROCESS, qgis_process

    if not os.path.exists(QGIS_PROCESS):
        pytest.skip("qgis_process.bin is not installed")
    home = tmp_path / "home"
    home.mkdir()
    assert qgis_process(["plugins", "enable", "tranquillite_plugin"], home).returncode == 0
    intact = qgis_process(["run", "tranquillite:verifyaudit", "--", f"STORE={store.path}"], home)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    raw_sql(store, "UPDATE {facts} SET category = 'violence'")
    done = qgis_process(["run", "tranquillite:verifyaudit", "--", f"STORE={store.path}"], home)
    assert done.returncode != 0 and "BROKEN" in (done.stdout + done.stderr)

