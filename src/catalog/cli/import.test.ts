import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogClient } from './client.js';
import { displaySource, importLocation, locationInput } from './import.js';
import type { Io } from './progress.js';

describe('locationInput', () => {
  const cwd = '/home/me/project';
  it('infers the type as `tarmac start --location` does and makes local paths absolute', () => {
    expect(locationInput('catalog/*.yaml', { cwd })).toEqual({ type: 'file', target: '/home/me/project/catalog/*.yaml' });
    expect(locationInput('/abs/all.yaml', { cwd })).toEqual({ type: 'file', target: '/abs/all.yaml' });
    expect(locationInput('https://example.com/all.yaml', { cwd })).toEqual({ type: 'url', target: 'https://example.com/all.yaml' });
    expect(locationInput('https://github.com/o/r.git', { cwd, branch: 'main', path: '**/catalog-info.yaml' })).toEqual({
      type: 'git',
      target: 'https://github.com/o/r.git',
      branch: 'main',
      path: '**/catalog-info.yaml',
    });
    expect(locationInput('git+../repo', { cwd })).toEqual({ type: 'git', target: '/home/me/repo' });
    expect(locationInput('git@github.com:o/r.git', { cwd })).toEqual({ type: 'git', target: 'git@github.com:o/r.git' });
    expect(locationInput('repo', { cwd, type: 'git' })).toEqual({ type: 'git', target: '/home/me/project/repo' });
  });

  it('shows file sources relative to cwd when below it', () => {
    expect(displaySource('file:/home/me/project/a/b.yaml', '/home/me/project')).toBe(path.join('a', 'b.yaml'));
    expect(displaySource('file:/elsewhere/b.yaml', '/home/me/project')).toBe('/elsewhere/b.yaml');
    expect(displaySource('url:https://x/y.yaml', '/home/me/project')).toBe('url:https://x/y.yaml');
  });
});

type Route = (req: IncomingMessage, body: string) => { status: number; body?: unknown; delayMs?: number };

