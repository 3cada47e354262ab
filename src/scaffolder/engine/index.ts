/**
 * The scaffolder's template engine: sandboxed `${{ }}` rendering, parameter validation, the action registry with
 * the built-in file actions, and step execution (dry-run or real). Contract: helpers/SCAFFOLDER.md "Engine API";
 * behaviour after Backstage's `@backstage/plugin-scaffolder-backend` (NunjucksWorkflowRunner, SecureTemplater,
 * the fetch/fs/debug/catalog built-in actions). Design notes: docs/golden-paths.md "Template engine".
 */
import { renderExpressionString } from './render-values.js';
import { renderSandboxed } from './sandbox.js';

export { createActionRegistry, unknownActions, type ActionRegistry } from './registry.js';
export { templateFilesFromContents, templateFilesFromDirectory } from './template-files.js';
export { validateParameters, withParameterDefaults, parameterPages, type ParameterIssue } from './parameters.js';
export {
  executeTemplate,
  identifySteps,
  isCancelledError,
  type ExecuteOptions,
  type ExecuteResult,
  type StepResult,
} from './execute.js';
export { renderTemplateFiles, DEFAULT_RENDER_LIMITS } from './render-files.js';
export { renderValue, isTruthy } from './render-values.js';
export { parseRepoUrl, parseEntityRef, projectSlug, type RepoSpec, type CompoundEntityRef } from './filters.js';
export { createMasker, type Masker } from './masking.js';
export type { ActionContext, JsonSchema, RunLogEvent, TemplateAction, TemplateEntity, TemplateFiles, TemplateStep } from '../types.js';

/**
 * Sandboxed Nunjucks `${{ }}` rendering of one string with Backstage's filters (parseRepoUrl, parseEntityRef,
 * pick, projectSlug) and the standard Nunjucks filters. The result is always text (a value's JSON for objects
 * when the whole string is one expression: use `renderValue` to keep types).
 * @throws TarmacError BAD_REQUEST when the expression is invalid or reaches outside the sandbox
 */
export function renderString(template: string, context: Record<string, unknown>): string {
  const value = renderExpressionString(template, context);
  if (value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Renders a skeleton file's text (`${{ values.x }}`, or `{{ cookiecutter.x }}` with cookiecutterCompat). */
export const renderFileContent = (
  content: string,
  values: Record<string, unknown>,
  opts: { cookiecutterCompat?: boolean } = {},
): string => renderSandboxed(content, { [opts.cookiecutterCompat ? 'cookiecutter' : 'values']: values }, opts);
