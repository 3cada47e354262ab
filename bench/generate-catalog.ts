// Synthetic catalog for `npm run bench:catalog`: N entities in the mix the issue asks for, with every kind of
// relation the catalog computes, written as multi-document YAML files listed by one root Location.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom, type Random } from './lib/random.js';

/** Share of each kind in the generated catalog (issue 2, "Speed"); Component takes the rounding remainder. */
export const KIND_MIX = { Component: 0.6, API: 0.1, System: 0.1, Domain: 0.05, Group: 0.1, User: 0.05 } as const;

/** A kind the generator writes (Location is only the root file). */
export type GeneratedKind = keyof typeof KIND_MIX;

/** Entities per YAML file (the last file takes the remainder). */
export const ENTITIES_PER_FILE = 1000;

/** Smallest catalog the generator writes: enough for at least one entity of each kind. */
export const MIN_ENTITIES = 20;

/** A relation-based query whose answer is known from the generated files, to tell when ingestion is complete. */
export interface RelationProbe {
  /** What it checks, for the report (e.g. `ownedBy group:default/group-0042`). */
  label: string;
  /** Value of one `filter` query parameter, Backstage syntax (e.g. `relations.ownedby=group:default/group-0042`). */
  filter: string;
  /** Number of entities that must match once all N are in. */
  expected: number;
}

/** What `generateCatalog` wrote. */
export interface GeneratedCatalog {
  /** Absolute path of the root Location file (`<dir>/catalog.yaml`) to pass to `tarmac start --location`. */
  rootFile: string;
  /** Absolute paths of the entity files, in the order the root Location lists them. */
  files: string[];
  /** Entities written, the root Location excluded (= the requested N). */
  total: number;
  /** Entities written per kind; the values add up to `total`. */
  countsByKind: Record<GeneratedKind, number>;
  /** Location entities in the files (the root `catalog.yaml` holds one). */
  locationEntities: number;
  /** Relation queries that return `expected` only once the last file's entities and relations are stored. */
  probes: RelationProbe[];
  /** Names (namespace `default`) of every Component, for `by-name` lookups. */
  componentNames: string[];
  /** Total size of the YAML written, in bytes. */
  bytes: number;
  /** Seed used; the same `n` and seed always give byte-identical files. */
  seed: number;
}

const TAGS = [
  'java', 'kotlin', 'go', 'typescript', 'python', 'rust', 'scala', 'postgres', 'kafka', 'grpc', 'graphql', 'rest',
  'payments', 'search', 'checkout', 'mobile', 'web', 'ml', 'pci', 'gdpr', 'batch', 'streaming', 'internal', 'edge',
] as const;
const COMPONENT_TYPES = ['service', 'service', 'service', 'service', 'website', 'library', 'data-pipeline'] as const;
const LIFECYCLES = ['production', 'production', 'production', 'production', 'production', 'production', 'production',
  'experimental', 'experimental', 'deprecated'] as const;
const API_TYPES = ['openapi', 'asyncapi', 'grpc', 'graphql'] as const;
const VERBS = ['Serves', 'Computes', 'Indexes', 'Stores', 'Publishes', 'Validates', 'Aggregates', 'Routes', 'Renders', 'Schedules'];
const THINGS = ['orders', 'invoices', 'shipments', 'user profiles', 'search results', 'price quotes', 'inventory levels',
  'notifications', 'audit events', 'payment attempts', 'recommendations', 'feature flags'];
const AUDIENCES = ['the storefront', 'partner integrations', 'the mobile apps', 'back-office tools', 'the data platform',
  'other services', 'finance reporting', 'support agents'];

/** Counts per kind for `n` entities: `floor(n × share)` (at least 1) and Component takes what is left. */
export function kindCounts(n: number): Record<GeneratedKind, number> {
  const counts = { Component: 0, API: 0, System: 0, Domain: 0, Group: 0, User: 0 };
  let rest = n;
  for (const kind of ['API', 'System', 'Domain', 'Group', 'User'] as const) {
    counts[kind] = Math.max(1, Math.floor(n * KIND_MIX[kind]));
    rest -= counts[kind];
  }
  counts.Component = rest;
  return counts;
}

