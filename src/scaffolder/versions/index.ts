/**
 * Template versions (issue 3, "Versions and upgrades"): snapshots of a template's files per version, numbered
 * v1, v2, … per template. Used by runs (record the version a run used) and upgrades (render old and new).
 */
export { createVersionStore } from './store.js';
export { versionMigrations } from './migrations.js';
export { computeVersionId, contentHash } from './version-id.js';
export { DEFAULT_VERSION_LIMITS, VERSION_ANNOTATION } from './types.js';
export type { TemplateVersion, VersionLimits, VersionStore } from './types.js';
