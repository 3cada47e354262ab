import { badRequest } from '../../core/errors.js';

/** Longest accepted `returnTo`, in characters. */
export const MAX_RETURN_TO = 2048;

/**
 * Checks where to land after sign-in: a path on this server only, so the sign-in flow cannot be used as an open
 * redirect (OWASP "Unvalidated Redirects and Forwards"). Accepts `/`, `/catalog?x=1#y`; rejects absolute URLs,
 * scheme-relative `//host`, backslash tricks (`/\host`), and control characters.
 * @returns the path (default `/` when undefined or empty)
 * @throws TarmacError BAD_REQUEST naming `returnTo`
 */
export function checkReturnTo(value: string | undefined): string {
  if (value === undefined || value === '') return '/';
  const bad = (why: string) => badRequest(`returnTo must be a local path starting with "/" (${why})`, { returnTo: value.slice(0, 200) });
  if (value.length > MAX_RETURN_TO) throw bad(`longer than ${MAX_RETURN_TO} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw bad('control characters');
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) throw bad('not a local path');
  const parsed = new URL(value, 'http://tarmac.invalid');
  if (parsed.origin !== 'http://tarmac.invalid') throw bad('not a local path');
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
