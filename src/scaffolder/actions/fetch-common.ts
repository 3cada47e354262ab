/**
 * What the fetch:* actions share: resolving `url` against the template's own files, and telling binary files
 * (copied untouched, never rendered) from text.
 */
import { TarmacError } from '../../core/errors.js';
import { normalizeTemplatePath } from '../engine/template-files.js';

/**
 * Turns a fetch action's `url` into a path inside the template's folder (`./skeleton` → `skeleton`).
 * Remote URLs are refused: Tarmac renders only the files stored with the template, it fetches nothing over the
 * network (Backstage would read them through its URL readers).
 * @throws TarmacError BAD_REQUEST for http(s)/other URLs, absolute paths and paths leaving the template's folder
 */
export function resolveTemplateUrl(url: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) || url.startsWith('//')) {
    throw new TarmacError(
      'BAD_REQUEST',
      `url "${url}" is a remote URL; Tarmac fetches only files stored with the template (use a path relative to template.yaml)`,
    );
  }
  return normalizeTemplatePath(url, 'url');
}

/** Joins a folder of the template and a path under it. */
export const joinTemplatePath = (dir: string, rel: string): string => (dir ? `${dir}/${rel}` : rel);

/**
 * True for content that is not UTF-8 text: a NUL byte in the first 8 KiB, or bytes that are not valid UTF-8
 * (what `isbinaryfile`, used by Backstage's fetch:template, detects for the common cases).
 */
export function isBinary(content: Buffer): boolean {
  if (content.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return false;
  } catch {
    return true;
  }
}

/** Throws the abort reason when the run was cancelled (long loops call it between files). */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new TarmacError('CONFLICT', 'The run was cancelled');
}
