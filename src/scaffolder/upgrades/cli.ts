/**
 * `tarmac template upgrade <repo|componentRef>`, `tarmac template upgrade --all <templateRef>`,
 * `tarmac template repos <templateRef>` and `tarmac template versions <templateRef>`: thin clients of the upgrade
 * routes (./http.ts). Exit codes: 0 ok, 1 when any upgrade failed or conflicted (or a server error), 2 usage.
 */
import type { Command } from 'commander';
import { apiClientFor, type ApiClient } from '../../core/api-client.js';
import type { TemplateVersion } from '../versions/index.js';
import { formatUpgradeLine, formatUpgradeSummary, repositoryRows } from './format.js';
import type { RepositoryView } from './http.js';
import type { UpgradeAllSummary, UpgradeResult } from './types.js';
import { formatTable as table, runCommand as run } from '../../core/cli-kit.js';

const API = '/api/scaffolder/v2';
/** An upgrade of every repository of a template can take minutes; one request waits up to this long, in ms. */
const UPGRADE_TIMEOUT_MS = 30 * 60_000;

const clientFor = (cmd: Command): ApiClient => apiClientFor((cmd.optsWithGlobals() as { url?: string }).url);
const out = (line: string) => process.stdout.write(`${line}\n`);

/** `name`, `ns/name` or `template:ns/name` → `{ namespace, name }` for the route path. */
function templatePath(ref: string): string {
  const bare = ref.replace(/^template:/i, '');
  const [namespace, name] = bare.includes('/') ? bare.split('/', 2) : ['default', bare];
  return `${encodeURIComponent(namespace ?? 'default')}/template/${encodeURIComponent(name ?? '')}`;
}

/** A repoUrl (`host?owner=o&repo=r`) has a `?`; anything else is taken as a component ref. */
const isRepoUrl = (target: string): boolean => target.includes('?');

/** Adds the upgrade commands to the `tarmac template` group (H5's `registerScaffolderCommands` calls this). */
export function registerUpgradeCommands(template: Command): void {
  template
    .command('upgrade')
    .description('Upgrade a scaffolded repository (or, with --all, every repository of a template) to the latest template version')
    .argument('<target>', 'repoUrl (host?owner=o&repo=r) or component ref; with --all a template ref')
    .option('--all', 'upgrade every repository made from the template <target>')
    .option('--allow-conflicts', 'commit conflict markers on the upgrade branch and push it anyway')
    .option('--to <version>', 'a recorded version id instead of the latest (single repository)')
    .action(
      run(async (target: string, opts: { all?: boolean; allowConflicts?: boolean; to?: string }, cmd: Command) => {
        const client = clientFor(cmd);
        const allowConflicts = opts.allowConflicts === true;
        if (opts.all) {
          const { body } = await client.request<UpgradeAllSummary>('POST', `${API}/upgrades`, {
            body: { templateRef: target, all: true, allowConflicts },
            timeoutMs: UPGRADE_TIMEOUT_MS,
          });
          for (const r of body.results) {
            out(formatUpgradeLine(r));
            if (r.message) out(`  ${r.message}`);
          }
          out(formatUpgradeSummary(body));
          return body.failed + body.conflicts > 0 ? 1 : 0;
        }
        const { body } = await client.request<UpgradeResult>('POST', `${API}/upgrades`, {
          body: { ...(isRepoUrl(target) ? { repoUrl: target } : { componentRef: target }), allowConflicts, ...(opts.to ? { targetVersion: opts.to } : {}) },
          timeoutMs: UPGRADE_TIMEOUT_MS,
        });
        out(formatUpgradeLine(body));
        if (body.message) out(`  ${body.message}`);
        return body.status === 'failed' || body.status === 'conflicts' ? 1 : 0;
      }),
    );

  template
    .command('repos')
    .description('Repositories made from a template, with their version and whether they are behind')
    .argument('<templateRef>', 'template:default/name, default/name or name')
    .action(
      run(async (templateRef: string, _opts: unknown, cmd: Command) => {
        const { body } = await clientFor(cmd).request<{ templateRef: string; latestNumber: number | null; items: RepositoryView[] }>(
          'GET',
          `${API}/templates/${templatePath(templateRef)}/repositories`,
        );
        out(table(['REPOSITORY', 'COMPONENT', 'VERSION', 'LATEST', 'STATE', 'LAST UPGRADE'], repositoryRows(body.items)));
        out(`${body.items.length} repositories, ${body.items.filter((r) => r.behind).length} behind`);
        return 0;
      }),
    );

  template
    .command('versions')
    .description("A template's recorded versions, v1 first")
    .argument('<templateRef>', 'template:default/name, default/name or name')
    .action(
      run(async (templateRef: string, _opts: unknown, cmd: Command) => {
        const { body } = await clientFor(cmd).request<{ items: TemplateVersion[] }>('GET', `${API}/templates/${templatePath(templateRef)}/versions`);
        out(table(['NUMBER', 'VERSION', 'SOURCE', 'FILES', 'RECORDED'], body.items.map((v) => [`v${v.number}`, v.version, v.source, String(v.fileCount), v.createdAt])));
        return 0;
      }),
    );
}
