import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { redactUrl, type Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { TarmacModule } from '../module.js';
import { ANONYMOUS, type AuditRecorder, type Authorizer, type Principal, type RouteAuth } from '../auth.js';
import { defaultSections } from '../config-sections.js';
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
  /** Security settings (headers, rate limits, whether `/metrics` is public). Defaults: `defaultConfig()`'s. */
  security?: {
    /** `https://…` turns on HSTS and `upgrade-insecure-requests`. */
    baseUrl?: string;
    publicMetrics: boolean;
    rateLimits: { signInPerMinute: number; writesPerMinute: number };
  };
}

/** One registered route as the server saw it at registration. */
export interface RegisteredRoute {
  method: string;
  /** Full URL pattern, prefix included (e.g. `/api/catalog/entities/by-uid/:uid`). */
  url: string;
  auth: RouteAuth;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on an app built by `buildServer`, in registration order (HEAD routes included). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a route changes something: a POST/PUT/PATCH/DELETE whose action is not a read (`….read`). Reads sent as
 * POST (by-query, by-refs, facets, git upload-pack) are not writes. Writes are rate-limited and their denials audited.
 */
export function isWriteRoute(method: string, auth: RouteAuth): boolean {
  return WRITE_METHODS.has(method) && !('action' in auth && auth.action.endsWith('.read'));
}

/**
 * The Content-Security-Policy the portal runs under: only same-origin scripts and styles (no inline ones), images
 * (and data: URIs), fetches; no plugins; never framed; no `eval` (the template form checks answers on the server
 * rather than compiling JSON Schemas in the browser — web/src/pages/create/validator.ts).
 * Checked against the built portal in Chromium by test/security/csp.test.ts.
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'https:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'script-src-attr': ["'none'"],
    'upgrade-insecure-requests': https ? [] : null,
  };
}

/**
 * Builds (never listens) the Fastify app: request ids, the error mapper, security headers, rate limits,
 * authentication and each route's declared permission (checked before the body is read), `/healthz`, `/readyz`,
 * `/metrics`, `/api/openapi.json`, every module's routes under its prefix, and the portal (docs/permissions.md).
 * @throws Error naming the route when a route declares no `config.auth` (issue "Trust": no route without a permission)
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
  const { publicMetrics, rateLimits } = defaultSections().auth;
  const security = opts.security ?? { publicMetrics, rateLimits };
  const https = security.baseUrl?.startsWith('https://') ?? false;
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  // Every route must say how it is protected (issue "Trust": adding a route without a permission must fail).
  // Files of the portal are registered while `registeringStatic` is set and are public.
  let registeringStatic = false;
  await app.register(rateLimit, { global: false });
  const rateLimitError = (_req: FastifyRequest, ctx: { after: string }) =>
    new TarmacError('RATE_LIMITED', `too many requests: try again in ${ctx.after}`);
  const limitWrites = app.rateLimit({
    max: security.rateLimits.writesPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => (req.principal?.tokenId ? `token:${req.principal.tokenId}` : `ip:${req.ip}`),
    errorResponseBuilder: rateLimitError,
  });
  const limitSignIn = app.rateLimit({
    max: security.rateLimits.signInPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `ip:${req.ip}`,
    errorResponseBuilder: rateLimitError,
  });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!route.config?.auth) {
      if (!registeringStatic) {
        throw new Error(`route ${methods.join(',')} ${route.url} declares no config.auth (an action or { public: true })`);
      }
      route.config = { ...route.config, auth: { public: true } };
    }
    const auth = route.config.auth as RouteAuth;
    for (const method of methods) routes.push({ method, url: route.url, auth });
    // Sign-in attempts (routes with `config.rateLimitAs: 'sign-in'`) per IP; other writes per token (else IP).
    // Limits run before the handler, after auth.
    const limiter = route.config.rateLimitAs === 'sign-in' ? limitSignIn : methods.some((m) => isWriteRoute(m, auth)) ? limitWrites : undefined;
    if (limiter) {
      const existing = route.preHandler;
      route.preHandler = existing === undefined ? [limiter] : Array.isArray(existing) ? [limiter, ...existing] : [limiter, existing];
    }
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(https) },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    noSniff: true,
    crossOriginEmbedderPolicy: false,
  });
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
  // Who is calling, then the route's declared action — before the body is parsed or validated, so a caller without
  // the permission learns nothing from validation errors (and unauthenticated bodies are never parsed).
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', String(req.id));
    req.principal = opts.auth ? await opts.auth.authenticate(req) : ANONYMOUS;
    const routeAuth = req.routeOptions.config.auth;
    if (!opts.auth || !routeAuth || 'public' in routeAuth) return;
    const decision = opts.auth.authorizer.authorize(req.principal, routeAuth.action);
    if (decision.allow) return;
    if (req.principal.type === 'anonymous') throw new TarmacError('UNAUTHENTICATED', 'sign in or send an API token');
    if (isWriteRoute(req.method, routeAuth)) {
      await opts.auth.audit.record({
        actor: req.principal.actor,
        action: routeAuth.action,
        resource: `route:${req.method} ${req.routeOptions.url ?? req.url}`,
        outcome: 'denied',
        requestId: String(req.id),
        ip: req.ip,
        summary: { reason: decision.reason },
      });
    }
    throw new TarmacError('FORBIDDEN', `${routeAuth.action}: ${decision.reason}`);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    opts.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, seconds);
    const level = reply.statusCode >= 500 ? 'error' : req.method !== 'GET' || seconds > 1 ? 'info' : 'debug';
    req.log[level]({ method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: reply.elapsedTime }, 'request');
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

  const PUBLIC = { auth: { public: true } } as const;
  app.get('/healthz', { config: PUBLIC, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: PUBLIC, schema: { hide: true } }, async (_req, reply) => {
    const notReady = opts.modules.filter((m) => m.isReady && !m.isReady()).map((m) => m.id);
    if (notReady.length) return reply.status(503).send({ status: 'starting', waitingFor: notReady });
    return { status: 'ready' };
  });
  const metricsAuth: RouteAuth = security.publicMetrics ? { public: true } : { action: 'admin.metrics.read' };
  app.get('/metrics', { config: { auth: metricsAuth }, schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', opts.metrics.registry.contentType);
    return opts.metrics.registry.metrics();
  });
  app.get('/api/openapi.json', { config: PUBLIC, schema: { hide: true } }, async () => app.swagger());

  for (const m of opts.modules) {
    if (m.routes) await app.register(async (scope) => m.routes?.(scope), { prefix: m.routePrefix ?? '' });
  }

  if (opts.webDir && existsSync(path.join(opts.webDir, 'index.html'))) {
    registeringStatic = true;
    await app.register(fastifyStatic, { root: opts.webDir, prefix: '/', wildcard: false, index: ['index.html'] });
    registeringStatic = false;
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
