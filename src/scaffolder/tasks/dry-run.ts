import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { errorMessage, TarmacError } from '../../core/errors.js';
import type { ScaffolderConfig } from '../../core/config-sections.js';
import { executeTemplate, templateFilesFromContents, unknownActions, validateParameters, withParameterDefaults, type ActionRegistry } from '../engine/index.js';
import type { EntityLike } from '../../core/auth.js';
import { stringifyEntityRef } from '../../catalog/index.js';
import type { TemplateEntity, TemplateFiles } from '../types.js';
import { secretFieldNames, secretRedactor } from './secrets.js';
import { initialSteps } from './runner.js';

/** `POST /v2/dry-run` body (Backstage `ScaffolderDryRunOptions`). */
export interface DryRunInput {
  template?: unknown;
  /** Tarmac extension (the portal's preview): read the files of this catalog template instead of `directoryContents`. */
  templateRef?: string;
  values: Record<string, unknown>;
  secrets?: Record<string, string>;
  directoryContents: Array<{ path: string; base64Content: string }>;
}

/** `POST /v2/dry-run` answer (Backstage `ScaffolderDryRunResponse`). */
export interface DryRunResult {
  log: Array<{ body: { message: string; stepId?: string; status?: string; level: string } }>;
  directoryContents: Array<{ path: string; base64Content: string; executable: boolean }>;
  output: Record<string, unknown>;
  steps: Array<{ id: string; name?: string; action: string; status: string }>;
}

/** Checks the dry-run's template is a v1beta3 Template with steps. @throws TarmacError BAD_REQUEST */
export function checkTemplate(t: unknown): TemplateEntity {
  const e = t as Partial<TemplateEntity> | undefined;
  if (!e || typeof e !== 'object' || e.kind !== 'Template' || !e.metadata?.name || !e.spec || !Array.isArray(e.spec.steps)) {
    throw new TarmacError('BAD_REQUEST', 'template must be a Template entity with metadata.name and spec.steps');
  }
  return e as TemplateEntity;
}

/** Checks a template's values and actions before anything runs. @throws VALIDATION_FAILED (form errors), BAD_REQUEST naming unknown actions */
export function precheck(template: TemplateEntity, values: Record<string, unknown>, registry: ActionRegistry): void {
  validateParameters(template, values);
  const unknown = unknownActions(template, registry);
  if (unknown.length) {
    throw new TarmacError('BAD_REQUEST', `template uses unknown action${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { details: { unknownActions: unknown } });
  }
}

/**
 * Runs a template in a temporary workspace without publishing or registering (actions without `supportsDryRun`
 * are skipped by the engine), then returns the log, every file of the workspace (base64) and the output.
 * Limits: `scaffolder.maxFiles`, `maxTotalBytes`, `runTimeoutSeconds`. Spec: issue 3 "Dry-run", Backstage
 * `POST /v2/dry-run`. @throws TarmacError BAD_REQUEST / VALIDATION_FAILED before running, or the failed step's error
 */
export async function dryRun(o: {
  input: DryRunInput;
  registry: ActionRegistry;
  config: ScaffolderConfig;
  dataDir: string;
  user: { ref?: string; entity?: EntityLike };
  /** The template's files when they come from the catalog; default `input.directoryContents`. */
  files?: TemplateFiles;
}): Promise<DryRunResult> {
  const template = checkTemplate(o.input.template);
  const values = withParameterDefaults(template, o.input.values ?? {});
  const secrets = o.input.secrets ?? {};
  precheck(template, values, o.registry);
  const files = o.files ?? templateFilesFromContents(o.input.directoryContents ?? []);
  const redact = secretRedactor(values, secretFieldNames(template), secrets);
  const root = path.resolve(o.dataDir, 'scaffolder', 'dry-runs');
  await mkdir(root, { recursive: true });
  const workspacePath = await mkdtemp(path.join(root, 'run-'));
  const log: DryRunResult['log'] = [];
  const limits = { maxFiles: o.config.maxFiles, maxTotalBytes: o.config.maxTotalBytes };
  const signal = AbortSignal.timeout(o.config.runTimeoutSeconds * 1000);
  try {
    const result = await executeTemplate({
      template,
      templateRef: stringifyEntityRef({ kind: 'template', namespace: template.metadata.namespace ?? 'default', name: template.metadata.name }),
      version: 'dry-run',
      files,
      values,
      secrets,
      user: o.user,
      workspacePath,
      isDryRun: true,
      registry: o.registry,
      signal,
      limits,
      onLog: (e) => log.push({ body: { message: redact(e.message), stepId: e.stepId, status: e.status, level: e.level } }),
    });
    const steps = initialSteps(template.spec.steps).map((s) => ({ ...s, status: result.steps.find((r) => r.id === s.id)?.status ?? 'skipped' }));
    return { log, directoryContents: await readWorkspace(workspacePath, limits), output: result.output, steps };
  } catch (err) {
    if (signal.aborted) throw new TarmacError('UPSTREAM_FAILED', `dry-run timed out after ${o.config.runTimeoutSeconds} s`, { details: { log } });
    if (err instanceof TarmacError) throw new TarmacError(err.code, redact(err.message), { details: { log }, cause: err });
    throw new TarmacError('INTERNAL', redact(errorMessage(err)), { details: { log } });
  } finally {
    await rm(workspacePath, { recursive: true, force: true });
  }
}

/** Every file of a workspace as `{ path, base64Content, executable }`, sorted by path; symlinks are not followed. */
async function readWorkspace(dir: string, limits: { maxFiles: number; maxTotalBytes: number }): Promise<DryRunResult['directoryContents']> {
  const paths = (await fg('**/*', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false })).sort();
  if (paths.length > limits.maxFiles) throw new TarmacError('PAYLOAD_TOO_LARGE', `dry-run made ${paths.length} files (limit ${limits.maxFiles})`);
  let total = 0;
  const out: DryRunResult['directoryContents'] = [];
  for (const p of paths) {
    const abs = path.join(dir, p);
    const st = await stat(abs);
    total += st.size;
    if (total > limits.maxTotalBytes) throw new TarmacError('PAYLOAD_TOO_LARGE', `dry-run output exceeds ${limits.maxTotalBytes} bytes`);
    out.push({ path: p, base64Content: (await readFile(abs)).toString('base64'), executable: (st.mode & 0o111) !== 0 });
  }
  return out;
}
