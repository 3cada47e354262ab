/**
 * `fs:rename` and `fs:delete` inside the workspace (Backstage's filesystem/rename.ts and delete.ts). Every path is
 * resolved under the workspace; `..` and absolute paths are refused.
 */
import { lstat, mkdir, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { TarmacError } from '../../core/errors.js';
import type { ActionContext, TemplateAction } from '../types.js';
import { throwIfAborted } from './fetch-common.js';
import { resolveInside } from './workspace.js';

/** `fs:rename` input. */
export interface RenameInput {
  files: Array<{ from: string; to: string; overwrite?: boolean }>;
}

async function renameFiles(ctx: ActionContext<RenameInput>): Promise<void> {
  const realWorkspace = await realpath(ctx.workspacePath);
  for (const [i, file] of ctx.input.files.entries()) {
    throwIfAborted(ctx.signal);
    const from = resolveInside(ctx.workspacePath, file.from, `files[${i}].from`);
    const to = resolveInside(ctx.workspacePath, file.to, `files[${i}].to`);
    if (!(await lstat(from).catch(() => undefined))) {
      throw new TarmacError('NOT_FOUND', `files[${i}].from "${file.from}" does not exist in the workspace`);
    }
    if ((await lstat(to).catch(() => undefined)) && !file.overwrite) {
      throw new TarmacError('CONFLICT', `files[${i}].to "${file.to}" already exists (set overwrite: true to replace it)`);
    }
    await mkdir(path.dirname(to), { recursive: true });
    const parent = await realpath(path.dirname(to));
    if (parent !== realWorkspace && !parent.startsWith(realWorkspace + path.sep)) {
      throw new TarmacError('BAD_REQUEST', `files[${i}].to "${file.to}" leads outside the workspace`);
    }
    if (file.overwrite) await rm(to, { recursive: true, force: true });
    await rename(from, to);
    ctx.log(`Renamed ${file.from} to ${file.to}`);
  }
}

/** `fs:delete` input: globs relative to the workspace. */
export interface DeleteInput {
  files: string[];
}

async function deleteFiles(ctx: ActionContext<DeleteInput>): Promise<void> {
  for (const [i, pattern] of ctx.input.files.entries()) {
    throwIfAborted(ctx.signal);
    resolveInside(ctx.workspacePath, pattern, `files[${i}]`);
    if (pattern.split(/[\\/]/).includes('..')) throw new TarmacError('BAD_REQUEST', `files[${i}] "${pattern}" may not contain ".."`);
    const matches = await fg(pattern, { cwd: ctx.workspacePath, dot: true, onlyFiles: false, followSymbolicLinks: false });
    for (const rel of matches) {
      await rm(resolveInside(ctx.workspacePath, rel, `files[${i}] match`), { recursive: true, force: true });
      ctx.log(`Deleted ${rel}`);
    }
  }
}

/** `fs:rename`. */
export const renameAction: TemplateAction<RenameInput> = {
  id: 'fs:rename',
  description: 'Renames files or folders in the workspace.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['files'],
      properties: {
        files: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'to'],
            properties: {
              from: { type: 'string', description: 'Path to rename, relative to the workspace' },
              to: { type: 'string', description: 'New path, relative to the workspace' },
              overwrite: { type: 'boolean', description: 'Replace `to` when it exists (default false)' },
            },
          },
        },
      },
    },
  },
  handler: renameFiles,
};

/** `fs:delete`. */
export const deleteAction: TemplateAction<DeleteInput> = {
  id: 'fs:delete',
  description: 'Deletes files or folders (globs) from the workspace.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['files'],
      properties: { files: { type: 'array', items: { type: 'string' }, description: 'Globs relative to the workspace' } },
    },
  },
  handler: deleteFiles,
};
