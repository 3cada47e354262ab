/**
 * Publishing to GitHub and GitLab through their APIs: the four `publish:*` host actions, and `openChangeRequest`
 * for a branch already pushed (template upgrades). Tokens come from `config.integrations` and never reach a log,
 * a message or a URL.
 */
import type { TarmacConfig } from '../../core/config.js';
import { getGithubRepo, openGithubPullRequest } from './github.js';
import { getGitlabProject, openGitlabMergeRequest } from './gitlab.js';
import { TarmacError } from '../../core/errors.js';
import { hostKindOf, parseRepoTarget, resolveIntegration, type HostKind } from './target.js';

export { hostPublishActions } from './actions.js';
export { parseRepoTarget, hostKindOf, type RepoTarget, type HostKind } from './target.js';

/** A pull request (GitHub) or merge request (GitLab) that was opened. */
export interface ChangeRequest {
  kind: HostKind;
  /** Web URL of the pull/merge request. */
  url: string;
  /** Pull request number / merge request iid. */
  number: number;
  /** The branch it merges into. */
  base: string;
}

/**
 * Opens a GitHub pull request or GitLab merge request for `branch`, already pushed to the repository.
 * The host's kind is read from `config.integrations` (`github.com` and `gitlab.com` are known without config).
 * @param o.repoUrl `host?owner=o&repo=r` or `https://host/owner/repo(.git)`
 * @param o.base target branch; default the repository's default branch (one extra API call)
 * @throws TarmacError BAD_REQUEST (repoUrl malformed, host neither GitHub nor GitLab), CONFIG_INVALID (no token for
 *   the host), CONFLICT (a request for the branch is already open), NOT_FOUND, UPSTREAM_FAILED
 */
export async function openChangeRequest(o: {
  repoUrl: string; branch: string; base?: string; title: string; body?: string; config: TarmacConfig;
}): Promise<ChangeRequest> {
  const t = parseRepoTarget(o.repoUrl);
  const kind = hostKindOf(o.config, t.host);
  if (!kind) {
    throw new TarmacError('BAD_REQUEST', `cannot open a pull/merge request on ${t.host}: it is not a GitHub or GitLab host in integrations`);
  }
  const integration = resolveIntegration(o.config, kind, t.host);
  if (kind === 'github') {
    const base = o.base || (await getGithubRepo(integration, t)).default_branch || 'main';
    return { kind, ...(await openGithubPullRequest(integration, t, { head: o.branch, base, title: o.title, body: o.body })) };
  }
  const base = o.base || (await getGitlabProject(integration, t)).default_branch || 'main';
  return { kind, ...(await openGitlabMergeRequest(integration, t, { source: o.branch, target: base, title: o.title, description: o.body })) };
}
