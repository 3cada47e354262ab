import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AuditInput, Authorizer, Principal, ResourceRef } from '../../core/auth.js';
import { defaultConfig } from '../../core/config.js';
import { TarmacError } from '../../core/errors.js';
import { buildServer } from '../../core/http/server.js';
import { silentLogger } from '../../core/logger.js';
import { createMetrics } from '../../core/metrics.js';
import { openTestDatabase, type TestDatabase } from '../../core/testing/databases.js';
import type { CatalogService, Entity } from '../../catalog/index.js';
import { createVersionStore } from '../versions/index.js';
import { createRepositoryStore, createUpgrader, registerUpgradeRoutes, upgradeMigrations } from './index.js';

// Authorization of the upgrade routes: the handler asks the one authorizer about the concrete resource (the
// component for a single repository, the template for `all`), refuses with FORBIDDEN and audits the denial.
// The authorizer here encodes "owners may upgrade their component" directly; the real rules live in src/auth.

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { owner: 'group:default/team-a' },
} as Entity;

describe('upgrade routes authorization', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  const asked: Array<{ actor: string; action: string; resource?: ResourceRef }> = [];
  const audit: AuditInput[] = [];
  const authorizer: Authorizer = {
    authorize: (who, action, resource) => {
      asked.push({ actor: who.actor, action, ...(resource ? { resource } : {}) });
      if (!resource) return { allow: true, reason: 'route' };
      const owner = (resource.entity?.spec as { owner?: string } | undefined)?.owner;
      return owner && who.ownershipRefs.includes(owner) ? { allow: true, reason: 'owner' } : { allow: false, reason: `not an owner of ${resource.id}` };
    },
    entityReadCondition: () => null,
  };
  const principal = (actor: string, owns: string[]): Principal => ({ type: 'user', actor, ownershipRefs: owns, roles: ['member'] });

  beforeAll(async () => {
    t = await openTestDatabase('pglite', upgradeMigrations);
    const versions = createVersionStore(t.db);
    const repositories = createRepositoryStore(t.db);
    await repositories.record({ templateRef: 'template:default/svc', version: '1', repoUrl: 'localhost?owner=team-a&repo=payments', remoteUrl: 'x', publisher: 'git', componentRef: 'component:default/payments', taskId: 't' });
    const config = { ...defaultConfig(), dataDir: '/nonexistent-tarmac-data' };
    const recorder = { record: async (e: AuditInput) => void audit.push(e) };
    const upgrader = createUpgrader({ versions, repositories, logger: silentLogger(), audit: recorder, config, tarmacVersion: '0.1.0' });
    // Only getEntityByName is used by the routes: the component, and no Template in this catalog.
    const catalog = {
      getEntityByName: async (kind: string) => {
        if (kind === 'component') return component;
        throw new TarmacError('NOT_FOUND', 'no such entity');
      },
    } as unknown as CatalogService;
    const deps = { db: t.db, logger: silentLogger(), config, metrics: createMetrics(), authz: authorizer, audit: recorder };
    app = await buildServer({
      logger: silentLogger(),
      metrics: createMetrics(),
      version: '0.1.0',
      modules: [{ id: 'scaffolder', migrations: [], routePrefix: '', routes: (a) => registerUpgradeRoutes(a, deps, { catalog, versions, repositories, upgrader }) }],
      auth: {
        authenticate: async (req) => (req.headers['x-user'] === 'alice' ? principal('user:default/alice', ['group:default/team-a']) : principal('user:default/bob', ['group:default/team-b'])),
        authorizer,
        audit: recorder,
      },
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const post = async (user: string, body: unknown) => {
    const res = await fetch(`${url}/api/scaffolder/v2/upgrades`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': user }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; message: string } } };
  };

  it('refuses someone who does not own the component, and audits the denial', async () => {
    const res = await post('bob', { componentRef: 'payments' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'not allowed to template.upgrade component:default/payments: not an owner of component:default/payments' });
    expect(asked.at(-1)).toMatchObject({ actor: 'user:default/bob', action: 'template.upgrade', resource: { type: 'entity', id: 'component:default/payments' } });
    expect(audit.at(-1)).toMatchObject({ actor: 'user:default/bob', action: 'template.upgrade', resource: 'component:default/payments', outcome: 'denied' });
  });

  it("lets the component's owner through to the upgrade itself", async () => {
    const res = await post('alice', { repoUrl: 'localhost?owner=team-a&repo=payments' });
    expect(res.status).toBe(200);
    // authorized, then the upgrade ran and failed for a reason of its own (no versions recorded in this database)
    expect(res.body).toMatchObject({ status: 'failed', error: 'template:default/svc has no recorded versions' });
    expect(audit.at(-1)).toMatchObject({ actor: 'user:default/alice', action: 'template.upgrade', outcome: 'failure' });
  });

  it('decides upgrades of a whole template on the template', async () => {
    const res = await post('alice', { templateRef: 'svc', all: true });
    expect(res.status).toBe(403);
    expect(asked.at(-1)).toMatchObject({ action: 'template.upgrade', resource: { type: 'template', id: 'template:default/svc' } });
  });
});
