import type { TarmacConfig } from '../../core/config.js';
import { TarmacError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Metrics } from '../../core/metrics.js';
import type { ApplySummary, LocationReadResult } from '../storage/types.js';
import type { IngestLimits } from './limits.js';
import { processLocation } from './process-location.js';
import { createReaders } from './readers/index.js';
import { refreshMetrics } from './refresh-metrics.js';
import { runLocation, type RunContext } from './refresh-run.js';
import type { RefreshStore } from './refresh-store.js';
import type { RootLocation } from './roots.js';
import type { Readers } from './sources.js';

/** Dependencies and settings of `createRefreshLoop`. */
export interface RefreshLoopOptions {
  /** The catalog store (storage/index.ts `createCatalogStore(db)`). */
  store: RefreshStore;
  logger: Logger;
  metrics: Pick<Metrics, 'registry'>;
  /** Uses `catalog.refreshIntervalSeconds` (s; 0 = no periodic refresh) and `catalog.reading`. */
  config: { catalog: Pick<TarmacConfig['catalog'], 'refreshIntervalSeconds' | 'reading'> };
  /** Tarmac's data folder (git checkouts in `<dataDir>/git/`). */
  dataDir: string;
  /** Lease owner id, unique per process (e.g. `<pid>-<random>`). */
  processId: string;
  /** Lease length, ms (default 300 000). A killed process's locations are taken over once it expires. */
  leaseMs?: number;
  /** Pause between scans for due locations when none is due, ms (default 1000). */
  pollIntervalMs?: number;
  /** How long `refreshNow` waits for another process's lease to end, ms (default `leaseMs`). */
  claimWaitMs?: number;
  limits?: Partial<IngestLimits>;
  /**
   * Write entities while the location is still being read, in the apply transaction (default true). Keeps memory
   * flat (a few batches instead of the whole read) but holds the transaction open during the read: right for
   * PostgreSQL, whose readers keep seeing the last committed state; wrong for PGlite, whose single connection would
   * make every HTTP read wait for the whole read (a slow URL, a git fetch). The catalog passes
   * `db.engine === 'postgres'`.
   */
  streamWrites?: boolean;
  /** Readers to use instead of those built from `catalog.reading` (tests). */
  readers?: Readers;
}

/** The refresh loop: re-reads every location on an interval, and on demand. */
export interface RefreshLoop {
  /** Starts scanning for due locations in the background (with interval 0: one pass, then idle). */
  start(): void;
  /** Stops scanning; resolves once the run in progress (if any) and every `refreshNow` have finished. */
  stop(): Promise<void>;
  /**
   * Reads one location now and stores the result (`POST /refresh`, `POST /locations`, `tarmac catalog import`).
   * Waits for a run of the same location in this process, then for another process's lease (up to `claimWaitMs`).
   * @throws TarmacError NOT_FOUND (no such location), CONFLICT (held by another process, or the lease was lost)
   */
  refreshNow(locationId: string): Promise<ApplySummary>;
  /** Claims and processes due locations until none is left; returns how many were processed (tests, CLI). */
  runDueOnce(): Promise<number>;
  /** Reads a location without storing anything (Backstage `dryRun`). Never throws for input problems. */
  preview(root: RootLocation): Promise<LocationReadResult>;
  /** True once every location that existed at `start()` has finished a read (by this or another process). */
  isReady(): boolean;
  /** Resolves when no run is in progress in this loop. */
  onIdle(): Promise<void>;
}

/** Ten years, ms: "next refresh" of a location when periodic refresh is off (interval 0). */
const NEVER_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * Creates the refresh loop. Leases come from storage (`FOR UPDATE SKIP LOCKED`), so loops in several processes on
 * one database never process the same location at once. The next refresh is `refreshIntervalSeconds` ± 10 %
 * (jitter spreads locations registered together). Errors never stop the loop: they are logged and the location is
 * released as failed.
 * Metrics on `metrics.registry`: see refresh-metrics.ts.
 */
