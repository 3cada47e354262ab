import type { FastifyInstance } from 'fastify';
import type { CatalogService } from '../service.js';
import { pageSize, pageProps } from './params.js';

const TAG = ['catalog: locations'];
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
export async function registerLocationRoutes(app: FastifyInstance, catalog: CatalogService): Promise<void> {
  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/locations',
    {
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
      const result = await catalog.addLocation({ ...req.body, origin: 'api' }, { wait, onConflict: req.query.onConflict });
      const location = { id: result.location.id, type: result.location.type, target: result.location.target };
      if (!wait) return reply.status(202).send({ location, status: result.location.status });
      const entities = await catalog.listEntitiesOfLocation(result.location.id, 1000);
      return reply.status(201).send({ location, entities, summary: result.summary, exists: !result.created });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/locations/:id',
    { schema: { tags: TAG, summary: 'One location: Backstage { id, type, target } plus Tarmac status.', params: idParams } },
    async (req) => catalog.getLocation(req.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/locations/:id',
    { schema: { tags: TAG, summary: 'Unregister a location and remove its entities.', params: idParams } },
    async (req, reply) => {
      await catalog.deleteLocation(req.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    '/locations/:id/refresh',
    { schema: { tags: TAG, summary: 'Re-read one location now and return what changed (Tarmac).', params: idParams } },
    async (req) => ({ summary: await catalog.refreshLocation(req.params.id) }),
  );

  app.get<{ Params: { kind: string; namespace: string; name: string } }>(
    '/locations/by-entity/:kind/:namespace/:name',
    {
      schema: {
        tags: TAG,
        summary: 'The location that emitted an entity (Backstage).',
        params: { type: 'object', properties: { kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } } },
      },
    },
    async (req) => {
      const l = await catalog.getLocationOfEntity(req.params.kind, req.params.namespace, req.params.name);
      return { id: l.id, type: l.type, target: l.target };
    },
  );
}
