// Per-kind spec rules: Backstage catalog-model schema/kinds/*.v1alpha1.schema.json (required fields, types), the
// mcp-server API variant, Template (scaffolder.backstage.io/v1beta3), and issue #2 (Location needs target(s)).
import { describe, expect, it } from 'vitest';
import { validateEntity } from './validate.js';

const V1 = 'backstage.io/v1alpha1';

/** A minimal valid entity of each built-in kind. */
const VALID: Record<string, Record<string, unknown>> = {
  Component: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  API: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0' },
  System: { owner: 'team-a' },
  Domain: { owner: 'team-a' },
  Resource: { type: 'database', owner: 'team-a' },
  Group: { type: 'team', children: [] },
  User: { memberOf: [] },
  Location: { target: './a.yaml' },
  Template: { type: 'service', steps: [] },
};
const REQUIRED: Record<string, string[]> = {
  Component: ['type', 'lifecycle', 'owner'],
  API: ['type', 'lifecycle', 'owner', 'definition'],
  System: ['owner'],
  Domain: ['owner'],
  Resource: ['type', 'owner'],
  Group: ['type', 'children'],
  User: ['memberOf'],
  Template: ['type', 'steps'],
};

function entity(kind: string, spec: Record<string, unknown> | undefined, apiVersion?: string): Record<string, unknown> {
  const version = apiVersion ?? (kind === 'Template' ? 'scaffolder.backstage.io/v1beta3' : V1);
  return { apiVersion: version, kind, metadata: { name: 'x' }, ...(spec === undefined ? {} : { spec }) };
}
function paths(raw: unknown): string[] {
  const result = validateEntity(raw);
  return result.ok ? [] : result.issues.map((i) => i.path);
}
function messages(raw: unknown): string[] {
  const result = validateEntity(raw);
  return result.ok ? [] : result.issues.map((i) => i.message);
}

describe('required spec fields per kind', () => {
  it.each(Object.keys(VALID))('accepts a minimal %s', (kind) => {
    expect(paths(entity(kind, VALID[kind]))).toEqual([]);
  });

  it.each(Object.entries(REQUIRED).flatMap(([kind, fields]) => fields.map((f) => [kind, f] as const)))(
    'a %s without spec.%s is invalid',
    (kind, field) => {
      const spec = { ...VALID[kind] };
      delete spec[field];
      expect(paths(entity(kind, spec))).toEqual([`spec.${field}`]);
      expect(messages(entity(kind, spec))).toEqual([`spec.${field} is required`]);
    },
  );

  it('also accepts apiVersion backstage.io/v1beta1', () => {
    expect(paths(entity('Component', VALID.Component, 'backstage.io/v1beta1'))).toEqual([]);
    expect(paths(entity('Component', {}, 'backstage.io/v1beta1'))).toEqual(['spec.type', 'spec.lifecycle', 'spec.owner']);
  });

  it('requires spec itself for the built-in kinds, naming what it needs', () => {
    expect(messages(entity('Component', undefined))).toEqual(['spec is required for kind Component (it needs type, lifecycle, owner)']);
    expect(messages(entity('Location', undefined))).toEqual(['spec is required for kind Location']);
  });

  it('matches kinds case-insensitively', () => {
    expect(paths(entity('component', { type: 'service' }))).toEqual(['spec.lifecycle', 'spec.owner']);
  });

  it('checks only the envelope of other kinds and of built-in kinds with another apiVersion', () => {
    expect(paths(entity('Environment', { whatever: 1 }))).toEqual([]);
    expect(paths(entity('Component', { type: 5 }, 'example.com/v1'))).toEqual([]);
    expect(paths(entity('Template', {}, V1))).toEqual([]);
  });

  it('wants required strings non-empty', () => {
    expect(messages(entity('Component', { ...VALID.Component, type: '', owner: 3 }))).toEqual([
      'spec.type must be a non-empty string, got an empty string',
      'spec.owner must be a non-empty string, got number',
    ]);
  });
});

