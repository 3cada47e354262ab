/**
 * Input and output JSON Schemas of the host publish actions, after Backstage's documented inputs
 * (plugins/scaffolder-backend-module-github: publish:github, publish:github:pull-request;
 * plugins/scaffolder-backend-module-gitlab: publish:gitlab, publish:gitlab:merge-request).
 * Backstage inputs Tarmac does not act on (branch protection, collaborators, repository secrets…) are accepted, and
 * the action logs a warning naming each one (`ignoredInputs`), so Backstage templates still run.
 */
import type { JsonSchema } from '../types.js';

const str = (title: string, description: string): JsonSchema => ({ type: 'string', title, description });
const bool = (title: string, description: string): JsonSchema => ({ type: 'boolean', title, description });
const visibility: JsonSchema = {
  type: 'string',
  title: 'Repository Visibility',
  description: "Visibility of the new repository (default 'private').",
  enum: ['private', 'internal', 'public'],
};
const topics: JsonSchema = { type: 'array', title: 'Topics', items: { type: 'string' } };

const repoUrl = (host: string, ownerWord: string): JsonSchema =>
  str('Repository Location', `'${host}?owner=<${ownerWord}>&repo=<name>', as RepoUrlPicker writes it.`);

const commonPublish = (host: string, ownerWord: string): Record<string, JsonSchema> => ({
  repoUrl: repoUrl(host, ownerWord),
  description: str('Repository Description', 'Description of the new repository.'),
  defaultBranch: str('Default Branch', "Branch the first commit goes to (default 'master', as in Backstage)."),
  repoVisibility: visibility,
  sourcePath: str('Source Path', 'Folder of the workspace that becomes the repository root (default: the workspace).'),
  gitCommitMessage: str('Git Commit Message', "Message of the first commit (default 'initial commit')."),
  gitAuthorName: str('Git Author Name', "Author of the first commit (default 'Tarmac Scaffolder')."),
  gitAuthorEmail: str('Git Author Email', 'E-mail of the author of the first commit.'),
  topics,
});

const publishOutput = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  properties: {
    remoteUrl: str('Remote URL', 'A URL to the repository with the provider'),
    repoContentsUrl: str('Repository Contents URL', 'A URL to the root of the repository'),
    commitHash: str('Commit Hash', 'The git commit hash of the initial commit'),
    ...extra,
  },
});

/** publish:github */
export const publishGithubSchema = {
  input: {
    type: 'object',
    required: ['repoUrl'],
    properties: { ...commonPublish('github.com', 'owner'), homepage: str('Homepage', 'Homepage URL of the repository.') },
  },
  output: publishOutput(),
};

/** publish:gitlab */
export const publishGitlabSchema = {
  input: { type: 'object', required: ['repoUrl'], properties: commonPublish('gitlab.com', 'group') },
  output: publishOutput({ projectId: { type: 'number', title: 'The ID of the project' } }),
};

const changeInputs = (noun: string): Record<string, JsonSchema> => ({
  branchName: str('Branch Name', `The branch the ${noun} proposes (created; must not exist yet).`),
  targetBranchName: str('Target Branch Name', `The branch the ${noun} merges into (default: the repository's default branch).`),
  title: str('Title', `Title of the ${noun}.`),
  description: str('Description', `Body of the ${noun}.`),
  sourcePath: str('Working Subdirectory', 'Folder of the workspace to copy changes from (default: the workspace).'),
  targetPath: str('Repository Subdirectory', 'Folder of the repository the changes go to (default: the root).'),
  commitMessage: str('Commit Message', 'Message of the commit (default: the title).'),
  gitAuthorName: str('Git Author Name', "Author of the commit (default 'Tarmac Scaffolder')."),
  gitAuthorEmail: str('Git Author Email', 'E-mail of the author of the commit.'),
});

/** publish:github:pull-request */
export const githubPullRequestSchema = {
  input: {
    type: 'object',
    required: ['repoUrl', 'title', 'description', 'branchName'],
    properties: {
      repoUrl: repoUrl('github.com', 'owner'),
      ...changeInputs('pull request'),
      draft: bool('Create as Draft', 'Create a draft pull request.'),
    },
  },
  output: {
    type: 'object',
    required: ['remoteUrl'],
    properties: {
      remoteUrl: str('Pull Request URL', 'Link to the pull request in GitHub'),
      pullRequestNumber: { type: 'number', title: 'Pull Request Number' },
      targetBranchName: str('Target Branch Name', 'Target branch name of the pull request'),
    },
  },
};

/** publish:gitlab:merge-request */
export const gitlabMergeRequestSchema = {
  input: {
    type: 'object',
    required: ['repoUrl', 'branchName', 'title'],
    properties: {
      repoUrl: repoUrl('gitlab.com', 'group'),
      ...changeInputs('merge request'),
      removeSourceBranch: bool('Delete source branch', 'Delete the source branch once the merge request is merged.'),
    },
  },
  output: {
    type: 'object',
    properties: {
      mergeRequestUrl: str('Merge Request URL', 'Link to the merge request in GitLab'),
      projectid: str('Project id', 'GitLab project id or path (`group/name`)'),
      projectPath: str('Project path', 'GitLab project path with namespace'),
      targetBranchName: str('Target Branch Name', 'Target branch name of the merge request'),
    },
  },
};

/** Names of `input` keys the action's schema does not describe (logged as ignored). */
export function ignoredInputs(schema: { input: JsonSchema }, input: Record<string, unknown>): string[] {
  const known = Object.keys((schema.input.properties ?? {}) as Record<string, unknown>);
  return Object.keys(input).filter((k) => !known.includes(k) && input[k] !== undefined);
}
