/**
 * A run's live log: `EventSource` on `GET /api/scaffolder/v2/tasks/:id/eventstream` (server-sent events; Backstage
 * sends `event: log` and `event: completion` with a JSON `{ id?, type, body: { message, stepId, status }, createdAt }`).
 */
import { useEffect, useState } from 'react';
import { scaffolderApi, type LogEvent, type StepStatus } from '../../api-scaffolder.js';

/** What the stream told so far: the log lines, each step's latest status, and whether the run finished. */
export interface TaskStream {
  events: LogEvent[];
  stepStatus: Record<string, StepStatus>;
  completed: boolean;
  /** Set when the stream could not be opened or dropped before completion. */
  streamError?: string;
}

/** Follows the event stream of task `id` until its completion event; re-subscribes when `id` changes. */
export function useTaskStream(id: string): TaskStream {
  const [state, setState] = useState<TaskStream>({ events: [], stepStatus: {}, completed: false });
  useEffect(() => {
    setState({ events: [], stepStatus: {}, completed: false });
    const seen = new Set<string>();
    const source = new EventSource(scaffolderApi.eventStreamUrl(id));
    const onEvent = (msg: MessageEvent<string>) => {
      let event: LogEvent & { id?: number | string };
      try {
        event = JSON.parse(msg.data) as LogEvent & { id?: number | string };
      } catch {
        return;
      }
      const key = String(event.id ?? msg.lastEventId ?? '') || `${event.createdAt}|${event.body?.stepId}|${event.body?.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      const done = event.type === 'completion' || msg.type === 'completion';
      if (done) source.close();
      setState((s) => {
        const stepId = event.body?.stepId;
        const status = event.body?.status;
        return {
          events: [...s.events, event],
          stepStatus: stepId && status ? { ...s.stepStatus, [stepId]: status } : s.stepStatus,
          completed: s.completed || done,
          streamError: undefined,
        };
      });
    };
    source.addEventListener('log', onEvent);
    source.addEventListener('completion', onEvent);
    source.addEventListener('message', onEvent);
    source.onerror = () => {
      // EventSource retries by itself; report only when it gave up (readyState CLOSED) before completion.
      if (source.readyState === EventSource.CLOSED) setState((s) => (s.completed ? s : { ...s, streamError: 'The live log stream closed.' }));
    };
    return () => source.close();
  }, [id]);
  return state;
}
