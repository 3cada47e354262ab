import type { Migration } from '../../core/db/index.js';

/** Name of the trigger refusing UPDATE and DELETE on `audit_events` (tests disable it to tamper). */
export const NO_CHANGE_TRIGGER = 'audit_events_no_change';
/** Name of the trigger refusing TRUNCATE on `audit_events`. */
export const NO_TRUNCATE_TRIGGER = 'audit_events_no_truncate';

/**
 * The audit module's table. Only `src/audit/storage/` reads or writes it.
 * - `audit_events`: one row per event; `seq` is the chain position (1, 2, 3…, assigned under an advisory lock,
 *   never by a sequence, so there are no gaps on rollback); `hash`/`prev_hash` are lowercase hex SHA-256.
 *   `request_id` and `ip` are text, not inet, so they hash exactly as recorded.
 * - Append-only for every role: triggers raise on UPDATE, DELETE (per row) and TRUNCATE (per statement). A
 *   superuser or the table owner can still disable triggers; the hash chain is what detects that afterwards.
 * - The function body sits on one line: migrations are split into statements at `;` + end of line.
 */
export const auditMigrations: readonly Migration[] = [
  {
    id: 'audit/001_events',
    sql: `
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  time timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  resource text NOT NULL,
  outcome text NOT NULL,
  request_id text,
  ip text,
  summary jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (time);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_resource ON audit_events (resource, seq);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;

CREATE TRIGGER ${NO_CHANGE_TRIGGER} BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER ${NO_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
`,
  },
];
