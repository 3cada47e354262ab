import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testEngines } from '../../src/core/testing/databases.js';
import { api, startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { FIXTURES, git, readEventStream, runCli, waitForTask } from './helpers.js';

// The fixture template (fixtures/service-template) fetches its skeleton (catalog-info.yaml, README.md), logs the
// secret field and a secret, publishes with publish:git and registers catalog-info.yaml. Expected values below are
// worked out by hand from those files.
const API_KEY = 'sk-apikey-0123456789';
const TOKEN = 'tok-secret-9876543210';
const VALUES = { name: 'payments', owner: 'group:default/team-a', apiKey: API_KEY, repoUrl: 'localhost?owner=team-a&repo=payments' };

interface Task {
  id: string;
  status: string;
  spec: { templateInfo: { entityRef: string; version: string }; parameters: Record<string, unknown>; steps: Array<{ id: string; status: string }> };
  output?: { links: Array<{ title: string; url?: string; entityRef?: string }> };
  error?: { message: string };
}

describe.each(testEngines())('scaffolder runs through HTTP (%s)', (engine) => {
  let tarmac: TestTarmac;
  let taskId: string;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tarmac-runs-'));

  beforeAll(async () => {
    tarmac = await startTestTarmac(engine, [{ type: 'file', target: path.join(FIXTURES, 'all.yaml') }]);
    const res = await api<{ id: string }>(tarmac.url, '/api/scaffolder/v2/tasks', {
      body: { templateRef: 'template:default/test-service', values: VALUES, secrets: { token: TOKEN } },
    });
    expect(res.status).toBe(201);
    taskId = res.body.id;
  }, 120_000);

  afterAll(async () => {
    await tarmac?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('streams the step events in order and ends after the completion event', async () => {
    const events = await readEventStream(`${tarmac.url}/api/scaffolder/v2/tasks/${taskId}/eventstream`);
    const statuses = events.filter((e) => e.data.body.stepId && e.data.body.status).map((e) => `${e.data.body.stepId}:${e.data.body.status}`);
    expect(statuses).toEqual([
      'fetch:processing', 'fetch:completed', 'log:processing', 'log:completed',
      'publish:processing', 'publish:completed', 'register:processing', 'register:completed',
    ]);
    const last = events[events.length - 1];
    expect(last?.event).toBe('completion');
    expect(last?.data.body.message).toContain('completed');
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Last-Event-ID resumes after the given event
    const resumed = await readEventStream(`${tarmac.url}/api/scaffolder/v2/tasks/${taskId}/eventstream`, { 'last-event-id': String(ids[2]) });
    expect(resumed.map((e) => Number(e.id))).toEqual(ids.slice(3));
    // the JSON list gives the same events; `after` skips
    const list = await api<Array<{ id: number }>>(tarmac.url, `/api/scaffolder/v2/tasks/${taskId}/events`);
    expect(list.body.map((e) => e.id)).toEqual(ids);
    const after = await api<Array<{ id: number }>>(tarmac.url, `/api/scaffolder/v2/tasks/${taskId}/events?after=${ids[4]}`);
    expect(after.body.map((e) => e.id)).toEqual(ids.slice(5));
  });

  it('completes with the links, masked parameters and a recorded version', async () => {
    const task = await waitForTask<Task>(tarmac.url, taskId, (t) => t.status !== 'open' && t.status !== 'processing');
    expect(task.error).toBeUndefined();
    expect(task.status).toBe('completed');
    expect(task.spec.templateInfo.entityRef).toBe('template:default/test-service');
    expect(task.spec.templateInfo.version).toMatch(/\S/);
    // Schema defaults are filled in for API and CLI runs (the portal's form does it itself), and recorded.
    expect(task.spec.parameters).toEqual({ ...VALUES, description: 'A small service', apiKey: '******' });
    expect(task.spec.steps.map((s) => s.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(task.output?.links).toEqual([
      // baseUrl defaults to http://localhost:<port> when Tarmac listens on 127.0.0.1 (docs/configuration.md)
      { title: 'Repository', url: `http://localhost:${tarmac.port}/git/team-a/payments.git` },
      { title: 'Open in catalog', icon: 'catalog', entityRef: 'component:default/payments' },
    ]);
    // the published repository is recorded for upgrades, with the rendered repoUrl and the registered component
    const repos = await tarmac.db.query('SELECT repo_url, template_ref, version, publisher, component_ref FROM scaffolder_repositories WHERE task_id = $1', [taskId]);
    expect(repos).toEqual([
      { repo_url: VALUES.repoUrl, template_ref: 'template:default/test-service', version: task.spec.templateInfo.version, publisher: 'git', component_ref: 'component:default/payments' },
    ]);
    const list = await api<{ tasks: Task[]; totalTasks: number }>(tarmac.url, '/api/scaffolder/v2/tasks?status=completed');
    expect(list.body.tasks.map((t) => t.id)).toContain(taskId);
  });

  it('serves the repository over git smart HTTP: clone gives the rendered files and the origin file', async () => {
    const dir = path.join(tmp, 'clone');
    await git(tmp, 'clone', `${tarmac.url}/git/team-a/payments.git`, dir);
    const files = (await git(dir, 'ls-files')).trim().split('\n').sort();
    expect(files).toEqual(['.tarmac/template.json', 'README.md', 'catalog-info.yaml']);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('# payments\n\nOwned by group:default/team-a.\n');
    const info = parse(readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8')) as { metadata: { name: string }; spec: { owner: string } };
    expect(info.metadata.name).toBe('payments');
    expect(info.spec.owner).toBe('group:default/team-a');
    const origin = JSON.parse(readFileSync(path.join(dir, '.tarmac/template.json'), 'utf8')) as Record<string, unknown>;
    expect(origin.templateRef).toBe('template:default/test-service');
    expect(origin.values).toEqual({ name: 'payments', description: 'A small service', owner: 'group:default/team-a', repoUrl: VALUES.repoUrl });
    expect((await git(dir, 'branch', '--show-current')).trim()).toBe('main');
    // read-only: pushing is refused
    const refs = await fetch(`${tarmac.url}/git/team-a/payments.git/info/refs?service=git-receive-pack`);
    expect(refs.status).toBe(403);
    await expect(git(dir, 'push', 'origin', 'HEAD:refs/heads/other')).rejects.toThrow();
    const missing = await fetch(`${tarmac.url}/git/team-a/nope.git/info/refs?service=git-upload-pack`);
    expect(missing.status).toBe(404);
  });

  it('registers the component, owned by the chosen owner', async () => {
    const res = await api<{ spec: { owner: string } }>(tarmac.url, '/api/catalog/entities/by-name/component/default/payments');
    expect(res.status).toBe(200);
    expect(res.body.spec.owner).toBe('group:default/team-a');
    // The registration is a change like any other: it is in the audit log, next to the run itself.
    const events = await api<{ items: Array<{ actor: string; resource: string; summary: { via?: string; target?: string } }> }>(
      tarmac.url,
      '/api/audit/events?action=catalog.location.create',
    );
    const registered = events.body.items.filter((e) => e.summary.via === 'catalog:register');
    expect(registered.map((e) => [e.actor, e.summary.target])).toEqual([['local', path.join(tarmac.dataDir, 'repos', 'team-a', 'payments.git')]]);
  });

  it('keeps secrets out of task rows, events and the repository', async () => {
    const rows = JSON.stringify(await tarmac.db.query('SELECT * FROM scaffolder_tasks'));
    const events = JSON.stringify(await tarmac.db.query('SELECT * FROM scaffolder_task_events'));
    for (const secret of [API_KEY, TOKEN]) {
      expect(rows).not.toContain(secret);
      expect(events).not.toContain(secret);
    }
    // the log step's line mentions both secrets: it is stored masked
    const logLine = (await tarmac.db.query<{ body: { stepId?: string; status?: string; message: string } }>('SELECT body FROM scaffolder_task_events ORDER BY id'))
      .map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as { stepId?: string; status?: string; message: string })
      .find((b) => b.stepId === 'log' && !b.status);
    expect(logLine?.message).toMatch(/\*\*\*/);
    const dir = path.join(tmp, 'clone');
    for (const f of ['README.md', 'catalog-info.yaml', '.tarmac/template.json']) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('refuses to publish over an existing repository (the run fails with a conflict)', async () => {
    const res = await api<{ id: string }>(tarmac.url, '/api/scaffolder/v2/tasks', { body: { templateRef: 'test-service', values: VALUES } });
    expect(res.status).toBe(201);
    const task = await waitForTask<Task>(tarmac.url, res.body.id, (t) => t.status === 'failed' || t.status === 'completed');
    expect(task.status).toBe('failed');
    expect(task.error?.message).toContain('already exists');
    expect(existsSync(path.join(tarmac.dataDir, 'scaffolder', 'workspaces', res.body.id))).toBe(false);
  });

  it('runs a template that lives in a git location (from the catalog checkout)', async () => {
    const repo = path.join(tmp, 'templates-repo');
    cpSync(path.join(FIXTURES, 'service-template'), repo, { recursive: true });
    const yaml = readFileSync(path.join(repo, 'template.yaml'), 'utf8').replace('name: test-service', 'name: test-service-git');
    writeFileSync(path.join(repo, 'template.yaml'), yaml);
    await git(repo, 'init', '-q', '--initial-branch=trunk');
    await git(repo, 'add', '-A');
    await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '-m', 'templates');
    const loc = await api(tarmac.url, '/api/catalog/locations', { body: { type: 'git', target: repo, path: 'template.yaml' } });
    expect(loc.status).toBe(201);
    const res = await api<{ id: string }>(tarmac.url, '/api/scaffolder/v2/tasks', {
      body: { templateRef: 'test-service-git', values: { ...VALUES, name: 'from-git', repoUrl: 'localhost?owner=git-owner&repo=from-git' } },
    });
    expect(res.status).toBe(201);
    const task = await waitForTask<Task>(tarmac.url, res.body.id, (t) => t.status !== 'open' && t.status !== 'processing');
    expect(task.error).toBeUndefined();
    expect(task.status).toBe('completed');
    // the version of a template from git is its commit
    expect(task.spec.templateInfo.version).toBe((await git(repo, 'rev-parse', 'HEAD')).trim());
  });

  it('dry-runs a template from directoryContents without publishing', async () => {
    const root = path.join(FIXTURES, 'service-template');
    const read = (p: string) => ({ path: p, base64Content: readFileSync(path.join(root, p)).toString('base64') });
    const res = await api<{ directoryContents: Array<{ path: string; base64Content: string }>; log: Array<{ body: { message: string } }> }>(
      tarmac.url,
      '/api/scaffolder/v2/dry-run',
      {
        body: {
          template: parse(readFileSync(path.join(root, 'template.yaml'), 'utf8')),
          values: { ...VALUES, name: 'dry', repoUrl: 'localhost?owner=team-a&repo=dry' },
          directoryContents: ['template.yaml', 'skeleton/catalog-info.yaml', 'skeleton/README.md'].map(read),
        },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.directoryContents.map((f) => f.path).sort()).toEqual(['README.md', 'catalog-info.yaml']);
    const readme = res.body.directoryContents.find((f) => f.path === 'README.md');
    expect(Buffer.from(readme?.base64Content ?? '', 'base64').toString()).toBe('# dry\n\nOwned by group:default/team-a.\n');
    expect(JSON.stringify(res.body.log)).not.toContain(API_KEY);
    expect(existsSync(path.join(tarmac.dataDir, 'repos', 'team-a', 'dry.git'))).toBe(false);
  });

  it("dry-runs a catalog template by templateRef with its own files (the portal's preview)", async () => {
    const res = await api<{ directoryContents: Array<{ path: string; base64Content: string }> }>(tarmac.url, '/api/scaffolder/v2/dry-run', {
      body: { templateRef: 'template:default/test-service', values: { ...VALUES, name: 'preview' }, directoryContents: [] },
    });
    expect(res.status).toBe(200);
    const info = res.body.directoryContents.find((f) => f.path === 'catalog-info.yaml');
    expect((parse(Buffer.from(info?.base64Content ?? '', 'base64').toString()) as { metadata: { name: string } }).metadata.name).toBe('preview');
    const bad = await api<{ error: { code: string } }>(tarmac.url, '/api/scaffolder/v2/dry-run', { body: { templateRef: 'test-service', values: { name: 'Bad Name' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('lists actions with schemas, templates, and a parameter schema with one step per page', async () => {
    const actions = await api<Array<{ id: string; schema: { input: unknown } }>>(tarmac.url, '/api/scaffolder/v2/actions');
    const ids = actions.body.map((a) => a.id);
    for (const id of ['fetch:template', 'publish:git', 'catalog:register', 'debug:log']) expect(ids).toContain(id);
    const schema = await api<{ title: string; steps: Array<{ title: string; schema: { properties: object } }> }>(tarmac.url, '/api/scaffolder/v2/templates/default/template/test-service/parameter-schema');
    expect(schema.body.title).toBe('Test service');
    expect(schema.body.steps.map((s) => s.title)).toEqual(['Basics', 'Repository']);
    // The order template.yaml lists the fields in (the form's order), not the database's key order.
    expect(Object.keys(schema.body.steps[0]?.schema.properties ?? {})).toEqual(['description', 'name', 'owner', 'apiKey']);
    const templates = await api<{ items: Array<{ entityRef: string; latestVersion?: { number: number } }> }>(tarmac.url, '/api/scaffolder/v2/templates');
    const ours = templates.body.items.find((t) => t.entityRef === 'template:default/test-service');
    expect(ours?.latestVersion?.number).toBe(1);
  });

  it('CLI: template run follows the run (exit 0), dry-run --out writes the files, tasks lists runs', async () => {
    const run = await runCli(['--url', tarmac.url, 'template', 'run', 'test-service', '--set', 'name=billing', '--set', 'owner=group:default/team-b', '--set', 'repoUrl=localhost?owner=team-b&repo=billing']);
    expect(run.stderr).toContain('▸ publish completed');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/git/team-b/billing.git');
    const failed = await runCli(['--url', tarmac.url, 'template', 'run', 'test-service', '--set', 'name=billing', '--set', 'owner=group:default/team-b', '--set', 'repoUrl=localhost?owner=team-b&repo=billing']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('already exists');
    const out = path.join(tmp, 'dry-out');
    const dry = await runCli(['--url', tarmac.url, 'template', 'dry-run', path.join(FIXTURES, 'service-template'), '--set', 'name=cli', '--set', 'owner=group:default/x', '--set', 'repoUrl=localhost?owner=x&repo=cli', '--out', out]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('README.md');
    expect(readdirSync(out).sort()).toEqual(['README.md', 'catalog-info.yaml']);
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('# cli\n\nOwned by group:default/x.\n');
    const tasks = await runCli(['--url', tarmac.url, 'template', 'tasks']);
    expect(tasks.code).toBe(0);
    expect(tasks.stdout).toContain(taskId);
  }, 60_000);
});
