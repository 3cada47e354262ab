/**
 * `/settings/tokens`: API tokens for CI and automation (issue "Trust" › Identity) — create one scoped to a set of
 * actions (optionally only for owned entities) with an expiry, see its secret once, list tokens with their last
 * use, and revoke them.
 */
import { useState, type FormEvent } from 'react';
import { trustApi, type CreatedToken } from '../api-trust.js';
import { useApi } from '../hooks.js';
import { useSession } from '../session.js';
import { Badge, Card, Empty, ErrorState, Loading, Time } from '../components/ui.js';
import { ScopePicker } from './settings/ScopePicker.js';

const EXPIRY_DAYS = [7, 30, 90, 365];

/** `/settings/tokens`: create an API token (shown once), list tokens with last use, revoke. */
export default function TokensPage() {
  const { me } = useSession();
  const tokens = useApi((signal) => trustApi.listTokens(signal), []);
  const [created, setCreated] = useState<CreatedToken | undefined>();
  return (
    <div className="page">
      <h1>Settings</h1>
      {me && (
        <p className="muted">
          Signed in as <strong>{me.principal.displayName ?? me.principal.actor}</strong>
          {me.principal.roles.length > 0 && ` (${me.principal.roles.join(', ')})`}.
        </p>
      )}
      {created && <ShownOnce token={created} onDone={() => setCreated(undefined)} />}
      <CreateTokenForm
        onCreated={(t) => {
          setCreated(t);
          tokens.reload();
        }}
      />
      <Card title="API tokens">
        {tokens.error ? (
          <ErrorState error={tokens.error} what="tokens" />
        ) : !tokens.data ? (
          <Loading what="tokens" />
        ) : tokens.data.items.length === 0 ? (
          <Empty>No tokens yet.</Empty>
        ) : (
          <TokenTable items={tokens.data.items} onRevoked={tokens.reload} />
        )}
      </Card>
    </div>
  );
}

function CreateTokenForm({ onCreated }: { onCreated(t: CreatedToken): void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [ownedOnly, setOwnedOnly] = useState(false);
  const [days, setDays] = useState(30);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await trustApi.createToken({ name: name.trim(), scopes, ownedOnly, expiresInDays: days }));
      setName('');
      setScopes([]);
      setOwnedOnly(false);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Create a token">
      <form className="token-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. ci-deploy" />
        </label>
        <label className="field">
          Expires in
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <ScopePicker value={scopes} onChange={setScopes} />
        <label className="check">
          <input type="checkbox" checked={ownedOnly} onChange={(e) => setOwnedOnly(e.target.checked)} /> Only for entities I own
        </label>
        {error && <ErrorState error={error} what="the token" />}
        <div className="form-buttons">
          <button type="submit" disabled={busy || !name.trim() || scopes.length === 0}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function ShownOnce({ token, onDone }: { token: CreatedToken; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied(true);
    } catch {
      setCopied(false); // clipboard refused (insecure origin): the field is selectable
    }
  };
  return (
    <div className="banner banner-warn shown-once" role="alert" data-testid="new-token">
      <strong>Token “{token.name}” created. Copy it now: Tarmac keeps only a hash and will not show it again.</strong>
      <div className="copy-row">
        <input readOnly value={token.token} aria-label="New token" className="mono" data-testid="new-token-value" onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function TokenTable({ items, onRevoked }: { items: Awaited<ReturnType<typeof trustApi.listTokens>>['items']; onRevoked(): void }) {
  const [error, setError] = useState<Error | undefined>();
  const revoke = async (id: string, name: string) => {
    if (!window.confirm(`Revoke token “${name}”? Anything using it stops working at once.`)) return;
    try {
      await trustApi.revokeToken(id);
      onRevoked();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <>
      {error && <ErrorState error={error} what="the revocation" />}
      <div className="table-wrap">
        <table className="table" data-testid="tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} data-token={t.name}>
                <td className="cell-name">
                  {t.name} {t.ownedOnly && <Badge>owned only</Badge>}
                </td>
                <td className="mono small">{t.scopes.join(', ')}</td>
                <td>
                  <Time iso={t.createdAt} />
                </td>
                <td>
                  <Time iso={t.expiresAt} />
                </td>
                <td data-testid="last-used">{t.lastUsedAt ? <Time iso={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
                <td className="cell-actions">
                  {t.revokedAt ? (
                    <Badge tone="bad">revoked</Badge>
                  ) : (
                    <button type="button" className="link-button link-bad" onClick={() => void revoke(t.id, t.name)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
