import path from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/logger.js';
import type { IngestError } from '../storage/types.js';
import { isGlob } from './readers/file.js';
import { DEFAULT_GIT_PATH } from './readers/git.js';
import { parseHttpUrl } from './readers/url.js';
import { fileSource, gitSource, urlSource, type Readers, type SourceFile } from './sources.js';

/**
 * A root location as registered (config `LocationConfig`, or a stored `LocationRecord`): `file` (absolute path or
 * glob), `url` (http/https), `git` (repository URL or absolute path; `branch`, and `path` a glob inside it,
 * default `**\/catalog-info.yaml`). Empty `branch`/`path` mean "not set".
 */
export interface RootLocation {
  type: 'file' | 'url' | 'git';
  target: string;
  branch?: string;
  path?: string;
}

/**
 * `<type>:<target>` of a root location, the value of `backstage.io/managed-by-origin-location`
 * (e.g. `file:/abs/all.yaml`, `url:https://…/all.yaml`, `git:https://host/org/repo.git`). Credentials in URLs are
 * removed.
 */
export function originKey(root: RootLocation): string {
  return `${root.type}:${root.type === 'file' ? root.target : redactUrl(root.target)}`;
}

/**
 * The catalog files a root location starts from, sorted, at most `limit`. Problems are returned as `fetch` errors
 * on the root (sourceFile = its origin key), never thrown:
 * - file: a path is taken as is (read later); a glob that matches nothing is an error;
 * - url: the URL must be absolute http(s);
 * - git: clone or fetch the repository (readers/git.ts), then the `path` glob; when updating an existing checkout
 *   fails, its last fetched state is used and the reason reported; no matching file is an error.
 */
export async function expandRoot(
  root: RootLocation,
  readers: Readers,
  limit: number,
): Promise<{ files: SourceFile[]; errors: IngestError[] }> {
  const sourceFile = originKey(root);
  const fail = (message: string, files: SourceFile[] = []) => ({
    files,
    errors: [{ code: 'fetch' as const, message, sourceFile }],
  });
  try {
    if (root.type === 'file') {
      const target = path.resolve(root.target);
      if (!isGlob(root.target)) return { files: [fileSource(target)], errors: [] };
      const found = await readers.file.glob(target, { limit });
      return found.length > 0 ? { files: found.map(fileSource), errors: [] } : fail(`no file matches ${target}`);
    }
    if (root.type === 'url') return { files: [urlSource(parseHttpUrl(root.target).href)], errors: [] };
    const checkout = await readers.git.checkout(root.target, root.branch || undefined);
    const pattern = root.path || DEFAULT_GIT_PATH;
    const files = (await checkout.glob(pattern)).slice(0, limit).map((rel) => gitSource(checkout, rel));
    if (checkout.stale !== undefined) {
      return fail(`${checkout.stale}; using the last fetched commit ${checkout.commit.slice(0, 12)}`, files);
    }
    if (files.length === 0) {
      return fail(`no file in ${redactUrl(root.target)} (branch ${checkout.branch}) matches ${pattern}`);
    }
    return { files, errors: [] };
  } catch (err) {
    return fail(errorMessage(err));
  }
}
