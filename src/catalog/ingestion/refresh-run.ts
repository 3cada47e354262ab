import { TarmacError, errorMessage, isTarmacError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ApplySummary, LocationReadResult, LocationRecord } from '../storage/types.js';
import type { IngestLimits } from './limits.js';
import { processLocation } from './process-location.js';
import { recordRead, type RefreshMetrics } from './refresh-metrics.js';
import { previousLocationEntities, previousSourceFiles, type RefreshStore } from './refresh-store.js';
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
 * Processes one location already claimed by `ctx.owner`: reads it (progress phase `reading`, files done/known),
 * applies the result in one transaction (phase `writing`), releases it with its summary and next refresh time.
 * - Nothing of the root readable (or an unexpected failure): a `fetch` error is recorded for the location and every
 *   file its entities came from is passed as failed, so storage keeps them all; status `failed`.
 * - The lease is renewed every `leaseMs / 3` while reading and once more before the apply; if another process
 *   took it meanwhile (after expiry), nothing is written (storage also checks the lease inside its transaction).
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
  // (claimLocation, FOR UPDATE SKIP LOCKED) would then skip it.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<unknown>) => (chain = chain.then(fn).catch((err: unknown) => {
    log.debug('lease bookkeeping failed', { err: errorMessage(err) });
  }));
  let lastProgress = 0;
  const progress = (phase: string, done: number, total: number | null, force = false) => {
    if (!force && Date.now() - lastProgress < 250) return chain;
    lastProgress = Date.now();
    return serial(() => store.setProgress(rec.id, owner, { phase, done, total }));
  };
  const renew = setInterval(() => {
    void serial(async () => {
      if (!(await store.claimLocation(rec.id, owner, ctx.leaseMs))) log.debug('lease not renewed this time');
    });
  }, Math.max(1000, Math.floor(ctx.leaseMs / 3)));
  let status: 'ok' | 'failed' = 'failed';
  try {
    await progress('reading', 0, null, true);
    let result: LocationReadResult;
    try {
      const outcome = await processLocation(root, {
        readers: ctx.readers,
        ...(ctx.limits ? { limits: ctx.limits } : {}),
        onProgress: (p) => void progress('reading', p.done, p.total),
        previousEntities: (file) => previousLocationEntities(store, origin, file),
      });
      result = outcome.result;
      status = outcome.rootFailed ? 'failed' : 'ok';
      if (outcome.rootFailed && result.entities.length === 0) {
        result.failedFiles = [...new Set([...result.failedFiles, ...(await previousSourceFiles(store, origin))])];
      }
    } catch (err) {
      log.error('reading the location failed unexpectedly', { err: errorMessage(err) });
      const failedFiles = await previousSourceFiles(store, origin);
      const message = `reading the location failed: ${errorMessage(err)}`;
      result = { entities: [], errors: [{ code: 'fetch', message, sourceFile: origin }], failedFiles, invalidRefs: [] };
    }
    clearInterval(renew); // the apply transaction locks the row; renew once more now (a long synchronous parse
    // may have delayed the timer), then storage checks the lease again inside the transaction
    await chain;
    if (!(await renewLease(store, rec.id, owner, ctx.leaseMs))) {
      throw new TarmacError('CONFLICT', `lease lost on location ${rec.id} while it was being read`);
    }
    await progress('writing', 0, result.entities.length, true);
    const summary = await store.applyLocationResult(rec.id, owner, result);
    recordRead(ctx.metrics, result, summary);
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

/**
 * Renews `owner`'s lease; retried a few times because the claim skips a row another statement has just locked
 * (FOR UPDATE SKIP LOCKED). @returns false when another owner holds the location (or it is gone)
 */
async function renewLease(store: RefreshStore, id: string, owner: string, leaseMs: number): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await store.claimLocation(id, owner, leaseMs)) return true;
    const rec = await store.getLocation(id);
    if (!rec) return false;
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  return false;
}
