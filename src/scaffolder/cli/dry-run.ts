import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import YAML from 'yaml';
import type { ApiClient } from '../../core/api-client.js';
import { TarmacError } from '../../core/errors.js';

/** Most files sent from a local template folder (the server applies its own limits too). */
const MAX_FILES = 5000;

/** The answer of `POST /v2/dry-run`. */
interface DryRunAnswer {
  log: Array<{ body: { message: string; stepId?: string; status?: string } }>;
  directoryContents: Array<{ path: string; base64Content: string; executable?: boolean }>;
  output: { links?: Array<{ title?: string; url?: string; entityRef?: string }>; text?: Array<{ title?: string; content?: string }> };
}

/**
 * Reads a local template: `<dir>/template.yaml` (or the given file) and every file of its folder except `.git/`
 * and `node_modules/`, as `directoryContents`.
 * @throws TarmacError BAD_REQUEST when the template file is missing or not YAML
 */
export async function readLocalTemplate(dirOrFile: string): Promise<{ template: unknown; directoryContents: Array<{ path: string; base64Content: string }> }> {
  const isDir = (await stat(dirOrFile).catch(() => undefined))?.isDirectory() ?? false;
  const file = isDir ? path.join(dirOrFile, 'template.yaml') : dirOrFile;
  let template: unknown;
  try {
    template = YAML.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new TarmacError('BAD_REQUEST', `${file}: ${(err as Error).message}`);
  }
  const root = path.dirname(file);
  const paths = (await fg('**/*', { cwd: root, dot: true, onlyFiles: true, ignore: ['.git/**', '**/node_modules/**'], followSymbolicLinks: false })).sort();
  if (paths.length > MAX_FILES) throw new TarmacError('PAYLOAD_TOO_LARGE', `${root} holds ${paths.length} files (limit ${MAX_FILES})`);
  const directoryContents = await Promise.all(paths.map(async (p) => ({ path: p, base64Content: (await readFile(path.join(root, p))).toString('base64') })));
  return { template, directoryContents };
}

/**
 * `tarmac template dry-run`: sends the local template folder and values to `POST /v2/dry-run`, prints the step log
 * (to `err`), the rendered file tree with sizes and the output (to `out`); `--out DIR` writes the files there.
 * @returns exit code 0 (a failing dry-run throws the server's error)
 */
export async function dryRunTemplate(
  client: ApiClient,
  o: { source: string; values: Record<string, unknown>; secrets: Record<string, string>; outDir?: string },
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const local = await readLocalTemplate(o.source);
  const { body } = await client.request<DryRunAnswer>('POST', '/api/scaffolder/v2/dry-run', {
    body: { ...local, values: o.values, secrets: o.secrets },
    timeoutMs: 600_000,
  });
  for (const e of body.log) err(`  ${e.body.stepId ?? 'run'} | ${e.body.message}`);
  out(`${body.directoryContents.length} files:`);
  for (const f of body.directoryContents) out(`  ${f.path}  (${Buffer.from(f.base64Content, 'base64').length} bytes)`);
  for (const link of body.output.links ?? []) out(`${link.title ?? 'link'}: ${link.url ?? link.entityRef ?? ''}`);
  for (const text of body.output.text ?? []) out(`${text.title ?? 'text'}: ${text.content ?? ''}`);
  if (o.outDir) {
    const root = path.resolve(o.outDir);
    for (const f of body.directoryContents) {
      const target = path.resolve(root, f.path);
      if (!target.startsWith(root + path.sep)) throw new TarmacError('BAD_REQUEST', `server sent a path outside --out: ${f.path}`);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, Buffer.from(f.base64Content, 'base64'), { mode: f.executable ? 0o755 : 0o644 });
    }
    out(`wrote ${body.directoryContents.length} files to ${root}`);
  }
  return 0;
}
