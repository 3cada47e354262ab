/**
 * Text the CLI prints for upgrades (pure, so tests check it line by line).
 */
import type { RepositoryView } from './http.js';
import type { UpgradeAllSummary, UpgradeResult } from './types.js';

const num = (n: number | null | undefined, v: string): string => (typeof n === 'number' ? `v${n}` : v.slice(0, 12));

/**
 * One line per repository, e.g.
 * `upgraded   component:default/x  v1 → v2  branch tarmac/upgrade-svc-v2`,
 * `conflicts  localhost?owner=o&repo=r  v1 → v2  README.md, src/app.ts`,
 * `current    component:default/y  v2`, `failed     component:default/z  v1 → v2  <error>`.
 */
export function formatUpgradeLine(r: UpgradeResult): string {
  const who = r.componentRef ?? r.repo;
  const move = `${num(r.fromNumber, r.fromVersion)} → ${num(r.toNumber, r.toVersion)}`;
  const status = r.status.padEnd(9);
  switch (r.status) {
    case 'current':
      return `${status}  ${who}  ${num(r.toNumber, r.toVersion)}`;
    case 'failed':
      return `${status}  ${who}  ${move}  ${r.error ?? 'unknown error'}`;
    case 'conflicts': {
      const pushed = r.conflictMarkersCommitted && r.branch ? `  (markers committed on ${r.branch})` : '  (nothing pushed)';
      return `${status}  ${who}  ${move}  ${(r.conflicts ?? []).join(', ')}${pushed}`;
    }
    default: {
      const cr = r.changeRequestUrl ? `  ${r.changeRequestUrl}` : '';
      return `${status}  ${who}  ${move}  branch ${r.branch ?? '?'}${cr}`;
    }
  }
}

/** `upgraded N / conflicts N / already current N / failed N` (issue 3: "prints a summary"). */
export function formatUpgradeSummary(s: Pick<UpgradeAllSummary, 'upgraded' | 'conflicts' | 'current' | 'failed'>): string {
  return `upgraded ${s.upgraded} / conflicts ${s.conflicts} / already current ${s.current} / failed ${s.failed}`;
}

/** Rows of `tarmac template repos`: repository, component, version, latest, state, last upgrade. */
export function repositoryRows(items: readonly RepositoryView[]): string[][] {
  return items.map((r) => [
    r.repoUrl,
    r.componentRef ?? '-',
    num(r.versionNumber, r.version),
    r.latestNumber === null ? '-' : `v${r.latestNumber}`,
    r.behind ? 'behind' : 'current',
    r.lastUpgrade ? `${r.lastUpgrade.status}${r.lastUpgrade.branch ? ` ${r.lastUpgrade.branch}` : ''} (${r.lastUpgrade.at})` : '-',
  ]);
}
