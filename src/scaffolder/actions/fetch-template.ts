/**
 * `fetch:template` and `fetch:template:file`: render a skeleton folder (or one file) from the template's files into
 * the workspace with `${{ values.x }}` — after Backstage's fetch/templateActionHandler.ts and templateFile.ts:
 * file and folder names are rendered too; `copyWithoutTemplating` globs copy contents verbatim (names still
 * rendered), `copyWithoutRender` globs copy name and contents verbatim; `templateFileExtension` renders only files
 * with that extension (stripped); `cookiecutterCompat` switches to `{{ cookiecutter.x }}`; a name rendering to ''
 * (or with an empty folder part) skips the file; existing files are kept unless `replace`. Binary files are copied
 * untouched. Every output path is checked to stay in the workspace.
 */
import picomatch from 'picomatch';
import { TarmacError } from '../../core/errors.js';
import { renderSandboxed } from '../engine/sandbox.js';
import type { ActionContext, TemplateAction } from '../types.js';
import { isBinary, joinTemplatePath, resolveTemplateUrl, throwIfAborted } from './fetch-common.js';
import { assertInside, createWorkspaceWriter, resolveInside } from './workspace.js';

/** `fetch:template` input (Backstage's documented fields). */
export interface FetchTemplateInput {
  url: string;
  targetPath?: string;
  values?: Record<string, unknown>;
  copyWithoutRender?: string[];
  copyWithoutTemplating?: string[];
  cookiecutterCompat?: boolean;
  templateFileExtension?: string | boolean;
  replace?: boolean;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
}

const renderOptionsSchema = {
  values: { type: 'object', description: 'Values to pass on to the templating engine (`${{ values.x }}`)' },
  cookiecutterCompat: { type: 'boolean', description: 'Enable features to maximise compatibility with templates built for fetch:cookiecutter' },
  replace: { type: 'boolean', description: 'If set, replace files in targetPath instead of skipping existing ones' },
  trimBlocks: { type: 'boolean', description: 'Remove the first newline after a block (Nunjucks trimBlocks)' },
  lstripBlocks: { type: 'boolean', description: 'Strip tabs and spaces from the start of a line to a block (Nunjucks lstripBlocks)' },
};

function settings(input: FetchTemplateInput): { copyOnly: (p: string) => boolean; renderFilename: boolean; extension: string | false } {
  if (input.copyWithoutRender && input.copyWithoutTemplating) {
    throw new TarmacError('BAD_REQUEST', 'copyWithoutRender and copyWithoutTemplating can not be used at the same time');
  }
  const patterns = input.copyWithoutRender ?? input.copyWithoutTemplating;
  if (input.templateFileExtension && (patterns || input.cookiecutterCompat)) {
    throw new TarmacError('BAD_REQUEST', 'templateFileExtension is incompatible with copyWithoutRender/copyWithoutTemplating and cookiecutterCompat');
  }
  let extension: string | false = false;
  if (input.templateFileExtension) {
    extension = typeof input.templateFileExtension === 'string' ? input.templateFileExtension : '.njk';
    if (!extension.startsWith('.')) extension = `.${extension}`;
  }
  const copyOnly = patterns?.length ? picomatch(patterns, { dot: true }) : () => false;
  return { copyOnly, renderFilename: !input.copyWithoutRender, extension };
}

/** A name that rendered to '' or with an empty folder part means "skip this file" (Backstage `containsSkippedContent`). */
const skipped = (p: string) => p === '' || p.startsWith('/') || p.includes('//');