const q = (s: string): string => JSON.stringify(s); // a JSON string is a valid double-quoted YAML scalar
const list = (items: string[]): string => `[${items.join(', ')}]`;

function description(rnd: Random): string {
  return `${rnd.pick(VERBS)} ${rnd.pick(THINGS)} for ${rnd.pick(AUDIENCES)}.`;
}

function apiDefinition(type: (typeof API_TYPES)[number], name: string): string {
  switch (type) {
    case 'openapi':
      return `openapi: 3.0.3\n    info: { title: ${name}, version: 1.0.0 }\n    paths:\n      /items: { get: { responses: { "200": { description: OK } } } }`;
    case 'asyncapi':
      return `asyncapi: 2.6.0\n    info: { title: ${name}, version: 1.0.0 }\n    channels:\n      ${name}.events: { subscribe: { message: { payload: { type: object } } } }`;
    case 'grpc':
      return `syntax = "proto3";\n    service Items { rpc Get(GetRequest) returns (Item); }\n    message GetRequest { string id = 1; }\n    message Item { string id = 1; string name = 2; }`;
    case 'graphql':
      return `type Query { item(id: ID!): Item }\n    type Item { id: ID! name: String! }`;
  }
}

/**
 * Writes a synthetic catalog of `n` entities into `dir` (created if missing): `entities-0001.yaml` … with
 * `ENTITIES_PER_FILE` entities each, in kind order Group, User, Domain, System, API, Component, and the root
 * `catalog.yaml` (one Location whose `targets` list those files). Relations: Groups form a tree (10 children per
 * group, `parent` and `children` both declared); each User is `memberOf` one group; Domains, Systems, APIs and
 * Components have a group `owner`; Systems have a `domain`; APIs and Components a `system`; the first A components
 * provide one API each (so every API has a provider), components consume 0–3 APIs and half depend on an earlier one.
 * Deterministic for a given `n` and `seed`.
 * @throws Error when `n` is not an integer ≥ MIN_ENTITIES
 */
