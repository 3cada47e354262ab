// The demo catalog in examples/ (Kestrel Mobility) is self-contained: every file parses, every name and tag is
// valid, every relation points at an entity defined there, and all.yaml reaches every file. Read with the `yaml`
// package only (not Tarmac's ingestion), so this test holds the demo to the Backstage rules independently.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');
/** API definitions read through `$text`; they are not entity files. */
const DEFINITIONS = path.join(EXAMPLES, 'apis', 'definitions');
/** Golden-path skeletons (`examples/templates/<name>/skeleton/`) are templated files for new repositories. */
const isSkeleton = (dir: string) => path.basename(dir) === 'skeleton' && path.dirname(path.dirname(dir)) === path.join(EXAMPLES, 'templates');

// What the demo was designed to hold (see examples/README.md).
const EXPECTED_BY_KIND: Record<string, number> = {
  Location: 1,
  Group: 14, // 1 organization + 3 departments + 10 teams
  User: 30, // 3 per team
  Domain: 4,
  System: 10,
  Component: 61,
  API: 18,
  Resource: 12,
  Template: 2, // examples/templates/{typescript,python}-service/template.yaml
};
const EXPECTED_TEAMS = 10;

// Backstage rules (packages/catalog-model: KubernetesValidatorFunctions, DefaultNamespaceEntityPolicy, tags).
const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const TAG_RE = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

interface RawEntity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; tags?: string[]; links?: { url: string }[]; annotations?: Record<string, unknown> };
  spec: Record<string, unknown>;
}
interface Loaded {
  file: string;
  entity: RawEntity;
}

function listYamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return p === DEFINITIONS || isSkeleton(p) ? [] : listYamlFiles(p);
    return /\.ya?ml$/.test(d.name) ? [p] : [];
  });
}

/** `[kind:][namespace/]name` → `kind:namespace/name`, lowercase, with the field's default kind. */
function resolveRef(ref: string, defaultKind: string): string {
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref);
  if (!m) throw new Error(`malformed ref "${ref}"`);
  const [, kind = defaultKind, namespace = 'default', name = ''] = m;
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

