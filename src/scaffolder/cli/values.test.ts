import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildValues } from './values.js';

describe('tarmac template run --values / --set', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-values-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file, then applies --set in order with YAML scalars and nested keys', async () => {
    const file = path.join(dir, 'v.yaml');
    writeFileSync(file, 'name: a\nport: 80\nnested:\n  keep: 1\n');
    const values = await buildValues(file, ['port=8080', 'debug=true', 'nested.extra=x', 'quoted="42"', 'url=localhost?owner=o&repo=r', 'empty=']);
    expect(values).toEqual({ name: 'a', port: 8080, debug: true, nested: { keep: 1, extra: 'x' }, quoted: '42', url: 'localhost?owner=o&repo=r', empty: '' });
  });

  it('names the bad file or flag', async () => {
    const file = path.join(dir, 'list.yaml');
    writeFileSync(file, '- a\n- b\n');
    await expect(buildValues(file, [])).rejects.toThrow(`${file}: expected a mapping`);
    await expect(buildValues(undefined, ['novalue'])).rejects.toThrow('--set novalue: expected key=value');
  });
});
