/**
 * The frame of every page: sidebar navigation with the Tarmac name, a header with the search box and the user
 * menu, the single-user banner and sign-in prompt, then the page.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router-dom';
import { useSession } from '../session.js';
import { SignInPrompt, SingleUserBanner, UserMenu } from './UserMenu.js';

/** Sidebar entries; `admin` ones show only to platform admins (the server checks again). */
const NAV = [
  { to: '/', label: 'Home', end: true },
  { to: '/catalog', label: 'Catalog', end: false },
  { to: '/create', label: 'Create', end: false },
  { to: '/locations', label: 'Locations & errors', end: false },
  { to: '/audit', label: 'Audit log', end: false, admin: true },
  { to: '/settings/tokens', label: 'Settings', end: false },
];

/**
 * The page shell around `children`: sidebar nav (Home, Catalog, Create, Locations, Audit for admins, Settings), a
 * search box that goes to `/search?q=`, and the user menu.
 */
export function Layout({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const { isAdmin } = useSession();
  const [term, setTerm] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (term.trim()) navigate(`/search?q=${encodeURIComponent(term.trim())}`);
  };
  return (
    <div className="shell">
      <aside className="sidebar">
        <NavLink to="/" className="brand" aria-label="Tarmac home">
          <span className="brand-mark" aria-hidden="true" />
          Tarmac
        </NavLink>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.admin || isAdmin).map((n) => (
            <NavLink key={n.to} to={n.to} end={n.end} className="nav-link">
              {n.label}
            </NavLink>
          ))}
        </nav>
        <p className="sidebar-foot">Internal Developer Platform</p>
      </aside>
      <div className="main">
        <header className="topbar">
          <form role="search" onSubmit={submit} className="topbar-search">
            <input
              type="search"
              name="q"
              aria-label="Search the catalog"
              placeholder="Search entities by name, title, description, tag or owner…"
              value={term}
              onChange={(e) => setTerm(e.target.value)}
            />
          </form>
          <UserMenu />
        </header>
        <SingleUserBanner />
        <SignInPrompt />
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
