/**
 * `catalog:write` (Backstage's catalog/write.ts): writes `entity` as YAML to `filePath` (default
 * `catalog-info.yaml`) in the workspace, adding the `backstage.io/source-template` annotation with the template's
 * ref as Backstage does.
 */
import YAML from 'yaml';
import type { ActionContext, TemplateAction } from '../types.js';
import { createWorkspaceWriter, resolveInside } from './workspace.js';

/** `catalog:write` input. */
export interface CatalogWriteInput {
  filePath?: string;
  entity: Record<string, unknown>;
}

async function catalogWrite(ctx: ActionContext<CatalogWriteInput>): Promise<void> {
  const filePath = ctx.input.filePath ?? 'catalog-info.yaml';
  const target = resolveInside(ctx.workspacePath, filePath, 'filePath');
  const entity = structuredClone(ctx.input.entity);
  const metadata = (entity.metadata ??= {}) as Record<string, unknown>;
  if (ctx.templateInfo.entityRef) {
    metadata.annotations = { 'backstage.io/source-template': ctx.templateInfo.entityRef, ...(metadata.annotations as object) };
  }
  const writer = await createWorkspaceWriter(ctx.workspacePath, ctx.limits);
  await writer.write(target, YAML.stringify(entity));
  ctx.log(`Wrote ${filePath}`);
}

/** `catalog:write`. */
export const catalogWriteAction: TemplateAction<CatalogWriteInput> = {
  id: 'catalog:write',
  description: 'Writes a catalog descriptor file into the workspace.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['entity'],
      properties: {
        filePath: { type: 'string', description: 'Where to write, relative to the workspace (default catalog-info.yaml)' },
        entity: { type: 'object', description: 'The entity to write' },
      },
    },
  },
  handler: catalogWrite,
};
