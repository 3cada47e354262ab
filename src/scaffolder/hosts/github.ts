/**
 * GitHub through its REST API (@octokit/rest): create a repository, open a pull request.
 * Endpoints (docs.github.com/rest): GET /users/{username}, POST /orgs/{org}/repos, POST /user/repos,
 * PUT /repos/{owner}/{repo}/topics, GET /repos/{owner}/{repo}, POST /repos/{owner}/{repo}/pulls.
 */
import { Octokit } from '@octokit/rest';
import { hostError } from './errors.js';
import type { RepoTarget, ResolvedIntegration } from './target.js';

/** Git credentials GitHub accepts with a token (docs: "x-access-token" for app and personal tokens). */
export const GITHUB_GIT_USERNAME = 'x-access-token';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An Octokit for the integration; Octokit's own console logging is off (failures surface as errors). */
export function githubClient(integration: ResolvedIntegration): Octokit {
  return new Octokit({ auth: integration.token, baseUrl: integration.apiBaseUrl, log: quiet, userAgent: 'tarmac' });
}

/** The parts of GitHub's repository object Tarmac reads. */
export interface GithubRepo {
  clone_url: string;
  html_url: string;
  default_branch?: string;
}

/**
 * Creates `owner/repo`: in the organization when `owner` is one, else for the token's user (as Backstage's
 * publish:github does), then sets the topics.
 * @throws TarmacError CONFLICT (name already exists), NOT_FOUND (owner unknown), UPSTREAM_FAILED
 */
export async function createGithubRepo(
  integration: ResolvedIntegration,
  t: RepoTarget,
  o: { description?: string; visibility: 'private' | 'internal' | 'public'; homepage?: string; topics?: string[] },
): Promise<GithubRepo> {
  const client = githubClient(integration);
  const where = `${t.host}/${t.owner}/${t.repo}`;
  const token = integration.token;
  let ownerType: string;
  try {
    ownerType = (await client.rest.users.getByUsername({ username: t.owner })).data.type;
  } catch (err) {
    throw hostError(err, `looking up owner ${t.owner} on ${t.host}`, token);
  }
  const common = { name: t.repo, private: o.visibility === 'private', description: o.description, homepage: o.homepage };
  // GitHub accepts `internal` in enterprise organizations; Octokit's types list only public/private.
  const visibility = o.visibility as 'public' | 'private';
  let repo: GithubRepo;
  try {
    const created =
      ownerType === 'Organization'
        ? await client.rest.repos.createInOrg({ ...common, org: t.owner, visibility })
        : await client.rest.repos.createForAuthenticatedUser(common);
    repo = created.data;
  } catch (err) {
    throw hostError(err, `creating repository ${where}`, token);
  }
  if (o.topics?.length) {
    try {
      await client.rest.repos.replaceAllTopics({ owner: t.owner, repo: t.repo, names: o.topics.map((x) => x.toLowerCase()) });
    } catch (err) {
      throw hostError(err, `setting topics of ${where}`, token);
    }
  }
  return repo;
}

/** Reads `owner/repo`. @throws TarmacError NOT_FOUND, UPSTREAM_FAILED */
export async function getGithubRepo(integration: ResolvedIntegration, t: RepoTarget): Promise<GithubRepo> {
  try {
    return (await githubClient(integration).rest.repos.get({ owner: t.owner, repo: t.repo })).data;
  } catch (err) {
    throw hostError(err, `reading repository ${t.host}/${t.owner}/${t.repo}`, integration.token);
  }
}

/**
 * Opens a pull request from `head` into `base` (both branches of `owner/repo`).
 * @returns the pull request's web URL and number
 * @throws TarmacError CONFLICT (a pull request for the branch exists), NOT_FOUND, UPSTREAM_FAILED
 */
export async function openGithubPullRequest(
  integration: ResolvedIntegration,
  t: RepoTarget,
  o: { head: string; base: string; title: string; body?: string; draft?: boolean },
): Promise<{ url: string; number: number; base: string }> {
  try {
    const { data } = await githubClient(integration).rest.pulls.create({
      owner: t.owner, repo: t.repo, head: o.head, base: o.base, title: o.title, body: o.body, draft: o.draft,
    });
    return { url: data.html_url, number: data.number, base: data.base.ref };
  } catch (err) {
    throw hostError(err, `opening a pull request ${o.head} → ${o.base} on ${t.host}/${t.owner}/${t.repo}`, integration.token);
  }
}
