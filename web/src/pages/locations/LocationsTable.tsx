/** The registered locations with their last refresh, and a button to refresh one now. */
import { useState } from 'react';
import { api, type LocationStatus } from '../../api.js';
import { Badge, Time, type Tone } from '../../components/ui.js';

const STATUS_TONE: Record<string, Tone> = { ok: 'good', failed: 'bad', processing: 'warn', pending: 'neutral' };

interface Props {
  items: readonly LocationStatus[];
  selectedId: string;
  onShowErrors: (id: string) => void;
  onRefreshed: () => void;
}

/**
 * The locations table: target, status, counts and refresh times of `items`, highlighting `selectedId`. The error
 * count calls `onShowErrors`; Refresh sends `POST /api/catalog/locations/:id/refresh` then calls `onRefreshed`.
 */
export function LocationsTable({ items, selectedId, onShowErrors, onRefreshed }: Props) {
  const [note, setNote] = useState<Record<string, string>>({});
  const refresh = async (id: string) => {
    setNote((n) => ({ ...n, [id]: 'Requesting…' }));
    try {
      await api.refreshLocation(id);
      setNote((n) => ({ ...n, [id]: 'Refresh queued' }));
      onRefreshed();
    } catch (err) {
      setNote((n) => ({ ...n, [id]: err instanceof Error ? err.message : String(err) }));
    }
  };
  return (
    <div className="table-wrap">
      <table className="table table-locations">
        <thead>
          <tr>
            <th>Target</th>
            <th>Status</th>
            <th className="num">Entities</th>
            <th className="num">Errors</th>
            <th>Last refresh</th>
            <th>Next refresh</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((l) => (
            <tr key={l.id} className={l.id === selectedId ? 'selected' : undefined} data-location-id={l.id}>
              <td className="cell-target">
                <Badge>{l.type}</Badge>
                <span className="target-name">{targetName(l.target)}</span>
                <div className="muted small mono target-dir" title={l.target} data-target={l.target}>
                  {l.target}
                </div>
                {(l.branch || l.path) && (
                  <div className="muted small mono">
                    {l.branch && `branch ${l.branch}`} {l.path && `path ${l.path}`}
                  </div>
                )}
              </td>
              <td>
                <Badge tone={STATUS_TONE[l.lastStatus] ?? 'neutral'}>{l.lastStatus}</Badge>
                {l.progress && l.lastStatus === 'processing' && (
                  <div className="muted small">
                    {l.progress.phase} {l.progress.done}
                    {l.progress.total !== null ? `/${l.progress.total}` : ''}
                  </div>
                )}
              </td>
              <td className="num">{l.entityCount.toLocaleString()}</td>
              <td className="num">
                {l.errorCount > 0 ? (
                  <button type="button" className="link-button link-bad" onClick={() => onShowErrors(l.id)}>
                    {l.errorCount.toLocaleString()}
                  </button>
                ) : (
                  '0'
                )}
              </td>
              <td>
                <Time iso={l.lastFinishedAt} />
                {l.lastSummary && (
                  <div className="muted small" data-testid="last-summary">
                    {summaryText(l.lastSummary)}
                  </div>
                )}
              </td>
              <td>{scheduled(l.nextRefreshAt) ? <Time iso={l.nextRefreshAt} /> : <span className="muted">not scheduled</span>}</td>
              <td className="cell-actions">
                <button type="button" onClick={() => void refresh(l.id)} aria-label={`Refresh ${l.target}`}>
                  Refresh
                </button>
                {note[l.id] && <div className="muted small">{note[l.id]}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last path segment of a file path or URL (`all.yaml`), or the whole target. */
function targetName(target: string): string {
  return target.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() || target;
}

/** "36 added, 2 removed · 0.4 s": the non-zero counts of the last refresh and its duration. */
function summaryText(s: NonNullable<LocationStatus['lastSummary']>): string {
  const counts = (['added', 'updated', 'removed', 'unchanged', 'conflicts'] as const).filter((k) => s[k] > 0).map((k) => `${s[k].toLocaleString()} ${k}`);
  return `${counts.join(', ') || 'no changes'} · ${(s.durationMs / 1000).toFixed(1)} s`;
}

/** False when there is no next refresh, or it is more than a year away (the refresh loop is off). */
function scheduled(iso: string | null): boolean {
  return !!iso && Date.parse(iso) - Date.now() < 365 * 86_400_000;
}
