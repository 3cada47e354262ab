import { Option, type Command } from 'commander';
import { OUTCOMES } from '../model/event.js';
import { apiClientFor } from '../../core/api-client.js';
import { exportEvents, listEvents, type ListOptions } from './remote.js';
import { formatVerify, verifyDatabase, verifyFile, type DatabaseOptions } from './verify.js';
import { runCommand as run, usageExitCode, positiveInt } from '../../core/cli-kit.js';

const urlOf = (cmd: Command) => (cmd.optsWithGlobals() as { url: string }).url;
const write = (text: string) => void process.stdout.write(text);

/**
 * Registers `tarmac audit verify|export|list`. `verify` reads the database directly (or an export file with
 * `--file`) so an auditor need not trust the server; `export` and `list` talk to the server at `--url`.
 * Exit codes: 0 ok, 1 broken chain or failure, 2 usage error.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Query, export and verify the tamper-evident audit log').exitOverride(usageExitCode);

  audit
    .command('verify')
    .description('Check the hash chain in the database (as `tarmac start` opens it) or an export file: exit 1 at the first broken event')
    .option('--file <export.jsonl>', 'verify an export file offline instead of the database')
    .option('--from <seq>', 'start at this seq (its predecessor hash is trusted)', positiveInt)
    .option('--config <file>', 'config file (default tarmac.yaml when present)')
    .option('--data-dir <dir>', 'folder of Tarmac data (PGlite: stop the server first)')
    .option('--database-url <url>', 'PostgreSQL server URL')
    .action(
      run(async (opts: DatabaseOptions & { file?: string; from?: number }) => {
        const result = opts.file ? await verifyFile(opts.file) : await verifyDatabase(opts);
        write(formatVerify(result));
        return result.ok ? 0 : 1;
      }),
    );

  audit
    .command('export')
    .description('Export events of a time range as JSON Lines (header with the chain anchor, events, footer)')
    .option('--from <time>', 'events at or after this ISO 8601 time')
    .option('--to <time>', 'events before this ISO 8601 time')
    .option('--out <file>', 'write to this file (default stdout)')
    .action(
      run(async (opts: { from?: string; to?: string; out?: string }, cmd: Command) => {
        await exportEvents(apiClientFor(urlOf(cmd)), opts, process.stdout);
        if (opts.out) process.stderr.write(`exported to ${opts.out}; check it with: tarmac audit verify --file ${opts.out}\n`);
        return 0;
      }),
    );

  audit
    .command('list')
    .description('List audit events, newest first')
    .option('--actor <actor>', 'e.g. user:default/jane, token:ab12, local')
    .option('--action <action>', 'exact action, or a prefix ending in .* (catalog.*)')
    .option('--resource <resource>', 'e.g. component:default/x')
    .addOption(new Option('--outcome <outcome>', 'outcome').choices([...OUTCOMES]))
    .option('--from <time>', 'events at or after this ISO 8601 time')
    .option('--to <time>', 'events before this ISO 8601 time')
    .option('--limit <n>', 'events per page (1…500)', positiveInt, 50)
    .option('--all', 'follow the cursor through every page')
    .addOption(new Option('--format <format>', 'output format (json: one event per line)').choices(['table', 'json']).default('table'))
    .action(
      run(async (opts: Omit<ListOptions, 'all'> & { all?: boolean }, cmd: Command) => {
        await listEvents(apiClientFor(urlOf(cmd)), { ...opts, all: opts.all === true }, write);
        return 0;
      }),
    );
}
