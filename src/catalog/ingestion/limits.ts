/**
 * Explicit bounds of one read of a root location. Exceeding one is reported as an error (code `location`, or
 * `yaml_syntax` for the per-file document limit); what was read before the bound is kept.
 */
export interface IngestLimits {
  /** Nesting of Location entities below the root file (Backstage has no limit; Tarmac: 32). */
  maxDepth: number;
  /** Catalog files read per root location; `$text` targets are not counted (default 100,000). */
  maxFiles: number;
  /** Entities emitted per root location (default 500,000). */
  maxEntities: number;
  /** YAML documents per file (default 200,000: generated catalogs put many entities in one file). */
  maxDocumentsPerFile: number;
  /** Alias expansions per YAML document (default 100: bounds "billion laughs" alias bombs). */
  maxAliasCount: number;
  /** Files read at the same time (default 8). */
  readConcurrency: number;
}

/** The defaults of `IngestLimits`. */
export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxDepth: 32,
  maxFiles: 100_000,
  maxEntities: 500_000,
  maxDocumentsPerFile: 200_000,
  maxAliasCount: 100,
  readConcurrency: 8,
});
