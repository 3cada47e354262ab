/**
 * Per-kind `spec` rules for the built-in kinds, as a table read by `validate.ts`.
 * Source: Backstage `packages/catalog-model/src/schema/kinds/*.v1alpha1.schema.json` (catalog-model 1.10.1,
 * including `API.v1alpha1.mcp-server.schema.json`) and scaffolder-common `Template.v1beta3.schema.json`;
 * where Tarmac's issue #2 differs (Location needs `target` or `targets`; an mcp-server API may have `remotes`
 * instead of `definition`), the issue rules.
 */
import { isObject, isPlaceholder, typeName } from './formats.js';
import type { ValidationIssue } from './validate.js';

/** How one spec field is checked. `ref`: the value(s) are entity refs, checked to parse (see ref.ts). */
export type FieldRule =
  | { type: 'string'; required?: boolean; ref?: boolean; oneOf?: readonly string[] }
  | { type: 'strings'; required?: boolean; ref?: boolean }
  | { type: 'array'; required?: boolean }
  | { type: 'object'; required?: boolean; strings?: readonly string[] };

/** The rules of one kind: which apiVersions they apply to, its fields, and checks across fields. */
export interface KindRules {
  apiVersions: readonly string[];
  fields: Readonly<Record<string, FieldRule>>;
  check?: (spec: Record<string, unknown>, issues: ValidationIssue[]) => void;
}

const BACKSTAGE_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'] as const;
const req = { required: true } as const;
const str = { type: 'string' } as const;
const reqStr = { type: 'string', ...req } as const;
const ref = { type: 'string', ref: true } as const;
const reqRef = { type: 'string', ref: true, ...req } as const;
const refs = { type: 'strings', ref: true } as const;
const profile = { type: 'object', strings: ['displayName', 'email', 'picture'] } as const;

/** An API of `type: mcp-server` may declare `remotes` (objects with `type` and `url`) instead of `definition`. */
function checkApi(spec: Record<string, unknown>, issues: ValidationIssue[]): void {
  const isMcp = spec.type === 'mcp-server';
  if (spec.remotes !== undefined) {
    if (!Array.isArray(spec.remotes)) {
      issues.push({ path: 'spec.remotes', message: `spec.remotes must be an array, got ${typeName(spec.remotes)}` });
    } else {
      spec.remotes.forEach((remote: unknown, i) => {
        const path = `spec.remotes[${i}]`;
        if (!isObject(remote)) {
          issues.push({ path, message: `${path} must be an object with type and url, got ${typeName(remote)}` });
          return;
        }
        for (const key of ['type', 'url']) {
          const v = remote[key];
          if (!isPlaceholder(v) && (typeof v !== 'string' || v === '')) {
            issues.push({ path: `${path}.${key}`, message: `${path}.${key} is required and must be a non-empty string` });
          }
        }
      });
    }
  }
  if (spec.definition === undefined && !(isMcp && Array.isArray(spec.remotes) && spec.remotes.length > 0)) {
    issues.push({
      path: 'spec.definition',
      message: isMcp
        ? 'spec.definition is required (an API of type mcp-server may give a non-empty spec.remotes list instead)'
        : 'spec.definition is required',
    });
  }
}

/** A Location needs `target` or `targets` (Tarmac rule, issue #2). */
function checkLocation(spec: Record<string, unknown>, issues: ValidationIssue[]): void {
  if (spec.target === undefined && spec.targets === undefined) {
    issues.push({ path: 'spec.target', message: 'spec.target or spec.targets is required' });
  }
}

/** Rules per kind, keyed by lowercase kind (kinds are matched case-insensitively, like refs). */
export const KIND_RULES: Readonly<Record<string, KindRules>> = {
  component: {
    apiVersions: BACKSTAGE_VERSIONS,
    fields: {
      type: reqStr,
      lifecycle: reqStr,
      owner: reqRef,
      system: ref,
      subcomponentOf: ref,
      providesApis: refs,
      consumesApis: refs,
      dependsOn: refs,
      dependencyOf: refs,
    },
  },
  api: {
    apiVersions: BACKSTAGE_VERSIONS,
    fields: { type: reqStr, lifecycle: reqStr, owner: reqRef, system: ref, definition: str },
    check: checkApi,
  },
  system: { apiVersions: BACKSTAGE_VERSIONS, fields: { owner: reqRef, domain: ref, type: str } },
  domain: { apiVersions: BACKSTAGE_VERSIONS, fields: { owner: reqRef, subdomainOf: ref, type: str } },
  resource: {
    apiVersions: BACKSTAGE_VERSIONS,
    fields: { type: reqStr, owner: reqRef, system: ref, dependsOn: refs, dependencyOf: refs },
  },
  group: {
    apiVersions: BACKSTAGE_VERSIONS,
    fields: { type: reqStr, children: { ...refs, ...req }, parent: ref, members: refs, profile },
  },
  user: { apiVersions: BACKSTAGE_VERSIONS, fields: { memberOf: { ...refs, ...req }, profile } },
  location: {
    apiVersions: BACKSTAGE_VERSIONS,
    fields: { type: str, target: str, targets: { type: 'strings' }, presence: { type: 'string', oneOf: ['required', 'optional'] } },
    check: checkLocation,
  },
  template: {
    apiVersions: ['scaffolder.backstage.io/v1beta3'],
    fields: { type: reqStr, steps: { type: 'array', ...req }, owner: ref, lifecycle: str },
  },
};
