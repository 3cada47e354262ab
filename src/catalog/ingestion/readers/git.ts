import { createHash, randomBytes } from 'node:crypto';
import { mkdir, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { ReadingConfig } from '../../../core/config.js';
import { errorMessage } from '../../../core/errors.js';
import { redactUrl } from '../../../core/logger.js';
import { readFileLimited } from './file.js';
import { checkHost, parseAllowList } from './host-policy.js';
import { readError } from './types.js';

/** Default glob of catalog files inside a repository (Backstage's convention). */
export const DEFAULT_GIT_PATH = '**/catalog-info.yaml';

/** A repository checked out under `<dataDir>/git/`, at the tip of its branch. */
export interface GitCheckout {
  /** The repository as registered (URL, `file://` URL or absolute path). */
  repo: string;
  /** Branch checked out (the remote's default when none was asked for). */
  branch: string;
  /** Commit checked out (40 hex). */
  commit: string;
  /** Absolute folder of the working tree. */
  dir: string;
  /** True for http(s)/ssh remotes, false for local paths and `file://`. */
  remote: boolean;
  /**
   * Set when updating an existing checkout failed (network down, remote gone): the reason. The checkout is then the
   * last one fetched, so its entities stay as they were; the caller reports the reason as a `fetch` error.
   */
  stale?: string;
  /**
   * Reads a file by its path relative to the repository root (`/` separators).
   * @throws TarmacError FORBIDDEN when the path (or a symlink in it) leads outside the checkout, NOT_FOUND,
   *   PAYLOAD_TOO_LARGE (`maxBytes`)
   */
  readFile(rel: string): Promise<string>;
  /** Paths (relative, sorted) of the files matching a glob, `.git/` and `node_modules/` excluded. */
  glob(pattern: string): Promise<string[]>;
}

/** Clones and refreshes repositories for `git` locations. */
export interface GitReader {
  /**
   * Returns an up-to-date checkout: cloned into `<dataDir>/git/<sha256(repo + "\n" + branch)>` the first time,
   * then `git fetch` + `git reset --hard` to the remote branch + `git clean -ffdx` on later calls. A clone is made in
   * a temporary folder and renamed into place, so a killed process never leaves a half-cloned checkout.
   * Calls for the same checkout in this process are serialised.
   * @param repo `https://…`, `http://…`, `ssh://…`, `git@host:path`, `file://…` or an absolute local path.
   *   Remote hosts must pass `catalog.reading.allow` (and the denied-address rules) before git runs.
   * @throws TarmacError BAD_REQUEST (unsupported repository form or branch name), FORBIDDEN (host not allowed),
   *   UPSTREAM_FAILED (git failed or exceeded `timeoutMs`; git's own message included)
   */
  checkout(repo: string, branch?: string): Promise<GitCheckout>;
}

const SAFE_BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

/** Environment of the git child: no inherited GIT_* variables, and never an interactive credential prompt. */
function gitEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy'];
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', LANG: 'C' };
  for (const k of keep) if (process.env[k]) env[k] = process.env[k] as string;
  return env;
}

/** Classifies the repository argument and returns the URL git should use, or throws BAD_REQUEST. */
function classify(repo: string): { url: string; remote: URL | undefined } {
  if (repo.startsWith('-')) throw readError('BAD_REQUEST', `git repository "${repo}" is not a URL or path`);
  if (path.isAbsolute(repo)) return { url: repo, remote: undefined };
  const scp = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?![:/]{1,2})(.+)$/.exec(repo);
  if (scp?.[2]) return { url: repo, remote: new URL(`ssh://${scp[2]}`) };
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    throw readError('BAD_REQUEST', `git repository "${repo}" must be an absolute path or a URL`);
  }
  if (url.protocol === 'file:') return { url: repo, remote: undefined };
  if (['https:', 'http:', 'ssh:'].includes(url.protocol)) return { url: repo, remote: url };
  throw readError('BAD_REQUEST', `git repository ${redactUrl(repo)}: protocol ${url.protocol} is not supported`);
}

/**
 * Creates the git reader (system `git` through simple-git).
 * @param opts.dataDir Tarmac's data folder; checkouts live in `<dataDir>/git/`
 * @param opts.reading `catalog.reading` (allowlist for remote hosts, `maxBytes` per file)
 * @param opts.timeoutMs bound on one git command without output, ms (default 120 000)
 */
