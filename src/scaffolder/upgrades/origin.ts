/**
 * The origin file every scaffolded repository commits: which template and version made it, with which answers.
 * Shape: docs/upgrades.md ("The origin file"); contract: helpers' SCAFFOLDER.md.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TarmacError } from '../../core/errors.js';

/** Path of the origin file inside a repository. */
export const ORIGIN_PATH = '.tarmac/template.json';

/** Most bytes the origin file may hold (answers are small; a bigger file is refused on read). */
export const MAX_ORIGIN_BYTES = 1024 * 1024;

/** The content of `.tarmac/template.json`. Unknown extra fields are kept on read and write. */
export interface TemplateOrigin {
  /** `template:<namespace>/<name>`. */
  templateRef: string;
  /** The template version id the repository was made from (or last upgraded to). */
  version: string;
  /** The answers given to the form, secrets excluded. */
  values: Record<string, unknown>;
  /** ISO time the repository was scaffolded. */
  createdAt: string;
  /** Tarmac's version that wrote the file, e.g. `0.1.0`. */
  tarmacVersion: string;
  /** ISO time of the last upgrade, when there was one. */
  upgradedAt?: string;
  [key: string]: unknown;
}

/**
 * Writes `<dir>/.tarmac/template.json` (pretty JSON, trailing newline), creating `.tarmac/`.
 * @throws TarmacError BAD_REQUEST when `origin` itself is invalid (same rules as `readOrigin`)
 */
export async function writeOrigin(dir: string, origin: TemplateOrigin): Promise<void> {
  const problems = originProblems(origin);
  if (problems.length > 0) throw new TarmacError('BAD_REQUEST', `invalid template origin: ${problems.join('; ')}`, { details: problems });
  const file = path.join(dir, ORIGIN_PATH);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(origin, null, 2)}\n`);
}

/**
 * Reads and validates `<dir>/.tarmac/template.json`.
 * @returns the origin, or undefined when the file does not exist
 * @throws TarmacError VALIDATION_FAILED naming the file and each problem (bad JSON, missing/mistyped field, too big)
 */
export async function readOrigin(dir: string): Promise<TemplateOrigin | undefined> {
  const file = path.join(dir, ORIGIN_PATH);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseOrigin(bytes, ORIGIN_PATH);
}

/**
 * Parses origin file bytes. `where` names the file in messages.
 * @throws TarmacError VALIDATION_FAILED with `details: string[]`
 */
export function parseOrigin(bytes: Buffer, where: string): TemplateOrigin {
  const fail = (problems: string[]): never => {
    throw new TarmacError('VALIDATION_FAILED', `${where}: ${problems.join('; ')}`, { details: problems });
  };
  if (bytes.length > MAX_ORIGIN_BYTES) fail([`file is ${bytes.length} bytes, more than the limit of ${MAX_ORIGIN_BYTES}`]);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    fail([`not valid JSON (${(err as Error).message})`]);
  }
  const problems = originProblems(value);
  if (problems.length > 0) fail(problems);
  return value as TemplateOrigin;
}

function originProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['expected a JSON object'];
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  const str = (key: string): void => {
    if (typeof o[key] !== 'string' || (o[key] as string).length === 0) problems.push(`"${key}" must be a non-empty string`);
  };
  str('templateRef');
  str('version');
  str('createdAt');
  str('tarmacVersion');
  if (typeof o.templateRef === 'string' && !/^template:[^/:\s]+\/[^/:\s]+$/i.test(o.templateRef)) {
    problems.push(`"templateRef" must look like template:<namespace>/<name>, got "${o.templateRef}"`);
  }
  if (typeof o.values !== 'object' || o.values === null || Array.isArray(o.values)) problems.push('"values" must be an object');
  if (o.upgradedAt !== undefined && typeof o.upgradedAt !== 'string') problems.push('"upgradedAt" must be a string when set');
  return problems;
}
