/**
 * Upgrade routes (issue 3, "Versions and upgrades"), beside Backstage's `/api/scaffolder/v2` routes:
 * - `GET  …/v2/templates/:namespace/:kind/:name/versions` → `{ templateRef, items: TemplateVersion[] }`
 * - `GET  …/v2/templates/:namespace/:kind/:name/repositories` → `{ templateRef, latestVersion, latestNumber, items }`
 * - `GET  …/v2/repositories?componentRef=` → `{ items }` (the component page: "template v3, latest v5")
 * - `POST …/v2/upgrades` `{ repoUrl | componentRef | templateRef + all: true, allowConflicts?, targetVersion? }`
 *   → an `UpgradeResult`, or with `all` an `UpgradeAllSummary`.
 * Items: `RepositoryView`. Authorization: template.read / template.upgrade, on the component entity when one
 * repository is upgraded (its owners may upgrade it), on the Template for `all`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceRef } from '../../core/auth.js';
import { TarmacError, isTarmacError } from '../../core/errors.js';
import type { ModuleDeps } from '../../core/module.js';
import { parseEntityRef, stringifyEntityRef, type CatalogService, type Entity } from '../../catalog/index.js';
import type { VersionStore } from '../versions/index.js';
import type { RepositoryStore } from './repositories.js';
import type { ScaffoldedRepository, UpgradeSummary } from './types.js';
import type { Upgrader } from './upgrader.js';

/** What the upgrade routes need besides `ModuleDeps`. */
export interface UpgradeRouteOptions {
  catalog: CatalogService;
  versions: VersionStore;
  repositories: RepositoryStore;
  upgrader: Upgrader;
  /** Path prefix of the routes: `/api/scaffolder/v2` (default) when mounted at the root, `/v2` under `/api/scaffolder`. */
  basePath?: string;
}

/** A repository as the routes show it. `behind` is true when a newer template version than its own is recorded. */
export interface RepositoryView {
  repoUrl: string;
  remoteUrl: string;
  templateRef: string;
  componentRef: string | null;
  version: string;
  versionNumber: number | null;
  latestVersion: string | null;
  latestNumber: number | null;
  behind: boolean;
  lastUpgrade: UpgradeSummary | null;
}

const TAG = ['scaffolder: upgrades'];
const templateParams = {
  type: 'object',
  required: ['namespace', 'kind', 'name'],
  properties: { namespace: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } },
} as const;
const upgradeBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    repoUrl: { type: 'string', minLength: 1, maxLength: 2048 },
    componentRef: { type: 'string', minLength: 1, maxLength: 512 },
    templateRef: { type: 'string', minLength: 1, maxLength: 512 },
    all: { type: 'boolean' },
    allowConflicts: { type: 'boolean' },
    targetVersion: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

interface UpgradeBody {
  repoUrl?: string;
  componentRef?: string;
  templateRef?: string;
  all?: boolean;
  allowConflicts?: boolean;
  targetVersion?: string;
}

/** `template:<ns>/<name>` from route params. @throws TarmacError BAD_REQUEST when kind is not template */
function templateRefOf(p: { namespace: string; kind: string; name: string }): string {
  if (p.kind.toLowerCase() !== 'template') throw new TarmacError('BAD_REQUEST', `kind must be template, got "${p.kind}"`);
  return stringifyEntityRef({ kind: 'template', namespace: p.namespace, name: p.name });
}

/** Normalises a ref (kind defaulted) to lowercase `kind:ns/name`. @throws TarmacError BAD_REQUEST */
function normalizeRef(ref: string, defaultKind: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }));
  } catch (err) {
    throw new TarmacError('BAD_REQUEST', `${field} "${ref}" is not an entity ref: ${(err as Error).message}`);
  }
}

