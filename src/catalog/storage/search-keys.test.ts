import { describe, expect, it } from 'vitest';
import type { Entity } from '../model/entity.js';
import { entityHash, storedEntity } from './hash.js';
import { buildSearchKeys, searchDocVector } from './search-keys.js';
import { pe } from './testing/fixtures.js';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'Web',
    namespace: 'default',
    uid: 'u-1',
    etag: 'e-1',
    title: 'Web Shop',
    annotations: { 'Backstage.io/Source': 'URL:x' },
    tags: ['Java', 'react'],
    links: [{ url: 'https://a', type: 'docs' }],
    description: 'd'.repeat(201),
  },
  spec: { type: 'website', owner: null, replicas: 3, public: true, empty: [] },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/a' }],
};

describe('buildSearchKeys', () => {
  // Expected keys worked out from docs/catalog-design.md "Search keys" and the compact form in search-keys.ts.
  it('indexes lowercase path=value for leaves, through arrays, skipping columns and output fields', () => {
    expect(buildSearchKeys(entity).sort()).toEqual(
      [
        'apiversion=backstage.io/v1alpha1',
        'metadata.title=web shop',
        'metadata.annotations.backstage.io/source=url:x',
        'metadata.tags=java',
        'metadata.tags=react',
        'metadata.links.url=https://a',
        'metadata.links.type=docs',
        'metadata.description', // longer than 200: path only
        'spec.type=website',
        'spec.owner', // null: path only
        'spec.replicas=3',
        'spec.public=true',
      ].sort(),
    );
  });

  it('never puts the transport separator U+001F in a key', () => {
    const keys = buildSearchKeys({ ...entity, spec: { note: 'a\u001fb' } });
    expect(keys).toContain('spec.note=a b');
  });
});

describe('searchDocVector', () => {
  it('weights name and title A, tags and owner B, description C; compounds whole and by part', () => {
    const v = searchDocVector({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'payments-api', title: 'Pay', tags: ['java'], description: "It's payments" },
      spec: { owner: 'team-a' },
    });
    // A: payments-api(1) payments(2) api(3) pay(4); B: java(5) team-a(6) team(7) a(8); C: it(9) s(10) payments(11)
    expect(v).toBe("'payments-api':1A 'payments':2A,11C 'api':3A 'pay':4A 'java':5B 'team-a':6B 'team':7B 'a':8B 'it':9C 's':10C");
  });
});

describe('storedEntity and entityHash', () => {
  it('drops server-set and output-only fields and NUL characters', () => {
    const { entity: stored, json } = storedEntity({ ...entity, metadata: { ...entity.metadata, description: 'a\u0000b' } });
    expect(stored.metadata.uid).toBeUndefined();
    expect(stored.metadata.etag).toBeUndefined();
    expect(stored.relations).toBeUndefined();
    expect(stored.metadata.description).toBe('ab');
    expect(json).not.toContain('\\u0000');
  });

  it('changes when the entity, its relations, errors or source change, and only then', () => {
    const base = pe('Component', 'a', { spec: { type: 'x' } });
    const hash = (x: typeof base): string => entityHash(x, storedEntity(x.entity).json);
    expect(hash(base)).toBe(hash(pe('Component', 'a', { spec: { type: 'x' } })));
    expect(hash(base)).not.toBe(hash(pe('Component', 'a', { spec: { type: 'y' } })));
    expect(hash(base)).not.toBe(hash({ ...base, relations: [{ sourceRef: base.ref, type: 'ownedBy', targetRef: 'group:default/g' }] }));
    expect(hash(base)).not.toBe(hash({ ...base, errors: [{ code: 'placeholder', message: 'm' }] }));
    expect(hash(base)).not.toBe(hash({ ...base, source: { ...base.source, line: 9 } }));
  });
});
