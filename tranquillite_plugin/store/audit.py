"""The audit trail: who computed what, when, on which data (SPEC §7).

Every import, scoring, training, prediction, backtest and export appends one
row to the store's ``audit`` table: time (UTC), OS user, algorithm,
parameters (JSON), input layers with their feature counts (JSON), number of
features, model fingerprint, result summary (JSON).

Rows are hash-chained: each row stores ``prev_hash`` (the previous row's
hash; 64 zeros for the first) and ``row_hash`` = sha256 of its own content,
its sequence number and ``prev_hash``. The number of rows and the last hash
(the *head*) are also kept in ``tq_meta``, updated in the same transaction.
:func:`verify` recomputes the chain and finds

* an edited row (its hash no longer matches its content),
* a deleted or reordered row (a row no longer follows the one before it, or
  its sequence number jumps),
* deleted last rows (the chain is shorter than the head recorded).

It is tamper-evident, not tamper-proof: someone who can write the database
and recomputes every hash and the head can rewrite history. Keep the head
hash (printed by ``tranquillite:verifyaudit``) elsewhere to detect that too.

Appending takes the store's write lock (the GeoPackage transaction, or a
lock on the PostgreSQL table), so two workstations never fork the chain.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

from tranquillite_plugin.store.schema import META_TABLE

TABLE = "audit"
GENESIS = "0" * 64
FIELDS = ("at", "os_user", "algorithm", "parameters", "inputs", "n_features", "model_fingerprint", "summary", "prev_hash", "row_hash")


@dataclass
class AuditEntry:
    seq: int
    at: str
    os_user: str
    algorithm: str
    parameters: str
    inputs: str
    n_features: Optional[int]
    model_fingerprint: Optional[str]
    summary: str
    prev_hash: str
    row_hash: str

    def as_dict(self) -> dict:
        d = asdict(self)
        for key in ("parameters", "inputs", "summary"):
            try:
                d[key] = json.loads(d[key]) if d[key] else None
            except ValueError:
                pass
        return d

    # read like a dict too (the Audit panel shows rows as mappings)
    def __getitem__(self, key: str):
        return getattr(self, key)

    def __contains__(self, key: str) -> bool:
        return key in self.__dataclass_fields__

    def get(self, key: str, default=None):
        return getattr(self, key, default)

    def keys(self):
        return list(self.__dataclass_fields__)


@dataclass
class AuditCheck:
    ok: bool
    n_rows: int
    first_bad: Optional[int] = None  # sequence number of the first bad row
    reason: str = ""
    head: str = GENESIS

    def __iter__(self):
        """``ok, message = check``."""
        return iter((self.ok, self.message()))

    def message(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.n_rows} rows, head {self.head}"
        where = f"row {self.first_bad}" if self.first_bad is not None else "end of the trail"
        return f"audit trail BROKEN at {where}: {self.reason}"


# --- content ---------------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """Stable JSON text (sorted keys, no spaces); non-JSON values become strings."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _jsonable(value: Any):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def compute_hash(seq: int, at: str, os_user: str, algorithm: str, parameters: str, inputs: str,
                 n_features: Optional[int], model_fingerprint: Optional[str], summary: str, prev_hash: str) -> str:
    """sha256 of a row's content, sequence number and previous hash (canonical JSON of them)."""
    content = [int(seq), at, os_user, algorithm, parameters, inputs,
               None if n_features is None else int(n_features), model_fingerprint, summary, prev_hash]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_PASSWORD_KV = re.compile(r"""password\s*=\s*(?:'(?:[^'\\]|\\.)*'|\S+)\s*""")
_PASSWORD_URI = re.compile(r"(://[^/:@\s]+):[^@/\s]*@")


def redact(text: Any) -> Any:
    """A data source or connection string without its password."""
    if not isinstance(text, str) or "password" not in text and "@" not in text:
        return text
    return _PASSWORD_URI.sub(r"\1@", _PASSWORD_KV.sub("", text)).strip()


