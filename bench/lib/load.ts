import autocannon from 'autocannon';

/** One load scenario: GET requests cycling through `paths`, from `connections` concurrent clients. */
export interface LoadScenario {
  /** Short name for the report, e.g. `by-query kind=component, 100 items`. */
  name: string;
  /** Request paths (with query string); request k goes to `paths[k % paths.length]`, shared by all clients. */
  paths: string[];
  /** Concurrent connections (clients), each with one request in flight (no pipelining). */
  connections: number;
  /** Measured duration in seconds. */
  durationSeconds: number;
  /** Seconds of identical load run first and thrown away (JIT, caches, pool warm-up). 0 for none. */
  warmupSeconds: number;
}

/** Figures of one scenario. Latencies in ms, measured per response with `process.hrtime` (sub-ms resolution). */
export interface LoadResult {
  name: string;
  connections: number;
  durationSeconds: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses with another status, plus connection errors and timeouts; any of these makes the run suspect. */
  failed: number;
  /** 2xx responses per second over the measured duration. */
  requestsPerSecond: number;
  p50Ms: number;
  p97_5Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Average response body size in bytes. */
  avgBytes: number;
}

/** The `q`-quantile (0…1) of ascending `sorted`, nearest-rank method; NaN for an empty list. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

async function runOnce(baseUrl: string, s: LoadScenario, seconds: number, offset: number): Promise<LoadResult> {
  let next = offset;
  const latencies: number[] = [];
  let failed = 0;
  let bytes = 0;
  let finish: (r: autocannon.Result) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: baseUrl,
      connections: s.connections,
      pipelining: 1,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: s.paths[next++ % s.paths.length] ?? '/' }),
        },
      ],
    },
    (err: unknown, result: autocannon.Result) => (err ? fail(err) : finish(result)),
  );
  instance.on('response', (_client, statusCode, resBytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) {
      latencies.push(responseTime);
      bytes += resBytes;
    } else {
      failed++;
    }
  });
  const result = await done;
  failed += result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  return {
    name: s.name,
    connections: s.connections,
    durationSeconds: result.duration,
    ok: latencies.length,
    failed,
    requestsPerSecond: latencies.length / result.duration,
    p50Ms: quantile(latencies, 0.5),
    p97_5Ms: quantile(latencies, 0.975),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
    avgBytes: latencies.length ? bytes / latencies.length : 0,
  };
}

/**
 * Runs one scenario with autocannon against `baseUrl` (`http://127.0.0.1:<port>`): an optional warm-up, then the
 * measured run. Percentiles are computed from every 2xx response's own latency (autocannon's histogram rounds to
 * whole ms, too coarse for a 3 ms target), requests/s from the 2xx count over the measured duration.
 */
export async function runLoad(baseUrl: string, s: LoadScenario): Promise<LoadResult> {
  if (s.paths.length === 0) throw new Error(`scenario ${s.name}: no paths`);
  let offset = 0;
  if (s.warmupSeconds > 0) {
    const warm = await runOnce(baseUrl, s, s.warmupSeconds, 0);
    offset = warm.ok + warm.failed;
  }
  return runOnce(baseUrl, s, s.durationSeconds, offset);
}
