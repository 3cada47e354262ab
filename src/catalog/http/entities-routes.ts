import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { CatalogService, ReadScope } from '../service.js';
import { stringifyEntityRef } from '../model/ref.js';
import type { CatalogGuard } from './guard.js';
import { parseFilterParams, parsePredicateQuery, type FilterNode } from '../query/index.js';
import { asArray, pageSize, parseFields, parseOrder, parseTotalItems, stringOrArray, pageProps } from './params.js';

const TAG = ['catalog: entities'];
const READ = { auth: { action: 'catalog.entity.read' } } as const;
const nameParams = {
  type: 'object',
  required: ['kind', 'namespace', 'name'],
  properties: { kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } },
} as const;

interface ByQueryQuery {
  filter?: string[];
  fields?: string[];
  limit?: number;
  offset?: number;
  orderField?: string[];
  cursor?: string;
  fullTextFilterTerm?: string;
  fullTextFilterFields?: string[];
  totalItems?: string;
}

interface ByQueryBody {
  query?: unknown;
  cursor?: string;
  limit?: number;
  offset?: number;
  orderBy?: Array<{ field: string; order?: 'asc' | 'desc' }>;
  fullTextFilter?: { term?: string; fields?: string[] };
  fields?: string[];
  totalItems?: boolean;
}

