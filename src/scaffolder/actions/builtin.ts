/** The built-in file actions, in the order `GET /v2/actions` lists them. */
import type { TemplateAction } from '../types.js';
import { catalogWriteAction } from './catalog-write.js';
import { debugLogAction } from './debug-log.js';
import { fetchPlainAction, fetchPlainFileAction } from './fetch-plain.js';
import { fetchTemplateAction, fetchTemplateFileAction } from './fetch-template.js';
import { deleteAction, renameAction } from './fs.js';

/** fetch:template, fetch:template:file, fetch:plain, fetch:plain:file, fs:rename, fs:delete, debug:log, catalog:write. */
export function builtinActions(): TemplateAction[] {
  return [
    fetchTemplateAction,
    fetchTemplateFileAction,
    fetchPlainAction,
    fetchPlainFileAction,
    renameAction,
    deleteAction,
    debugLogAction,
    catalogWriteAction,
  ] as unknown as TemplateAction[];
}
