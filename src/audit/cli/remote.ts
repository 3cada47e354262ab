import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApiClient } from '../../core/api-client.js';
import type { AuditEvent } from '../model/event.js';
import type { ListPage } from '../service.js';
import { formatTable } from '../../core/cli-kit.js';

/** Filters and paging of `tarmac audit list` (see `GET /api/audit/events`). */
export interface ListOptions {
  actor?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  from?: string;
  to?: string;
  limit: number;
  all: boolean;
  format: 'table' | 'json';
}

const row = (e: AuditEvent): string[] => [String(e.seq), e.time, e.actor, e.action, e.resource, e.outcome];

/**
 * `tarmac audit list`: pages through `GET /api/audit/events` (newest first), following `nextCursor` when `all`.
 * `table` prints seq, time, actor, action, resource, outcome and `N of TOTAL events`; `json` one event per line.
 * @returns the number of events written
 * @throws TarmacError from the client (server refused, unreachable)
 */
export async function listEvents(client: ApiClient, opts: ListOptions, write: (text: string) => void): Promise<number> {
  const { all, format, ...filters } = opts;
  let after: string | undefined;
  let count = 0;
  let total: number | undefined; // only the first page carries totalItems
  let page: ListPage;
  const rows: string[][] = [];
  do {
    page = (await client.request<ListPage>('GET', '/api/audit/events', { query: { ...filters, after } })).body;
    count += page.items.length;
    total ??= page.totalItems;
    if (format === 'json') write(page.items.map((e) => `${JSON.stringify(e)}\n`).join(''));
    else rows.push(...page.items.map(row));
    after = all ? page.nextCursor : undefined;
  } while (after);
  if (format === 'table') {
    if (rows.length) write(`${formatTable(['SEQ', 'TIME', 'ACTOR', 'ACTION', 'RESOURCE', 'OUTCOME'], rows)}\n`);
    write(`${count} of ${total ?? count} events${page.nextCursor && !all ? ' (more with --all)' : ''}\n`);
  }
  return count;
}

/**
 * `tarmac audit export`: streams `GET /api/audit/export?from=&to=` to `out` (a file) or to `stdout` as it
 * arrives. Only the wait for the response head is bounded (30 s); a long export streams as long as it needs.
 * @throws TarmacError NOT_READY / UPSTREAM_FAILED when the server cannot be reached, or the server's error
 */
export async function exportEvents(client: ApiClient, opts: { from?: string; to?: string; out?: string }, stdout: Writable): Promise<void> {
  const res = await client.stream('/api/audit/export', { query: { from: opts.from, to: opts.to }, headTimeoutMs: 30_000 });
  const source = Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
  if (opts.out) await pipeline(source, createWriteStream(opts.out));
  else await pipeline(source, stdout, { end: false });
}
