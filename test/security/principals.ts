import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TarmacConfig } from '../../src/core/config.js';
import { withOidcDefaults } from '../../src/core/config-sections.js';
import type { TestTarmac } from '../helpers/tarmac.js';

/**
 * The people of the security tests (catalog below): `root` is admin (config role), `vera` viewer (config role,
 * under the read rule), `jane` (team-a) and `bob` (team-b) members (the default role).
 */
export const PEOPLE = ['root', 'vera', 'jane', 'bob'] as const;
/** One of the test people. */
export type Person = (typeof PEOPLE)[number];

const doc = (kind: string, name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, ...metadata }, spec });

/**
 * Writes the security catalog to a temp folder: groups team-a/team-b/platform, the four users, components
 * `svc-a` (team-a, label tier=public), `svc-b` (team-b, tier=internal), `secret-b` (team-b, no label), API `api-b`
 * (team-b), and template `restricted` (team-b, `tarmac.dev/allowed-runners: owner`).
 * @returns the file path (a `file` location)
 */
export function writeSecurityCatalog(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-security-'));
  const file = path.join(dir, 'catalog-info.yaml');
  const docs = [
    doc('Group', 'team-a', { type: 'team', children: [] }),
    doc('Group', 'team-b', { type: 'team', children: [] }),
    doc('Group', 'platform', { type: 'team', children: [] }),
    doc('User', 'root', { memberOf: ['platform'] }),
    doc('User', 'vera', { memberOf: [] }),
    doc('User', 'jane', { memberOf: ['team-a'] }),
    doc('User', 'bob', { memberOf: ['team-b'] }),
    doc('Component', 'svc-a', { type: 'service', lifecycle: 'production', owner: 'team-a' }, { labels: { tier: 'public' } }),
    doc('Component', 'svc-b', { type: 'service', lifecycle: 'production', owner: 'team-b' }, { labels: { tier: 'internal' } }),
    doc('Component', 'secret-b', { type: 'website', lifecycle: 'experimental', owner: 'team-b' }, { description: 'hidden thing' }),
    doc('API', 'api-b', { type: 'openapi', lifecycle: 'production', owner: 'team-b', definition: 'openapi: 3.0.0' }),
    JSON.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'restricted', annotations: { 'tarmac.dev/allowed-runners': 'owner' } },
      spec: { owner: 'team-b', type: 'service', parameters: [], steps: [] },
    }),
  ];
  writeFileSync(file, docs.join('\n---\n'));
  return file;
}

/**
 * Config of the security tests: sign-in through a dummy OIDC issuer (never contacted: discovery is lazy), admin
 * `root`, viewer `vera`, members by default, and a read rule: viewers read only entities labelled `tier: public`.
 */
export function securityConfig(c: TarmacConfig): void {
  c.auth = {
    ...c.auth,
    oidc: withOidcDefaults({ issuer: 'http://127.0.0.1:9/dummy-issuer', clientId: 'tarmac', allowInsecureIssuer: true }),
    defaultRole: 'member',
    roles: [
      { role: 'admin', members: ['user:default/root'] },
      { role: 'viewer', members: ['user:default/vera'] },
    ],
    readRules: [{ subjects: ['role:viewer'], allow: [{ labels: { tier: 'public' } }] }],
  };
}

/** An API token for `person` (all scopes unless given), made through the auth service as the CLI would. */
export async function tokenFor(t: TestTarmac, person: Person, opts: { scopes?: string[]; ownedOnly?: boolean } = {}): Promise<string> {
  const created = await t.auth.createToken({
    userRef: `user:default/${person}`,
    name: `security test ${person}`,
    scopes: opts.scopes ?? ['*'],
    ownedOnly: opts.ownedOnly,
    createdBy: `user:default/${person}`,
  });
  return created.token;
}

/** Tokens of every person, by name. */
export async function tokensOf(t: TestTarmac): Promise<Record<Person, string>> {
  const out = {} as Record<Person, string>;
  for (const p of PEOPLE) out[p] = await tokenFor(t, p);
  return out;
}

/** fetch with an optional bearer token and JSON body; returns status and parsed body. */
export async function call<T = unknown>(
  t: TestTarmac,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}${url}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics, portal files)
  }
  return { status: res.status, body: body as T, headers: res.headers };
}
