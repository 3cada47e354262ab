import { Counter, Histogram, type Registry } from 'prom-client';
import type { ApplySummary, IngestError, IngestErrorCode } from '../storage/types.js';

/** The refresh loop's Prometheus metrics (registered once per registry, shared by loops on the same registry). */
export interface RefreshMetrics {
  /** `tarmac_catalog_ingested_entities_total{result=added|updated|removed|unchanged}`. */
  entities: Counter<'result'>;
  /** `tarmac_catalog_ingestion_errors_total{code}`: problems found per read (IngestErrorCode). */
  errors: Counter<'code'>;
  /**
   * `tarmac_catalog_refresh_lag_seconds`: how late (s) a location was claimed after its `next_refresh_at`.
   * A growing p99 means the loop cannot keep up with `refreshIntervalSeconds`.
   */
  lag: Histogram;
  /** `tarmac_catalog_location_refresh_duration_seconds{status=ok|failed}`: one location, claim to release (s). */
  duration: Histogram<'status'>;
}

function getOrCreate<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Registers (or reuses) the refresh metrics on `registry`. */
export function refreshMetrics(registry: Registry): RefreshMetrics {
  const registers = [registry];
  return {
    entities: getOrCreate(registry, 'tarmac_catalog_ingested_entities_total', () =>
      new Counter({
        name: 'tarmac_catalog_ingested_entities_total',
        help: 'Entities processed by catalog refreshes, by result (added, updated, removed, unchanged).',
        labelNames: ['result'] as const,
        registers,
      }),
    ),
    errors: getOrCreate(registry, 'tarmac_catalog_ingestion_errors_total', () =>
      new Counter({
        name: 'tarmac_catalog_ingestion_errors_total',
        help: 'Ingestion problems found by catalog refreshes, by code (yaml_syntax, validation, conflict, placeholder, fetch, location).',
        labelNames: ['code'] as const,
        registers,
      }),
    ),
    lag: getOrCreate(registry, 'tarmac_catalog_refresh_lag_seconds', () =>
      new Histogram({
        name: 'tarmac_catalog_refresh_lag_seconds',
        help: 'Seconds between a location becoming due (next_refresh_at) and a refresh loop claiming it.',
        buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 900, 3600],
        registers,
      }),
    ),
    duration: getOrCreate(registry, 'tarmac_catalog_location_refresh_duration_seconds', () =>
      new Histogram({
        name: 'tarmac_catalog_location_refresh_duration_seconds',
        help: 'Seconds to read, process and store one location, by status (ok, failed).',
        labelNames: ['status'] as const,
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
        registers,
      }),
    ),
  };
}

/**
 * Counts one applied read: entity results, and every problem by code (`errors`: the read's own and those attached
 * to its entities; plus storage conflicts).
 */
export function recordRead(m: RefreshMetrics, errors: readonly IngestError[], summary: ApplySummary): void {
  m.entities.inc({ result: 'added' }, summary.added);
  m.entities.inc({ result: 'updated' }, summary.updated);
  m.entities.inc({ result: 'removed' }, summary.removed);
  m.entities.inc({ result: 'unchanged' }, summary.unchanged);
  const byCode = new Map<IngestErrorCode, number>();
  const add = (code: IngestErrorCode, n = 1) => byCode.set(code, (byCode.get(code) ?? 0) + n);
  for (const e of errors) add(e.code);
  // conflicts found by storage (refs owned by another location); those within the read are in result.errors
  if (summary.conflicts > 0) add('conflict', summary.conflicts);
  for (const [code, n] of byCode) m.errors.inc({ code }, n);
}
