/**
 * Scaffolded repositories and upgrades: shapes shared by the store, the upgrader, the routes and the CLI
 * (issue 3, "Versions and upgrades"). Policy per case: docs/upgrades.md.
 */

/** Where a scaffolded repository is hosted (the publish action that made it). */
export type Publisher = 'git' | 'github' | 'gitlab';

/** What `createRepositoryStore().record` takes (H5 calls it after a run that published). */
export interface RepositoryInput {
  /** `template:<namespace>/<name>`. */
  templateRef: string;
  /** The template version id the run used. */
  version: string;
  /** Backstage RepoUrlPicker value, e.g. `localhost?owner=o&repo=r`, `github.com?owner=o&repo=r`. */
  repoUrl: string;
  /** Clone URL, e.g. `http://localhost:7007/git/o/r.git`, `https://github.com/o/r.git`. */
  remoteUrl: string;
  publisher: Publisher;
  /** The catalog entity registered for the repository, e.g. `component:default/payments`. */
  componentRef?: string;
  /** The run that made it. */
  taskId: string;
}

/** A recorded repository with its template version and number and the last upgrade's outcome. */
export interface ScaffoldedRepository extends RepositoryInput {
  /** The version's number (v1, v2, …) when that version is recorded, else null. */
  versionNumber: number | null;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  lastUpgrade: UpgradeSummary | null;
}

/** The stored outcome of the last upgrade attempt (no file contents). */
export interface UpgradeSummary {
  status: UpgradeStatus;
  fromVersion: string;
  toVersion: string;
  branch?: string;
  conflicts?: string[];
  changeRequestUrl?: string;
  error?: string;
  /** ISO time the attempt finished. */
  at: string;
}

/** `upgraded`: a branch with the merged files was pushed; `conflicts`: overlapping changes (see `conflicts`);
 *  `current`: already on the target version; `failed`: see `error`. */
export type UpgradeStatus = 'upgraded' | 'conflicts' | 'current' | 'failed';

/** What happened to one file in a three-way merge (docs/upgrades.md has the table). */
export type FileOutcome =
  | 'added' // the template added it, the repository lacks it
  | 'updated' // the team left it as rendered: takes the new version
  | 'merged' // both changed it, without overlap
  | 'deleted' // the template deleted it, the team left it as rendered
  | 'conflict'; // overlapping edits, or delete vs change, or a binary changed on both sides

/** One file the upgrade touches (files left as they are are not listed). */
export interface FileChange {
  path: string;
  outcome: FileOutcome;
  /** For conflicts: why, e.g. `both changed lines 3–5`, `deleted in the repository, changed by the template`. */
  reason?: string;
}

/** The result of upgrading one repository. */
export interface UpgradeResult {
  status: UpgradeStatus;
  repo: string;
  componentRef?: string;
  fromVersion: string;
  toVersion: string;
  fromNumber?: number | null;
  toNumber?: number | null;
  branch?: string;
  /** Files changed by the upgrade, including conflicts. */
  files: FileChange[];
  /** Paths with conflicts (status `conflicts`, or `upgraded` with `allowConflicts` — then they carry markers). */
  conflicts?: string[];
  /** True when conflict markers were committed on the branch (`allowConflicts`). */
  conflictMarkersCommitted?: boolean;
  changeRequestUrl?: string;
  /** A note for people, e.g. `branch already exists; left unchanged`. */
  message?: string;
  error?: string;
}

/** The summary of `upgradeAll`. */
export interface UpgradeAllSummary {
  upgraded: number;
  conflicts: number;
  current: number;
  failed: number;
  results: UpgradeResult[];
}
