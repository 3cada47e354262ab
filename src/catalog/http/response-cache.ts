import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Limits of the entity response cache. */
export interface ResponseCacheOptions {
  /** Most responses kept (default 2,000). */
  maxEntries?: number;
  /** Most bytes of response bodies kept (default 64 MB). */
  maxBytes?: number;
}

interface Entry {
  generation: number;
  body: string;
  etag: string;
}

/** Entity read routes whose answers depend only on the URL and the catalog generation. */
const CACHEABLE = new Set([
  '/api/catalog/entities',
  '/api/catalog/entities/by-query',
  '/api/catalog/entities/by-name/:kind/:namespace/:name',
  '/api/catalog/entity-facets',
]);

declare module 'fastify' {
  interface FastifyRequest {
    tarmacGeneration?: number;
  }
}

/**
 * Caches the JSON bodies of entity read routes per URL, valid for one catalog generation, and answers
 * `If-None-Match` with 304. The generation is read from the database at each request (one indexed row), so a write
 * by any Tarmac process on the same database invalidates every entry at once; a write that lands while a request is
 * being answered stores that answer under the older generation, so it is never served after the write.
 * Why: catalog reads vastly outnumber writes, and the portal and API clients repeat the same queries (pages,
 * facets, entity pages); a hit costs one small query instead of a page read, relation join and serialisation.
 * Bodies over 1 MB and streamed responses are not kept; LRU eviction by count and bytes.
 */
export function registerResponseCache(
  app: FastifyInstance,
  generation: () => Promise<number>,
  opts: ResponseCacheOptions & {
    /**
     * What, besides the URL, the answer depends on: the caller's read restriction (a canonical key, '' for none).
     * Callers with different restrictions never share an entry; `undefined` (a caller who may not read at all)
     * bypasses the cache, so the route's own checks answer.
     */
    variant?: (req: FastifyRequest) => string | undefined;
  } = {},
): void {
  const maxEntries = opts.maxEntries ?? 2000;
  const maxBytes = opts.maxBytes ?? 64_000_000;
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const cacheable = (req: FastifyRequest) => req.method === 'GET' && CACHEABLE.has(req.routeOptions.url ?? '');
  const keyOf = (req: FastifyRequest): string | undefined => {
    if (!opts.variant) return req.url;
    const v = opts.variant(req);
    return v === undefined ? undefined : `${v}\n${req.url}`;
  };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!cacheable(req)) return;
    const key = keyOf(req);
    if (key === undefined) return;
    const gen = await generation();
    req.tarmacGeneration = gen;
    const hit = entries.get(key);
    if (!hit || hit.generation !== gen) return;
    entries.delete(key); // re-insert: most recently used last
    entries.set(key, hit);
    void reply.header('etag', hit.etag).header('x-tarmac-cache', 'hit');
    if (req.headers['if-none-match'] === hit.etag) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(hit.body);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const gen = req.tarmacGeneration;
    if (gen === undefined || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('x-tarmac-cache')) {
      return payload;
    }
    if (payload.length > 1_000_000) return payload;
    const etag = `W/"g${gen}-${entries.size.toString(36)}${Date.now().toString(36)}"`;
    void reply.header('etag', etag);
    const key = keyOf(req);
    if (key === undefined) return payload;
    const old = entries.get(key);
    if (old) bytes -= old.body.length;
    entries.delete(key);
    entries.set(key, { generation: gen, body: payload, etag });
    bytes += payload.length;
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      entries.delete(key);
      bytes -= entry.body.length;
    }
    return payload;
  });
}
