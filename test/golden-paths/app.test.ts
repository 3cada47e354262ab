// The golden paths in a running Tarmac with the demo catalog (examples/all.yaml): both Template entities ingest
// without errors, each rendered catalog-info.yaml is a valid entity whose owner and system exist, and a run of
// template:default/typescript-service publishes a real repository (cloned back over git's smart HTTP) and
// registers its component.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import { PROJECT_ROOT } from '../../src/app.js';
import { parse } from 'yaml';
import { api, startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { ANSWERS, GOLDEN_PATHS, render } from './golden-paths.js';

// Async on purpose: Tarmac serves git from this same process, so a blocking child would deadlock it.
const run = promisify(execFile);

interface Task { status: string; output?: { links?: Array<{ title?: string; url?: string; entityRef?: string }> }; error?: { message: string } }

/** Polls the run until it ends (not a timed assertion: the deadline only stops a hung run from hanging the suite). */
async function waitForRun(base: string, id: string): Promise<Task> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await api<Task>(base, `/api/scaffolder/v2/tasks/${id}`);
    if (!['open', 'processing'].includes(body.status) || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(testEngines())('golden paths in a running Tarmac (%s)', (engine) => {
  let tarmac: TestTarmac;
  beforeAll(async () => {
    tarmac = await startTestTarmac(engine, [{ type: 'file', target: path.join(PROJECT_ROOT, 'examples', 'all.yaml') }]);
  });
  afterAll(() => tarmac?.close());

  it('ingests both templates, owned by developer-platform, without errors', async () => {
    for (const gp of GOLDEN_PATHS) {
      const res = await api<{ metadata: { annotations: Record<string, string> }; spec: { owner: string }; relations: Array<{ type: string; targetRef: string }> }>(
        tarmac.url, `/api/catalog/entities/by-name/template/default/${gp.name}`,
      );
      expect(res.status, gp.name).toBe(200);
      expect(res.body.metadata.annotations['tarmac.dev/template-version']).toBe('1');
      expect(res.body.relations).toContainEqual(expect.objectContaining({ type: 'ownedBy', targetRef: 'group:default/developer-platform' }));
      const errors = await api<{ items: unknown[] }>(tarmac.url, `/api/catalog/errors?entityRef=template:default/${gp.name}`);
      expect(errors.body.items, gp.name).toEqual([]);
    }
  });

  it('accepts each rendered catalog-info.yaml, whose owner and system are in the catalog', async () => {
    for (const gp of GOLDEN_PATHS) {
      const entity = parse((await render(gp)).get('catalog-info.yaml') ?? '') as { spec: { owner: string; system: string } };
      const res = await api(tarmac.url, '/api/catalog/validate-entity', { body: { entity, location: 'url:http://localhost:7007/git/trips/trip-eta' } });
      expect(res.status, `${gp.name}: ${JSON.stringify(res.body)}`).toBe(200);
      for (const ref of [entity.spec.owner, entity.spec.system]) {
        const [kind, rest] = ref.split(':');
        expect((await api(tarmac.url, `/api/catalog/entities/by-name/${kind}/${rest}`)).status, ref).toBe(200);
      }
    }
  });

  it.each(GOLDEN_PATHS)('runs $name: publishes a repository that clones with every skeleton file and the origin, registers the component', async (gp) => {
    const name = gp.name === 'typescript-service' ? 'trip-eta' : 'trip-eta-py';
    const values = { ...ANSWERS, name, repoUrl: `localhost?owner=trips&repo=${name}` };
    const created = await api<{ id: string }>(tarmac.url, '/api/scaffolder/v2/tasks', {
      body: { templateRef: `template:default/${gp.name}`, values },
    });
    expect(created.status).toBe(201);
    const task = await waitForRun(tarmac.url, created.body.id);
    expect(task.error?.message).toBeUndefined();
    expect(task.status).toBe('completed');
    // baseUrl defaults to http://localhost:<port> when listening on 127.0.0.1 (docs/configuration.md)
    const repoUrl = `http://localhost:${new URL(tarmac.url).port}/git/trips/${name}.git`;
    expect(task.output?.links).toEqual([
      { title: 'Repository', url: repoUrl },
      { title: 'Open in catalog', icon: 'catalog', entityRef: `component:default/${name}` },
    ]);

    const clone = mkdtempSync(path.join(tmpdir(), 'tarmac-golden-clone-'));
    try {
      await run('git', ['clone', '--quiet', repoUrl, clone], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
      const files = (await run('git', ['ls-files'], { cwd: clone })).stdout.split('\n').filter(Boolean).sort();
      expect(files).toEqual([...gp.files, '.tarmac/template.json'].sort());
      const origin = JSON.parse(readFileSync(path.join(clone, '.tarmac', 'template.json'), 'utf8')) as { templateRef: string; version: string; values: Record<string, unknown> };
      expect(origin.templateRef).toBe(`template:default/${gp.name}`);
      expect(origin.version).toBe('1');
      expect(origin.values).toMatchObject(values);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }

    const component = await api<{ spec: { owner: string; system: string }; metadata: { annotations: Record<string, string> } }>(
      tarmac.url, `/api/catalog/entities/by-name/component/default/${name}`,
    );
    expect(component.status).toBe(200);
    expect(component.body.spec).toMatchObject({ owner: 'group:default/trips', system: 'system:default/trip-management', lifecycle: 'production' });
    expect(component.body.metadata.annotations['tarmac.dev/template']).toBe(`template:default/${gp.name}`);
  });
});
