/** Home: counts by kind (linking to the filtered catalog), totals, errors, locations, and a search box. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { Card, Empty, ErrorState, Loading } from '../components/ui.js';

export default function HomePage() {
  const { data, error } = useApi((signal) => api.summary(signal), []);
  const navigate = useNavigate();
  const [term, setTerm] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (term.trim()) navigate(`/search?q=${encodeURIComponent(term.trim())}`);
  };
  const kinds = [...(data?.countsByKind ?? [])].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  return (
    <div className="page">
      <h1>Software catalog</h1>
      <form className="hero-search" role="search" onSubmit={submit}>
        <input
          type="search"
          aria-label="Search"
          placeholder="Find a component, API, team or person…"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      {error && <ErrorState error={error} what="the catalog summary" />}
      {!data && !error && <Loading what="summary" />}
      {data && (
        <>
          <div className="stats">
            <Link className="stat" to="/catalog" data-testid="stat-total">
              <span className="stat-value">{data.totalEntities.toLocaleString()}</span>
              <span className="stat-label">entities</span>
            </Link>
            <Link className={`stat ${data.entitiesWithErrors ? 'stat-bad' : ''}`} to="/locations#errors" data-testid="stat-errors">
              <span className="stat-value">{data.entitiesWithErrors.toLocaleString()}</span>
              <span className="stat-label">entities with errors · {data.errorCount.toLocaleString()} errors</span>
            </Link>
            <Link className="stat" to="/locations" data-testid="stat-locations">
              <span className="stat-value">{data.locationCount.toLocaleString()}</span>
              <span className="stat-label">locations</span>
            </Link>
            <div className={`stat ${data.unresolvedRelations ? 'stat-warn' : ''}`} data-testid="stat-unresolved">
              <span className="stat-value">{data.unresolvedRelations.toLocaleString()}</span>
              <span className="stat-label">unresolved relations</span>
            </div>
          </div>
          <Card title="Entities by kind">
            {kinds.length === 0 ? (
              <Empty>The catalog is empty. Register a location to get started.</Empty>
            ) : (
              <div className="kind-grid">
                {kinds.map((k) => (
                  <Link key={k.kind} className="kind-card" to={`/catalog?kind=${encodeURIComponent(k.kind.toLowerCase())}`} data-kind={k.kind}>
                    <span className="kind-count">{k.count.toLocaleString()}</span>
                    <span className="kind-name">{k.kind}</span>
                  </Link>
                ))}
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