export function createRefreshLoop(opts: RefreshLoopOptions): RefreshLoop {
  const leaseMs = opts.leaseMs ?? 300_000;
  const pollMs = opts.pollIntervalMs ?? 1000;
  const intervalS = opts.config.catalog.refreshIntervalSeconds;
  const logger = opts.logger.child({ component: 'catalog-refresh' });
  const readers = opts.readers ?? createReaders({ reading: opts.config.catalog.reading, dataDir: opts.dataDir });
  const ctx: RunContext = {
    store: opts.store,
    readers,
    logger,
    metrics: refreshMetrics(opts.metrics.registry),
    owner: opts.processId,
    leaseMs,
    ...(opts.limits ? { limits: opts.limits } : {}),
    streamWrites: opts.streamWrites ?? true,
    nextRefreshAt: () =>
      new Date(Date.now() + (intervalS > 0 ? intervalS * 1000 * (0.9 + Math.random() * 0.2) : NEVER_MS)),
  };
  const inFlight = new Map<string, Promise<ApplySummary>>();
  let running = false;
  let stopping = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  let waitingFor: Set<string> | undefined; // locations existing at start not yet read once
  let ready = false;

  /** Runs `fn` as the only run of `id` in this process. */
  function exclusive(id: string, fn: () => Promise<ApplySummary>): Promise<ApplySummary> {
    const prev = inFlight.get(id);
    const next = (prev ? prev.catch(() => undefined) : Promise.resolve()).then(fn);
    inFlight.set(id, next);
    const clear = () => {
      if (inFlight.get(id) === next) inFlight.delete(id);
    };
    next.then(clear, clear);
    return next;
  }

  async function runDueOnce(): Promise<number> {
    let n = 0;
    for (;;) {
      const rec = await opts.store.claimDueLocation(ctx.owner, leaseMs);
      if (!rec) break;
      ctx.metrics.lag.observe(Math.max(0, (Date.now() - Date.parse(rec.nextRefreshAt)) / 1000));
      await exclusive(rec.id, () => runLocation(ctx, rec)).catch(() => undefined); // logged by runLocation
      n++;
      if (stopping) break;
    }
    await checkReady();
    return n;
  }
  async function checkReady(): Promise<void> {
    if (ready || !waitingFor) return;
    for (const id of [...waitingFor]) {
      const rec = await opts.store.getLocation(id);
      if (!rec || rec.lastFinishedAt !== null) waitingFor.delete(id);
    }
    ready = waitingFor.size === 0;
  }

  async function snapshot(): Promise<void> {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 500) {
      const page = await opts.store.listLocations({ limit: 500, offset });
      page.items.forEach((l) => ids.add(l.id));
      if (page.items.length < 500) break;
    }
    waitingFor = ids;
  }

  async function loop(): Promise<void> {
    try {
      await snapshot();
    } catch (err) {
      logger.error('could not list locations', { err: errorMessage(err) });
      waitingFor = new Set();
    }
    while (running) {
      let n = 0;
      try {
        n = await runDueOnce();
      } catch (err) {
        logger.error('refresh scan failed', { err: errorMessage(err) });
      }
      if (intervalS <= 0 && waitingFor?.size === 0) break;
      if (n === 0 && running) await sleep(pollMs);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function refreshNow(locationId: string): Promise<ApplySummary> {
    return exclusive(locationId, async () => {
      const deadline = Date.now() + (opts.claimWaitMs ?? leaseMs);
      for (;;) {
        const rec = await opts.store.claimLocation(locationId, ctx.owner, leaseMs);
        if (rec) return runLocation(ctx, rec);
        if (!(await opts.store.getLocation(locationId))) {
          throw new TarmacError('NOT_FOUND', `no location with id ${locationId}`);
        }
        if (Date.now() >= deadline) {
          throw new TarmacError('CONFLICT', `location ${locationId} is being refreshed by another process`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loopDone = loop().catch((err: unknown) => logger.error('refresh loop stopped', { err: errorMessage(err) }));
    },
    async stop() {
      running = false;
      stopping = true;
      wake?.();
      await loopDone;
      await Promise.allSettled([...inFlight.values()]);
    },
    refreshNow,
    runDueOnce,
    async preview(root) {
      return (await processLocation(root, { readers, ...(opts.limits ? { limits: opts.limits } : {}) })).result;
    },
    isReady: () => ready,
    async onIdle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}
