/**
 * Sandboxed Nunjucks rendering for template expressions (`${{ … }}`) and skeleton files.
 *
 * Backstage runs Nunjucks inside `isolated-vm` (plugins/scaffolder-backend/src/lib/templating/SecureTemplater.ts).
 * Tarmac has no isolate, so the sandbox is built from four rules instead:
 * 1. the parsed template is checked before it runs: no `include`/`extends`/`import`, and no lookup of
 *    `constructor`, `__proto__`, `prototype` or the `__define/lookup…__` accessors, written literally;
 * 2. while our template renders (rendering is synchronous), Nunjucks' runtime lookups are swapped for strict ones:
 *    those names are refused at run time too (dynamic keys), a lookup that yields a function is refused unless it
 *    is a macro defined in the template or one of a few listed string/array methods, and only those can be called;
 * 3. the environment has no loaders and no globals but a size-capped `range` (`cycler`/`joiner` removed);
 * 4. the values come in as plain JSON data (cloned), so no object carries methods or a prototype of its own.
 * Loops are capped too (`MAX_LOOP_ITERATIONS` per render) so a template can't spin forever.
 */
import nunjucks from 'nunjucks';
import { TarmacError } from '../../core/errors.js';
import { customFilters } from './filters.js';
import {
  MAX_RANGE,
  SandboxViolation,
  checkName,
  globalCallables,
  nj,
  withSafeRuntime,
  type AstNode,
} from './safe-runtime.js';

type Env = nunjucks.Environment;
const tagsFor = (compat: boolean) =>
  compat ? { variableStart: '{{', variableEnd: '}}' } : { variableStart: '${{', variableEnd: '}}' };

function makeEnvironment(compat: boolean, opts: { trimBlocks?: boolean; lstripBlocks?: boolean }): Env {
  const env = new nunjucks.Environment([], {
    autoescape: false,
    trimBlocks: !!opts.trimBlocks,
    lstripBlocks: !!opts.lstripBlocks,
    tags: tagsFor(compat),
  });
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  for (const name of Object.keys(globals)) delete globals[name];
  globals.range = (start: number, stop?: number, step?: number) => {
    const [a, b, s] = stop === undefined ? [0, Number(start), 1] : [Number(start), Number(stop), Number(step ?? 1) || 1];
    const count = Math.ceil((b - a) / s);
    if (!(count <= MAX_RANGE)) throw new SandboxViolation(`range() may build at most ${MAX_RANGE} numbers`);
    return Array.from({ length: Math.max(0, count) }, (_, i) => a + i * s);
  };
  globalCallables.add(globals.range as object);
  for (const [name, filter] of Object.entries(customFilters)) env.addFilter(name, filter);
  // Padding filters would build strings of any width asked for: cap the width.
  for (const name of ['center', 'indent']) {
    const original = env.getFilter(name) as (...a: unknown[]) => unknown;
    env.addFilter(name, function (this: unknown, str: unknown, width: unknown, ...rest: unknown[]) {
      if (typeof width === 'number' && width > MAX_RANGE) throw new SandboxViolation(`${name}() width may be at most ${MAX_RANGE}`);
      return original.call(this, str, width, ...rest);
    });
  }
  if (compat) env.addFilter('jsonify', env.getFilter('dump'));
  return env;
}

const envCache = new Map<string, Env>();
function environment(compat: boolean, opts: { trimBlocks?: boolean; lstripBlocks?: boolean }): Env {
  const key = `${compat}:${!!opts.trimBlocks}:${!!opts.lstripBlocks}`;
  let env = envCache.get(key);
  if (!env) envCache.set(key, (env = makeEnvironment(compat, opts)));
  return env;
}

/** Node types that would load other templates (there is no loader; refuse them with a clear message). */
const LOADING_NODES = new Set(['Include', 'Extends', 'Import', 'FromImport']);

/** Parses `source` and refuses loading tags and forbidden names written literally. @throws SandboxViolation */
export function parseChecked(source: string, compat = false): AstNode {
  const ast = nj.parser.parse(source, [], { autoescape: false, tags: tagsFor(compat) });
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    if (typeof n.typename === 'string') {
      if (LOADING_NODES.has(n.typename)) throw new SandboxViolation(`"${n.typename.toLowerCase()}" tags are not allowed in templates`);
      if (n.typename === 'LookupVal') checkName((n.val as AstNode | undefined)?.value);
      if (n.typename === 'Symbol') checkName(n.value);
    }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'parent') continue;
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') walk(v);
    }
  };
  walk(ast);
  return ast;
}

/** Rendering options: `cookiecutterCompat` switches to `{{ }}` with the `jsonify` filter (Backstage's compat env). */
export interface RenderOptions {
  cookiecutterCompat?: boolean;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
}

/**
 * Renders `template` with `context` (plain data; cloned as JSON first) in the sandbox.
 * @throws TarmacError BAD_REQUEST naming the reason when the template is invalid, reaches for something it may
 *   not (see the file comment), or fails while rendering. The message never includes context values.
 */
export function renderSandboxed(template: string, context: Record<string, unknown>, opts: RenderOptions = {}): string {
  if (!template.includes('{')) return template;
  const compat = !!opts.cookiecutterCompat;
  const data = toPlainData(context);
  try {
    parseChecked(template, compat);
    const env = environment(compat, opts);
    return withSafeRuntime(() => env.renderString(template, data));
  } catch (err) {
    throw templateError(err);
  }
}

/** JSON copy of `value`: drops functions, class instances' prototypes and undefined. */
export function toPlainData(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
}

function templateError(err: unknown): TarmacError {
  if (err instanceof TarmacError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  // Nunjucks prefixes "(unknown path) [Line x, Column y]\n  Error: …"; keep the position, drop the noise.
  const position = /\[Line \d+, Column \d+\]/.exec(raw)?.[0];
  const reason = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('(unknown path)'))
    .join(' ')
    .replace(/^(Template render error: )?(\w*Error: )+/, '')
    .replace(/^Template render error: /, '');
  const refused = /not allowed|may not|iterations|may build at most|may be at most/.test(raw);
  return new TarmacError(
    'BAD_REQUEST',
    `${refused ? 'Template expression refused' : 'Template expression failed'}${position ? ` at ${position.slice(1, -1)}` : ''}: ${reason}`,
  );
}
