import { describe, expect, it } from 'vitest';
import { SCOPE_PATTERN, anyScopeCovers, scopeCovers } from './scopes.js';

describe('token scopes', () => {
  it('an exact scope covers only itself', () => {
    expect(scopeCovers('catalog.entity.read', 'catalog.entity.read')).toBe(true);
    expect(scopeCovers('catalog.entity.read', 'catalog.entity.delete')).toBe(false);
    expect(scopeCovers('catalog.entity.read', 'catalog.entity.*')).toBe(false);
  });

  it('a wildcard covers actions and narrower wildcards under its prefix, not siblings sharing letters', () => {
    expect(scopeCovers('template.*', 'template.run')).toBe(true);
    expect(scopeCovers('template.*', 'template.step.*')).toBe(true);
    expect(scopeCovers('template.*', 'templates.run')).toBe(false);
    expect(scopeCovers('template.*', 'template.')).toBe(false);
    expect(scopeCovers('catalog.*', '*')).toBe(false);
    expect(scopeCovers('*', '*')).toBe(true);
    expect(anyScopeCovers(['token.read', 'catalog.*'], 'catalog.location.create')).toBe(true);
    expect(anyScopeCovers([], 'catalog.entity.read')).toBe(false);
  });

  it('accepts action names and patterns, rejects anything else', () => {
    for (const ok of ['*', 'template.*', 'catalog.entity.read', 'admin.*', 'token.create']) expect(SCOPE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', 'Catalog.read', 'catalog..read', '*.read', 'catalog.*.read', 'catalog.read ', 'a.b*']) expect(SCOPE_PATTERN.test(bad)).toBe(false);
  });
});
