import { Command, Option } from 'commander';
import { registerStartCommand } from './start.js';
import { registerCatalogCommands } from '../catalog/index.js';
import { registerScaffolderCommands } from '../scaffolder/index.js';
import { registerAuthCommands } from '../auth/index.js';
import { registerAuditCommands } from '../audit/index.js';
import { DEFAULT_URL } from '../core/api-client.js';
import { isTarmacError } from '../core/errors.js';
import { readFileSync } from 'node:fs';

/** Tarmac's version from package.json (read here so the CLI does not load the server to print it). */
function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  const fallback = new URL('../../../package.json', import.meta.url);
  for (const u of [url, fallback]) {
    try {
      const pkg = JSON.parse(readFileSync(u, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tarmac' && pkg.version) return pkg.version;
    } catch {
      // not at this level (src/ vs dist/src/)
    }
  }
  return '0.0.0';
}

/**
 * The `tarmac` CLI: parses argv with commander and dispatches to each module's commands.
 * Commands are thin: parse, call a service or the HTTP API, format.
 * @returns the process exit code (0 ok, 1 failure or invalid input, 2 usage error)
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('tarmac')
    .description('Tarmac: an Internal Developer Platform — software catalog, golden paths, guardrails.')
    .version(readVersion())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addOption(new Option('--url <url>', 'Tarmac server for API commands').env('TARMAC_URL').default(DEFAULT_URL));
  registerStartCommand(program);
  registerCatalogCommands(program);
  registerScaffolderCommands(program);
  registerAuthCommands(program);
  registerAuditCommands(program);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    // Usage errors (unknown option, missing argument, bad value) exit with 2, as POSIX tools do.
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode === 0 ? 0 : 2;
    console.error(`tarmac: ${isTarmacError(err) ? err.message : String(err)}`);
    return 1;
  }
}
