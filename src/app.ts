import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { TarmacConfig } from './core/config.js';
import { openDatabase, migrate, type Database } from './core/db/index.js';
import { createLogger, type Logger } from './core/logger.js';
import { createMetrics } from './core/metrics.js';
import type { CoreDeps, ModuleDeps, TarmacModule } from './core/module.js';
import { buildServer } from './core/http/server.js';
import { createCatalogModule, type CatalogService } from './catalog/index.js';
import { createAuditModule } from './audit/index.js';
import { assertSafeAuthConfig, createAuthModule, createAuthorizer, defaultBaseUrl, type AuthService } from './auth/index.js';
import { createScaffolderModule, type ScaffolderService } from './scaffolder/index.js';

/** The project root (where package.json, examples/ and dist/ live): the nearest parent holding package.json. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

/** Tarmac's version, from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A running Tarmac: its HTTP server, database and module services. */
export interface RunningTarmac {
  /** Base URL, e.g. `http://127.0.0.1:7007`. */
  url: string;
  port: number;
  app: FastifyInstance;
  db: Database;
  logger: Logger;
  catalog: CatalogService;
  /** Identity: sign-in mode, API tokens (`auth.createToken(…)` gives tests a principal), people. */
  auth: AuthService;
  /** Golden paths: templates, runs (tasks) and publishing. */
  scaffolder: ScaffolderService;
  /** Stops background work, the HTTP server and the database, in that order. */
  close(): Promise<void>;
}

/** Options for `startTarmac` beyond the config. */
export interface StartOptions {
  logger?: Logger;
  /** Use this database instead of opening the configured one (tests); it is not closed by `close()`. */
  db?: Database;
  /** Do not listen on a port (tests use `app.inject`). */
  listen?: boolean;
}

/**
 * Starts Tarmac: opens the database (PGlite in `<dataDir>/pgdata` or the configured server), runs migrations,
 * builds the modules and the HTTP server, listens on `config.host:config.port` (port 0 picks a free one), then
 * starts background work (the catalog's refresh loop).
 * @throws TarmacError NOT_READY when the database cannot be reached, CONFIG_INVALID for bad locations and for
 *   single-user mode (no `auth.oidc`) on a host that is not loopback
 */
export async function startTarmac(config: TarmacConfig, opts: StartOptions = {}): Promise<RunningTarmac> {
  assertSafeAuthConfig(config);
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const metrics = createMetrics();
  const coreDeps = (id: string): CoreDeps => ({ db, logger: logger.child({ module: id }), config, metrics });
  // The audit log and the authorizer come first: every other module is handed both and depends on nothing else
  // of theirs. Identity (who is calling) needs the catalog to resolve people to Users and Groups.
  const audit = createAuditModule(coreDeps('audit'));
  const authz = createAuthorizer({ ...coreDeps('auth'), audit: audit.recorder });
  const depsFor = (id: string): ModuleDeps => ({ ...coreDeps(id), authz, audit: audit.recorder });

  const catalog = createCatalogModule(depsFor('catalog'), { projectRoot: PROJECT_ROOT });
  const auth = createAuthModule(depsFor('auth'), { catalog: catalog.service, rolesFor: (refs) => authz.rolesFor(refs), permissions: authz });
  const scaffolder = createScaffolderModule(depsFor('scaffolder'), { catalog: catalog.service, projectRoot: PROJECT_ROOT });
  const modules: TarmacModule[] = [audit.module, catalog.module, auth.module, scaffolder.module];

  await migrate(db, modules.flatMap((m) => m.migrations));
  const app = await buildServer({
    logger,
    metrics,
    modules,
    auth: { authenticate: auth.authenticate, authorizer: authz, audit: audit.recorder },
    security: { baseUrl: config.baseUrl, publicMetrics: config.auth.publicMetrics, rateLimits: config.auth.rateLimits },
    webDir: path.join(PROJECT_ROOT, 'dist', 'web'),
    version: VERSION,
  });
  let url = '';
  let port = config.port;
  if (opts.listen !== false) {
    url = await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    if (address && typeof address === 'object') port = address.port;
    url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    // OIDC redirects and links need the public URL; until configured it is the listen address (localhost for 127.0.0.1).
    config.baseUrl ??= defaultBaseUrl(config.host, port);
  } else {
    await app.ready();
  }
  for (const m of modules) await m.start?.();
  logger.info('tarmac started', { url, database: db.engine, dataDir: config.dataDir });

  return {
    url,
    port,
    app,
    db,
    logger,
    catalog: catalog.service,
    auth: auth.service,
    scaffolder: scaffolder.service,
    close: async () => {
      for (const m of [...modules].reverse()) await m.stop?.();
      await app.close();
      if (!opts.db) await db.close();
    },
  };
}
