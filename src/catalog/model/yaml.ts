/**
 * Multi-document YAML for catalog files, with 1-based line numbers and bounded alias expansion and nesting.
 * Uses the `yaml` package (the one Backstage uses: `plugins/catalog-backend/src/processors/util/parse.ts`), through
 * its streaming `Lexer` + `Parser` + `Composer` (what `parseAllDocuments` does), so that nesting can be checked while
 * parsing and the document limit stops reading early.
 */
import { Composer, Lexer, LineCounter, Parser, isMap, isSeq, type CST, type Document } from 'yaml';
import { errorMessage } from '../../core/errors.js';
import { readYamlFast, type FastDocument } from './yaml-fast.js';

/** One YAML document of a file. */
export interface YamlDocument {
  /** The document's value (a mapping: a plain object). */
  value: unknown;
  /** 1-based line where the document's own text starts (after any `---` line; leading comments included). */
  line: number;
  /** The document's own source text, from `line` to its end, without the `---` separator. */
  text: string;
}

/** A problem in a YAML file, at a 1-based line and column. */
export interface YamlIssue {
  message: string;
  line: number;
  col: number;
}

/** Default limit on alias expansions per document (the `yaml` package's `maxAliasCount` default). */
export const DEFAULT_MAX_ALIAS_COUNT = 100;
/** Default limit on documents per file. */
export const DEFAULT_MAX_DOCUMENTS = 10_000;
/**
 * How deep collections may nest (about; measured as the parser's stack: document + collections + scalar).
 * Why: the `yaml` composer recurses once per level. Past ~600 levels it exhausts the stack, and in some runs V8 then
 * aborts the whole process ("RegExpCompiler Allocation failed - process out of memory") instead of throwing, so a
 * 200 KB file of `[[[[…` or `- - - …` could kill Tarmac; the syntax tree of such a file also costs ~2 KB per level.
 * Measured (Node 20, yaml 2.9): 511 levels still compose with 5,000 frames already on the stack.
 */
export const MAX_NESTING_DEPTH = 256;

