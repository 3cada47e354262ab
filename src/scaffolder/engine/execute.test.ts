/**
 * executeTemplate: step order, `if`, `each` with merged outputs, unknown actions, input validation, cancel, secret
 * masking, ids for steps without one, the other built-ins (fs:*, debug:log, catalog:write), outputs, limits.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { isTarmacError } from '../../core/errors.js';
import type { TemplateAction, TemplateEntity, TemplateStep } from '../types.js';
import { createActionRegistry, isCancelledError, renderTemplateFiles, templateFilesFromContents } from './index.js';
import { runForTest } from './testing.js';

const files = templateFilesFromContents([
  { path: 'skeleton/README.md', base64Content: Buffer.from('# ${{ values.name }}\n').toString('base64') },
  { path: 'skeleton/tmp/scratch.txt', base64Content: Buffer.from('scratch').toString('base64') },
]);
const templateOf = (steps: TemplateStep[], output: Record<string, unknown> = {}): TemplateEntity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'exec' },
  spec: { steps, output },
});
const message = (err: unknown) => (isTarmacError(err) ? err.message : String(err));
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

/** An action echoing its input to the output (`echo`) so tests see what it was given. */
const echo: TemplateAction = {
  id: 'test:echo',
  description: 'echo',
  supportsDryRun: true,
  schema: { input: { type: 'object', properties: { value: {} } } },
  handler: async (ctx) => {
    ctx.output('echo', ctx.input.value);
  },
};
const registry = () => {
  const r = createActionRegistry();
  r.register(echo);
  return r;
};

