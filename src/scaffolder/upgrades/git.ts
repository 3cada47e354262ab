/**
 * Git for upgrades (simple-git, the system `git`): clone a scaffolded repository, commit the merged files on a new
 * branch and push it. Credentials for GitHub/GitLab come from `integrations.*[].token` and reach git through the
 * host publishers' git client (`hosts/git.ts` `gitClient`: a credential helper reading the child's environment) —
 * never a URL, a command line or a log line.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { TarmacConfig } from '../../core/config.js';
import { TarmacError, errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/logger.js';
import { scrub } from '../hosts/errors.js';
import { gitClient, type GitAuth } from '../hosts/git.js';
import { GITHUB_GIT_USERNAME } from '../hosts/github.js';
import { GITLAB_GIT_USERNAME } from '../hosts/gitlab.js';
import { findIntegration, parseRepoTarget } from '../hosts/target.js';
import { bareRepoPath } from '../publish-git/repos.js';
import type { ScaffoldedRepository } from './types.js';

/** Commit author of upgrade commits. */
export const UPGRADE_AUTHOR = { name: 'Tarmac Upgrades', email: 'upgrades@tarmac.invalid' };

/** Where to clone from and push to, and as whom. */
export interface GitRemote {
  /** A local path (publish:git bare repositories) or an https URL. */
  url: string;
  auth?: GitAuth;
}

/**
 * The remote of a recorded repository: publish:git → the bare repository `<dataDir>/repos/<owner>/<repo>.git`
 * (the local publisher's `bareRepoPath`); github/gitlab → `remoteUrl`, with the host's configured token as the
 * publishers authenticate (`GITHUB_GIT_USERNAME` / `GITLAB_GIT_USERNAME`) when there is one, else anonymously
 * (public repositories).
 * @throws TarmacError BAD_REQUEST when the repoUrl cannot be parsed or names an invalid owner or repository
 */
export function remoteOf(repo: ScaffoldedRepository, config: TarmacConfig): GitRemote {
  const t = parseRepoTarget(repo.repoUrl);
  if (repo.publisher === 'git') return { url: bareRepoPath(config.dataDir, t.owner, t.repo) };
  const integration = findIntegration(config, repo.publisher, t.host);
  if (!integration) return { url: repo.remoteUrl };
  const username = repo.publisher === 'github' ? GITHUB_GIT_USERNAME : GITLAB_GIT_USERNAME;
  return { url: repo.remoteUrl, auth: { username, token: integration.token } };
}

/** A simple-git instance in `dir` for `remote` (the shared `gitClient`), committing as `UPGRADE_AUTHOR`. */
export function gitFor(dir: string, remote: GitRemote): SimpleGit {
  return gitClient(dir, {
    auth: remote.auth,
    config: [`user.name=${UPGRADE_AUTHOR.name}`, `user.email=${UPGRADE_AUTHOR.email}`, 'commit.gpgsign=false'],
  });
}

/**
 * Runs a git step, turning a failure into UPSTREAM_FAILED naming the step and the (redacted) remote; git's last
 * three lines are kept, with the token and URL credentials removed (`scrub`).
 * @throws TarmacError UPSTREAM_FAILED
 */
export async function gitStep<T>(what: string, remote: GitRemote, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const msg = scrub(errorMessage(err), remote.auth?.token).trim().split('\n').slice(-3).join(' ');
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
