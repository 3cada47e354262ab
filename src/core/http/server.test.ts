import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TarmacError } from '../errors.js';
import { redactUrl, silentLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { buildServer } from './server.js';

describe('HTTP server shell', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    let ready = false;
    app = await buildServer({
      logger: silentLogger(),
      metrics: createMetrics(),
      version: '0.0.0-test',
      modules: [
        {
          id: 'demo',
          migrations: [],
          routePrefix: '/api/demo',
          isReady: () => ready,
          routes: async (r) => {
            r.get('/missing', { config: { auth: { public: true } } }, async () => {
              throw new TarmacError('NOT_FOUND', 'no such thing');
            });
            r.get('/boom', { config: { auth: { public: true } } }, async () => {
              ready = true;
              throw new Error('secret internal detail');
            });
            r.post('/echo', { config: { auth: { public: true } }, schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } }, async (req) => req.body);
          },
        },
      ],
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app?.close());

  it('maps a TarmacError to its status and the one error body, echoing the request id', async () => {
    const res = await fetch(`${url}/api/demo/missing`, { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toEqual({
      error: { name: 'NotFoundError', code: 'NOT_FOUND', message: 'no such thing' },
      request: { method: 'GET', url: '/api/demo/missing' },
      requestId: 'req-123',
    });
  });

  it('hides the message of unexpected errors behind INTERNAL', async () => {
    const res = await fetch(`${url}/api/demo/boom`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({ name: 'Error', code: 'INTERNAL', message: 'internal error' });
  });

  it('rejects a body that breaks the route schema with VALIDATION_FAILED', async () => {
    const res = await fetch(`${url}/api/demo/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":"x"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200); // /boom above flipped the module to ready
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/tarmac_http_request_duration_seconds_bucket\{.*route="\/api\/demo\/missing".*status="404"/);
  });

  it('answers unknown routes with NOT_FOUND', async () => {
    const res = await fetch(`${url}/api/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('logs request URLs without one-time credentials in the query', () => {
    expect(redactUrl('/api/auth/callback?code=abc123&state=xyz&iss=http%3A%2F%2Fidp')).toBe(
      '/api/auth/callback?code=***&state=***&iss=http%3A%2F%2Fidp',
    );
    expect(redactUrl('/api/catalog/entities?filter=kind=component')).toBe('/api/catalog/entities?filter=kind=component');
    expect(redactUrl('/x?access_token=t&a=1&id_token=j')).toBe('/x?access_token=***&a=1&id_token=***');
  });
});
