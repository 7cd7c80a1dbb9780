"""Roles, rights, a server-computed append-only audit and row versions for a PostGIS store.

Everything here is SQL run by the server, so that no client can bypass it:

* **Roles** (group roles, NOLOGIN, named after the store's schema so that two
  stores in one cluster keep apart): ``<schema>_reader`` views, computes and
  appends its own audit rows; ``<schema>_editor`` is a reader that also edits
  axes, events (past and planned) and cameras; ``<schema>_analyst`` is an
  editor that also imports facts and sectors, writes scores, settings and
  models; ``<schema>_owner`` owns the tables. A login is given one of them
  with ``GRANT <schema>_editor TO alice``.
* **Audit** rows are completed by a ``BEFORE INSERT`` trigger that runs as the
  owner: it takes a transaction lock, sets the sequence number, the previous
  hash, the time (the server's clock, UTC), the user (``session_user``, the
  database login) and the row's hash, whatever the client sent. The head and
  the count go into ``tq_meta`` in the same transaction. Nobody but the owner
  may UPDATE, DELETE or TRUNCATE the audit, and a trigger refuses those even
  to the owner (who can drop it: an owner is trusted, see docs/security.md).
* **Edits** of axes, events and cameras are audited by statement triggers
  (one ``edit`` row per statement: operation, table, and for each changed row
  its key and the old and new values of the columns that changed).
* **Versions**: those tables carry ``version``, ``updated_by`` and
  ``updated_at``, set by the server on every insert and update. An UPDATE
  that says which version it was based on (``SET version = <the version
  read>``, or minus it as the plugin's QGIS layers do, since QGIS sends only
  changed values) is refused when the row has moved on since, with a message
  naming the feature, who changed it and when.

:func:`security_sql` returns the script; ``python -m
tranquillite_plugin.store.pg_security SCHEMA`` prints it for a DBA who
prefers to run it by hand (``docs/security.sql`` is that script for the
default schema).
"""

from __future__ import annotations

import sys
from typing import Dict, List

ROLES = ("reader", "editor", "analyst", "owner")
#: tables whose rows are edited in QGIS: versioned and edit-audited, with the column naming a feature
EDITABLE = {"axes": "axis_id", "events": "event_id", "cameras": "camera_id"}
#: what each role may write, on top of the role below it
WRITES = {
    "reader": (),
    "editor": ("axes", "events", "cameras"),
    "analyst": ("facts", "sectors", "settings", "model_state"),
}
#: what each role may do, in words (the dock shows it)
ABILITIES = {
    "reader": "view the layers, compute scores and predictions, and append its own audit rows",
    "editor": "also edit traffic axes, events, planned events and cameras",
    "analyst": "also import layers, write scores, change the store's settings, train and save models",
    "owner": "everything, including changing the store's structure and its roles",
}
#: the most changes an edit row lists (it counts them all)
MAX_LISTED = 1000


