// The git side of the publishers: credentials reach git over HTTP only through the credential helper (checked with a
// loopback server demanding Basic auth), never in a URL, a command line or an error; repository locations parse.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import type { TarmacError } from '../../core/errors.js';
import { scrub } from './errors.js';
import { resolveInside } from '../actions/workspace.js';
import { checkBranch, initAndPush } from './git.js';
import { hostPublishActions } from './index.js';
import { parseRepoTarget } from './target.js';
import { tempDir, writeFiles } from './testing/git-repos.js';

const TOKEN = 'ghp_TESTONLY1111111111111111111111111111';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('git credentials', () => {
  it('answers an HTTP Basic challenge with the token from the credential helper, and keeps it out of the error', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="tarmac-test"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;
    const dir = await tempDir('cred');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFiles(`${dir}/ws`, { 'README.md': 'x\n' });

    const remoteUrl = `http://127.0.0.1:${port}/kestrel/x.git`;
    const err = (await initAndPush({
      sourceDir: `${dir}/ws`, workDir: `${dir}/work`, remoteUrl, branch: 'main',
      auth: { username: 'x-access-token', token: TOKEN }, author: { name: 'T', email: 't@example.invalid' },
      message: 'm', signal: new AbortController().signal,
    }).catch((e: unknown) => e)) as TarmacError;

    const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    // git's smart HTTP: an anonymous probe, then the same request with the helper's credentials.
    expect(seen[0]).toBe('GET /kestrel/x.git/info/refs?service=git-receive-pack -');
    expect(seen).toContain(`GET /kestrel/x.git/info/refs?service=git-receive-pack ${basic}`);
    expect(err.code).toBe('UPSTREAM_FAILED');
    expect(err.message.startsWith(`pushing to ${remoteUrl} failed: `)).toBe(true);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
  });
});

describe('scrub', () => {
  it('removes the token and URL credentials', () => {
    expect(scrub(`fatal: unable to access 'https://x-access-token:${TOKEN}@github.com/o/r.git/': 403 ${TOKEN}`, TOKEN)).toBe(
      "fatal: unable to access 'https://[redacted]@github.com/o/r.git/': 403 [redacted]",
    );
    expect(scrub('ssh://git@host/o/r and http://u:p@h/x')).toBe('ssh://[redacted]@host/o/r and http://[redacted]@h/x');
  });
});

describe('resolveInside (the workspace rule the publishers share)', () => {
  it('keeps paths inside the root and refuses the rest', () => {
    expect(resolveInside('/w', undefined, 'sourcePath')).toBe('/w');
    expect(resolveInside('/w', '.', 'sourcePath')).toBe('/w');
    expect(resolveInside('/w', 'a/b', 'sourcePath')).toBe('/w/a/b');
    for (const bad of ['..', '../x', 'a/../../x']) expect(() => resolveInside('/w', bad, 'sourcePath')).toThrow(`sourcePath "${bad}" leaves the workspace`);
    expect(() => resolveInside('/w', '/etc', 'sourcePath')).toThrow('sourcePath "/etc" must be relative to the workspace');
  });
});

describe('checkBranch', () => {
  it('accepts plain branch names and refuses the rest, naming the field', () => {
    for (const ok of ['main', 'feature/x-1', 'release-1.2', 'tarmac/upgrade-v3']) expect(() => checkBranch(ok, 'b')).not.toThrow();
    for (const bad of ['', '-x', '/x', '.x', 'a..b', 'a//b', 'x/', 'x.', 'a b', 'a~1', 'x'.repeat(201)]) {
      expect(() => checkBranch(bad, 'defaultBranch')).toThrow(`defaultBranch "${bad}" is not a valid branch name`);
    }
  });
});

describe('parseRepoTarget', () => {
  it('reads RepoUrlPicker values and https URLs (GitLab subgroups included)', () => {
    expect(parseRepoTarget('github.com?owner=kestrel&repo=trip-planner')).toEqual({ host: 'github.com', owner: 'kestrel', repo: 'trip-planner' });
    expect(parseRepoTarget('gitlab.example.com:8443?repo=r&owner=g%2Fsub')).toEqual({ host: 'gitlab.example.com:8443', owner: 'g/sub', repo: 'r' });
    expect(parseRepoTarget('https://gitlab.com/g/sub/r.git')).toEqual({ host: 'gitlab.com', owner: 'g/sub', repo: 'r' });
  });

  it('names the problem', () => {
    expect(() => parseRepoTarget('github.com?repo=r')).toThrow('repoUrl "github.com?repo=r": owner is missing');
    expect(() => parseRepoTarget('github.com?owner=o')).toThrow('repoUrl "github.com?owner=o": repo is missing');
    expect(() => parseRepoTarget('github.com?owner=o&repo=..')).toThrow('repo ".." is not a valid name');
    expect(() => parseRepoTarget('?owner=o&repo=r')).toThrow('expected "host?owner=<owner>&repo=<repo>"');
  });
});

describe('hostPublishActions', () => {
  it('gives the four actions, none in dry-runs, with input schemas that compile and hold Backstage inputs', () => {
    const actions = hostPublishActions(defaultConfig());
    expect(actions.map((a) => a.id)).toEqual(['publish:github', 'publish:gitlab', 'publish:github:pull-request', 'publish:gitlab:merge-request']);
    const ajv = new Ajv({ strict: false });
    for (const a of actions) {
      expect(a.supportsDryRun, a.id).toBe(false);
      const validate = ajv.compile(a.schema.input);
      expect(validate({ repoUrl: 'github.com?owner=o&repo=r', branchName: 'b', title: 't', description: 'd' }), a.id).toBe(true);
      expect(validate({}), a.id).toBe(false);
    }
  });
});
