import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceRef } from '../../core/auth.js';
import { redactUrl } from '../../core/logger.js';
import type { CatalogService } from '../service.js';
import type { CatalogGuard } from './guard.js';
import { pageSize, pageProps } from './params.js';

const TAG = ['catalog: locations'];
const READ = { auth: { action: 'catalog.location.read' } } as const;

/** A location as a permission resource: its owner is the principal that registered it (none for config ones). */
export async function locationResource(catalog: CatalogService, id: string): Promise<ResourceRef> {
  const location = await catalog.getLocation(id);
  const creator = location.status.createdBy;
  return { type: 'location', id: `location:${id}`, ownerRefs: creator ? [creator] : [] };
}

/** Who registers a location: the person (User ref) a principal is or acts for, else its actor id. */
export function creatorOf(req: FastifyRequest): string {
  return req.principal.userRef ?? req.principal.actor;
}
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;
const locationBody = {
  type: 'object',
  required: ['type', 'target'],
  additionalProperties: false,
  properties: {
    type: { enum: ['file', 'url', 'git'] },
    target: { type: 'string', minLength: 1, maxLength: 2048 },
    branch: { type: 'string', minLength: 1, maxLength: 256 },
    path: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

interface LocationBody {
  type: 'file' | 'url' | 'git';
  target: string;
  branch?: string;
  path?: string;
}

/** Registers the location routes (Backstage `/locations…` plus Tarmac's status and refresh routes). */
export async function registerLocationRoutes(app: FastifyInstance, catalog: CatalogService, guard: CatalogGuard): Promise<void> {
  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/locations',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Registered locations, Backstage shape [{ data: { id, type, target } }], paginated by limit/offset.',
        querystring: { type: 'object', properties: pageProps },
      },
    },
    async (req) => {
      const page = await catalog.listLocations({ limit: pageSize(req.query.limit, 500), offset: req.query.offset ?? 0 });
      return page.items.map((l) => ({ data: { id: l.id, type: l.type, target: l.target } }));
    },
  );

  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/location-status',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Locations with refresh status, last summary, progress, entity and error counts (Tarmac).',
        querystring: { type: 'object', properties: pageProps },
      },
    },
    async (req) => catalog.listLocations({ limit: pageSize(req.query.limit, 50), offset: req.query.offset ?? 0 }),
  );

  app.post<{ Body: LocationBody; Querystring: { dryRun?: boolean; onConflict?: 'reject' | 'refresh'; wait?: boolean } }>(
    '/locations',
    {
      config: { auth: { action: 'catalog.location.create' } },
      schema: {
        tags: TAG,
        summary: 'Register a location and ingest it. wait=false returns 202 at once; poll GET /locations/:id for progress.',
        body: locationBody,
        querystring: {
          type: 'object',
          properties: {
            dryRun: { type: 'boolean' },
            onConflict: { enum: ['reject', 'refresh'] },
            wait: { type: 'boolean', default: true },
          },
        },
      },
    },
    async (req, reply) => {
      const wait = req.query.wait !== false;
      if (req.query.dryRun) {
        const result = await catalog.previewLocation(req.body);
        return reply.status(201).send(result);
      }
      if (req.query.onConflict === 'refresh') {
        // Registering an existing location again re-reads it: that is a refresh of someone else's location.
        const existing = await catalog.findLocation(req.body);
        if (existing) {
          const resource = await locationResource(catalog, existing.id);
          await guard.check(req, 'catalog.location.refresh', resource, resource.id ?? '');
        }
      }
      const result = await guard.audited(
        req,
        'catalog.location.create',
        `location:${req.body.type}:${redactUrl(req.body.target)}`,
        () => catalog.addLocation({ ...req.body, origin: 'api', createdBy: creatorOf(req) }, { wait, onConflict: req.query.onConflict }),
        (r) => ({ id: r.location.id, type: r.location.type, target: redactUrl(r.location.target), created: r.created, ...(r.summary ?? {}) }),
      );
      const location = { id: result.location.id, type: result.location.type, target: result.location.target };
      if (!wait) return reply.status(202).send({ location, status: result.location.status });
      const entities = await catalog.listEntitiesOfLocation(result.location.id, 1000, guard.scope(req));
      return reply.status(201).send({ location, entities, summary: result.summary, exists: !result.created });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/locations/:id',
    { config: READ, schema: { tags: TAG, summary: 'One location: Backstage { id, type, target } plus Tarmac status.', params: idParams } },
    async (req) => catalog.getLocation(req.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/locations/:id',
    {
      config: { auth: { action: 'catalog.location.delete' } },
      schema: { tags: TAG, summary: 'Unregister a location and remove its entities (its creator and admins).', params: idParams },
    },
    async (req, reply) => {
      const resource = await locationResource(catalog, req.params.id);
      await guard.check(req, 'catalog.location.delete', resource, resource.id ?? '');
      await guard.audited(req, 'catalog.location.delete', resource.id ?? '', () => catalog.deleteLocation(req.params.id));
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    '/locations/:id/refresh',
    {
      config: { auth: { action: 'catalog.location.refresh' } },
      schema: { tags: TAG, summary: 'Re-read one location now and return what changed (Tarmac; its creator and admins).', params: idParams },
    },
    async (req) => {
      const resource = await locationResource(catalog, req.params.id);
      await guard.check(req, 'catalog.location.refresh', resource, resource.id ?? '');
      const summary = await guard.audited(req, 'catalog.location.refresh', resource.id ?? '', () => catalog.refreshLocation(req.params.id), (r) => ({ ...r }));
      return { summary };
    },
  );

  app.get<{ Params: { kind: string; namespace: string; name: string } }>(
    '/locations/by-entity/:kind/:namespace/:name',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'The location that emitted an entity (Backstage).',
        params: { type: 'object', properties: { kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } } },
      },
    },
    async (req) => {
      const l = await catalog.getLocationOfEntity(req.params.kind, req.params.namespace, req.params.name, guard.scope(req));
      return { id: l.id, type: l.type, target: l.target };
    },
  );
}
