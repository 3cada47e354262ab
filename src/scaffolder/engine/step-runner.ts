/**
 * Runs one template step (after Backstage's NunjucksWorkflowRunner.executeStep): `if`, dry-run skipping with
 * example outputs, `each` iterations, input rendering and validation, the action call, outputs, limits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { TarmacError } from '../../core/errors.js';
import { assertWithinLimits } from '../actions/workspace.js';
import type { JsonSchema, RunLogEvent, TemplateAction, TemplateStep } from '../types.js';
import type { ExecuteOptions, StepResult } from './execute.js';
import { secretInfluenced, type Masker } from './masking.js';
import { isTruthy, renderExpressionString, renderValue, type ExpressionContext } from './render-values.js';

/** A step with its id settled (`step-<n>`, 1-based, when the template gives none) and a name. */
export type IdentifiedStep = TemplateStep & { id: string; name: string };

/** What one step run needs besides the options. */
export interface StepEnv {
  o: ExecuteOptions;
  context: ExpressionContext;
  masker: Masker;
  log(e: Omit<RunLogEvent, 'createdAt'>): void;
}

const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
const validators = new WeakMap<JsonSchema, ValidateFunction>();
function validatorFor(schema: JsonSchema): ValidateFunction {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile(schema)));
  return v;
}

/** Example output for a skipped dry-run step (Backstage `generateExampleOutput`). */
export function exampleOutput(schema: JsonSchema): unknown {
  const examples = schema.examples;
  if (Array.isArray(examples)) return examples[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => [k, exampleOutput(v)]));
    case 'array': {
      const first = [schema.items].flat()[0] as JsonSchema | undefined;
      return first ? [exampleOutput(first)] : [];
    }
    case 'string':
      return '<example>';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return '<unknown>';
  }
}

const renderCondition = (value: string | boolean | undefined, ctx: Record<string, unknown>): boolean =>
  typeof value === 'string' ? isTruthy(renderExpressionString(value, ctx)) : value !== false;

/**
 * Runs `step`; fills `result` (status, output) and `env.context.steps[step.id]`.
 * @throws TarmacError (validation, action failure, limits) — the caller marks the step failed or cancelled
 */
export async function runStep(step: IdentifiedStep, action: TemplateAction, env: StepEnv, result: StepResult): Promise<void> {
  const { o, context } = env;
  const stepLog = (message: string, extra: Partial<RunLogEvent> = {}) => env.log({ stepId: step.id, level: 'info', message, ...extra });
  if (step.if === false || (typeof step.if === 'string' && step.each === undefined && !renderCondition(step.if, context))) {
    result.status = 'skipped';
    stepLog(`Skipping step ${step.id} because its if condition was false`, { status: 'skipped' });
    return;
  }
  if (o.isDryRun) {
    const redacted = Object.fromEntries(Object.keys(o.secrets ?? {}).map((k) => [k, '***']));
    const shown = renderValue(step.input ?? {}, { ...context, secrets: redacted });
    stepLog(`Running ${action.id} in dry-run mode with inputs (secrets redacted): ${JSON.stringify(shown, undefined, 2)}`);
    if (!action.supportsDryRun) {
      const output = action.schema.output ? (exampleOutput(action.schema.output) as Record<string, unknown>) : {};
      context.steps[step.id] = { output };
      result.output = output;
      result.status = 'skipped';
      stepLog(`Skipping because ${action.id} does not support dry-run`, { status: 'skipped' });
      return;
    }
  }
  const secrets = o.isDryRun ? {} : o.secrets;
  const pre: ExpressionContext = { ...context, secrets };
  let iterations: Array<{ each?: { key: string; value: unknown } }> = [{}];
  if (step.each !== undefined) {
    const each = typeof step.each === 'string' ? renderExpressionString(step.each, pre) : renderValue(step.each, pre);
    if (!each || typeof each !== 'object') {
      throw new TarmacError('BAD_REQUEST', `each of step "${step.id}" (${action.id}): "${String(step.each)}" did not render to a list or an object`);
    }
    iterations = Object.entries(each).map(([key, value]) => ({ each: { key, value } }));
  }
  const planned = iterations.map((it) => {
    const full = { ...pre, ...it };
    const shouldRun = !it.each || step.if === undefined || renderCondition(step.if, full);
    return { ...it, shouldRun, full, input: shouldRun ? renderValue(step.input ?? {}, full) : {} };
  });
  const validate = validatorFor(action.schema.input);
  for (const it of planned) {
    if (!it.shouldRun || validate(it.input)) continue;
    const issues = (validate.errors ?? []).map((e) => {
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const field = `input${e.instancePath.replace(/\//g, '.')}${missing ? `.${missing}` : ''}`;
      return { path: field, message: e.message ?? 'is invalid' };
    });
    const where = `${action.id}${it.each ? `[${it.each.key}]` : ''}`;
    throw new TarmacError(
      'BAD_REQUEST',
      `Invalid input to step "${step.id}" (${where}): ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      { details: issues },
    );
  }
  const output: Record<string, unknown> = {};
  const tmpDirs: string[] = [];
  try {
    for (const it of planned) {
      if (it.each) stepLog(`${it.shouldRun ? 'Running' : 'Skipping'} step each: ${JSON.stringify(it.each, (k, v: unknown) => (k ? String(v) : v))}`);
      if (!it.shouldRun) continue;
      if (Object.keys(secrets).length > 0) {
        env.masker.add(secretInfluenced(it.input, renderValue(step.input ?? {}, { ...it.full, secrets: {} })));
      }
      await o.beforeStep?.(step, it.input);
      await action.handler({
        input: it.input,
        workspacePath: o.workspacePath,
        log: (message, level = 'info') => env.log({ stepId: step.id, level, message }),
        output(name, value) {
          if (step.each !== undefined) ((output[name] ??= []) as unknown[]).push(value);
          else output[name] = value;
        },
        signal: o.signal,
        secrets: o.secrets,
        user: o.user,
        templateInfo: { entityRef: o.templateRef, files: o.files, version: o.version },
        isDryRun: o.isDryRun,
        async createTemporaryDirectory() {
          const dir = await mkdtemp(path.join(os.tmpdir(), `tarmac-step-${step.id.replace(/[^\w-]/g, '_')}-`));
          tmpDirs.push(dir);
          return dir;
        },
        limits: o.limits,
      });
      if (o.signal.aborted) break;
    }
  } finally {
    await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
  }
  await assertWithinLimits(o.workspacePath, o.limits);
  context.steps[step.id] = { output: JSON.parse(JSON.stringify(output)) as Record<string, unknown> };
  result.output = output;
}
