import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../core/config.js';
import { processLocation } from '../process-location.js';
import { component, docs, location, tempTree, type TempTree } from '../testing/trees.js';
import { createGitReader } from './git.js';
import { createReaders } from './index.js';

/** A real repository made with the system git in a temp folder. */
let repo: TempTree;
let data: TempTree;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd: repo.dir,
    stdio: 'pipe',
  }).toString();
const commit = (msg: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', msg);
};

beforeAll(() => {
  repo = tempTree({
    'catalog-info.yaml': docs(component('svc-a'), location('more', ['./extra/*.yaml'])),
    'extra/one.yaml': component('one'),
    'team/catalog-info.yaml': docs(component('svc-b', { extra: '  providesApis: [api-b]' })),
  });
  data = tempTree();
  git('init', '-q', '-b', 'main');
  commit('first');
});
afterAll(() => {
  repo.remove();
  data.remove();
});

const reading = defaultConfig().catalog.reading;

describe('git reader', () => {
  it('clones a local repository and reads the default glob, then follows Location targets inside it', async () => {
    const readers = createReaders({ reading, dataDir: data.dir });
    const out = await processLocation({ type: 'git', target: repo.dir }, { readers });
    expect(out.result.errors).toEqual([]);
    expect(out.result.entities.map((e) => e.ref)).toEqual([
      'component:default/svc-a',
      'location:default/more',
      'component:default/one', // depth first: what a file's Location leads to comes before the next root file
      'component:default/svc-b',
    ]);
    const a = out.result.entities[0];
    expect(a?.entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `git:${repo.dir}/blob/main/catalog-info.yaml`,
      'backstage.io/managed-by-origin-location': `git:${repo.dir}`,
    });
    expect(out.result.entities[2]?.source.file).toBe(`git:${repo.dir}/blob/main/extra/one.yaml`);
  });

  it('fetches new commits on the next read: changed, added and removed files show up', async () => {
    const readers = createReaders({ reading, dataDir: data.dir });
    const target = pathToFileURL(repo.dir).href; // file:// works too
    const first = await processLocation({ type: 'git', target, branch: 'main' }, { readers });
    expect(first.result.entities).toHaveLength(4);
    repo.write({ 'catalog-info.yaml': docs(component('svc-a', { description: 'changed' })) });
    rmSync(repo.p('team/catalog-info.yaml'));
    repo.write({ 'new/catalog-info.yaml': component('svc-c') });
    commit('second');
    const second = await processLocation({ type: 'git', target, branch: 'main' }, { readers });
    expect(second.result.errors).toEqual([]);
    expect(second.result.entities.map((e) => e.ref)).toEqual(['component:default/svc-a', 'component:default/svc-c']);
    expect(second.result.entities[0]?.entity.metadata.description).toBe('changed');
  });

  it('uses the last fetched commit, with an error, when the remote is gone', async () => {
    const other = tempTree({ 'catalog-info.yaml': component('kept') });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: other.dir });
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@e', 'add', '-A'], { cwd: other.dir });
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'x'], { cwd: other.dir });
    const readers = createReaders({ reading, dataDir: data.dir });
    await processLocation({ type: 'git', target: other.dir }, { readers });
    other.remove();
    const out = await processLocation({ type: 'git', target: other.dir }, { readers });
    expect(out.result.entities.map((e) => e.ref)).toEqual(['component:default/kept']);
    expect(out.result.errors).toHaveLength(1);
    expect(out.result.errors[0]).toMatchObject({ code: 'fetch', sourceFile: `git:${other.dir}` });
    expect(out.result.errors[0]?.message).toMatch(/^git fetch of .* failed: .*; using the last fetched commit [0-9a-f]{12}$/);
  });

  it('refuses remote hosts that are not allowed, bad branches and odd protocols, before running git', async () => {
    const reader = createGitReader({ dataDir: data.dir, reading });
    await expect(reader.checkout('https://git.example.com/org/repo.git')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'host git.example.com is not in catalog.reading.allow',
    });
    await expect(reader.checkout('git@git.example.com:org/repo.git')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reader.checkout(repo.dir, '--upload-pack=touch /tmp/x')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(reader.checkout('ext::sh -c touch% /tmp/pwned')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(reader.checkout('relative/path')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('never shows credentials of a repository URL in errors or keys', async () => {
    const reader = createGitReader({ dataDir: data.dir, reading: { ...reading, allow: ['127.0.0.1:9'] } });
    const err = await reader.checkout('http://user:s3cret@127.0.0.1:9/org/repo.git').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UPSTREAM_FAILED' });
    expect(String((err as Error).message)).toMatch(/^git clone of http:\/\/\[redacted\]@127\.0\.0\.1:9\/org\/repo\.git failed: /);
    expect(String((err as Error).message)).not.toContain('s3cret');
  });

  it('never reads outside the checkout, even through a symlink', async () => {
    symlinkSync('/etc/hostname', repo.p('link.yaml'));
    commit('symlink');
    const reader = createGitReader({ dataDir: data.dir, reading });
    const checkout = await reader.checkout(repo.dir); // an update without a branch: fetches the remote's HEAD
    expect(checkout.stale).toBeUndefined();
    expect(checkout.commit).toBe(git('rev-parse', 'HEAD').trim());
    expect(checkout.branch).toBe('main');
    await expect(checkout.readFile('link.yaml')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(checkout.readFile('../../etc/hostname')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reports a missing repository as a fetch error on the root', async () => {
    const readers = createReaders({ reading, dataDir: data.dir });
    const out = await processLocation({ type: 'git', target: repo.p('does-not-exist') }, { readers });
    expect(out.rootFailed).toBe(true);
    expect(out.result.errors).toMatchObject([{ code: 'fetch', sourceFile: `git:${repo.p('does-not-exist')}` }]);
    expect(out.result.errors[0]?.message).toMatch(/^git clone of .*does-not-exist failed: /);
  });
});