function refOf(e: RawEntity): string {
  return `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
}

/** Relation fields and their default target kind, as Backstage's processors read them. */
const REF_FIELDS: [field: string, defaultKind: string][] = [
  ['owner', 'group'],
  ['system', 'system'],
  ['domain', 'domain'],
  ['providesApis', 'api'],
  ['consumesApis', 'api'],
  ['dependsOn', 'component'],
  ['memberOf', 'group'],
  ['parent', 'group'],
  ['children', 'group'],
];

function refsIn(e: RawEntity, field: string): string[] {
  const v = e.spec[field];
  if (v === undefined) return [];
  return Array.isArray(v) ? (v as string[]) : [v as string];
}

const files = listYamlFiles(EXAMPLES);
const loaded: Loaded[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return { file, entity: doc.toJS() as RawEntity };
  }),
);
const byRef = new Map(loaded.map((l) => [refOf(l.entity), l.entity]));
const ofKind = (kind: string) => loaded.map((l) => l.entity).filter((e) => e.kind === kind);

describe('examples/ demo catalog', () => {
  it('holds the designed number of entities of each kind, without duplicates', () => {
    const counts: Record<string, number> = {};
    for (const { entity } of loaded) counts[entity.kind] = (counts[entity.kind] ?? 0) + 1;
    expect(counts).toEqual(EXPECTED_BY_KIND);
    expect(byRef.size).toBe(loaded.length);
    expect(ofKind('Group').filter((g) => g.spec.type === 'team')).toHaveLength(EXPECTED_TEAMS);
    expect(ofKind('Component').length + ofKind('API').length).toBeGreaterThanOrEqual(50);
  });

  it('uses valid envelopes, names, tags and links', () => {
    for (const { file, entity } of loaded) {
      const where = `${path.relative(EXAMPLES, file)} ${refOf(entity)}`;
      expect(Object.keys(entity).sort(), where).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(entity.apiVersion, where).toBe(entity.kind === 'Template' ? 'scaffolder.backstage.io/v1beta3' : 'backstage.io/v1alpha1');
      expect(entity.metadata.name, where).toMatch(NAME_RE);
      expect(entity.metadata.name.length, where).toBeLessThanOrEqual(63);
      for (const tag of entity.metadata.tags ?? []) expect(tag, where).toMatch(TAG_RE);
      for (const link of entity.metadata.links ?? []) expect(() => new URL(link.url), where).not.toThrow();
    }
  });

  it('has the spec fields each kind requires', () => {
    const required: Record<string, string[]> = {
      Component: ['type', 'lifecycle', 'owner'],
      API: ['type', 'lifecycle', 'owner', 'definition'],
      System: ['owner'],
      Domain: ['owner'],
      Resource: ['type', 'owner'],
      Group: ['type', 'children'],
      User: ['memberOf'],
      Template: ['type', 'owner', 'parameters', 'steps'],
    };
    for (const { entity } of loaded) {
      for (const field of required[entity.kind] ?? []) expect(entity.spec[field], `${refOf(entity)} spec.${field}`).toBeDefined();
    }
    for (const user of ofKind('User')) {
      const profile = user.spec.profile as { displayName?: string; email?: string };
      expect(profile.displayName, user.metadata.name).toBeTruthy();
      expect(profile.email, user.metadata.name).toMatch(/^[^@\s]+@[^@\s]+$/);
    }
  });

  it('resolves every relation inside the demo', () => {
    const dangling: string[] = [];
    for (const { entity } of loaded) {
      for (const [field, defaultKind] of REF_FIELDS) {
        for (const ref of refsIn(entity, field)) {
          if (!byRef.has(resolveRef(ref, defaultKind))) dangling.push(`${refOf(entity)} spec.${field}: ${ref}`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });

  it('has a consistent org tree: one root, parent/children agree, every user in a team', () => {
    const groups = ofKind('Group');
    expect(groups.filter((g) => !g.spec.parent).map((g) => g.metadata.name)).toEqual(['kestrel-mobility']);
    for (const g of groups) {
      for (const child of refsIn(g, 'children')) {
        expect(byRef.get(resolveRef(child, 'group'))?.spec.parent, `${child} parent`).toBe(g.metadata.name);
      }
      if (g.spec.parent) {
        const parent = byRef.get(resolveRef(g.spec.parent as string, 'group'));
        expect(refsIn(parent as RawEntity, 'children'), `${String(g.spec.parent)} children`).toContain(g.metadata.name);
      }
    }
    const teams = new Set(groups.filter((g) => g.spec.type === 'team').map((g) => refOf(g)));
    const members = new Map<string, number>();
    for (const u of ofKind('User')) {
      const its = refsIn(u, 'memberOf').map((r) => resolveRef(r, 'group')).filter((r) => teams.has(r));
      expect(its, u.metadata.name).toHaveLength(1);
      members.set(its[0] ?? '', (members.get(its[0] ?? '') ?? 0) + 1);
    }
    for (const team of teams) expect(members.get(team), team).toBe(3);
    // Worked out from examples/org/: Wei Chen works in Vehicle IoT, under Fleet Operations.
    expect(byRef.get('user:default/wei.chen')?.spec.memberOf).toEqual(['vehicle-iot']);
    expect(byRef.get('group:default/vehicle-iot')?.spec.parent).toBe('fleet-operations');
  });

  it('reaches every entity file from all.yaml, and nothing else', () => {
    const reached = new Set<string>();
    const walk = (file: string) => {
      expect(existsSync(file), file).toBe(true);
      reached.add(file);
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const e = doc.toJS() as RawEntity;
        if (e.kind !== 'Location') continue;
        const targets = [...((e.spec.targets as string[] | undefined) ?? []), ...(e.spec.target ? [e.spec.target as string] : [])];
        for (const t of targets) walk(path.resolve(path.dirname(file), t));
      }
    };
    walk(path.join(EXAMPLES, 'all.yaml'));
    expect([...reached].sort()).toEqual([...files].sort());
  });

  it('has a readable definition for every API ($text files exist and parse)', () => {
    for (const { file, entity } of loaded.filter((l) => l.entity.kind === 'API')) {
      const def = entity.spec.definition;
      let text: string;
      if (typeof def === 'string') {
        text = def;
      } else {
        const target = (def as { $text?: string }).$text;
        expect(target, entity.metadata.name).toMatch(/^\.\/definitions\//);
        text = readFileSync(path.resolve(path.dirname(file), target ?? ''), 'utf8');
      }
      expect(text.length, entity.metadata.name).toBeGreaterThan(100);
      if (entity.spec.type === 'openapi') expect((parse(text) as { openapi?: string }).openapi).toMatch(/^3\./);
      if (entity.spec.type === 'asyncapi') expect((parse(text) as { asyncapi?: string }).asyncapi).toMatch(/^2\./);
      if (entity.spec.type === 'grpc') expect(text).toContain('syntax = "proto3";');
      if (entity.spec.type === 'graphql') expect(text).toMatch(/type Query \{/);
    }
  });

  it('versions every golden-path template with a string tarmac.dev/template-version', () => {
    const templates = ofKind('Template');
    expect(templates.map((t) => t.metadata.name).sort()).toEqual(['python-service', 'typescript-service']);
    for (const t of templates) expect(t.metadata.annotations?.['tarmac.dev/template-version'], t.metadata.name).toBe('1');
  });

  it('gives every API a provider and every resource a dependent', () => {
    const provided = new Set(ofKind('Component').flatMap((c) => refsIn(c, 'providesApis').map((r) => resolveRef(r, 'api'))));
    expect(ofKind('API').map(refOf).filter((r) => !provided.has(r))).toEqual([]);
    const used = new Set(ofKind('Component').flatMap((c) => refsIn(c, 'dependsOn').map((r) => resolveRef(r, 'component'))));
    expect(ofKind('Resource').map(refOf).filter((r) => !used.has(r))).toEqual([]);
  });
});
