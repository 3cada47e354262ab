import { InvalidArgumentError, Option, type Command } from 'commander';
import { CatalogClient } from './client.js';
import { getEntityText, parseRefArg } from './get.js';
import { importLocation } from './import.js';
import { listEntities, type ListFormat } from './list.js';
import { processIo } from './progress.js';
import { formatValidateError, formatValidateSummary, validateCatalogFiles } from './validate.js';
import { runCommand as run, usageExitCode, positiveInt } from '../../core/cli-kit.js';

const clientFor = (cmd: Command) => new CatalogClient((cmd.optsWithGlobals() as { url: string }).url);

/**
 * Registers `tarmac catalog validate|import|get|list` on the root program (which holds the global `--url`).
 * Exit codes: 0 ok, 1 failure or invalid input, 2 usage error. Results go to stdout, progress and messages to stderr.
 */
export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('Work with the software catalog').exitOverride(usageExitCode);

  catalog
    .command('validate')
    .description('Validate catalog YAML files locally, without a server (for CI): one `file:line:col  message` line per error, exit 1 if any')
    .argument('<files...>', 'files, folders or globs (quote globs; a leading ! excludes)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      run(async (files: string[], opts: { format: 'text' | 'json' }) => {
        const report = await validateCatalogFiles(files);
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write([...report.errors.map(formatValidateError), formatValidateSummary(report)].join('\n') + '\n');
        return report.errors.length > 0 || report.files === 0 ? 1 : 0;
      }),
    );

  catalog
    .command('import')
    .description('Register a location (file, glob, URL or git repository) on the running Tarmac and follow its import')
    .argument('<target>', 'file path or glob, http(s) URL, or git repository (URL, git+…, ….git)')
    .addOption(new Option('--type <type>', 'location type (default: inferred from the target)').choices(['file', 'url', 'git']))
    .option('--branch <branch>', 'git: branch to read')
    .option('--path <glob>', 'git: glob of catalog files inside the repository')
    .option('--no-wait', 'return once registered; the import goes on in the server')
    .option('--timeout <seconds>', 'stop waiting after this many seconds', positiveInt, 600)
    .action(
      run(async (target: string, opts: { type?: 'file' | 'url' | 'git'; branch?: string; path?: string; wait: boolean; timeout: number }, cmd: Command) =>
        importLocation(clientFor(cmd), target, { ...opts, timeoutSeconds: opts.timeout, cwd: process.cwd() }, processIo()),
      ),
    );

  catalog
    .command('get')
    .description('Show one entity, with its relations and errors')
    .argument('<ref>', '[kind:][namespace/]name (kind defaults to Component, namespace to default)', (v: string) => {
      try {
        parseRefArg(v);
      } catch (err) {
        throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
      }
      return v;
    })
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(
      run(async (ref: string, opts: { format: 'yaml' | 'json' }, cmd: Command) => {
        process.stdout.write(await getEntityText(clientFor(cmd), ref, opts.format));
        return 0;
      }),
    );

  catalog
    .command('list')
    .description('List entities matching filters (Backstage syntax: repeated --filter = OR, commas inside one = AND)')
    .addOption(new Option('--filter <filter>', 'e.g. kind=component,spec.lifecycle=production; repeatable').argParser((v: string, prev: string[] = []) => [...prev, v]))
    .option('--limit <n>', 'entities per page', positiveInt, 100)
    .option('--all', 'follow the cursor through every page')
    .addOption(new Option('--format <format>', 'output format (json: one entity per line)').choices(['table', 'json', 'refs']).default('table'))
    .option('--fields <fields>', 'json: comma-separated fields to return (e.g. kind,metadata.name)')
    .action(
      run(async (opts: { filter?: string[]; limit: number; all?: boolean; format: ListFormat; fields?: string }, cmd: Command) => {
        let format = opts.format;
        if (opts.fields && format !== 'json') {
          if (cmd.getOptionValueSource('format') !== 'default') cmd.error('error: --fields applies to --format json', { exitCode: 2, code: 'commander.usage' });
          format = 'json';
        }
        const fields = opts.fields?.split(',').map((f) => f.trim()).filter(Boolean);
        const write = (text: string) => void process.stdout.write(text);
        await listEntities(clientFor(cmd), { filter: opts.filter ?? [], limit: opts.limit, all: opts.all === true, format, fields }, write);
        return 0;
      }),
    );
}
