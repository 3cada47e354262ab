import path from 'node:path';
import { TarmacError } from '../../core/errors.js';
import { parseRepoTarget, type RepoTarget } from '../hosts/target.js';

/** Owner and repository names of the local git publisher: letters, digits, `.`, `_`, `-`; not `.`/`..`-led. */
const NAME = /^(?![.-])[A-Za-z0-9._-]{1,100}$/;

/**
 * Folder under `dataDir` holding the local publisher's bare repositories: `<dataDir>/repos` — apart from the
 * catalog's own clones (`<dataDir>/git`), so that serving one never exposes the other.
 */
export function gitRoot(dataDir: string): string {
  return path.resolve(dataDir, 'repos');
}

/**
 * Checks an owner or repository name.
 * @throws TarmacError BAD_REQUEST naming the field when it is not [A-Za-z0-9._-], starts with `.`/`-` or holds `..`
 */
export function checkRepoName(field: 'owner' | 'repo', value: string): string {
  if (!NAME.test(value) || value.includes('..')) {
    throw new TarmacError('BAD_REQUEST', `${field} "${value}" must be 1-100 of A-Z a-z 0-9 . _ - and not start with . or - nor hold ..`);
  }
  return value;
}

/** `<dataDir>/repos/<owner>/<repo>.git` after checking both names. @throws TarmacError BAD_REQUEST */
export function bareRepoPath(dataDir: string, owner: string, repo: string): string {
  return path.join(gitRoot(dataDir), checkRepoName('owner', owner), `${checkRepoName('repo', repo)}.git`);
}

/**
 * Parses the local publisher's repository location: `parseRepoTarget` (RepoUrlPicker `host?owner=o&repo=r` or an
 * https URL), then this publisher's stricter `checkRepoName` on both names (no subgroups); a trailing `.git` on the
 * repository name is dropped.
 * @throws TarmacError BAD_REQUEST when the host, owner or repo is missing or invalid (message names the part)
 */
export function parseRepoUrl(repoUrl: string): RepoTarget {
  const t = parseRepoTarget(repoUrl);
  return { host: t.host, owner: checkRepoName('owner', t.owner), repo: checkRepoName('repo', t.repo.replace(/\.git$/, '')) };
}

/**
 * Recognises URLs of repositories the local publisher serves: `<any base>/git/<owner>/<repo>[.git][/blob/<branch>[/<path>]]`.
 * @returns owner, repo, branch and path inside the repository ('' when absent), or undefined for other URLs
 */
export function parseLocalRepoUrl(url: string): { owner: string; repo: string; branch?: string; path: string } | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/git\/([^/]+)\/([^/]+?)(?:\.git)?(?:\/blob\/([^/]+)(?:\/(.*))?)?\/?$/.exec(pathname);
  if (!m?.[1] || !m[2]) return undefined;
  const owner = decodeURIComponent(m[1]);
  const repo = decodeURIComponent(m[2]);
  if (!NAME.test(owner) || !NAME.test(repo)) return undefined;
  return { owner, repo, branch: m[3] ? decodeURIComponent(m[3]) : undefined, path: m[4] ? decodeURIComponent(m[4]) : '' };
}
