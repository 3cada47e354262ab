import { readFileSync } from 'node:fs';

/**
 * Reads one `kB` field of `/proc/<pid>/status` (Linux), e.g. `VmRSS` (resident set now) or `VmHWM` (peak
 * resident set, "high water mark"). Returns bytes, or undefined when the process is gone or the field is absent.
 */
export function readProcStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return m?.[1] ? Number(m[1]) * 1024 : undefined;
}

/** Samples a process's resident set (`VmRSS`) at a fixed interval and keeps the largest value seen. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  /** Largest `VmRSS` sampled so far, in bytes (0 before the first sample). */
  maxBytes = 0;
  /** Number of samples taken. */
  samples = 0;

  /** @param pid process to watch; @param intervalMs sampling period in ms (default 100) */
  constructor(
    private readonly pid: number,
    private readonly intervalMs = 100,
  ) {}

  /** Starts sampling (takes one sample at once). */
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Takes one sample now and returns it in bytes (undefined when the process is gone). */
  sample(): number | undefined {
    const rss = readProcStatusBytes(this.pid, 'VmRSS');
    if (rss !== undefined) {
      this.samples++;
      this.maxBytes = Math.max(this.maxBytes, rss);
    }
    return rss;
  }

  /** Stops sampling and returns the largest `VmRSS` seen, in bytes. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.maxBytes;
  }
}
