/**
 * `debug:log` (Backstage's debug/log.ts): writes `message` to the step log and, with `listWorkspace`, the
 * workspace's files (`true` / `'with-filenames'`) or files and contents (`'with-contents'`, text files only).
 * Secrets are masked by the engine before any line reaches the log.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionContext, TemplateAction } from '../types.js';
import { isBinary } from './fetch-common.js';
import { listFiles } from './workspace.js';

/** `debug:log` input. */
export interface DebugLogInput {
  message?: string;
  listWorkspace?: boolean | 'with-filenames' | 'with-contents';
}

/** Longest file content printed by `with-contents` (bytes). */
const MAX_PRINTED_BYTES = 64 * 1024;

async function debugLog(ctx: ActionContext<DebugLogInput>): Promise<void> {
  if (ctx.input.message) ctx.log(ctx.input.message);
  const mode = ctx.input.listWorkspace;
  if (!mode) return;
  const files = await listFiles(ctx.workspacePath);
  if (mode !== 'with-contents') {
    ctx.log(`Workspace:\n${files.map((f) => `  - ${f.rel}`).join('\n')}`);
    return;
  }
  const parts: string[] = [];
  for (const f of files) {
    const content = await readFile(path.join(ctx.workspacePath, f.rel)).catch(() => Buffer.alloc(0));
    const text = isBinary(content) ? '(binary)' : content.subarray(0, MAX_PRINTED_BYTES).toString('utf8');
    parts.push(`  - ${f.rel}:\n${text}`);
  }
  ctx.log(`Workspace:\n${parts.join('\n')}`);
}

/** `debug:log`. */
export const debugLogAction: TemplateAction<DebugLogInput> = {
  id: 'debug:log',
  description: 'Writes a message into the log, optionally listing the workspace.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      properties: {
        message: { type: 'string', description: 'Message to output' },
        listWorkspace: {
          description: 'List the workspace files (true or "with-filenames") or files and contents ("with-contents")',
          oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['with-filenames', 'with-contents'] }],
        },
      },
    },
  },
  handler: debugLog,
};
