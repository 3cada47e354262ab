/**
 * `renderTemplateFiles`: the files a template version produces for given answers, without publishing anything.
 * Used by upgrades to render the old and the new version with the recorded answers and merge the difference.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listFiles } from '../actions/workspace.js';
import type { TemplateEntity, TemplateFiles } from '../types.js';
import { executeTemplate, identifySteps } from './execute.js';
import { createActionRegistry } from './registry.js';

/** Defaults when no limits are given: 10 000 files, 100 MiB. */
export const DEFAULT_RENDER_LIMITS = { maxFiles: 10_000, maxTotalBytes: 100 * 1024 * 1024 };

/** Actions that shape the files (everything else — publish, register, notify — is left out). */
const FILE_ACTION = /^(fetch:|fs:)|^catalog:write$/;

/**
 * Runs only the file-producing steps (`fetch:*`, `fs:*` and `catalog:write`, as in a dry-run: no secrets) in a
 * temporary workspace and returns its files as relative POSIX path → bytes. The temporary folder is removed.
 * Step ids are settled before filtering, so `steps.<id>` references and `step-<n>` names are unchanged.
 * @throws TarmacError as `executeTemplate` (a step failing, limits exceeded)
 */
export async function renderTemplateFiles(o: {
  template: TemplateEntity;
  templateRef: string;
  version: string;
  files: TemplateFiles;
  values: Record<string, unknown>;
  user?: { ref?: string };
  limits?: { maxFiles: number; maxTotalBytes: number };
}): Promise<Map<string, Buffer>> {
  const steps = identifySteps(o.template).filter((s) => FILE_ACTION.test(s.action));
  const template = { ...o.template, spec: { ...o.template.spec, steps, output: {} } };
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'tarmac-render-'));
  try {
    await executeTemplate({
      template,
      templateRef: o.templateRef,
      version: o.version,
      files: o.files,
      values: o.values,
      secrets: {},
      user: o.user ?? {},
      workspacePath: workspace,
      isDryRun: true,
      registry: createActionRegistry(),
      signal: new AbortController().signal,
      limits: o.limits ?? DEFAULT_RENDER_LIMITS,
      onLog: () => undefined,
    });
    const out = new Map<string, Buffer>();
    for (const f of await listFiles(workspace)) out.set(f.rel, await readFile(path.join(workspace, f.rel)));
    return out;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}
