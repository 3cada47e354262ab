/**
 * Rendering of step inputs, `if`, `each` and `spec.output` (after Backstage's NunjucksWorkflowRunner `render`):
 * every string in a JSON value is rendered with `${{ }}`; a string that is exactly one `${{ expr }}` keeps the
 * value's type (rendered as `${{ (expr) | dump }}` and parsed back), and a string rendering to '' becomes
 * undefined (so the key disappears, letting action defaults apply).
 */
import nunjucks from 'nunjucks';
import { renderSandboxed } from './sandbox.js';

/** What `${{ }}` sees in step inputs: `parameters`, `steps.<id>.output`, `user`, `secrets`, `each`. */
export interface ExpressionContext {
  parameters: Record<string, unknown>;
  steps: Record<string, { output: Record<string, unknown> }>;
  user: { ref?: string; entity?: unknown };
  secrets: Record<string, string>;
  each?: { key: string; value: unknown };
  [key: string]: unknown;
}

const nj = nunjucks as unknown as {
  parser: { parse(src: string, ext: unknown[], opts: unknown): { children: Array<{ children?: unknown[] }> } };
  nodes: { TemplateData: new (...a: unknown[]) => unknown };
};

/** True when `input` is one `${{ … }}` and nothing else (Backstage `isSingleTemplateString`). */
export function isSingleTemplateString(input: string): boolean {
  try {
    const parsed = nj.parser.parse(input, [], { autoescape: false, tags: { variableStart: '${{', variableEnd: '}}' } });
    return parsed.children.length === 1 && !(parsed.children[0]?.children?.[0] instanceof nj.nodes.TemplateData);
  } catch {
    return false;
  }
}

/** Renders one string; see the file comment for typing rules. @throws TarmacError BAD_REQUEST (sandbox) */
export function renderExpressionString(value: string, context: Record<string, unknown>): unknown {
  if (!value.includes('${{') && !value.includes('{%')) return value;
  if (isSingleTemplateString(value)) {
    try {
      const dumped = renderSandboxed(value.replace(/\$\{\{(.+)\}\}/g, '${{ ( $1 ) | dump }}'), context);
      if (dumped === '') return undefined;
      return JSON.parse(dumped) as unknown;
    } catch {
      // Not one plain expression after all (e.g. a `{% for %}` block): render as text, as Backstage falls back.
    }
  }
  const text = renderSandboxed(value, context);
  return text === '' ? undefined : text;
}

/** Renders every string inside a JSON value (objects and arrays walked; keys kept). */
export function renderValue<T>(input: T, context: Record<string, unknown>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return renderExpressionString(v, context);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        const r = walk(inner);
        if (r !== undefined) out[k] = r;
      }
      return out;
    }
    return v;
  };
  return walk(input) as T;
}

/** Handlebars-style truthiness Backstage uses for `if`: false for false/undefined/null/''/0/NaN and []. */
export function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : !!value;
}
