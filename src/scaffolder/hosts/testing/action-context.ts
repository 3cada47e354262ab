/**
 * A real `ActionContext` for running one action outside the engine in tests: a temp workspace, collected log lines
 * and outputs, temp folders removed by `cleanup()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActionContext, TemplateFiles } from '../../types.js';

/** The context plus what the action logged and output. */
export interface TestContext<I> {
  ctx: ActionContext<I>;
  logs: string[];
  outputs: Record<string, unknown>;
  cleanup(): Promise<void>;
}

const noFiles: TemplateFiles = {
  list: () => Promise.resolve([]),
  read: () => Promise.reject(new Error('no template files in this test')),
  describe: () => 'test',
};

/** Builds a context for `input` over the existing folder `workspacePath`. */
export function testActionContext<I>(input: I, workspacePath: string): TestContext<I> {
  const logs: string[] = [];
  const outputs: Record<string, unknown> = {};
  const temps: string[] = [];
  const ctx: ActionContext<I> = {
    input,
    workspacePath,
    log: (message, level = 'info') => logs.push(`${level}: ${message}`),
    output: (name, value) => {
      outputs[name] = value;
    },
    signal: new AbortController().signal,
    secrets: {},
    user: { ref: 'user:default/guest' },
    templateInfo: { entityRef: 'template:default/test', files: noFiles, version: 'v1' },
    isDryRun: false,
    createTemporaryDirectory: async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tarmac-action-'));
      temps.push(dir);
      return dir;
    },
    limits: { maxFiles: 1000, maxTotalBytes: 10_000_000 },
  };
  return { ctx, logs, outputs, cleanup: async () => void (await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })))) };
}
