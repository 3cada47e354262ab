/**
 * `fetch:plain` and `fetch:plain:file`: copy a folder (or one file) of the template's files into the workspace
 * without rendering anything (Backstage's fetch/plain.ts and plainFile.ts). Paths stay in the workspace; existing
 * files are kept unless `replace` (Backstage's plain fetch always overwrote; `replace` defaults to true here).
 */
import { TarmacError } from '../../core/errors.js';
import type { ActionContext, TemplateAction } from '../types.js';
import { joinTemplatePath, resolveTemplateUrl, throwIfAborted } from './fetch-common.js';
import { createWorkspaceWriter, resolveInside } from './workspace.js';

/** Input of both plain fetch actions. */
export interface FetchPlainInput {
  url: string;
  targetPath?: string;
  replace?: boolean;
}

async function fetchPlain(ctx: ActionContext<FetchPlainInput>): Promise<void> {
  const dir = resolveTemplateUrl(ctx.input.url);
  const outputDir = resolveInside(ctx.workspacePath, ctx.input.targetPath ?? './', 'targetPath');
  const files = ctx.templateInfo.files;
  const entries = (await files.list(dir)).map((f) => (dir ? f.slice(dir.length + 1) : f));
  if (entries.length === 0) {
    const isFile = await files.read(dir).then(() => true, () => false);
    throw new TarmacError(
      isFile ? 'BAD_REQUEST' : 'NOT_FOUND',
      isFile ? `url "${ctx.input.url}" is a file; use fetch:plain:file for one file` : `No files under url "${ctx.input.url}" in ${files.describe()}`,
    );
  }
  const writer = await createWorkspaceWriter(ctx.workspacePath, ctx.limits);
  ctx.log(`Copying ${entries.length} files from ${files.describe()}${dir || '.'}`);
  for (const rel of entries) {
    throwIfAborted(ctx.signal);
    const target = resolveInside(outputDir, rel, `path "${rel}"`);
    if (ctx.input.replace === false && (await writer.exists(target))) continue;
    const source = joinTemplatePath(dir, rel);
    await writer.write(target, await files.read(source), await files.mode?.(source));
  }
}

async function fetchPlainFile(ctx: ActionContext<FetchPlainInput & { targetPath: string }>): Promise<void> {
  const file = resolveTemplateUrl(ctx.input.url);
  const target = resolveInside(ctx.workspacePath, ctx.input.targetPath, 'targetPath');
  const writer = await createWorkspaceWriter(ctx.workspacePath, ctx.limits);
  if (ctx.input.replace === false && (await writer.exists(target))) return;
  await writer.write(target, await ctx.templateInfo.files.read(file));
}

const properties = {
  url: { type: 'string', description: "Folder (fetch:plain) or file (fetch:plain:file), relative to the template's folder" },
  targetPath: { type: 'string', description: 'Where to put it in the workspace' },
  replace: { type: 'boolean', description: 'Overwrite existing files (default true)' },
};

/** `fetch:plain`. */
export const fetchPlainAction: TemplateAction<FetchPlainInput> = {
  id: 'fetch:plain',
  description: "Copies a folder of the template's files into the workspace without rendering.",
  supportsDryRun: true,
  schema: { input: { type: 'object', required: ['url'], properties } },
  handler: fetchPlain,
};

/** `fetch:plain:file`. */
export const fetchPlainFileAction: TemplateAction<FetchPlainInput & { targetPath: string }> = {
  id: 'fetch:plain:file',
  description: "Copies one of the template's files into the workspace without rendering.",
  supportsDryRun: true,
  schema: { input: { type: 'object', required: ['url', 'targetPath'], properties } },
  handler: fetchPlainFile,
};
