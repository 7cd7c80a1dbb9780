"""Tamper evidence for a store whose owner can write anything (a GeoPackage file).

A hash chain alone is rewritten by anyone who recomputes every hash. Two
things held *outside* the store close that:

* **Anchors.** Each workstation keeps, per store, the number of rows and the
  head hash it last verified (in the plugin's QGIS settings, section
  ``tranquillite/audit_anchors``; a JSON file under :func:`home` without QGIS).
  Verifying compares the store with them: a trail that is shorter than
  verified (tail cut, rows wiped with the meta keys), or whose row at the
  anchored count no longer has the anchored hash (re-chained), is broken.
* **Signatures.** Each audit row written to a GeoPackage is signed (Ed25519,
  the ``cryptography`` package) by the workstation's key, kept under
  :func:`home` (``signing_key.pem``, mode 0600), never in the store. The
  signature covers the row's hash and a digest of the store's data (facts,
  events, sectors, axes, cameras) as they were when the row was written; it
  is kept in the store's ``audit_signature`` table with the public key.
  (Data: facts, sectors and past events, the evidence scores and models rest
  on; axes, cameras and planned events are edited in QGIS day to day.)
  Verifying checks each row's signature against the keys this workstation
  trusts (its own, and those listed in the settings' ``trusted_keys``), and
  the data against the last row's digest: a rehashed or forged row, or evidence
  changed with no audited operation (every ``vol`` fact turned into
  ``violence``), fail.

What this does not stop: the holder of a trusted key can sign anything, and a
workstation that never verified a store has no anchor for it (see
docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Dict, List, Optional, Sequence, Tuple

SIGNATURE_TABLE = "audit_signature"
#: the evidence the scores and the model rest on, digested into each signature: facts, sectors and past
#: events. Axes, cameras and planned events are operational layers edited in QGIS day to day (on PostGIS the
#: server audits those edits; a GeoPackage has no server to run triggers)
DATA_TABLES = {"facts": "", "sectors": "", "events": " WHERE \"status\" = 'past'"}
SETTINGS_SECTION = "tranquillite/audit_anchors"


def home() -> str:
    """Where this workstation's signing key (and, without QGIS, its anchors) live."""
    base = os.environ.get("TRANQUILLITE_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share"), "tranquillite"
    )
    os.makedirs(base, mode=0o700, exist_ok=True)
    return base


# --- keys ---------------------------------------------------------------------------------


def _ed25519():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519, serialization


def signing_key():
    """This workstation's Ed25519 private key (made on first use, file mode 0600)."""
    ed25519, serialization = _ed25519()
    path = os.path.join(home(), "signing_key.pem")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), password=None)
    key = ed25519.Ed25519PrivateKey.generate()
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return key


def public_hex(key=None) -> str:
    _, serialization = _ed25519()
    key = key or signing_key()
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def trusted_keys() -> List[str]:
    """Public keys (hex) whose signatures this workstation accepts: its own and the settings' ``trusted_keys``."""
    keys = [public_hex()]
    extra = _settings_get("tranquillite/trusted_keys")
    if extra:
        keys += [k.strip().lower() for k in str(extra).replace(";", ",").split(",") if k.strip()]
    return keys


def trust_key(public: str) -> None:
    """Accepts signatures of another workstation (e.g. the prefecture's offline copy)."""
    keys = [k for k in trusted_keys()[1:] if k != public.lower()] + [public.lower()]
    _settings_set("tranquillite/trusted_keys", ",".join(keys))


def _message(row_hash: str, data_digest: str) -> bytes:
    return f"tranquillite-audit\n{row_hash}\n{data_digest}".encode("ascii")


def sign(row_hash: str, data_digest: str, key=None) -> Tuple[str, str]:
    """(public key hex, signature hex) over a row's hash and the data digest."""
    key = key or signing_key()
    return public_hex(key), key.sign(_message(row_hash, data_digest)).hex()


def signature_ok(public: str, signature: str, row_hash: str, data_digest: str) -> bool:
    ed25519, _ = _ed25519()
    from cryptography.exceptions import InvalidSignature

    try:
        ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
            bytes.fromhex(signature), _message(row_hash, data_digest)
        )
        return True
    except (InvalidSignature, ValueError):
        return False


# --- the data's digest ------------------------------------------------------------------------


def data_digests(tx_or_backend, backend) -> Dict[str, str]:
    """sha256 of each evidence table's rows (every column, in fid order), read through ``tx_or_backend.query``.

    The rows are serialised by SQLite itself (``quote()`` of every value, one line per row): about
    2.5 times faster than fetching them into Python.
    """
    out = {}
    for table, where in DATA_TABLES.items():
        columns = [r[1] for r in tx_or_backend.query(f"PRAGMA table_info({backend.qname(table)})")]
        row = " || ',' || ".join(f'quote("{c}")' for c in columns)
        text = tx_or_backend.query(
            f"SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM {backend.qname(table)}{where} ORDER BY 1)"
        )[0][0]
        out[table] = hashlib.sha256((text or "").encode("utf-8")).hexdigest()
    return out


def digest_text(digests: Dict[str, str]) -> str:
    return json.dumps(digests, sort_keys=True, separators=(",", ":"))


