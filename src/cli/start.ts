import type { Command } from 'commander';
import { Option } from 'commander';
import { inferLocation, loadConfig } from '../core/config.js';

/** Registers `tarmac start`: loads config (file ← env ← flags), starts the server, stops on SIGINT/SIGTERM. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start Tarmac: API, portal and catalog refresh, on PGlite (default) or PostgreSQL')
    .option('--port <port>', 'HTTP port (default 7007)', (v) => Number(v))
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--data-dir <dir>', 'folder for Tarmac data (default .tarmac)')
    .option('--database-url <url>', 'PostgreSQL server URL (default: embedded PGlite)')
    .option('--config <file>', 'config file (default tarmac.yaml when present)')
    .addOption(
      new Option('--location <target>', 'catalog location to ingest (file, glob, URL, git repo); repeatable')
        .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .option('--refresh-interval <seconds>', 'seconds between catalog refreshes', (v) => Number(v))
    .action(async (opts: {
      port?: number; host?: string; dataDir?: string; databaseUrl?: string; config?: string;
      location?: string[]; refreshInterval?: number;
    }) => {
      const config = loadConfig({
        configPath: opts.config,
        overrides: {
          port: opts.port,
          host: opts.host,
          dataDir: opts.dataDir,
          databaseUrl: opts.databaseUrl,
          refreshIntervalSeconds: opts.refreshInterval,
          locations: (opts.location ?? []).map((l) => inferLocation(l, process.cwd())),
        },
      });
      // Loaded here, not at the top: other commands (e.g. `catalog validate` in CI) should not pay for the server.
      const { startTarmac } = await import('../app.js');
      const tarmac = await startTarmac(config);
      console.log(`Tarmac is running at ${tarmac.url.replace('127.0.0.1', 'localhost')}  (database: ${tarmac.db.engine}, data: ${config.dataDir})`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await tarmac.close();
    });
}
