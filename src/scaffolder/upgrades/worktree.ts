/**
 * Reading and writing the files of a cloned repository for a merge, staying inside the clone.
 */
import { lstat, mkdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TarmacError } from '../../core/errors.js';
import type { MergeOutput } from './merge.js';

/** Resolves a merge path inside `root`. @throws TarmacError BAD_REQUEST for absolute paths or `..` segments */
function inside(root: string, rel: string): string {
  if (path.posix.isAbsolute(rel) || rel.split('/').some((s) => s === '..' || s === '') || rel === '.git' || rel.startsWith('.git/')) {
    throw new TarmacError('BAD_REQUEST', `refusing to touch "${rel}": not a plain path inside the repository`);
  }
  return path.join(root, ...rel.split('/'));
}

/**
 * Reads the given paths from the clone: path → bytes, absent paths left out. A symlink is read as a binary marker
 * (its target after a NUL), so a change on both sides is a conflict and the link itself is never followed.
 */
export async function readRepositoryFiles(root: string, paths: Iterable<string>): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const rel of paths) {
    const abs = inside(root, rel);
    let st;
    try {
      st = await lstat(abs);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) out.set(rel, Buffer.concat([Buffer.from('symlink\0'), Buffer.from(await readlink(abs))]));
    else if (st.isFile()) out.set(rel, await readFile(abs));
  }
  return out;
}

/**
 * Writes and deletes what the merge decided (parents created as needed; a symlinked file in the way is replaced).
 * @throws TarmacError BAD_REQUEST when a path's parent folder resolves outside the clone
 */
export async function applyMerge(root: string, merged: MergeOutput): Promise<void> {
  const realRoot = await realpath(root);
  // A folder on the way that is a symlink could lead a write outside the clone.
  const checkParent = async (abs: string, rel: string): Promise<void> => {
    const parent = await realpath(path.dirname(abs)).catch(() => undefined);
    if (parent !== undefined && parent !== realRoot && !parent.startsWith(realRoot + path.sep)) {
      throw new TarmacError('BAD_REQUEST', `refusing to touch "${rel}": a folder on its path leads outside the repository`);
    }
  };
  for (const rel of merged.deletes) {
    const abs = inside(root, rel);
    await checkParent(abs, rel);
    await rm(abs, { force: true });
  }
  for (const [rel, bytes] of merged.writes) {
    const abs = inside(root, rel);
    await checkParent(abs, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await checkParent(abs, rel);
    await rm(abs, { force: true });
    await writeFile(abs, bytes);
  }
}
