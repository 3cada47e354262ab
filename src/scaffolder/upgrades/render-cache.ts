/**
 * Renders of template versions with recorded answers, cached so `upgradeAll` over many repositories of one
 * template renders each (version, answers) pair once and loads each version's files once.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { errorMessage } from '../../core/errors.js';
import { renderString, renderTemplateFiles } from '../engine/index.js';
import type { TemplateEntity, TemplateFiles } from '../types.js';
import type { VersionStore } from '../versions/index.js';

/** Renders a version of a template with answers: path (relative to the repository root) → bytes. */
export interface RenderCache {
  render(templateRef: string, version: string, values: Record<string, unknown>): Promise<ReadonlyMap<string, Buffer>>;
}

/** Folder of the workspace the first `publish:*` step pushes (`input.sourcePath`), '' for the workspace root. */
export function publishedFolder(entity: TemplateEntity, values: Record<string, unknown>): string {
  const step = entity.spec.steps.find((s) => typeof s.action === 'string' && s.action.startsWith('publish:'));
  let source = step?.input?.sourcePath;
  if (typeof source !== 'string') return '';
  if (source.includes('${{')) {
    try {
      source = renderString(source, { parameters: values });
    } catch (err) {
      throw new Error(`cannot render the publish step's sourcePath: ${errorMessage(err)}`);
    }
  }
  return String(source).replace(/^(\.\/)+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
}

/** Keeps the files under `folder` with paths relative to it (all files when `folder` is ''). */
function underFolder(files: Map<string, Buffer>, folder: string): Map<string, Buffer> {
  if (!folder) return files;
  const prefix = `${folder}/`;
  const out = new Map<string, Buffer>();
  for (const [p, bytes] of files) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), bytes);
  return out;
}

/**
 * A render cache over a version store.
 * @param limits file count and total bytes one render may produce (config `scaffolder.maxFiles/maxTotalBytes`)
 */
export function createRenderCache(versions: VersionStore, limits: { maxFiles: number; maxTotalBytes: number }): RenderCache {
  const loaded = new Map<string, Promise<{ entity: TemplateEntity; files: TemplateFiles }>>();
  const rendered = new Map<string, Promise<ReadonlyMap<string, Buffer>>>();
  const load = (templateRef: string, version: string) => {
    const key = `${templateRef}\n${version}`;
    let p = loaded.get(key);
    if (!p) {
      p = versions.get(templateRef, version);
      loaded.set(key, p);
    }
    return p;
  };
  return {
    render(templateRef, version, values) {
      const answers = createHash('sha256').update(canonicalize(values) ?? '{}').digest('hex');
      const key = `${templateRef}\n${version}\n${answers}`;
      let p = rendered.get(key);
      if (!p) {
        p = (async () => {
          const { entity, files } = await load(templateRef, version);
          const all = await renderTemplateFiles({ template: entity, templateRef, version, files, values, limits });
          return underFolder(all, publishedFolder(entity, values));
        })();
        rendered.set(key, p);
      }
      return p;
    },
  };
}
