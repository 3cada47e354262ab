import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { TarmacModule } from '../module.js';
import { ANONYMOUS, type AuditRecorder, type Authorizer, type Principal } from '../auth.js';
import { TarmacError } from '../errors.js';
import { handleError } from './errors.js';

/** What the HTTP server is built from. */
export interface ServerOptions {
  logger: Logger;
  metrics: Metrics;
  modules: readonly TarmacModule[];
  /** Built portal (`dist/web`); served at `/` with SPA fallback when it exists. */
  webDir?: string;
  /** Maximum request body in bytes (default 5 MB). */
  bodyLimit?: number;
  version: string;
  /** Who is calling (run once per request) and the checks of each route's declared `config.auth`. */
  auth?: {
    authenticate: (req: FastifyRequest) => Promise<Principal>;
    authorizer: Authorizer;
    audit: AuditRecorder;
  };
}

/**
 * Builds (never listens) the Fastify app: request ids, the error mapper, `/healthz`, `/readyz`, `/metrics`,
 * `/api/openapi.json`, every module's routes under its prefix, and the portal.
 */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger.pino as unknown as FastifyBaseLogger,
    // Tarmac logs one line per request itself (onResponse below), at debug for reads, so hot paths stay quiet.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 5_000_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });

  app.setErrorHandler(handleError);
  // Backstage clients send `content-type: application/json` on bodiless DELETEs: treat an empty body as none.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    parseJson(req, body.toString(), done);
  });
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', String(req.id));
    req.principal = opts.auth ? await opts.auth.authenticate(req) : ANONYMOUS;
  });
  app.addHook('preHandler', async (req) => {
    const routeAuth = req.routeOptions.config.auth;
    if (!opts.auth || !routeAuth || 'public' in routeAuth) return;
    const decision = opts.auth.authorizer.authorize(req.principal, routeAuth.action);
    if (decision.allow) return;
    if (req.principal.type === 'anonymous') throw new TarmacError('UNAUTHENTICATED', 'sign in or send an API token');
    throw new TarmacError('FORBIDDEN', `${routeAuth.action}: ${decision.reason}`);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    opts.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, seconds);
    const level = reply.statusCode >= 500 ? 'error' : req.method !== 'GET' || seconds > 1 ? 'info' : 'debug';
    req.log[level]({ method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tarmac API',
        version: opts.version,
        description: 'Tarmac REST API. `/api/catalog` is compatible with the Backstage catalog API.',
      },
    },
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const notReady = opts.modules.filter((m) => m.isReady && !m.isReady()).map((m) => m.id);
    if (notReady.length) return reply.status(503).send({ status: 'starting', waitingFor: notReady });
    return { status: 'ready' };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', opts.metrics.registry.contentType);
    return opts.metrics.registry.metrics();
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const m of opts.modules) {
    if (m.routes) await app.register(async (scope) => m.routes?.(scope), { prefix: m.routePrefix ?? '' });
  }

  if (opts.webDir && existsSync(path.join(opts.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((req, reply) => {
      // Portal routes (e.g. /catalog/default/user/jane.doe — dots allowed) get the app; assets and API paths a 404.
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      if (req.method === 'GET' && !req.url.startsWith('/api/') && (wantsHtml || !path.extname(req.url.split('?')[0] ?? ''))) {
        return reply.sendFile('index.html');
      }
      handleError(new TarmacError('NOT_FOUND', `no route for ${req.method} ${req.url}`), req, reply);
      return reply;
    });
  } else {
    app.setNotFoundHandler((req, reply) =>
      handleError(new TarmacError('NOT_FOUND', `no route for ${req.method} ${req.url}`), req, reply),
    );
  }
  return app;
}
