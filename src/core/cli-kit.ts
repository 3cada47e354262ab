/**
 * What every module's CLI commands share: how a command's outcome becomes the exit code, and commander argument
 * parsers. Exit codes: 0 success, 1 the command failed (a `TarmacError`: refused, unreachable, not found, …),
 * 2 a usage error (bad option, missing argument, bad value).
 */
import { CommanderError, InvalidArgumentError } from 'commander';
import { isTarmacError } from './errors.js';

/**
 * Wraps a command body: the number it returns becomes `process.exitCode` (read by `main`); a `TarmacError` prints
 * `tarmac: <message>` on stderr and exits 1; anything else is a bug and propagates.
 */
export function runCommand<A extends unknown[]>(body: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await body(...args);
    } catch (err) {
      if (!isTarmacError(err)) throw err;
      process.stderr.write(`tarmac: ${err.message}\n`);
      process.exitCode = 1;
    }
  };
}

/** For `command.exitOverride`: usage errors exit with 2; help and version keep commander's code. */
export function usageExitCode(err: CommanderError): never {
  if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') throw err;
  throw new CommanderError(2, err.code, err.message);
}

/**
 * A plain-text table for the terminal: columns padded to their widest cell, two spaces apart, the last column not
 * padded, trailing spaces trimmed. No trailing newline.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Commander parser for a positive integer option. @throws InvalidArgumentError (a usage error, exit 2) */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
