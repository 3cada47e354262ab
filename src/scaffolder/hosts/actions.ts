/**
 * The four host publish actions: publish:github, publish:gitlab (create the repository through the API, then push the
 * workspace with real git) and publish:github:pull-request, publish:gitlab:merge-request (push a new branch with the
 * workspace's files onto an existing repository, then open the pull/merge request). None runs in a dry-run.
 */
import type { TarmacConfig } from '../../core/config.js';
import type { ActionContext, TemplateAction } from '../types.js';
import { scrub } from './errors.js';
import { resolveInside } from '../actions/workspace.js';
import { DEFAULT_AUTHOR, initAndPush, pushChangeBranch, type GitAuthor } from './git.js';
import { GITHUB_GIT_USERNAME, createGithubRepo, getGithubRepo, openGithubPullRequest } from './github.js';
import { GITLAB_GIT_USERNAME, createGitlabProject, getGitlabProject, openGitlabMergeRequest } from './gitlab.js';
import { githubPullRequestSchema, gitlabMergeRequestSchema, ignoredInputs, publishGithubSchema, publishGitlabSchema } from './schemas.js';
import { parseRepoTarget, resolveIntegration, type RepoTarget } from './target.js';

type Visibility = 'private' | 'internal' | 'public';

interface PublishInput {
  repoUrl: string;
  description?: string;
  homepage?: string;
  defaultBranch?: string;
  repoVisibility?: Visibility;
  sourcePath?: string;
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
  topics?: string[];
}

interface ChangeInput {
  repoUrl: string;
  branchName: string;
  targetBranchName?: string;
  title: string;
  description?: string;
  sourcePath?: string;
  targetPath?: string;
  commitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
  draft?: boolean;
  removeSourceBranch?: boolean;
}

function authorOf(i: { gitAuthorName?: string; gitAuthorEmail?: string }): GitAuthor {
  return { name: i.gitAuthorName || DEFAULT_AUTHOR.name, email: i.gitAuthorEmail || DEFAULT_AUTHOR.email };
}

/** Logs the inputs this action accepts for Backstage compatibility but does not act on. */
function warnIgnored(ctx: ActionContext<object>, schema: { input: Record<string, unknown> }): void {
  const ignored = ignoredInputs(schema, ctx.input as Record<string, unknown>);
  if (ignored.length) ctx.log(`inputs not supported by Tarmac, ignored: ${ignored.join(', ')}`, 'warn');
}

const where = (t: RepoTarget) => `${t.host}/${t.owner}/${t.repo}`;

function publishGithub(config: TarmacConfig): TemplateAction<PublishInput> {
  return {
    id: 'publish:github',
    description: 'Creates a GitHub repository through the API and pushes the workspace to it as the first commit.',
    schema: publishGithubSchema,
    supportsDryRun: false,
    examples: [{ description: 'Publish to a GitHub organization', example: 'repoUrl: github.com?owner=acme&repo=payments\nrepoVisibility: internal\ndefaultBranch: main' }],
    async handler(ctx) {
      const i = ctx.input;
      const t = parseRepoTarget(i.repoUrl);
      const integration = resolveIntegration(config, 'github', t.host);
      const sourceDir = resolveInside(ctx.workspacePath, i.sourcePath, 'sourcePath');
      warnIgnored(ctx, publishGithubSchema);
      const branch = i.defaultBranch || 'master';
      ctx.log(`creating repository ${where(t)} (${i.repoVisibility ?? 'private'})`);
      const repo = await createGithubRepo(integration, t, {
        description: i.description, homepage: i.homepage, visibility: i.repoVisibility ?? 'private', topics: i.topics,
      });
      const { commitHash } = await initAndPush({
        sourceDir, workDir: await ctx.createTemporaryDirectory(), remoteUrl: repo.clone_url, branch,
        auth: { username: GITHUB_GIT_USERNAME, token: integration.token }, author: authorOf(i),
        message: i.gitCommitMessage || 'initial commit', signal: ctx.signal,
      });
      ctx.log(`pushed ${commitHash.slice(0, 12)} to ${branch} of ${scrub(repo.html_url)}`);
      ctx.output('remoteUrl', repo.clone_url);
      ctx.output('repoContentsUrl', `${repo.html_url}/blob/${branch}`);
      ctx.output('commitHash', commitHash);
    },
  };
}