def _redacted(value: Any) -> Any:
    """``value`` with every string in it redacted (no password reaches an audit row)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(v) for v in value]
    return value


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (service accounts): say so
        return "unknown"


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def normalise_inputs(inputs: Any) -> List[dict]:
    """Inputs as a list of {"layer", "n_features", ...} dicts.

    Accepts a list of dicts, of (name, count) pairs, or a {name: count} mapping.
    """
    if inputs is None:
        return []
    if isinstance(inputs, Mapping):
        return [{"layer": str(k), "n_features": v} for k, v in inputs.items()]
    out = []
    for item in inputs:
        if isinstance(item, Mapping):
            out.append(dict(item))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            out.append({"layer": str(item[0]), "n_features": item[1]})
        else:
            out.append({"layer": str(item)})
    return out


# --- writing ---------------------------------------------------------------------------


def meta_set(tx, backend, key: str, value: str) -> None:
    t = backend.qname(META_TABLE)
    tx.execute(f"DELETE FROM {t} WHERE key = ?", (key,))
    tx.execute(f"INSERT INTO {t} (key, value) VALUES (?, ?)", (key, value))


def append(
    backend,
    tx,
    algorithm: str,
    parameters: Optional[Mapping] = None,
    inputs: Any = None,
    n_features: Optional[int] = None,
    fingerprint: Optional[str] = None,
    summary: Any = None,
    at: Optional[str] = None,
    user: Optional[str] = None,
) -> AuditEntry:
    """Appends one row inside the caller's transaction ``tx`` (so it commits, or not, with the work)."""
    table = backend.qname(TABLE)
    params_text = canonical_json(_redacted(dict(parameters or {})))
    inputs_text = canonical_json(_redacted(normalise_inputs(inputs)))
    summary_text = canonical_json(summary if summary is not None else {})
    n = None if n_features is None else int(n_features)
    if backend.name == "postgis" and backend.server_audit():
        # the server sets the sequence, time, user and hashes (store/pg_security.py): what is sent here is ignored
        got = tx.query(
            f'INSERT INTO {table} ("algorithm", "parameters", "inputs", "n_features", "model_fingerprint", "summary", '
            f'"at", "os_user", "prev_hash", "row_hash") VALUES (?, ?, ?, ?, ?, ?, \'\', \'\', \'\', \'\') '
            f'RETURNING "fid", "at", "os_user", "prev_hash", "row_hash"',
            (algorithm, params_text, inputs_text, n, fingerprint, summary_text),
        )[0]
        return AuditEntry(int(got[0]), got[1], got[2], algorithm, params_text, inputs_text, n, fingerprint, summary_text, got[3], got[4])
    if backend.name == "postgis":
        tx.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    last = tx.query(f'SELECT "fid", "row_hash" FROM {table} ORDER BY "fid" DESC LIMIT 1')
    seq = int(last[0][0]) + 1 if last else 1
    prev = last[0][1] if last else GENESIS
    entry_at = at or now_utc()
    who = user or os_user()
    digest = compute_hash(seq, entry_at, who, algorithm, params_text, inputs_text, n, fingerprint, summary_text, prev)
    tx.execute(
        f'INSERT INTO {table} ("fid", {", ".join(chr(34) + f + chr(34) for f in FIELDS)}) '
        f"VALUES ({', '.join('?' * (len(FIELDS) + 1))})",
        (seq, entry_at, who, algorithm, params_text, inputs_text, n, fingerprint, summary_text, prev, digest),
    )
    meta_set(tx, backend, "audit_rows", str(seq))
    meta_set(tx, backend, "audit_head", digest)
    if backend.name == "gpkg":
        from tranquillite_plugin.store import tamper

        tamper.sign_row(tx, backend, seq, digest)
    return AuditEntry(seq, entry_at, who, algorithm, params_text, inputs_text, n, fingerprint, summary_text, prev, digest)


