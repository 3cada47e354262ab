import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/core/http/server.js';
import { silentLogger } from '../../src/core/logger.js';
import { createMetrics } from '../../src/core/metrics.js';
import { testEngines } from '../../src/core/testing/databases.js';
import { startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { call, securityConfig, tokenFor, writeSecurityCatalog } from './principals.js';

describe('route registration', () => {
  it('refuses to build a server with a route that declares no permission, naming the route', async () => {
    const build = buildServer({
      logger: silentLogger(),
      metrics: createMetrics(),
      version: '0.0.0-test',
      modules: [
        {
          id: 'throwaway',
          migrations: [],
          routePrefix: '/api/throwaway',
          routes: async (app) => {
            app.get('/fine', { config: { auth: { action: 'catalog.entity.read' } } }, async () => ({}));
            app.post('/oops', async () => ({ done: true }));
          },
        },
      ],
    });
    await expect(build).rejects.toThrow('route POST /api/throwaway/oops declares no config.auth');
  });
});

describe.each(testEngines())('security headers and rate limits on %s', (engine) => {
  let t: TestTarmac;
  beforeAll(async () => {
    t = await startTestTarmac(engine, [{ type: 'file', target: writeSecurityCatalog() }], (c) => {
      securityConfig(c);
      c.auth.rateLimits = { writesPerMinute: 3, signInPerMinute: 2 };
      c.auth.publicMetrics = false;
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it('sends CSP with frame-ancestors none, nosniff, frame deny, and no HSTS over plain http', async () => {
    const res = await fetch(`${t.url}/healthz`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('limits writes per token: the 4th write in a minute is 429 RATE_LIMITED, another token still writes', async () => {
    const jane = await tokenFor(t, 'jane');
    const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' }, spec: { type: 'a', lifecycle: 'b', owner: 'c' } };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(t, 'POST', '/api/catalog/validate-entity', { token: jane, body: { entity } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call<{ error: { code: string } }>(t, 'POST', '/api/catalog/validate-entity', { token: jane, body: { entity } });
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    // Reads are not writes: by-query over POST is not limited.
    expect((await call(t, 'POST', '/api/catalog/entities/by-query', { token: jane, body: {} })).status).toBe(200);
    const bob = await tokenFor(t, 'bob');
    expect((await call(t, 'POST', '/api/catalog/validate-entity', { token: bob, body: { entity } })).status).toBe(200);
  });

  it('guards /metrics when auth.publicMetrics is false (admins only)', async () => {
    expect((await call(t, 'GET', '/metrics')).status).toBe(401);
    expect((await call(t, 'GET', '/metrics', { token: await tokenFor(t, 'jane') })).status).toBe(403);
    expect((await call(t, 'GET', '/metrics', { token: await tokenFor(t, 'root') })).status).toBe(200);
  });

  it('limits sign-in attempts per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${t.url}/api/auth/login`, { redirect: 'manual' })).status);
    expect(statuses[2]).toBe(429);
    expect(statuses.slice(0, 2)).not.toContain(429);
  });
});

describe.each(testEngines())('HSTS behind TLS on %s', (engine) => {
  let t: TestTarmac;
  beforeAll(async () => {
    t = await startTestTarmac(engine, [], (c) => {
      c.baseUrl = 'https://tarmac.example.com';
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it('sends HSTS and upgrade-insecure-requests when baseUrl is https', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});