# --- the signature table --------------------------------------------------------------------


def ensure_table(tx, backend) -> None:
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {backend.qname(SIGNATURE_TABLE)} "
        "(seq INTEGER PRIMARY KEY, public_key TEXT NOT NULL, signature TEXT NOT NULL, data_digest TEXT NOT NULL)"
    )


def has_table(backend) -> bool:
    if backend.name != "gpkg":
        return False
    return bool(backend.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (SIGNATURE_TABLE,))[0][0])


def sign_row(tx, backend, seq: int, row_hash: str) -> None:
    """Signs audit row ``seq`` inside the transaction that wrote it (GeoPackage stores)."""
    ensure_table(tx, backend)
    digest = digest_text(data_digests(tx, backend))
    public, signature = sign(row_hash, digest)
    t = backend.qname(SIGNATURE_TABLE)
    tx.execute(f"DELETE FROM {t} WHERE seq = ?", (int(seq),))
    tx.execute(f"INSERT INTO {t} (seq, public_key, signature, data_digest) VALUES (?, ?, ?, ?)", (int(seq), public, signature, digest))


def check_signatures(backend, entries: Sequence) -> Optional[Tuple[int, str]]:
    """(first bad seq, why) among ``entries`` (AuditEntry), or None when every row is signed by a trusted key."""
    if not has_table(backend):
        return (entries[0].seq, "the store holds no signature: rows were written without this workstation's key") if entries else None
    sigs = {int(r[0]): r[1:] for r in backend.query(f"SELECT seq, public_key, signature, data_digest FROM {backend.qname(SIGNATURE_TABLE)}")}
    trusted = set(trusted_keys())
    # rows before the first signed one were written before signatures existed (a store upgraded from then):
    # they are covered by the chain into that signed row, whose hash a rewrite of them would change
    first_signed = min(sigs) if sigs else None
    for e in entries:
        if first_signed is not None and e.seq < first_signed:
            continue
        found = sigs.get(e.seq)
        if found is None:
            return e.seq, "it is not signed (a row added behind the application's back)"
        public, signature, digest = found
        if public not in trusted:
            return e.seq, f"it is signed by a key this workstation does not trust ({public[:16]}…)"
        if not signature_ok(public, signature, e.row_hash, digest):
            return e.seq, "its signature does not match (the row was rewritten or forged and rehashed)"
    if entries:
        last = entries[-1]
        recorded = json.loads(sigs[last.seq][2])
        now = data_digests(backend, backend)
        changed = [t for t in DATA_TABLES if recorded.get(t) != now.get(t)]
        if changed:
            return last.seq, f"the data ({', '.join(changed)}) changed after the last audited operation, outside the application"
    return None


# --- anchors -------------------------------------------------------------------------------------


def store_key(backend) -> str:
    """Identity of a store for its anchor: the file's real path, or the server, database and schema."""
    if backend.name == "gpkg":
        return "gpkg:" + os.path.realpath(backend.path)
    parts = backend.conninfo_parts()
    return f"pg:{parts.get('service') or ''}:{parts.get('host') or ''}:{parts.get('port') or ''}:{parts.get('dbname') or ''}:{backend.schema}"


def _settings_get(key: str):
    try:
        from qgis.core import QgsSettings

        return QgsSettings().value(key, None)
    except ImportError:
        return _json_settings().get(key)


def _settings_set(key: str, value) -> None:
    try:
        from qgis.core import QgsSettings

        QgsSettings().setValue(key, value)
    except ImportError:
        data = _json_settings()
        data[key] = value
        path = os.path.join(home(), "settings.json")
        with open(path + ".tmp", "w") as f:
            json.dump(data, f)
        os.replace(path + ".tmp", path)


def _json_settings() -> dict:
    try:
        with open(os.path.join(home(), "settings.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _anchor_name(key: str) -> str:
    return SETTINGS_SECTION + "/" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def anchor(backend) -> Optional[Tuple[int, str]]:
    """(rows, head) this workstation last verified for the store, or None."""
    value = _settings_get(_anchor_name(store_key(backend)))
    if not value:
        return None
    try:
        data = json.loads(value)
        return int(data["rows"]), str(data["head"])
    except (TypeError, ValueError, KeyError):
        return None


def set_anchor(backend, rows: int, head: str) -> None:
    _settings_set(_anchor_name(store_key(backend)), json.dumps({"rows": int(rows), "head": head, "store": store_key(backend)}))


def forget_anchor(backend) -> None:
    """After a store was legitimately replaced at the same place: the next verification anchors anew."""
    _settings_set(_anchor_name(store_key(backend)), "")


def check_anchor(backend, entries: Sequence) -> Optional[Tuple[Optional[int], str]]:
    """(first bad seq, why) when the trail contradicts this workstation's anchor, else None."""
    known = anchor(backend)
    if known is None:
        return None
    rows, head = known
    if len(entries) < rows:
        return (len(entries) + 1, f"this workstation verified {rows} rows (head {head[:16]}…) but the trail now holds "
                                  f"{len(entries)}: rows were cut or wiped")
    if rows and entries[rows - 1].row_hash != head:
        return rows, f"row {rows} no longer has the hash this workstation verified ({head[:16]}…): the trail was rewritten"
    return None
