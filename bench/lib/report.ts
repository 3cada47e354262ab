import pc from 'picocolors';

/** The targets at N = 100,000 entities on the 2-core reference machine (issue 2, "Speed"). */
export const TARGETS = {
  /** Seconds from start of import until all N are queryable with relations. */
  ingestSeconds: { postgres: 10, pglite: 30 },
  byQueryP99Ms: 10,
  byNameP99Ms: 3,
  /** Peak resident set of the Tarmac process, MB (10^6 bytes). */
  rssMb: 600,
  /** Initial portal JS, gzipped, kB (10^3 bytes). */
  portalJsKb: 250,
  /** Entity count the targets are set for. */
  atEntities: 100_000,
} as const;

/** Backstage's catalog backend on the same kind of machine (medians, PostgreSQL), quoted from issue 2. */
export const BACKSTAGE_REFERENCE = {
  ingest: '10,000 in 53 s; 50,000 in 368 s',
  ingestRate: '141–191 entities/s',
  byQuery10: 'p99 521 ms (50,000 entities)',
  byQuery1: 'p99 190 ms (50,000 entities)',
} as const;

/** Median of the finite numbers in `values` (mean of the middle two for an even count); NaN when none. */
export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] ?? Number.NaN) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
}

/** Formats a number with `digits` decimals and thousands separators; `–` for NaN/undefined. */
export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One row of the results table. `ok` colours the measured value: true green, false red, undefined plain. */
export interface Row {
  figure: string;
  measured: string;
  target?: string;
  backstage?: string;
  ok?: boolean;
}

/** Renders rows as an aligned plain-text table with a header (colours only when the terminal supports them). */
export function renderTable(rows: Row[]): string {
  const head: Row = { figure: 'figure', measured: 'measured', target: 'target (N=100,000)', backstage: 'Backstage (reference)' };
  const w = (k: keyof Omit<Row, 'ok'>) => Math.max(...[head, ...rows].map((r) => (r[k] ?? '').length));
  const widths = { figure: w('figure'), measured: w('measured'), target: w('target') };
  const line = (r: Row, colour = true) => {
    const measured = r.measured.padStart(widths.measured);
    const shown = !colour || r.ok === undefined ? measured : r.ok ? pc.green(measured) : pc.red(measured);
    return `${r.figure.padEnd(widths.figure)}  ${shown}  ${(r.target ?? '').padEnd(widths.target)}  ${r.backstage ?? ''}`.trimEnd();
  };
  const out = [pc.bold(line(head, false)), '-'.repeat(widths.figure + widths.measured + widths.target + 6 + w('backstage'))];
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}
