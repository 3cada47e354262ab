import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { errorMessage, TarmacError } from '../../core/errors.js';
import { resolveInside } from '../actions/workspace.js';
import { checkBranch } from '../hosts/git.js';
import type { TemplateAction } from '../types.js';
import { bareRepoPath, parseRepoUrl } from './repos.js';

/** Input of `publish:git` (after Backstage's `publish:github` input, minus host-specific fields). */
export interface PublishGitInput {
  repoUrl: string;
  defaultBranch?: string;
  sourcePath?: string;
  description?: string;
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
}

/** simple-git for one folder. `gitDirArgs` allows `--git-dir`/`--work-tree` (paths Tarmac computes, never input). */
function git(baseDir: string, author: { name: string; email: string }, gitDirArgs = false) {
  return simpleGit({
    baseDir,
    ...(gitDirArgs ? { unsafe: { allowUnsafeConfigPaths: true } } : {}),
    timeout: { block: 60_000 },
    config: [`user.name=${author.name}`, `user.email=${author.email}`, 'commit.gpgsign=false', 'core.autocrlf=false'],
  });
}

/**
 * The `publish:git` action: Tarmac's local publisher. Creates the bare repository
 * `<dataDir>/repos/<owner>/<repo>.git`, commits the workspace (or `sourcePath` inside it) as one commit on
 * `defaultBranch` and pushes it; Tarmac then serves it read-only at `${baseUrl}/git/<owner>/<repo>.git`.
 * Outputs `remoteUrl`, `repoContentsUrl` (`${baseUrl}/git/<owner>/<repo>/blob/<branch>`, what catalog:register
 * reads) and `commitHash`. Errors: BAD_REQUEST (bad names, a branch name refused by `checkBranch`, a sourcePath
 * refused by `resolveInside`), CONFLICT (the repository exists), UPSTREAM_FAILED (git failed). Not run in dry-runs.
 * @param o.dataDir Tarmac's data folder
 * @param o.baseUrl the URL people reach Tarmac at, read when the step runs
 */
export function createPublishGitAction(o: { dataDir: string; baseUrl: () => string }): TemplateAction<PublishGitInput> {
  return {
    id: 'publish:git',
    description: "Creates a git repository on Tarmac's own git server (served read-only over HTTP) and pushes the workspace to it.",
    supportsDryRun: false,
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl'],
        properties: {
          repoUrl: { type: 'string', title: 'Repository location', description: '<host>?owner=<owner>&repo=<repo> (RepoUrlPicker)' },
          defaultBranch: { type: 'string', title: 'Default branch', default: 'main' },
          sourcePath: { type: 'string', title: 'Folder of the workspace to publish', default: '.' },
          description: { type: 'string', title: 'Repository description' },
          gitCommitMessage: { type: 'string', title: 'Commit message', default: 'initial commit' },
          gitAuthorName: { type: 'string', title: 'Author name', default: 'Tarmac' },
          gitAuthorEmail: { type: 'string', title: 'Author email', default: 'tarmac@localhost' },
        },
      },
      output: {
        type: 'object',
        properties: {
          remoteUrl: { type: 'string', title: 'Clone URL' },
          repoContentsUrl: { type: 'string', title: 'URL of the repository contents at the default branch' },
          commitHash: { type: 'string', title: 'The pushed commit' },
        },
      },
    },
    examples: [
      {
        description: 'Publish the workspace as localhost?owner=team-a&repo=my-service',
        example: 'steps:\n  - id: publish\n    action: publish:git\n    input:\n      repoUrl: localhost?owner=team-a&repo=my-service\n      defaultBranch: main\n',
      },
    ],
    async handler(ctx) {
      const { owner, repo } = parseRepoUrl(ctx.input.repoUrl);
      const branch = ctx.input.defaultBranch ?? 'main';
      checkBranch(branch, 'defaultBranch');
      const source = resolveInside(ctx.workspacePath, ctx.input.sourcePath, 'sourcePath');
      if (!(await stat(source).catch(() => undefined))?.isDirectory()) {
        throw new TarmacError('BAD_REQUEST', `sourcePath "${ctx.input.sourcePath}" is not a folder of the workspace`);
      }
      const bare = bareRepoPath(o.dataDir, owner, repo);
      await mkdir(path.dirname(bare), { recursive: true });
      try {
        await mkdir(bare); // not recursive: the atomic claim of the name
      } catch {
        throw new TarmacError('CONFLICT', `repository ${owner}/${repo} already exists`);
      }
      const author = { name: ctx.input.gitAuthorName ?? 'Tarmac', email: ctx.input.gitAuthorEmail ?? 'tarmac@localhost' };
      try {
        await git(bare, author).raw(['init', '--bare', `--initial-branch=${branch}`]);
        if (ctx.input.description) await writeFile(path.join(bare, 'description'), `${ctx.input.description.slice(0, 500)}\n`);
        // The commit is made right in the bare repository with the source as work tree: no clone, no push, and the
        // workspace itself is left untouched. The index this leaves in the bare repository is removed after.
        const inBare = git(source, author, true);
        const tree = [`--git-dir=${bare}`, `--work-tree=${source}`];
        await inBare.raw([...tree, 'add', '--all', '.']);
        await inBare.raw([...tree, 'commit', '--allow-empty', '--no-verify', '-q', '-m', ctx.input.gitCommitMessage ?? 'initial commit']);
        const commitHash = (await inBare.raw([`--git-dir=${bare}`, 'rev-parse', 'HEAD'])).trim();
        await Promise.all(['index', 'COMMIT_EDITMSG'].map((f) => rm(path.join(bare, f), { force: true })));
        const base = o.baseUrl().replace(/\/+$/, '');
        ctx.log(`published ${owner}/${repo} (${branch} at ${commitHash.slice(0, 12)})`);
        ctx.output('remoteUrl', `${base}/git/${owner}/${repo}.git`);
        ctx.output('repoContentsUrl', `${base}/git/${owner}/${repo}/blob/${branch}`);
        ctx.output('commitHash', commitHash);
      } catch (err) {
        await rm(bare, { recursive: true, force: true });
        throw new TarmacError('UPSTREAM_FAILED', `publishing ${owner}/${repo} failed: ${errorMessage(err).trim().split('\n').slice(-2).join(' ')}`, { cause: err });
      }
    },
  };
}
