/**
 * The portal's client for golden paths: Backstage's scaffolder API (`/api/scaffolder/v2`, shapes from Backstage
 * `plugins/scaffolder-common` and docs/golden-paths.md) plus Tarmac's repositories and upgrades (docs/upgrades.md).
 */
import { apiRequest, enc, queryString } from './api.js';
import type { Entity } from './api-types.js';

/** A JSON Schema object as the server sends it (with Backstage's inline `ui:` keys). */
export type JsonObject = Record<string, unknown>;

/** `GET /v2/templates/:ns/:kind/:name/parameter-schema`: one form page per step. */
export interface ParameterSchema {
  title: string;
  description?: string;
  steps: Array<{ title: string; description?: string; schema: JsonObject }>;
}

/** One line of a run or dry-run log (Backstage `LogEvent`). */
export interface LogEvent {
  type?: 'log' | 'completion' | 'cancelled' | 'recovered';
  createdAt?: string;
  body: { message: string; stepId?: string; status?: StepStatus };
}

/** Status of one step or of a whole run. */
export type StepStatus = 'open' | 'processing' | 'completed' | 'failed' | 'skipped' | 'cancelled';

/** What a finished run or dry-run reports under `output` (Backstage `spec.output`). */
export interface RunOutput {
  links?: Array<{ title?: string; url?: string; entityRef?: string; icon?: string }>;
  text?: Array<{ title?: string; content?: string }>;
  [key: string]: unknown;
}

/** `POST /v2/dry-run` answer. `base64Content` is the rendered file. */
export interface DryRunResult {
  log: LogEvent[];
  directoryContents: Array<{ path: string; base64Content: string; executable?: boolean }>;
  output: RunOutput;
  steps: Array<{ id: string; name?: string; action: string; status?: string }>;
}

/** `GET /v2/tasks/:id`. */
export interface Task {
  id: string;
  spec: {
    templateInfo?: { entityRef: string; version?: string };
    parameters?: JsonObject;
    /** The run's steps with their status (Tarmac keeps it here; Backstage only in events). */
    steps?: Array<{ id: string; name?: string; action: string; status?: StepStatus }>;
  };
  status: StepStatus;
  createdAt: string;
  createdBy?: string;
  lastHeartbeatAt?: string;
  output?: RunOutput;
  error?: { message: string; name?: string } | string;
}

/** A repository scaffolded from a template, and how far behind the template's latest version it is. */
export interface RepoRecord {
  repoUrl: string;
  remoteUrl?: string;
  componentRef?: string | null;
  templateRef?: string;
  version: string;
  /** null when that version was never recorded. */
  versionNumber: number | null;
  latestVersion: string | null;
  latestNumber: number | null;
  /** True when a newer template version than the repository's is recorded. */
  behind: boolean;
  lastUpgrade?: { at?: string; status?: string; branch?: string } | null;
}

/** `POST /v2/upgrades` answer: `upgraded` (a branch, maybe a change request), `conflicts` (files) or `current`. */
export interface UpgradeResult {
  status: string;
  branch?: string;
  conflicts?: string[];
  changeRequestUrl?: string;
  message?: string;
  error?: string;
  [key: string]: unknown;
}

const V2 = '/api/scaffolder/v2';

/** The scaffolder routes the portal uses, one function each. */
export const scaffolderApi = {
  /** Template entities from the catalog (`kind=template`), sorted by title. */
  templates: (signal?: AbortSignal) =>
    apiRequest<{ items: Entity[]; totalItems: number }>(
      `/api/catalog/entities/by-query${queryString({ filter: 'kind=template', limit: 200, orderField: 'metadata.title,asc' })}`,
      { signal },
    ),
  parameterSchema: (namespace: string, name: string, signal?: AbortSignal) =>
    apiRequest<ParameterSchema>(`${V2}/templates/${enc(namespace)}/template/${enc(name)}/parameter-schema`, { signal }),
  /**
   * Renders the template with `values` without publishing. Backstage's editor sends the template's files in
   * `directoryContents`; the portal has no copy of them, so it names the catalog template in `templateRef`
   * (Tarmac extension) for the server to read its files from.
   */
  dryRun: (body: { templateRef: string; values: JsonObject; secrets?: Record<string, string> }) =>
    apiRequest<DryRunResult>(`${V2}/dry-run`, { method: 'POST', body: { secrets: {}, directoryContents: [], ...body } }),
  createTask: (body: { templateRef: string; values: JsonObject; secrets?: Record<string, string> }) =>
    apiRequest<{ id: string }>(`${V2}/tasks`, { method: 'POST', body: { secrets: {}, ...body } }),
  tasks: (q: { limit?: number; offset?: number }, signal?: AbortSignal) =>
    apiRequest<{ tasks: Task[]; totalTasks: number }>(`${V2}/tasks${queryString(q)}`, { signal }),
  task: (id: string, signal?: AbortSignal) => apiRequest<Task>(`${V2}/tasks/${enc(id)}`, { signal }),
  /** Events of a run after `after` (the polling twin of the event stream). */
  taskEvents: (id: string, after: number | undefined, signal?: AbortSignal) =>
    apiRequest<Array<LogEvent & { id?: number }>>(`${V2}/tasks/${enc(id)}/events${queryString({ after })}`, { signal }),
  eventStreamUrl: (id: string) => `${V2}/tasks/${enc(id)}/eventstream`,
  cancelTask: (id: string) => apiRequest<unknown>(`${V2}/tasks/${enc(id)}/cancel`, { method: 'POST', body: {} }),

  repositories: (componentRef: string, signal?: AbortSignal) =>
    apiRequest<{ items: RepoRecord[] } | RepoRecord[]>(`${V2}/repositories${queryString({ componentRef })}`, { signal }),
  upgrade: (componentRef: string) => apiRequest<UpgradeResult>(`${V2}/upgrades`, { method: 'POST', body: { componentRef } }),
};
