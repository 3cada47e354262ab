import type { FastifyInstance } from 'fastify';
import type { CatalogService } from '../service.js';
import { registerEntityRoutes } from './entities-routes.js';
import { registerLocationRoutes } from './locations-routes.js';
import { registerMiscRoutes } from './misc-routes.js';
import { registerResponseCache } from './response-cache.js';

/** Registers every catalog route on `app` (mounted at `/api/catalog` by the app). Routes only parse and format. */
export async function registerCatalogRoutes(app: FastifyInstance, catalog: CatalogService): Promise<void> {
  registerResponseCache(app, () => catalog.generation());
  await registerEntityRoutes(app, catalog);
  await registerLocationRoutes(app, catalog);
  await registerMiscRoutes(app, catalog);
}
