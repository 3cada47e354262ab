import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../core/db/index.js';
import { leaseStatement, verifyLease, type ConflictRef } from './apply-checks.js';
import type { ErrorRow } from './hash.js';
import { errorRow } from './hash.js';
import { deleteRelationsOf, insertRelationsOf } from './relations-sql.js';
import { StatementPipeline } from './statements.js';
import type { ApplySummary, ProcessedEntity } from './types.js';
import { newUid } from './uid.js';
import type { EntityWrite } from './write-sql.js';
import { ENTITY_BATCH, insertEntities, prepareEntity, updateEntities } from './write-sql.js';

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

/** A stored entity of the location being applied. */
export interface StoredRow {
  entity_ref: string;
  uid: string;
  hash: string;
  source_file: string | null;
}

/**
 * Writes the entities of one location read inside the apply transaction, batch by batch, as they arrive. Keeps
 * only what the end of the apply needs: the refs emitted (with their file), the entities' own errors, duplicates
 * and conflicts; each entity is released once its statement is built. Before every write statement the lease is
 * checked again (`verifyLease`, queued in the same pipeline): a lost lease fails the apply.
 */
export class EntityBatchWriter {
  /** Refs emitted by this read (lowercase) → the file each was read from. */
  readonly emitted = new Map<string, string>();
  /** Errors attached to emitted entities (dropped at the end for entities lost to a conflict). */
  readonly entityErrors: ErrorRow[] = [];
  readonly duplicateErrors: ErrorRow[] = [];
  readonly conflicts: ConflictRef[] = [];
  readonly pipe: StatementPipeline;
  private fresh: EntityWrite[] = [];
  private changed: EntityWrite[] = [];
  private done = 0;

  constructor(
    tx: Queryable,
    private readonly locationId: string,
    private readonly owner: string,
    private readonly mine: Map<string, StoredRow>,
    private readonly summary: ApplySummary,
    private readonly onProgress?: (done: number) => void,
  ) {
    this.pipe = new StatementPipeline(tx);
  }

  /** Classifies one entity (new, changed, unchanged, duplicate) and writes full batches. */
  async add(pe: ProcessedEntity): Promise<void> {
    const p = prepareEntity(pe);
    const first = this.emitted.get(p.ref);
    if (first !== undefined) {
      this.duplicateErrors.push(
        errorRow({
          code: 'conflict',
          message: `entity ${p.ref} is defined twice in this location (also in ${first}); the first one is kept`,
          entityRef: p.ref,
          sourceFile: pe.source.file,
          ...(pe.source.line !== undefined ? { line: pe.source.line } : {}),
        }),
      );
      this.advance(1);
      return;
    }
    this.emitted.set(p.ref, pe.source.file);
    for (const e of pe.errors) this.entityErrors.push(errorRow(e, p.ref));
    const old = this.mine.get(p.ref);
    if (!old) this.fresh.push({ p, uid: newUid(), etag: newEtag() });
    else if (old.hash !== p.hash) this.changed.push({ p, uid: old.uid, etag: newEtag() });
    else {
      this.summary.unchanged += 1;
      this.advance(1);
    }
    if (this.fresh.length >= ENTITY_BATCH) await this.flushFresh();
    if (this.changed.length >= ENTITY_BATCH) await this.flushChanged();
  }

  /** Writes what is left of the batches being filled. */
  async flush(): Promise<void> {
    await this.flushFresh();
    await this.flushChanged();
  }

  private advance(n: number): void {
    this.done += n;
    this.onProgress?.(this.done);
  }

  private async guard(): Promise<void> {
    await this.pipe.run(leaseStatement(this.locationId, false), (rows: Array<{ lease_owner: string | null; live: boolean }>) =>
      verifyLease(rows, this.locationId, this.owner),
    );
  }

  private async flushFresh(): Promise<void> {
    const batch = this.fresh;
    this.fresh = [];
    if (batch.length === 0) return;
    await this.guard();
    const at: ConflictRef[] = batch.map((b) => ({ ref: b.p.ref, file: b.p.pe.source.file, line: b.p.pe.source.line }));
    const { rows } = await this.pipe.run<{ entity_ref: string }>(insertEntities(this.locationId, batch), (inserted) => {
      const refs = new Set(inserted.map((r) => r.entity_ref));
      for (const c of at) {
        if (refs.has(c.ref)) this.summary.added += 1;
        else this.conflicts.push(c);
      }
      this.advance(at.length);
    });
    void rows.catch(() => undefined);
    for (const st of insertRelationsOf(this.locationId, batch.map((b) => b.p))) await this.pipe.run(st);
  }

  private async flushChanged(): Promise<void> {
    const batch = this.changed;
    this.changed = [];
    if (batch.length === 0) return;
    await this.guard();
    await this.pipe.run(updateEntities(this.locationId, batch), () => this.advance(batch.length));
    for (const st of deleteRelationsOf(batch.map((b) => b.p.ref))) await this.pipe.run(st);
    for (const st of insertRelationsOf(this.locationId, batch.map((b) => b.p))) await this.pipe.run(st);
    this.summary.updated += batch.length;
  }
}
