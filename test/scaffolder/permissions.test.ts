/**
 * Who may read and cancel runs, in OIDC mode with API tokens (the issuer is never contacted). People come from
 * test/fixtures/auth/people.yaml: jane and bob are members (the default role), carol is made admin here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import { PROJECT_ROOT } from '../../src/app.js';
import { startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { createWaitAction, FIXTURES, git, taskEnded, waitForTask } from './helpers.js';

const SCOPES = ['template.*', 'task.*', 'catalog.entity.read'];

describe.each(testEngines())('scaffolder permissions (%s)', (engine) => {
  let t: TestTarmac;
  const tokens: Record<string, string> = {};
  const wait = createWaitAction();

  const call = async <T>(path: string, who: string | undefined, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${t.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  beforeAll(async () => {
    const people = path.join(PROJECT_ROOT, 'test', 'fixtures', 'auth', 'people.yaml');
    t = await startTestTarmac(engine, [{ type: 'file', target: people }, { type: 'file', target: path.join(FIXTURES, 'all.yaml') }], (c) => {
      c.auth.oidc = { issuer: 'http://127.0.0.1:9', clientId: 'tarmac', scopes: ['openid'], userMatch: 'email' };
      c.auth.roles = [{ role: 'admin', members: ['user:default/carol'] }];
    });
    t.scaffolder.registerAction(wait.action);
    for (const name of ['jane', 'bob', 'carol']) {
      tokens[name] = (await t.auth.createToken({ userRef: `user:default/${name}`, name: `${name} runs`, scopes: SCOPES, createdBy: `user:default/${name}` })).token;
    }
  }, 120_000);
  afterAll(() => t?.close());

  const startRun = async (who: string, label: string): Promise<string> => {
    const res = await call<{ id: string }>('/api/scaffolder/v2/tasks', who, { body: { templateRef: 'slow', values: { label } } });
    expect(res.status).toBe(201);
    while (!wait.started.has(label)) await new Promise((r) => setTimeout(r, 50));
    return res.body.id;
  };

  it('git clone over HTTP needs a credential when sign-in is on (a bearer token through http.extraHeader)', async () => {
    const res = await call<{ id: string }>('/api/scaffolder/v2/tasks', 'jane', {
      body: { templateRef: 'test-service', values: { name: 'guarded', owner: 'group:default/team-a', repoUrl: 'localhost?owner=team-a&repo=guarded' } },
    });
    expect(res.status).toBe(201);
    const { status } = await waitForTask(t.url, res.body.id, taskEnded, { token: tokens.jane });
    expect(status).toBe('completed');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'tarmac-perm-clone-'));
    try {
      const url = `${t.url}/git/team-a/guarded.git`;
      await expect(git(tmp, 'clone', url, 'anon')).rejects.toThrow();
      await git(tmp, '-c', `http.extraHeader=Authorization: Bearer ${tokens.jane}`, 'clone', url, 'jane');
      expect(readFileSync(path.join(tmp, 'jane', 'README.md'), 'utf8')).toBe('# guarded\n\nOwned by group:default/team-a.\n');
      // Plain git: the 401 challenges for Basic credentials and the token is the password.
      const withToken = url.replace('http://', `http://ci:${tokens.jane}@`);
      await git(tmp, 'clone', withToken, 'basic');
      expect(readFileSync(path.join(tmp, 'basic', 'README.md'), 'utf8')).toBe('# guarded\n\nOwned by group:default/team-a.\n');
      const anon = await fetch(`${url}/info/refs?service=git-upload-pack`);
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toBe('Basic realm="Tarmac", charset="UTF-8"');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('anonymous callers cannot start runs', async () => {
    const res = await call('/api/scaffolder/v2/tasks', undefined, { body: { templateRef: 'slow', values: { label: 'anon' } } });
    expect(res.status).toBe(401);
  });

  it("a member reads and cancels their own run, but not another member's", async () => {
    const id = await startRun('jane', 'jane-1');
    const mine = await call<{ createdBy: string }>(`/api/scaffolder/v2/tasks/${id}`, 'jane');
    expect(mine.status).toBe(200);
    expect(mine.body.createdBy).toBe('user:default/jane');
    expect((await call(`/api/scaffolder/v2/tasks/${id}`, 'bob')).status).toBe(403);
    expect((await call(`/api/scaffolder/v2/tasks/${id}/eventstream`, 'bob')).status).toBe(403);
    const bobsList = await call<{ tasks: Array<{ id: string }> }>('/api/scaffolder/v2/tasks', 'bob');
    expect(bobsList.body.tasks.map((x) => x.id)).not.toContain(id);
    expect((await call(`/api/scaffolder/v2/tasks/${id}/cancel`, 'bob', { method: 'POST' })).status).toBe(403);
    const cancelled = await call<{ status: string }>(`/api/scaffolder/v2/tasks/${id}/cancel`, 'jane', { method: 'POST' });
    expect(cancelled.status).toBe(200);
  });

  it("an admin cancels anyone's run", async () => {
    const id = await startRun('bob', 'bob-1');
    expect((await call(`/api/scaffolder/v2/tasks/${id}/cancel`, 'carol', { method: 'POST' })).status).toBe(200);
    const task = await waitForTask(t.url, id, (x) => x.status !== 'processing', { token: tokens.bob });
    expect(task.status).toBe('cancelled');
    // bob was refused once, jane and carol cancelled (recorded before the cancel route answers)
    const cancels = await t.db.query<{ outcome: string; summary: unknown }>(`SELECT outcome, summary FROM audit_events WHERE action = 'task.cancel' ORDER BY seq`);
    expect(cancels.map((a) => a.outcome)).toEqual(['denied', 'success', 'success']);
    // each run's end is recorded as template.run with its template, version and task id
    let runs: Array<{ outcome: string; summary: { templateRef?: string; taskId?: string } }> = [];
    while (runs.length < 2) {
      runs = await t.db.query(`SELECT outcome, summary FROM audit_events WHERE action = 'template.run' AND summary->>'templateRef' = 'template:default/slow' ORDER BY seq`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runs.map((r) => r.outcome)).toEqual(['failure', 'failure']);
    expect(runs.map((r) => r.summary.taskId)).toContain(id);
  });
});
