import type { Database } from '../../core/db/index.js';
import { EntityBatchWriter, type StoredRow } from './apply-batches.js';
import { checkLease, conflictErrors, errorsDiffer } from './apply-checks.js';
import type { ErrorRow } from './hash.js';
import { errorRow } from './hash.js';
import type { ApplySummary, LocationReadResult, LocationReadStream, ProcessedEntity, ReadTrailer } from './types.js';
import { deleteEntities, replaceErrors } from './write-sql.js';
import { deleteRelationsOf } from './relations-sql.js';

/** Progress callback of `applyLocationResult`: entities handled so far and in total. */
export type ApplyProgress = (done: number, total: number) => void;

/** After this many written rows, table statistics are refreshed (PGlite has no autovacuum). */
export const ANALYZE_AFTER_CHANGES = 1000;

/** A complete read as a stream of one batch. */
function streamOf(result: LocationReadResult): LocationReadStream {
  const { entities, ...trailer } = result;
  return {
    batches: (async function* () {
      yield entities;
    })(),
    trailer: () => Promise.resolve(trailer),
  };
}

/**
 * Applies one read of a location in ONE transaction (docs/catalog-design.md, data flow step 4). The read is a
 * complete `LocationReadResult` or a `LocationReadStream` whose batches are written as they arrive (the
 * transaction is then open while the location is being read; nothing is visible to others before the commit):
 * - checks that `owner` holds a live lease at the start, again before every write statement, and once more at
 *   the end with the location row locked (FOR UPDATE) until the commit; else throws CONFLICT "lease lost";
 * - entities with an unchanged hash cost no writes; changed ones are updated (same uid, new etag); new ones
 *   inserted (new uid and etag); relations are rewritten for changed/new entities (by `origin_ref`);
 * - once the read has ended, entities of this location no longer emitted are removed with their relations, except
 *   those read from `failedFiles` or listed in `invalidRefs` (their last good version stays), and all of them
 *   when `keepPrevious` is set;
 * - a ref owned by another location (or emitted twice by this one) is not written: a `conflict` error naming the
 *   owner is recorded for this location (the first location keeps it);
 * - the location's errors are replaced by this read's (not rewritten when identical);
 * - `catalog_state.generation` is bumped when anything changed.
 * Statements are set-based, 2,000 entities each, and pipelined: entities are hashed and the next statement built
 * while the database runs the previous one. Memory holds one batch of entities plus the emitted refs, not the
 * whole read. After a large change, ANALYZE refreshes the planner's statistics (after the commit). kill -9 at any
 * point, or a failing read (the stream throws), leaves the previous committed state.
 * @param onProgress called as entities are handled with (entities handled, entities in the read — for a stream,
 *   those handled so far until it has ended)
 * @returns counts; `errors` is the number of errors now stored for the location
 * @throws TarmacError CONFLICT when the lease is lost or the location is gone (nothing is written); what the
 *   stream's iteration throws (nothing is written)
 */
export async function applyLocationResult(
  db: Database,
  locationId: string,
  owner: string,
  read: LocationReadResult | LocationReadStream,
  onProgress?: ApplyProgress,
): Promise<ApplySummary> {
  const stream = 'batches' in read ? read : streamOf(read);
  const known = 'batches' in read ? undefined : read.entities.length;
  const summary: ApplySummary = { added: 0, updated: 0, removed: 0, unchanged: 0, conflicts: 0, errors: 0 };
  let handled = 0;

  await db.transaction(async (tx) => {
    await checkLease(tx, locationId, owner, false);
    const mine = new Map(
      (
        await tx.query<StoredRow>('SELECT entity_ref, uid, hash, source_file FROM catalog_entities WHERE location_id = $1', [
          locationId,
        ])
      ).map((r) => [r.entity_ref, r]),
    );
    const w = new EntityBatchWriter(tx, locationId, owner, mine, summary, (done) => {
      handled = done;
      onProgress?.(Math.min(done, known ?? done), known ?? done);
    });
    for await (const batch of stream.batches) {
      for (const pe of batch as ProcessedEntity[]) await w.add(pe);
    }
    const trailer: ReadTrailer = await stream.trailer();
    await w.flush();
    await w.pipe.drain();
    await checkLease(tx, locationId, owner); // locks the location row until the commit

    const failed = new Set(trailer.failedFiles);
    const invalid = new Set(trailer.invalidRefs.map((r) => r.toLowerCase()));
    const removed: string[] = [];
    for (const [ref, row] of mine) {
      if (w.emitted.has(ref)) continue;
      const kept = trailer.keepPrevious || invalid.has(ref) || (row.source_file !== null && failed.has(row.source_file));
      if (kept) summary.unchanged += 1;
      else removed.push(ref);
    }
    mine.clear();
    for (const st of [...deleteRelationsOf(removed), ...deleteEntities(locationId, removed)]) await w.pipe.run(st);
    await w.pipe.drain();
    summary.removed = removed.length;
    summary.conflicts = w.conflicts.length + w.duplicateErrors.length;

    const conflictSet = new Set(w.conflicts.map((c) => c.ref));
    const errors: ErrorRow[] = trailer.errors.map((e) => errorRow(e));
    for (const e of w.entityErrors) if (!conflictSet.has(e.entity_ref ?? '')) errors.push(e);
    errors.push(...w.duplicateErrors, ...(await conflictErrors(tx, w.conflicts)));
    summary.errors = errors.length;
    const errorsChanged = await errorsDiffer(tx, locationId, errors);
    if (errorsChanged) for (const st of replaceErrors(locationId, errors)) await tx.query(st.sql, st.params);
    if (summary.added + summary.updated + summary.removed > 0 || errorsChanged) {
      await tx.query('UPDATE catalog_state SET generation = generation + 1 WHERE id = 1');
    }
    onProgress?.(known ?? handled, known ?? handled);
  });

  if (summary.added + summary.updated + summary.removed >= ANALYZE_AFTER_CHANGES) {
    // Only the columns the planner needs (the wide JSON and text columns would make ANALYZE slow).
    await db.query('ANALYZE catalog_entities (entity_ref, kind, namespace, sort_name, location_id, uid, search_keys)');
    await db.query('ANALYZE catalog_relations');
  }
  return summary;
}
