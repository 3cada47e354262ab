import { open } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { bytes, readError, type Reader, type ReadResult } from './types.js';

/** Folders never searched by a glob: dependencies and VCS metadata. */
const GLOB_IGNORE = ['**/node_modules/**', '**/.git/**'];

/** The `file` reader, plus glob expansion for `file` locations (`/abs/**\/catalog-info.yaml`). */
export interface FileReader extends Reader {
  /**
   * Expands a glob (fast-glob syntax) into absolute file paths, sorted, skipping `node_modules` and `.git`.
   * A target without glob characters is returned as is (its existence is checked by `read`).
   * @param pattern absolute path or glob; a relative one resolves against `cwd` (default process.cwd())
   * @param opts.limit maximum number of matches returned (the caller reports the overflow)
   */
  glob(pattern: string, opts?: { cwd?: string; limit?: number }): Promise<string[]>;
}

/** True when `target` holds glob syntax (`*`, `?`, `{a,b}`, `[ab]`, `!(…)`). */
export function isGlob(target: string): boolean {
  return fg.isDynamicPattern(target);
}

/**
 * Reads a whole file as UTF-8 after checking its size against `maxBytes` (bytes).
 * @param label how the file is named in messages (default: its path)
 * @throws TarmacError NOT_FOUND (no such file), FORBIDDEN (permission denied), BAD_REQUEST (not a regular
 *   file), PAYLOAD_TOO_LARGE (over `maxBytes`; message names `catalog.reading.maxBytes`)
 */
export async function readFileLimited(file: string, maxBytes: number, label = file): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw readError('NOT_FOUND', `file not found: ${label}`, err);
    if (code === 'EACCES' || code === 'EPERM') throw readError('FORBIDDEN', `permission denied: ${label}`, err);
    throw readError('UPSTREAM_FAILED', `cannot open ${label}: ${code ?? String(err)}`, err);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw readError('BAD_REQUEST', `${label} is not a regular file`);
    if (stat.size > maxBytes) {
      throw readError(
        'PAYLOAD_TOO_LARGE',
        `file ${label} is ${bytes(stat.size)}, more than the limit of ${bytes(maxBytes)} (catalog.reading.maxBytes)`,
      );
    }
    const buf = await handle.readFile();
    if (buf.length > maxBytes) {
      throw readError('PAYLOAD_TOO_LARGE', `file ${label} grew past ${bytes(maxBytes)} while being read`);
    }
    return buf.toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw readError('BAD_REQUEST', `${label} is not a regular file`, err);
    throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Creates the `file` reader. Targets are absolute paths (relative ones resolve against process.cwd()).
 * Symbolic links are followed. Errors: see `readFileLimited`.
 * @param opts.maxBytes size limit of one file in bytes (`catalog.reading.maxBytes`)
 */
export function createFileReader(opts: { maxBytes: number }): FileReader {
  return {
    async read(target: string): Promise<ReadResult> {
      const file = path.resolve(target);
      return { text: await readFileLimited(file, opts.maxBytes), target: file };
    },
    async glob(pattern, o = {}) {
      const cwd = o.cwd ?? process.cwd();
      if (!isGlob(pattern)) return [path.resolve(cwd, pattern)];
      const found = await fg(pattern, {
        cwd,
        absolute: true,
        onlyFiles: true,
        dot: false,
        unique: true,
        suppressErrors: true,
        followSymbolicLinks: true,
        ignore: GLOB_IGNORE,
      });
      found.sort();
      return o.limit !== undefined ? found.slice(0, o.limit) : found;
    },
  };
}