/** Registers the routes. Every route declares `config.auth`; handlers check the concrete resource. */
export async function registerUpgradeRoutes(app: FastifyInstance, deps: ModuleDeps, opts: UpgradeRouteOptions): Promise<void> {
  const base = opts.basePath ?? '/api/scaffolder/v2';

  const entityOrUndefined = async (ref: string): Promise<Entity | undefined> => {
    const { kind, namespace, name } = parseEntityRef(ref);
    try {
      return await opts.catalog.getEntityByName(kind, namespace, name);
    } catch (err) {
      if (isTarmacError(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
  };
  const check = (req: FastifyRequest, action: string, resource: ResourceRef): void => {
    const d = deps.authz.authorize(req.principal, action, resource);
    if (!d.allow) throw new TarmacError('FORBIDDEN', `not allowed to ${action} ${resource.id ?? resource.type}: ${d.reason}`);
  };
  const templateResource = async (ref: string): Promise<ResourceRef> => {
    const entity = await entityOrUndefined(ref);
    return { type: 'template', id: ref, ...(entity ? { entity } : {}) };
  };
  const views = async (repos: ScaffoldedRepository[]): Promise<RepositoryView[]> => {
    const latest = await opts.versions.latestOf(repos.map((r) => r.templateRef));
    return repos.map((r) => {
      const l = latest.get(r.templateRef.toLowerCase());
      return {
        repoUrl: r.repoUrl,
        remoteUrl: r.remoteUrl,
        templateRef: r.templateRef,
        componentRef: r.componentRef ?? null,
        version: r.version,
        versionNumber: r.versionNumber,
        latestVersion: l?.version ?? null,
        latestNumber: l?.number ?? null,
        behind: l !== undefined && l.version !== r.version && (r.versionNumber === null || r.versionNumber < l.number),
        lastUpgrade: r.lastUpgrade,
      };
    });
  };

  app.get<{ Params: { namespace: string; kind: string; name: string } }>(
    `${base}/templates/:namespace/:kind/:name/versions`,
    { config: { auth: { action: 'template.read' } }, schema: { tags: TAG, summary: "A template's recorded versions, v1 first.", params: templateParams } },
    async (req) => {
      const templateRef = templateRefOf(req.params);
      check(req, 'template.read', await templateResource(templateRef));
      return { templateRef, items: await opts.versions.list(templateRef) };
    },
  );

  app.get<{ Params: { namespace: string; kind: string; name: string } }>(
    `${base}/templates/:namespace/:kind/:name/repositories`,
    {
      config: { auth: { action: 'template.read' } },
      schema: { tags: TAG, summary: 'Repositories made from a template, each with its version and whether it is behind.', params: templateParams },
    },
    async (req) => {
      const templateRef = templateRefOf(req.params);
      check(req, 'template.read', await templateResource(templateRef));
      const latest = await opts.versions.latest(templateRef);
      return {
        templateRef,
        latestVersion: latest?.version ?? null,
        latestNumber: latest?.number ?? null,
        items: await views(await opts.repositories.listByTemplate(templateRef)),
      };
    },
  );

  app.get<{ Querystring: { componentRef: string } }>(
    `${base}/repositories`,
    {
      config: { auth: { action: 'template.read' } },
      schema: {
        tags: TAG,
        summary: 'The scaffolded repositories of a component, with template version and latest version.',
        querystring: { type: 'object', required: ['componentRef'], properties: { componentRef: { type: 'string', minLength: 1, maxLength: 512 } } },
      },
    },
    async (req) => {
      const componentRef = normalizeRef(req.query.componentRef, 'component', 'componentRef');
      const entity = await entityOrUndefined(componentRef);
      if (entity) check(req, 'catalog.entity.read', { type: 'entity', id: componentRef, entity });
      return { items: await views(await opts.repositories.findByComponent(componentRef)) };
    },
  );

  app.post<{ Body: UpgradeBody }>(
    `${base}/upgrades`,
    {
      config: { auth: { action: 'template.upgrade' } },
      schema: {
        tags: TAG,
        summary: 'Upgrade one repository (repoUrl or componentRef) or every repository of a template (templateRef + all).',
        body: upgradeBody,
      },
    },
    async (req) => {
      const b = req.body;
      const chosen = [b.repoUrl !== undefined, b.componentRef !== undefined, b.templateRef !== undefined].filter(Boolean).length;
      if (chosen !== 1) throw new TarmacError('BAD_REQUEST', 'give exactly one of repoUrl, componentRef, or templateRef with all: true');
      const caller = { actor: req.principal.actor, requestId: req.id, ip: req.ip, allowConflicts: b.allowConflicts === true };
      if (b.templateRef !== undefined) {
        if (b.all !== true) throw new TarmacError('BAD_REQUEST', 'templateRef upgrades every repository of the template: set all: true');
        const templateRef = normalizeRef(b.templateRef, 'template', 'templateRef');
        const resource = await templateResource(templateRef);
        const d = deps.authz.authorize(req.principal, 'template.upgrade', resource);
        if (!d.allow) {
          await deps.audit.record({ actor: req.principal.actor, action: 'template.upgrade', resource: templateRef, outcome: 'denied', requestId: req.id, ip: req.ip, summary: { all: true } });
          throw new TarmacError('FORBIDDEN', `not allowed to template.upgrade ${templateRef}: ${d.reason}`);
        }
        return opts.upgrader.upgradeAll(templateRef, caller);
      }
      let repo: ScaffoldedRepository | undefined;
      if (b.repoUrl !== undefined) {
        repo = await opts.repositories.findByRepoUrl(b.repoUrl);
        if (!repo) throw new TarmacError('NOT_FOUND', `no scaffolded repository ${b.repoUrl} is recorded`);
      } else {
        const componentRef = normalizeRef(b.componentRef ?? '', 'component', 'componentRef');
        const found = await opts.repositories.findByComponent(componentRef);
        if (found.length === 0) throw new TarmacError('NOT_FOUND', `no scaffolded repository is recorded for ${componentRef}`);
        if (found.length > 1 || !found[0]) throw new TarmacError('BAD_REQUEST', `${componentRef} has ${found.length} repositories: upgrade one by repoUrl`);
        repo = found[0];
      }
      const entity = repo.componentRef ? await entityOrUndefined(repo.componentRef) : undefined;
      // Owners of the component may upgrade its repository; without a component, the template decides.
      const resource: ResourceRef = entity ? { type: 'entity', id: repo.componentRef, entity } : await templateResource(repo.templateRef);
      const d = deps.authz.authorize(req.principal, 'template.upgrade', resource);
      if (!d.allow) {
        await deps.audit.record({ actor: req.principal.actor, action: 'template.upgrade', resource: resource.id ?? repo.repoUrl, outcome: 'denied', requestId: req.id, ip: req.ip, summary: { repoUrl: repo.repoUrl } });
        throw new TarmacError('FORBIDDEN', `not allowed to template.upgrade ${resource.id}: ${d.reason}`);
      }
      return opts.upgrader.upgradeRepository({ ...caller, repo, ...(b.targetVersion ? { targetVersion: b.targetVersion } : {}) });
    },
  );
}
