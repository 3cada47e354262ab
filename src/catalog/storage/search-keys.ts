import type { Entity } from '../model/entity.js';

/** Search values longer than this are not indexed (Backstage `buildEntitySearch.ts`: MAX_VALUE_LENGTH). */
export const MAX_SEARCH_VALUE_LENGTH = 200;
/** Search keys longer than this are not indexed (Backstage: MAX_KEY_LENGTH). */
export const MAX_SEARCH_KEY_LENGTH = 200;
/** Longest description fed to the full-text vector, in characters. */
export const MAX_DOC_DESCRIPTION_LENGTH = 4000;

// Not indexed: output-only parts, server-set etag, and the fields kept in their own columns
// (kind, metadata.name, metadata.namespace, metadata.uid — see query/sql.ts COLUMN_FIELDS).
const SKIPPED = new Set(['relations', 'status', 'kind', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.etag']);

/**
 * The `search_keys` of an entity, lowercased, behind Backstage's filter semantics (docs/catalog-design.md
 * "Search keys", after Backstage `buildEntitySearch.ts`), in a compact form:
 * - every leaf with a value of at most 200 characters gives `path=value` (dot paths descending through arrays
 *   without an index: `metadata.tags=java`, `spec.providesapis=api:default/x`);
 * - a leaf that is null or longer gives its `path` alone (it exists, with no indexed value).
 * Backstage's extra rows (`path` alone for every leaf, `metadata.tags.java=true` for array items) are implied and
 * not stored: the filter compiler derives them (query/sql.ts), which keeps the GIN index about 3× smaller.
 * Paths over 200 characters or containing `=` are skipped. `kind`, `metadata.name`, `metadata.namespace` and
 * `metadata.uid` are columns; relations live in `catalog_relations`.
 * @returns distinct keys, in first-seen order
 */
export function buildSearchKeys(entity: Entity): string[] {
  const out = new Set<string>();
  const visit = (path: string, value: unknown): void => {
    if (SKIPPED.has(path)) return;
    if (value === null || value === undefined) {
      addKey(out, path, undefined);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      addKey(out, path, String(value));
    } else if (Array.isArray(value)) {
      for (const item of value) visit(path, item);
    } else if (typeof value === 'object') {
      for (const k of Object.keys(value)) {
        visit(path ? `${path}.${k.toLowerCase()}` : k.toLowerCase(), (value as Record<string, unknown>)[k]);
      }
    }
  };
  visit('', entity);
  return [...out];
}

// U+001F separates keys on their way to the database (storage/write-sql.ts); it never appears in a key.

function addKey(out: Set<string>, path: string, value: string | undefined): void {
  if (!path || path.length > MAX_SEARCH_KEY_LENGTH || path.includes('=')) return;
  const p = path.includes('\u001f') ? path.replaceAll('\u001f', ' ') : path;
  if (value !== undefined && value.length <= MAX_SEARCH_VALUE_LENGTH) {
    const v = value.toLowerCase();
    out.add(`${p}=${v.includes('\u001f') ? v.replaceAll('\u001f', ' ') : v}`);
  } else out.add(p);
}

/** Longest word put in the full-text vector, in characters (longer ones are skipped). */
export const MAX_DOC_WORD_LENGTH = 100;
const MAX_POSITION = 16383; // tsvector limit
const MAX_POSITIONS_PER_WORD = 256; // tsvector limit
const WORD_RE = /[\p{L}\p{N}]+(?:[-_.][\p{L}\p{N}]+)*/gu;
const PART_RE = /[\p{L}\p{N}]+/gu;

/**
 * The `search_doc` of an entity as a tsvector literal, built here rather than by `to_tsvector` (which costs the
 * database more than the rest of the row): A = name and title, B = tags and spec.owner, C = description (first
 * 4,000 characters). Words are runs of letters and digits, lowercased; a compound (`payments-api`,
 * `foo_bar`, `v1.2`) is indexed whole and by part. Search (storage/search.ts) splits terms the same way and
 * matches each word as a prefix.
 */
export function searchDocVector(entity: Entity): string {
  const m = entity.metadata;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const tags = Array.isArray(m.tags) ? m.tags.filter((t) => typeof t === 'string').join(' ') : '';
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (word: string, weight: string): void => {
    if (word.length > MAX_DOC_WORD_LENGTH || pos >= MAX_POSITION) return;
    pos += 1;
    const list = positions.get(word);
    if (!list) positions.set(word, [`${pos}${weight}`]);
    else if (list.length < MAX_POSITIONS_PER_WORD) list.push(`${pos}${weight}`);
  };
  const addText = (text: string, weight: string): void => {
    for (const [word] of text.toLowerCase().matchAll(WORD_RE)) {
      add(word, weight);
      if (/[-_.]/.test(word)) for (const [part] of word.matchAll(PART_RE)) add(part, weight);
    }
  };
  addText(`${str(m.name)} ${str(m.title)}`, 'A');
  addText(`${tags} ${str(entity.spec?.owner)}`, 'B');
  addText(str(m.description).slice(0, MAX_DOC_DESCRIPTION_LENGTH), 'C');
  let out = '';
  for (const [word, list] of positions) out += `${out ? ' ' : ''}'${word}':${list.join(',')}`;
  return out;
}
