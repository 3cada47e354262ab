// Relations per Backstage BuiltinKindsEntityProcessor, both directions. Expected rows were worked out by reading the
// example files in ../shared/catalogs/backstage-examples/ (see each test's comment).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity } from './entity.js';
import { computeRelations } from './relations.js';
import { validateEntity } from './validate.js';
import { parseYamlDocuments } from './yaml.js';
import type { RelationRow } from '../storage/types.js';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/catalogs/backstage-examples');

/** The validated entities of one example file. */
function load(file: string): Entity[] {
  const { documents, errors } = parseYamlDocuments(readFileSync(path.join(EXAMPLES, file), 'utf8'));
  expect(errors).toEqual([]);
  return documents.map((d) => {
    const result = validateEntity(d.value);
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.issues)}`);
    return result.entity;
  });
}
const one = (file: string): Entity => load(file)[0] as Entity;
const row = (sourceRef: string, type: RelationRow['type'], targetRef: string): RelationRow => ({ sourceRef, type, targetRef });
const sorted = (rows: RelationRow[]): string[] => rows.map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`).sort();

describe('computeRelations on the Backstage examples', () => {
  it('components/artist-lookup: owner team-a, system artist-engagement-portal, dependsOn resource:artists-db', () => {
    const self = 'component:default/artist-lookup';
    expect(computeRelations(one('components/artist-lookup-component.yaml'))).toEqual([
      row(self, 'ownedBy', 'group:default/team-a'),
      row('group:default/team-a', 'ownerOf', self),
      row(self, 'partOf', 'system:default/artist-engagement-portal'),
      row('system:default/artist-engagement-portal', 'hasPart', self),
      row(self, 'dependsOn', 'resource:default/artists-db'),
      row('resource:default/artists-db', 'dependencyOf', self),
    ]);
  });

  it('components/petstore: owner team-c, providesApis petstore, streetlights, hello-world', () => {
    const self = 'component:default/petstore';
    const apis = ['petstore', 'streetlights', 'hello-world'].map((n) => `api:default/${n}`);
    expect(sorted(computeRelations(one('components/petstore-component.yaml')))).toEqual(
      [
        `${self} ownedBy group:default/team-c`,
        `group:default/team-c ownerOf ${self}`,
        ...apis.flatMap((api) => [`${self} providesApi ${api}`, `${api} apiProvidedBy ${self}`]),
      ].sort(),
    );
  });

  it('components/wayback-search: provides wayback-search, consumes wayback-archive', () => {
    const self = 'component:default/wayback-search';
    expect(sorted(computeRelations(one('components/wayback-search-component.yaml')))).toEqual(
      [
        `${self} ownedBy group:default/team-a`,
        `group:default/team-a ownerOf ${self}`,
        `${self} providesApi api:default/wayback-search`,
        `api:default/wayback-search apiProvidedBy ${self}`,
        `${self} consumesApi api:default/wayback-archive`,
        `api:default/wayback-archive apiConsumedBy ${self}`,
      ].sort(),
    );
  });

  it('acme/backstage-group: parent infrastructure, children team-a and team-b', () => {
    const self = 'group:default/backstage';
    expect(computeRelations(one('acme/backstage-group.yaml'))).toEqual([
      row(self, 'childOf', 'group:default/infrastructure'),
      row('group:default/infrastructure', 'parentOf', self),
      row(self, 'parentOf', 'group:default/team-a'),
      row('group:default/team-a', 'childOf', self),
      row(self, 'parentOf', 'group:default/team-b'),
      row('group:default/team-b', 'childOf', self),
    ]);
  });

  it('acme/team-a-group: the guest in namespace development is a member of group:default/team-a', () => {
    const entities = load('acme/team-a-group.yaml');
    const guests = entities.filter((e) => e.metadata.name === 'guest');
    expect(guests.map((g) => computeRelations(g))).toEqual([
      [row('user:default/guest', 'memberOf', 'group:default/team-a'), row('group:default/team-a', 'hasMember', 'user:default/guest')],
      [
        row('user:development/guest', 'memberOf', 'group:default/team-a'),
        row('group:default/team-a', 'hasMember', 'user:development/guest'),
      ],
    ]);
    // The group itself: parent backstage, no children (children: []).
    expect(computeRelations(entities[0] as Entity)).toEqual([
      row('group:default/team-a', 'childOf', 'group:default/backstage'),
      row('group:default/backstage', 'parentOf', 'group:default/team-a'),
    ]);
  });

  it('domains: playback is owned by user:frank.tiernan; artists is a subdomain of audio', () => {
    expect(computeRelations(one('domains/playback-domain.yaml'))).toEqual([
      row('domain:default/playback', 'ownedBy', 'user:default/frank.tiernan'),
      row('user:default/frank.tiernan', 'ownerOf', 'domain:default/playback'),
    ]);
    expect(computeRelations(one('domains/artists-domain.yaml'))).toEqual([
      row('domain:default/artists', 'ownedBy', 'group:default/team-a'),
      row('group:default/team-a', 'ownerOf', 'domain:default/artists'),
      row('domain:default/artists', 'partOf', 'domain:default/audio'),
      row('domain:default/audio', 'hasPart', 'domain:default/artists'),
    ]);
  });

  it('systems/podcast (owner team-b, domain playback) and resources/artists-db (owner team-a, system)', () => {
    expect(computeRelations(one('systems/podcast-system.yaml'))).toEqual([
      row('system:default/podcast', 'ownedBy', 'group:default/team-b'),
      row('group:default/team-b', 'ownerOf', 'system:default/podcast'),
      row('system:default/podcast', 'partOf', 'domain:default/playback'),
      row('domain:default/playback', 'hasPart', 'system:default/podcast'),
    ]);
    expect(computeRelations(one('resources/artists-db-resource.yaml'))).toEqual([
      row('resource:default/artists-db', 'ownedBy', 'group:default/team-a'),
      row('group:default/team-a', 'ownerOf', 'resource:default/artists-db'),
      row('resource:default/artists-db', 'partOf', 'system:default/artist-engagement-portal'),
      row('system:default/artist-engagement-portal', 'hasPart', 'resource:default/artists-db'),
    ]);
  });

  it('Location entities have no relations', () => {
    expect(computeRelations(one('all.yaml'))).toEqual([]);
  });
});

