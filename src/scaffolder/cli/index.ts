import type { Command } from 'commander';
import { apiClientFor, type ApiClient } from '../../core/api-client.js';
import { registerUpgradeCommands } from '../upgrades/index.js';
import { buildValues } from './values.js';
import { runTemplate } from './run.js';
import { dryRunTemplate } from './dry-run.js';
import { formatTable as table, runCommand as run, usageExitCode, positiveInt } from '../../core/cli-kit.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const clientFor = (cmd: Command): ApiClient => apiClientFor((cmd.optsWithGlobals() as { url?: string }).url);
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function secretsOf(sets: readonly string[]): Promise<Record<string, string>> {
  const parsed = await buildValues(undefined, sets);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Registers `tarmac template list|run|dry-run|tasks` (and H7's `upgrade`…) on the root program (global `--url`).
 * Exit codes: 0 ok, 1 failure (a run that failed or was cancelled, a server error), 2 usage error.
 */
export function registerScaffolderCommands(program: Command): Command {
  const template = program.command('template').description('Golden paths: run templates and follow their runs').exitOverride(usageExitCode);

  template
    .command('list')
    .description('Templates in the catalog with their latest version')
    .action(
      run(async (_opts: unknown, cmd: Command) => {
        const { body } = await clientFor(cmd).request<{ items: Array<{ entityRef: string; entity: { metadata: { title?: string } }; latestVersion?: { number: number; version: string } }> }>('GET', '/api/scaffolder/v2/templates');
        const rows = body.items.map((t) => [t.entityRef, t.latestVersion ? `v${t.latestVersion.number}` : '-', t.entity.metadata.title ?? '']);
        out(table(['TEMPLATE', 'LATEST', 'TITLE'], rows));
        return 0;
      }),
    );

  template
    .command('run')
    .description('Run a template and follow its progress; exit 0 when it completes, 1 when it fails')
    .argument('<templateRef>', 'template:default/name, default/name or name')
    .option('--values <file>', 'YAML or JSON file of parameter values')
    .option('--set <key=value>', 'a parameter value (repeatable; a.b=1 sets a nested key)', collect, [])
    .option('--secret <key=value>', 'a secret (repeatable; never stored)', collect, [])
    .action(
      run(async (templateRef: string, opts: { values?: string; set: string[]; secret: string[] }, cmd: Command) => {
        const values = await buildValues(opts.values, opts.set);
        return runTemplate(clientFor(cmd), { templateRef, values, secrets: await secretsOf(opts.secret) }, out, err);
      }),
    );

  template
    .command('dry-run')
    .description('Render a local template (folder or template.yaml) on the server without publishing; print the files')
    .argument('<source>', 'template folder or its template.yaml')
    .option('--values <file>', 'YAML or JSON file of parameter values')
    .option('--set <key=value>', 'a parameter value (repeatable)', collect, [])
    .option('--secret <key=value>', 'a secret (repeatable)', collect, [])
    .option('--out <dir>', 'write the rendered files into this folder')
    .action(
      run(async (source: string, opts: { values?: string; set: string[]; secret: string[]; out?: string }, cmd: Command) => {
        const values = await buildValues(opts.values, opts.set);
        return dryRunTemplate(clientFor(cmd), { source, values, secrets: await secretsOf(opts.secret), outDir: opts.out }, out, err);
      }),
    );

  template
    .command('tasks')
    .description('Recent runs, newest first')
    .option('--status <status>', 'open, processing, completed, failed or cancelled')
    .option('--limit <n>', 'how many', positiveInt, 20)
    .action(
      run(async (opts: { status?: string; limit: number }, cmd: Command) => {
        const { body } = await clientFor(cmd).request<{ tasks: Array<{ id: string; status: string; createdAt: string; createdBy: string; spec: { templateInfo: { entityRef: string } } }>; totalTasks: number }>(
          'GET',
          '/api/scaffolder/v2/tasks',
          { query: { status: opts.status, limit: opts.limit } },
        );
        out(table(['ID', 'TEMPLATE', 'STATUS', 'CREATED', 'BY'], body.tasks.map((t) => [t.id, t.spec.templateInfo.entityRef, t.status, t.createdAt, t.createdBy])));
        out(`${body.tasks.length} of ${body.totalTasks} runs`);
        return 0;
      }),
    );

  registerUpgradeCommands(template);
  return template;
}
