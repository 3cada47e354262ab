import type { Entity, EntityStatusItem, RelationType } from '../model/entity.js';

/**
 * Contracts between ingestion, storage and the query side of the catalog. Storage implements them in SQL only.
 */

/** Problem categories stored in `catalog_errors.code`. */
export type IngestErrorCode =
  | 'yaml_syntax' // a document that does not parse (line/col given)
  | 'validation' // an entity that breaks a Backstage rule (fieldPath given)
  | 'conflict' // the entity ref is already claimed by another location (the first location keeps it)
  | 'placeholder' // $text/$json/$yaml that could not be resolved
  | 'fetch' // the location or a file could not be read (not found, denied host, timeout, too large)
  | 'location'; // a Location entity's target is invalid, cyclic or too deep

/** One ingestion problem, reported with where it happened and why. */
export interface IngestError {
  code: IngestErrorCode;
  message: string;
  /** `<type>:<target>` of the file the problem is in, e.g. `file:/abs/all.yaml` or `url:https://…/x.yaml`. */
  sourceFile?: string;
  /** 1-based line and column in `sourceFile`, when known. */
  line?: number;
  col?: number;
  /** Dot path of the offending field, e.g. `metadata.name` or `spec.owner`. */
  fieldPath?: string;
  /** Lowercase entity ref when the problem belongs to one entity. */
  entityRef?: string;
}

/** A relation row as stored: both directions are separate rows. */
export interface RelationRow {
  sourceRef: string;
  type: RelationType;
  targetRef: string;
}

/** An entity ready to be stored: validated, annotated, placeholders resolved (or reported). */
export interface ProcessedEntity {
  /** Lowercase `kind:namespace/name`. */
  ref: string;
  /** The entity with namespace defaulted and managed-by annotations set; no uid/etag/relations/status. */
  entity: Entity;
  /** Relations this entity's spec produces, both directions (see model/relations.ts). */
  relations: RelationRow[];
  /** Where it was read from. */
  source: { file: string; line?: number; text?: string };
  /** Non-fatal problems shown on the entity (`status.items`), e.g. an unresolved `$text`. */
  errors: IngestError[];
}

/** Everything one read of a root location produced. */
export interface LocationReadResult {
  entities: ProcessedEntity[];
  errors: IngestError[];
  /**
   * Files (`<type>:<target>`) that could not be read or parsed this time. Entities previously read from them
   * are kept as they were (last good version) instead of being removed.
   */
  failedFiles: string[];
  /**
   * Refs of entities that were emitted but invalid this time. Their previous valid version, if any, is kept.
   */
  invalidRefs: string[];
  /**
   * Nothing of the root could be read this time: every entity stored for the location is kept (as if all of its
   * files were in `failedFiles`).
   */
  keepPrevious?: boolean;
}

/** Everything of a read but its entities: known once the read has ended. */
export type ReadTrailer = Omit<LocationReadResult, 'entities'>;

/**
 * A read handed to storage while it happens (ingestion/read-stream.ts): batches of entities in walk order, then
 * the trailer. Storage applies the batches as they come, so the whole read is never held in memory.
 */
export interface LocationReadStream {
  /** Batches of entities; iteration throws when the read failed (nothing is then committed). */
  batches: AsyncIterable<ProcessedEntity[]>;
  /** The rest of the result; call once `batches` has ended. */
  trailer(): Promise<ReadTrailer>;
}

/** What applying a read result changed. */
export interface ApplySummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  conflicts: number;
  errors: number;
}

/** A registered location as stored. */
export interface LocationRecord {
  id: string;
  type: 'file' | 'url' | 'git';
  target: string;
  /** git only ('' otherwise). */
  branch: string;
  /** git only: glob inside the repository ('' otherwise). */
  path: string;
  /** Who registered it: `config`, `api` or `cli`. */
  origin: string;
  /** The principal that registered it through the API (its User ref, else its actor id); null for config ones. */
  createdBy: string | null;
  createdAt: string;
  nextRefreshAt: string;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  /** pending | processing | ok | failed */
  lastStatus: 'pending' | 'processing' | 'ok' | 'failed';
  lastSummary: (ApplySummary & { durationMs: number }) | null;
  progress: { phase: string; done: number; total: number | null } | null;
}

/** Status attached to an entity in API responses (Backstage `status.items`). */
export type EntityStatus = { items: EntityStatusItem[] };
