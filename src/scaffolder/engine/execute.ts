/**
 * `executeTemplate`: runs a template's steps in order against a workspace (after Backstage's
 * NunjucksWorkflowRunner.execute), reporting step status changes and log lines through `onLog` with secrets masked,
 * then renders `spec.output`.
 */
import { mkdir } from 'node:fs/promises';
import type { EntityLike } from '../../core/auth.js';
import { TarmacError, errorMessage, isTarmacError } from '../../core/errors.js';
import type { RunLogEvent, TemplateEntity, TemplateFiles, TemplateStep } from '../types.js';
import { createMasker } from './masking.js';
import { unknownActions, type ActionRegistry } from './registry.js';
import { renderValue, type ExpressionContext } from './render-values.js';
import { toPlainData } from './sandbox.js';
import { runStep, type IdentifiedStep } from './step-runner.js';

/** What `executeTemplate` needs. */
export interface ExecuteOptions {
  template: TemplateEntity;
  templateRef: string;
  version: string;
  files: TemplateFiles;
  values: Record<string, unknown>;
  secrets: Record<string, string>;
  user: { ref?: string; entity?: EntityLike };
  workspacePath: string;
  isDryRun: boolean;
  registry: ActionRegistry;
  signal: AbortSignal;
  /** Most files / bytes the workspace may hold (checked on every write and after every step). */
  limits: { maxFiles: number; maxTotalBytes: number };
  /** Log lines and step status changes (`processing`, `completed`, `skipped`, `failed`, `cancelled`); secrets masked. */
  onLog(event: RunLogEvent): void;
  /** Called with the rendered input right before a step's action runs (H5 writes the origin file before publish:*). */
  beforeStep?(step: TemplateStep & { id: string }, input: Record<string, unknown>): Promise<void>;
}

/** One step's outcome. */
export interface StepResult {
  id: string;
  name?: string;
  action: string;
  status: 'completed' | 'skipped' | 'failed' | 'cancelled';
  /** ISO times. */
  startedAt?: string;
  finishedAt?: string;
  output: Record<string, unknown>;
}

/** What `executeTemplate` returns. */
export interface ExecuteResult {
  output: {
    links?: Array<{ title?: string; url?: string; entityRef?: string; icon?: string }>;
    text?: Array<{ title?: string; content?: string }>;
    [key: string]: unknown;
  };
  steps: StepResult[];
}

/** The template's steps with ids (`step-<n>`, 1-based, when missing) and names (the action when missing). */
export function identifySteps(template: TemplateEntity): IdentifiedStep[] {
  return (template.spec.steps ?? []).map((s, i) => ({ ...s, id: s.id ?? `step-${i + 1}`, name: s.name ?? s.action }));
}

/** True for the error `executeTemplate` throws when the run was cancelled (`details.cancelled`). */
export function isCancelledError(err: unknown): boolean {
  return isTarmacError(err) && (err.details as { cancelled?: boolean } | undefined)?.cancelled === true;
}

/**
 * Runs the steps in order. Dry-run: actions without `supportsDryRun` are skipped (their outputs are examples
 * from the action's output schema) and secrets are not given to inputs.
 * @throws TarmacError BAD_REQUEST before anything runs when a step's action is unknown (naming action and step);
 *   on the first failed step, the step's error code (INTERNAL for non-Tarmac errors) with a message naming the
 *   step and action, `details: { stepId, action, steps }`; on abort, CONFLICT "cancelled" with
 *   `details: { cancelled: true, stepId, steps }` (see `isCancelledError`).
 */
export async function executeTemplate(o: ExecuteOptions): Promise<ExecuteResult> {
  const steps = identifySteps(o.template);
  const unknown = unknownActions(o.template, o.registry);
  if (unknown.length > 0) {
    const where = steps.filter((s) => unknown.includes(s.action)).map((s) => `"${s.action}" (step "${s.id}")`);
    throw new TarmacError('BAD_REQUEST', `The template uses actions Tarmac does not have: ${where.join(', ')}`, {
      details: { unknownActions: unknown },
    });
  }
  const masker = createMasker(o.secrets);
  const log = (e: Omit<RunLogEvent, 'createdAt'>) => o.onLog({ ...e, message: masker.mask(e.message), createdAt: new Date().toISOString() });
  const context: ExpressionContext = {
    parameters: toPlainData(o.values ?? {}),
    steps: {},
    user: toPlainData(o.user ?? {}),
    secrets: {},
  };
  const results: StepResult[] = [];
  await mkdir(o.workspacePath, { recursive: true });
  log({ level: 'info', message: `Starting up task with ${steps.length} steps${o.isDryRun ? ' (dry-run)' : ''}` });
  for (const step of steps) {
    const result: StepResult = { id: step.id, name: step.name, action: step.action, status: 'completed', output: {} };
    const stepLog = (level: RunLogEvent['level'], message: string, status?: RunLogEvent['status']) =>
      log({ stepId: step.id, level, message, ...(status ? { status } : {}) });
    if (o.signal.aborted) throw cancelled(step, results, stepLog);
    results.push(result);
    result.startedAt = new Date().toISOString();
    stepLog('info', `Beginning step ${step.name}`, 'processing');
    try {
      const action = o.registry.get(step.action);
      if (!action) throw new TarmacError('BAD_REQUEST', `Action "${step.action}" is not registered`);
      await runStep(step, action, { o, context, masker, log }, result);
      if (o.signal.aborted) throw cancelled(step, results, stepLog, result);
    } catch (err) {
      result.finishedAt = new Date().toISOString();
      if (isCancelledError(err)) throw err;
      if (o.signal.aborted) throw cancelled(step, results, stepLog, result);
      result.status = 'failed';
      const message = masker.mask(`Step "${step.id}" (${step.action}) failed: ${errorMessage(err)}`);
      stepLog('error', message, 'failed');
      throw new TarmacError(isTarmacError(err) ? err.code : 'INTERNAL', message, {
        cause: err,
        details: { stepId: step.id, action: step.action, steps: results, ...(isTarmacError(err) && err.details ? { cause: err.details } : {}) },
      });
    }
    result.finishedAt = new Date().toISOString();
    if (result.status === 'completed') stepLog('info', `Finished step ${step.name}`, 'completed');
  }
  let output: ExecuteResult['output'];
  try {
    output = renderValue(o.template.spec.output ?? {}, context) as ExecuteResult['output'];
  } catch (err) {
    const message = masker.mask(`spec.output could not be rendered: ${errorMessage(err)}`);
    log({ level: 'error', message });
    throw new TarmacError(isTarmacError(err) ? err.code : 'INTERNAL', message, { details: { steps: results } });
  }
  log({ level: 'info', message: 'Run finished' });
  return { output, steps: results };
}

function cancelled(
  step: IdentifiedStep,
  results: StepResult[],
  stepLog: (level: RunLogEvent['level'], message: string, status?: RunLogEvent['status']) => void,
  result?: StepResult,
): TarmacError {
  if (result) {
    result.status = 'cancelled';
    result.finishedAt ??= new Date().toISOString();
  }
  stepLog('warn', `Step ${step.id} has been cancelled.`, 'cancelled');
  return new TarmacError('CONFLICT', `The run was cancelled (at step "${step.id}")`, {
    details: { cancelled: true, stepId: step.id, steps: results },
  });
}
