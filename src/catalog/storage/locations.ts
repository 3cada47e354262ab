import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../core/db/index.js';
import type { ApplySummary, LocationRecord } from './types.js';
import { deleteRelationsOf } from './relations-sql.js';

/** A `catalog_locations` row as the drivers return it. */
interface LocationRow {
  id: string;
  type: LocationRecord['type'];
  target: string;
  branch: string;
  path: string;
  origin: string;
  created_by: string | null;
  created_at: Date;
  next_refresh_at: Date;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_status: LocationRecord['lastStatus'];
  last_summary: LocationRecord['lastSummary'];
  progress: LocationRecord['progress'];
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Row → `LocationRecord` (timestamps as ISO 8601 strings). */
export function toLocation(r: LocationRow): LocationRecord {
  return {
    id: r.id,
    type: r.type,
    target: r.target,
    branch: r.branch,
    path: r.path,
    origin: r.origin,
    createdBy: r.created_by ?? null,
    createdAt: iso(r.created_at) ?? '',
    nextRefreshAt: iso(r.next_refresh_at) ?? '',
    lastStartedAt: iso(r.last_started_at),
    lastFinishedAt: iso(r.last_finished_at),
    lastStatus: r.last_status,
    lastSummary: r.last_summary ?? null,
    progress: r.progress ?? null,
  };
}

/** Input of `insertLocation`. */
export interface NewLocation {
  type: 'file' | 'url' | 'git';
  target: string;
  branch?: string;
  path?: string;
  origin: string;
  /** Who registered it (`user:default/jane`, or the actor id); the location's owner for permissions. */
  createdBy?: string;
}

/** Idempotent on (type, target, branch, path); a new location is due at once. */
export async function insertLocation(db: Queryable, input: NewLocation): Promise<{ location: LocationRecord; created: boolean }> {
  const key = [input.type, input.target, input.branch ?? '', input.path ?? ''];
  const inserted = await db.query<LocationRow>(
    `INSERT INTO catalog_locations (id, type, target, branch, path, origin, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (type, target, branch, path) DO NOTHING RETURNING *`,
    [randomUUID(), ...key, input.origin, input.createdBy ?? null],
  );
  if (inserted[0]) return { location: toLocation(inserted[0]), created: true };
  const existing = await findLocation(db, input.type, input.target, input.branch, input.path);
  if (!existing) throw new Error(`location ${input.type}:${input.target} vanished while being registered`);
  return { location: existing, created: false };
}

/** The location registered with exactly this (type, target, branch, path), if any. */
export async function findLocation(
  db: Queryable,
  type: string,
  target: string,
  branch?: string,
  path?: string,
): Promise<LocationRecord | undefined> {
  const rows = await db.query<LocationRow>(
    'SELECT * FROM catalog_locations WHERE type = $1 AND target = $2 AND branch = $3 AND path = $4',
    [type, target, branch ?? '', path ?? ''],
  );
  return rows[0] ? toLocation(rows[0]) : undefined;
}

/** One location by id. */
export async function getLocation(db: Queryable, id: string): Promise<LocationRecord | undefined> {
  const rows = await db.query<LocationRow>('SELECT * FROM catalog_locations WHERE id = $1', [id]);
  return rows[0] ? toLocation(rows[0]) : undefined;
}

/** A page of locations (oldest first) with how many entities and errors each has. */
export async function listLocations(
  db: Queryable,
  opts: { limit: number; offset: number },
): Promise<{ items: Array<LocationRecord & { entityCount: number; errorCount: number }>; totalItems: number }> {
  const rows = await db.query<LocationRow & { entity_count: number; error_count: number; total: number }>(
    `SELECT l.*,
       (SELECT count(*) FROM catalog_entities e WHERE e.location_id = l.id)::int AS entity_count,
       (SELECT count(*) FROM catalog_errors c WHERE c.location_id = l.id)::int AS error_count,
       (SELECT count(*) FROM catalog_locations)::int AS total
     FROM catalog_locations l ORDER BY l.created_at, l.id LIMIT $1 OFFSET $2`,
    [opts.limit, opts.offset],
  );
  const totalItems = rows[0]?.total ?? Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_locations'))[0]?.n ?? 0);
  return {
    items: rows.map((r) => ({ ...toLocation(r), entityCount: r.entity_count, errorCount: r.error_count })),
    totalItems,
  };
}

/**
 * Removes a location with its entities, the relations they produced (`origin_ref`) and its errors, in one
 * transaction, and bumps the generation. @returns false when there was no such location
 */
export async function deleteLocation(db: Database, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const found = await tx.query('SELECT id FROM catalog_locations WHERE id = $1 FOR UPDATE', [id]);
    if (found.length === 0) return false;
    const refs = await tx.query<{ entity_ref: string }>('SELECT entity_ref FROM catalog_entities WHERE location_id = $1', [id]);
    for (const st of deleteRelationsOf(refs.map((r) => r.entity_ref))) await tx.query(st.sql, st.params);
    await tx.query('DELETE FROM catalog_entities WHERE location_id = $1', [id]);
    await tx.query('DELETE FROM catalog_errors WHERE location_id = $1', [id]);
    await tx.query('DELETE FROM catalog_locations WHERE id = $1', [id]);
    await tx.query('UPDATE catalog_state SET generation = generation + 1 WHERE id = 1');
    return true;
  });
}

