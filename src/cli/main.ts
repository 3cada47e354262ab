import { Command, Option } from 'commander';
import { VERSION } from '../app.js';
import { registerStartCommand } from './start.js';
import { registerCatalogCommands } from '../catalog/index.js';
import { isTarmacError } from '../core/errors.js';

/**
 * The `tarmac` CLI: parses argv with commander and dispatches to each module's commands.
 * Commands are thin: parse, call a service or the HTTP API, format.
 * @returns the process exit code (0 ok, 1 failure or invalid input, 2 usage error)
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('tarmac')
    .description('Tarmac: an Internal Developer Platform — software catalog, golden paths, guardrails.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addOption(new Option('--url <url>', 'Tarmac server for API commands').env('TARMAC_URL').default('http://localhost:7007'));
  registerStartCommand(program);
  registerCatalogCommands(program);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode ?? 2;
    console.error(`tarmac: ${isTarmacError(err) ? err.message : String(err)}`);
    return 1;
  }
}
