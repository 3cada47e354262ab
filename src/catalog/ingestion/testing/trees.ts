import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Test helpers for ingestion suites (not used by production code): temp folders with catalog files and small
 * entity YAML builders.
 */

/** A temp folder; `write` creates files (and their folders) inside it; `remove` deletes it. */
export interface TempTree {
  dir: string;
  /** Absolute path of a relative one. */
  p(rel: string): string;
  write(files: Record<string, string>): void;
  remove(): void;
}

/** Creates a temp folder under the OS temp dir, optionally with files. */
export function tempTree(files: Record<string, string> = {}): TempTree {
  const dir = mkdtempSync(path.join(tmpdir(), 'tarmac-ingest-'));
  const tree: TempTree = {
    dir,
    p: (rel) => path.join(dir, rel),
    write(more) {
      for (const [rel, text] of Object.entries(more)) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  tree.write(files);
  return tree;
}

/** YAML of a valid Component (extra spec lines appended as written). */
export function component(name: string, opts: { owner?: string; extra?: string; description?: string } = {}): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    ...(opts.description ? [`  description: ${opts.description}`] : []),
    'spec:',
    '  type: service',
    '  lifecycle: production',
    `  owner: ${opts.owner ?? 'team-a'}`,
    ...(opts.extra ? [opts.extra] : []),
    '',
  ].join('\n');
}

/** YAML of a Location entity listing `targets` (and `type` when given). */
export function location(name: string, targets: string[], opts: { type?: string; presence?: string } = {}): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Location',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...(opts.type ? [`  type: ${opts.type}`] : []),
    ...(opts.presence ? [`  presence: ${opts.presence}`] : []),
    '  targets:',
    ...targets.map((t) => `    - ${t}`),
    '',
  ].join('\n');
}

/** Joins YAML documents into one multi-document file. */
export function docs(...parts: string[]): string {
  return parts.join('---\n');
}
