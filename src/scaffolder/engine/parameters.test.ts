/** validateParameters: pages, required, patterns, formats, dependencies and if/then, with `ui:*` keys ignored. */
import { describe, expect, it } from 'vitest';
import { TarmacError } from '../../core/errors.js';
import type { TemplateEntity } from '../types.js';
import { validateParameters, withParameterDefaults } from './index.js';

const template = (parameters: unknown): TemplateEntity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 't' },
  spec: { parameters: parameters as TemplateEntity['spec']['parameters'], steps: [] },
});

const pages = template([
  {
    title: 'Basics',
    required: ['name', 'owner'],
    properties: {
      name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', 'ui:autofocus': true, 'ui:field': 'EntityNamePicker' },
      owner: { type: 'string', 'ui:field': 'OwnerPicker', 'ui:options': { allowedKinds: ['Group'] } },
      email: { type: 'string', format: 'email' },
      lombok: { type: 'boolean', default: false },
    },
  },
  {
    title: 'Location',
    required: ['repoUrl'],
    properties: { repoUrl: { type: 'string', 'ui:field': 'RepoUrlPicker' }, database: { type: 'boolean' }, dbName: { type: 'string' } },
    dependencies: { database: { required: ['dbName'] } },
    if: { properties: { repoUrl: { pattern: '^gitlab' } }, required: ['repoUrl'] },
    then: { required: ['database'] },
  },
]);

function issues(values: Record<string, unknown>): unknown {
  try {
    validateParameters(pages, values);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(TarmacError);
    expect((err as TarmacError).code).toBe('VALIDATION_FAILED');
    return (err as TarmacError).details;
  }
}

describe('validateParameters', () => {
  it('accepts good values', () => {
    expect(issues({ name: 'svc', owner: 'team-a', repoUrl: 'github.com?owner=o&repo=r' })).toEqual([]);
  });

  it('reports every page’s problems with field paths', () => {
    expect(issues({ name: 'Bad Name', email: 'not-an-email' })).toEqual([
      { path: 'owner', message: "must have required property 'owner'" },
      { path: 'name', message: 'must match pattern "^[a-z][a-z0-9-]*$"' },
      { path: 'email', message: 'must match format "email"' },
      { path: 'repoUrl', message: "must have required property 'repoUrl'" },
    ]);
  });

  it('applies dependencies and if/then', () => {
    const base = { name: 'svc', owner: 'team-a' };
    expect(issues({ ...base, repoUrl: 'github.com?owner=o&repo=r', database: true })).toEqual([
      { path: 'dbName', message: "must have required property 'dbName'" },
    ]);
    expect(issues({ ...base, repoUrl: 'gitlab.com?owner=o&repo=r' })).toEqual([{ path: 'database', message: "must have required property 'database'" }]);
    // `dependencies` triggers on the key being present, whatever its value (JSON Schema)
    expect(issues({ ...base, repoUrl: 'gitlab.com?owner=o&repo=r', database: false, dbName: 'db' })).toEqual([]);
  });

  it('checks a single-object parameters schema and reports types', () => {
    const single = template({ properties: { port: { type: 'number' } } });
    expect(() => validateParameters(single, { port: 'x' })).toThrow("The template's parameters are invalid: port must be number");
    expect(() => validateParameters(template(undefined), { anything: 1 })).not.toThrow();
  });

  it('fills defaults without changing the input', () => {
    const values = { name: 'svc' };
    expect(withParameterDefaults(pages, values)).toEqual({ name: 'svc', lombok: false });
    expect(values).toEqual({ name: 'svc' });
  });

  it('validates a page with an $id on every run (templates are read afresh each time)', () => {
    // Each run reads the template anew from the catalog: equal content, new objects. A page with `$id` must not
    // collide with its own earlier compile ("schema with key or id … already exists").
    const withId = () => template([{ $id: 'https://example.com/basics', required: ['name'], properties: { name: { type: 'string' } } }]);
    for (let run = 0; run < 3; run++) {
      expect(() => validateParameters(withId(), { name: 'svc' })).not.toThrow();
      expect(() => validateParameters(withId(), {})).toThrow("The template's parameters are invalid: name must have required property 'name'");
      expect(withParameterDefaults(withId(), { name: 'x' })).toEqual({ name: 'x' });
    }
  });
});