def role_name(schema: str, role: str) -> str:
    return f"{schema}_{role}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def security_sql(schema: str, creator: str = "") -> List[str]:
    """The statements that install roles, rights, audit and version triggers on ``schema``.

    ``creator`` (a login) is made a member of the owner role; leave it empty
    in a script for a DBA. Each statement can be run again (idempotent).
    """
    s = _q(schema)
    r = {k: _q(role_name(schema, k)) for k in ROLES}
    lit = {k: role_name(schema, k) for k in ROLES}
    out: List[str] = []
    # --- roles ------------------------------------------------------------------------
    for k in ROLES:
        out.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{lit[k]}') THEN "
            f"CREATE ROLE {r[k]} NOLOGIN; END IF; END $$"
        )
    out.append(f"GRANT {r['reader']} TO {r['editor']}")
    out.append(f"GRANT {r['editor']} TO {r['analyst']}")
    out.append(f"GRANT {r['analyst']} TO {r['owner']}")
    if creator:
        out.append(f"GRANT {r['owner']} TO {_q(creator)}")
    # --- versions of editable rows ----------------------------------------------------------
    for table in EDITABLE:
        t = f"{s}.{_q(table)}"
        out.append(f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 1")
        out.append(f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS updated_by text")
        out.append(f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS updated_at timestamptz")
    out.append(
        f"""CREATE OR REPLACE FUNCTION {s}.tq_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE key_col text := TG_ARGV[0];
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.version := 1;
    NEW.updated_by := session_user;
    NEW.updated_at := coalesce(NEW.updated_at, now());
    RETURN NEW;
  END IF;
  -- an UPDATE may say which version it was based on: SET version = <read> (or minus it, as QGIS layers do,
  -- because QGIS only sends a value that changed); a row that moved on since is not overwritten
  IF NEW.version IS DISTINCT FROM OLD.version AND abs(NEW.version) IS DISTINCT FROM OLD.version THEN
    RAISE EXCEPTION '% % was changed by % at % (version %); this edit was based on version %: nothing was saved, reload the layer and edit again',
      TG_TABLE_NAME, to_jsonb(OLD) ->> key_col, coalesce(OLD.updated_by, '?'),
      to_char(OLD.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), OLD.version, abs(NEW.version)
      USING ERRCODE = '40001';
  END IF;
  NEW.version := OLD.version + 1;
  NEW.updated_by := session_user;
  NEW.updated_at := now();
  RETURN NEW;
END $$"""
    )
    for table, key in EDITABLE.items():
        t = f"{s}.{_q(table)}"
        out.append(f"DROP TRIGGER IF EXISTS tq_version ON {t}")
        out.append(
            f"CREATE TRIGGER tq_version BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION {s}.tq_version('{key}')"
        )
    # --- the audit: chained by the server, append-only -----------------------------------------
    a = f"{s}.\"audit\""
    meta = f"{s}.\"tq_meta\""
    out.append(
        f"""CREATE OR REPLACE FUNCTION {s}.tq_audit_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE last_fid bigint; last_hash text; content text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('{schema}.audit'));
  SELECT fid, row_hash INTO last_fid, last_hash FROM {a} ORDER BY fid DESC LIMIT 1;
  NEW.fid := coalesce(last_fid, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  NEW.os_user := session_user;
  NEW.parameters := coalesce(NEW.parameters, '');
  NEW.inputs := coalesce(NEW.inputs, '');
  NEW.summary := coalesce(NEW.summary, '');
  content := '[' || NEW.fid::text || ',' || to_json(NEW.at)::text || ',' || to_json(NEW.os_user)::text || ','
    || to_json(NEW.algorithm)::text || ',' || to_json(NEW.parameters)::text || ',' || to_json(NEW.inputs)::text || ','
    || coalesce(NEW.n_features::text, 'null') || ',' || coalesce(to_json(NEW.model_fingerprint)::text, 'null') || ','
    || to_json(NEW.summary)::text || ',' || to_json(NEW.prev_hash)::text || ']';
  NEW.row_hash := encode(sha256(convert_to(content, 'UTF8')), 'hex');
  DELETE FROM {meta} WHERE key IN ('audit_rows', 'audit_head');
  INSERT INTO {meta} (key, value) VALUES ('audit_rows', NEW.fid::text), ('audit_head', NEW.row_hash);
  RETURN NEW;
END $$"""
    )
    out.append(
        f"""CREATE OR REPLACE FUNCTION {s}.tq_audit_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = '42501';
END $$"""
    )
    # no NOTIFY from the audit: no layer listens to it, and QGIS's listener takes one notification per
    # wake-up, so an audit notification queued with an edit's would delay the next layer's redraw by a second
    out.append(f"DROP TRIGGER IF EXISTS tq_notify ON {a}")
    out.append(f"DROP TRIGGER IF EXISTS tq_audit_chain ON {a}")
    out.append(f"CREATE TRIGGER tq_audit_chain BEFORE INSERT ON {a} FOR EACH ROW EXECUTE FUNCTION {s}.tq_audit_chain()")
    out.append(f"DROP TRIGGER IF EXISTS tq_audit_frozen ON {a}")
    out.append(f"CREATE TRIGGER tq_audit_frozen BEFORE UPDATE OR DELETE ON {a} FOR EACH ROW EXECUTE FUNCTION {s}.tq_audit_frozen()")
    out.append(f"DROP TRIGGER IF EXISTS tq_audit_frozen_truncate ON {a}")
    out.append(
        f"CREATE TRIGGER tq_audit_frozen_truncate BEFORE TRUNCATE ON {a} FOR EACH STATEMENT EXECUTE FUNCTION {s}.tq_audit_frozen()"
    )
    # --- edits of axes, events, cameras, audited by the server ------------------------------------
    skip = "'geom', 'version', 'updated_by', 'updated_at'"
    out.append(
        f"""CREATE OR REPLACE FUNCTION {s}.tq_audit_edit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE key_col text := TG_ARGV[0]; n_changed bigint; changes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT count(*) INTO n_changed FROM new_rows;
    SELECT jsonb_agg(x) INTO changes FROM (
      SELECT jsonb_build_object('fid', r.fid, 'key', to_jsonb(r) ->> key_col, 'new', to_jsonb(r) - ARRAY[{skip}]) AS x
      FROM new_rows r ORDER BY r.fid LIMIT {MAX_LISTED}) q;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT count(*) INTO n_changed FROM old_rows;
    SELECT jsonb_agg(x) INTO changes FROM (
      SELECT jsonb_build_object('fid', r.fid, 'key', to_jsonb(r) ->> key_col, 'old', to_jsonb(r) - ARRAY[{skip}]) AS x
      FROM old_rows r ORDER BY r.fid LIMIT {MAX_LISTED}) q;
  ELSE
    WITH d AS (
        SELECT nr.fid, to_jsonb(nr) ->> key_col AS k,
          (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(orr) - ARRAY[{skip}]) e
             WHERE (to_jsonb(nr) - ARRAY[{skip}]) -> e.key IS DISTINCT FROM e.value) AS old_v,
          (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(nr) - ARRAY[{skip}]) e
             WHERE (to_jsonb(orr) - ARRAY[{skip}]) -> e.key IS DISTINCT FROM e.value) AS new_v,
          orr.geom::text IS DISTINCT FROM nr.geom::text AS g
        FROM new_rows nr JOIN old_rows orr ON orr.fid = nr.fid),
      f AS (SELECT fid, jsonb_build_object('fid', fid, 'key', k, 'old', old_v, 'new', new_v, 'geometry_changed', g) AS x
            FROM d WHERE old_v IS NOT NULL OR new_v IS NOT NULL OR g)
    SELECT (SELECT count(*) FROM f),
           (SELECT jsonb_agg(q.x ORDER BY q.fid) FROM (SELECT fid, x FROM f ORDER BY fid LIMIT {MAX_LISTED}) q)
      INTO n_changed, changes;
  END IF;
  IF n_changed = 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO {a} (algorithm, parameters, inputs, n_features, summary, at, os_user, prev_hash, row_hash)
  VALUES ('edit', jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP)::text, '[]', n_changed,
          jsonb_build_object('changes', coalesce(changes, '[]'::jsonb), 'listed', least(n_changed, {MAX_LISTED}))::text, '', '', '', '');
  RETURN NULL;
END $$"""
    )
    for table, key in EDITABLE.items():
        t = f"{s}.{_q(table)}"
        for op, ref in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                        ("DELETE", "OLD TABLE AS old_rows")):
            name = f"tq_record_{op.lower()}"
            out.append(f"DROP TRIGGER IF EXISTS {name} ON {t}")
            out.append(
                f"CREATE TRIGGER {name} AFTER {op} ON {t} REFERENCING {ref} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {s}.tq_audit_edit('{key}')"
            )
    # --- ownership and rights ---------------------------------------------------------------
    out.append(
        f"DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' LOOP "
        f"EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', '{schema}', t, '{lit['owner']}'); END LOOP; END $$"
    )
    for fn in ("tq_version()", "tq_audit_chain()", "tq_audit_frozen()", "tq_audit_edit()", "tq_notify()"):
        out.append(
            f"DO $$ BEGIN IF to_regprocedure('{schema}.{fn}') IS NOT NULL THEN "
            f"ALTER FUNCTION {s}.{fn} OWNER TO {r['owner']}; END IF; END $$"
        )
    out.append(f"ALTER SCHEMA {s} OWNER TO {r['owner']}")
    out.append(f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC")
    out.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC")
    out.append(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {s} FROM PUBLIC")
    out.append(f"GRANT USAGE ON SCHEMA {s} TO {r['reader']}")
    out.append(f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {r['reader']}")
    out.append(f"GRANT INSERT ON {a} TO {r['reader']}")
    out.append(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {s} TO {r['reader']}")
    for role in ("editor", "analyst"):
        for table in WRITES[role]:
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {s}.{_q(table)} TO {r[role]}")
    out.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {r['editor']}")
    return out


def script(schema: str = "tranquillite") -> str:
    """The statements as one SQL script (for ``psql -f``), run once the store's tables exist."""
    head = (
        f"-- Roles, rights, server-computed append-only audit and row versions of the observatory store in schema {schema}.\n"
        "-- Generated by: python -m tranquillite_plugin.store.pg_security " + schema + "\n"
        "-- Run by a role that can create roles, after tranquillite:createstore made the tables\n"
        "-- (createstore runs the same statements itself when its login may create roles).\n"
        f"-- Then give each login its role, e.g.: GRANT {role_name(schema, 'editor')} TO alice;\n\n"
        "BEGIN;\n"
    )
    return head + "".join(f"{stmt};\n\n" for stmt in security_sql(schema)) + "COMMIT;\n"


def rights_of(backend) -> Dict[str, object]:
    """What the current login may do on the store: its role and, per table, select/insert/update/delete."""
    schema = backend.schema
    rows = backend.query(
        "SELECT r, pg_has_role(session_user, r, 'USAGE') FROM unnest(?::text[]) AS r",
        ([role_name(schema, k) for k in ROLES],),
    )
    has = {name: bool(ok) for name, ok in rows}
    role = None
    for k in ROLES:
        if has.get(role_name(schema, k)):
            role = k
    owner = backend.query("SELECT pg_has_role(session_user, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = ?", (schema,))
    if owner and owner[0][0]:
        role = "owner"
    tables = {}
    for table in ("facts", "events", "sectors", "axes", "cameras", "settings", "model_state", "audit"):
        got = backend.query(
            "SELECT has_table_privilege(session_user, ?, 'SELECT'), has_table_privilege(session_user, ?, 'INSERT'), "
            "has_table_privilege(session_user, ?, 'UPDATE'), has_table_privilege(session_user, ?, 'DELETE')",
            (backend.qname(table),) * 4,
        )
        tables[table] = dict(zip(("select", "insert", "update", "delete"), map(bool, got[0])))
    return {"role": role, "tables": tables, "login": backend.query("SELECT session_user")[0][0]}


if __name__ == "__main__":  # pragma: no cover - a command for DBAs
    sys.stdout.write(script(sys.argv[1] if len(sys.argv) > 1 else "tranquillite"))
