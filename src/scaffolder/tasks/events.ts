import type { TaskEventRow } from './store.js';

/**
 * Ordered event writing for one process: each run's events are appended one after another (a promise chain per
 * run), and readers waiting for news of a run are woken after each append. Readers in other processes poll.
 */
export function createEventLog() {
  const chains = new Map<string, Promise<unknown>>();
  const waiters = new Map<string, Set<() => void>>();

  function wake(taskId: string): void {
    const set = waiters.get(taskId);
    if (!set) return;
    waiters.delete(taskId);
    for (const w of set) w();
  }

  return {
    /**
     * Queues `write` after the run's earlier writes; wakes readers when it is done. Errors are passed to `onError`
     * and do not stop later writes.
     */
    enqueue(taskId: string, write: () => Promise<unknown>, onError: (err: unknown) => void): Promise<void> {
      const prev = chains.get(taskId) ?? Promise.resolve();
      const next = prev.then(write).catch(onError).then(() => wake(taskId));
      chains.set(taskId, next);
      void next.then(() => chains.get(taskId) === next && chains.delete(taskId));
      return next;
    },
    /** Resolves once every queued write of the run is stored. */
    async flush(taskId: string): Promise<void> {
      await chains.get(taskId);
    },
    /** Resolves at the next append to the run in this process, or after `timeoutMs` (ms). */
    waitForNews(taskId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve) => {
        let set = waiters.get(taskId);
        if (!set) waiters.set(taskId, (set = new Set()));
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    },
  };
}

/** The event log (see `createEventLog`). */
export type EventLog = ReturnType<typeof createEventLog>;

/** Backstage's serialized task event (`SerializedTaskEvent`) as `/events` and `/eventstream` send it. */
export function serializeEvent(e: TaskEventRow): { id: number; taskId: string; type: string; createdAt: string; body: Record<string, unknown> } {
  return { id: e.id, taskId: e.taskId, type: e.type, createdAt: e.createdAt, body: { ...e.body } };
}