/** A scripted stand-in for the catalog API on loopback, recording the requests it gets. */
async function fakeServer(route: Route): Promise<{ url: string; calls: string[]; server: Server }> {
  const calls: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}${body ? ` ${body}` : ''}`);
      const r = route(req, body);
      setTimeout(() => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(r.body === undefined ? '' : JSON.stringify(r.body));
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, calls, server };
}

const record = (over: object) => ({
  lastStatus: 'processing',
  progress: null,
  lastSummary: null,
  ...over,
});
const summary = { added: 2, updated: 0, removed: 0, unchanged: 1, conflicts: 0, errors: 1, durationMs: 1234 };
const errors = {
  items: [{ sourceFile: 'file:/cat/all.yaml', line: 4, col: 9, fieldPath: 'metadata.name', code: 'validation', message: 'metadata.name "x y" is invalid', entityRef: null }],
  totalItems: 1,
};

function captureIo(errIsTTY: boolean): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', errIsTTY, out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

describe('importLocation (against a scripted server)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('registers with wait=false, polls until ok, shows each phase once on a non-terminal, then summary and errors', async () => {
    const states = [
      record({ lastStatus: 'pending' }),
      record({ progress: { phase: 'reading', done: 0, total: null } }),
      record({ progress: { phase: 'reading', done: 1, total: 2 } }),
      record({ progress: { phase: 'storing', done: 3, total: 3 } }),
      record({ lastStatus: 'ok', lastSummary: summary }),
    ];
    let polls = 0;
    const fake = await fakeServer((req) => {
      if (req.method === 'POST') return { status: 202, body: { location: { id: 'l1', type: 'file', target: '/cat/all.yaml' } } };
      if (req.url?.startsWith('/api/catalog/errors')) return { status: 200, body: errors };
      return { status: 200, body: { id: 'l1', type: 'file', target: '/cat/all.yaml', status: states[Math.min(polls++, states.length - 1)] } };
    });
    server = fake.server;
    const io = captureIo(false);
    const code = await importLocation(new CatalogClient(fake.url), '/cat/all.yaml', { wait: true, timeoutSeconds: 10, pollMs: 5, cwd: '/cat' }, io);
    expect(code).toBe(0);
    expect(fake.calls[0]).toBe('POST /api/catalog/locations?wait=false {"type":"file","target":"/cat/all.yaml"}');
    expect(fake.calls.filter((c) => c === 'GET /api/catalog/locations/l1')).toHaveLength(5);
    expect(fake.calls.at(-1)).toBe('GET /api/catalog/errors?locationId=l1&limit=50');
    expect(io.stderr).toBe('pending\nreading…\nstoring 3/3\nok\n');
    expect(io.stdout).toBe(
      'all.yaml:4:9  metadata.name "x y" is invalid\n' +
        'imported file:/cat/all.yaml in 1.2 s: 3 entities (2 added, 0 updated, 0 removed, 1 unchanged), 1 error\n',
    );
  });

  it('on a terminal redraws one progress line and clears it', async () => {
    let polls = 0;
    const fake = await fakeServer((req) => {
      if (req.method === 'POST') return { status: 202, body: { location: { id: 'l2', type: 'url', target: 'https://x/c.yaml' } } };
      if (req.url?.startsWith('/api/catalog/errors')) return { status: 200, body: { items: [], totalItems: 0 } };
      const status = polls++ === 0 ? record({ progress: { phase: 'reading', done: 1, total: 4 } }) : record({ lastStatus: 'failed', lastSummary: null });
      return { status: 200, body: { id: 'l2', type: 'url', target: 'https://x/c.yaml', status } };
    });
    server = fake.server;
    const io = captureIo(true);
    const code = await importLocation(new CatalogClient(fake.url), 'https://x/c.yaml', { wait: true, timeoutSeconds: 10, pollMs: 5, cwd: '/' }, io);
    expect(code).toBe(1);
    expect(io.stderr).toBe('\r\x1b[2Kreading 1/4\r\x1b[2Kfailed\r\x1b[2K');
    expect(io.stdout).toBe('failed url:https://x/c.yaml: no summary, 0 errors\n');
  });

  it('on 409 refreshes the existing location (id from error.details) and reports that run', async () => {
    let refreshed = false;
    const fake = await fakeServer((req) => {
      if (req.method === 'POST' && req.url === '/api/catalog/locations/l3/refresh') {
        refreshed = true;
        return { status: 200, body: { summary }, delayMs: 30 };
      }
      if (req.method === 'POST') return { status: 409, body: { error: { code: 'CONFLICT', message: 'already registered', details: { id: 'l3' } } } };
      if (req.url?.startsWith('/api/catalog/errors')) return { status: 200, body: errors };
      const status = refreshed ? record({ lastStatus: 'ok', lastSummary: summary }) : record({ lastStatus: 'ok', lastSummary: null });
      return { status: 200, body: { id: 'l3', type: 'file', target: '/cat/all.yaml', status } };
    });
    server = fake.server;
    const io = captureIo(false);
    const code = await importLocation(new CatalogClient(fake.url), '/cat/all.yaml', { wait: true, timeoutSeconds: 10, pollMs: 5, cwd: '/cat' }, io);
    expect(code).toBe(0);
    expect(io.stderr.split('\n')[0]).toBe('file:/cat/all.yaml is already registered (location l3); refreshing it');
    expect(io.stdout.trimEnd().split('\n').at(-1)).toBe('imported file:/cat/all.yaml in 1.2 s: 3 entities (2 added, 0 updated, 0 removed, 1 unchanged), 1 error');
  });

  it('with --no-wait on 409, finds the location by type and target and asks for a background refresh', async () => {
    const fake = await fakeServer((req) => {
      if (req.method === 'POST' && req.url?.includes('onConflict=refresh')) return { status: 202, body: { location: { id: 'l5' } } };
      if (req.method === 'POST') return { status: 409, body: { error: { code: 'CONFLICT', message: 'already registered' } } };
      return { status: 200, body: [{ data: { id: 'other', type: 'file', target: '/y' } }, { data: { id: 'l5', type: 'file', target: '/x' } }] };
    });
    server = fake.server;
    const io = captureIo(false);
    const code = await importLocation(new CatalogClient(fake.url), '/x', { wait: false, timeoutSeconds: 1, cwd: '/' }, io);
    expect(code).toBe(0);
    expect(fake.calls).toEqual([
      'POST /api/catalog/locations?wait=false {"type":"file","target":"/x"}',
      'GET /api/catalog/locations?limit=500&offset=0',
      'POST /api/catalog/locations?wait=false&onConflict=refresh {"type":"file","target":"/x"}',
    ]);
    expect(io.stdout).toBe('file:/x is already registered (location l5); refresh started\n');
  });

  it('gives up after --timeout with a clear error, and passes server refusals through', async () => {
    const fake = await fakeServer((req) => {
      if (req.method === 'POST') return { status: 202, body: { location: { id: 'l4', type: 'file', target: '/x' } } };
      return { status: 200, body: { id: 'l4', type: 'file', target: '/x', status: record({ lastStatus: 'processing' }) } };
    });
    server = fake.server;
    const opts = { wait: true, timeoutSeconds: 0.05, pollMs: 5, cwd: '/' };
    await expect(importLocation(new CatalogClient(fake.url), '/x', opts, captureIo(false))).rejects.toThrow(
      'location l4 is still processing after 0.05 s; the import goes on in the server',
    );
  });
});

describe('CatalogClient errors', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('turns error bodies into `<message> (<code>)`, other failures into the status, slow answers into a timeout', async () => {
    const fake = await fakeServer((req) => {
      if (req.url?.startsWith('/api/catalog/entities/by-query')) return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'bad filter "=x"' } } };
      if (req.url?.startsWith('/api/catalog/errors')) return { status: 200, body: {}, delayMs: 500 };
      return { status: 502 };
    });
    server = fake.server;
    const client = new CatalogClient(`${fake.url}/`, { timeoutMs: 100 });
    await expect(client.queryEntities({ filter: ['=x'] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'bad filter "=x" (BAD_REQUEST)' });
    await expect(client.getLocation('x')).rejects.toMatchObject({ code: 'UPSTREAM_FAILED', message: 'server answered HTTP 502' });
    await expect(client.listErrors('x', 1)).rejects.toMatchObject({ message: `Tarmac at ${fake.url} did not answer within 0.1 s` });
  });
});
