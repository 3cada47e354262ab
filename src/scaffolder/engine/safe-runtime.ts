/**
 * The strict Nunjucks runtime the sandbox swaps in while one of our templates renders (see sandbox.ts): member
 * and variable lookups refuse prototype names and functions that are not the template's own macros or a few
 * listed pure string/array/dict methods; only those can be called; loops are counted against a cap.
 */
import nunjucks from 'nunjucks';
/** Names never looked up on any value (prototype walks and accessor tricks). */
export const FORBIDDEN_NAMES = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);
/** Most loop iterations one render may run (all loops together). */
export const MAX_LOOP_ITERATIONS = 100_000;
/** Longest list `range()` may build. */
export const MAX_RANGE = 10_000;

/** Pure string methods a template may call (`name.split('-')`, jinja-style `upper()` in cookiecutter mode). */
const STRING_METHODS: Record<string, (s: string, ...a: unknown[]) => unknown> = {
  split: (s, sep, limit) => s.split(String(sep ?? ''), typeof limit === 'number' ? limit : undefined),
  replace: (s, a, b) => s.split(String(a)).join(String(b ?? '')),
  startsWith: (s, p) => s.startsWith(String(p)),
  endsWith: (s, p) => s.endsWith(String(p)),
  includes: (s, p) => s.includes(String(p)),
  indexOf: (s, p) => s.indexOf(String(p)),
  slice: (s, a, b) => s.slice(Number(a ?? 0), b === undefined ? undefined : Number(b)),
  substring: (s, a, b) => s.substring(Number(a ?? 0), b === undefined ? undefined : Number(b)),
  trim: (s) => s.trim(),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  // jinja names (cookiecutter templates)
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  strip: (s) => s.trim(),
  startswith: (s, p) => s.startsWith(String(p)),
  endswith: (s, p) => s.endsWith(String(p)),
};
/** Pure array methods a template may call. */
const ARRAY_METHODS: Record<string, (a: unknown[], ...x: unknown[]) => unknown> = {
  join: (a, sep) => a.join(sep === undefined ? ',' : String(sep)),
  includes: (a, v) => a.includes(v),
  indexOf: (a, v) => a.indexOf(v),
  slice: (a, s, e) => a.slice(Number(s ?? 0), e === undefined ? undefined : Number(e)),
  concat: (a, ...rest) => a.concat(...rest),
};
/** Jinja dict methods (cookiecutter templates iterate `cookiecutter.x.items()`). */
const OBJECT_METHODS: Record<string, (o: Record<string, unknown>) => unknown> = {
  items: (o) => Object.entries(o),
  keys: (o) => Object.keys(o),
  values: (o) => Object.values(o),
};

/** Thrown inside the runtime when a template reaches for something it may not. */
export class SandboxViolation extends Error {}

interface NunjucksRuntime {
  memberLookup(obj: unknown, val: unknown): unknown;
  callWrap(obj: unknown, name: string, context: unknown, args: unknown[]): unknown;
  contextOrFrameLookup(context: unknown, frame: unknown, name: string): unknown;
  makeMacro(...args: unknown[]): (...a: unknown[]) => unknown;
  fromIterator(arr: unknown): unknown;
}
/** Nunjucks' internals the sandbox uses (runtime, parser, node classes), typed loosely. */
export const nj = nunjucks as unknown as {
  runtime: NunjucksRuntime;
  parser: { parse(src: string, extensions: unknown[], opts: unknown): AstNode };
  nodes: Record<string, new (...a: unknown[]) => unknown>;
};
/** A node of Nunjucks' parse tree (only what the sandbox's check reads). */
export interface AstNode {
  typename: string;
  children?: AstNode[];
  [key: string]: unknown;
}

/** Functions the running template may call: its own macros and bound safe methods. */
let callable = new WeakSet<object>();
/** Callables of the environments themselves (the capped `range`). */
export const globalCallables = new WeakSet<object>();
let iterations = 0;

function isCallable(fn: object): boolean {
  return callable.has(fn) || globalCallables.has(fn);
}

function allow<F extends object>(fn: F): F {
  callable.add(fn);
  return fn;
}

