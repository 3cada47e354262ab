/**
 * Upgrades of scaffolded repositories (issue 3, "Versions and upgrades"): the committed origin file, the record of
 * repositories made from templates, the three-way merge of a new template version into each, and its API and CLI.
 */
export { ORIGIN_PATH, readOrigin, writeOrigin, type TemplateOrigin } from './origin.js';
export { createRepositoryStore, type RepositoryStore } from './repositories.js';
export { repositoryMigrations } from './migrations.js';
export { mergeFileSets, type MergeInput, type MergeOutput } from './merge.js';
export { createUpgrader, type Upgrader, type UpgraderDeps, type ChangeRequestOpener } from './upgrader.js';
export { registerUpgradeRoutes, type RepositoryView, type UpgradeRouteOptions } from './http.js';
export { registerUpgradeCommands } from './cli.js';
export type {
  FileChange,
  FileOutcome,
  Publisher,
  RepositoryInput,
  ScaffoldedRepository,
  UpgradeAllSummary,
  UpgradeResult,
  UpgradeStatus,
  UpgradeSummary,
} from './types.js';

import { versionMigrations } from '../versions/migrations.js';
import { repositoryMigrations } from './migrations.js';
/** Versions' and repositories' migrations together, in order (H5 concatenates these into the module's list). */
export const upgradeMigrations = [...versionMigrations, ...repositoryMigrations];
