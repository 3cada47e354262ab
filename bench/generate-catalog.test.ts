// The benchmark's synthetic catalog: right mix, valid entities, resolvable relations, probes that match the files,
// and the same bytes for the same seed. Checked by parsing the files with `yaml`, not with the generator's counters.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { generateCatalog } from './generate-catalog.js';

interface Raw {
  kind: string;
  metadata: { name: string; tags?: string[] };
  spec: Record<string, unknown>;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tarmac-gen-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 2500;
const generated = generateCatalog(path.join(tmp, 'a'), N, 7);
const entities: Raw[] = generated.files.flatMap((f) =>
  parseAllDocuments(readFileSync(f, 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Raw;
  }),
);
const refOf = (kind: string, name: string) => `${kind}:default/${name}`.toLowerCase();
const refs = new Set(entities.map((e) => refOf(e.kind, e.metadata.name)));
const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);
/** `[kind:]name` with the field's default kind → full lowercase ref (the generator never writes namespaces). */
const resolve = (ref: string, defaultKind: string) => (ref.includes(':') ? `${ref.replace(':', ':default/')}`.toLowerCase() : refOf(defaultKind, ref));

describe('generateCatalog', () => {
  it('writes the issue mix: 60 % Component, 10 % API, 10 % System, 5 % Domain, 10 % Group, 5 % User', () => {
    const counts: Record<string, number> = {};
    for (const e of entities) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    // 2,500 × shares, worked out by hand.
    expect(counts).toEqual({ Component: 1500, API: 250, System: 250, Domain: 125, Group: 250, User: 125 });
    expect(generated.countsByKind).toEqual(counts);
    expect(entities).toHaveLength(N);
    expect(refs.size).toBe(N);
  });

  it('splits into files of 1,000 entities listed by the root Location', () => {
    expect(generated.files.map((f) => path.basename(f))).toEqual(['entities-0001.yaml', 'entities-0002.yaml', 'entities-0003.yaml']);
    const root = parseAllDocuments(readFileSync(generated.rootFile, 'utf8')).map((d) => d.toJS() as Raw);
    expect(root).toHaveLength(1);
    expect(root[0]?.kind).toBe('Location');
    expect(root[0]?.spec.targets).toEqual(['./entities-0001.yaml', './entities-0002.yaml', './entities-0003.yaml']);
  });

  it('writes only valid names and tags, and relations that resolve', () => {
    const defaults: Record<string, string> = {
      owner: 'group', system: 'system', domain: 'domain', providesApis: 'api', consumesApis: 'api',
      dependsOn: 'component', memberOf: 'group', parent: 'group', children: 'group',
    };
    for (const e of entities) {
      expect(e.metadata.name).toMatch(/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/);
      for (const t of e.metadata.tags ?? []) expect(t).toMatch(/^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/);
      for (const [field, kind] of Object.entries(defaults)) {
        for (const r of asList(e.spec[field])) expect(refs.has(resolve(r, kind)), `${e.metadata.name} ${field} ${r}`).toBe(true);
      }
    }
    const apis = entities.filter((e) => e.kind === 'API').map((e) => e.metadata.name);
    const provided = new Set(entities.flatMap((e) => asList(e.spec.providesApis)));
    expect(apis.filter((a) => !provided.has(a))).toEqual([]);
  });

  it('gives probes whose expected counts match the files', () => {
    const count = (pred: (e: Raw) => boolean) => entities.filter(pred).length;
    for (const p of generated.probes) {
      const [, type, ref] = /^relations\.(\w+)=(.+)$/.exec(p.filter) ?? [];
      const name = ref?.split('/')[1] ?? '';
      const actual =
        type === 'ownedby' ? count((e) => e.spec.owner === name)
        : type === 'partof' ? count((e) => (e.kind === 'Component' || e.kind === 'API') && e.spec.system === name)
        : type === 'memberof' ? count((e) => asList(e.spec.memberOf).includes(name))
        : type === 'hasmember' ? count((e) => e.kind === 'Group' && entities.some((u) => u.metadata.name === name && asList(u.spec.memberOf).includes(e.metadata.name)))
        : -1;
      expect(actual, p.label).toBe(p.expected);
      expect(p.expected, p.label).toBeGreaterThan(0);
    }
  });

  it('is deterministic for a seed', () => {
    const again = generateCatalog(path.join(tmp, 'b'), N, 7);
    for (const [i, f] of generated.files.entries()) expect(readFileSync(again.files[i] ?? '', 'utf8')).toBe(readFileSync(f, 'utf8'));
    expect(again.probes).toEqual(generated.probes);
  });
});