/** Registers the Backstage-compatible entity routes (`/entities…`) on `app` (mounted at /api/catalog). */
export async function registerEntityRoutes(app: FastifyInstance, catalog: CatalogService, guard: CatalogGuard): Promise<void> {
  app.get<{ Querystring: { filter?: string[]; fields?: string[]; limit?: number; offset?: number; after?: string; order?: string[] } }>(
    '/entities',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'List entities (Backstage). With limit/offset/after: one page and a Link header; without: the whole matching set, streamed.',
        querystring: {
          type: 'object',
          properties: {
            filter: stringOrArray,
            fields: stringOrArray,
            ...pageProps,
            after: { type: 'string' },
            order: stringOrArray,
          },
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const filter = parseFilterParams(q.filter);
      const fields = parseFields(q.fields);
      const order = parseOrder(asArray(q.order), 'order:field');
      if (q.limit !== undefined || q.offset !== undefined || q.after !== undefined) {
        const page = await catalog.listEntities(
          { filter, fields, order, limit: pageSize(q.limit), offset: q.offset, after: q.after },
          guard.scope(req),
        );
        if (page.nextAfter) {
          const next = new URL(req.url, 'http://x');
          next.searchParams.set('after', page.nextAfter);
          next.searchParams.delete('offset');
          void reply.header('link', `<${next.pathname}${next.search}>; rel="next"`);
        }
        return page.items;
      }
      // No pagination asked for: stream every match in pages so memory stays flat (Backstage does the same).
      void reply.type('application/json');
      return reply.send(Readable.from(streamAll(catalog, filter, fields, order, guard.scope(req))));
    },
  );

  app.get<{ Querystring: ByQueryQuery }>(
    '/entities/by-query',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Query entities with filters, full text, ordering and cursor pagination (Backstage).',
        querystring: {
          type: 'object',
          properties: {
            filter: stringOrArray,
            fields: stringOrArray,
            ...pageProps,
            orderField: stringOrArray,
            cursor: { type: 'string' },
            fullTextFilterTerm: { type: 'string' },
            fullTextFilterFields: stringOrArray,
            totalItems: { type: 'string' },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const term = q.fullTextFilterTerm?.trim();
      return catalog.queryEntities({
        filter: q.cursor ? undefined : parseFilterParams(q.filter),
        fullText: term ? { term, fields: parseFields(q.fullTextFilterFields) } : undefined,
        order: parseOrder(asArray(q.orderField), 'field,order'),
        limit: pageSize(q.limit),
        offset: q.offset,
        cursor: q.cursor,
        fields: parseFields(q.fields),
        totalItems: parseTotalItems(q.totalItems),
      }, guard.scope(req));
    },
  );

  app.post<{ Body: ByQueryBody }>(
    '/entities/by-query',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Query entities with a predicate ($all, $any, $not, $exists, $in, $hasPrefix, $contains) (Backstage).',
        body: {
          type: 'object',
          properties: {
            query: { type: 'object' },
            cursor: { type: 'string' },
            ...pageProps,
            orderBy: {
              type: 'array',
              items: { type: 'object', required: ['field'], properties: { field: { type: 'string' }, order: { enum: ['asc', 'desc'] } } },
            },
            fullTextFilter: { type: 'object', properties: { term: { type: 'string' }, fields: { type: 'array', items: { type: 'string' } } } },
            fields: { type: 'array', items: { type: 'string' } },
            totalItems: { type: 'boolean' },
          },
        },
      },
    },
    async (req) => {
      const b = req.body ?? {};
      const term = b.fullTextFilter?.term?.trim();
      return catalog.queryEntities({
        filter: b.cursor || b.query === undefined ? undefined : parsePredicateQuery(b.query),
        fullText: term ? { term, fields: b.fullTextFilter?.fields } : undefined,
        order: (b.orderBy ?? []).map((o) => ({ field: o.field, order: o.order ?? 'asc' })),
        limit: pageSize(b.limit),
        offset: b.offset,
        cursor: b.cursor,
        fields: b.fields?.length ? b.fields : undefined,
        totalItems: b.totalItems ?? true,
      }, guard.scope(req));
    },
  );

  app.post<{ Body: { entityRefs: string[]; fields?: string[]; query?: unknown }; Querystring: { filter?: string[] } }>(
    '/entities/by-refs',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: 'Entities for a list of refs, in request order; null for refs not in the catalog (Backstage).',
        querystring: { type: 'object', properties: { filter: stringOrArray } },
        body: {
          type: 'object',
          required: ['entityRefs'],
          properties: {
            entityRefs: { type: 'array', items: { type: 'string' }, maxItems: 10_000 },
            fields: { type: 'array', items: { type: 'string' } },
            query: { type: 'object' },
          },
        },
      },
    },
    async (req) => {
      const filter: FilterNode | undefined =
        req.body.query !== undefined ? parsePredicateQuery(req.body.query) : parseFilterParams(req.query.filter);
      const items = await catalog.getEntitiesByRefs(req.body.entityRefs, {
        fields: req.body.fields?.length ? req.body.fields : undefined,
        filter,
        readCondition: guard.scope(req).readCondition,
      });
      return { items };
    },
  );

  app.get<{ Params: { kind: string; namespace: string; name: string } }>(
    '/entities/by-name/:kind/:namespace/:name',
    { config: READ, schema: { tags: TAG, summary: 'One entity by kind, namespace and name (case-insensitive).', params: nameParams } },
    async (req) => catalog.getEntityByName(req.params.kind, req.params.namespace, req.params.name, guard.scope(req)),
  );

  app.get<{ Params: { kind: string; namespace: string; name: string } }>(
    '/entities/by-name/:kind/:namespace/:name/source',
    { config: READ, schema: { tags: TAG, summary: 'The YAML document an entity was read from: { file, line, text } (Tarmac).', params: nameParams } },
    async (req) => catalog.getEntitySource(req.params.kind, req.params.namespace, req.params.name, guard.scope(req)),
  );

  app.get<{ Params: { uid: string } }>(
    '/entities/by-uid/:uid',
    { config: READ, schema: { tags: TAG, summary: 'One entity by uid.', params: { type: 'object', properties: { uid: { type: 'string' } } } } },
    async (req) => catalog.getEntityByUid(req.params.uid, guard.scope(req)),
  );

  app.delete<{ Params: { uid: string } }>(
    '/entities/by-uid/:uid',
    {
      config: { auth: { action: 'catalog.entity.delete' } },
      schema: {
        tags: TAG,
        summary: 'Delete an entity by uid (owners and admins); it returns at the next refresh if its location still has it.',
        params: { type: 'object', properties: { uid: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      // An entity the caller may not read answers 404, like a missing one; a readable one they do not own, 403.
      const entity = await catalog.getEntityByUid(req.params.uid, guard.scope(req));
      const ref = stringifyEntityRef(entity);
      await guard.check(req, 'catalog.entity.delete', { type: 'entity', id: ref, entity }, ref);
      await guard.audited(req, 'catalog.entity.delete', ref, () => catalog.deleteEntityByUid(req.params.uid), () => ({ uid: req.params.uid }));
      return reply.status(204).send();
    },
  );
}

const STREAM_PAGE = 1000;

async function* streamAll(
  catalog: CatalogService,
  filter: FilterNode | undefined,
  fields: string[] | undefined,
  order: Array<{ field: string; order: 'asc' | 'desc' }>,
  scope: ReadScope,
): AsyncGenerator<string> {
  yield '[';
  let after: string | undefined;
  let first = true;
  do {
    const page = await catalog.listEntities({ filter, fields, order, limit: STREAM_PAGE, after }, scope);
    for (const e of page.items) {
      yield (first ? '' : ',') + JSON.stringify(e);
      first = false;
    }
    after = page.nextAfter;
  } while (after);
  yield ']';
}
