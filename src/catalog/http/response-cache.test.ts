import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../core/testing/databases.js';
import { startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';

const component = (name: string, lifecycle: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: ${lifecycle}\n  owner: team-x\n`;

describe.each(testEngines())('entity response cache on %s', (engine) => {
  let t: TestTarmac;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-cache-'));
    file = path.join(dir, 'catalog-info.yaml');
    writeFileSync(file, component('cached', 'experimental'));
    t = await startTestTarmac(engine, [{ type: 'file', target: file }]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${t.url}/api/catalog${p}`, { headers });

  it('serves a repeated read from the cache, answers If-None-Match with 304, and drops it after a change', async () => {
    const url = '/entities/by-name/component/default/cached';
    const first = await get(url);
    expect(first.headers.get('x-tarmac-cache')).toBeNull();
    const etag = first.headers.get('etag') ?? '';
    expect(((await first.json()) as { spec: { lifecycle: string } }).spec.lifecycle).toBe('experimental');

    const second = await get(url);
    expect(second.headers.get('x-tarmac-cache')).toBe('hit');
    expect(second.headers.get('etag')).toBe(etag);
    expect((await get(url, { 'if-none-match': etag })).status).toBe(304);

    writeFileSync(file, component('cached', 'production'));
    const locations = (await (await get('/locations')).json()) as Array<{ data: { id: string } }>;
    const refreshed = await fetch(`${t.url}/api/catalog/locations/${locations[0]?.data.id}/refresh`, { method: 'POST' });
    expect(refreshed.status).toBe(200);

    const third = await get(url, { 'if-none-match': etag });
    expect(third.status).toBe(200);
    expect(third.headers.get('x-tarmac-cache')).toBeNull();
    expect(((await third.json()) as { spec: { lifecycle: string } }).spec.lifecycle).toBe('production');
  });

  it('keeps query pages apart by URL', async () => {
    const a = (await (await get('/entities/by-query?filter=spec.lifecycle=production')).json()) as { totalItems: number };
    const b = (await (await get('/entities/by-query?filter=spec.lifecycle=experimental')).json()) as { totalItems: number };
    expect([a.totalItems, b.totalItems]).toEqual([1, 0]);
  });
});
