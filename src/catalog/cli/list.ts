import type { Entity } from '../model/entity.js';
import type { CatalogClient } from './client.js';
import { formatTable } from '../../core/cli-kit.js';

/** Output formats of `tarmac catalog list`. */
export type ListFormat = 'table' | 'json' | 'refs';

/** Options of `tarmac catalog list`. `limit` is the page size (server clamps to 1…1000). */
export interface ListOptions {
  filter: string[];
  limit: number;
  all: boolean;
  format: ListFormat;
  fields?: string[];
}

const TABLE_FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.type', 'spec.owner', 'spec.lifecycle'];
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];
const MAX_TITLE = 48;

/** `kind:namespace/name`, kind and namespace lowercase, name as written (Backstage `stringifyEntityRef`). */
export function entityRefOf(e: Entity): string {
  return `${e.kind.toLowerCase()}:${(e.metadata.namespace ?? 'default').toLowerCase()}/${e.metadata.name}`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function tableRow(e: Entity): string[] {
  const s = e.spec ?? {};
  let title = str(e.metadata.title);
  if (title.length > MAX_TITLE) title = `${title.slice(0, MAX_TITLE - 1)}…`;
  return [entityRefOf(e), str(s.type), str(s.owner), str(s.lifecycle), title];
}

/**
 * `tarmac catalog list`: pages through `GET /entities/by-query?filter=…&limit=…&fields=…`, following
 * `pageInfo.nextCursor` when `all`, and writes each page as soon as it arrives:
 * - `table`: ref, type, owner, lifecycle, title, then `N of TOTAL entities` (a hint when more pages exist);
 * - `json`: one entity per line (JSON lines), `fields` applied by the server;
 * - `refs`: one `kind:namespace/name` per line.
 * @param write receives complete lines (with `\n`) for stdout
 * @returns the number of entities written and the server's total
 */
export async function listEntities(
  client: CatalogClient,
  opts: ListOptions,
  write: (text: string) => void,
): Promise<{ count: number; totalItems: number }> {
  const fields = opts.format === 'table' ? TABLE_FIELDS : opts.format === 'refs' ? REF_FIELDS : opts.fields;
  let cursor: string | undefined;
  let nextCursor: string | undefined;
  let count = 0;
  let totalItems = 0;
  const rows: string[][] = [];
  do {
    const page = await client.queryEntities({ filter: opts.filter, limit: opts.limit, fields, cursor });
    totalItems = page.totalItems;
    count += page.items.length;
    if (opts.format === 'table') rows.push(...page.items.map(tableRow));
    else if (opts.format === 'refs') write(page.items.map((e) => `${entityRefOf(e)}\n`).join(''));
    else write(page.items.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const previous = cursor;
    nextCursor = page.pageInfo?.nextCursor;
    cursor = opts.all && nextCursor !== previous ? nextCursor : undefined;
  } while (cursor);
  if (opts.format === 'table') {
    if (rows.length) write(`${formatTable(['REF', 'TYPE', 'OWNER', 'LIFECYCLE', 'TITLE'], rows)}\n`);
    const more = nextCursor ? ' (more with --all or a larger --limit)' : '';
    write(`${count} of ${totalItems} ${totalItems === 1 ? 'entity' : 'entities'}${more}\n`);
  }
  return { count, totalItems };
}
