import type { Queryable } from '../../core/db/index.js';
import type { AuditEvent, AuditOutcome } from '../model/event.js';

/**
 * Key of the transaction-level advisory lock every append takes, so appends from every Tarmac process on one
 * database are serialised (any constant shared by all processes; the migration lock is 727_001).
 */
export const APPEND_LOCK_KEY = 727_100;

/** Columns in the order `rowToEvent` reads them. */
export const EVENT_COLUMNS = 'seq, id, time, actor, action, resource, outcome, request_id, ip, summary, prev_hash, hash';

/** A row of `audit_events` as both drivers return it (bigint as number, timestamptz as Date, jsonb parsed). */
export interface EventRow {
  seq: number;
  id: string;
  time: Date;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  request_id: string | null;
  ip: string | null;
  summary: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** A stored row as the API's event shape (`time` as an ISO string with ms). */
export function rowToEvent(r: EventRow): AuditEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    time: r.time.toISOString(),
    actor: r.actor,
    action: r.action,
    resource: r.resource,
    outcome: r.outcome as AuditOutcome,
    requestId: r.request_id,
    ip: r.ip,
    summary: r.summary,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Takes the append lock (held until the transaction ends) and reads the chain's head and the database clock.
 * @returns the last event's seq, hash and time (seq 0 / undefined when empty), and `now` from `clock_timestamp()`
 */
export async function lockHead(tx: Queryable): Promise<{ seq: number; hash: string | undefined; time: Date | undefined; now: Date }> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
  const [row] = await tx.query<{ seq: number | null; hash: string | null; time: Date | null; now: Date }>(
    `SELECT h.seq, h.hash, h.time, clock_timestamp() AS now
       FROM (SELECT 1) AS one LEFT JOIN (SELECT seq, hash, time FROM audit_events ORDER BY seq DESC LIMIT 1) AS h ON true`,
  );
  return { seq: Number(row?.seq ?? 0), hash: row?.hash ?? undefined, time: row?.time ?? undefined, now: row?.now ?? new Date() };
}

/**
 * Inserts events with one multi-row INSERT: one array parameter per column, zipped by `unnest` (12 parameters
 * whatever the batch size, so the statement's parse and bind cost stays flat).
 */
export async function insertEvents(tx: Queryable, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const column = <T>(f: (e: AuditEvent) => T): T[] => events.map(f);
  await tx.query(
    `INSERT INTO audit_events (${EVENT_COLUMNS})
     SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[])`,
    [
      column((e) => e.seq),
      column((e) => e.id),
      column((e) => e.time),
      column((e) => e.actor),
      column((e) => e.action),
      column((e) => e.resource),
      column((e) => e.outcome),
      column((e) => e.requestId),
      column((e) => e.ip),
      column((e) => JSON.stringify(e.summary)),
      column((e) => e.prevHash),
      column((e) => e.hash),
    ],
  );
}

/** Up to `limit` events with seq > `afterSeq`, oldest first (the order chains are checked and exported in). */
export async function readAfter(db: Queryable, afterSeq: number, limit: number, toSeq = Number.MAX_SAFE_INTEGER): Promise<AuditEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
    [afterSeq, toSeq, limit],
  );
  return rows.map(rowToEvent);
}

/** The stored hash of the event at `seq`, or undefined when there is none. */
export async function hashAt(db: Queryable, seq: number): Promise<string | undefined> {
  const [row] = await db.query<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = $1', [seq]);
  return row?.hash;
}

/**
 * The seqs of the first event at or after `from` and the last event before `to` (times in ms, either open).
 * @returns undefined when no event lies in the range
 */
export async function seqRange(db: Queryable, from: Date | undefined, to: Date | undefined): Promise<{ first: number; last: number } | undefined> {
  const [row] = await db.query<{ first: number | null; last: number | null }>(
    `SELECT min(seq) AS first, max(seq) AS last FROM audit_events
      WHERE ($1::timestamptz IS NULL OR time >= $1::timestamptz) AND ($2::timestamptz IS NULL OR time < $2::timestamptz)`,
    [from ?? null, to ?? null],
  );
  if (row?.first === null || row?.first === undefined || row.last === null) return undefined;
  return { first: Number(row.first), last: Number(row.last) };
}

/** Whether `audit_events` exists (the database has been migrated by a Tarmac with the audit module). */
export async function hasAuditTable(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ t: string | null }>(`SELECT to_regclass('audit_events')::text AS t`);
  return Boolean(row?.t);
}
