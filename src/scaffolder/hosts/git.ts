/**
 * Real git for the host publishers (simple-git): make the first commit of a new repository and push it, or push a
 * branch with the workspace's files on top of an existing repository.
 *
 * Credentials: the token is never put in a URL or on a command line. Git asks a one-line credential helper, which
 * prints the username and the token from the child's environment (`TARMAC_GIT_TOKEN`); every other configured
 * helper is switched off for the call (`credential.helper=` resets the list, per git-credential(1)).
 */
import { cp, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { TarmacError, errorMessage } from '../../core/errors.js';
import { resolveInside } from '../actions/workspace.js';
import { scrub } from './errors.js';

/** Who git authenticates as. GitHub: `x-access-token` + token; GitLab: `oauth2` + token. */
export interface GitAuth {
  username: string;
  token: string;
}

/** Author (and committer) of the commit. */
export interface GitAuthor {
  name: string;
  email: string;
}

/** Backstage's defaults (scaffolder-node `initRepoAndPush`), with Tarmac's name. */
export const DEFAULT_AUTHOR: GitAuthor = { name: 'Tarmac Scaffolder', email: 'scaffolder@tarmac.invalid' };

const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; echo "username=$TARMAC_GIT_USERNAME"; echo "password=$TARMAC_GIT_TOKEN"; }; f';
const SAFE_BRANCH = /^(?![-/.])(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![./])$/;

/** Bound on one git command producing no output, ms (simple-git `timeout.block`). */
export const GIT_BLOCK_TIMEOUT_MS = 120_000;

/** Environment of the git child: nothing inherited but PATH/HOME/proxies, never a prompt, the credential. */
function gitEnv(auth?: GitAuth): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', LANG: 'C' };
  for (const k of ['PATH', 'HOME', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy']) {
    if (process.env[k]) env[k] = process.env[k] as string;
  }
  if (auth) Object.assign(env, { TARMAC_GIT_USERNAME: auth.username, TARMAC_GIT_TOKEN: auth.token });
  return env;
}

/**
 * A simple-git instance in `dir` for talking to a remote — shared by the host publishers and upgrades.
 * Every configured credential helper is switched off; when `auth` is given, the one-line helper of this file hands
 * git the username and token from the child's environment (never a URL or a command line). No prompts, no HTTP
 * redirects, each command bounded by `GIT_BLOCK_TIMEOUT_MS` without output.
 * @param o.auth credentials for the remote; absent → anonymous (e.g. local paths, public repositories)
 * @param o.signal aborts the running git command
 * @param o.config extra `key=value` git config for every command (e.g. `user.name=…`)
 */
export function gitClient(dir: string, o: { auth?: GitAuth; signal?: AbortSignal; config?: string[] } = {}): SimpleGit {
  return simpleGit({
    baseDir: dir,
    ...(o.signal ? { abort: o.signal } : {}),
    timeout: { block: GIT_BLOCK_TIMEOUT_MS },
    allowEnvironment: ['GIT_TERMINAL_PROMPT'],
    config: [
      'credential.helper=',
      ...(o.auth ? [`credential.helper=${CREDENTIAL_HELPER}`] : []),
      'http.followRedirects=false',
      ...(o.config ?? []),
    ],
    unsafe: { allowUnsafeCredentialHelper: true },
  }).env(gitEnv(o.auth));
}

/**
 * The branch-name rule of every publisher (a safe subset of git-check-ref-format(1)): 1-200 of `A-Za-z0-9._/-`, not
 * starting with `-`, `/` or `.`, not ending with `.` or `/`, no `..` and no `//`.
 * @throws TarmacError BAD_REQUEST naming `field` when `branch` is not such a plain branch name
 */
export function checkBranch(branch: string, field: string): void {
  if (!SAFE_BRANCH.test(branch)) {
    throw new TarmacError('BAD_REQUEST', `${field} "${branch}" is not a valid branch name`, { details: { path: field } });
  }
}