describe('field types', () => {
  it('wants ref lists to be arrays of non-empty strings', () => {
    const spec = { ...VALID.Component, providesApis: 'petstore', consumesApis: ['a', 5, ''], dependsOn: ['resource:db'] };
    expect(paths(entity('Component', spec))).toEqual(['spec.providesApis', 'spec.consumesApis[1]', 'spec.consumesApis[2]']);
  });

  it('wants single refs to be strings that parse as entity refs', () => {
    const spec = { ...VALID.Component, owner: 'group:', system: ['s'], subcomponentOf: 'a:/b' };
    expect(paths(entity('Component', spec))).toEqual(['spec.owner', 'spec.system', 'spec.subcomponentOf']);
    expect(messages(entity('System', { owner: ':team' }))).toEqual([
      'spec.owner ":team" is not a valid entity ref; expected [<kind>:][<namespace>/]<name> with no empty part',
    ]);
  });

  it('accepts all the ref forms of the Backstage examples', () => {
    const spec = { ...VALID.Component, owner: 'user:guest', dependsOn: ['resource:artists-db', 'default/x', 'y'] };
    expect(paths(entity('Component', spec))).toEqual([]);
    expect(paths(entity('User', { memberOf: ['group:default/team-a'] }))).toEqual([]);
  });

  it('checks Group and User fields', () => {
    expect(paths(entity('Group', { type: 'team', children: 'a', parent: '', members: [1], profile: 'x' }))).toEqual([
      'spec.children',
      'spec.parent',
      'spec.members[0]',
      'spec.profile',
    ]);
    expect(paths(entity('User', { memberOf: [], profile: { displayName: '', email: 'a@b.c', picture: 3 } }))).toEqual([
      'spec.profile.displayName',
      'spec.profile.picture',
    ]);
  });

  it('checks Resource, System, Domain optional refs', () => {
    expect(paths(entity('Resource', { ...VALID.Resource, dependsOn: 'x', dependencyOf: [''], system: 1 }))).toEqual([
      'spec.system',
      'spec.dependsOn',
      'spec.dependencyOf[0]',
    ]);
    expect(paths(entity('System', { owner: 'a', domain: 2 }))).toEqual(['spec.domain']);
    expect(paths(entity('Domain', { owner: 'a', subdomainOf: '' }))).toEqual(['spec.subdomainOf']);
  });

  it('wants Template steps to be an array', () => {
    expect(paths(entity('Template', { type: 'service', steps: {} }))).toEqual(['spec.steps']);
  });
});

describe('API of type mcp-server', () => {
  const mcp = { type: 'mcp-server', lifecycle: 'experimental', owner: 'team-a' };

  it('may give remotes instead of definition', () => {
    expect(paths(entity('API', { ...mcp, remotes: [{ type: 'streamable-http', url: 'http://localhost:7007/api/mcp/v1' }] }))).toEqual([]);
  });

  it('may still give a definition', () => {
    expect(paths(entity('API', { ...mcp, definition: 'tools: []' }))).toEqual([]);
  });

  it('needs one of them', () => {
    expect(messages(entity('API', mcp))).toEqual([
      'spec.definition is required (an API of type mcp-server may give a non-empty spec.remotes list instead)',
    ]);
    expect(paths(entity('API', { ...mcp, remotes: [] }))).toEqual(['spec.definition']);
  });

  it('checks each remote', () => {
    expect(paths(entity('API', { ...mcp, remotes: [{ type: 'sse' }, 'x'] }))).toEqual([
      'spec.remotes[0].url',
      'spec.remotes[1]',
    ]);
    expect(paths(entity('API', { ...mcp, remotes: 'x' }))).toEqual(['spec.remotes', 'spec.definition']);
  });

  it('is the only type for which remotes replace definition', () => {
    const spec = { type: 'openapi', lifecycle: 'production', owner: 'team-a', remotes: [{ type: 'sse', url: 'x' }] };
    expect(paths(entity('API', spec))).toEqual(['spec.definition']);
  });
});

describe('Location', () => {
  it('needs target or targets', () => {
    expect(messages(entity('Location', { type: 'url' }))).toEqual(['spec.target or spec.targets is required']);
    expect(paths(entity('Location', { targets: ['./a.yaml', './b.yaml'], presence: 'optional' }))).toEqual([]);
  });

  it('checks presence and targets', () => {
    expect(paths(entity('Location', { target: '', targets: ['a', 1], presence: 'maybe' }))).toEqual([
      'spec.target',
      'spec.targets[1]',
      'spec.presence',
    ]);
    expect(messages(entity('Location', { target: 'a', presence: 'maybe' }))).toEqual([
      'spec.presence "maybe" must be one of required, optional',
    ]);
  });
});

describe('unresolved placeholders', () => {
  it('satisfy required and string fields', () => {
    const spec = { type: 'openapi', lifecycle: 'production', owner: { $text: './owner.txt' }, definition: { $text: 'https://x/y.yaml' } };
    expect(paths(entity('API', spec))).toEqual([]);
    expect(paths(entity('Component', { ...VALID.Component, providesApis: { $json: './apis.json' }, dependsOn: [{ $text: './d' }] }))).toEqual([]);
  });

  it('satisfy metadata free-text fields but not formatted ones', () => {
    const raw = {
      ...entity('Component', VALID.Component),
      metadata: { name: 'x', description: { $text: './README.md' }, annotations: { a: { $text: './a' } }, tags: [{ $text: './t' }] },
    };
    expect(paths(raw)).toEqual(['metadata.tags[0]']);
  });

  it('do not count when malformed', () => {
    expect(paths(entity('API', { ...VALID.API, definition: { $text: './a', other: 1 } }))).toEqual(['spec.definition']);
  });
});
