/**
 * `/create/tasks/:id`: one run of a golden path — its steps with their status, the live log (server-sent events),
 * a cancel button while it runs, and the output links and text when it finished (or the error when it failed).
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { scaffolderApi, type StepStatus, type Task } from '../api-scaffolder.js';
import { useApi } from '../hooks.js';
import { Card, ErrorState, Loading, RefLink, Time } from '../components/ui.js';
import { StatusBadge } from './create/StatusBadge.js';
import { OutputCard } from './create/OutputCard.js';
import { useTaskStream } from './create/useTaskStream.js';

function errorText(error: Task['error']): string | undefined {
  if (!error) return undefined;
  return typeof error === 'string' ? error : error.message;
}

/** `/create/tasks/:id`: one run — steps with status, the live log (server-sent events), cancel, output links and text. */
export default function TaskPage() {
  const id = useParams().id ?? '';
  const stream = useTaskStream(id);
  const task = useApi((signal) => scaffolderApi.task(id, signal), [id]);
  const { reload } = task;
  // The run's final record (status, output, error) is read again once the stream says it completed.
  useEffect(() => {
    if (stream.completed) reload();
  }, [stream.completed, reload]);
  const [cancelling, setCancelling] = useState(false);

  if (task.error) {
    return (
      <div className="page">
        <Crumbs id={id} />
        <ErrorState error={task.error} what="Run" />
      </div>
    );
  }
  const t = task.data;
  if (!t) return <Loading what="run" />;
  const running = t.status === 'open' || t.status === 'processing';
  // While running, the stream is newest; once finished, the stored record is final.
  const statusOf = (stepId: string): StepStatus => {
    const stored = t.spec.steps?.find((s) => s.id === stepId)?.status;
    const live = stream.stepStatus[stepId];
    return (running ? (live ?? stored) : (stored ?? live)) ?? 'open';
  };
  const cancel = async () => {
    setCancelling(true);
    try {
      await scaffolderApi.cancelTask(id);
    } finally {
      setCancelling(false);
      reload();
    }
  };
  const templateRef = t.spec.templateInfo?.entityRef;
  return (
    <div className="page">
      <Crumbs id={id} />
      <div className="entity-head">
        <h1>Run {id.slice(0, 8)}</h1>
        <span className="entity-badges" data-testid="task-status">
          <StatusBadge status={t.status} />
        </span>
        <p className="entity-ref">
          {templateRef && <RefLink entityRef={templateRef} />}
          {t.spec.templateInfo?.version && <span className="muted"> · version {t.spec.templateInfo.version.slice(0, 12)}</span>}
          {t.createdBy && <span className="muted"> · by {t.createdBy}</span>}
          <span className="muted"> · started </span>
          <Time iso={t.createdAt} />
        </p>
      </div>
      {running && (
        <div>
          <button type="button" onClick={() => void cancel()} disabled={cancelling} data-testid="cancel">
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        </div>
      )}
      {t.status === 'failed' && (
        <div className="state state-error" role="alert" data-testid="task-error">
          <strong>The run failed</strong>
          <span>{errorText(t.error) ?? 'See the log for the failing step.'}</span>
        </div>
      )}
      <div className="grid-2">
        <Card title="Log">
          {stream.streamError && <p className="muted small">{stream.streamError}</p>}
          <pre className="code log" data-testid="task-log">
            {stream.events
              .filter((e) => e.body?.message)
              .map((e) => `${e.body.stepId ? `[${e.body.stepId}] ` : ''}${e.body.message}`)
              .join('\n')}
          </pre>
        </Card>
        <Card title="Steps">
          <ol className="steps" data-testid="task-steps">
            {(t.spec.steps ?? []).map((s) => (
              <li key={s.id} data-step={s.id}>
                <span>{s.name ?? s.id}</span> <span className="muted small mono">{s.action}</span> <StatusBadge status={statusOf(s.id)} />
              </li>
            ))}
          </ol>
        </Card>
      </div>
      {t.status === 'completed' && <OutputCard output={t.output} />}
    </div>
  );
}

function Crumbs({ id }: { id: string }) {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/create">Create</Link> / <Link to="/create/tasks">Runs</Link> / <span>{id.slice(0, 8)}</span>
    </nav>
  );
}
