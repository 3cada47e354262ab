import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to start Tarmac as a child process. */
export interface TarmacProcessOptions {
  /** Project root: `bin/tarmac.js` is started from here (it runs the built `dist/`). */
  projectRoot: string;
  port: number;
  /** Folder for Tarmac's data (PGlite lives in `<dataDir>/pgdata`). */
  dataDir: string;
  /** Root location file to ingest. */
  location: string;
  /** PostgreSQL server URL; PGlite when absent. */
  databaseUrl?: string;
  /** Seconds between refreshes, passed as `--refresh-interval`. */
  refreshIntervalSeconds: number;
  /** File receiving the child's stdout and stderr. */
  logFile: string;
}

/** A running Tarmac child process. */
export interface TarmacProcess {
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  child: ChildProcess;
  /** `performance.now()` when the process was spawned (ms). */
  spawnedAt: number;
  /** Resolves with the exit code (or signal name) once the child has exited and its log file is complete. */
  exited: Promise<number | string>;
  /** Whether the child has exited. */
  hasExited(): boolean;
}

/** Asks the OS for a free TCP port on 127.0.0.1 (closed again before returning; a race is possible but rare). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node bin/tarmac.js start --port … --data-dir … --location … --refresh-interval …` (plus
 * `--database-url` when given), with stdout and stderr appended to `logFile`. Does not wait for it to listen.
 */
export function spawnTarmac(opts: TarmacProcessOptions): TarmacProcess {
  const args = [
    path.join(opts.projectRoot, 'bin', 'tarmac.js'),
    'start',
    '--port', String(opts.port),
    '--data-dir', opts.dataDir,
    '--location', opts.location,
    '--refresh-interval', String(opts.refreshIntervalSeconds),
  ];
  if (opts.databaseUrl) args.push('--database-url', opts.databaseUrl);
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const spawnedAt = performance.now();
  // No config file from the project folder: run in the data folder, so only the flags above apply.
  // No TARMAC_* variables from the caller's shell either.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TARMAC_')));
  const child = spawn(process.execPath, args, { cwd: opts.dataDir, stdio: ['ignore', 'pipe', 'pipe'], env });
  // Both streams feed one file: neither may end it; it is closed once the child and its pipes are done.
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let done = false;
  let exitedWith: number | string = 'unknown';
  child.once('exit', (code, signal) => {
    done = true;
    exitedWith = code ?? signal ?? 'unknown';
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', () => {
      done = true;
      log.end(() => resolve(exitedWith));
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${process.execPath} ${args.join(' ')}`);
  return { pid: child.pid, url: `http://127.0.0.1:${opts.port}`, child, spawnedAt, exited, hasExited: () => done };
}

/**
 * Polls `GET <url>/healthz` every `intervalMs` until it answers 200; returns `performance.now()` at that moment.
 * @throws Error when the child exits first or `timeoutMs` passes (the log file says why)
 */
export async function waitForHealthy(proc: TarmacProcess, timeoutMs: number, intervalMs = 20): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.hasExited()) throw new Error(`Tarmac exited before listening (exit ${String(await proc.exited)})`);
    try {
      const res = await fetch(`${proc.url}/healthz`);
      await res.arrayBuffer();
      if (res.ok) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(intervalMs);
  }
  throw new Error(`Tarmac did not answer /healthz within ${timeoutMs} ms`);
}

/** Stops the child: SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 10 s). Returns how it ended. */
export async function stopTarmac(proc: TarmacProcess, graceMs = 10_000): Promise<'exited' | 'killed'> {
  if (proc.hasExited()) return 'exited';
  proc.child.kill('SIGTERM');
  const ac = new AbortController();
  const timer = sleep(graceMs, 'timeout' as const, { signal: ac.signal }).catch(() => 'aborted' as const);
  const outcome = await Promise.race([proc.exited.then(() => 'exited' as const), timer]);
  ac.abort();
  if (outcome === 'exited') return 'exited';
  proc.child.kill('SIGKILL');
  await proc.exited;
  return 'killed';
}
