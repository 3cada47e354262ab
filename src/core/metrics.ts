import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';

/**
 * The process's Prometheus registry (one per running app, so tests can start several apps in one process)
 * and the HTTP metrics every route shares. Modules register their own metrics on `registry`.
 */
export interface Metrics {
  registry: Registry;
  /** `tarmac_http_request_duration_seconds{method,route,status}` in seconds. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** Creates a registry with the default Node process metrics plus the HTTP latency histogram. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tarmac_' });
  const httpDuration = new Histogram({
    name: 'tarmac_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration };
}
