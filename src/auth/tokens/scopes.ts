/**
 * Token scopes are action patterns: an exact action (`catalog.entity.read`), a prefix wildcard (`template.*`,
 * covering `template.run` and `template.x.y`), or `*` (every action). Action names are listed in docs/permissions.md.
 */

/** Letters, digits, `-` and `_` segments joined by dots, optionally ending in `.*`; or `*` alone. */
export const SCOPE_PATTERN = /^(\*|[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*(\.\*)?)$/;
/** Most scopes one token may carry. */
export const MAX_SCOPES = 50;

/** True when `pattern` covers every action `requested` does (which may itself be a pattern). */
export function scopeCovers(pattern: string, requested: string): boolean {
  if (pattern === '*' || pattern === requested) return true;
  if (!pattern.endsWith('.*')) return false;
  const prefix = pattern.slice(0, -1); // keeps the dot: `template.`
  return requested.startsWith(prefix) && requested.length > prefix.length;
}

/** True when one of `patterns` covers `requested`. */
export function anyScopeCovers(patterns: readonly string[], requested: string): boolean {
  return patterns.some((p) => scopeCovers(p, requested));
}
