import type { FastifyInstance } from 'fastify';
import type { TarmacConfig } from './config.js';
import type { AuditRecorder, Authorizer } from './auth.js';
import type { Database, Migration } from './db/index.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * What the app hands a module, and nothing more (after Backstage's `registerInit({ deps })`):
 * the module never reaches for the app's internals.
 */
export interface CoreDeps {
  db: Database;
  /** Already a child logger: `{ module: <id> }`. */
  logger: Logger;
  config: TarmacConfig;
  metrics: Metrics;
}

/** `CoreDeps` plus the auth context: the one authorization function and the audit log. */
export interface ModuleDeps extends CoreDeps {
  /** Every permission decision goes through `authz.authorize(who, action, resource)`. */
  authz: Authorizer;
  /** Every change is appended here. */
  audit: AuditRecorder;
}

/**
 * A domain module as the app sees it. Each `src/<module>/index.ts` exports a factory returning one.
 * Lifecycle: migrations run → `routes` registered → server listens → `start()`; on shutdown `stop()`.
 */
export interface TarmacModule {
  /** Short id, also the log `module` field and migration id prefix. */
  id: string;
  migrations: readonly Migration[];
  /** Registers HTTP routes; called inside a Fastify plugin mounted at `routePrefix`. */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** URL prefix for `routes` (e.g. `/api/catalog`). */
  routePrefix?: string;
  /** Starts background work (refresh loops). Must not throw for a bad location: errors are recorded instead. */
  start?: () => Promise<void>;
  /** Stops background work and waits for in-flight work to settle. */
  stop?: () => Promise<void>;
  /** False until the module can serve (e.g. before the first ingest pass). Used by `/readyz`. */
  isReady?: () => boolean;
}
