import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferLocation, loadConfig, substituteEnv } from './config.js';
import { TarmacError } from './errors.js';

function dirWith(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-config-'));
  writeFileSync(path.join(dir, 'tarmac.yaml'), yaml);
  return dir;
}

describe('loadConfig', () => {
  it('uses the defaults when there is no tarmac.yaml', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'tarmac-config-'));
    const c = loadConfig({ cwd, env: {} });
    expect(c.port).toBe(7007);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe(path.join(cwd, '.tarmac'));
    expect(c.databaseUrl).toBeUndefined();
    expect(c.catalog.demo).toBe(true);
    expect(c.catalog.reading).toEqual({ allow: [], maxBytes: 5_000_000, timeoutMs: 10_000, maxRedirects: 5 });
  });

  it('reads the file, substitutes ${VAR}, resolves file locations against the file, and lets flags win', () => {
    const cwd = dirWith(
      'port: 8000\ndatabaseUrl: postgres://app@${DB_HOST}:5432/tarmac\ncatalog:\n  locations:\n    - type: file\n      target: ./catalog/*.yaml\n  reading:\n    allow: [example.com]\n',
    );
    const c = loadConfig({ cwd, env: { DB_HOST: 'db.internal' }, overrides: { port: 9000, locations: [{ type: 'url', target: 'https://example.com/a.yaml' }] } });
    expect(c.port).toBe(9000);
    expect(c.databaseUrl).toBe('postgres://app@db.internal:5432/tarmac');
    expect(c.catalog.locations).toEqual([
      { type: 'file', target: path.join(cwd, 'catalog/*.yaml') },
      { type: 'url', target: 'https://example.com/a.yaml' },
    ]);
    expect(c.catalog.reading.allow).toEqual(['example.com']);
    expect(c.catalog.reading.maxBytes).toBe(5_000_000);
  });

  it('names every bad key', () => {
    const cwd = dirWith('prot: 1\ncatalog:\n  refreshIntervalSeconds: soon\n  reading:\n    maxBytes: -3\n');
    let err: unknown;
    try {
      loadConfig({ cwd, env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TarmacError);
    const message = (err as TarmacError).message;
    expect(message).toContain('config key "(root)": must NOT have additional properties "prot"');
    expect(message).toContain('config key "catalog.refreshIntervalSeconds": must be number');
    expect(message).toContain('config key "catalog.reading.maxBytes": must be >= 1');
  });

  it('names the key whose environment variable is missing', () => {
    const cwd = dirWith('databaseUrl: ${NOPE}\n');
    expect(() => loadConfig({ cwd, env: {} })).toThrow('config key "databaseUrl": environment variable NOPE is not set');
  });

  it('fails on a missing explicit config file and on broken YAML', () => {
    const cwd = dirWith('port: [\n');
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ cwd, env: {}, configPath: 'other.yaml' })).toThrow(/does not exist/);
  });
});

describe('substituteEnv', () => {
  it('keeps $${VAR} literal', () => {
    expect(substituteEnv({ a: ['x $${HOME} y'] }, {})).toEqual({ a: ['x ${HOME} y'] });
  });
});

describe('inferLocation', () => {
  it('infers the type from the target', () => {
    expect(inferLocation('https://h/x.yaml', '/w')).toEqual({ type: 'url', target: 'https://h/x.yaml' });
    expect(inferLocation('https://h/org/repo.git', '/w')).toEqual({ type: 'git', target: 'https://h/org/repo.git' });
    expect(inferLocation('git+../repo', '/w/p')).toEqual({ type: 'git', target: '/w/repo' });
    expect(inferLocation('cat/*.yaml', '/w')).toEqual({ type: 'file', target: '/w/cat/*.yaml' });
  });
});
