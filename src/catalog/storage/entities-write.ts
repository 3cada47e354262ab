import { randomBytes } from 'node:crypto';
import type { Database } from '../../core/db/index.js';
import { checkLease, conflictErrors, errorsDiffer } from './apply-checks.js';
import type { ErrorRow } from './hash.js';
import { errorRow } from './hash.js';
import type { ApplySummary, LocationReadResult } from './types.js';
import type { EntityWrite, PreparedEntity } from './write-sql.js';
import { ENTITY_BATCH, deleteEntities, insertEntities, prepareEntity, replaceErrors, updateEntities } from './write-sql.js';
import { deleteRelationsOf, insertRelationsOf } from './relations-sql.js';
import { StatementPipeline } from './statements.js';
import { newUid } from './uid.js';

/** Progress callback of `applyLocationResult`: entities handled so far and in total. */
export type ApplyProgress = (done: number, total: number) => void;

/** After this many written rows, table statistics are refreshed (PGlite has no autovacuum). */
export const ANALYZE_AFTER_CHANGES = 1000;

let etagPool = Buffer.alloc(0);
let etagOffset = 0;
/** A random etag (16 base64url characters), cut from a pooled random buffer (one syscall per 4,096 etags). */
function newEtag(): string {
  if (etagOffset + 12 > etagPool.length) {
    etagPool = randomBytes(12 * 4096);
    etagOffset = 0;
  }
  etagOffset += 12;
  return etagPool.toString('base64url', etagOffset - 12, etagOffset);
}

/**
 * Applies one read of a location in ONE transaction (docs/catalog-design.md, data flow step 4):
 * - locks the location row and checks that `owner` holds a live lease, else throws CONFLICT "lease lost";
 * - entities with an unchanged hash cost no writes; changed ones are updated (same uid, new etag); new ones
 *   inserted (new uid and etag); relations are rewritten for changed/new entities (by `origin_ref`);
 * - entities of this location no longer emitted are removed with their relations, except those read from
 *   `failedFiles` or listed in `invalidRefs` (their last good version stays);
 * - a ref owned by another location (or emitted twice by this one) is not written: a `conflict` error naming the
 *   owner is recorded for this location (the first location keeps it);
 * - the location's errors are replaced by this read's (not rewritten when identical);
 * - `catalog_state.generation` is bumped when anything changed.
 * Statements are set-based, 2,000 entities each, and pipelined: entities are hashed and the next statement built
 * while the database runs the previous one. After a large change, ANALYZE refreshes the planner's statistics
 * (after the commit). kill -9 at any point leaves the previous committed state.
 * @param onProgress called after each batch with (entities handled, entities in `result`)
 * @returns counts; `errors` is the number of errors now stored for the location
 * @throws TarmacError CONFLICT when the lease is lost or the location is gone (nothing is written)
 */
