/**
 * GitLab through its REST API v4 (@gitbeaker/rest): create a project, open a merge request.
 * Endpoints (docs.gitlab.com/api): GET /namespaces/:id, POST /projects, GET /projects/:id,
 * POST /projects/:id/merge_requests. Gitbeaker sends the token as `PRIVATE-TOKEN`.
 */
import { Gitlab } from '@gitbeaker/rest';
import { hostError } from './errors.js';
import type { RepoTarget, ResolvedIntegration } from './target.js';

/** Git credentials GitLab accepts with a personal/project access token (docs: any username; `oauth2` by convention). */
export const GITLAB_GIT_USERNAME = 'oauth2';

/** A Gitbeaker client: its `host` is the API base URL without Gitbeaker's own `/api/v4` suffix. */
export function gitlabClient(integration: ResolvedIntegration): InstanceType<typeof Gitlab> {
  return new Gitlab({ host: integration.apiBaseUrl.replace(/\/api\/v4$/, ''), token: integration.token });
}

/** The parts of GitLab's project object Tarmac reads. */
export interface GitlabProject {
  id: number;
  http_url_to_repo: string;
  web_url: string;
  path_with_namespace: string;
  default_branch?: string | null;
}

/**
 * Creates project `repo` in namespace `owner` (a group, subgroup path or user), as Backstage's publish:gitlab does.
 * @throws TarmacError CONFLICT (name/path already taken), NOT_FOUND (namespace unknown), UPSTREAM_FAILED
 */
export async function createGitlabProject(
  integration: ResolvedIntegration,
  t: RepoTarget,
  o: { description?: string; visibility: 'private' | 'internal' | 'public'; topics?: string[] },
): Promise<GitlabProject> {
  const client = gitlabClient(integration);
  let namespaceId: number;
  try {
    namespaceId = (await client.Namespaces.show(t.owner)).id;
  } catch (err) {
    throw hostError(err, `looking up namespace ${t.owner} on ${t.host}`, integration.token);
  }
  try {
    const project = await client.Projects.create({
      name: t.repo,
      path: t.repo,
      namespaceId,
      visibility: o.visibility,
      ...(o.description ? { description: o.description } : {}),
      ...(o.topics?.length ? { topics: o.topics } : {}),
    });
    return project as unknown as GitlabProject;
  } catch (err) {
    throw hostError(err, `creating project ${t.host}/${t.owner}/${t.repo}`, integration.token);
  }
}

/** Reads project `owner/repo`. @throws TarmacError NOT_FOUND, UPSTREAM_FAILED */
export async function getGitlabProject(integration: ResolvedIntegration, t: RepoTarget): Promise<GitlabProject> {
  try {
    return (await gitlabClient(integration).Projects.show(`${t.owner}/${t.repo}`)) as unknown as GitlabProject;
  } catch (err) {
    throw hostError(err, `reading project ${t.host}/${t.owner}/${t.repo}`, integration.token);
  }
}

/**
 * Opens a merge request from `source` into `target` in project `owner/repo`.
 * @returns the merge request's web URL and its project-level number (iid)
 * @throws TarmacError CONFLICT (one is already open for the branch), NOT_FOUND, UPSTREAM_FAILED
 */
export async function openGitlabMergeRequest(
  integration: ResolvedIntegration,
  t: RepoTarget,
  o: { source: string; target: string; title: string; description?: string; removeSourceBranch?: boolean },
): Promise<{ url: string; number: number; base: string }> {
  try {
    const mr = await gitlabClient(integration).MergeRequests.create(`${t.owner}/${t.repo}`, o.source, o.target, o.title, {
      ...(o.description ? { description: o.description } : {}),
      ...(o.removeSourceBranch !== undefined ? { removeSourceBranch: o.removeSourceBranch } : {}),
    });
    return { url: String(mr.web_url), number: Number(mr.iid), base: String(mr.target_branch) };
  } catch (err) {
    throw hostError(err, `opening a merge request ${o.source} → ${o.target} on ${t.host}/${t.owner}/${t.repo}`, integration.token);
  }
}
