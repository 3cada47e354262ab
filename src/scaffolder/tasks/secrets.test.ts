import { describe, expect, it } from 'vitest';
import type { TemplateEntity } from '../types.js';
import { MASK, maskValues, secretFieldNames, secretRedactor, withoutSecrets } from './secrets.js';

// Fields marked secret the three ways Backstage forms do (ui:field Secret, ui:widget password, format password),
// one on a second page and one inside a dependencies branch; `name` is ordinary.
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 't' },
  spec: {
    steps: [],
    parameters: [
      { properties: { name: { type: 'string' }, apiKey: { type: 'string', 'ui:field': 'Secret' } } },
      {
        properties: { password: { type: 'string', 'ui:widget': 'password' }, useDb: { type: 'boolean' } },
        dependencies: { useDb: { oneOf: [{ properties: { dbPassword: { type: 'string', format: 'password' } } }] } },
      },
    ],
  },
} as unknown as TemplateEntity;

describe('secret fields', () => {
  it('finds fields marked secret on every page and branch', () => {
    expect([...secretFieldNames(template)].sort()).toEqual(['apiKey', 'dbPassword', 'password']);
  });

  it('masks them for storage and drops them for the origin file', () => {
    const secret = secretFieldNames(template);
    const values = { name: 'x', apiKey: 'k-123456', password: 'p-123456' };
    expect(maskValues(values, secret)).toEqual({ name: 'x', apiKey: MASK, password: MASK });
    expect(withoutSecrets(values, secret)).toEqual({ name: 'x' });
  });

  it('redacts secret values and given secrets from log lines, longest first; ignores values under 4 characters', () => {
    const redact = secretRedactor({ apiKey: 'abcd', password: 'abcdef', name: 'abcd-name' }, new Set(['apiKey', 'password']), { t: 'xyz', token: 'tok-42' });
    expect(redact('k=abcdef t=tok-42 xyz')).toBe(`k=${MASK} t=${MASK} xyz`);
    expect(redact('name abcd-name')).toBe(`name ${MASK}-name`);
  });
});
