import type { FastifyInstance } from 'fastify';
import { badRequest, isTarmacError } from '../../core/errors.js';
import type { CatalogService } from '../service.js';
import { parseEntityRef, stringifyEntityRef } from '../model/ref.js';
import type { CatalogGuard } from './guard.js';
import { locationResource } from './locations-routes.js';
import { parseFilterParams, parsePredicateQuery } from '../query/index.js';
import { MAX_FACETS } from '../storage/index.js';
import { asArray, pageSize, stringOrArray, pageProps } from './params.js';

const TAG = ['catalog'];
const READ = { auth: { action: 'catalog.entity.read' } } as const;

/** Registers facets, refresh, validation, and Tarmac's summary, errors and search routes. */
export async function registerMiscRoutes(app: FastifyInstance, catalog: CatalogService, guard: CatalogGuard): Promise<void> {
  app.get<{ Querystring: { facet?: string[]; filter?: string[] } }>(
    '/entity-facets',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Value counts per facet over the matching entities: { facets: { <facet>: [{ value, count }] } } (Backstage).',
        querystring: { type: 'object', properties: { facet: stringOrArray, filter: stringOrArray } },
      },
    },
    async (req) => {
      const facets = asArray(req.query.facet);
      // The upper bound (MAX_FACETS distinct facets) is checked by the store.
      if (facets.length === 0) throw badRequest(`give 1 to ${MAX_FACETS} facet parameters`);
      return { facets: await catalog.getFacets(facets, parseFilterParams(req.query.filter), guard.scope(req)) };
    },
  );

  app.post<{ Body: { facets: string[]; query?: unknown } }>(
    '/entity-facets',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Facets over entities matching a predicate query (Backstage).',
        body: {
          type: 'object',
          required: ['facets'],
          properties: { facets: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_FACETS }, query: { type: 'object' } },
        },
      },
    },
    async (req) => ({
      facets: await catalog.getFacets(
        req.body.facets,
        req.body.query === undefined ? undefined : parsePredicateQuery(req.body.query),
        guard.scope(req),
      ),
    }),
  );

  app.post<{ Body: { entityRef?: string; locationId?: string } }>(
    '/refresh',
    {
      // Route-level: either refresh action; the handler checks the one that applies on the concrete resource.
      config: { auth: { action: 'catalog.entity.refresh' } },
      schema: {
        tags: TAG,
        summary: 'Re-read the location that emitted an entity ({ entityRef }, Backstage) or a location ({ locationId }).',
        body: { type: 'object', properties: { entityRef: { type: 'string' }, locationId: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      if (req.body.locationId) {
        const resource = await locationResource(catalog, req.body.locationId);
        await guard.check(req, 'catalog.location.refresh', resource, resource.id ?? '');
        const locationId = req.body.locationId;
        await guard.audited(req, 'catalog.location.refresh', resource.id ?? '', () => catalog.refreshLocation(locationId), (r) => ({ ...r }));
      } else if (req.body.entityRef) {
        const { kind, namespace, name } = parseEntityRef(req.body.entityRef);
        const entity = await catalog.getEntityByName(kind, namespace, name, guard.scope(req));
        const ref = stringifyEntityRef(entity);
        await guard.check(req, 'catalog.entity.refresh', { type: 'entity', id: ref, entity }, ref);
        await guard.audited(req, 'catalog.entity.refresh', ref, () => catalog.refreshEntity(ref));
      } else {
        throw badRequest('give entityRef or locationId');
      }
      return reply.status(200).send();
    },
  );

  app.post<{ Body: { entity: unknown; location?: string } }>(
    '/validate-entity',
    {
      config: { auth: { action: 'catalog.location.create' } },
      schema: {
        tags: TAG,
        summary: 'Validate an entity without storing it (Backstage). 200 when valid, 400 with every issue otherwise.',
        body: { type: 'object', required: ['entity'], properties: { entity: {}, location: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      try {
        catalog.validateEntity(req.body.entity);
      } catch (err) {
        if (!isTarmacError(err, 'VALIDATION_FAILED')) throw err;
        // Backstage's body for this route is { errors: [{ name, message }] }; Tarmac's own error body rides along.
        const issues = (err.details as Array<{ path: string; message: string }> | undefined) ?? [];
        return reply.status(400).send({
          errors: issues.map((i) => ({ name: 'InputError', message: i.path ? `${i.path}: ${i.message}` : i.message })),
          error: { name: 'InputError', code: err.code, message: err.message, details: issues },
          requestId: String(req.id),
        });
      }
      return reply.status(200).send();
    },
  );

  app.get(
    '/summary',
    { config: READ, schema: { tags: TAG, summary: 'Counts for the home page, over the entities the caller may read (Tarmac).' } },
    async (req) => catalog.summary(guard.scope(req)),
  );

  app.get<{ Querystring: { locationId?: string; entityRef?: string; limit?: number; offset?: number } }>(
    '/errors',
    {
      config: { auth: { action: 'catalog.location.read' } },
      schema: {
        tags: TAG,
        summary: 'Ingestion errors with file, line, column, field path and reason, in the order found (Tarmac).',
        querystring: {
          type: 'object',
          properties: {
            locationId: { type: 'string' },
            entityRef: { type: 'string' },
            ...pageProps,
          },
        },
      },
    },
    async (req) =>
      catalog.listErrors({
        locationId: req.query.locationId,
        entityRef: req.query.entityRef?.toLowerCase(),
        limit: pageSize(req.query.limit, 50),
        offset: req.query.offset ?? 0,
      }, guard.scope(req)),
  );

  app.get<{ Querystring: { term: string; kind?: string; limit?: number; offset?: number } }>(
    '/search',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Ranked full-text search over name, title, description, tags and owner (Tarmac).',
        querystring: {
          type: 'object',
          required: ['term'],
          properties: {
            term: { type: 'string', minLength: 1, maxLength: 200 },
            kind: { type: 'string' },
            ...pageProps,
          },
        },
      },
    },
    async (req) =>
      catalog.search(
        { term: req.query.term, kind: req.query.kind, limit: pageSize(req.query.limit, 20), offset: req.query.offset ?? 0 },
        guard.scope(req),
      ),
  );
}
