import path from 'node:path';
import { redactUrl } from '../../core/logger.js';
import type { FileReader } from './readers/file.js';
import { isGlob } from './readers/file.js';
import type { GitCheckout, GitReader } from './readers/git.js';
import { readError, type Reader } from './readers/types.js';

/**
 * One catalog file being ingested, and how targets written inside it resolve.
 * `key` is the file's `<type>:<target>` as stored in `backstage.io/managed-by-location`, `source_file`,
 * `failedFiles` and error records:
 * - file: `file:/abs/path.yaml`;
 * - url: `url:https://host/path.yaml` (as written, before redirects);
 * - git, remote http(s) repository: `url:<repo URL without .git>/blob/<branch>/<path in repo>` — the form Backstage
 *   uses for files in GitHub/GitLab/Gitea repositories, so the portal can link to the file;
 * - git, local path / `file://` / ssh repository: `git:<repo>/blob/<branch>/<path in repo>`.
 */
export type SourceFile =
  | { type: 'file'; path: string; key: string }
  | { type: 'url'; url: string; key: string }
  | { type: 'git'; checkout: GitCheckout; rel: string; key: string };

/** The readers ingestion uses. */
export interface Readers {
  file: FileReader;
  url: Reader;
  git: GitReader;
}

/** A `file` source for an absolute path. */
export function fileSource(p: string): SourceFile {
  return { type: 'file', path: p, key: `file:${p}` };
}

/** A `url` source for an absolute http(s) URL. */
export function urlSource(url: string): SourceFile {
  return { type: 'url', url, key: `url:${url}` };
}

/** A source for a file in a git checkout; see `SourceFile` for its key. */
export function gitSource(checkout: GitCheckout, rel: string): SourceFile {
  const clean = rel.replace(/^\/+/, '');
  const repo = checkout.repo.replace(/\/+$/, '');
  const key = /^https?:\/\//i.test(repo)
    ? `url:${redactUrl(repo).replace(/\.git$/, '')}/blob/${checkout.branch}/${clean}`
    : `git:${repo}/blob/${checkout.branch}/${clean}`;
  return { type: 'git', checkout, rel: clean, key };
}

/** Reads a source's text. Errors: the reader's `TarmacError` (see readers/types.ts). */
export async function readSource(src: SourceFile, readers: Readers): Promise<string> {
  if (src.type === 'file') return (await readers.file.read(src.path)).text;
  if (src.type === 'url') return (await readers.url.read(src.url)).text;
  return src.checkout.readFile(src.rel);
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `rel` resolved inside a git checkout; throws FORBIDDEN when it leaves the repository. */
function inRepo(from: Extract<SourceFile, { type: 'git' }>, target: string): string {
  const joined = target.startsWith('/') ? target : path.posix.join(path.posix.dirname(from.rel), target);
  const rel = path.posix.normalize(joined).replace(/^\/+/, '');
  if (rel === '..' || rel.startsWith('../')) {
    throw readError('FORBIDDEN', `"${target}" leads outside the repository ${redactUrl(from.checkout.repo)}`);
  }
  return rel;
}

/** An absolute http(s) URL target, or throws BAD_REQUEST for other schemes. */
function absoluteUrl(target: string): SourceFile {
  if (!/^https?:\/\//i.test(target)) {
    throw readError('BAD_REQUEST', `"${target}": only http and https URLs can be read`);
  }
  return urlSource(new URL(target).href);
}

/**
 * Resolves a `$text`/`$json`/`$yaml` target against the file holding it: absolute http(s) URLs are read through
 * the url reader (allowlist applies); otherwise relative to the file — `path.resolve(dirname(file), target)` for
 * files, `new URL(target, fileUrl)` for URLs, the same folder of the same checkout for git (never outside it).
 * @throws TarmacError BAD_REQUEST (unsupported scheme), FORBIDDEN (leaves the git repository)
 */
export function resolveRelative(from: SourceFile, target: string): SourceFile {
  if (ABSOLUTE_URL.test(target)) return absoluteUrl(target);
  if (from.type === 'file') return fileSource(path.resolve(path.dirname(from.path), target));
  if (from.type === 'url') return absoluteUrl(new URL(target, from.url).href);
  return gitSource(from.checkout, inRepo(from, target));
}

/**
 * Resolves the target of a `Location` entity found in `from` into the files it names (globs expand for file and
 * git sources, sorted). `type` is the entity's `spec.type`: `file`, `url`, or absent (the containing file's type).
 * Relative targets resolve as in `resolveRelative`. A file read from a URL may not point at local files.
 * @param limit maximum number of files a glob may expand to
 * @throws TarmacError BAD_REQUEST for an unsupported type or a target that does not fit it, FORBIDDEN for a local
 *   `file` target from a URL-read file or a path leaving a git repository
 */
export async function resolveLocationTarget(
  from: SourceFile,
  type: string | undefined,
  target: string,
  readers: Readers,
  limit: number,
): Promise<SourceFile[]> {
  if (type !== undefined && type !== 'file' && type !== 'url') {
    throw readError('BAD_REQUEST', `location type "${type}" is not supported (use file or url)`);
  }
  if (ABSOLUTE_URL.test(target)) {
    if (type === 'file') throw readError('BAD_REQUEST', `a file location needs a path, not the URL "${target}"`);
    return [absoluteUrl(target)];
  }
  if (from.type === 'url') {
    if (type === 'file') {
      throw readError('FORBIDDEN', `a file read from ${redactUrl(from.url)} may not point at local files`);
    }
    return [absoluteUrl(new URL(target, from.url).href)];
  }
  if (from.type === 'file') {
    if (type === 'url') throw readError('BAD_REQUEST', `a url location needs an absolute http(s) URL, got "${target}"`);
    const abs = path.resolve(path.dirname(from.path), target);
    if (!isGlob(target)) return [fileSource(abs)];
    return (await readers.file.glob(abs, { limit })).map(fileSource);
  }
  const rel = inRepo(from, target);
  if (!isGlob(target)) return [gitSource(from.checkout, rel)];
  return (await from.checkout.glob(rel)).slice(0, limit).map((r) => gitSource(from.checkout, r));
}
