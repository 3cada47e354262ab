/**
 * The record of repositories made from templates (table `scaffolder_repositories`): which template version each
 * is on, and the last upgrade's outcome. Refs are stored lowercase (catalog refs compare case-insensitively).
 */
import type { Database } from '../../core/db/index.js';
import { TarmacError } from '../../core/errors.js';
import type { RepositoryInput, ScaffoldedRepository, UpgradeSummary } from './types.js';

/** Longest accepted repoUrl / remoteUrl / ref, in characters. */
export const MAX_REPOSITORY_FIELD_LENGTH = 2048;

/** The scaffolded-repository store. */
export interface RepositoryStore {
  /**
   * Records (or re-records, by `repoUrl`) a repository made by a run. Re-recording replaces template, version,
   * remote, publisher, component and task, and clears `lastUpgrade`.
   * @throws TarmacError BAD_REQUEST for an empty or over-long field or unknown publisher
   */
  record(input: RepositoryInput): Promise<ScaffoldedRepository>;
  /** Repositories made from a template, ordered by repoUrl. */
  listByTemplate(templateRef: string): Promise<ScaffoldedRepository[]>;
  /** Repositories registered as the given component (normally one). */
  findByComponent(componentRef: string): Promise<ScaffoldedRepository[]>;
  /** The repository with this repoUrl, or undefined. */
  findByRepoUrl(repoUrl: string): Promise<ScaffoldedRepository | undefined>;
  /** Sets the version seen on the repository's default branch (an upgrade found it already current). */
  setVersion(repoUrl: string, version: string): Promise<void>;
  /** Stores the outcome of an upgrade attempt. */
  recordUpgrade(repoUrl: string, summary: UpgradeSummary): Promise<void>;
}

interface Row {
  repo_url: string;
  template_ref: string;
  version: string;
  version_number: number | null;
  remote_url: string;
  publisher: string;
  component_ref: string | null;
  task_id: string;
  created_at: Date | string;
  updated_at: Date | string;
  last_upgrade: UpgradeSummary | string | null;
}

const SELECT = `
SELECT r.repo_url, r.template_ref, r.version, v.number AS version_number, r.remote_url, r.publisher, r.component_ref,
       r.task_id, r.created_at, r.updated_at, r.last_upgrade
  FROM scaffolder_repositories r
  LEFT JOIN scaffolder_template_versions v ON v.template_ref = r.template_ref AND v.version = r.version`;

const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

function fromRow(r: Row): ScaffoldedRepository {
  const lastUpgrade = typeof r.last_upgrade === 'string' ? (JSON.parse(r.last_upgrade) as UpgradeSummary) : r.last_upgrade;
  return {
    repoUrl: r.repo_url,
    templateRef: r.template_ref,
    version: r.version,
    versionNumber: r.version_number === null ? null : Number(r.version_number),
    remoteUrl: r.remote_url,
    publisher: r.publisher as ScaffoldedRepository['publisher'],
    ...(r.component_ref ? { componentRef: r.component_ref } : {}),
    taskId: r.task_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    lastUpgrade,
  };
}

function checkInput(input: RepositoryInput): void {
  const problems: string[] = [];
  for (const key of ['templateRef', 'version', 'repoUrl', 'remoteUrl', 'taskId'] as const) {
    const v = input[key];
    if (typeof v !== 'string' || v.length === 0) problems.push(`${key} must be a non-empty string`);
    else if (v.length > MAX_REPOSITORY_FIELD_LENGTH) problems.push(`${key} is longer than ${MAX_REPOSITORY_FIELD_LENGTH} characters`);
  }
  if (!['git', 'github', 'gitlab'].includes(input.publisher)) problems.push(`publisher must be git, github or gitlab, got "${String(input.publisher)}"`);
  if (input.componentRef !== undefined && (typeof input.componentRef !== 'string' || input.componentRef.length > MAX_REPOSITORY_FIELD_LENGTH)) {
    problems.push('componentRef must be a string when set');
  }
  if (problems.length > 0) throw new TarmacError('BAD_REQUEST', `cannot record repository: ${problems.join('; ')}`, { details: problems });
}

/** Builds the repository store on a migrated database (needs `repositoryMigrations` and `versionMigrations`). */
export function createRepositoryStore(db: Database): RepositoryStore {
  const one = async (where: string, params: unknown[]): Promise<ScaffoldedRepository[]> =>
    (await db.query<Row>(`${SELECT} WHERE ${where} ORDER BY r.repo_url`, params)).map(fromRow);
  return {
    async record(input) {
      checkInput(input);
      await db.query(
        `INSERT INTO scaffolder_repositories (repo_url, template_ref, version, remote_url, publisher, component_ref, task_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (repo_url) DO UPDATE SET template_ref = EXCLUDED.template_ref, version = EXCLUDED.version,
           remote_url = EXCLUDED.remote_url, publisher = EXCLUDED.publisher, component_ref = EXCLUDED.component_ref,
           task_id = EXCLUDED.task_id, updated_at = now(), last_upgrade = NULL`,
        [input.repoUrl, input.templateRef.toLowerCase(), input.version, input.remoteUrl, input.publisher,
          input.componentRef?.toLowerCase() ?? null, input.taskId],
      );
      const [row] = await one('r.repo_url = $1', [input.repoUrl]);
      if (!row) throw new TarmacError('INTERNAL', `repository ${input.repoUrl} vanished right after it was recorded`);
      return row;
    },
    listByTemplate: (templateRef) => one('r.template_ref = $1', [templateRef.toLowerCase()]),
    findByComponent: (componentRef) => one('r.component_ref = $1', [componentRef.toLowerCase()]),
    async findByRepoUrl(repoUrl) {
      return (await one('r.repo_url = $1', [repoUrl]))[0];
    },
    async setVersion(repoUrl, version) {
      await db.query('UPDATE scaffolder_repositories SET version = $2, updated_at = now() WHERE repo_url = $1', [repoUrl, version]);
    },
    async recordUpgrade(repoUrl, summary) {
      await db.query('UPDATE scaffolder_repositories SET last_upgrade = $2::jsonb, updated_at = now() WHERE repo_url = $1', [
        repoUrl,
        JSON.stringify(summary),
      ]);
    },
  };
}