/** @throws SandboxViolation when `name` is one of `FORBIDDEN_NAMES`. */
export function checkName(name: unknown): void {
  if (typeof name === 'string' && FORBIDDEN_NAMES.has(name)) {
    throw new SandboxViolation(`access to "${name}" is not allowed in templates`);
  }
}

function checkValue(value: unknown, what: string): unknown {
  if (typeof value === 'function' && !isCallable(value)) {
    throw new SandboxViolation(`"${what}" is a function, and templates may only call their own macros`);
  }
  return value;
}

const safeRuntime: Partial<NunjucksRuntime> = {
  memberLookup(obj, val) {
    if (obj === undefined || obj === null) return undefined;
    checkName(val);
    const key = String(val);
    if (typeof obj === 'string' && Object.hasOwn(STRING_METHODS, key)) {
      const method = STRING_METHODS[key] as (s: string, ...a: unknown[]) => unknown;
      return allow((...args: unknown[]) => method(obj, ...args));
    }
    if (Array.isArray(obj) && Object.hasOwn(ARRAY_METHODS, key)) {
      const method = ARRAY_METHODS[key] as (a: unknown[], ...x: unknown[]) => unknown;
      return allow((...args: unknown[]) => method(obj, ...args));
    }
    if (typeof obj === 'object' && !Array.isArray(obj) && !Object.hasOwn(obj, key) && Object.hasOwn(OBJECT_METHODS, key)) {
      const method = OBJECT_METHODS[key] as (o: Record<string, unknown>) => unknown;
      return allow(() => method(obj as Record<string, unknown>));
    }
    // Strings and arrays expose `length`; everything else only its own data.
    if (typeof obj === 'string' || Array.isArray(obj)) {
      if (key === 'length') return obj.length;
      return /^\d+$/.test(key) ? (obj as unknown as Record<string, unknown>)[key] : undefined;
    }
    if (typeof obj !== 'object' && typeof obj !== 'function') return undefined;
    const value = Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
    return checkValue(value, key);
  },
  callWrap(obj, name, context, args) {
    if (typeof obj !== 'function') throw new SandboxViolation(`"${name}" is not a function`);
    if (!isCallable(obj)) throw new SandboxViolation(`"${name}" may not be called from a template`);
    return (obj as (...a: unknown[]) => unknown).apply(context, args);
  },
  contextOrFrameLookup(context, frame, name) {
    checkName(name);
    const f = frame as { lookup(n: string): unknown };
    const fromFrame = f.lookup(name);
    if (fromFrame !== undefined) return checkValue(fromFrame, name);
    const c = context as { ctx: Record<string, unknown>; env: { globals: Record<string, unknown> } };
    if (Object.hasOwn(c.ctx, name)) return checkValue(c.ctx[name], name);
    if (Object.hasOwn(c.env.globals, name)) return checkValue(c.env.globals[name], name);
    return undefined;
  },
  fromIterator(arr) {
    const size = Array.isArray(arr) ? arr.length : arr && typeof arr === 'object' ? Object.keys(arr).length : 0;
    iterations += size;
    if (iterations > MAX_LOOP_ITERATIONS) {
      throw new SandboxViolation(`loops ran more than ${MAX_LOOP_ITERATIONS} iterations`);
    }
    return arr;
  },
};

const originalRuntime: Partial<NunjucksRuntime> = {};
const originalMakeMacro = nj.runtime.makeMacro;
for (const k of Object.keys(safeRuntime) as Array<keyof NunjucksRuntime>) {
  (originalRuntime as Record<string, unknown>)[k] = nj.runtime[k];
}
const makeMacro = (...args: unknown[]): unknown => allow(originalMakeMacro(...args));

/** Runs `fn` (a synchronous render) with the strict runtime installed, then puts Nunjucks' own back. */
export function withSafeRuntime<T>(fn: () => T): T {
  Object.assign(nj.runtime, safeRuntime, { makeMacro });
  callable = new WeakSet();
  iterations = 0;
  try {
    return fn();
  } finally {
    Object.assign(nj.runtime, originalRuntime, { makeMacro: originalMakeMacro });
  }
}
