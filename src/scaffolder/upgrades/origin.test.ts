import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { readOrigin, writeOrigin, type TemplateOrigin } from './origin.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'tarmac-origin-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const origin: TemplateOrigin = {
  templateRef: 'template:default/ts-service',
  version: 'v1.0',
  values: { name: 'payments', owner: 'group:default/team-a' },
  createdAt: '2026-11-21T08:00:00.000Z',
  tarmacVersion: '0.1.0',
};

describe('origin file', () => {
  it('writes .tarmac/template.json as pretty JSON and reads it back', async () => {
    const dir = tmp();
    await writeOrigin(dir, origin);
    const raw = readFileSync(path.join(dir, '.tarmac', 'template.json'), 'utf8');
    expect(raw).toBe(
      '{\n  "templateRef": "template:default/ts-service",\n  "version": "v1.0",\n  "values": {\n    "name": "payments",\n' +
        '    "owner": "group:default/team-a"\n  },\n  "createdAt": "2026-11-21T08:00:00.000Z",\n  "tarmacVersion": "0.1.0"\n}\n',
    );
    expect(await readOrigin(dir)).toEqual(origin);
  });

  it('returns undefined when there is no origin file', async () => {
    expect(await readOrigin(tmp())).toBeUndefined();
  });

  it('names the file and every problem when the content is invalid', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, '.tarmac'));
    writeFileSync(path.join(dir, '.tarmac', 'template.json'), JSON.stringify({ templateRef: 'component:default/x', values: [] }));
    const err = await readOrigin(dir).catch((e: unknown) => e);
    expect(isTarmacError(err, 'VALIDATION_FAILED')).toBe(true);
    expect((err as Error).message).toBe(
      '.tarmac/template.json: "version" must be a non-empty string; "createdAt" must be a non-empty string; ' +
        '"tarmacVersion" must be a non-empty string; "templateRef" must look like template:<namespace>/<name>, got ' +
        '"component:default/x"; "values" must be an object',
    );
  });

  it('reports bad JSON with the file name', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, '.tarmac'));
    writeFileSync(path.join(dir, '.tarmac', 'template.json'), '{ nope');
    await expect(readOrigin(dir)).rejects.toThrow(/^\.tarmac\/template\.json: not valid JSON/);
  });

  it('refuses to write an invalid origin', async () => {
    await expect(writeOrigin(tmp(), { ...origin, version: '' })).rejects.toThrow('invalid template origin: "version" must be a non-empty string');
  });
});