const SKIPPED_LINE = /^(\s*|---\s*(#.*)?|\.\.\.\s*(#.*)?|%.*)$/;

/**
 * Splits `text` into its YAML documents. Never throws; every problem is an issue with line/col, and issues come
 * sorted by position:
 * - a document with a syntax error (or duplicate key) is left out and each of its errors reported at its position;
 *   the other documents of the file are kept (as far as the `yaml` parser can recover);
 * - a document whose aliases expand more than `maxAliasCount` times (default 100: a "billion laughs" bomb) is left
 *   out with one issue at its first line; expansion stops at the limit, so it neither hangs nor fills memory;
 * - at a document nested more than `MAX_NESTING_DEPTH` collections deep, reading stops with an issue at the place
 *   where it got too deep (earlier documents are kept);
 * - a document whose top-level value is not a mapping is left out with an issue;
 * - empty documents (e.g. after a trailing `---`, or only comments, or `~`) are skipped silently;
 * - after `maxDocuments` documents (default 10,000; empty ones count) reading stops with an issue.
 */
export function parseYamlDocuments(
  text: string,
  opts?: { maxAliasCount?: number; maxDocuments?: number },
): { documents: YamlDocument[]; errors: YamlIssue[] } {
  return readYaml(text, opts, true);
}

/**
 * The value of the first non-empty YAML document of `text`, of any type (for `$yaml` placeholders), with the same
 * limits as `parseYamlDocuments`. Never throws: returns the first issue of the text instead (`line`/`col` 1-based).
 */
export function parseYamlValue(text: string): { value: unknown } | { error: YamlIssue } {
  const { documents, errors } = readYaml(text, undefined, false);
  const error = errors[0];
  if (error) return { error };
  if (documents.length === 0) return { error: { message: 'no YAML document found', line: 1, col: 1 } };
  return { value: documents[0]?.value };
}

/** Both of the above: `mappingsOnly` rejects documents whose value is not a mapping. */
function readYaml(
  text: string,
  opts: { maxAliasCount?: number; maxDocuments?: number } | undefined,
  mappingsOnly: boolean,
): { documents: YamlDocument[]; errors: YamlIssue[] } {
  const maxAliasCount = opts?.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  const maxDocuments = opts?.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  const fast = readYamlFast(text, maxDocuments);
  if (fast) return { documents: fastDocuments(text, fast), errors: [] };
  const lineCounter = new LineCounter();
  const at = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  const documents: YamlDocument[] = [];
  const errors: YamlIssue[] = [];

  /** The parser's tokens, driven lexeme by lexeme so that nesting is checked as it grows; stops at maxDocuments. */
  function* tokens(): Generator<CST.Token> {
    lineCounter.addNewLine(0);
    const parser = new Parser(lineCounter.addNewLine);
    function* parsed(): Generator<CST.Token> {
      for (const lexeme of new Lexer().lex(text)) {
        const offset = parser.offset;
        yield* parser.next(lexeme);
        if (parser.stack.length > MAX_NESTING_DEPTH + 2) {
          const message = `YAML nested more than ${MAX_NESTING_DEPTH} levels deep; this document and the rest of the file were not read`;
          errors.push({ message, ...at(offset) });
          return;
        }
      }
      yield* parser.end();
    }
    let count = 0;
    for (const token of parsed()) {
      if (token.type === 'document' && ++count > maxDocuments) {
        const line = at(skipSeparatorLines(text, token.offset, text.length)).line;
        errors.push({ message: `the file has more than ${maxDocuments} YAML documents; the rest was not read`, line, col: 1 });
        return;
      }
      yield token;
    }
  }

  let previousEnd = 0;
  const composer = new Composer({ uniqueKeys: true });
  try {
    for (const doc of composer.compose(tokens(), true, text.length)) {
      const [rangeStart, , rangeEnd] = doc.range;
      const start = skipSeparatorLines(text, Math.min(previousEnd, rangeStart), rangeEnd);
      previousEnd = rangeEnd;
      const line = at(start).line;
      const value = documentValue(doc, line);
      if (value !== undefined) documents.push({ value, line, text: text.slice(start, rangeEnd).trimEnd() + '\n' });
    }
  } catch (err) {
    // Not expected (limits are checked first); kept so that a parser bug cannot break a whole ingestion run.
    errors.push({ message: `the YAML could not be read: ${errorMessage(err)}`, line: 1, col: 1 });
  }
  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  return { documents, errors };

  /** The document's value, or `undefined` (after pushing its issues) when it is left out or empty. */
  function documentValue(doc: Document.Parsed, line: number): unknown {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) errors.push({ message: firstLine(error.message), ...at(error.pos[0]) });
      return undefined;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (err) {
      errors.push({ message: toJsMessage(err, maxAliasCount), line, col: 1 });
      return undefined;
    }
    if (value === null || value === undefined) return undefined;
    const contents = doc.contents;
    if (mappingsOnly && !isMap(contents)) {
      const got = isSeq(contents) ? 'a sequence' : `a ${typeof value}`;
      const pos = contents?.range ? at(contents.range[0]) : { line, col: 1 };
      errors.push({ message: `a catalog document must be a mapping (an entity with apiVersion, kind, metadata), got ${got}`, ...pos });
      return undefined;
    }
    return value;
  }
}

/** Line numbers and texts for the fast path's documents, counted the same way as the careful path's. */
function fastDocuments(text: string, docs: FastDocument[]): YamlDocument[] {
  let line = 1;
  let counted = 0;
  return docs.map((d) => {
    const start = skipSeparatorLines(text, d.start, d.end);
    for (let i = text.indexOf('\n', counted); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;
    counted = start;
    return { value: d.value, line, text: text.slice(start, d.end).trimEnd() + '\n' };
  });
}

/** The offset of the first line in [from, to) that is not blank, a directive, or a bare `---` / `...` marker. */
function skipSeparatorLines(text: string, from: number, to: number): number {
  let offset = from;
  while (offset < to) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 || newline >= to ? to : newline;
    if (!SKIPPED_LINE.test(text.slice(offset, end))) return offset;
    offset = end + 1;
  }
  return Math.min(offset, to);
}

/** The `yaml` package's messages are one line unless prettified; keep the first line only. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** A clear message for errors thrown while building a document's value. */
function toJsMessage(err: unknown, maxAliasCount: number): string {
  const message = errorMessage(err);
  if (/excessive alias count/i.test(message)) {
    return `YAML aliases expand more than ${maxAliasCount} times in this document (a "billion laughs" alias bomb?); the document was not read`;
  }
  return `the YAML document could not be read: ${message}`;
}
