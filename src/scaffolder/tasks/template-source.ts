import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TarmacError } from '../../core/errors.js';
import type { CatalogService, Entity } from '../../catalog/index.js';
import { gitCheckoutDir, parseEntityRef, stringifyEntityRef } from '../../catalog/index.js';
import { templateFilesFromDirectory } from '../engine/index.js';
import type { TemplateEntity, TemplateFiles } from '../types.js';

const LOCATION = 'backstage.io/managed-by-location';
const ORIGIN = 'backstage.io/managed-by-origin-location';

/** A template as a run needs it: the entity, its canonical ref and its files. */
export interface TemplateSource {
  entity: TemplateEntity;
  /** `template:<namespace>/<name>`, lowercase. */
  ref: string;
  files: TemplateFiles;
  /** The template's folder on disk. */
  dir: string;
}

/**
 * Normalises a template ref: `name`, `default/name` or `template:default/name` → `template:default/name`.
 * @throws TarmacError BAD_REQUEST for another kind or a malformed ref
 */
export function normalizeTemplateRef(ref: string): { ref: string; namespace: string; name: string } {
  let parsed: { kind: string; namespace: string; name: string };
  try {
    parsed = parseEntityRef(ref, { defaultKind: 'template', defaultNamespace: 'default' });
  } catch (err) {
    throw new TarmacError('BAD_REQUEST', `templateRef "${ref}" is not an entity ref: ${(err as Error).message}`);
  }
  if (parsed.kind.toLowerCase() !== 'template') throw new TarmacError('BAD_REQUEST', `templateRef "${ref}" is not a Template`);
  const namespace = parsed.namespace.toLowerCase();
  const name = parsed.name.toLowerCase();
  return { ref: `template:${namespace}/${name}`, namespace, name };
}

/** Where the catalog keeps its clone of a git location (the catalog's own answer, `gitCheckoutDir`). */
function checkoutDir(dataDir: string, repo: string, branch: string): string {
  return gitCheckoutDir(dataDir, repo, branch);
}

/** The branch a checkout is on (`.git/HEAD` = `ref: refs/heads/<branch>`), or undefined. */
function checkedOutBranch(dir: string): string | undefined {
  try {
    return /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/**
 * The template's folder inside the catalog's checkout of `repo`, from `rest` = `<branch>/<path in repo>`: a location
 * registered with a branch is cloned under that branch's key (branch names may hold slashes: the longest existing
 * one wins); one registered without is cloned under '' on the remote's default branch.
 */
function folderInCheckout(dataDir: string, repo: string, rest: string): string | undefined {
  const parts = rest.split('/');
  for (let i = parts.length - 1; i >= 1; i--) {
    const dir = checkoutDir(dataDir, repo, parts.slice(0, i).join('/'));
    if (existsSync(path.join(dir, '.git'))) return path.dirname(path.join(dir, ...parts.slice(i)));
  }
  const dir = checkoutDir(dataDir, repo, '');
  const branch = checkedOutBranch(dir);
  if (branch && rest.startsWith(`${branch}/`)) return path.dirname(path.join(dir, rest.slice(branch.length + 1)));
  return undefined;
}

/**
 * Finds the template's folder from its `backstage.io/managed-by-location` annotation:
 * - `file:/abs/template.yaml` → its folder;
 * - a file in a `git` location (`git:<repo>/blob/<branch>/<path>` or `url:<repo>/blob/<branch>/<path>`, with
 *   `managed-by-origin-location` = `git:<repo>`) → the same folder inside the catalog's checkout.
 * @throws TarmacError BAD_REQUEST when the location kind is not supported or its checkout is not on this machine
 */
export function templateDirectory(entity: Entity, dataDir: string): string {
  const where = entity.metadata.annotations?.[LOCATION];
  const ref = stringifyEntityRef(entity);
  if (!where) throw new TarmacError('BAD_REQUEST', `${ref} has no ${LOCATION} annotation: its files cannot be found`);
  if (where.startsWith('file:')) return path.dirname(where.slice('file:'.length));
  const origin = entity.metadata.annotations?.[ORIGIN] ?? '';
  if (origin.startsWith('git:')) {
    const repo = origin.slice('git:'.length).replace(/\/+$/, '');
    const marker = '/blob/';
    // `git:<repo>/blob/…` for local repositories; `url:<repo without .git>/blob/…` for http(s) ones
    const local = `git:${repo}${marker}`;
    const at = where.startsWith(local) ? local.length - marker.length : where.indexOf(marker);
    const folder = at >= 0 ? folderInCheckout(dataDir, repo, where.slice(at + marker.length)) : undefined;
    if (folder) return folder;
    throw new TarmacError('BAD_REQUEST', `${ref}: the catalog's checkout of ${origin} is not on this machine yet (refresh the location)`);
  }
  throw new TarmacError('BAD_REQUEST', `${ref} comes from ${where}: only templates in file and git locations can run`);
}

/**
 * Loads a Template entity and its files through the catalog.
 * @throws TarmacError NOT_FOUND (no such template), BAD_REQUEST (not a Template, files unreachable)
 */
export async function loadTemplate(catalog: CatalogService, dataDir: string, templateRef: string): Promise<TemplateSource> {
  const { ref, namespace, name } = normalizeTemplateRef(templateRef);
  const entity = await catalog.getEntityByName('template', namespace, name);
  if (!entity.spec || !Array.isArray((entity.spec as { steps?: unknown }).steps)) {
    throw new TarmacError('BAD_REQUEST', `${ref} has no spec.steps`);
  }
  const dir = templateDirectory(entity, dataDir);
  return { entity: entity as unknown as TemplateEntity, ref, files: templateFilesFromDirectory(dir), dir };
}
