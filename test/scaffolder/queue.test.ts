import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import { api, startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { createWaitAction, FIXTURES, readEventStream, waitForTask } from './helpers.js';

interface Task {
  id: string;
  status: string;
  error?: { message: string };
}

const LIMIT = 2;

describe.each(testEngines())('scaffolder run queue (%s)', (engine) => {
  let tarmac: TestTarmac;
  const wait = createWaitAction();

  const start = async (label: string): Promise<string> => {
    const res = await api<{ id: string }>(tarmac.url, '/api/scaffolder/v2/tasks', { body: { templateRef: 'template:default/slow', values: { label } } });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const statuses = async (ids: string[]): Promise<string[]> =>
    Promise.all(ids.map(async (id) => (await api<Task>(tarmac.url, `/api/scaffolder/v2/tasks/${id}`)).body.status));
  const until = async (cond: () => Promise<boolean> | boolean): Promise<void> => {
    while (!(await cond())) await new Promise((r) => setTimeout(r, 50));
  };

  beforeAll(async () => {
    tarmac = await startTestTarmac(engine, [{ type: 'file', target: path.join(FIXTURES, 'all.yaml') }], (c) => {
      c.scaffolder.maxConcurrentRuns = LIMIT;
    });
    tarmac.scaffolder.registerAction(wait.action);
  }, 120_000);

  afterAll(async () => {
    await tarmac?.close();
  });

  it(`runs at most ${LIMIT} at once; the next starts when one ends`, async () => {
    const ids = [await start('a'), await start('b'), await start('c')];
    await until(() => wait.started.size === LIMIT);
    const first = await statuses(ids);
    expect(first.filter((s) => s === 'processing')).toHaveLength(LIMIT);
    expect(first.filter((s) => s === 'open')).toHaveLength(1);
    const waiting = ids[first.indexOf('open')] as string;
    const running = [...wait.started];
    wait.release(running[0] as string);
    await until(async () => (await statuses([waiting]))[0] === 'processing' && wait.started.size === LIMIT);
    expect((await statuses(ids)).filter((s) => s === 'processing')).toHaveLength(LIMIT);
    for (const label of ['a', 'b', 'c']) wait.release(label);
    for (const id of ids) expect((await waitForTask<Task>(tarmac.url, id, (t) => t.status === 'completed' || t.status === 'failed')).status).toBe('completed');
  });

  it('cancels a running run: status cancelled, the stream ends with the completion event', async () => {
    const id = await start('slow-cancel');
    await until(() => wait.started.has('slow-cancel'));
    const res = await api<{ status: string }>(tarmac.url, `/api/scaffolder/v2/tasks/${id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    const task = await waitForTask<Task>(tarmac.url, id, (t) => t.status !== 'processing');
    expect(task.status).toBe('cancelled');
    const events = await readEventStream(`${tarmac.url}/api/scaffolder/v2/tasks/${id}/eventstream`);
    expect(events[events.length - 1]?.data.body.message).toContain('cancelled');
    expect(events.some((e) => e.data.body.stepId === 'wait' && e.data.body.status === 'cancelled')).toBe(true);
  });

  it('cancels a queued run before it starts', async () => {
    const blockers = [await start('q1'), await start('q2')];
    await until(() => wait.started.size === LIMIT);
    const queued = await start('q3');
    expect((await statuses([queued]))[0]).toBe('open');
    expect((await api(tarmac.url, `/api/scaffolder/v2/tasks/${queued}/cancel`, { method: 'POST' })).status).toBe(200);
    expect((await statuses([queued]))[0]).toBe('cancelled');
    wait.release('q1');
    wait.release('q2');
    for (const id of blockers) await waitForTask<Task>(tarmac.url, id, (t) => t.status === 'completed');
    expect((await statuses([queued]))[0]).toBe('cancelled');
    expect(wait.started.has('q3')).toBe(false);
  });

  it('bad values give 400 with field errors and create no task', async () => {
    const before = (await api<{ totalTasks: number }>(tarmac.url, '/api/scaffolder/v2/tasks')).body.totalTasks;
    const res = await api<{ error: { code: string; message: string; details: Array<{ path: string; message: string }> } }>(tarmac.url, '/api/scaffolder/v2/tasks', {
      body: { templateRef: 'template:default/test-service', values: { name: 'Not Valid', repoUrl: 'localhost?owner=a&repo=b' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d) => d.path).join(' ');
    expect(paths).toContain('name');
    expect(paths).toContain('owner');
    const after = (await api<{ totalTasks: number }>(tarmac.url, '/api/scaffolder/v2/tasks')).body.totalTasks;
    expect(after).toBe(before);
  });

  it('a template with an unknown action gives 400 naming the action', async () => {
    const res = await api<{ error: { message: string } }>(tarmac.url, '/api/scaffolder/v2/tasks', { body: { templateRef: 'needs-unknown', values: {} } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('fetch:rails');
    const missing = await api(tarmac.url, '/api/scaffolder/v2/tasks', { body: { templateRef: 'template:default/nope', values: {} } });
    expect(missing.status).toBe(404);
  });
});
