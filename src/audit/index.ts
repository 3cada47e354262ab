/**
 * The audit module's only public entry: a tamper-evident, append-only log of every change (issue 4 "Audit log").
 * Events form a SHA-256 hash chain (docs/audit.md); the recorder appends with group commit under an advisory lock.
 */
import { Counter, Histogram } from 'prom-client';
import type { AuditRecorder } from '../core/auth.js';
import type { CoreDeps, TarmacModule } from '../core/module.js';
import { registerAuditRoutes } from './http/routes.js';
import { AuditService } from './service.js';
import { auditMigrations } from './storage/migrations.js';
import { AuditWriter } from './writer.js';

export { AuditService, type ListPage, type ListQuery, type VerifyResult } from './service.js';
export { auditMigrations } from './storage/migrations.js';
export { registerAuditCommands } from './cli/index.js';
export { GENESIS_HASH, canonicalForm, hashEvent, type AuditEvent } from './model/event.js';
export { verifyExport, type ExportVerifyResult } from './model/export.js';
export type { BreakReason, ChainBreak } from './model/chain.js';

/**
 * Builds the audit module: its migration, routes at `/api/audit`, the recorder every other module appends to,
 * and the service that lists, verifies and exports. `stop()` waits for queued events to be committed.
 * @param deps database, logger, config and metrics (the audit module depends on nothing else)
 */
export function createAuditModule(deps: CoreDeps): { module: TarmacModule; recorder: AuditRecorder; service: AuditService } {
  const appended = new Counter({
    name: 'tarmac_audit_events_appended_total',
    help: 'Audit events committed to the chain.',
    registers: [deps.metrics.registry],
  });
  const failed = new Counter({
    name: 'tarmac_audit_events_failed_total',
    help: 'Audit events whose append failed (their callers got the error).',
    registers: [deps.metrics.registry],
  });
  const batchSeconds = new Histogram({
    name: 'tarmac_audit_append_batch_seconds',
    help: 'Duration of one group-commit append transaction, in seconds.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [deps.metrics.registry],
  });
  const writer = new AuditWriter(deps.db, deps.logger, (b) => {
    (b.ok ? appended : failed).inc(b.events);
    batchSeconds.observe(b.seconds);
  });
  const service = new AuditService(deps.db);
  const module: TarmacModule = {
    id: 'audit',
    migrations: auditMigrations,
    routePrefix: '/api/audit',
    routes: (app) => registerAuditRoutes(app, service),
    stop: () => writer.stop(),
  };
  return { module, recorder: writer, service };
}
