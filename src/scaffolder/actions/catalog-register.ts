import { existsSync } from 'node:fs';
import { errorMessage, TarmacError } from '../../core/errors.js';
import { stringifyEntityRef, type CatalogService } from '../../catalog/index.js';
import { bareRepoPath, parseLocalRepoUrl } from '../publish-git/repos.js';
import type { TemplateAction } from '../types.js';
import type { AuditRecorder } from '../../core/auth.js';

/** Input of `catalog:register` (Backstage's two forms). */
export type CatalogRegisterInput = { optional?: boolean } & (
  | { catalogInfoUrl: string; repoContentsUrl?: undefined; catalogInfoPath?: undefined }
  | { repoContentsUrl: string; catalogInfoPath?: string; catalogInfoUrl?: undefined }
);

/** `${repoContentsUrl}/${catalogInfoPath}` with exactly one slash between (Backstage's join). */
function joinUrl(base: string, rel: string): string {
  return `${base.replace(/\/+$/, '')}/${rel.replace(/^\/+/, '')}`;
}

/**
 * The `catalog:register` action (after Backstage's): registers the new repository's catalog file and waits for it
 * to be ingested. URLs of the local publisher (`…/git/<owner>/<repo>/blob/<branch>/<path>`) whose bare repository
 * is on this machine become a `git` location on that repository's path (the catalog's git reader clones local
 * paths); any other URL becomes a `url` location (the catalog's host allowlist applies). An already registered
 * location is refreshed. Outputs `entityRef` (the first entity the location emitted) and `catalogInfoUrl`.
 * With `optional: true` a failure is logged and the run goes on. Not run in dry-runs. The location is created by
 * the run's user (its owner for permission checks) and appended to the audit log like one registered through the API.
 * @throws TarmacError BAD_REQUEST (no URL given), or the catalog's errors
 */
export function createCatalogRegisterAction(o: { catalog: CatalogService; dataDir: string; audit: AuditRecorder }): TemplateAction<CatalogRegisterInput> {
  return {
    id: 'catalog:register',
    description: 'Registers a catalog-info.yaml file in the catalog and waits until its entities are in.',
    supportsDryRun: false,
    schema: {
      input: {
        type: 'object',
        oneOf: [{ required: ['catalogInfoUrl'] }, { required: ['repoContentsUrl'] }],
        properties: {
          catalogInfoUrl: { type: 'string', title: 'URL of the catalog-info.yaml file' },
          repoContentsUrl: { type: 'string', title: 'URL of the repository contents (a publish step output)' },
          catalogInfoPath: { type: 'string', title: 'Path of the catalog file in the repository', default: '/catalog-info.yaml' },
          optional: { type: 'boolean', title: 'Go on when registration fails', default: false },
        },
      },
      output: {
        type: 'object',
        properties: {
          entityRef: { type: 'string', title: 'The first entity the location emitted' },
          catalogInfoUrl: { type: 'string', title: 'The registered URL' },
        },
      },
    },
    examples: [
      {
        description: 'Register what publish:git published',
        example:
          "steps:\n  - id: register\n    action: catalog:register\n    input:\n      repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}\n      catalogInfoPath: /catalog-info.yaml\n",
      },
    ],
    async handler(ctx) {
      const input = ctx.input;
      const catalogInfoUrl = input.catalogInfoUrl ?? (input.repoContentsUrl ? joinUrl(input.repoContentsUrl, input.catalogInfoPath ?? '/catalog-info.yaml') : '');
      if (!catalogInfoUrl) throw new TarmacError('BAD_REQUEST', 'catalog:register needs catalogInfoUrl or repoContentsUrl');
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      try {
        const local = parseLocalRepoUrl(catalogInfoUrl);
        const bare = local ? bareRepoPath(o.dataDir, local.owner, local.repo) : undefined;
        const location =
          local && bare && existsSync(bare)
            ? { type: 'git' as const, target: bare, branch: local.branch, path: local.path || 'catalog-info.yaml' }
            : { type: 'url' as const, target: catalogInfoUrl };
        const createdBy = ctx.user.ref;
        const { location: view, created } = await o.catalog.addLocation(
          { ...location, origin: 'scaffolder', ...(createdBy ? { createdBy } : {}) },
          { wait: true, onConflict: 'refresh' },
        );
        if (created) {
          await o.audit.record({
            actor: createdBy ?? 'local',
            action: 'catalog.location.create',
            resource: `location:${view.id}`,
            outcome: 'success',
            summary: { type: location.type, target: location.target, via: 'catalog:register', template: ctx.templateInfo.entityRef },
          });
        }
        const [first] = await o.catalog.listEntitiesOfLocation(view.id, 1);
        if (!first) {
          const errors = view.status.lastSummary ? JSON.stringify(view.status.lastSummary).slice(0, 300) : '';
          throw new TarmacError('BAD_REQUEST', `${catalogInfoUrl} gave no entity ${errors}`.trim());
        }
        const ref = stringifyEntityRef(first);
        ctx.log(`registered ${catalogInfoUrl}: ${ref}`);
        ctx.output('entityRef', ref);
      } catch (err) {
        if (!input.optional) throw err;
        ctx.log(`could not register ${catalogInfoUrl} (optional, going on): ${errorMessage(err)}`, 'warn');
      }
    },
  };
}
