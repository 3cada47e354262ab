import type { FastifyInstance } from 'fastify';
import type { AuditRecorder, Authorizer } from '../../core/auth.js';
import type { CatalogService } from '../service.js';
import { registerEntityRoutes } from './entities-routes.js';
import { createCatalogGuard } from './guard.js';
import { registerLocationRoutes } from './locations-routes.js';
import { registerMiscRoutes } from './misc-routes.js';
import { registerResponseCache } from './response-cache.js';

/**
 * Registers every catalog route on `app` (mounted at `/api/catalog` by the app). Routes only parse and format.
 * Every route declares its action (`config.auth`); reads are filtered by the caller's read condition, writes check
 * the concrete resource and are audited (docs/permissions.md).
 * @param auth the authorizer and audit log (default: allow all, record nothing)
 */
export async function registerCatalogRoutes(
  app: FastifyInstance,
  catalog: CatalogService,
  auth: { authz?: Authorizer; audit?: AuditRecorder } = {},
): Promise<void> {
  const guard = createCatalogGuard(auth.authz, auth.audit);
  registerResponseCache(app, () => catalog.generation(), {
    variant: (req) =>
      !auth.authz || auth.authz.authorize(req.principal, 'catalog.entity.read').allow ? (guard.scope(req).filter?.key ?? '') : undefined,
  });
  await registerEntityRoutes(app, catalog, guard);
  await registerLocationRoutes(app, catalog, guard);
  await registerMiscRoutes(app, catalog, guard);
}
