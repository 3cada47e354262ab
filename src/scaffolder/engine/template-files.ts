/**
 * `TemplateFiles` sources: a template's folder on disk, or the `directoryContents` of a dry-run request.
 * Paths are POSIX and relative to the template's folder; `..`, absolute paths and symbolic links are refused
 * (issue 3 "Safety": no output path may leave the workspace, symlinks in a skeleton are refused).
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { TarmacError } from '../../core/errors.js';
import type { TemplateFiles } from '../types.js';

/**
 * Normalises a template-relative path (`./skeleton/` → `skeleton`, '' or '.' → '').
 * @throws TarmacError BAD_REQUEST for absolute paths and paths leaving the template's folder
 */
export function normalizeTemplatePath(p: string, what = 'path'): string {
  const posix = p.replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[a-zA-Z]:/.test(posix)) {
    throw new TarmacError('BAD_REQUEST', `${what} "${p}" must be relative to the template's folder`);
  }
  const norm = path.posix.normalize(posix === '' ? '.' : posix).replace(/\/+$/, '');
  if (norm === '..' || norm.startsWith('../')) {
    throw new TarmacError('BAD_REQUEST', `${what} "${p}" leaves the template's folder`);
  }
  return norm === '.' ? '' : norm;
}

function under(files: string[], dir: string): string[] {
  const d = normalizeTemplatePath(dir);
  const prefix = d === '' ? '' : `${d}/`;
  return files.filter((f) => f.startsWith(prefix)).sort();
}

/**
 * Template files read from `dir` (the folder holding template.yaml). `list` reports symbolic links as files so
 * that fetching them fails loudly; `read` refuses a link or a path whose real location is outside `dir`.
 */
export function templateFilesFromDirectory(dir: string): TemplateFiles {
  const root = path.resolve(dir);
  let realRoot: Promise<string> | undefined;
  return {
    async list(sub) {
      const start = path.join(root, normalizeTemplatePath(sub, 'folder'));
      const st = await lstat(start).catch(() => undefined);
      if (st?.isSymbolicLink()) {
        throw new TarmacError('BAD_REQUEST', `Template folder "${sub}" is a symbolic link; links in templates are refused`);
      }
      if (!st?.isDirectory()) return [];
      const entries = await fg('**/*', { cwd: start, dot: true, onlyFiles: false, followSymbolicLinks: false, objectMode: true });
      const rel = path.relative(root, start).split(path.sep).join('/');
      return entries
        .filter((e) => !e.dirent.isDirectory())
        .map((e) => (rel ? `${rel}/${e.path}` : e.path))
        .sort();
    },
    async read(file) {
      const rel = normalizeTemplatePath(file, 'file');
      const abs = path.join(root, rel);
      let st;
      try {
        st = await lstat(abs);
      } catch {
        throw new TarmacError('NOT_FOUND', `Template file "${rel}" not found in ${root}`);
      }
      if (st.isSymbolicLink()) {
        throw new TarmacError('BAD_REQUEST', `Template file "${rel}" is a symbolic link; links in templates are refused`);
      }
      if (!st.isFile()) throw new TarmacError('NOT_FOUND', `Template file "${rel}" is not a file`);
      realRoot ??= realpath(root);
      const real = await realpath(abs);
      const base = await realRoot;
      if (real !== base && !real.startsWith(base + path.sep)) {
        throw new TarmacError('BAD_REQUEST', `Template file "${rel}" resolves outside the template's folder`);
      }
      return readFile(abs);
    },
    describe: () => `file:${root}/`,
    async mode(file) {
      const st = await lstat(path.join(root, normalizeTemplatePath(file, 'file'))).catch(() => undefined);
      // Only "executable or not" travels, as in git: 0o755 or 0o644 (a read-only skeleton stays writable).
      return st?.isFile() ? (st.mode & 0o111 ? 0o755 : 0o644) : undefined;
    },
  };
}

/**
 * Template files given inline (`POST /v2/dry-run` `directoryContents`).
 * @throws TarmacError BAD_REQUEST naming the first bad path (absolute or with `..`) or duplicate
 */
export function templateFilesFromContents(items: Array<{ path: string; base64Content: string }>): TemplateFiles {
  const files = new Map<string, Buffer>();
  items.forEach((item, i) => {
    const p = normalizeTemplatePath(String(item.path ?? ''), `directoryContents[${i}].path`);
    if (p === '') throw new TarmacError('BAD_REQUEST', `directoryContents[${i}].path is empty`);
    if (files.has(p)) throw new TarmacError('BAD_REQUEST', `directoryContents[${i}].path "${p}" is listed twice`);
    files.set(p, Buffer.from(String(item.base64Content ?? ''), 'base64'));
  });
  const all = [...files.keys()];
  return {
    list: async (dir) => under(all, dir),
    async read(file) {
      const content = files.get(normalizeTemplatePath(file, 'file'));
      if (!content) throw new TarmacError('NOT_FOUND', `Template file "${file}" not found in the dry-run's directoryContents`);
      return Buffer.from(content);
    },
    describe: () => 'dry-run directoryContents',
  };
}
