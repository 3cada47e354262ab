import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';
import type { Entity } from '../model/entity.js';
import { runCli } from '../../cli/testing/run-cli.js';

// A small catalog written here; every expected value below is counted from these files by hand.
// org.yaml: Group team-a, User alice. shop.yaml: System shop, Components cart and checkout, APIs cart-api and
// orders-api (whose $text target does not exist: stored with its error), and Component "bad name" (invalid).
// → 7 entities, 2 errors.
const ORG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  memberOf: [team-a]
`;
const SHOP = `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
  title: Shopping cart
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: shop
  providesApis: [cart-api]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
spec:
  type: website
  lifecycle: experimental
  owner: group:team-a
  system: shop
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: cart-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: "openapi: 3.0.0"
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./nope.oas.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bad name
spec:
  type: service
  lifecycle: production
  owner: team-a
`;
const ALL_REFS = [
  'api:default/cart-api',
  'api:default/orders-api',
  'component:default/cart',
  'component:default/checkout',
  'group:default/team-a',
  'system:default/shop',
  'user:default/alice',
];

describe('tarmac catalog import / get / list against a running Tarmac', () => {
  let t: TestTarmac;
  let dir: string;
  const cli = (...args: string[]) => runCli(['--url', t.url, 'catalog', ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-cli-'));
    writeFileSync(path.join(dir, 'org.yaml'), ORG);
    writeFileSync(path.join(dir, 'shop.yaml'), SHOP);
    writeFileSync(path.join(dir, 'extra.yml'), ORG.replace(/team-a/g, 'team-b').replace('alice', 'bob'));
    t = await startTestTarmac('pglite', []);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a file glob, follows its progress, prints the summary and each error with its file', async () => {
    const r = await cli('import', `${dir}/*.yaml`);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith(`${path.join(dir, 'shop.yaml')}:`))).toHaveLength(2);
    expect(r.stdout).toMatch(/metadata\.name "bad name"/);
    expect(r.stdout).toMatch(/nope\.oas\.yaml/);
    expect(lines[2]).toMatch(
      new RegExp(`^imported file:${dir}/\\*\\.yaml in \\d+\\.\\d s: 7 entities \\(7 added, 0 updated, 0 removed, 0 unchanged\\), 2 errors$`),
    );
  });

  it('refreshes an already registered location instead of failing (409)', async () => {
    const r = await cli('import', `${dir}/*.yaml`);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('is already registered');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/: 7 entities \(0 added, 0 updated, 0 removed, 7 unchanged\), 2 errors$/);
  });

  it('with --no-wait, returns once registered', async () => {
    const r = await cli('import', path.join(dir, 'extra.yml'), '--no-wait');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^registered file:${dir}/extra\\.yml as location \\S+; importing in the background\\n$`));
  });

  it('exits 1 when the location cannot be read, or when the server refuses it', async () => {
    const missing = await cli('import', path.join(dir, 'missing.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('missing.yaml');
    const refused = await cli('import', '--type', 'url', 'not a url');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^tarmac: .+ \([A-Z_]+\)\n$/);
  });

  it('gets one entity as YAML with relations and its errors, or as JSON', async () => {
    const r = await cli('get', 'cart');
    expect(r.code).toBe(0);
    const cart = parse(r.stdout) as Entity;
    expect(cart.metadata.name).toBe('cart');
    expect(cart.relations?.map((x) => `${x.type} ${x.targetRef}`).sort()).toEqual([
      'ownedBy group:default/team-a',
      'partOf system:default/shop',
      'providesApi api:default/cart-api',
    ]);
    const api = await cli('get', 'API:default/Orders-API', '--format', 'json');
    expect(api.code).toBe(0);
    const orders = JSON.parse(api.stdout) as Entity;
    expect(orders.spec?.definition).toEqual({ $text: './nope.oas.yaml' });
    expect(orders.status?.items).toHaveLength(1);
    expect(orders.status?.items[0]?.level).toBe('error');
  });

  it('exits 1 with a clear message when the entity does not exist, 2 on a malformed ref', async () => {
    const r = await cli('get', 'component:default/nope');
    expect(r).toEqual({ code: 1, stdout: '', stderr: `tarmac: no entity component:default/nope in the catalog at ${t.url}\n` });
    expect((await cli('get', 'component:')).code).toBe(2);
  });

  it('lists as a table with the total, as refs (OR of filters), and follows the cursor with --all', async () => {
    const table = await cli('list', '--filter', 'kind=component');
    expect(table.code).toBe(0);
    // Widths: REF 26 (component:default/checkout), TYPE 7, OWNER 12 (group:team-a), LIFECYCLE 12 (experimental).
    expect(table.stdout).toBe(
      [
        'REF                         TYPE     OWNER         LIFECYCLE     TITLE',
        'component:default/cart      service  team-a        production    Shopping cart',
        'component:default/checkout  website  group:team-a  experimental',
        '2 of 2 entities',
        '',
      ].join('\n'),
    );
    const refs = await cli('list', '--filter', 'kind=component', '--filter', 'kind=api', '--format', 'refs');
    expect(refs.stdout).toBe(`${ALL_REFS.slice(0, 4).join('\n')}\n`);
    const all = await cli('list', '--filter', 'metadata.name', '--limit', '2', '--all', '--format', 'refs');
    expect(all.stdout.split('\n').filter((l) => !l.includes('team-b') && !l.includes('bob') && l)).toEqual(ALL_REFS);
    const page = await cli('list', '--filter', 'kind=user,metadata.name=alice', '--filter', 'kind=group,metadata.name=team-a', '--limit', '1');
    expect(page.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 2 entities (more with --all or a larger --limit)');
  });

  it('lists JSON lines with only the requested fields (--fields implies json)', async () => {
    const r = await cli('list', '--filter', 'kind=system', '--fields', 'kind,metadata.name');
    expect(r).toEqual({ code: 0, stdout: '{"kind":"System","metadata":{"name":"shop"}}\n', stderr: '' });
    expect((await cli('list', '--format', 'table', '--fields', 'kind')).code).toBe(2);
  });
});

describe('tarmac catalog commands without a server', () => {
  it('say that Tarmac cannot be reached, and exit 1', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    for (const args of [['get', 'x'], ['list'], ['import', 'x.yaml']]) {
      const r = await runCli(['--url', url, 'catalog', ...args]);
      expect(r).toEqual({ code: 1, stdout: '', stderr: `tarmac: cannot reach Tarmac at ${url} — is it running? (\`npm start\`)\n` });
    }
  });
});
