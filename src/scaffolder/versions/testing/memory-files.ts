/**
 * Test helpers for versions and upgrades: template files held in memory (no engine needed).
 */
import { TarmacError } from '../../../core/errors.js';
import type { TemplateFiles } from '../../types.js';

/** TemplateFiles over a path → content record (strings are UTF-8). */
export function memoryTemplateFiles(files: Record<string, string | Buffer>): TemplateFiles {
  const map = new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]));
  return {
    list: async (dir) => {
      const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
      return [...map.keys()].filter((p) => p.startsWith(prefix)).sort();
    },
    read: async (file) => {
      const bytes = map.get(file);
      if (!bytes) throw new TarmacError('NOT_FOUND', `no file ${file}`);
      return bytes;
    },
    describe: () => 'memory',
  };
}
