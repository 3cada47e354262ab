// The template form's pure helpers (web/src/pages/create/): Backstage's inline `ui:` keys split from the schema,
// picker catalog filters, RepoUrlPicker values, entity names, server field errors mapped onto fields, and the
// interpreting schema matcher used for conditional fields under a strict CSP. Expected values are worked out by
// hand from Backstage's documented formats (writing-templates.md: RepoUrlPicker `host?owner=o&repo=r`,
// EntityPicker `catalogFilter`) and the JSON Schema draft-07 rules.
import { describe, expect, it } from 'vitest';
import type { FormValidation } from '@rjsf/utils';
import {
  catalogFilters,
  entityNameProblem,
  parseRepoUrl,
  problemsToErrorSchema,
  serializeRepoUrl,
  splitUiSchema,
  topField,
  validatePickers,
} from '../../web/src/pages/create/picker-logic.js';
import { schemaMatches } from '../../web/src/pages/create/schema-match.js';

describe('splitUiSchema', () => {
  it('moves ui: keys of properties, items and conditional branches into the uiSchema and leaves the input alone', () => {
    const input = {
      title: 'Service',
      required: ['name'],
      properties: {
        name: { type: 'string', 'ui:field': 'EntityNamePicker', 'ui:autofocus': true },
        tags: { type: 'array', items: { type: 'string', 'ui:widget': 'textarea' } },
        lang: { type: 'string', enum: ['ts', 'py'] },
      },
      dependencies: {
        lang: { oneOf: [{ properties: { lang: { const: 'ts' }, strict: { type: 'boolean', 'ui:help': 'tsc --strict' } } }] },
      },
    };
    const before = JSON.stringify(input);
    const { schema, uiSchema } = splitUiSchema(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(uiSchema).toEqual({
      name: { 'ui:field': 'EntityNamePicker', 'ui:autofocus': true },
      tags: { items: { 'ui:widget': 'textarea' } },
      strict: { 'ui:help': 'tsc --strict' },
    });
    expect(schema).toEqual({
      title: 'Service',
      required: ['name'],
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, lang: { type: 'string', enum: ['ts', 'py'] } },
      dependencies: { lang: { oneOf: [{ properties: { lang: { const: 'ts' }, strict: { type: 'boolean' } } }] } },
    });
  });
});

describe('picker helpers', () => {
  it('turns catalogFilter (object or array) and allowedKinds into catalog filter strings', () => {
    expect(catalogFilters({ catalogFilter: { kind: 'Group', 'spec.type': 'team' } }, [])).toEqual(['kind=Group,spec.type=team']);
    expect(catalogFilters({ catalogFilter: [{ kind: ['Group', 'User'] }, { kind: 'System' }] }, [])).toEqual(['kind=Group,kind=User', 'kind=System']);
    expect(catalogFilters({ allowedKinds: ['Component', 'API'] }, ['Group'])).toEqual(['kind=Component,kind=API']);
    expect(catalogFilters({}, ['Group', 'User'])).toEqual(['kind=Group,kind=User']);
    expect(catalogFilters({}, [])).toEqual([]);
  });

  it('reads and writes RepoUrlPicker values', () => {
    expect(parseRepoUrl('github.com?owner=acme&repo=payments')).toEqual({ host: 'github.com', owner: 'acme', repo: 'payments' });
    expect(parseRepoUrl('')).toEqual({ host: '', owner: '', repo: '' });
    expect(serializeRepoUrl({ host: 'localhost', owner: 'team-a', repo: 'my-svc' })).toBe('localhost?owner=team-a&repo=my-svc');
  });

  it('checks entity names as Backstage does (letters, digits, - _ . inside, at most 63)', () => {
    for (const ok of ['a', 'my-svc', 'svc_1.2', 'A9']) expect(entityNameProblem(ok), ok).toBeUndefined();
    for (const bad of ['-a', 'a-', 'has space', 'é', 'x'.repeat(64), '']) expect(entityNameProblem(bad), bad).toBeDefined();
  });

  it('adds the EntityNamePicker check through customValidate, nested objects too', () => {
    const added: string[] = [];
    const handler = (path: string) => ({ addError: (m: string) => added.push(`${path}: ${m}`), __errors: [] as string[] });
    const errors = { name: handler('name'), app: { ...handler('app'), id: handler('app.id') } } as unknown as FormValidation;
    validatePickers({ name: 'bad name', app: { id: 'ok-id' } }, errors, {
      name: { 'ui:field': 'EntityNamePicker' },
      app: { id: { 'ui:field': 'EntityNamePicker' } },
    });
    expect(added).toEqual([`name: ${entityNameProblem('bad name')}`]);
  });

  it('maps server field problems onto the form (dotted and slash paths, root)', () => {
    expect(
      problemsToErrorSchema([
        { path: 'name', message: 'must match pattern' },
        { path: '/repo/owner', message: 'is required' },
        { path: 'repo.owner', message: 'too short' },
        { path: '', message: 'form is wrong' },
      ]),
    ).toEqual({
      name: { __errors: ['must match pattern'] },
      repo: { owner: { __errors: ['is required', 'too short'] } },
      __errors: ['form is wrong'],
    });
    expect(topField('/repo/owner')).toBe('repo');
    expect(topField('name')).toBe('name');
  });
});

describe('schemaMatches (draft-07 subset for branch selection)', () => {
  const branches = [
    { properties: { monitoring: { const: false } } },
    { properties: { monitoring: { const: true }, dashboard: { type: 'string' } }, required: ['monitoring'] },
  ];
  it('picks the oneOf branch a value fits', () => {
    expect(branches.map((b) => schemaMatches(b, { monitoring: true }))).toEqual([false, true]);
    expect(branches.map((b) => schemaMatches(b, { monitoring: false }))).toEqual([true, false]);
    expect(schemaMatches({ oneOf: branches }, { monitoring: true })).toBe(true);
    expect(schemaMatches({ oneOf: [{ type: 'string' }, { type: 'string', minLength: 1 }] }, 'x')).toBe(false);
  });
  it('checks types, bounds, patterns, enums, required and refs', () => {
    expect(schemaMatches({ type: 'integer', minimum: 1024 }, 8080)).toBe(true);
    expect(schemaMatches({ type: 'integer' }, 1.5)).toBe(false);
    expect(schemaMatches({ type: 'integer', minimum: 1024 }, 80)).toBe(false);
    expect(schemaMatches({ type: 'string', pattern: '^[a-z]+$' }, 'abc')).toBe(true);
    expect(schemaMatches({ type: 'string', pattern: '^[a-z]+$' }, 'Abc')).toBe(false);
    expect(schemaMatches({ enum: ['ts', 'py'] }, 'go')).toBe(false);
    expect(schemaMatches({ type: 'object', required: ['a'] }, {})).toBe(false);
    expect(schemaMatches({ type: ['string', 'null'] }, null)).toBe(true);
    const root = { definitions: { port: { type: 'integer', maximum: 65535 } }, properties: { p: { $ref: '#/definitions/port' } } };
    expect(schemaMatches(root, { p: 70000 })).toBe(false);
    expect(schemaMatches(root, { p: 8080 })).toBe(true);
    expect(schemaMatches({ if: { properties: { a: { const: 1 } } }, then: { required: ['b'] } }, { a: 1 })).toBe(false);
    expect(schemaMatches({ not: { type: 'string' } }, 3)).toBe(true);
  });
});