const LEASE_SET = `lease_owner = $1, lease_until = now() + $2::float8 * interval '1 millisecond',
  last_status = 'processing', last_started_at = now()`;
const FREE = '(lease_until IS NULL OR lease_until <= now())';

/** Claims the next due, unleased location (FOR UPDATE SKIP LOCKED: concurrent callers never get the same one). */
export async function claimDueLocation(db: Queryable, owner: string, leaseMs: number): Promise<LocationRecord | undefined> {
  const rows = await db.query<LocationRow>(
    `UPDATE catalog_locations SET ${LEASE_SET}
     WHERE id = (SELECT id FROM catalog_locations WHERE next_refresh_at <= now() AND ${FREE}
                 ORDER BY next_refresh_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       AND ${FREE}
     RETURNING *`,
    [owner, leaseMs],
  );
  return rows[0] ? toLocation(rows[0]) : undefined;
}

/** Claims one location whether due or not; undefined when another owner holds a live lease (or it is missing). */
export async function claimLocation(db: Queryable, id: string, owner: string, leaseMs: number): Promise<LocationRecord | undefined> {
  const rows = await db.query<LocationRow>(
    `UPDATE catalog_locations SET ${LEASE_SET}
     WHERE id = (SELECT id FROM catalog_locations WHERE id = $3 AND (${FREE} OR lease_owner = $1) FOR UPDATE SKIP LOCKED)
       AND (${FREE} OR lease_owner = $1)
     RETURNING *`,
    [owner, leaseMs, id],
  );
  return rows[0] ? toLocation(rows[0]) : undefined;
}

/** Records progress of the current read (only while `owner` holds the lease). */
export async function setProgress(
  db: Queryable,
  id: string,
  owner: string,
  progress: { phase: string; done: number; total: number | null },
): Promise<void> {
  await db.query('UPDATE catalog_locations SET progress = $3::jsonb WHERE id = $1 AND lease_owner = $2', [
    id,
    owner,
    JSON.stringify(progress),
  ]);
}

/** Outcome given to `releaseLocation`. */
export interface ReleaseOutcome {
  status: 'ok' | 'failed';
  summary?: ApplySummary & { durationMs: number };
  nextRefreshAt: Date;
  /** `null` clears the progress; absent leaves the last progress visible. */
  progress?: null;
}

/** Ends a lease: records the outcome and the next refresh time. No-op unless `owner` holds the lease. */
export async function releaseLocation(db: Queryable, id: string, owner: string, outcome: ReleaseOutcome): Promise<void> {
  await db.query(
    `UPDATE catalog_locations SET lease_owner = NULL, lease_until = NULL, last_status = $3, last_finished_at = now(),
       last_summary = COALESCE($4::jsonb, last_summary), next_refresh_at = $5,
       progress = CASE WHEN $6::boolean THEN NULL ELSE progress END
     WHERE id = $1 AND lease_owner = $2`,
    [
      id,
      owner,
      outcome.status,
      outcome.summary ? JSON.stringify(outcome.summary) : null,
      outcome.nextRefreshAt,
      outcome.progress === null,
    ],
  );
}

/** Makes a location due now. */
export async function scheduleRefresh(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE catalog_locations SET next_refresh_at = now() WHERE id = $1', [id]);
}

/**
 * Deletes (with `deleteLocation`'s cascade) every location of `origin` whose id is not in `keepIds`.
 * @returns how many were deleted
 */
export async function deleteLocationsByOriginExcept(db: Database, origin: string, keepIds: string[]): Promise<number> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM catalog_locations WHERE origin = $1 AND NOT (id = ANY($2::text[]))',
    [origin, keepIds],
  );
  let n = 0;
  for (const r of rows) if (await deleteLocation(db, r.id)) n += 1;
  return n;
}
