/**
 * A real OpenID provider for the identity tests: `oidc-provider` on 127.0.0.1 with one confidential client
 * (`tarmac`, PKCE required), its built-in development login and consent pages (`devInteractions`), and a fixed set
 * of accounts. The HTTP server starts first (so its issuer URL is known when Tarmac is configured); the provider
 * itself is created once Tarmac's callback URL is known (`configure`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** An account the provider knows: the login name typed on its login page, and its claims. */
export interface TestAccount {
  email: string;
  name: string;
}

/** Client credentials Tarmac is configured with. */
export const CLIENT_ID = 'tarmac';
export const CLIENT_SECRET = 'tarmac-test-client-secret-0123456789';

/** A provider listening on loopback. */
export interface TestProvider {
  /** `http://127.0.0.1:<port>` */
  issuer: string;
  /** Creates (or re-creates) the provider with `redirectUris` as the client's redirect URIs. */
  configure(redirectUris: string[]): void;
  close(): Promise<void>;
}

/** Starts the HTTP server of a provider with these accounts (keyed by login name). */
export async function startTestProvider(accounts: Record<string, TestAccount>): Promise<TestProvider> {
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  const server = http.createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end('provider not configured');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    configure: (redirectUris) => {
      const provider = new Provider(issuer, {
        clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
        cookies: { keys: ['identity-test-cookie-key'] },
        features: { devInteractions: { enabled: true } },
        findAccount: (_ctx, id) => {
          const a = accounts[id];
          if (!a) return undefined;
          return { accountId: id, claims: () => ({ sub: id, email: a.email, email_verified: true, name: a.name, preferred_username: id }) };
        },
      });
      handler = provider.callback();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
