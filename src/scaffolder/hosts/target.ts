/**
 * Which repository on which host an action or change request means, and the integration (token, API URL) to reach
 * it with. Repository locations follow Backstage's RepoUrlPicker form `host?owner=o&repo=r`
 * (scaffolder-node `parseRepoUrl`); plain `https://host/owner/repo(.git)` URLs are accepted too.
 */
import { TarmacError } from '../../core/errors.js';
import type { HostIntegration, TarmacConfig } from '../../core/config.js';

/** A repository on a Git host. `owner` may hold GitLab subgroups (`group/sub`). */
export interface RepoTarget {
  host: string;
  owner: string;
  repo: string;
}

/** The host kinds Tarmac publishes to through an API. */
export type HostKind = 'github' | 'gitlab';

/** An integration resolved for one host: always with a token and an API base URL. */
export interface ResolvedIntegration {
  kind: HostKind;
  host: string;
  /** Never logged, never put in a message or a URL. */
  token: string;
  /** GitHub REST root (`https://api.github.com`) or GitLab's `https://<host>/api/v4`, no trailing slash. */
  apiBaseUrl: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Parses `github.com?owner=o&repo=r` (Backstage RepoUrlPicker) or `https://github.com/o/r(.git)`.
 * @throws TarmacError BAD_REQUEST naming the input when the host, owner or repo is missing or malformed
 */
export function parseRepoTarget(repoUrl: string, field = 'repoUrl'): RepoTarget {
  let host: string;
  let owner: string | null;
  let repo: string | null;
  if (/^https?:\/\//i.test(repoUrl)) {
    const url = new URL(repoUrl);
    const parts = url.pathname.replace(/\.git$/, '').split('/').filter(Boolean);
    host = url.host;
    repo = parts.pop() ?? null;
    owner = parts.length ? parts.join('/') : null;
  } else {
    const q = repoUrl.indexOf('?');
    host = q < 0 ? repoUrl : repoUrl.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : repoUrl.slice(q + 1));
    owner = params.get('owner');
    repo = params.get('repo');
  }
  const bad = (why: string) => new TarmacError('BAD_REQUEST', `${field} "${repoUrl}": ${why}`, { details: { path: field } });
  if (!host || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) throw bad('expected "host?owner=<owner>&repo=<repo>"');
  if (!owner) throw bad('owner is missing: it must look like <host>?owner=<owner>&repo=<repo>');
  if (!repo) throw bad('repo is missing: it must look like <host>?owner=<owner>&repo=<repo>');
  if (!owner.split('/').every((p) => NAME.test(p))) throw bad(`owner "${owner}" is not a valid name`);
  if (!NAME.test(repo) || repo === '.' || repo === '..') throw bad(`repo "${repo}" is not a valid name`);
  return { host, owner, repo };
}

/** Hosts that are GitHub or GitLab without being configured (their public SaaS). */
const DEFAULT_HOSTS: Record<HostKind, string> = { github: 'github.com', gitlab: 'gitlab.com' };

function defaultApiBaseUrl(kind: HostKind, host: string): string {
  if (kind === 'github') return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
  return `https://${host}/api/v4`;
}

/** The kind of host `host` is per config (`integrations.github[]` / `integrations.gitlab[]`), else undefined. */
export function hostKindOf(config: TarmacConfig, host: string): HostKind | undefined {
  for (const kind of ['github', 'gitlab'] as const) {
    if (config.integrations[kind].some((i) => i.host === host) || DEFAULT_HOSTS[kind] === host) return kind;
  }
  return undefined;
}

/**
 * The integration of `kind` configured for `host` with a token (Backstage `integrations.<kind>[].host` match), or
 * undefined when none is configured or it has no token — for callers that can go on anonymously (upgrades).
 */
export function findIntegration(config: TarmacConfig, kind: HostKind, host: string): ResolvedIntegration | undefined {
  const found: HostIntegration | undefined = config.integrations[kind].find((i) => i.host === host);
  if (!found?.token) return undefined;
  const apiBaseUrl = (found.apiBaseUrl ?? defaultApiBaseUrl(kind, host)).replace(/\/+$/, '');
  return { kind, host, token: found.token, apiBaseUrl };
}

/**
 * The integration of `kind` configured for `host` (Backstage `integrations.<kind>[].host` match).
 * @throws TarmacError CONFIG_INVALID naming the host when no integration or no token is configured for it
 */
export function resolveIntegration(config: TarmacConfig, kind: HostKind, host: string): ResolvedIntegration {
  const found = findIntegration(config, kind, host);
  if (!found) {
    throw new TarmacError(
      'CONFIG_INVALID',
      `no ${kind === 'github' ? 'GitHub' : 'GitLab'} token configured for host ${host}: add { host: ${host}, token: \${…} } to integrations.${kind} in tarmac.yaml`,
    );
  }
  return found;
}
