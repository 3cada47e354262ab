/**
 * `/audit` (platform admins): the tamper-evident audit log — events filtered by actor, action, resource, outcome
 * and time, paged by cursor; "Verify chain" checks every hash link; "Export JSON Lines" downloads the time range.
 */
import { useState, type FormEvent } from 'react';
import { trustApi, type AuditQuery, type ChainCheck } from '../api-trust.js';
import { useApi } from '../hooks.js';
import { Badge, Card, Empty, ErrorState, Loading, Pager, Time } from '../components/ui.js';

const PAGE = 50;
const FILTERS = ['actor', 'action', 'resource'] as const;
const OUTCOME_TONE = { success: 'good', failure: 'bad', denied: 'warn' } as const;

/** `datetime-local` input value → ISO time (local time zone), '' stays ''. */
function toIso(local: string): string {
  return local ? new Date(local).toISOString() : '';
}

/** `/audit`: the audit log — filters, cursor pages, "Verify chain" and the JSON Lines export (admins). */
export default function AuditPage() {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [query, setQuery] = useState<AuditQuery>({});
  // Cursors of the pages before the current one (for "Previous"); the current page's own cursor last.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const after = cursors[cursors.length - 1];
  const events = useApi((signal) => trustApi.auditEvents({ ...query, limit: PAGE, after }, signal), [JSON.stringify(query), after]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setQuery({
      actor: draft.actor?.trim() || undefined,
      action: draft.action?.trim() || undefined,
      resource: draft.resource?.trim() || undefined,
      outcome: draft.outcome || undefined,
      from: toIso(draft.from ?? '') || undefined,
      to: toIso(draft.to ?? '') || undefined,
    });
    setCursors([undefined]);
  };
  const set = (key: string, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const data = events.data;
  // Only the first page carries totalItems (the server counts once per query); later pages keep showing it.
  const [total, setTotal] = useState<number>();
  if (data?.totalItems !== undefined && data.totalItems !== total) setTotal(data.totalItems);
  const next = data?.nextCursor ?? undefined;
  const pageNo = cursors.length;
  return (
    <div className="page">
      <h1>Audit log</h1>
      <form className="filters audit-filters" onSubmit={apply} aria-label="Audit filters">
        {FILTERS.map((f) => (
          <label className="filter" key={f}>
            {f[0]?.toUpperCase() + f.slice(1)}
            <input value={draft[f] ?? ''} onChange={(e) => set(f, e.target.value)} name={f} />
          </label>
        ))}
        <label className="filter">
          Outcome
          <select value={draft.outcome ?? ''} onChange={(e) => set('outcome', e.target.value)} name="outcome">
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="denied">denied</option>
          </select>
        </label>
        <label className="filter">
          From
          <input type="datetime-local" value={draft.from ?? ''} onChange={(e) => set('from', e.target.value)} name="from" />
        </label>
        <label className="filter">
          To
          <input type="datetime-local" value={draft.to ?? ''} onChange={(e) => set('to', e.target.value)} name="to" />
        </label>
        <div className="filter filter-buttons">
          <button type="submit">Apply</button>
        </div>
      </form>
      <ChainCard exportHref={trustApi.auditExportUrl({ from: query.from, to: query.to })} />
      <Card
        title={data && total !== undefined ? `${total} ${total === 1 ? 'event' : 'events'}` : 'Events'}
        actions={
          <Pager
            label={`Page ${pageNo}`}
            busy={events.loading}
            onPrev={pageNo > 1 ? () => setCursors((c) => c.slice(0, -1)) : undefined}
            onNext={next ? () => setCursors((c) => [...c, next]) : undefined}
          />
        }
      >
        {events.error ? (
          <ErrorState error={events.error} what="the audit log" />
        ) : !data ? (
          <Loading what="events" />
        ) : data.items.length === 0 ? (
          <Empty>No events match these filters.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="audit-events">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Time</th>
                  <th>Actor</th>
                  <th>Action</th>
                  <th>Resource</th>
                  <th>Outcome</th>
                  <th>Summary</th>
                  <th>Hash</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td className="num mono">{e.seq}</td>
                    <td>
                      <Time iso={e.time} />
                    </td>
                    <td className="mono small">{e.actor}</td>
                    <td className="mono small">{e.action}</td>
                    <td className="mono small cell-message">{e.resource}</td>
                    <td>
                      <Badge tone={OUTCOME_TONE[e.outcome] ?? 'neutral'}>{e.outcome}</Badge>
                    </td>
                    <td className="mono small cell-message">{e.summary ? JSON.stringify(e.summary) : ''}</td>
                    <td className="mono small" title={`request ${e.requestId ?? '—'} from ${e.ip ?? '—'}; previous ${e.prevHash}`}>
                      {e.hash.slice(0, 10)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

function ChainCard({ exportHref }: { exportHref: string }) {
  const [check, setCheck] = useState<ChainCheck | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setCheck(await trustApi.verifyAudit());
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title="Hash chain"
      actions={
        <>
          <a href={exportHref} download data-testid="audit-export">
            Export JSON Lines
          </a>
          <button type="button" onClick={() => void verify()} disabled={busy} data-testid="audit-verify">
            {busy ? 'Verifying…' : 'Verify chain'}
          </button>
        </>
      }
    >
      {error && <ErrorState error={error} what="the verification" />}
      {check ? (
        check.ok ? (
          <p className="verify-ok" data-testid="verify-result">
            ✓ Chain intact: {check.checked} {check.checked === 1 ? 'event' : 'events'} checked.
          </p>
        ) : (
          <p className="verify-bad" role="alert" data-testid="verify-result">
            ✗ Chain broken at event #{check.firstBroken?.seq} ({check.firstBroken?.id}): {check.firstBroken?.reason}. {check.checked} events checked.
          </p>
        )
      ) : (
        <p className="muted small">Each event stores the SHA-256 hash of the one before it; verifying recomputes every link.</p>
      )}
    </Card>
  );
}
