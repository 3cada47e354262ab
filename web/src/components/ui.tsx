/** Small building blocks shared by the pages: cards, badges, states, a pager and entity links. */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api.js';
import { entityPath, parseRef, shortRef } from '../refs.js';

/** A titled white panel. */
export function Card(props: { title?: ReactNode; actions?: ReactNode; id?: string; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${props.className ?? ''}`} id={props.id}>
      {(props.title !== undefined || props.actions) && (
        <header className="card-head">
          <h2>{props.title}</h2>
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

/** Tone of a badge: neutral, kind (blue), good (green), warn (amber), bad (red). */
export type Tone = 'neutral' | 'kind' | 'good' | 'warn' | 'bad';

/** A small coloured label; `tone` picks the colour (default neutral), `title` is its tooltip. */
export function Badge(props: { tone?: Tone; title?: string; children: ReactNode }) {
  return (
    <span className={`badge badge-${props.tone ?? 'neutral'}`} title={props.title}>
      {props.children}
    </span>
  );
}

const LIFECYCLE_TONE: Record<string, Tone> = { production: 'good', experimental: 'warn', deprecated: 'bad' };

/** A badge for `spec.lifecycle` (production green, experimental amber, deprecated red); nothing when not a string. */
export function LifecycleBadge({ lifecycle }: { lifecycle: unknown }) {
  if (typeof lifecycle !== 'string' || !lifecycle) return null;
  return <Badge tone={LIFECYCLE_TONE[lifecycle.toLowerCase()] ?? 'neutral'}>{lifecycle}</Badge>;
}

/** An entity kind (`Component`, `Group`…) as a blue badge. */
export function KindBadge({ kind }: { kind: string }) {
  return <Badge tone="kind">{kind}</Badge>;
}

/** An entity's `metadata.tags` as chips; nothing when there are none. */
export function Tags({ tags }: { tags: readonly string[] | undefined }) {
  if (!tags?.length) return null;
  return (
    <span className="tags">
      {tags.map((t) => (
        <span className="tag" key={t}>
          {t}
        </span>
      ))}
    </span>
  );
}

/** "Loading…", shown while the first answer of a page is on its way. */
export function Loading({ what = '' }: { what?: string }) {
  return <p className="state state-loading">Loading{what ? ` ${what}` : ''}…</p>;
}

/** A friendly message for a failed call: API down, not found or the server's message. */
export function ErrorState({ error, what }: { error: Error; what?: string }) {
  const status = error instanceof ApiError ? error.status : -1;
  const title =
    status === 0 ? 'Tarmac API unreachable' : status === 404 ? `${what ?? 'Page'} not found` : `Could not load ${what ?? 'this page'}`;
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <span>{error.message}</span>
    </div>
  );
}

/** The empty state of a list or card: a muted message given as `children`. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** Previous / next buttons with a label such as "1–50 of 63". */
export function Pager(props: { label: ReactNode; onPrev?: () => void; onNext?: () => void; busy?: boolean }) {
  return (
    <nav className="pager" aria-label="Pagination">
      <span className="pager-label">{props.label}</span>
      {props.busy && <span className="spinner" aria-label="loading" />}
      <button type="button" onClick={props.onPrev} disabled={!props.onPrev}>
        ← Previous
      </button>
      <button type="button" onClick={props.onNext} disabled={!props.onNext}>
        Next →
      </button>
    </nav>
  );
}

/** A link to an entity given its ref as written (`team-a`, `user:guest`, `group:default/x`). */
export function RefLink({ entityRef, defaultKind = '', children }: { entityRef: string; defaultKind?: string; children?: ReactNode }) {
  const parts = parseRef(entityRef, defaultKind);
  if (!parts.kind) return <span>{entityRef}</span>;
  return <Link to={entityPath(parts)}>{children ?? shortRef(parts, defaultKind)}</Link>;
}

/** An ISO time as "3 min ago" / "in 2 h", with the full local time as a tooltip; "—" when absent. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={d.toLocaleString()} className="nowrap">
      {relative(d.getTime() - Date.now())}
    </time>
  );
}

function relative(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 45) return ms < 0 ? 'just now' : 'in a moment';
  const [n, unit] = s < 3600 ? [Math.round(s / 60), 'min'] : s < 86_400 ? [Math.round(s / 3600), 'h'] : [Math.round(s / 86_400), 'd'];
  return ms < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}
