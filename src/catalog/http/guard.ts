import type { FastifyRequest } from 'fastify';
import { ALLOW_ALL, NO_AUDIT, type AuditInput, type AuditRecorder, type Authorizer, type ResourceRef } from '../../core/auth.js';
import { TarmacError } from '../../core/errors.js';
import { readFilterOf, type ReadFilter } from '../query/index.js';
import type { ReadScope } from '../service.js';

/** The auth context catalog routes use: the one authorization function and the audit log. */
export interface CatalogGuard {
  /** The caller's read restriction (memoised per request); `readCondition` null when it reads everything. */
  scope(req: FastifyRequest): ReadScope & { filter?: ReadFilter };
  /**
   * Checks `action` on a concrete resource; a denial is audited (outcome `denied`) and thrown.
   * @throws TarmacError FORBIDDEN with the decision's reason
   */
  check(req: FastifyRequest, action: string, resource: ResourceRef, resourceName: string): Promise<void>;
  /** Appends an audit event for a catalog write by the caller of `req`. */
  record(req: FastifyRequest, event: Pick<AuditInput, 'action' | 'resource' | 'outcome' | 'summary'>): Promise<void>;
  /**
   * Runs a write and audits it: `success` with `summary(result)`, or `failure` with the error code when it throws
   * (the error is rethrown unchanged).
   */
  audited<T>(
    req: FastifyRequest,
    action: string,
    resource: string,
    write: () => Promise<T>,
    summary?: (result: T) => Record<string, unknown>,
  ): Promise<T>;
}

/**
 * Builds the guard from the app's authorizer and audit recorder (defaults: allow all, record nothing — for tools
 * and tests that mount catalog routes alone).
 */
export function createCatalogGuard(authz: Authorizer = ALLOW_ALL, audit: AuditRecorder = NO_AUDIT): CatalogGuard {
  const scopes = new WeakMap<FastifyRequest, ReadScope & { filter?: ReadFilter }>();
  const record: CatalogGuard['record'] = (req, event) =>
    audit.record({ actor: req.principal.actor, requestId: String(req.id), ip: req.ip, ...event });
  return {
    scope(req) {
      let s = scopes.get(req);
      if (!s) {
        const readCondition = authz.entityReadCondition(req.principal);
        s = { readCondition, filter: readFilterOf(readCondition) };
        scopes.set(req, s);
      }
      return s;
    },
    async check(req, action, resource, resourceName) {
      const decision = authz.authorize(req.principal, action, resource);
      if (decision.allow) return;
      await record(req, { action, resource: resourceName, outcome: 'denied', summary: { reason: decision.reason } });
      throw new TarmacError('FORBIDDEN', `${action} on ${resourceName}: ${decision.reason}`);
    },
    record,
    async audited(req, action, resource, write, summary) {
      let result: Awaited<ReturnType<typeof write>>;
      try {
        result = await write();
      } catch (err) {
        const code = err instanceof TarmacError ? err.code : 'INTERNAL';
        await record(req, { action, resource, outcome: 'failure', summary: { error: code } });
        throw err;
      }
      await record(req, { action, resource, outcome: 'success', ...(summary ? { summary: summary(result) } : {}) });
      return result;
    },
  };
}
