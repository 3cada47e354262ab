/**
 * Template versions: what a version is and the store's contract (issue 3, "Versions and upgrades").
 */
import type { TemplateEntity, TemplateFiles } from '../types.js';

/** The annotation a template sets to name its version explicitly (wins over git commit and content hash). */
export const VERSION_ANNOTATION = 'tarmac.dev/template-version';

/** One recorded version of a template. */
export interface TemplateVersion {
  /** `template:<namespace>/<name>`, lowercase. */
  templateRef: string;
  /** The version id: the annotation value, a git commit (40 hex), or a content hash (12 hex). */
  version: string;
  /** 1, 2, … per template, in the order versions were first seen. */
  number: number;
  /** Where the id came from. */
  source: 'annotation' | 'git' | 'content';
  /** sha256 (hex) over the sorted paths and bytes of the template's files. */
  contentHash: string;
  fileCount: number;
  /** Sum of the files' sizes, in bytes. */
  totalBytes: number;
  /** ISO time the version was first recorded. */
  createdAt: string;
}

/** Explicit limits on one snapshot; a template over them is refused with PAYLOAD_TOO_LARGE. */
export interface VersionLimits {
  /** Most files in one template version (default 2 000). */
  maxFiles: number;
  /** Most bytes in one template version, all files together (default 20 MB). */
  maxTotalBytes: number;
}

/** Default snapshot limits: a golden path is a skeleton, not a monorepo. */
export const DEFAULT_VERSION_LIMITS: VersionLimits = { maxFiles: 2000, maxTotalBytes: 20 * 1024 * 1024 };

/** The stored templates' versions (tables `scaffolder_template_versions`, `scaffolder_template_files`, `scaffolder_blobs`). */
export interface VersionStore {
  /**
   * Snapshots the template's files and returns its version. The same content recorded again returns the same
   * version (no new number). The id is the `tarmac.dev/template-version` annotation when set; else the last git
   * commit touching the template's folder when that folder (from `backstage.io/managed-by-location`, a `file:`
   * target) is in a clean git work tree; else the first 12 hex of the content hash. An annotation reused for
   * different content gets the suffix `+<hash 8>` so the two never share an id.
   * @param dir the template's folder on disk when known (templates from git locations: the catalog's checkout);
   *   else taken from a `file:` managed-by-location annotation
   * @throws TarmacError PAYLOAD_TOO_LARGE over `VersionLimits`; NOT_FOUND when a listed file cannot be read
   */
  record(templateRef: string, entity: TemplateEntity, files: TemplateFiles, dir?: string): Promise<{ version: string; number: number }>;
  /**
   * The entity and files of a recorded version (files built with the engine's `templateFilesFromContents`).
   * @throws TarmacError NOT_FOUND when the version was never recorded
   */
  get(templateRef: string, version: string): Promise<{ entity: TemplateEntity; files: TemplateFiles }>;
  /** One version's row, or undefined. */
  find(templateRef: string, version: string): Promise<TemplateVersion | undefined>;
  /** Every version of a template, oldest (v1) first. */
  list(templateRef: string): Promise<TemplateVersion[]>;
  /** The highest-numbered version, or undefined when none is recorded. */
  latest(templateRef: string): Promise<TemplateVersion | undefined>;
  /**
   * The highest-numbered version of each of `templateRefs`, in one query. Keys are the lowercase refs; a template
   * with no recorded version has no entry.
   */
  latestOf(templateRefs: readonly string[]): Promise<Map<string, TemplateVersion>>;
}