export function generateCatalog(dir: string, n: number, seed = 42): GeneratedCatalog {
  if (!Number.isInteger(n) || n < MIN_ENTITIES) throw new Error(`entities must be an integer ≥ ${MIN_ENTITIES}, got ${n}`);
  const rnd = seededRandom(seed);
  const counts = kindCounts(n);
  const width = String(n).length;
  const id = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(width, '0')}`;
  const group = (i: number) => id('group', i);
  const BRANCHING = 10;

  const ownerCounts = new Map<string, number>();
  const systemParts = new Map<string, number>();
  const groupMembers = new Map<string, number>();
  const pickOwner = (): string => {
    const g = group(rnd.int(counts.Group));
    ownerCounts.set(g, (ownerCounts.get(g) ?? 0) + 1);
    return g;
  };
  const pickSystem = (): string => {
    const s = id('system', rnd.int(counts.System));
    systemParts.set(s, (systemParts.get(s) ?? 0) + 1);
    return s;
  };

  const docs: string[] = [];
  for (let i = 0; i < counts.Group; i++) {
    const children: string[] = [];
    for (let c = i * BRANCHING + 1; c <= i * BRANCHING + BRANCHING && c < counts.Group; c++) children.push(group(c));
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${group(i)}
  description: ${q(i === 0 ? 'The whole company' : `Team ${i}: ${rnd.pick(THINGS)}`)}
spec:
  type: ${i === 0 ? 'organization' : children.length ? 'department' : 'team'}
  profile:
    displayName: ${q(`Group ${i}`)}
    email: ${group(i)}@example.com
${i === 0 ? '' : `  parent: ${group(Math.floor((i - 1) / BRANCHING))}\n`}  children: ${list(children)}
`);
  }
  let lastUser = '';
  let lastUserGroup = '';
  for (let i = 0; i < counts.User; i++) {
    const g = group(rnd.int(counts.Group));
    groupMembers.set(g, (groupMembers.get(g) ?? 0) + 1);
    lastUser = id('user', i);
    lastUserGroup = g;
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${lastUser}
spec:
  profile:
    displayName: ${q(`User ${i}`)}
    email: ${lastUser}@example.com
  memberOf: [${g}]
`);
  }
  for (let i = 0; i < counts.Domain; i++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: ${id('domain', i)}
  description: ${q(`Everything about ${rnd.pick(THINGS)}.`)}
spec:
  owner: ${pickOwner()}
`);
  }
  for (let i = 0; i < counts.System; i++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: ${id('system', i)}
  description: ${q(description(rnd))}
spec:
  owner: ${pickOwner()}
  domain: ${id('domain', rnd.int(counts.Domain))}
`);
  }
  for (let i = 0; i < counts.API; i++) {
    const type = API_TYPES[i % API_TYPES.length] ?? 'openapi';
    const name = id('api', i);
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}
  description: ${q(description(rnd))}
  tags: ${list(rnd.distinct(TAGS.length, 2).map((t) => TAGS[t] ?? 'rest'))}
spec:
  type: ${type}
  lifecycle: ${rnd.pick(LIFECYCLES)}
  owner: ${pickOwner()}
  system: ${pickSystem()}
  definition: |
    ${apiDefinition(type, name)}
`);
  }
  const componentNames: string[] = [];
  let lastOwner = '';
  let lastSystem = '';
  for (let i = 0; i < counts.Component; i++) {
    const name = id('component', i);
    componentNames.push(name);
    lastOwner = pickOwner();
    lastSystem = pickSystem();
    const lines = [
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: ${q(description(rnd))}
  tags: ${list(rnd.distinct(TAGS.length, 2).map((t) => TAGS[t] ?? 'internal'))}
  annotations:
    github.com/project-slug: example-org/${name}
spec:
  type: ${rnd.pick(COMPONENT_TYPES)}
  lifecycle: ${rnd.pick(LIFECYCLES)}
  owner: ${lastOwner}
  system: ${lastSystem}
`,
    ];
    if (i < counts.API) lines.push(`  providesApis: [${id('api', i)}]\n`);
    const consumes = rnd.distinct(counts.API, rnd.int(4)).map((a) => id('api', a));
    if (consumes.length) lines.push(`  consumesApis: ${list(consumes)}\n`);
    if (i > 0 && rnd.next() < 0.5) lines.push(`  dependsOn: [component:${id('component', rnd.int(i))}]\n`);
    docs.push(lines.join(''));
  }

  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  for (let start = 0, f = 1; start < docs.length; start += ENTITIES_PER_FILE, f++) {
    const file = path.join(path.resolve(dir), `entities-${String(f).padStart(4, '0')}.yaml`);
    const text = docs.slice(start, start + ENTITIES_PER_FILE).join('---\n');
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    files.push(file);
  }
  const rootFile = path.join(path.resolve(dir), 'catalog.yaml');
  const root = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: bench-catalog
  description: ${q(`Synthetic catalog of ${n} entities (seed ${seed})`)}
spec:
  targets:
${files.map((f) => `    - ./${path.basename(f)}\n`).join('')}`;
  writeFileSync(rootFile, root);
  bytes += Buffer.byteLength(root);

  return {
    rootFile,
    files,
    total: n,
    countsByKind: counts,
    locationEntities: 1,
    probes: [
      { label: `ownedBy group:default/${lastOwner}`, filter: `relations.ownedby=group:default/${lastOwner}`, expected: ownerCounts.get(lastOwner) ?? 0 },
      { label: `partOf system:default/${lastSystem}`, filter: `relations.partof=system:default/${lastSystem}`, expected: systemParts.get(lastSystem) ?? 0 },
      { label: `hasMember user:default/${lastUser}`, filter: `relations.hasmember=user:default/${lastUser}`, expected: 1 },
      { label: `memberOf group:default/${lastUserGroup}`, filter: `relations.memberof=group:default/${lastUserGroup}`, expected: groupMembers.get(lastUserGroup) ?? 0 },
    ],
    componentNames,
    bytes,
    seed,
  };
}