describe('executeTemplate', () => {
  it('runs steps in order with if, each (outputs merged into arrays) and typed outputs', async () => {
    const run = await runForTest({
      registry: registry(),
      values: { items: ['a', 'b', 'c'], off: false },
      files,
      template: templateOf(
        [
          { id: 'skip', action: 'test:echo', if: '${{ parameters.off }}', input: { value: 1 } },
          { id: 'loop', action: 'test:echo', each: '${{ parameters.items }}', if: "${{ each.value !== 'b' }}", input: { value: '${{ each.key }}=${{ each.value }}' } },
          { action: 'test:echo', input: { value: '${{ steps.loop.output.echo }}' } },
        ],
        { text: [{ title: 'seen', content: '${{ steps["step-3"].output.echo | join(" ") }}' }], count: '${{ steps.loop.output.echo | length }}' },
      ),
    });
    expect(run.error).toBeUndefined();
    expect(run.result?.steps.map((s) => [s.id, s.status, s.output])).toEqual([
      ['skip', 'skipped', {}],
      ['loop', 'completed', { echo: ['0=a', '2=c'] }],
      ['step-3', 'completed', { echo: ['0=a', '2=c'] }],
    ]);
    expect(run.result?.output).toEqual({ text: [{ title: 'seen', content: '0=a 2=c' }], count: 2 });
    expect(run.logs.find((l) => l.stepId === 'skip' && l.status === 'skipped')?.message).toBe('Skipping step skip because its if condition was false');
    expect(run.logs.filter((l) => l.stepId === 'loop').map((l) => l.message)).toEqual([
      'Beginning step test:echo', // a step without a name is named by its action (Backstage)
      expect.stringMatching(/^Running test:echo in dry-run mode/),
      'Running step each: {"key":"0","value":"a"}',
      'Skipping step each: {"key":"1","value":"b"}',
      'Running step each: {"key":"2","value":"c"}',
      'Finished step test:echo',
    ]);
    expect(run.logs.filter((l) => l.status).map((l) => `${l.stepId}:${l.status}`)).toEqual([
      'skip:processing', 'skip:skipped', 'loop:processing', 'loop:completed', 'step-3:processing', 'step-3:completed',
    ]);
  });

  it('fails before running anything when an action is unknown', async () => {
    const run = await runForTest({ values: {}, files, template: templateOf([{ id: 'a', action: 'debug:log', input: {} }, { id: 'b', action: 'nope:nothing' }]) });
    expect(message(run.error)).toBe('The template uses actions Tarmac does not have: "nope:nothing" (step "b")');
    expect(run.logs).toEqual([]);
  });

  it('validates the rendered input against the action schema, naming step and field', async () => {
    const run = await runForTest({ values: {}, files, template: templateOf([{ id: 'fetch', action: 'fetch:template', input: { url: 3, values: 'x' } }]) });
    expect(message(run.error)).toBe('Step "fetch" (fetch:template) failed: Invalid input to step "fetch" (fetch:template): input.url must be string; input.values must be object');
    expect(run.logs.at(-1)).toMatchObject({ stepId: 'fetch', status: 'failed', level: 'error' });
  });

  it('masks secrets and values derived from them in every log line (real run)', async () => {
    const r = registry();
    r.register({
      id: 'test:leak', description: '', supportsDryRun: true, schema: { input: { type: 'object' } },
      handler: async (ctx) => ctx.log(`got ${ctx.secrets.TOKEN ?? ''} and "${JSON.stringify(ctx.secrets)}"`),
    });
    const direct = await runForTest({ registry: r, isDryRun: false, values: {}, secrets: { TOKEN: 's3cr3t-value' }, files, template: templateOf([{ id: 'leak', action: 'test:leak' }]) });
    expect(direct.logs.find((l) => l.stepId === 'leak' && !l.status)?.message).toBe('got *** and "{"TOKEN":"***"}"');
    const run = await runForTest({
      isDryRun: false,
      values: {},
      secrets: { TOKEN: 's3cr3t-value' },
      files,
      template: templateOf([{ id: 'log', action: 'debug:log', input: { message: 'token ${{ secrets.TOKEN }} / ${{ secrets.TOKEN | upper }}' } }]),
    });
    expect(run.error).toBeUndefined();
    // the whole rendered message was shaped by a secret, so (as in Backstage) all of it is hidden
    expect(run.logs.filter((l) => l.stepId === 'log' && !l.status).map((l) => l.message)).toEqual(['***']);
    expect(JSON.stringify(run.logs)).not.toMatch(/s3cr3t-value|S3CR3T-VALUE/);
  });

  it('does not give secrets to inputs in a dry-run', async () => {
    const run = await runForTest({ registry: registry(), values: {}, secrets: { T: 'abc' }, files, template: templateOf([{ id: 'e', action: 'test:echo', input: { value: 'x${{ secrets.T }}' } }]) });
    expect(run.result?.steps[0]?.output).toEqual({ echo: 'x' });
  });

  it('stops with status cancelled when the signal aborts during a step', async () => {
    const controller = new AbortController();
    const r = registry();
    r.register({ id: 'test:cancel', description: '', supportsDryRun: true, schema: { input: { type: 'object' } }, handler: async () => controller.abort() });
    const run = await runForTest({
      registry: r,
      signal: controller.signal,
      values: {},
      files,
      template: templateOf([{ id: 'one', action: 'test:cancel' }, { id: 'two', action: 'test:echo' }]),
    });
    expect(isCancelledError(run.error)).toBe(true);
    expect(message(run.error)).toBe('The run was cancelled (at step "one")');
    expect(run.logs.filter((l) => l.status).map((l) => `${l.stepId}:${l.status}`)).toEqual(['one:processing', 'one:cancelled']);
  });

  it('runs fs:rename, fs:delete, catalog:write and debug:log on the workspace', async () => {
    const run = await runForTest({
      values: { name: 'svc', owner: 'team-a', repoUrl: 'github.com?owner=acme&repo=svc' },
      files,
      template: templateOf([
        { id: 'fetch', action: 'fetch:template', input: { url: './skeleton', values: { name: '${{ parameters.name }}' } } },
        { id: 'mv', action: 'fs:rename', input: { files: [{ from: 'README.md', to: 'docs/README.md' }] } },
        { id: 'rm', action: 'fs:delete', input: { files: ['tmp/**', 'tmp'] } },
        {
          id: 'cat',
          action: 'catalog:write',
          input: {
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: '${{ parameters.name }}', annotations: { 'github.com/project-slug': '${{ parameters.repoUrl | projectSlug }}' } },
              spec: { type: 'service', lifecycle: 'production', owner: '${{ parameters.owner }}' },
            },
          },
        },
        { id: 'ls', action: 'debug:log', input: { message: 'done', listWorkspace: true } },
      ]),
    });
    expect(run.error).toBeUndefined();
    expect([...run.files.keys()]).toEqual(['catalog-info.yaml', 'docs/README.md']);
    expect(run.files.get('docs/README.md')).toBe('# svc\n');
    expect(YAML.parse(run.files.get('catalog-info.yaml') ?? '')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc', annotations: { 'backstage.io/source-template': 'template:default/exec', 'github.com/project-slug': 'acme/svc' } },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    });
    expect(run.logs.filter((l) => l.stepId === 'ls').map((l) => l.message)).toContain('Workspace:\n  - catalog-info.yaml\n  - docs/README.md');
  });

  it('refuses fs paths leaving the workspace and renames onto existing files', async () => {
    const steps = (input: Record<string, unknown>, action = 'fs:rename') => templateOf([{ id: 'fetch', action: 'fetch:template', input: { url: 'skeleton' } }, { id: 'fs', action, input }]);
    const cases: Array<[TemplateEntity, string]> = [
      [steps({ files: [{ from: 'README.md', to: '../x' }] }), 'files[0].to "../x" leaves the workspace'],
      [steps({ files: [{ from: 'README.md', to: 'tmp/scratch.txt' }] }), 'files[0].to "tmp/scratch.txt" already exists (set overwrite: true to replace it)'],
      [steps({ files: ['../*'] }, 'fs:delete'), 'files[0] "../*" leaves the workspace'],
    ];
    for (const [template, expected] of cases) {
      const run = await runForTest({ values: {}, files, template });
      expect(message(run.error)).toContain(expected);
    }
  });

  it('checks workspace limits after every step (also for actions writing directly)', async () => {
    const r = registry();
    r.register({
      id: 'test:bulk',
      description: '',
      supportsDryRun: true,
      schema: { input: { type: 'object' } },
      handler: async (ctx) => {
        for (let i = 0; i < 5; i++) await writeFile(path.join(ctx.workspacePath, `f${i}`), 'x');
      },
    });
    const run = await runForTest({ registry: r, values: {}, files, template: templateOf([{ id: 'bulk', action: 'test:bulk' }]), limits: { maxFiles: 3, maxTotalBytes: 1000 } });
    expect(message(run.error)).toBe('Step "bulk" (test:bulk) failed: The workspace holds 5 files, more than maxFiles (3)');
    expect(isTarmacError(run.error, 'PAYLOAD_TOO_LARGE')).toBe(true);
  });

  it('calls beforeStep with the rendered input', async () => {
    const seen: Array<[string, unknown]> = [];
    const ws = await mkdtemp(path.join(os.tmpdir(), 'tarmac-exec-test-'));
    temps.push(ws);
    const { executeTemplate } = await import('./index.js');
    await executeTemplate({
      template: templateOf([{ id: 'e', action: 'test:echo', input: { value: '${{ parameters.n }}' } }]),
      templateRef: 'template:default/exec', version: 'v1', files, values: { n: 7 }, secrets: {}, user: {}, workspacePath: ws,
      isDryRun: false, registry: registry(), signal: new AbortController().signal, limits: { maxFiles: 10, maxTotalBytes: 1000 },
      onLog: () => undefined,
      beforeStep: async (step, input) => {
        seen.push([step.id, input]);
      },
    });
    expect(seen).toEqual([['e', { value: 7 }]]);
  });
});

describe('renderTemplateFiles', () => {
  it('renders only file steps into a map and leaves no workspace behind', async () => {
    const template = templateOf([
      { id: 'fetch', action: 'fetch:template', input: { url: './skeleton', values: { name: '${{ parameters.name }}' } } },
      { id: 'publish', action: 'publish:github', input: { repoUrl: 'x' } },
      { action: 'fs:delete', input: { files: ['tmp'] } },
    ]);
    const out = await renderTemplateFiles({ template, templateRef: 'template:default/exec', version: 'v1', files, values: { name: 'up' } });
    expect([...out.entries()].map(([k, v]) => [k, v.toString('utf8')])).toEqual([['README.md', '# up\n']]);
  });
});
