import { describe, expect, it } from 'vitest';
import { formatUpgradeLine, formatUpgradeSummary } from './format.js';

describe('upgrade CLI lines', () => {
  const base = { repo: 'localhost?owner=o&repo=r', fromVersion: '1.0.0', toVersion: '2.0.0', fromNumber: 1, toNumber: 2, files: [] };
  it('says what happened to each repository', () => {
    expect(formatUpgradeLine({ ...base, status: 'conflicts', componentRef: 'component:default/r', conflicts: ['a.txt', 'b.txt'] })).toBe(
      'conflicts  component:default/r  v1 → v2  a.txt, b.txt  (nothing pushed)',
    );
    expect(formatUpgradeLine({ ...base, status: 'conflicts', conflicts: ['a.txt'], conflictMarkersCommitted: true, branch: 'tarmac/upgrade-x-v2' })).toBe(
      'conflicts  localhost?owner=o&repo=r  v1 → v2  a.txt  (markers committed on tarmac/upgrade-x-v2)',
    );
    expect(formatUpgradeLine({ ...base, status: 'current', fromNumber: 2, fromVersion: '2.0.0' })).toBe('current    localhost?owner=o&repo=r  v2');
    expect(formatUpgradeLine({ ...base, status: 'failed', toNumber: null, toVersion: '0123456789abcdef', error: 'git clone failed' })).toBe(
      'failed     localhost?owner=o&repo=r  v1 → 0123456789ab  git clone failed',
    );
    expect(formatUpgradeLine({ ...base, status: 'upgraded', branch: 'tarmac/upgrade-x-v2', changeRequestUrl: 'https://github.com/o/r/pull/7' })).toBe(
      'upgraded   localhost?owner=o&repo=r  v1 → v2  branch tarmac/upgrade-x-v2  https://github.com/o/r/pull/7',
    );
  });

  it('prints the summary the issue asks for', () => {
    expect(formatUpgradeSummary({ upgraded: 97, conflicts: 2, current: 1, failed: 0 })).toBe('upgraded 97 / conflicts 2 / already current 1 / failed 0');
  });
});