export function createGitReader(opts: { dataDir: string; reading: ReadingConfig; timeoutMs?: number }): GitReader {
  const entries = parseAllowList(opts.reading.allow);
  const locks = new Map<string, Promise<unknown>>();
  const git = (baseDir: string): SimpleGit =>
    simpleGit({
      baseDir,
      timeout: { block: opts.timeoutMs ?? 120_000 },
      allowEnvironment: ['GIT_TERMINAL_PROMPT'],
      // a redirect could lead git to a host the allowlist never saw
      config: ['http.followRedirects=false'],
    }).env(gitEnv());

  async function run<T>(what: string, repo: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const msg = errorMessage(err)
        .trim()
        .split('\n')
        .slice(-3)
        .join(' ')
        .replace(/\/\/[^@/\s]+@/g, '//[redacted]@'); // git may echo the URL with its credentials
      throw readError('UPSTREAM_FAILED', `git ${what} of ${redactUrl(repo)} failed: ${msg}`, err);
    }
  }

  async function isCheckout(dir: string, url: string): Promise<boolean> {
    try {
      if (!(await stat(path.join(dir, '.git'))).isDirectory()) return false;
      const origin = (await git(dir).remote(['get-url', 'origin'])) ?? '';
      return origin.trim() === url;
    } catch {
      return false;
    }
  }

  async function update(repo: string, branch: string | undefined): Promise<GitCheckout> {
    const { url, remote } = classify(repo);
    if (branch !== undefined && !SAFE_BRANCH.test(branch)) {
      throw readError('BAD_REQUEST', `git branch "${branch}" is not a valid branch name`);
    }
    if (remote) await checkHost(remote, entries);
    const root = path.join(opts.dataDir, 'git');
    const dir = gitCheckoutDir(opts.dataDir, repo, branch);
    let stale: string | undefined;
    if (await isCheckout(dir, url)) {
      const g = git(dir);
      const ref = branch ? `refs/heads/${branch}` : 'HEAD';
      try {
        await run('fetch', repo, () => g.fetch(['--no-tags', '--prune', 'origin', ref]));
        await run('reset', repo, () => g.reset(['--hard', 'FETCH_HEAD']));
      } catch (err) {
        stale = errorMessage(err);
      }
      await run('clean', repo, () => g.clean('f', ['-f', '-d', '-x']));
    } else {
      await mkdir(root, { recursive: true });
      const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
      const args = ['--no-tags', '--single-branch', ...(branch ? ['--branch', branch] : [])];
      try {
        await run('clone', repo, () => git(root).clone(url, tmp, args));
        await rm(dir, { recursive: true, force: true });
        await rename(tmp, dir);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
    const g = git(dir);
    const commit = (await run('rev-parse', repo, () => g.revparse(['HEAD']))).trim();
    const head = (await run('rev-parse', repo, () => g.revparse(['--abbrev-ref', 'HEAD']))).trim();
    const checkout = makeCheckout(repo, branch ?? head, commit, await realpath(dir), Boolean(remote), opts.reading.maxBytes);
    return stale === undefined ? checkout : { ...checkout, stale };
  }

  return {
    checkout(repo, branch) {
      const key = `${repo}\n${branch ?? ''}`;
      const prev = locks.get(key) ?? Promise.resolve();
      const next = prev.catch(() => undefined).then(() => update(repo, branch));
      locks.set(key, next);
      void next.finally(() => locks.get(key) === next && locks.delete(key)).catch(() => undefined);
      return next;
    },
  };
}

function makeCheckout(
  repo: string,
  branch: string,
  commit: string,
  dir: string,
  remote: boolean,
  maxBytes: number,
): GitCheckout {
  return {
    repo,
    branch,
    commit,
    dir,
    remote,
    async readFile(rel) {
      const label = `${rel} in ${redactUrl(repo)}`;
      const abs = path.resolve(dir, rel.replace(/^\/+/, ''));
      const inside = (p: string) => p === dir || p.startsWith(dir + path.sep);
      if (!inside(abs)) throw readError('FORBIDDEN', `${label} leads outside the repository`);
      let real: string;
      try {
        real = await realpath(abs);
      } catch {
        throw readError('NOT_FOUND', `file not found: ${label}`);
      }
      if (!inside(real)) {
        throw readError('FORBIDDEN', `${label} leads outside the repository`);
      }
      return readFileLimited(real, maxBytes, label);
    },
    async glob(pattern) {
      const found = await fg(pattern, {
        cwd: dir,
        onlyFiles: true,
        dot: false,
        ignore: ['.git/**', '**/node_modules/**'],
        followSymbolicLinks: false,
      });
      return found.sort();
    },
  };
}

/**
 * Where the catalog keeps its checkout of `repo` at `branch` (`''`/undefined: the remote's default branch):
 * `<dataDir>/git/<sha256(repo + "\n" + branch)>`. Other modules (the scaffolder, running a template from a git
 * location) find a template's files there; they only read it.
 */
export function gitCheckoutDir(dataDir: string, repo: string, branch: string | undefined): string {
  return path.join(dataDir, 'git', createHash('sha256').update(`${repo}\n${branch ?? ''}`).digest('hex'));
}
