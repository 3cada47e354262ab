/**
 * The scaffolder module's only public entry: golden-path templates, runs, publishing and upgrades (issue 3).
 * Other modules and the app import from here, never from its folders.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModuleDeps, TarmacModule } from '../core/module.js';
import type { CatalogService } from '../catalog/index.js';
import { createActionRegistry, type ActionRegistry } from './engine/index.js';
import { createVersionStore } from './versions/index.js';
import { createRepositoryStore, createUpgrader, registerUpgradeRoutes, upgradeMigrations, writeOrigin } from './upgrades/index.js';
import { hostPublishActions, openChangeRequest } from './hosts/index.js';
import { createPublishGitAction } from './publish-git/action.js';
import { registerGitRoutes } from './publish-git/http.js';
import { createCatalogRegisterAction } from './actions/catalog-register.js';
import { taskMigrations } from './tasks/migrations.js';
import { createTaskStore } from './tasks/store.js';
import { createEventLog } from './tasks/events.js';
import { createTaskRunner } from './tasks/runner.js';
import { ScaffolderService } from './service.js';
import type { TemplateAction } from './types.js';
import { registerScaffolderRoutes } from './http/routes.js';

export { ScaffolderService, serializeTask, type SerializedTask, type Caller } from './service.js';
export { registerScaffolderCommands } from './cli/index.js';
export { taskMigrations } from './tasks/migrations.js';
export { INTERRUPTED } from './tasks/runner.js';
export type { TaskRow, TaskStatus, TaskStep, TaskEventRow } from './tasks/store.js';
export type { ActionRegistry } from './engine/index.js';
// The engine's pure functions, for tests of templates (examples/templates) and tools outside the module.
export {
  createActionRegistry,
  executeTemplate,
  renderTemplateFiles,
  templateFilesFromContents,
  templateFilesFromDirectory,
  unknownActions,
  validateParameters,
} from './engine/index.js';
export type { TemplateAction, TemplateEntity, TemplateFiles, RunLogEvent } from './types.js';

/** Every scaffolder migration, in order: runs, then template versions and scaffolded repositories. */
export const scaffolderMigrations = [...taskMigrations, ...upgradeMigrations];

function tarmacVersionOf(projectRoot: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the scaffolder module: migrations, routes at `/api/scaffolder/v2` and `/git` (read-only git smart HTTP),
 * the run queue (started with the module), the action registry (built-ins, publish:git, catalog:register, the
 * GitHub/GitLab publishers) and the service.
 * @param opts.catalog reads Template entities and registers what runs create
 * @param opts.projectRoot folder holding package.json (Tarmac's version for origin files) and `examples/templates/`
 */
export function createScaffolderModule(
  deps: ModuleDeps,
  opts: { catalog: CatalogService; projectRoot: string },
): { module: TarmacModule; service: ScaffolderService; registry: ActionRegistry } {
  const { config } = deps;
  const dataDir = path.resolve(config.dataDir);
  const tarmacVersion = tarmacVersionOf(opts.projectRoot);
  // The app fills `config.baseUrl` once it listens; never a request's Host header, which a caller controls and
  // which would end up in other people's repositories and links.
  const baseUrl = () => config.baseUrl ?? `http://localhost:${config.port}`;

  const registry = createActionRegistry();
  registry.register(createPublishGitAction({ dataDir, baseUrl }) as unknown as TemplateAction);
  registry.register(createCatalogRegisterAction({ catalog: opts.catalog, dataDir, audit: deps.audit }) as unknown as TemplateAction);
  for (const action of hostPublishActions(config)) registry.register(action);

  const versions = createVersionStore(deps.db);
  const repositories = createRepositoryStore(deps.db);
  const store = createTaskStore(deps.db);
  const events = createEventLog();
  const shutdown = new AbortController(); // ends open event streams when the module stops
  const runner = createTaskRunner({
    store,
    events,
    logger: deps.logger,
    config: config.scaffolder,
    dataDir,
    registry,
    audit: deps.audit,
    hooks: {
      writeOrigin: (dir, origin) => writeOrigin(dir, { ...origin, tarmacVersion }),
      recordRepository: async (r) => {
        if (r.publisher === 'git' || r.publisher === 'github' || r.publisher === 'gitlab') await repositories.record({ ...r, publisher: r.publisher });
      },
    },
  });
  const service = new ScaffolderService({ catalog: opts.catalog, registry, store, runner, versions, authz: deps.authz, audit: deps.audit, config });
  const upgrader = createUpgrader({
    versions,
    repositories,
    logger: deps.logger,
    audit: deps.audit,
    config,
    tarmacVersion,
    openChangeRequest: async (i) => openChangeRequest({ repoUrl: i.repoUrl, branch: i.branch, base: i.baseBranch, title: i.title, body: i.body, config }),
  });

  const module: TarmacModule = {
    id: 'scaffolder',
    migrations: scaffolderMigrations,
    routePrefix: '',
    routes: async (app) => {
      await registerScaffolderRoutes(app, { service, events, shutdown: shutdown.signal });
      await registerGitRoutes(app, { dataDir, logger: deps.logger });
      await registerUpgradeRoutes(app, deps, { catalog: opts.catalog, versions, repositories, upgrader });
    },
    start: () => runner.start(),
    stop: async () => {
      await runner.stop();
      shutdown.abort();
    },
  };
  return { module, service, registry };
}