function publishGitlab(config: TarmacConfig): TemplateAction<PublishInput> {
  return {
    id: 'publish:gitlab',
    description: 'Creates a GitLab project through the API and pushes the workspace to it as the first commit.',
    schema: publishGitlabSchema,
    supportsDryRun: false,
    examples: [{ description: 'Publish to a GitLab group', example: 'repoUrl: gitlab.com?owner=acme/backend&repo=payments\ndefaultBranch: main' }],
    async handler(ctx) {
      const i = ctx.input;
      const t = parseRepoTarget(i.repoUrl);
      const integration = resolveIntegration(config, 'gitlab', t.host);
      const sourceDir = resolveInside(ctx.workspacePath, i.sourcePath, 'sourcePath');
      warnIgnored(ctx, publishGitlabSchema);
      const branch = i.defaultBranch || 'master';
      ctx.log(`creating project ${where(t)} (${i.repoVisibility ?? 'private'})`);
      const project = await createGitlabProject(integration, t, {
        description: i.description, visibility: i.repoVisibility ?? 'private', topics: i.topics,
      });
      const { commitHash } = await initAndPush({
        sourceDir, workDir: await ctx.createTemporaryDirectory(), remoteUrl: project.http_url_to_repo, branch,
        auth: { username: GITLAB_GIT_USERNAME, token: integration.token }, author: authorOf(i),
        message: i.gitCommitMessage || 'initial commit', signal: ctx.signal,
      });
      // Backstage: remoteUrl is the clone URL without `.git`, contents under `/-/blob/<branch>`.
      const remoteUrl = project.http_url_to_repo.replace(/\.git$/, '');
      ctx.log(`pushed ${commitHash.slice(0, 12)} to ${branch} of ${scrub(project.web_url)}`);
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', `${remoteUrl}/-/blob/${branch}`);
      ctx.output('projectId', project.id);
      ctx.output('commitHash', commitHash);
    },
  };
}

function githubPullRequest(config: TarmacConfig): TemplateAction<ChangeInput> {
  return {
    id: 'publish:github:pull-request',
    description: 'Pushes the workspace as a new branch of an existing GitHub repository and opens a pull request.',
    schema: githubPullRequestSchema,
    supportsDryRun: false,
    async handler(ctx) {
      const i = ctx.input;
      const t = parseRepoTarget(i.repoUrl);
      const integration = resolveIntegration(config, 'github', t.host);
      const sourceDir = resolveInside(ctx.workspacePath, i.sourcePath, 'sourcePath');
      warnIgnored(ctx, githubPullRequestSchema);
      const repo = await getGithubRepo(integration, t);
      const base = i.targetBranchName || repo.default_branch || 'main';
      ctx.log(`pushing branch ${i.branchName} to ${where(t)}`);
      await pushChangeBranch({
        sourceDir, targetPath: i.targetPath, workDir: await ctx.createTemporaryDirectory(), remoteUrl: repo.clone_url,
        base, branch: i.branchName, auth: { username: GITHUB_GIT_USERNAME, token: integration.token },
        author: authorOf(i), message: i.commitMessage || i.title, signal: ctx.signal,
      });
      const pr = await openGithubPullRequest(integration, t, { head: i.branchName, base, title: i.title, body: i.description, draft: i.draft });
      ctx.log(`opened pull request #${pr.number}: ${pr.url}`);
      ctx.output('remoteUrl', pr.url);
      ctx.output('pullRequestNumber', pr.number);
      ctx.output('targetBranchName', pr.base);
    },
  };
}

function gitlabMergeRequest(config: TarmacConfig): TemplateAction<ChangeInput> {
  return {
    id: 'publish:gitlab:merge-request',
    description: 'Pushes the workspace as a new branch of an existing GitLab project and opens a merge request.',
    schema: gitlabMergeRequestSchema,
    supportsDryRun: false,
    async handler(ctx) {
      const i = ctx.input;
      const t = parseRepoTarget(i.repoUrl);
      const integration = resolveIntegration(config, 'gitlab', t.host);
      const sourceDir = resolveInside(ctx.workspacePath, i.sourcePath, 'sourcePath');
      warnIgnored(ctx, gitlabMergeRequestSchema);
      const project = await getGitlabProject(integration, t);
      const base = i.targetBranchName || project.default_branch || 'main';
      ctx.log(`pushing branch ${i.branchName} to ${where(t)}`);
      await pushChangeBranch({
        sourceDir, targetPath: i.targetPath, workDir: await ctx.createTemporaryDirectory(),
        remoteUrl: project.http_url_to_repo, base, branch: i.branchName,
        auth: { username: GITLAB_GIT_USERNAME, token: integration.token }, author: authorOf(i),
        message: i.commitMessage || i.title, signal: ctx.signal,
      });
      const mr = await openGitlabMergeRequest(integration, t, {
        source: i.branchName, target: base, title: i.title, description: i.description, removeSourceBranch: i.removeSourceBranch,
      });
      ctx.log(`opened merge request !${mr.number}: ${mr.url}`);
      ctx.output('mergeRequestUrl', mr.url);
      ctx.output('projectid', `${t.owner}/${t.repo}`);
      ctx.output('projectPath', project.path_with_namespace);
      ctx.output('targetBranchName', mr.base);
    },
  };
}

/**
 * The host publish actions for the registry (H5 registers them with `registry.register`), each reading tokens and
 * API URLs from `config.integrations`.
 */
export function hostPublishActions(config: TarmacConfig): TemplateAction[] {
  const actions = [publishGithub(config), publishGitlab(config), githubPullRequest(config), gitlabMergeRequest(config)];
  // The engine validates each step's input against the action's schema before the handler runs, so the typed
  // inputs hold; the registry keeps actions with plain record inputs.
  return actions as unknown as TemplateAction[];
}
