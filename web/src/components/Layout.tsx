/** The frame of every page: sidebar navigation with the Tarmac name, a header with the search box, the page. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router-dom';

const NAV = [
  { to: '/', label: 'Home', end: true },
  { to: '/catalog', label: 'Catalog', end: false },
  { to: '/locations', label: 'Locations & errors', end: false },
];

/** The page shell around `children`: sidebar nav (Home, Catalog, Locations) and a search box that goes to `/search?q=`. */
export function Layout({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
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
          {NAV.map((n) => (
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
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
