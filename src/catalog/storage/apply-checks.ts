import canonicalize from 'canonicalize';
import type { Queryable } from '../../core/db/index.js';
import { TarmacError } from '../../core/errors.js';
import type { ErrorRow } from './hash.js';
import { errorRow } from './hash.js';
import type { Statement } from './statements.js';

type LeaseRow = { lease_owner: string | null; live: boolean };

/**
 * The statement reading the lease of a location; with `lock`, it locks the row (FOR UPDATE, until the transaction
 * ends). `now()` is the transaction's start, so "live" means live when the transaction began.
 */
export function leaseStatement(locationId: string, lock: boolean): Statement {
  return {
    sql: `SELECT lease_owner, (lease_until IS NOT NULL AND lease_until > now()) AS live
     FROM catalog_locations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    params: [locationId],
  };
}

/**
 * Checks the rows of `leaseStatement`: `owner` holds a lease that was live when the transaction began.
 * @throws TarmacError CONFLICT "lease lost …" when another owner holds it, it expired, or the location is gone
 */
export function verifyLease(rows: LeaseRow[], locationId: string, owner: string): void {
  const row = rows[0];
  if (!row) throw new TarmacError('CONFLICT', `lease lost: location ${locationId} no longer exists`);
  if (row.lease_owner !== owner || !row.live) {
    const why = row.lease_owner && row.lease_owner !== owner ? 'another process holds it' : 'the lease expired';
    throw new TarmacError('CONFLICT', `lease lost on location ${locationId}: ${why}`);
  }
}

/**
 * Checks that `owner` holds a live lease on the location (see `verifyLease`); with `lock` (the default) the row
 * stays locked (FOR UPDATE) until the transaction ends, so nobody can claim it before the commit.
 * @throws TarmacError CONFLICT "lease lost …" when another owner holds it, it expired, or the location is gone
 */
export async function checkLease(tx: Queryable, locationId: string, owner: string, lock = true): Promise<void> {
  const st = leaseStatement(locationId, lock);
  verifyLease(await tx.query<LeaseRow>(st.sql, st.params), locationId, owner);
}

/** An entity that could not be inserted because its ref is taken, and where it was read. */
export interface ConflictRef {
  ref: string;
  file: string;
  line: number | undefined;
}

/** `conflict` errors for entities whose ref another location owns, naming that location. */
export async function conflictErrors(tx: Queryable, conflicts: ConflictRef[]): Promise<ErrorRow[]> {
  if (conflicts.length === 0) return [];
  const owners = new Map(
    (
      await tx.query<{ entity_ref: string; id: string; type: string; target: string }>(
        `SELECT e.entity_ref, l.id, l.type, l.target FROM catalog_entities e
         JOIN catalog_locations l ON l.id = e.location_id WHERE e.entity_ref = ANY($1::text[])`,
        [conflicts.map((c) => c.ref)],
      )
    ).map((r) => [r.entity_ref, r]),
  );
  return conflicts.map((c) => {
    const o = owners.get(c.ref);
    const by = o ? `location ${o.type}:${o.target} (id ${o.id})` : 'another location';
    return errorRow({
      code: 'conflict',
      message: `entity ${c.ref} is already defined by ${by}; the first location keeps it`,
      entityRef: c.ref,
      sourceFile: c.file,
      ...(c.line !== undefined ? { line: c.line } : {}),
    });
  });
}

/** True when the stored errors of the location differ (as a multiset) from `rows`. */
export async function errorsDiffer(tx: Queryable, locationId: string, rows: ErrorRow[]): Promise<boolean> {
  const stored = await tx.query<ErrorRow>(
    'SELECT entity_ref, source_file, line, col, field_path, code, message FROM catalog_errors WHERE location_id = $1',
    [locationId],
  );
  if (stored.length !== rows.length) return true;
  // RFC 8785 canonical JSON: equal rows give equal text whatever their key order.
  const text = (r: ErrorRow): string => canonicalize(r) ?? '';
  const a = stored.map(text).sort();
  const b = rows.map(text).sort();
  return a.some((x, i) => x !== b[i]);
}