async function fetchTemplate(ctx: ActionContext<FetchTemplateInput>): Promise<void> {
  const { input } = ctx;
  const { copyOnly, renderFilename, extension } = settings(input);
  const dir = resolveTemplateUrl(input.url);
  const outputDir = resolveInside(ctx.workspacePath, input.targetPath ?? './', 'targetPath');
  const files = ctx.templateInfo.files;
  const entries = (await files.list(dir)).map((f) => (dir ? f.slice(dir.length + 1) : f));
  const compat = !!input.cookiecutterCompat;
  const context = { [compat ? 'cookiecutter' : 'values']: input.values ?? {} };
  const opts = { cookiecutterCompat: compat, trimBlocks: input.trimBlocks, lstripBlocks: input.lstripBlocks };
  const render = (s: string) => renderSandboxed(s, context, opts);
  const writer = await createWorkspaceWriter(ctx.workspacePath, ctx.limits);
  ctx.log(`Rendering ${entries.length} files from ${files.describe()}${dir || '.'}`);
  for (const location of entries) {
    throwIfAborted(ctx.signal);
    let renderContents: boolean;
    let outPath = location;
    if (extension) {
      renderContents = outPath.endsWith(extension);
      if (renderContents) outPath = outPath.slice(0, -extension.length);
      outPath = render(outPath);
    } else {
      renderContents = !copyOnly(location);
      outPath = renderFilename || renderContents ? render(outPath) : outPath;
    }
    if (skipped(outPath)) continue;
    const target = resolveInside(outputDir, outPath, `rendered path "${outPath}" (from "${location}")`);
    assertInside(ctx.workspacePath, target, `rendered path "${outPath}" (from "${location}")`);
    if ((await writer.exists(target)) && !input.replace) {
      ctx.log(`Skipping ${outPath}: it already exists (set replace to overwrite)`);
      continue;
    }
    const source = joinTemplatePath(dir, location);
    const content = await files.read(source);
    const mode = await files.mode?.(source);
    if (isBinary(content)) await writer.write(target, content, mode);
    else await writer.write(target, renderContents ? render(content.toString('utf8')) : content, mode);
  }
}

async function fetchTemplateFile(ctx: ActionContext<FetchTemplateInput & { targetPath: string }>): Promise<void> {
  const { input } = ctx;
  const file = resolveTemplateUrl(input.url);
  const target = resolveInside(ctx.workspacePath, input.targetPath, 'targetPath');
  const writer = await createWorkspaceWriter(ctx.workspacePath, ctx.limits);
  if ((await writer.exists(target)) && !input.replace) {
    ctx.log(`Skipping ${input.targetPath}: it already exists (set replace to overwrite)`);
    return;
  }
  const content = await ctx.templateInfo.files.read(file);
  if (isBinary(content)) return writer.write(target, content);
  const compat = !!input.cookiecutterCompat;
  const context = { [compat ? 'cookiecutter' : 'values']: input.values ?? {} };
  const opts = { cookiecutterCompat: compat, trimBlocks: input.trimBlocks, lstripBlocks: input.lstripBlocks };
  await writer.write(target, renderSandboxed(content.toString('utf8'), context, opts));
}

const globList = { type: 'array', items: { type: 'string' } };

/** `fetch:template` (Backstage's built-in of the same id). */
export const fetchTemplateAction: TemplateAction<FetchTemplateInput> = {
  id: 'fetch:template',
  description: "Renders a folder of the template's files into the workspace (Nunjucks `${{ values.x }}` in contents and names).",
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string', description: "Folder to render, relative to the template's folder (e.g. ./skeleton)" },
        targetPath: { type: 'string', description: 'Folder of the workspace to write into (default: the workspace root)' },
        ...renderOptionsSchema,
        copyWithoutRender: { ...globList, description: 'Deprecated: globs copied without rendering their contents or names' },
        copyWithoutTemplating: { ...globList, description: 'Globs copied without rendering their contents (names are rendered)' },
        templateFileExtension: {
          type: ['string', 'boolean'],
          description: 'Only render files with this extension (true = .njk) and strip it from their names',
        },
      },
    },
  },
  examples: [{ description: 'Render ./skeleton', example: 'action: fetch:template\ninput:\n  url: ./skeleton\n  values:\n    name: ${{ parameters.name }}' }],
  handler: fetchTemplate,
};

/** `fetch:template:file` (Backstage's built-in of the same id). */
export const fetchTemplateFileAction: TemplateAction<FetchTemplateInput & { targetPath: string }> = {
  id: 'fetch:template:file',
  description: "Renders one of the template's files into the workspace.",
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['url', 'targetPath'],
      properties: {
        url: { type: 'string', description: "File to render, relative to the template's folder" },
        targetPath: { type: 'string', description: 'File path in the workspace to write' },
        ...renderOptionsSchema,
      },
    },
  },
  handler: fetchTemplateFile,
};
