/**
 * Git for upgrades (simple-git, the system `git`): clone a scaffolded repository, commit the merged files on a new
 * branch and push it. Credentials for GitHub/GitLab come from `integrations.*[].token` and reach git through a
 * one-line credential helper reading the child's environment — never a URL, a command line or a log line.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { TarmacConfig } from '../../core/config.js';
import { TarmacError, errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/logger.js';
import { parseRepoTarget } from '../hosts/target.js';
import { bareRepoPath } from '../publish-git/repos.js';
import type { ScaffoldedRepository } from './types.js';

/** Commit author of upgrade commits. */
export const UPGRADE_AUTHOR = { name: 'Tarmac Upgrades', email: 'upgrades@tarmac.invalid' };

/** Bound on one git command without output, ms. */
export const GIT_TIMEOUT_MS = 120_000;

const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; echo "username=$TARMAC_GIT_USERNAME"; echo "password=$TARMAC_GIT_TOKEN"; }; f';

/** Where to clone from and push to, and as whom. */
export interface GitRemote {
  /** A local path (publish:git bare repositories) or an https URL. */
  url: string;
  auth?: { username: string; token: string };
}

/**
 * The remote of a recorded repository: publish:git → the bare repository `<dataDir>/repos/<owner>/<repo>.git`
 * (the local publisher's `bareRepoPath`); github/gitlab → `remoteUrl` with the host's configured token (when any).
 * @throws TarmacError BAD_REQUEST when the repoUrl cannot be parsed or names an invalid owner or repository
 */
export function remoteOf(repo: ScaffoldedRepository, config: TarmacConfig): GitRemote {
  if (repo.publisher === 'git') {
    const t = parseRepoTarget(repo.repoUrl);
    return { url: bareRepoPath(config.dataDir, t.owner, t.repo) };
  }
  const host = parseRepoTarget(repo.repoUrl).host;
  const token = config.integrations[repo.publisher].find((i) => i.host === host)?.token;
  const username = repo.publisher === 'github' ? 'x-access-token' : 'oauth2';
  return { url: repo.remoteUrl, ...(token ? { auth: { username, token } } : {}) };
}

function gitEnv(auth?: GitRemote['auth']): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', LANG: 'C' };
  for (const k of ['PATH', 'HOME', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy']) {
    if (process.env[k]) env[k] = process.env[k] as string;
  }
  if (auth) Object.assign(env, { TARMAC_GIT_USERNAME: auth.username, TARMAC_GIT_TOKEN: auth.token });
  return env;
}

/** A simple-git instance in `dir` for `remote` (credential helper only when there is a token). */
export function gitFor(dir: string, remote: GitRemote): SimpleGit {
  return simpleGit({
    baseDir: dir,
    timeout: { block: GIT_TIMEOUT_MS },
    allowEnvironment: ['GIT_TERMINAL_PROMPT'],
    config: [
      'credential.helper=',
      ...(remote.auth ? [`credential.helper=${CREDENTIAL_HELPER}`] : []),
      'http.followRedirects=false',
      `user.name=${UPGRADE_AUTHOR.name}`,
      `user.email=${UPGRADE_AUTHOR.email}`,
      'commit.gpgsign=false',
    ],
    unsafe: { allowUnsafeCredentialHelper: true },
  }).env(gitEnv(remote.auth));
}

/**
 * Runs a git step, turning a failure into UPSTREAM_FAILED naming the step and the (redacted) remote.
 * @throws TarmacError UPSTREAM_FAILED
 */
export async function gitStep<T>(what: string, remote: GitRemote, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const msg = errorMessage(err).trim().split('\n').slice(-3).join(' ').replace(/\/\/[^@/\s]+@/g, '//[redacted]@');
    throw new TarmacError('UPSTREAM_FAILED', `git ${what} of ${redactUrl(remote.url)} failed: ${msg}`, { cause: err });
  }
}

/**
 * Whether a fresh full clone saw branch `branch` on its origin — read from the clone's refs (loose or packed),
 * which `git clone` writes for every remote branch, instead of another `git ls-remote` round trip.
 */
export async function cloneHasRemoteBranch(clone: string, branch: string): Promise<boolean> {
  if (existsSync(path.join(clone, '.git', 'refs', 'remotes', 'origin', ...branch.split('/')))) return true;
  const packed = await readFile(path.join(clone, '.git', 'packed-refs'), 'utf8').catch(() => '');
  return packed.split('\n').some((line) => line.trimEnd().endsWith(` refs/remotes/origin/${branch}`));
}

/** The branch a fresh clone checked out (the remote's default), from `.git/HEAD`; `main` when detached. */
export async function cloneHeadBranch(clone: string): Promise<string> {
  const head = (await readFile(path.join(clone, '.git', 'HEAD'), 'utf8')).trim();
  return head.startsWith('ref: refs/heads/') ? head.slice('ref: refs/heads/'.length) : 'main';
}
