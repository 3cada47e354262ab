import path from 'node:path';
import { inferLocation } from '../../core/config.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { TarmacError } from '../../core/errors.js';
import type { ApplySummary } from '../storage/types.js';
import type { CatalogClient, LocationInput, LocationWithStatus } from './client.js';
import { progressReporter, type Io } from './progress.js';

/** Options of `tarmac catalog import`. */
export interface ImportOptions {
  type?: 'file' | 'url' | 'git';
  branch?: string;
  path?: string;
  /** false with `--no-wait`: register (or refresh) and return at once. */
  wait: boolean;
  /** Give up waiting after this many seconds (the import goes on in the server). */
  timeoutSeconds: number;
  /** Milliseconds between status polls (default 250). */
  pollMs?: number;
  cwd: string;
}

/** Errors listed after an import (`GET /errors?locationId=…&limit=…`). */
export const ERRORS_SHOWN = 50;

/**
 * The location to register for `<target>`: `--type` when given, else inferred as `tarmac start --location` does
 * (`git+…` or `….git` → git, `http(s)://` → url, anything else → file). File targets and local git repositories
 * are made absolute against `cwd`, since the server resolves them against its own folder.
 */
export function locationInput(target: string, opts: Pick<ImportOptions, 'type' | 'branch' | 'path' | 'cwd'>): LocationInput {
  const { type, target: t } = inferLocation(target, opts.cwd, opts.type);
  return { type, target: t, ...(opts.branch ? { branch: opts.branch } : {}), ...(opts.path ? { path: opts.path } : {}) };
}

/** `file:/abs/x.yaml` → `x.yaml` when under `cwd`; other sources as they are. */
export function displaySource(source: string | null | undefined, cwd: string): string {
  if (!source) return '(location)';
  if (!source.startsWith('file:')) return source;
  const file = source.slice('file:'.length);
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * `tarmac catalog import <target>`: `POST /locations?wait=false` (→ 202 `{ location }`), then polls
 * `GET /locations/:id` every `pollMs` until `status.lastStatus` is `ok` or `failed`, showing `status.progress`
 * on stderr. A 409 (already registered, `error.details.id`) re-reads the existing location with
 * `POST /locations/:id/refresh` while polling. Then prints the summary and up to 50 of the location's errors
 * (`GET /errors?locationId=`) as `file:line:col  message`.
 * @returns exit code: 0 when the import ran (even with invalid entities), 1 when the location failed, or gave
 *   no entity and only errors
 * @throws TarmacError from the client (server unreachable, refused), or UPSTREAM_FAILED after `timeoutSeconds`
 */
export async function importLocation(client: CatalogClient, target: string, opts: ImportOptions, io: Io): Promise<number> {
  const input = locationInput(target, opts);
  const label = `${input.type}:${input.target}`;
  const added = await client.addLocation(input);
  let id = added.body.location?.id;
  let refresh: Promise<unknown> | undefined;
  if (added.status === 409) {
    id = existingId(added.body.error?.details) ?? (await findLocationId(client, input));
    if (!id) throw new TarmacError('CONFLICT', `${added.body.error?.message ?? `${label} is already registered`} (CONFLICT)`);
    if (!opts.wait) {
      await client.request('POST', '/locations', { query: { wait: false, onConflict: 'refresh' }, body: input });
      io.out(`${label} is already registered (location ${id}); refresh started\n`);
      return 0;
    }
    io.err(`${label} is already registered (location ${id}); refreshing it\n`);
    refresh = client.refreshLocation(id, opts.timeoutSeconds * 1000);
  } else if (!opts.wait) {
    io.out(`registered ${label} as location ${id ?? '?'}; importing in the background\n`);
    return 0;
  }
  if (!id) throw new TarmacError('UPSTREAM_FAILED', 'the server did not return the new location id');

  const location = await waitForLocation(client, id, opts, io, refresh);
  return report(client, location, opts, io);
}

function existingId(details: unknown): string | undefined {
  const id = (details as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? id : undefined;
}

async function findLocationId(client: CatalogClient, input: LocationInput): Promise<string | undefined> {
  for (let offset = 0; ; offset += 500) {
    const page = await client.listLocations(500, offset);
    const hit = page.find((l) => l.data.type === input.type && l.data.target === input.target);
    if (hit) return hit.data.id;
    if (page.length < 500) return undefined;
  }
}

async function waitForLocation(
  client: CatalogClient,
  id: string,
  opts: ImportOptions,
  io: Io,
  refresh: Promise<unknown> | undefined,
): Promise<LocationWithStatus> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  const progress = progressReporter(io);
  let refreshDone = false;
  let refreshError: unknown;
  refresh?.then(
    () => {
      refreshDone = true;
    },
    (err: unknown) => {
      refreshDone = true;
      refreshError = err;
    },
  );
  try {
    for (;;) {
      const location = await client.getLocation(id);
      const status = location.status;
      progress.update(status.progress, status.lastStatus);
      if (refreshError) throw refreshError;
      const finished = refresh ? refreshDone : status.lastStatus === 'ok' || status.lastStatus === 'failed';
      if (finished) return refresh ? await client.getLocation(id) : location;
      if (Date.now() > deadline) {
        throw new TarmacError('UPSTREAM_FAILED', `location ${id} is still ${status.lastStatus} after ${opts.timeoutSeconds} s; the import goes on in the server`);
      }
      await sleep(refresh ? Math.min(opts.pollMs ?? 250, 100) : (opts.pollMs ?? 250));
    }
  } finally {
    progress.done();
  }
}

async function report(client: CatalogClient, location: LocationWithStatus, opts: ImportOptions, io: Io): Promise<number> {
  const status = location.status;
  const s: (ApplySummary & { durationMs?: number }) | null = status.lastSummary;
  const entities = s ? s.added + s.updated + s.unchanged : 0;
  const errors = await client.listErrors(location.id, ERRORS_SHOWN);
  for (const e of errors.items) {
    const where = `${displaySource(e.sourceFile, opts.cwd)}${e.line ? `:${e.line}:${e.col ?? 1}` : ''}`;
    const field = e.fieldPath && !e.message.startsWith(e.fieldPath) ? `${e.fieldPath}: ` : '';
    io.out(`${where}  ${field}${e.message}${e.entityRef ? ` (${e.entityRef})` : ''}\n`);
  }
  if (errors.totalItems > errors.items.length) {
    io.out(`… ${errors.totalItems - errors.items.length} more errors: GET /api/catalog/errors?locationId=${location.id}\n`);
  }
  const took = s?.durationMs !== undefined ? ` in ${(s.durationMs / 1000).toFixed(1)} s` : '';
  const counts = s
    ? `${entities} ${entities === 1 ? 'entity' : 'entities'} (${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged${s.conflicts ? `, ${s.conflicts} conflicts` : ''})`
    : 'no summary';
  io.out(`${status.lastStatus === 'failed' ? 'failed' : 'imported'} ${location.type}:${location.target}${took}: ${counts}, ${errors.totalItems} ${errors.totalItems === 1 ? 'error' : 'errors'}\n`);
  return status.lastStatus === 'failed' || (entities === 0 && errors.totalItems > 0) ? 1 : 0;
}
