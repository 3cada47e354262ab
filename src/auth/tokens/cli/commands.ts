import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { apiClientFor, credentialsPath, normalizeServerUrl, writeCredential } from '../../../core/api-client.js';
import { TarmacError } from '../../../core/errors.js';
import type { MeResponse } from '../../identity/routes.js';
import type { CreatedToken } from '../service.js';
import type { TokenInfo } from '../storage.js';
import { formatTable, runCommand as run } from '../../../core/cli-kit.js';

/** Where CLI text goes (stdout for results, stderr for messages). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

const urlOf = (cmd: Command): string => (cmd.optsWithGlobals() as { url: string }).url;

/**
 * `tarmac login`: checks `token` against `GET /api/auth/me` on `url` and saves it in the credentials file.
 * @returns exit code 0
 * @throws TarmacError UNAUTHENTICATED when the server does not accept the token
 */
export async function login(url: string, token: string, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const trimmed = token.trim();
  if (!trimmed) throw new TarmacError('BAD_REQUEST', 'no token given');
  const me = (await apiClientFor(url, { env: { ...env, TARMAC_TOKEN: trimmed } }).request<MeResponse>('GET', '/api/auth/me')).body;
  if (me.principal.type !== 'token') throw new TarmacError('UNAUTHENTICATED', `${url} did not accept the token`);
  writeCredential(url, trimmed, env);
  const who = me.principal.displayName ? `${me.principal.displayName} (${me.principal.userRef ?? me.principal.actor})` : me.principal.actor;
  io.err(`Signed in to ${normalizeServerUrl(url)} as ${who}; token saved in ${credentialsPath(env)}\n`);
  return 0;
}

/** Reads the token: all of stdin when piped, else a prompt on the terminal that does not echo what is typed. */
async function readToken(url: string, io: CliIo): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text;
  }
  io.err(`Create a token in the portal at ${normalizeServerUrl(url)}/settings/tokens, then paste it here.\n`);
  let muted = false;
  const output = new Writable({ write: (chunk: Buffer, _enc, done) => { if (!muted) process.stderr.write(chunk); done(); } });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question('Token: ', resolve));
  muted = true;
  const token = await answer;
  rl.close();
  io.err('\n');
  return token;
}

const scopeList = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const days = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 365) throw new InvalidArgumentError('expected whole days from 1 to 365');
  return n;
};

/** One line per token: id, name, scopes, expiry, last use, state. */
export function formatTokens(items: TokenInfo[]): string {
  if (items.length === 0) return 'no API tokens\n';
  const rows = items.map((t) => [
    t.id, t.name, t.scopes.join(','), t.expiresAt.slice(0, 10), t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never',
    t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'active',
  ]);
  return `${formatTable(['ID', 'NAME', 'SCOPES', 'EXPIRES', 'LAST USED', 'STATE'], rows)}\n`;
}

/** Registers `tarmac login`, `tarmac logout` and `tarmac token create|list|revoke` (over HTTP, `--url`). */
export function registerTokenCommands(program: Command): void {
  program
    .command('login')
    .description('Save an API token for the CLI (create one in the portal at /settings/tokens); reads it from stdin or a prompt')
    .action(run(async (_opts: unknown, cmd: Command) => login(urlOf(cmd), await readToken(urlOf(cmd), processIo), processIo)));

  program
    .command('logout')
    .description('Forget the token saved for --url (revoke it in the portal or with `tarmac token revoke` to end it)')
    .action(run(async (_opts: unknown, cmd: Command) => {
      writeCredential(urlOf(cmd), undefined);
      processIo.err(`Forgot the token for ${normalizeServerUrl(urlOf(cmd))}\n`);
      return 0;
    }));

  const token = program.command('token').description('Create, list and revoke API tokens');
  token
    .command('create')
    .description('Create an API token (printed once: store it now)')
    .requiredOption('--name <name>', 'label shown in listings')
    .requiredOption('--scope <actions>', 'action or pattern the token may use (repeatable or comma-separated), e.g. catalog.entity.read, template.*', scopeList)
    .option('--owned-only', 'act only on entities you own')
    .addOption(new Option('--expires-in-days <days>', 'lifetime in days (1–365)').argParser(days).default(90))
    .option('--json', 'print the whole response as JSON')
    .action(run(async (opts: { name: string; scope: string[]; ownedOnly?: boolean; expiresInDays: number; json?: boolean }, cmd: Command) => {
      const body = { name: opts.name, scopes: opts.scope, ownedOnly: opts.ownedOnly === true, expiresInDays: opts.expiresInDays };
      const created = (await apiClientFor(urlOf(cmd)).request<CreatedToken>('POST', '/api/auth/tokens', { body })).body;
      if (opts.json) processIo.out(`${JSON.stringify(created, null, 2)}\n`);
      else {
        processIo.out(`${created.token}\n`);
        processIo.err(`Token ${created.id} "${created.name}" expires ${created.expiresAt}. It is shown only now.\n`);
      }
      return 0;
    }));
  token
    .command('list')
    .description('Your API tokens (admins: everyone\'s) with last-used time')
    .option('--json', 'print JSON')
    .action(run(async (opts: { json?: boolean }, cmd: Command) => {
      const { items } = (await apiClientFor(urlOf(cmd)).request<{ items: TokenInfo[] }>('GET', '/api/auth/tokens')).body;
      processIo.out(opts.json ? `${JSON.stringify(items, null, 2)}\n` : formatTokens(items));
      return 0;
    }));
  token
    .command('revoke')
    .description('Revoke an API token; it stops working at once')
    .argument('<id>', 'token id (from `tarmac token list`)')
    .action(run(async (id: string, _opts: unknown, cmd: Command) => {
      await apiClientFor(urlOf(cmd)).request('DELETE', `/api/auth/tokens/${encodeURIComponent(id)}`);
      processIo.err(`Revoked token ${id}\n`);
      return 0;
    }));
}
