/**
 * The catalog module's only public entry. Other modules and the app import from here, never from its folders.
 */
import type { Command } from 'commander';
import type { ModuleDeps, TarmacModule } from '../core/module.js';
import { catalogMigrations } from './storage/migrations.js';

export type { Entity, EntityRelation, CompoundEntityRef, RelationType } from './model/entity.js';

/** The catalog's public functions (filled in by service.ts). */
export type CatalogService = Record<string, never>;

/**
 * Builds the catalog module: migrations, routes at `/api/catalog`, the refresh loop, and its service.
 * @param deps database, logger, config and metrics from the app
 * @param opts.projectRoot folder holding `examples/` (the demo catalog)
 */
export function createCatalogModule(
  deps: ModuleDeps,
  opts: { projectRoot: string },
): { module: TarmacModule; service: CatalogService } {
  void deps;
  void opts;
  return { module: { id: 'catalog', migrations: catalogMigrations }, service: {} };
}

/** Registers `tarmac catalog …` commands on the CLI program. */
export function registerCatalogCommands(program: Command): void {
  program.command('catalog').description('Work with the software catalog');
}
