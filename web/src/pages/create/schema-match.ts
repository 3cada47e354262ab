/**
 * A small interpreting JSON-Schema matcher for rjsf's `isValid`, used only when the page's Content-Security-Policy
 * forbids compiled validators (see validator.ts). rjsf calls `isValid` to pick the branch of `oneOf`/`anyOf` and of
 * `dependencies` that fits the answers — that is what shows conditional fields — so this covers the keywords such
 * branches use (draft-07: type, const, enum, required, properties, items, string/number/array bounds, pattern,
 * allOf/anyOf/oneOf/not, if/then/else, local `$ref`). Unknown keywords are ignored (permissive); full validation
 * stays on the server, which checks every answer with ajv before anything runs.
 */
type Schema = Record<string, unknown> | boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(value: unknown, type: string): boolean {
  const t = typeOf(value);
  if (type === 'integer') return t === 'number' && Number.isInteger(value);
  return t === type;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves `#/definitions/x` and `#/$defs/x` refs against `root`; undefined when not local or not found. */
function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    if (!isObject(node)) return undefined;
    node = node[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isObject(node) || typeof node === 'boolean' ? node : undefined;
}

/** Whether `value` satisfies `schema` (see the module comment for the keywords covered). */
export function schemaMatches(schema: Schema, value: unknown, root: Schema = schema, depth = 0): boolean {
  if (typeof schema === 'boolean') return schema;
  if (depth > 50) return true; // cyclic refs: give up permissively
  const s = schema;
  const sub = (x: unknown, v: unknown) => schemaMatches(x as Schema, v, root, depth + 1);
  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, root);
    if (target !== undefined && !sub(target, value)) return false;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type.map(String) : [String(s.type)];
    if (!types.some((t) => hasType(value, t))) return false;
  }
  if ('const' in s && !equal(s.const, value)) return false;
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) return false;
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) return false;
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength) return false;
    if (typeof s.pattern === 'string') {
      try {
        if (!new RegExp(s.pattern, 'u').test(value)) return false;
      } catch {
        // an invalid pattern is the server's to report
      }
    }
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return false;
    if (typeof s.maximum === 'number' && value > s.maximum) return false;
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) return false;
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false;
    if (isObject(s.items) && !value.every((v) => sub(s.items, v))) return false;
  }
  if (isObject(value)) {
    if (Array.isArray(s.required) && !s.required.every((k) => typeof k === 'string' && value[k] !== undefined)) return false;
    if (isObject(s.properties)) {
      for (const [k, ps] of Object.entries(s.properties)) {
        if (value[k] !== undefined && !sub(ps, value[k])) return false;
      }
    }
  }
  if (Array.isArray(s.allOf) && !s.allOf.every((x) => sub(x, value))) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((x) => sub(x, value))) return false;
  if (Array.isArray(s.oneOf) && s.oneOf.filter((x) => sub(x, value)).length !== 1) return false;
  if (s.not !== undefined && sub(s.not, value)) return false;
  if (s.if !== undefined) {
    const branch = sub(s.if, value) ? s.then : s.else;
    if (branch !== undefined && !sub(branch, value)) return false;
  }
  return true;
}