# --- reading and verifying ----------------------------------------------------------------


def rows(backend, limit: Optional[int] = None) -> List[AuditEntry]:
    """Audit rows in sequence order (the last ``limit`` when given)."""
    table = backend.qname(TABLE)
    cols = ", ".join(f'"{f}"' for f in FIELDS)
    if limit:
        sql = f'SELECT * FROM (SELECT "fid", {cols} FROM {table} ORDER BY "fid" DESC LIMIT {int(limit)}) AS last ORDER BY "fid"'
    else:
        sql = f'SELECT "fid", {cols} FROM {table} ORDER BY "fid"'
    return [_entry(r) for r in backend.query(sql)]


def _entry(r: Sequence) -> AuditEntry:
    return AuditEntry(
        int(r[0]), r[1], r[2], r[3], r[4] or "", r[5] or "", None if r[6] is None else int(r[6]), r[7], r[8] or "", r[9], r[10]
    )


def verify(backend, anchored: bool = True) -> AuditCheck:
    """Recomputes the chain; the first row that breaks it, and why.

    With ``anchored`` the trail is also compared with what this workstation
    last verified (count and head, kept outside the store), a GeoPackage's
    rows' signatures and data digest are checked (store/tamper.py), and an
    intact trail becomes the new anchor.
    """
    check = _verify_chain(backend)
    if not check.ok or not anchored:
        return check
    from tranquillite_plugin.store import tamper

    entries = rows(backend)
    found = [tamper.check_anchor(backend, entries)]
    if backend.name == "gpkg":
        found.append(tamper.check_signatures(backend, entries))
    found = [b for b in found if b is not None]
    bad = min(found, key=lambda b: b[0] if b[0] is not None else len(entries) + 1) if found else None
    if bad is not None:
        return AuditCheck(False, len(entries), bad[0], bad[1], check.head)
    tamper.set_anchor(backend, len(entries), check.head)
    return check


def _verify_chain(backend) -> AuditCheck:
    entries = rows(backend)
    meta = dict(backend.query(f"SELECT key, value FROM {backend.qname(META_TABLE)} WHERE key IN ('audit_rows', 'audit_head')"))
    expected_prev = GENESIS
    for i, e in enumerate(entries):
        if e.seq != i + 1:
            return AuditCheck(False, len(entries), e.seq, f"sequence jumps from {i} to {e.seq}: row(s) deleted or renumbered", expected_prev)
        if e.prev_hash != expected_prev:
            return AuditCheck(
                False, len(entries), e.seq,
                "does not follow the row before it (a row was deleted, inserted or reordered)", expected_prev,
            )
        digest = compute_hash(
            e.seq, e.at, e.os_user, e.algorithm, e.parameters, e.inputs, e.n_features, e.model_fingerprint, e.summary, e.prev_hash
        )
        if digest != e.row_hash:
            return AuditCheck(False, len(entries), e.seq, "its content was changed after it was written", expected_prev)
        expected_prev = e.row_hash
    recorded = int(meta.get("audit_rows") or 0)
    head = meta.get("audit_head") or GENESIS
    if recorded != len(entries):
        first = len(entries) + 1 if recorded > len(entries) else None
        return AuditCheck(
            False, len(entries), first,
            f"the store recorded {recorded} rows but the trail holds {len(entries)} (last rows deleted?)", expected_prev,
        )
    if head != expected_prev:
        return AuditCheck(False, len(entries), len(entries) or None, "the last row is not the one the store recorded", expected_prev)
    return AuditCheck(True, len(entries), None, "", expected_prev)


def summary_of(report) -> Dict[str, Any]:
    """A ContractReport -> the summary stored with an import."""
    return {
        "read": report.read,
        "taken": report.taken,
        "repaired": report.repaired,
        "refused": report.refused,
        "dropped_fields": list(report.dropped_fields),
    }
