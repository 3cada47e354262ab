import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import { isWriteRoute, registeredRoutes } from '../../src/core/http/server.js';
import { PROJECT_ROOT } from '../../src/app.js';
import { startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { call, securityConfig, tokenFor, tokensOf, writeSecurityCatalog, type Person } from './principals.js';

/**
 * The only routes anyone may call without credentials (docs/permissions.md "Public routes"): health, readiness,
 * metrics (auth.publicMetrics, default true), the OpenAPI document, sign-in/out and "who am I", and the portal's
 * own files (listed from dist/web below). Adding a public route means adding it here.
 */
const PUBLIC = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/openapi.json',
  'GET /api/auth/login',
  'GET /api/auth/callback',
  'POST /api/auth/logout',
  'GET /api/auth/me',
];

/** Files of the built portal (`GET /<file>` and `GET /`), public so the sign-in page can load. */
function portalFiles(): string[] {
  const root = path.join(PROJECT_ROOT, 'dist', 'web');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else out.push(`GET /${path.relative(root, full).split(path.sep).join('/')}`);
    }
  };
  try {
    walk(root);
  } catch {
    return [];
  }
  return out.length ? [...out, 'GET /'] : [];
}

const fill = (url: string) => url.replace(/:[A-Za-z]+/g, 'no-such-thing').replace(/\*/g, 'x');
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe.each(testEngines())('route protection on %s', (engine) => {
  let t: TestTarmac;
  let tok: Record<Person, string>;
  const as = (who: Person | undefined, method: string, url: string, body?: unknown) =>
    call(t, method, url, { token: who ? tok[who] : undefined, body });
  const uidOf = async (ref: string) => {
    const [kind, rest] = ref.split(':') as [string, string];
    const res = await as('root', 'GET', `/api/catalog/entities/by-name/${kind}/${rest}`);
    return (res.body as { metadata: { uid: string } }).metadata.uid;
  };
  const configLocationId = async () =>
    ((await as('root', 'GET', '/api/catalog/locations')).body as Array<{ data: { id: string } }>)[0]?.data.id ?? '';
  const janesLocation = async () => {
    const file = path.join(os.tmpdir(), `tarmac-sec-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: from-jane\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n');
    const res = await as('jane', 'POST', '/api/catalog/locations', { type: 'file', target: file });
    expect(res.status).toBe(201);
    return (res.body as { location: { id: string } }).location.id;
  };
  const bobsTask = async () => {
    const res = await as('bob', 'POST', '/api/scaffolder/v2/tasks', { templateRef: 'template:default/restricted', values: {} });
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  };

  /**
   * Every write route and how it is proven to check the right resource: a member who does not own the resource is
   * refused (403), its owner (or, for admin actions, an admin) gets through. Routes that create something act on no
   * existing resource: for them a viewer (no write role) is refused and a member gets through.
   */
  const WRITES: Record<string, () => Promise<void>> = {
    'DELETE /api/catalog/entities/by-uid/:uid': async () => {
      const uid = await uidOf('component:default/svc-a'); // owned by team-a (jane)
      expect((await as('bob', 'DELETE', `/api/catalog/entities/by-uid/${uid}`)).status).toBe(403);
      expect((await as('jane', 'DELETE', `/api/catalog/entities/by-uid/${uid}`)).status).toBe(204);
      expect((await as('root', 'GET', '/api/catalog/entities/by-name/component/default/svc-a')).status).toBe(404);
      const audited = await as('root', 'GET', '/api/audit/events?action=catalog.entity.delete&resource=component:default/svc-a');
      const outcomes = (audited.body as { items: Array<{ outcome: string; actor: string }> }).items.map((e) => e.outcome).sort();
      expect(outcomes).toEqual(['denied', 'success']);
      await as('root', 'POST', `/api/catalog/locations/${await configLocationId()}/refresh`); // bring it back
    },
    'POST /api/catalog/locations': async () => {
      const body = { type: 'file', target: path.join(os.tmpdir(), 'tarmac-sec-none.yaml') };
      expect((await as('vera', 'POST', '/api/catalog/locations', body)).status).toBe(403);
      const id = await janesLocation();
      const status = (await as('root', 'GET', `/api/catalog/locations/${id}`)).body as { status: { createdBy: string } };
      expect(status.status.createdBy).toBe('user:default/jane');
    },
    'DELETE /api/catalog/locations/:id': async () => {
      const id = await janesLocation();
      expect((await as('bob', 'DELETE', `/api/catalog/locations/${id}`)).status).toBe(403);
      expect((await as('jane', 'DELETE', `/api/catalog/locations/${id}`)).status).toBe(204);
      expect((await as('jane', 'DELETE', `/api/catalog/locations/${await configLocationId()}`)).status).toBe(403);
    },
    'POST /api/catalog/locations/:id/refresh': async () => {
      const id = await janesLocation();
      expect((await as('bob', 'POST', `/api/catalog/locations/${id}/refresh`)).status).toBe(403);
      expect((await as('jane', 'POST', `/api/catalog/locations/${id}/refresh`)).status).toBe(200);
      const config = await configLocationId(); // registered from config: no creator, admins only
      expect((await as('jane', 'POST', `/api/catalog/locations/${config}/refresh`)).status).toBe(403);
      expect((await as('root', 'POST', `/api/catalog/locations/${config}/refresh`)).status).toBe(200);
    },
    'POST /api/catalog/refresh': async () => {
      expect((await as('jane', 'POST', '/api/catalog/refresh', { entityRef: 'component:default/svc-b' })).status).toBe(403);
      expect((await as('bob', 'POST', '/api/catalog/refresh', { entityRef: 'component:default/svc-b' })).status).toBe(200);
      const config = await configLocationId();
      expect((await as('jane', 'POST', '/api/catalog/refresh', { locationId: config })).status).toBe(403);
      expect((await as('root', 'POST', '/api/catalog/refresh', { locationId: config })).status).toBe(200);
    },
    'POST /api/catalog/validate-entity': async () => {
      const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' }, spec: { type: 'a', lifecycle: 'b', owner: 'c' } };
      expect((await as('vera', 'POST', '/api/catalog/validate-entity', { entity })).status).toBe(403);
      expect((await as('jane', 'POST', '/api/catalog/validate-entity', { entity })).status).toBe(200);
    },
    'POST /api/auth/tokens': async () => {
      const body = { name: 'ci', scopes: ['catalog.entity.read'] };
      expect((await as('vera', 'POST', '/api/auth/tokens', body)).status).toBe(403);
      expect((await as('jane', 'POST', '/api/auth/tokens', body)).status).toBe(201);
    },
    'DELETE /api/auth/tokens/:id': async () => {
      const created = await t.auth.createToken({ userRef: 'user:default/bob', name: 'bob ci', scopes: ['*'], createdBy: 'user:default/bob' });
      expect((await as('jane', 'DELETE', `/api/auth/tokens/${created.id}`)).status).toBe(403);
      expect((await as('bob', 'DELETE', `/api/auth/tokens/${created.id}`)).status).toBe(204);
    },
    'POST /api/auth/roles': async () => {
      const body = { role: 'viewer', memberRef: 'user:default/nobody' };
      expect((await as('jane', 'POST', '/api/auth/roles', body)).status).toBe(403);
      expect((await as('root', 'POST', '/api/auth/roles', body)).status).toBe(201);
    },
    'DELETE /api/auth/roles/:id': async () => {
      const created = await as('root', 'POST', '/api/auth/roles', { role: 'viewer', memberRef: 'group:default/gone' });
      const id = (created.body as { id: string }).id;
      expect((await as('jane', 'DELETE', `/api/auth/roles/${id}`)).status).toBe(403);
      expect((await as('root', 'DELETE', `/api/auth/roles/${id}`)).status).toBe(204);
    },
    'POST /api/scaffolder/v2/dry-run': async () => {
      // The template travels in the body: nothing in the catalog is acted on, the role decides.
      const template = { apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template', metadata: { name: 'inline' }, spec: { type: 'x', steps: [] } };
      expect((await as('vera', 'POST', '/api/scaffolder/v2/dry-run', { template, values: {} })).status).toBe(403);
      expect([401, 403]).not.toContain((await as('jane', 'POST', '/api/scaffolder/v2/dry-run', { template, values: {} })).status);
    },
    'POST /api/scaffolder/v2/tasks': async () => {
      // `restricted` has tarmac.dev/allowed-runners: owner, and is owned by team-b.
      expect((await as('jane', 'POST', '/api/scaffolder/v2/tasks', { templateRef: 'template:default/restricted', values: {} })).status).toBe(403);
      await bobsTask();
    },
    'POST /api/scaffolder/v2/tasks/:taskId/cancel': async () => {
      const id = await bobsTask();
      expect((await as('jane', 'POST', `/api/scaffolder/v2/tasks/${id}/cancel`)).status).toBe(403);
      expect([401, 403]).not.toContain((await as('bob', 'POST', `/api/scaffolder/v2/tasks/${id}/cancel`)).status);
    },
    'POST /api/scaffolder/v2/upgrades': async () => {
      const body = { templateRef: 'template:default/restricted', all: true };
      expect((await as('jane', 'POST', '/api/scaffolder/v2/upgrades', body)).status).toBe(403);
      expect([401, 403]).not.toContain((await as('bob', 'POST', '/api/scaffolder/v2/upgrades', body)).status);
    },
  };

  beforeAll(async () => {
    t = await startTestTarmac(engine, [{ type: 'file', target: writeSecurityCatalog() }], securityConfig);
    tok = await tokensOf(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('has every route declare its protection, and exactly the PUBLIC list (plus portal files) public', () => {
    const routes = registeredRoutes(t.app).filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(40);
    const publicOnes = routes.filter((r) => 'public' in r.auth).map(key).sort();
    expect(publicOnes).toEqual([...PUBLIC, ...portalFiles()].sort());
  });

  it('rejects every other route without credentials with 401, before reading the body', async () => {
    const open = new Set([...PUBLIC, ...portalFiles()]);
    const guarded = registeredRoutes(t.app).filter((r) => !open.has(key({ method: r.method === 'HEAD' ? 'GET' : r.method, url: r.url })));
    const answers: string[] = [];
    for (const r of guarded) {
      const res = await fetch(`${t.url}${fill(r.url)}`, {
        method: r.method,
        headers: r.method === 'GET' || r.method === 'HEAD' ? {} : { 'content-type': 'application/json' },
        body: r.method === 'GET' || r.method === 'HEAD' ? undefined : '{"not":"valid for any route"',
      });
      await res.arrayBuffer();
      answers.push(`${key(r)} → ${res.status}`);
    }
    expect(answers).toEqual(guarded.map((r) => `${key(r)} → 401`));
  });

  it('knows how every write route is checked (a new write route must be added to WRITES)', () => {
    const writes = registeredRoutes(t.app).filter((r) => isWriteRoute(r.method, r.auth) && !('public' in r.auth)).map(key);
    expect(writes.sort()).toEqual(Object.keys(WRITES).sort());
  });

  it('refuses a viewer every write route with 403 and audits the denial', async () => {
    for (const k of Object.keys(WRITES)) {
      const [method, url] = k.split(' ') as [string, string];
      expect({ k, status: (await as('vera', method, fill(url), {})).status }).toEqual({ k, status: 403 });
    }
    const denied = await as('root', 'GET', '/api/audit/events?outcome=denied&limit=200');
    const actions = (denied.body as { items: Array<{ action: string }> }).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['catalog.entity.delete', 'catalog.location.create', 'admin.roles.write']));
  });

  it.each(Object.keys(WRITES))('checks the right resource on %s', async (k) => {
    await WRITES[k]?.();
  });

  it('a token whose scopes lack the action is refused even for its owner', async () => {
    const readOnly = await tokenFor(t, 'jane', { scopes: ['catalog.entity.read'] });
    const uid = await uidOf('component:default/svc-a');
    expect((await call(t, 'DELETE', `/api/catalog/entities/by-uid/${uid}`, { token: readOnly })).status).toBe(403);
    expect((await call(t, 'GET', '/api/catalog/entities/by-name/component/default/svc-a', { token: readOnly })).status).toBe(200);
  });
});
