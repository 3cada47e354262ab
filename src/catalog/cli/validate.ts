import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { parseYamlDocuments } from '../model/yaml.js';
import { validateEntity } from '../model/validate.js';
import { stringifyEntityRef } from '../model/ref.js';
import { YamlPositions } from '../model/positions.js';

/** Largest file `validate` reads, in bytes (the server's default `catalog.reading.maxBytes`). */
export const MAX_FILE_BYTES = 5_000_000;

/** One problem found by `validateCatalogFiles`. `line`/`col` are 1-based; 0 when the problem has no position. */
export interface ValidateError {
  /** The file as matched (relative to cwd when the pattern was), or the pattern that matched nothing. */
  file: string;
  line: number;
  col: number;
  /** Dot path of the offending field (`metadata.name`), '' for YAML syntax and file-level problems. */
  path: string;
  message: string;
  /** Lowercase `kind:namespace/name` when known (the entity's kind, namespace and name are valid), else null. */
  ref: string | null;
}

/** What `tarmac catalog validate` found: counts and every error, in file order then line order. */
export interface ValidateReport {
  /** Files read. */
  files: number;
  /** Non-empty YAML documents read (valid or not). */
  entities: number;
  errors: ValidateError[];
}

/**
 * Expands file names and globs (fast-glob; `!pattern` excludes; `node_modules` and `.git` are skipped) relative
 * to `cwd`. An existing file name is taken literally even if it contains glob characters; a folder stands for
 * every `.yaml`/`.yml` file below it. Globs are matched as absolute paths, so that a `!` pattern starting with `**`
 * also excludes files reached through `../`; files are named as their pattern was written (relative when it was).
 * @returns matched files in pattern order (sorted within a pattern, no duplicates), and the patterns matching nothing
 */
export async function expandPatterns(patterns: readonly string[], cwd: string): Promise<{ files: string[]; unmatched: string[] }> {
  const base = fg.escapePath(cwd.split(path.sep).join('/'));
  const absolute = (p: string) => (path.isAbsolute(p) || p.startsWith('**') ? p : path.posix.join(base, p));
  const ignore = ['**/node_modules/**', '**/.git/**', ...patterns.filter((p) => p.startsWith('!')).map((p) => absolute(p.slice(1)))];
  const files: string[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const kind = await stat(path.resolve(cwd, pattern)).then((s) => (s.isFile() ? 'file' : s.isDirectory() ? 'dir' : ''), () => '');
    let found: string[];
    if (kind === 'file') {
      found = [path.resolve(cwd, pattern)];
    } else {
      const glob = kind === 'dir' ? `${fg.escapePath(path.resolve(cwd, pattern))}/**/*.{yaml,yml}` : absolute(pattern);
      found = (await fg(glob, { ignore, onlyFiles: true, dot: false, absolute: true })).sort();
    }
    if (found.length === 0) unmatched.push(pattern);
    for (const abs of found) {
      if (!seen.has(abs)) files.push(path.isAbsolute(pattern) ? abs : path.relative(cwd, abs));
      seen.add(abs);
    }
  }
  return { files, unmatched };
}

/**
 * Validates catalog files locally, without a server: parses every multi-document YAML file (model `yaml.ts`,
 * with its alias and document limits), validates each entity (model `validate.ts`, Backstage rules) and checks
 * that no entity ref appears twice across all the files. Placeholders (`$text`, `$json`, `$yaml`) are not
 * resolved. Field errors carry the line/col of the field's node (or of the nearest existing parent).
 * A pattern that matches no file is an error (`line` 0).
 */
export async function validateCatalogFiles(patterns: readonly string[], cwd: string = process.cwd()): Promise<ValidateReport> {
  const { files, unmatched } = await expandPatterns(patterns, cwd);
  const report: ValidateReport = { files: files.length, entities: 0, errors: [] };
  for (const p of unmatched) report.errors.push({ file: p, line: 0, col: 0, path: '', message: 'no file matches this name or pattern', ref: null });
  const firstSeen = new Map<string, string>();

  for (const file of files) {
    const errors: ValidateError[] = [];
    const abs = path.resolve(cwd, file);
    let text: string;
    try {
      const size = (await stat(abs)).size;
      if (size > MAX_FILE_BYTES) throw new Error(`file is ${size} bytes, more than the limit of ${MAX_FILE_BYTES}`);
      text = await readFile(abs, 'utf8');
    } catch (err) {
      report.errors.push({ file, line: 0, col: 0, path: '', message: `cannot read: ${err instanceof Error ? err.message : String(err)}`, ref: null });
      continue;
    }
    const parsed = parseYamlDocuments(text);
    for (const e of parsed.errors) errors.push({ file, line: e.line, col: e.col, path: '', message: e.message, ref: null });
    let positions: YamlPositions | undefined;
    const at = (docLine: number, path: string) => (positions ??= new YamlPositions(text)).findPosition(docLine, path);

    for (const doc of parsed.documents) {
      if (doc.value === null || doc.value === undefined) continue;
      report.entities += 1;
      const result = validateEntity(doc.value);
      if (!result.ok) {
        for (const issue of result.issues) {
          const { line, col } = at(doc.line, issue.path);
          errors.push({ file, line, col, path: issue.path, message: issue.message, ref: result.ref ?? null });
        }
        continue;
      }
      const ref = stringifyEntityRef(result.entity);
      const { line, col } = at(doc.line, 'metadata.name');
      const first = firstSeen.get(ref);
      if (first === undefined) firstSeen.set(ref, `${file}:${line}:${col}`);
      else errors.push({ file, line, col, path: 'metadata.name', message: `duplicate entity ref ${ref}, first defined at ${first}`, ref });
    }
    errors.sort((a, b) => a.line - b.line || a.col - b.col);
    report.errors.push(...errors);
  }
  return report;
}

/** One error as a CI line: `file:line:col  path: message` (`file  message` when there is no position). */
export function formatValidateError(e: ValidateError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.col}` : e.file;
  const message = e.path && !e.message.startsWith(e.path) ? `${e.path}: ${e.message}` : e.message;
  return `${where}  ${message}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The summary line, e.g. `3 files, 41 entities, 2 errors`. */
export function formatValidateSummary(r: ValidateReport): string {
  return `${plural(r.files, 'file', 'files')}, ${plural(r.entities, 'entity', 'entities')}, ${plural(r.errors.length, 'error', 'errors')}`;
}
