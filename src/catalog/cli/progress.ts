/** Where a command writes: stdout for results, stderr for progress and messages. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress redraws one line instead of printing a line per change. */
  errIsTTY: boolean;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    errIsTTY: process.stderr.isTTY === true,
  };
}

/** `status.progress` of a location (`LocationRecord.progress`). */
export type Progress = { phase: string; done: number; total: number | null } | null;

/**
 * Shows import progress on stderr. On a terminal, one line redrawn in place (`\r` + erase line) on every update;
 * otherwise a plain line each time the phase or status changes, so logs stay short.
 */
export function progressReporter(io: Io): { update(progress: Progress, lastStatus: string): void; done(): void } {
  let last = '';
  let drawn = false;
  return {
    update(progress, lastStatus) {
      const line = progress ? `${progress.phase}${formatCounts(progress.done, progress.total)}` : lastStatus;
      if (io.errIsTTY) {
        io.err(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        const key = progress?.phase ?? lastStatus;
        if (key !== last) io.err(`${line}\n`);
        last = key;
      }
    },
    done() {
      if (drawn) io.err('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** ` 3/10` with a total, ` 3` without one, nothing before anything is counted. */
function formatCounts(done: number, total: number | null): string {
  if (total !== null) return ` ${done}/${total}`;
  return done > 0 ? ` ${done}` : '…';
}
