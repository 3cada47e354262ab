// Where upgrades clone from and as whom: the local publisher's bare repositories, or the host's clone URL with the
// configured token as the publishers send it (usernames per GitHub/GitLab docs), anonymous when no token is set;
// git failures come back without credentials.
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TarmacConfig } from '../../core/config.js';
import type { TarmacError } from '../../core/errors.js';
import { gitStep, remoteOf } from './git.js';
import type { ScaffoldedRepository } from './types.js';

const TOKEN = 'glpat-TESTONLY22222222222';

function repoOf(publisher: ScaffoldedRepository['publisher'], repoUrl: string, remoteUrl: string): ScaffoldedRepository {
  return {
    templateRef: 'template:default/svc', version: 'v', repoUrl, remoteUrl, publisher, taskId: 't',
    versionNumber: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', lastUpgrade: null,
  };
}

function configWith(integrations: Partial<TarmacConfig['integrations']>): TarmacConfig {
  const config = defaultConfig();
  return { ...config, dataDir: '/data', integrations: { ...config.integrations, ...integrations } };
}

describe('remoteOf', () => {
  it('uses the bare repository of publish:git', () => {
    expect(remoteOf(repoOf('git', 'localhost?owner=o&repo=r', 'http://localhost:7007/git/o/r.git'), configWith({}))).toEqual({
      url: '/data/repos/o/r.git',
    });
  });

  it('authenticates as x-access-token (GitHub) and oauth2 (GitLab) with the host token', () => {
    const config = configWith({ github: [{ host: 'github.com', token: TOKEN }], gitlab: [{ host: 'gitlab.example.com', token: TOKEN }] });
    expect(remoteOf(repoOf('github', 'github.com?owner=o&repo=r', 'https://github.com/o/r.git'), config)).toEqual({
      url: 'https://github.com/o/r.git', auth: { username: 'x-access-token', token: TOKEN },
    });
    expect(remoteOf(repoOf('gitlab', 'gitlab.example.com?owner=g/sub&repo=r', 'https://gitlab.example.com/g/sub/r.git'), config)).toEqual({
      url: 'https://gitlab.example.com/g/sub/r.git', auth: { username: 'oauth2', token: TOKEN },
    });
  });

  it('goes on anonymously when the host has no integration or no token', () => {
    const config = configWith({ github: [{ host: 'github.example.com' }] });
    expect(remoteOf(repoOf('github', 'github.com?owner=o&repo=r', 'https://github.com/o/r.git'), config)).toEqual({ url: 'https://github.com/o/r.git' });
    expect(remoteOf(repoOf('github', 'github.example.com?owner=o&repo=r', 'https://github.example.com/o/r.git'), config)).toEqual({
      url: 'https://github.example.com/o/r.git',
    });
  });
});

describe('gitStep', () => {
  it('names the step and keeps the token and URL credentials out of the message', async () => {
    const remote = { url: 'https://gitlab.example.com/g/r.git', auth: { username: 'oauth2', token: TOKEN } };
    const err = (await gitStep('push', remote, () =>
      Promise.reject(new Error(`fatal: unable to access 'https://oauth2:${TOKEN}@gitlab.example.com/g/r.git/': 403\nsaw ${TOKEN}`)),
    ).catch((e: unknown) => e)) as TarmacError;
    expect(err.code).toBe('UPSTREAM_FAILED');
    expect(err.message).toBe(
      "git push of https://gitlab.example.com/g/r.git failed: fatal: unable to access 'https://[redacted]@gitlab.example.com/g/r.git/': 403 saw [redacted]",
    );
  });
});
