import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Entity } from '../../catalog/index.js';
import { normalizeTemplateRef, templateDirectory } from './template-source.js';

const entity = (location: string, origin?: string): Entity =>
  ({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 't',
      annotations: { 'backstage.io/managed-by-location': location, ...(origin ? { 'backstage.io/managed-by-origin-location': origin } : {}) },
    },
    spec: { steps: [] },
  }) as unknown as Entity;

// The catalog's git reader keeps checkouts at <dataDir>/git/<sha256(repo + "\n" + branch)> (readers/git.ts).
function fakeCheckout(dataDir: string, repo: string, branch: string, head = branch): string {
  const dir = path.join(dataDir, 'git', createHash('sha256').update(`${repo}\n${branch}`).digest('hex'));
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  writeFileSync(path.join(dir, '.git', 'HEAD'), `ref: refs/heads/${head}\n`);
  return dir;
}

describe('template folders', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-tsrc-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('normalises refs', () => {
    expect(normalizeTemplateRef('My-Template').ref).toBe('template:default/my-template');
    expect(normalizeTemplateRef('ops/x').ref).toBe('template:ops/x');
    expect(() => normalizeTemplateRef('component:default/x')).toThrow('is not a Template');
  });

  it('file locations: the folder of template.yaml', () => {
    expect(templateDirectory(entity('file:/srv/templates/svc/template.yaml'), dataDir)).toBe('/srv/templates/svc');
  });

  it('git locations: the same folder in the catalog checkout (with and without a registered branch)', () => {
    const local = fakeCheckout(dataDir, '/repos/templates', 'release/v2');
    expect(templateDirectory(entity('git:/repos/templates/blob/release/v2/svc/template.yaml', 'git:/repos/templates'), dataDir)).toBe(path.join(local, 'svc'));
    const remote = fakeCheckout(dataDir, 'https://git.example.com/o/t.git', '', 'main');
    expect(templateDirectory(entity('url:https://git.example.com/o/t/blob/main/a/b/template.yaml', 'git:https://git.example.com/o/t.git'), dataDir)).toBe(path.join(remote, 'a', 'b'));
  });

  it('explains what cannot be reached', () => {
    expect(() => templateDirectory(entity('git:/nowhere/blob/main/template.yaml', 'git:/nowhere'), dataDir)).toThrow('is not on this machine');
    expect(() => templateDirectory(entity('url:https://h/x/template.yaml', 'url:https://h/x/template.yaml'), dataDir)).toThrow('only templates in file and git locations');
  });
});
