import * as client from 'openid-client';
import type { OidcConfig } from '../../core/config.js';
import { TarmacError, errorMessage } from '../../core/errors.js';
import type { PendingSignIn } from './storage.js';

/** Timeout of discovery and token requests to the provider, in seconds. */
export const PROVIDER_TIMEOUT_SECONDS = 10;

/**
 * The OpenID Connect relying party, on openid-client v6 (OpenID-certified): authorization code flow with PKCE
 * (S256), `state` and `nonce` (OpenID Connect Core 1.0 §3.1; RFC 7636). Discovery is lazy — done at the first
 * sign-in, cached, and retried at the next sign-in when it failed — so Tarmac starts while the provider is down.
 */
export class OidcClient {
  private discovered: Promise<client.Configuration> | undefined;

  constructor(private readonly oidc: OidcConfig) {}

  /**
   * Starts a sign-in: fresh state, nonce and PKCE verifier, and the provider URL to send the browser to.
   * @param redirectUri `<baseUrl>/api/auth/callback`
   * @throws TarmacError UPSTREAM_FAILED when the provider's discovery document cannot be read
   */
  async begin(redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier, returnTo };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.oidc.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Finishes a sign-in: checks the callback's state, exchanges the code (with the PKCE verifier), validates the ID
   * token (signature, issuer, audience, expiry, nonce), and returns its claims — completed from the UserInfo endpoint
   * when the ID token lacks `email`/`preferred_username`/`name` (providers may put them only there).
   * @param callbackUrl the full URL the provider redirected to
   * @throws TarmacError UNAUTHENTICATED when the provider reports an error or any check fails
   */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<Record<string, unknown>> {
    const config = await this.configuration();
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = { ...(tokens.claims() ?? {}) } as Record<string, unknown>;
      const wanted = [this.oidc.claim ?? (this.oidc.userMatch === 'email' ? 'email' : 'preferred_username'), 'name'];
      if (wanted.some((c) => claims[c] === undefined) && tokens.access_token && typeof claims.sub === 'string') {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        for (const [k, v] of Object.entries(info)) if (claims[k] === undefined) claims[k] = v;
      }
      return claims;
    } catch (err) {
      throw new TarmacError('UNAUTHENTICATED', `sign-in failed: ${describe(err)}`, { cause: err });
    }
  }

  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret, allowInsecureIssuer } = this.oidc;
      const attempt = client
        // client_secret_basic: the default of OpenID Connect Dynamic Client Registration §2, which every provider takes.
        .discovery(new URL(issuer), clientId, undefined, clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(), {
          timeout: PROVIDER_TIMEOUT_SECONDS,
          ...(allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : {}),
        })
        .catch((err: unknown) => {
          // Forget the failure so that the next sign-in tries again.
          this.discovered = undefined;
          throw new TarmacError('UPSTREAM_FAILED', `cannot read the identity provider's configuration at ${issuer}: ${errorMessage(err)}`, { cause: err });
        });
      this.discovered = attempt;
    }
    return this.discovered;
  }
}

/** A short reason for a failed code exchange, without tokens or codes. */
function describe(err: unknown): string {
  if (err instanceof client.AuthorizationResponseError) return `the identity provider answered "${err.error}"${err.error_description ? `: ${err.error_description}` : ''}`;
  if (err instanceof client.ResponseBodyError) return `the identity provider refused the code: ${err.error}`;
  return errorMessage(err);
}
