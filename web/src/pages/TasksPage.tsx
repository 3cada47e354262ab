/** `/create/tasks`: recent golden-path runs, newest first, paged by 25. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { scaffolderApi } from '../api-scaffolder.js';
import { useApi } from '../hooks.js';
import { Card, Empty, ErrorState, Loading, Pager, RefLink, Time } from '../components/ui.js';
import { StatusBadge } from './create/StatusBadge.js';

const PAGE = 25;

/** `/create/tasks`: runs the caller may read, newest first. */
export default function TasksPage() {
  const [offset, setOffset] = useState(0);
  const result = useApi((signal) => scaffolderApi.tasks({ limit: PAGE, offset }, signal), [offset]);
  const tasks = result.data?.tasks ?? [];
  const total = result.data?.totalTasks ?? 0;
  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/create">Create</Link> / <span>Runs</span>
      </nav>
      <h1>Runs</h1>
      {result.error ? (
        <ErrorState error={result.error} what="runs" />
      ) : !result.data ? (
        <Loading what="runs" />
      ) : (
        <Card
          title={`${total} ${total === 1 ? 'run' : 'runs'}`}
          actions={
            <Pager
              label={total ? `${offset + 1}–${offset + tasks.length} of ${total}` : ''}
              busy={result.loading}
              onPrev={offset > 0 ? () => setOffset(Math.max(0, offset - PAGE)) : undefined}
              onNext={offset + PAGE < total ? () => setOffset(offset + PAGE) : undefined}
            />
          }
        >
          {tasks.length === 0 ? (
            <Empty>No runs yet. Pick a golden path on the Create page.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="tasks">
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Template</th>
                    <th>Status</th>
                    <th>By</th>
                    <th>Started</th>
                  </tr>
                </thead>
                <tbody>
                  {tasks.map((t) => (
                    <tr key={t.id}>
                      <td className="mono">
                        <Link to={`/create/tasks/${encodeURIComponent(t.id)}`}>{t.id.slice(0, 8)}</Link>
                      </td>
                      <td>{t.spec.templateInfo?.entityRef ? <RefLink entityRef={t.spec.templateInfo.entityRef} /> : '—'}</td>
                      <td>
                        <StatusBadge status={t.status} />
                      </td>
                      <td>{t.createdBy ?? '—'}</td>
                      <td>
                        <Time iso={t.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