/** Copies `from` into `to` (created), skipping `.git` folders; symlinks are copied as links, never followed. */
async function copyTree(from: string, to: string): Promise<void> {
  const s = await stat(from).catch(() => undefined);
  if (!s?.isDirectory()) throw new TarmacError('BAD_REQUEST', `sourcePath: ${path.basename(from)} is not a folder in the workspace`);
  await mkdir(to, { recursive: true });
  await cp(from, to, { recursive: true, verbatimSymlinks: true, filter: (src) => path.basename(src) !== '.git' });
}

async function runGit<T>(what: string, token: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TarmacError) throw err;
    throw new TarmacError('UPSTREAM_FAILED', `${what} failed: ${scrub(errorMessage(err), token).trim()}`);
  }
}

async function commitAll(git: SimpleGit, author: GitAuthor, message: string): Promise<string> {
  await git.addConfig('user.name', author.name).addConfig('user.email', author.email).addConfig('commit.gpgsign', 'false');
  await git.add(['-A']);
  await git.commit(message);
  return (await git.revparse(['HEAD'])).trim();
}

/**
 * Commits everything under `sourceDir` as the first commit of `branch` and pushes it to the new, empty `remoteUrl`.
 * Works in a copy under `workDir`, so the workspace itself gets no `.git`.
 * @returns the commit hash (40 hex)
 * @throws TarmacError UPSTREAM_FAILED (git's message, credentials removed)
 */
export async function initAndPush(o: {
  sourceDir: string; workDir: string; remoteUrl: string; branch: string; auth: GitAuth; author: GitAuthor;
  message: string; signal: AbortSignal;
}): Promise<{ commitHash: string }> {
  checkBranch(o.branch, 'defaultBranch');
  const dir = path.join(o.workDir, 'repo');
  await copyTree(o.sourceDir, dir);
  const git = gitClient(dir, { auth: o.auth, signal: o.signal });
  return runGit(`pushing to ${scrub(o.remoteUrl)}`, o.auth.token, async () => {
    await git.init(['--initial-branch', o.branch]);
    const commitHash = await commitAll(git, o.author, o.message);
    await git.push(o.remoteUrl, `HEAD:refs/heads/${o.branch}`);
    return { commitHash };
  });
}

/**
 * Clones `remoteUrl` at `base`, creates `branch`, lays the files of `sourceDir` over `targetPath` of the checkout
 * (added and changed files; files absent from `sourceDir` are left alone, as Backstage's pull-request actions do),
 * commits and pushes the new branch.
 * @throws TarmacError CONFLICT when `branch` already exists on the remote, BAD_REQUEST when nothing changes,
 *   UPSTREAM_FAILED for git failures (credentials removed)
 */
export async function pushChangeBranch(o: {
  sourceDir: string; targetPath?: string; workDir: string; remoteUrl: string; base: string; branch: string;
  auth: GitAuth; author: GitAuthor; message: string; signal: AbortSignal;
}): Promise<{ commitHash: string }> {
  checkBranch(o.branch, 'branchName');
  checkBranch(o.base, 'targetBranchName');
  const dir = path.join(o.workDir, 'clone');
  const where = scrub(o.remoteUrl);
  await runGit(`cloning ${where}`, o.auth.token, () =>
    gitClient(o.workDir, { auth: o.auth, signal: o.signal }).clone(o.remoteUrl, dir, ['--branch', o.base, '--single-branch', '--no-tags']),
  );
  const git = gitClient(dir, { auth: o.auth, signal: o.signal });
  const existing = await runGit(`listing branches of ${where}`, o.auth.token, () => git.listRemote(['--heads', 'origin', o.branch]));
  if (existing.trim()) throw new TarmacError('CONFLICT', `branch "${o.branch}" already exists in ${where}`);
  await copyTree(o.sourceDir, resolveInside(dir, o.targetPath, 'targetPath'));
  return runGit(`pushing branch ${o.branch} to ${where}`, o.auth.token, async () => {
    await git.checkoutLocalBranch(o.branch);
    await git.add(['-A']);
    if ((await git.status()).isClean()) {
      throw new TarmacError('BAD_REQUEST', `nothing to propose: the files are identical to ${o.base} of ${where}`);
    }
    const commitHash = await commitAll(git, o.author, o.message);
    await git.push('origin', `HEAD:refs/heads/${o.branch}`);
    return { commitHash };
  });
}
