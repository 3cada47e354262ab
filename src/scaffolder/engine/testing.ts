/**
 * Test support for the engine: stand-in actions for ids registered elsewhere (publish:*, catalog:register) and a
 * one-call dry-run into a temporary workspace that returns the files and the log.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listFiles } from '../actions/workspace.js';
import type { RunLogEvent, TemplateAction, TemplateEntity, TemplateFiles } from '../types.js';
import { executeTemplate, type ExecuteResult } from './execute.js';
import { createActionRegistry, type ActionRegistry } from './registry.js';

/** An action that does nothing but declare `outputs` (strings) and whether it runs in dry-runs. */
export function stubAction(id: string, outputs: string[] = [], supportsDryRun = false): TemplateAction {
  return {
    id,
    description: `stand-in for ${id}`,
    supportsDryRun,
    schema: {
      input: { type: 'object' },
      output: { type: 'object', properties: Object.fromEntries(outputs.map((o) => [o, { type: 'string' }])) },
    },
    handler: async (ctx) => {
      for (const o of outputs) ctx.output(o, `${id}:${o}`);
    },
  };
}

/** A registry with the built-ins plus stand-ins for the publishers and catalog:register (H5/H6 own the real ones). */
export function registryWithStubs(): ActionRegistry {
  const registry = createActionRegistry();
  for (const id of ['publish:github', 'publish:gitlab', 'publish:git']) registry.register(stubAction(id, ['remoteUrl', 'repoContentsUrl']));
  registry.register(stubAction('publish:github:pull-request', ['remoteUrl', 'pullRequestNumber']));
  registry.register(stubAction('publish:gitlab:merge-request', ['mergeRequestUrl', 'projectid']));
  registry.register(stubAction('catalog:register', ['entityRef', 'catalogInfoUrl']));
  return registry;
}

/** A finished (or failed) run in a temporary workspace. */
export interface TestRun {
  result?: ExecuteResult;
  error?: unknown;
  files: Map<string, string>;
  logs: RunLogEvent[];
}

/** Runs `template` (dry-run unless `isDryRun: false`) into a fresh temporary workspace, collects files and log. */
export async function runForTest(o: {
  template: TemplateEntity;
  files: TemplateFiles;
  values: Record<string, unknown>;
  secrets?: Record<string, string>;
  isDryRun?: boolean;
  registry?: ActionRegistry;
  limits?: { maxFiles: number; maxTotalBytes: number };
  signal?: AbortSignal;
  workspacePath?: string;
}): Promise<TestRun> {
  const workspacePath = o.workspacePath ?? (await mkdtemp(path.join(os.tmpdir(), 'tarmac-engine-test-')));
  const logs: RunLogEvent[] = [];
  const run: TestRun = { files: new Map(), logs };
  try {
    run.result = await executeTemplate({
      template: o.template,
      templateRef: `template:default/${o.template.metadata.name}`,
      version: 'test',
      files: o.files,
      values: o.values,
      secrets: o.secrets ?? {},
      user: { ref: 'user:default/tester' },
      workspacePath,
      isDryRun: o.isDryRun ?? true,
      registry: o.registry ?? registryWithStubs(),
      signal: o.signal ?? new AbortController().signal,
      limits: o.limits ?? { maxFiles: 1000, maxTotalBytes: 10 * 1024 * 1024 },
      onLog: (e) => logs.push(e),
    });
  } catch (err) {
    run.error = err;
  }
  for (const f of await listFiles(workspacePath)) {
    run.files.set(f.rel, (await readFile(path.join(workspacePath, f.rel)).catch(() => Buffer.alloc(0))).toString('utf8'));
  }
  if (!o.workspacePath) await rm(workspacePath, { recursive: true, force: true });
  return run;
}
