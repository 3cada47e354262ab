/**
 * The header's right side: who is signed in (name and teams) with a sign-out button; a sign-in button when not
 * signed in (OIDC mode); and the single-user-mode banner (docs/auth.md "Single-user mode").
 */
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { trustApi } from '../api-trust.js';
import { useSession } from '../session.js';
import { parseRef } from '../refs.js';

/** Sign-in / user name, teams and sign-out, depending on the session. Nothing until `/api/auth/me` answered. */
export function UserMenu() {
  const { me, needsSignIn, reload } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  if (!me) return null;

  if (needsSignIn || (me.mode === 'oidc' && !me.authenticated)) {
    return (
      <a className="button button-primary" data-testid="sign-in" href={trustApi.loginUrl(location.pathname + location.search)}>
        Sign in
      </a>
    );
  }
  const p = me.principal;
  const teams = p.groups.map((g) => parseRef(g, 'group').name);
  const signOut = async () => {
    setBusy(true);
    try {
      await trustApi.logout();
      // Leave the page the signed-in person had open; Home reloads its data (and meets the sign-in prompt).
      navigate('/');
    } finally {
      setBusy(false);
      reload();
    }
  };
  return (
    <div className="user-menu">
      <span className="user-avatar" aria-hidden="true">
        {(p.displayName ?? p.actor).slice(0, 1).toUpperCase()}
      </span>
      <span className="user-who">
        <span className="user-name" data-testid="user-name" title={p.userRef ?? p.actor}>
          {p.displayName ?? p.userRef ?? p.actor}
        </span>
        <span className="user-teams muted small" data-testid="user-teams" title={p.groups.join(', ')}>
          {teams.length ? teams.join(', ') : p.roles.join(', ')}
        </span>
      </span>
      {me.mode === 'oidc' && (
        <button type="button" data-testid="sign-out" onClick={() => void signOut()} disabled={busy}>
          Sign out
        </button>
      )}
    </div>
  );
}

/** The banner shown on every page in single-user mode; nothing otherwise. */
export function SingleUserBanner() {
  const { me } = useSession();
  if (me?.mode !== 'single-user') return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="single-user-banner">
      <strong>Single-user mode</strong> — no sign-in; anyone who can reach this machine is admin. Configure{' '}
      <code>auth.oidc</code> in tarmac.yaml to require sign-in.
    </div>
  );
}

/** A prompt over the page when the API answered 401 (session ended) in OIDC mode. */
export function SignInPrompt() {
  const { needsSignIn } = useSession();
  const location = useLocation();
  if (!needsSignIn) return null;
  return (
    <div className="banner banner-info" role="alert" data-testid="sign-in-prompt">
      You are not signed in (or your session ended).{' '}
      <a href={trustApi.loginUrl(location.pathname + location.search)}>Sign in</a> to see and change what Tarmac holds.
    </div>
  );
}
