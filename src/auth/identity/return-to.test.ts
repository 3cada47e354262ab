import { describe, expect, it } from 'vitest';
import { checkReturnTo } from './return-to.js';

describe('checkReturnTo', () => {
  it('keeps local paths with query and fragment, defaults to /', () => {
    expect(checkReturnTo(undefined)).toBe('/');
    expect(checkReturnTo('')).toBe('/');
    expect(checkReturnTo('/catalog/default/component/x?tab=api#top')).toBe('/catalog/default/component/x?tab=api#top');
  });

  it('refuses every way out to another site', () => {
    for (const evil of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
      'evil.example',
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(() => checkReturnTo(evil), evil).toThrow(/returnTo must be a local path/);
    }
  });
});