function make(kind: string, spec: Record<string, unknown>, namespace?: string): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'Self', ...(namespace ? { namespace } : {}) }, spec };
}

describe('computeRelations rules', () => {
  it('defaults the target namespace to the entity own namespace, lowercases everything', () => {
    expect(computeRelations(make('Component', { owner: 'Team-A', system: 'system:Other/Sys' }, 'Dev'))).toEqual([
      row('component:dev/self', 'ownedBy', 'group:dev/team-a'),
      row('group:dev/team-a', 'ownerOf', 'component:dev/self'),
      row('component:dev/self', 'partOf', 'system:other/sys'),
      row('system:other/sys', 'hasPart', 'component:dev/self'),
    ]);
  });

  it('covers subcomponentOf, dependencyOf (Component) and members (Group), memberOf (User), owner (Template), system (API)', () => {
    expect(computeRelations(make('Component', { subcomponentOf: 'parent-c', dependencyOf: ['c2'] }))).toEqual([
      row('component:default/self', 'partOf', 'component:default/parent-c'),
      row('component:default/parent-c', 'hasPart', 'component:default/self'),
      row('component:default/self', 'dependencyOf', 'component:default/c2'),
      row('component:default/c2', 'dependsOn', 'component:default/self'),
    ]);
    expect(sorted(computeRelations(make('Group', { members: ['jdoe'] })))).toEqual([
      'group:default/self hasMember user:default/jdoe',
      'user:default/jdoe memberOf group:default/self',
    ]);
    expect(sorted(computeRelations(make('User', { memberOf: ['g1'] })))).toEqual([
      'group:default/g1 hasMember user:default/self',
      'user:default/self memberOf group:default/g1',
    ]);
    const template = { ...make('Template', { owner: 'user:guest', steps: [] }), apiVersion: 'scaffolder.backstage.io/v1beta3' };
    expect(sorted(computeRelations(template))).toEqual([
      'template:default/self ownedBy user:default/guest',
      'user:default/guest ownerOf template:default/self',
    ]);
    expect(sorted(computeRelations(make('API', { owner: 'g', system: 's', definition: 'x' })))).toEqual([
      'api:default/self ownedBy group:default/g',
      'api:default/self partOf system:default/s',
      'group:default/g ownerOf api:default/self',
      'system:default/s hasPart api:default/self',
    ]);
  });

  it('gives Resource dependsOn/dependencyOf with Component as the default kind', () => {
    expect(sorted(computeRelations(make('Resource', { dependsOn: ['resource:db'], dependencyOf: ['svc'] })))).toEqual([
      'component:default/svc dependsOn resource:default/self',
      'resource:default/db dependencyOf resource:default/self',
      'resource:default/self dependencyOf component:default/svc',
      'resource:default/self dependsOn resource:default/db',
    ]);
  });

  it('deduplicates identical rows (refs compare case-insensitively)', () => {
    expect(computeRelations(make('Component', { dependsOn: ['x', 'X', 'component:default/x'] }))).toEqual([
      row('component:default/self', 'dependsOn', 'component:default/x'),
      row('component:default/x', 'dependencyOf', 'component:default/self'),
    ]);
  });

  it('skips placeholders, non-strings and refs that do not parse', () => {
    const spec = { owner: { $text: './owner' }, system: 5, dependsOn: ['', 'group:', ':x', 'ok'], providesApis: 'not-a-list-but-a-ref' };
    expect(sorted(computeRelations(make('Component', spec)))).toEqual([
      'api:default/not-a-list-but-a-ref apiProvidedBy component:default/self',
      'component:default/ok dependencyOf component:default/self',
      'component:default/self dependsOn component:default/ok',
      'component:default/self providesApi api:default/not-a-list-but-a-ref',
    ]);
  });

  it('gives nothing for other kinds, missing spec, or Location', () => {
    expect(computeRelations(make('Environment', { owner: 'team-a' }))).toEqual([]);
    expect(computeRelations({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'a' } })).toEqual([]);
    expect(computeRelations(make('Location', { target: './x.yaml' }))).toEqual([]);
  });
});