export async function applyLocationResult(
  db: Database,
  locationId: string,
  owner: string,
  result: LocationReadResult,
  onProgress?: ApplyProgress,
): Promise<ApplySummary> {
  const total = result.entities.length;
  const summary: ApplySummary = { added: 0, updated: 0, removed: 0, unchanged: 0, conflicts: 0, errors: 0 };

  await db.transaction(async (tx) => {
    await checkLease(tx, locationId, owner);
    const mine = new Map(
      (
        await tx.query<{ entity_ref: string; uid: string; hash: string; source_file: string | null }>(
          'SELECT entity_ref, uid, hash, source_file FROM catalog_entities WHERE location_id = $1',
          [locationId],
        )
      ).map((r) => [r.entity_ref, r]),
    );
    const pipe = new StatementPipeline(tx);
    const incoming = new Map<string, PreparedEntity>();
    const duplicateErrors: ErrorRow[] = [];
    const inserts: Array<{ batch: EntityWrite[]; rows: Promise<Array<{ entity_ref: string }>> }> = [];
    let fresh: EntityWrite[] = [];
    let changed: EntityWrite[] = [];
    let done = 0;
    const advance = (n: number) => (): void => {
      done += n;
      onProgress?.(Math.min(done, total), total);
    };
    const flushFresh = async (): Promise<void> => {
      const batch = fresh;
      fresh = [];
      if (batch.length === 0) return;
      const { rows } = await pipe.run<{ entity_ref: string }>(insertEntities(locationId, batch));
      rows.then(advance(batch.length), () => undefined);
      inserts.push({ batch, rows });
      for (const st of insertRelationsOf(locationId, batch.map((b) => b.p))) await pipe.run(st);
    };
    const flushChanged = async (): Promise<void> => {
      const batch = changed;
      changed = [];
      if (batch.length === 0) return;
      (await pipe.run(updateEntities(locationId, batch))).rows.then(advance(batch.length), () => undefined);
      for (const st of deleteRelationsOf(batch.map((b) => b.p.ref))) await pipe.run(st);
      for (const st of insertRelationsOf(locationId, batch.map((b) => b.p))) await pipe.run(st);
      summary.updated += batch.length;
    };

    for (const pe of result.entities) {
      const p = prepareEntity(pe);
      const first = incoming.get(p.ref);
      if (first) {
        duplicateErrors.push(duplicateError(p, first));
        advance(1)();
        continue;
      }
      incoming.set(p.ref, p);
      const old = mine.get(p.ref);
      if (!old) fresh.push({ p, uid: newUid(), etag: newEtag() });
      else if (old.hash !== p.hash) changed.push({ p, uid: old.uid, etag: newEtag() });
      else {
        summary.unchanged += 1;
        advance(1)();
      }
      if (fresh.length >= ENTITY_BATCH) await flushFresh();
      if (changed.length >= ENTITY_BATCH) await flushChanged();
    }
    await flushFresh();
    await flushChanged();

    const failed = new Set(result.failedFiles);
    const invalid = new Set(result.invalidRefs.map((r) => r.toLowerCase()));
    const removed: string[] = [];
    for (const [ref, row] of mine) {
      if (incoming.has(ref)) continue;
      if (invalid.has(ref) || (row.source_file !== null && failed.has(row.source_file))) summary.unchanged += 1;
      else removed.push(ref);
    }
    for (const st of [...deleteRelationsOf(removed), ...deleteEntities(locationId, removed)]) await pipe.run(st);
    await pipe.drain();
    summary.removed = removed.length;

    const conflicts: PreparedEntity[] = [];
    for (const { batch, rows } of inserts) {
      const inserted = new Set((await rows).map((r) => r.entity_ref));
      for (const b of batch) {
        if (inserted.has(b.p.ref)) summary.added += 1;
        else conflicts.push(b.p);
      }
    }
    summary.conflicts = conflicts.length + duplicateErrors.length;

    const conflictSet = new Set(conflicts.map((c) => c.ref));
    const errors: ErrorRow[] = [...result.errors.map((e) => errorRow(e))];
    for (const p of incoming.values()) {
      if (!conflictSet.has(p.ref)) for (const e of p.pe.errors) errors.push(errorRow(e, p.ref));
    }
    errors.push(...duplicateErrors, ...(await conflictErrors(tx, conflicts)));
    summary.errors = errors.length;
    const errorsChanged = await errorsDiffer(tx, locationId, errors);
    if (errorsChanged) for (const st of replaceErrors(locationId, errors)) await tx.query(st.sql, st.params);
    if (summary.added + summary.updated + summary.removed > 0 || errorsChanged) {
      await tx.query('UPDATE catalog_state SET generation = generation + 1 WHERE id = 1');
    }
    onProgress?.(total, total);
  });

  if (summary.added + summary.updated + summary.removed >= ANALYZE_AFTER_CHANGES) {
    // Only the columns the planner needs (the wide JSON and text columns would make ANALYZE slow).
    await db.query('ANALYZE catalog_entities (entity_ref, kind, namespace, sort_name, location_id, uid, search_keys)');
    await db.query('ANALYZE catalog_relations');
  }
  return summary;
}

function duplicateError(p: PreparedEntity, first: PreparedEntity): ErrorRow {
  return errorRow({
    code: 'conflict',
    message: `entity ${p.ref} is defined twice in this location (also in ${first.pe.source.file}); the first one is kept`,
    entityRef: p.ref,
    sourceFile: p.pe.source.file,
    line: p.pe.source.line,
  });
}
