/**
 * The scaffolder module's only public entry: golden-path templates, runs, publishing and upgrades.
 * (Skeleton: no routes yet.)
 */
import type { ModuleDeps, TarmacModule } from '../core/module.js';
import type { CatalogService } from '../catalog/index.js';

/**
 * Builds the scaffolder module: migrations, routes at `/api/scaffolder/v2` and `/git`, and the run queue.
 * @param opts.catalog reads Template entities and registers what runs create
 * @param opts.projectRoot folder holding `examples/templates/`
 */
export function createScaffolderModule(
  _deps: ModuleDeps,
  _opts: { catalog: CatalogService; projectRoot: string },
): { module: TarmacModule } {
  return { module: { id: 'scaffolder', migrations: [] } };
}
