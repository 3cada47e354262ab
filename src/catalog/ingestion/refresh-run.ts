import { errorMessage, isTarmacError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Entity } from '../model/entity.js';
import type { ApplySummary, IngestError, LocationReadResult, LocationReadStream, LocationRecord, ProcessedEntity } from '../storage/types.js';
import type { IngestLimits } from './limits.js';
import { recordRead, type RefreshMetrics } from './refresh-metrics.js';
import { previousLocationEntities, previousSourceFiles, type RefreshStore } from './refresh-store.js';
import { streamLocation } from './read-stream.js';
import { originKey, type RootLocation } from './roots.js';
import type { Readers } from './sources.js';

/** What one run needs: storage, readers, identity and timing. */
export interface RunContext {
  store: RefreshStore;
  readers: Readers;
  logger: Logger;
  metrics: RefreshMetrics;
  /** Lease owner id of this loop. */
  owner: string;
  /** Lease length in ms; renewed every third of it while the run lasts. */
  leaseMs: number;
  limits?: Partial<IngestLimits>;
  /** Apply while reading (PostgreSQL) or read everything first, then apply (PGlite); see RefreshLoopOptions. */
  streamWrites: boolean;
  /** When the location is next due (jitter applied by the caller). */
  nextRefreshAt: () => Date;
}

/** The root a stored location describes (empty branch/path mean "not set"). */
export function rootOf(rec: LocationRecord): RootLocation {
  return {
    type: rec.type,
    target: rec.target,
    ...(rec.branch ? { branch: rec.branch } : {}),
    ...(rec.path ? { path: rec.path } : {}),
  };
}

/**
 * Processes one location already claimed by `ctx.owner`: reads it (progress phase `reading`, files done/known)
 * while storage applies its entities batch by batch in one transaction (read-stream.ts, storage
 * `applyLocationResult`), then releases it with its summary and next refresh time.
 * - Nothing of the root readable: a `fetch` error is recorded for the location and every entity it stored is kept
 *   (`keepPrevious`); status `failed`. An unexpected failure of the read rolls the apply back; then every file its
 *   entities came from is passed as failed with a `fetch` error, so storage keeps them all; status `failed`.
 * - The lease is renewed every `leaseMs / 3` while the run lasts; storage checks it at the start of the
 *   transaction, before each write and at the commit: if another process took it meanwhile (after expiry),
 *   nothing is written.
 * @returns the apply summary
 * @throws TarmacError CONFLICT when the lease was lost; database errors as thrown by storage (the location is
 *   released as `failed` first when possible)
 */
export async function runLocation(ctx: RunContext, rec: LocationRecord): Promise<ApplySummary> {
  const { store, owner, logger } = ctx;
  const started = Date.now();
  const root = rootOf(rec);
  const origin = originKey(root);
  const log = logger.child({ locationId: rec.id, location: origin });
  // Progress writes and lease renewals go one at a time: an UPDATE in flight locks the row, and the renewal
  // (claimLocation, FOR UPDATE SKIP LOCKED) would then skip it. While the apply transaction is open they may wait
  // (PGlite runs one statement or transaction at a time): a progress write is skipped while one is pending.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<unknown>) => (chain = chain.then(fn).catch((err: unknown) => {
    log.debug('lease bookkeeping failed', { err: errorMessage(err) });
  }));
  let lastProgress = 0;
  let progressPending = false;
  const progress = (phase: string, done: number, total: number | null) => {
    if (progressPending || Date.now() - lastProgress < 250) return;
    lastProgress = Date.now();
    progressPending = true;
    void serial(() => store.setProgress(rec.id, owner, { phase, done, total }).finally(() => (progressPending = false)));
  };
  const renew = setInterval(() => {
    void serial(async () => {
      if (!(await store.claimLocation(rec.id, owner, ctx.leaseMs))) log.debug('lease not renewed this time');
    });
  }, Math.max(1000, Math.floor(ctx.leaseMs / 3)));
  let status: 'ok' | 'failed' = 'failed';
  try {
    await serial(() => store.setProgress(rec.id, owner, { phase: 'reading', done: 0, total: null }));
    const previous = await previousLocationEntities(store, origin).catch((err: unknown) => {
      log.debug('previous Location entities not available', { err: errorMessage(err) });
      return new Map<string, Entity[]>();
    });
    const read = streamLocation(root, {
      readers: ctx.readers,
      ...(ctx.limits ? { limits: ctx.limits } : {}),
      onProgress: (p) => progress('reading', p.done, p.total),
      previousEntities: (file) => Promise.resolve(previous.get(file.toLowerCase()) ?? []),
    });
    let summary: ApplySummary;
    let errors: IngestError[];
    try {
      summary = await store.applyLocationResult(rec.id, owner, ctx.streamWrites ? read.stream : await drain(read.stream));
      const outcome = await read.outcome;
      status = outcome.rootFailed ? 'failed' : 'ok';
      errors = [...outcome.result.errors, ...read.entityErrors];
    } catch (err) {
      read.cancel();
      await read.outcome.catch(() => undefined);
      if (!read.failed()) throw err;
      log.error('reading the location failed unexpectedly', { err: errorMessage(err) });
      const failedFiles = await previousSourceFiles(store, origin);
      const message = `reading the location failed: ${errorMessage(err)}`;
      const result = { entities: [], errors: [{ code: 'fetch' as const, message, sourceFile: origin }], failedFiles, invalidRefs: [] };
      summary = await store.applyLocationResult(rec.id, owner, result);
      errors = result.errors;
    }
    clearInterval(renew);
    await chain;
    recordRead(ctx.metrics, errors, summary);
    const durationMs = Date.now() - started;
    await store.releaseLocation(rec.id, owner, {
      status,
      summary: { ...summary, durationMs },
      nextRefreshAt: ctx.nextRefreshAt(),
      progress: null,
    });
    log.info('location refreshed', { ...summary, durationMs, status });
    return summary;
  } catch (err) {
    status = 'failed';
    if (isTarmacError(err, 'CONFLICT')) {
      log.warn('location result not stored: the lease was lost to another process', { err: errorMessage(err) });
    } else {
      log.error('location refresh failed', { err: errorMessage(err) });
      await store
        .releaseLocation(rec.id, owner, { status, nextRefreshAt: ctx.nextRefreshAt(), progress: null })
        .catch(() => undefined);
    }
    throw err;
  } finally {
    clearInterval(renew);
    await chain;
    ctx.metrics.duration.observe({ status }, (Date.now() - started) / 1000);
  }
}

/** The whole read in memory: every batch, then the trailer. Throws what the read throws. */
async function drain(stream: LocationReadStream): Promise<LocationReadResult> {
  const entities: ProcessedEntity[] = [];
  for await (const batch of stream.batches) entities.push(...batch);
  return { entities, ...(await stream.trailer()) };
}
