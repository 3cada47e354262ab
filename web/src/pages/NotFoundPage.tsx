import { Link, useLocation } from 'react-router-dom';

/** Any path the portal does not know. */
export default function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <div className="page">
      <h1>Page not found</h1>
      <div className="state state-error" role="alert">
        <strong>Nothing lives at {pathname}</strong>
        <span>
          Go back <Link to="/">home</Link> or browse the <Link to="/catalog">catalog</Link>.
        </span>
      </div>
    </div>
  );
}
