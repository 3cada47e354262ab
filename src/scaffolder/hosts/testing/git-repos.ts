/** Real git repositories in temp folders for the publisher tests. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleGit } from 'simple-git';
import type { TarmacConfig } from '../../../core/config.js';
import { defaultConfig } from '../../../core/config.js';

/** A temp folder. */
export const tempDir = (prefix: string): Promise<string> => mkdtemp(path.join(tmpdir(), `tarmac-${prefix}-`));

/** Writes `files` (relative path → text) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

/** Creates an empty bare repository `<root>/<name>.git`; returns its folder and `file://` URL. */
export async function bareRepo(root: string, name: string): Promise<{ dir: string; url: string }> {
  const dir = path.join(root, `${name}.git`);
  await simpleGit().raw(['init', '--bare', '--initial-branch=main', dir]);
  return { dir, url: pathToFileURL(dir).href };
}

/** Commits `files` onto `branch` of the bare repository at `url` (one commit); returns its hash. */
export async function seed(url: string, branch: string, files: Record<string, string>): Promise<string> {
  const work = await tempDir('seed');
  await writeFiles(work, files);
  const git = simpleGit(work);
  await git.init(['--initial-branch', branch]);
  await git.addConfig('user.name', 'Seed').addConfig('user.email', 'seed@example.invalid');
  await git.add(['-A']).commit('seed');
  await git.push(url, `HEAD:refs/heads/${branch}`);
  return (await git.revparse(['HEAD'])).trim();
}

/** Reads a bare repository: files of a branch, one file's text, the tip commit. */
export function inspect(bareDir: string) {
  const git = simpleGit(bareDir);
  return {
    files: async (branch: string) => (await git.raw(['ls-tree', '-r', '--name-only', branch])).split('\n').filter(Boolean).sort(),
    show: (branch: string, file: string) => git.show([`${branch}:${file}`]),
    tip: async (branch: string) => (await git.revparse([branch])).trim(),
    /** `author name <email>|subject|parents` of the tip of `branch`. */
    head: async (branch: string) => (await git.raw(['log', '-1', '--format=%an <%ae>|%s|%P', branch])).trim(),
    branches: async () => (await git.raw(['for-each-ref', '--format=%(refname:short)', 'refs/heads'])).split('\n').filter(Boolean).sort(),
  };
}

/** Default config with the given integrations. */
export function configWith(integrations: Partial<TarmacConfig['integrations']>): TarmacConfig {
  const c = defaultConfig();
  return { ...c, integrations: { ...c.integrations, ...integrations } };
}
