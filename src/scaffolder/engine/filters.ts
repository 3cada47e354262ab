/**
 * Backstage's scaffolder template filters (plugins/scaffolder-backend/src/lib/templating/filters/):
 * `parseRepoUrl`, `parseEntityRef`, `pick`, `projectSlug`. As in Backstage's SecureTemplater, every result goes
 * through JSON, so a filter can never hand a function or a prototype to the template.
 */
import { TarmacError } from '../../core/errors.js';

/** What `parseRepoUrl` returns (Backstage `RepoSpec`): absent parts are left out. */
export interface RepoSpec {
  host: string;
  repo: string;
  owner?: string;
  organization?: string;
  workspace?: string;
  project?: string;
}

/**
 * Parses a RepoUrlPicker value `host?owner=o&repo=r` (also `organization`, `workspace`, `project`).
 * Rule (Backstage `parseRepoUrl` in @backstage/plugin-scaffolder-node): `repo` is required; `owner` too unless
 * `project` or `workspace` identifies the repository (Azure, Bitbucket, GitLab projects).
 * @throws TarmacError BAD_REQUEST naming the value and the missing part
 */
export function parseRepoUrl(repoUrl: unknown): RepoSpec {
  if (typeof repoUrl !== 'string' || repoUrl === '') {
    throw new TarmacError('BAD_REQUEST', `Invalid repo URL: expected a string like "github.com?owner=o&repo=r"`);
  }
  let parsed: URL;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch {
    throw new TarmacError('BAD_REQUEST', `Invalid repo URL "${repoUrl}": expected "host?owner=o&repo=r"`);
  }
  const q = (k: string) => parsed.searchParams.get(k) ?? undefined;
  const spec: RepoSpec = { host: parsed.host, repo: q('repo') ?? '' };
  for (const k of ['owner', 'organization', 'workspace', 'project'] as const) {
    const v = q(k);
    if (v !== undefined) spec[k] = v;
  }
  if (!spec.repo) throw new TarmacError('BAD_REQUEST', `Invalid repo URL "${repoUrl}": missing repo`);
  if (!spec.owner && !spec.project && !spec.workspace) {
    throw new TarmacError('BAD_REQUEST', `Invalid repo URL "${repoUrl}": missing owner`);
  }
  return spec;
}

/** A parsed entity reference. */
export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Parses `[kind:][namespace/]name` (or `{ kind?, namespace?, name }`) as `@backstage/catalog-model`'s
 * `parseEntityRef` does: the kind is kept as written; defaults come from `{ defaultKind, defaultNamespace }`,
 * the namespace falls back to `default`.
 * @throws TarmacError BAD_REQUEST when the form is wrong or no kind is known
 */
export function parseEntityRef(ref: unknown, context?: { defaultKind?: string; defaultNamespace?: string }): CompoundEntityRef {
  let kind: string | undefined;
  let namespace: string | undefined;
  let name: string | undefined;
  if (typeof ref === 'string') {
    let colon = ref.indexOf(':');
    const slash = ref.indexOf('/');
    if (slash !== -1 && slash < colon) colon = -1;
    kind = colon === -1 ? undefined : ref.slice(0, colon);
    namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
    name = ref.slice(Math.max(colon + 1, slash + 1));
    if (kind === '' || namespace === '' || !name) {
      throw new TarmacError('BAD_REQUEST', `Entity reference "${ref}" was not on the form [<kind>:][<namespace>/]<name>`);
    }
  } else if (ref && typeof ref === 'object') {
    const r = ref as Record<string, unknown>;
    kind = typeof r.kind === 'string' ? r.kind : undefined;
    namespace = typeof r.namespace === 'string' ? r.namespace : undefined;
    name = typeof r.name === 'string' ? r.name : undefined;
  }
  kind = kind || context?.defaultKind;
  if (!kind) {
    throw new TarmacError('BAD_REQUEST', `Entity reference ${JSON.stringify(ref)} had missing or empty kind (e.g. did not start with "component:" or similar)`);
  }
  if (!name) throw new TarmacError('BAD_REQUEST', `Entity reference ${JSON.stringify(ref)} had missing or empty name`);
  return { kind, namespace: namespace || context?.defaultNamespace || 'default', name };
}

const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype']);

/**
 * Reads a property path (`a.b[0].c`, lodash `get` syntax) from plain data, own properties only.
 * @throws TarmacError BAD_REQUEST for `constructor` / `__proto__` / `prototype` segments
 */
export function pick(obj: unknown, path: unknown): unknown {
  const segments = String(path)
    .replace(/\[(\w+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
  let cur: unknown = obj;
  for (const seg of segments) {
    if (FORBIDDEN.has(seg)) throw new TarmacError('BAD_REQUEST', `pick: access to "${seg}" is not allowed`);
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** `owner/repo` from a RepoUrlPicker value (Backstage `projectSlug`). @throws as `parseRepoUrl` */
export function projectSlug(repoUrl: unknown): string {
  const { owner, repo } = parseRepoUrl(repoUrl);
  return `${owner}/${repo}`;
}

/** Drops Nunjucks' keyword-argument marker and returns the options object a filter was given. */
function options(args: unknown[]): { defaultKind?: string; defaultNamespace?: string } | undefined {
  const last = args.find((a) => a && typeof a === 'object') as Record<string, unknown> | undefined;
  if (!last) return undefined;
  const { __keywords: _k, ...rest } = last;
  return rest as { defaultKind?: string; defaultNamespace?: string };
}

/** JSON round trip, as Backstage does for filter results. */
const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** The filters added to every sandboxed environment (by name). */
export const customFilters: Record<string, (...args: unknown[]) => unknown> = {
  parseRepoUrl: (url) => plain(parseRepoUrl(url)),
  parseEntityRef: (ref, ...rest) => plain(parseEntityRef(ref, options(rest))),
  pick: (obj, path) => plain(pick(obj, path)),
  projectSlug: (url) => projectSlug(url),
};
