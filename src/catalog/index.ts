/**
 * The catalog module's only public entry. Other modules and the app import from here, never from its folders.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { LocationConfig } from '../core/config.js';
import type { ModuleDeps, TarmacModule } from '../core/module.js';
import { catalogMigrations } from './storage/migrations.js';
import { createCatalogStore } from './storage/index.js';
import { createRefreshLoop } from './ingestion/index.js';
import { CatalogService } from './service.js';
import { registerCatalogRoutes } from './http/index.js';

export type { Entity, EntityRelation, CompoundEntityRef, RelationType } from './model/entity.js';
export { parseEntityRef, stringifyEntityRef } from './model/ref.js';
export { gitCheckoutDir } from './ingestion/index.js';
export { CatalogService } from './service.js';
export type { ReadScope } from './service.js';
export { registerCatalogCommands } from './cli/index.js';
export { catalogMigrations } from './storage/migrations.js';
export type { CatalogSummary, ErrorItem, LocationRecord } from './storage/index.js';
export type { FilterNode } from './query/index.js';

/**
 * The locations Tarmac ingests at start: those in config and `--location` flags, or — when there are none and
 * `catalog.demo` is on — the bundled demo catalog `<projectRoot>/examples/all.yaml`.
 */
export function configuredLocations(deps: ModuleDeps, projectRoot: string): LocationConfig[] {
  const { locations, demo } = deps.config.catalog;
  if (locations.length > 0 || !demo) return locations;
  return [{ type: 'file', target: path.join(projectRoot, 'examples', 'all.yaml') }];
}

/**
 * Builds the catalog module: migrations, routes at `/api/catalog`, the refresh loop, and its service.
 * @param deps database, logger, config and metrics from the app
 * @param opts.projectRoot folder holding `examples/` (the demo catalog)
 */
export function createCatalogModule(
  deps: ModuleDeps,
  opts: { projectRoot: string },
): { module: TarmacModule; service: CatalogService } {
  const store = createCatalogStore(deps.db);
  const loop = createRefreshLoop({
    store,
    logger: deps.logger,
    metrics: deps.metrics,
    config: deps.config,
    dataDir: deps.config.dataDir,
    processId: `${process.pid}-${randomUUID().slice(0, 8)}`,
    // PGlite has one connection: a transaction held open while reading would stall every HTTP read.
    streamWrites: deps.db.engine === 'postgres',
  });
  const service = new CatalogService(store, loop, deps.logger);
  const module: TarmacModule = {
    id: 'catalog',
    migrations: catalogMigrations,
    routePrefix: '/api/catalog',
    routes: (app) => registerCatalogRoutes(app, service, { authz: deps.authz, audit: deps.audit }),
    start: async () => {
      await service.syncConfiguredLocations(configuredLocations(deps, opts.projectRoot));
      loop.start();
    },
    stop: () => loop.stop(),
    isReady: () => loop.isReady(),
  };
  return { module, service };
}
