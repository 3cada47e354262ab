/**
 * The audit module's only public entry: a tamper-evident, append-only log of every change.
 * (Skeleton: the recorder keeps nothing yet; the hash-chained store replaces it.)
 */
import type { AuditRecorder } from '../core/auth.js';
import type { CoreDeps, TarmacModule } from '../core/module.js';

/**
 * Builds the audit module: migrations, routes at `/api/audit`, and the recorder every other module appends to.
 * @param deps database, logger, config and metrics (the audit module depends on nothing else)
 */
export function createAuditModule(_deps: CoreDeps): { module: TarmacModule; recorder: AuditRecorder } {
  const recorder: AuditRecorder = { record: async () => undefined };
  return { module: { id: 'audit', migrations: [] }, recorder };
}
