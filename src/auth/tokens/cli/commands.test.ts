import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../cli/testing/run-cli.js';
import { credentialsPath } from '../../../core/api-client.js';
import { testEngines } from '../../../core/testing/databases.js';
import { startTestTarmac, type TestTarmac } from '../../../../test/helpers/tarmac.js';
import { login } from './commands.js';

describe.each(testEngines())('tarmac login / token (%s)', (engine) => {
  let t: TestTarmac;
  let configHome: string;
  const saved = { xdg: process.env.XDG_CONFIG_HOME, token: process.env.TARMAC_TOKEN };

  beforeAll(async () => {
    t = await startTestTarmac(engine, [], (c) => {
      c.auth.oidc = { issuer: 'http://127.0.0.1:9', clientId: 'tarmac', scopes: ['openid'], userMatch: 'email' };
    });
    configHome = mkdtempSync(path.join(os.tmpdir(), 'tarmac-cli-auth-'));
    process.env.XDG_CONFIG_HOME = configHome;
    delete process.env.TARMAC_TOKEN;
  }, 120_000);
  afterAll(async () => {
    process.env.XDG_CONFIG_HOME = saved.xdg;
    if (saved.token !== undefined) process.env.TARMAC_TOKEN = saved.token;
    rmSync(configHome, { recursive: true, force: true });
    await t?.close();
  });

  it('refuses a token the server does not accept, saves nothing', async () => {
    const io = { out: vi.fn(), err: vi.fn() };
    await expect(login(t.url, 'tmk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', io)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'invalid or expired API token (UNAUTHENTICATED) — run `tarmac login` or set TARMAC_TOKEN',
    });
    expect(() => statSync(credentialsPath())).toThrow();
  });

  it('login saves the token (mode 0600, keyed by URL); token create/list/revoke then use it; logout forgets it', async () => {
    const jane = await t.auth.createToken({ userRef: 'user:default/jane', name: 'laptop', scopes: ['token.*', 'catalog.entity.read'], createdBy: 'user:default/jane' });
    const io = { out: vi.fn(), err: vi.fn() };
    expect(await login(`${t.url}/`, `${jane.token}\n`, io)).toBe(0);
    expect(String(io.err.mock.calls[0]?.[0])).toContain(`Signed in to ${t.url} as token:${jane.id}`);
    const file = credentialsPath();
    expect(file).toBe(path.join(configHome, 'tarmac', 'credentials.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ servers: { [t.url]: { token: jane.token } } });

    const created = await runCli(['token', 'create', '--url', t.url, '--name', 'ci', '--scope', 'catalog.entity.read', '--expires-in-days', '30']);
    expect(created.code, created.stderr).toBe(0);
    const newToken = created.stdout.trim();
    expect(newToken).toMatch(/^tmk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const newId = newToken.slice(4, 20);
    expect(created.stderr).toContain(`Token ${newId} "ci" expires`);

    const listed = await runCli(['token', 'list', '--url', t.url]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${newId}\\s+ci\\s+catalog\\.entity\\.read\\s+\\S+\\s+never\\s+active$`, 'm'));
    expect(listed.stdout).toContain(jane.id);
    expect(listed.stdout).not.toContain(newToken.slice(21));

    const revoked = await runCli(['token', 'revoke', '--url', t.url, newId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await runCli(['token', 'list', '--url', t.url, '--json']);
    expect((JSON.parse(after.stdout) as Array<{ id: string; revokedAt: string | null }>).find((i) => i.id === newId)?.revokedAt).not.toBeNull();

    expect((await runCli(['logout', '--url', t.url])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ servers: {} });
    const anonymous = await runCli(['token', 'create', '--url', t.url, '--name', 'x', '--scope', 'catalog.entity.read']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/^tarmac: /);
  });
});
