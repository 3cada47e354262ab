/**
 * The scaffolder's shared contracts: template actions (after Backstage's `createTemplateAction`), the files a
 * template is rendered from, and what a run reports. Engine, actions, runs, publishers and upgrades all code
 * against these; change them only additively.
 */
import type { EntityLike } from '../core/auth.js';

/** A JSON Schema object (draft 7 / 2020-12 subset Backstage uses for action inputs and template parameters). */
export type JsonSchema = Record<string, unknown>;

/** A Template entity (`scaffolder.backstage.io/v1beta3`), as read from the catalog. */
export interface TemplateEntity extends EntityLike {
  apiVersion: string;
  kind: 'Template';
  spec: {
    type?: string;
    owner?: string;
    parameters?: JsonSchema | JsonSchema[];
    steps: TemplateStep[];
    output?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

/** One `spec.steps[]` item. `id` may be absent (Backstage allows it; such steps' outputs can't be referenced). */
export interface TemplateStep {
  id?: string;
  name?: string;
  action: string;
  input?: Record<string, unknown>;
  /** `${{ … }}` expression or boolean; the step is skipped when it renders falsy. */
  if?: string | boolean;
  /** `${{ … }}` expression rendering to an array or object; the step runs once per item with `each`. */
  each?: string | unknown[];
}

/**
 * The template's own files (template.yaml's folder): what `fetch:template` / `fetch:plain` read with relative URLs.
 * Paths are POSIX, relative to the template's folder, never absolute and never containing `..`.
 */
export interface TemplateFiles {
  /** Lists files (not directories) under `dir` (relative; '' or '.' = the template's folder), recursively. */
  list(dir: string): Promise<string[]>;
  /** Reads one file. @throws TarmacError NOT_FOUND */
  read(file: string): Promise<Buffer>;
  /** Human-readable origin for messages, e.g. `file:/abs/path/` or `dry-run directoryContents`. */
  describe(): string;
  /** Optional: the mode to write the file with (0o755 for executables, else 0o644), so scripts stay executable. Added by H4. */
  mode?(file: string): Promise<number | undefined>;
}

/** Where a run or dry-run is going on, as actions see it. */
export interface ActionContext<I = Record<string, unknown>> {
  /** The step's rendered input, already validated against the action's input schema. */
  input: I;
  /** Absolute path of the run's workspace; every write must stay inside it. */
  workspacePath: string;
  /** The step log (shown live and stored). Never pass secrets. */
  log(message: string, level?: 'debug' | 'info' | 'warn' | 'error'): void;
  /** Sets `steps.<id>.output.<name>`. */
  output(name: string, value: unknown): void;
  /** Aborted on cancel or timeout; long actions must stop promptly. */
  signal: AbortSignal;
  /** Secrets given with the run (`${{ secrets.x }}`), never logged or stored. */
  secrets: Readonly<Record<string, string>>;
  /** Who runs the template. */
  user: { ref?: string; entity?: EntityLike };
  templateInfo: {
    /** `template:<namespace>/<name>`. */
    entityRef: string;
    files: TemplateFiles;
    /** The template version being rendered (see versions). */
    version: string;
  };
  isDryRun: boolean;
  /** A fresh temp folder removed after the run. */
  createTemporaryDirectory(): Promise<string>;
  /** Step-level limits: most files and bytes the workspace may hold. */
  limits: { maxFiles: number; maxTotalBytes: number };
}

/** A built-in action (after Backstage's `createTemplateAction`). */
export interface TemplateAction<I = Record<string, unknown>> {
  /** e.g. `fetch:template`, `publish:git`. */
  id: string;
  description: string;
  schema: { input: JsonSchema; output?: JsonSchema };
  /** Runs in dry-runs too (fetch, fs, debug). Others are skipped in a dry-run with a log line. */
  supportsDryRun: boolean;
  /** Examples shown by `GET /v2/actions`. */
  examples?: Array<{ description: string; example: string }>;
  handler(ctx: ActionContext<I>): Promise<void>;
}

/** A log line of a run (`GET /v2/tasks/:id/events`, server-sent events). */
export interface RunLogEvent {
  /** ISO time. */
  createdAt: string;
  /** The step id (or `step-<n>` when the step has none); absent for run-level lines. */
  stepId?: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  /** Step status changes ride along: `processing`, `completed`, `failed`, `skipped`, `cancelled`. */
  status?: 'processing' | 'completed' | 'failed' | 'skipped' | 'cancelled';
}
