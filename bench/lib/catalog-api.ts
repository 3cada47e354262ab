import { setTimeout as sleep } from 'node:timers/promises';
import type { RelationProbe } from '../generate-catalog.js';
import type { CatalogSummary } from '../../src/catalog/index.js';

/** `GET /api/catalog/summary` (docs/catalog-design.md, Tarmac extensions). */
export type { CatalogSummary } from '../../src/catalog/index.js';

/** `GET /api/catalog/entities/by-query` response (Backstage). */
export interface QueryPage {
  items: Array<{ kind?: string; metadata?: { name?: string } }>;
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/**
 * GETs `url` and parses JSON.
 * @throws Error with the status and the start of the body on a non-2xx answer
 */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Path of a `by-query` request with `filter` and `limit` (and only the name field when `namesOnly`). */
export function byQueryPath(filter: string, limit: number, namesOnly = false): string {
  const params = new URLSearchParams({ filter, limit: String(limit) });
  if (namesOnly) params.set('fields', 'metadata.name');
  return `/api/catalog/entities/by-query?${params.toString()}`;
}

/** What the ingestion wait saw last, for progress lines and for the error when it times out. */
export interface IngestProgress {
  /** Entities stored whose kind is not Location. */
  stored: number;
  summary?: CatalogSummary;
  /** Probes whose count matched, at the last check. */
  probesMatched: number;
}

/** Options of `waitForIngestion`. */
export interface IngestWaitOptions {
  baseUrl: string;
  /** Expected entities per kind (Location excluded); kind names compare case-insensitively. */
  expectedByKind: Record<string, number>;
  probes: RelationProbe[];
  /** Poll period in ms (each poll is one summary request; probes only once the counts match). */
  pollMs: number;
  timeoutMs: number;
  /** Called after each poll. */
  onProgress?: (p: IngestProgress) => void;
  /** Checked every poll; return true to give up (the child died). */
  aborted?: () => boolean;
}

/**
 * Polls the catalog until every expected entity is stored (summary counts per kind) and every relation probe
 * (`by-query?filter=relations.<type>=<ref>`) returns its expected `totalItems`. Returns `performance.now()` at
 * the first poll where all held, and the summary of that poll.
 * @throws Error on timeout or abort, naming what was still missing
 */
export async function waitForIngestion(o: IngestWaitOptions): Promise<{ doneAt: number; summary: CatalogSummary }> {
  const deadline = performance.now() + o.timeoutMs;
  const expected = new Map(Object.entries(o.expectedByKind).map(([k, v]) => [k.toLowerCase(), v]));
  const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
  let last: IngestProgress = { stored: 0, probesMatched: 0 };
  while (performance.now() < deadline) {
    if (o.aborted?.()) throw new Error(`aborted while waiting for ingestion (stored ${last.stored} of ${expectedTotal})`);
    let summary: CatalogSummary | undefined;
    try {
      summary = await getJson<CatalogSummary>(`${o.baseUrl}/api/catalog/summary`);
    } catch {
      summary = undefined; // a busy or restarting server: try again at the next poll
    }
    if (summary) {
      const counts = new Map(summary.countsByKind.map((c) => [c.kind.toLowerCase(), c.count]));
      const stored = [...counts].filter(([k]) => k !== 'location').reduce((a, [, c]) => a + c, 0);
      const countsOk = [...expected].every(([k, v]) => counts.get(k) === v);
      let probesMatched = 0;
      if (countsOk) {
        for (const p of o.probes) {
          const page = await getJson<QueryPage>(`${o.baseUrl}${byQueryPath(p.filter, 1, true)}`).catch(() => undefined);
          if (page?.totalItems !== p.expected) break;
          probesMatched++;
        }
      }
      last = { stored, summary, probesMatched };
      o.onProgress?.(last);
      if (countsOk && probesMatched === o.probes.length) return { doneAt: performance.now(), summary };
    }
    await sleep(o.pollMs);
  }
  throw new Error(
    `not all entities were queryable after ${Math.round(o.timeoutMs / 1000)} s: stored ${last.stored} of ${expectedTotal}, ` +
      `${last.probesMatched} of ${o.probes.length} relation probes matched`,
  );
}

/**
 * Follows `pageInfo.nextCursor` from `firstPath` and returns up to `count` request paths, each one cursor page of
 * `limit` items (`by-query?cursor=…&limit=…`).
 * @throws Error when the first page does not hold `limit` items (the query or the catalog is not as expected)
 */
export async function collectCursorPaths(baseUrl: string, firstPath: string, limit: number, count: number): Promise<string[]> {
  const paths: string[] = [];
  let page = await getJson<QueryPage>(`${baseUrl}${firstPath}`);
  if (page.items.length !== limit) throw new Error(`${firstPath} returned ${page.items.length} items, expected ${limit}`);
  while (paths.length < count && page.pageInfo.nextCursor) {
    const p = `/api/catalog/entities/by-query?${new URLSearchParams({ cursor: page.pageInfo.nextCursor, limit: String(limit) }).toString()}`;
    paths.push(p);
    page = await getJson<QueryPage>(`${baseUrl}${p}`);
  }
  return paths;
}
