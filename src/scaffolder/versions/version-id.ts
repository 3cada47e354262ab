/**
 * How a template version is named (issue 3: "the template's git commit or metadata.annotations version"):
 * annotation `tarmac.dev/template-version` > last git commit of the template's folder (clean work tree only) >
 * content hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { TemplateEntity } from '../types.js';
import { VERSION_ANNOTATION } from './types.js';

/** Files of a snapshot: sorted by path. */
export type SnapshotFile = { path: string; bytes: Buffer };

/**
 * sha256 (hex) over the files sorted by path: for each file its path, a NUL, its length in decimal, a NUL, its
 * bytes — so no two different file sets hash alike by shifting bytes between names and contents.
 */
export function contentHash(files: readonly SnapshotFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(f.path).update('\0').update(String(f.bytes.length)).update('\0').update(f.bytes);
  }
  return h.digest('hex');
}

/**
 * The template's folder from `backstage.io/managed-by-location` when it is a `file:` target and exists, else
 * undefined (git locations: the caller passes the checkout folder instead).
 */
export function templateDirFromEntity(entity: TemplateEntity): string | undefined {
  const where = entity.metadata.annotations?.['backstage.io/managed-by-location'];
  if (!where?.startsWith('file:')) return undefined;
  const dir = path.dirname(where.slice('file:'.length));
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

/**
 * The last commit touching `dir` (`git log -1 -- <dir>`), when `dir` is inside a git work tree with no uncommitted
 * change under it; else undefined (a dirty folder's content is not what any commit holds).
 */
export async function gitCommitOf(dir: string): Promise<string | undefined> {
  try {
    const git = simpleGit({ baseDir: dir, timeout: { block: 10_000 } });
    if ((await git.raw(['rev-parse', '--is-inside-work-tree'])).trim() !== 'true') return undefined;
    const status = await git.raw(['status', '--porcelain', '--untracked-files=all', '--', '.']);
    if (status.trim().length > 0) return undefined;
    const commit = (await git.raw(['log', '-1', '--format=%H', '--', '.'])).trim();
    return /^[0-9a-f]{40}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined; // not a git work tree, or git is unavailable: fall back to the content hash
  }
}

/**
 * The version id of a template and where it came from.
 * @param hash the snapshot's `contentHash`
 * @param dir the template's folder on disk, when known
 */
export async function computeVersionId(
  entity: TemplateEntity,
  hash: string,
  dir?: string,
): Promise<{ version: string; source: 'annotation' | 'git' | 'content' }> {
  const annotated = entity.metadata.annotations?.[VERSION_ANNOTATION]?.trim();
  if (annotated) return { version: annotated, source: 'annotation' };
  const folder = dir ?? templateDirFromEntity(entity);
  if (folder) {
    const commit = await gitCommitOf(folder);
    if (commit) return { version: commit, source: 'git' };
  }
  return { version: hash.slice(0, 12), source: 'content' };
}
