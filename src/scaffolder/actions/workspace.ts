/**
 * Safe writes into a run's workspace: every path stays under the workspace (no `..`, no absolute path, no write
 * through a symbolic link — the parent's real path is checked right before writing) and the workspace never holds
 * more than `limits.maxFiles` files or `limits.maxTotalBytes` bytes (issue 3 "Safety").
 */
import { chmod, lstat, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TarmacError } from '../../core/errors.js';

/**
 * Resolves `rel` (POSIX or native, relative) under `root` — the one containment rule of the scaffolder, used by the
 * built-in actions, the host and local publishers (`sourcePath`, `targetPath`) and the run's origin file.
 * @param rel absent, `''` or `'.'` means `root` itself
 * @returns the absolute path (`path.resolve(root)` for the root)
 * @throws TarmacError BAD_REQUEST naming `what` when the path is absolute or leaves `root`
 */
export function resolveInside(root: string, rel: string | undefined, what = 'path'): string {
  if (rel === undefined) return path.resolve(root);
  const p = String(rel).replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) {
    throw new TarmacError('BAD_REQUEST', `${what} "${rel}" must be relative to the workspace`);
  }
  const abs = path.resolve(root, p);
  if (abs !== path.resolve(root) && !abs.startsWith(path.resolve(root) + path.sep)) {
    throw new TarmacError('BAD_REQUEST', `${what} "${rel}" leaves the workspace`);
  }
  return abs;
}

/** @throws TarmacError BAD_REQUEST naming `what` unless the absolute path `abs` is `root` or under it. */
export function assertInside(root: string, abs: string, what: string): void {
  const r = path.resolve(root);
  if (abs !== r && !abs.startsWith(r + path.sep)) throw new TarmacError('BAD_REQUEST', `${what} leaves the workspace`);
}

/** Path of `abs` relative to `root`, POSIX separators. */
export const relativePosix = (root: string, abs: string): string => path.relative(root, abs).split(path.sep).join('/');

/** Files (not directories) under `dir`, recursively, as `{ rel, size }`; symbolic links count as files. */
export async function listFiles(dir: string): Promise<Array<{ rel: string; size: number }>> {
  const out: Array<{ rel: string; size: number }> = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) await walk(abs);
      else out.push({ rel: relativePosix(dir, abs), size: e.isFile() ? (await stat(abs)).size : 0 });
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Limits a workspace is held to. */
export interface WorkspaceLimits {
  maxFiles: number;
  maxTotalBytes: number;
}

/**
 * Checks the workspace's current totals against `limits`.
 * @throws TarmacError PAYLOAD_TOO_LARGE naming the limit exceeded
 */
export async function assertWithinLimits(workspace: string, limits: WorkspaceLimits): Promise<void> {
  const files = await listFiles(workspace);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  if (files.length > limits.maxFiles) {
    throw new TarmacError('PAYLOAD_TOO_LARGE', `The workspace holds ${files.length} files, more than maxFiles (${limits.maxFiles})`);
  }
  if (bytes > limits.maxTotalBytes) {
    throw new TarmacError('PAYLOAD_TOO_LARGE', `The workspace holds ${bytes} bytes, more than maxTotalBytes (${limits.maxTotalBytes})`);
  }
}

/** Writes files into a workspace within limits; see `createWorkspaceWriter`. */
export interface WorkspaceWriter {
  /** True when a file (or link) exists at `abs`. */
  exists(abs: string): Promise<boolean>;
  /** Writes `content` at `abs` (inside the workspace), creating folders. @throws TarmacError BAD_REQUEST / PAYLOAD_TOO_LARGE */
  write(abs: string, content: Buffer | string, mode?: number): Promise<void>;
}

/**
 * A writer counting from the workspace's current contents (one scan at creation).
 * @throws (from `write`) TarmacError PAYLOAD_TOO_LARGE naming maxFiles / maxTotalBytes; BAD_REQUEST when the
 *   target or one of its folders is a symbolic link leading out of the workspace, or the target is a link
 */
export async function createWorkspaceWriter(workspace: string, limits: WorkspaceLimits): Promise<WorkspaceWriter> {
  const realWorkspace = await realpath(workspace);
  const existing = new Map((await listFiles(workspace)).map((f) => [f.rel, f.size]));
  let files = existing.size;
  let bytes = [...existing.values()].reduce((n, s) => n + s, 0);
  const exists = async (abs: string) => !!(await lstat(abs).catch(() => undefined));
  return {
    exists,
    async write(abs, content, mode) {
      const rel = relativePosix(workspace, abs);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new TarmacError('BAD_REQUEST', `"${rel}" is not a file path inside the workspace`);
      }
      const size = Buffer.byteLength(content);
      const previous = existing.get(rel);
      const nextFiles = files + (previous === undefined ? 1 : 0);
      const nextBytes = bytes - (previous ?? 0) + size;
      if (nextFiles > limits.maxFiles) {
        throw new TarmacError('PAYLOAD_TOO_LARGE', `Writing "${rel}" would exceed maxFiles (${limits.maxFiles} files)`);
      }
      if (nextBytes > limits.maxTotalBytes) {
        throw new TarmacError('PAYLOAD_TOO_LARGE', `Writing "${rel}" would exceed maxTotalBytes (${limits.maxTotalBytes} bytes)`);
      }
      // Check the deepest folder that exists before creating any, then the parent itself.
      let ancestor = path.dirname(abs);
      while (!(await exists(ancestor))) ancestor = path.dirname(ancestor);
      const inside = (real: string) => real === realWorkspace || real.startsWith(realWorkspace + path.sep);
      if (!inside(await realpath(ancestor))) {
        throw new TarmacError('BAD_REQUEST', `"${rel}" would be written outside the workspace (through a symbolic link)`);
      }
      await mkdir(path.dirname(abs), { recursive: true });
      if (!inside(await realpath(path.dirname(abs)))) {
        throw new TarmacError('BAD_REQUEST', `"${rel}" would be written outside the workspace (through a symbolic link)`);
      }
      const st = await lstat(abs).catch(() => undefined);
      if (st?.isSymbolicLink()) throw new TarmacError('BAD_REQUEST', `"${rel}" is a symbolic link; refusing to write through it`);
      await writeFile(abs, content);
      if (mode !== undefined) await chmod(abs, mode);
      existing.set(rel, size);
      files = nextFiles;
      bytes = nextBytes;
    },
  };
}
