/** A run's `output`: its links (URLs or catalog entities) and text blocks (Backstage `spec.output`). */
import type { RunOutput } from '../../api-scaffolder.js';
import { Card, RefLink } from '../../components/ui.js';

/** Nothing when the output has neither links nor text. */
export function OutputCard({ output }: { output: RunOutput | undefined }) {
  const links = (output?.links ?? []).filter((l) => l.url || l.entityRef);
  const text = (output?.text ?? []).filter((t) => t.content);
  if (!links.length && !text.length) return null;
  return (
    <Card title="Output">
      {links.length > 0 && (
        <ul className="links" data-testid="output-links">
          {links.map((l, i) => (
            <li key={`${i}-${l.url ?? l.entityRef}`}>
              {l.url ? (
                <a href={l.url} target="_blank" rel="noreferrer">
                  {l.title ?? l.url}
                </a>
              ) : (
                <RefLink entityRef={l.entityRef ?? ''}>{l.title ?? l.entityRef}</RefLink>
              )}
            </li>
          ))}
        </ul>
      )}
      {text.map((t, i) => (
        <div key={`${i}-${t.title}`} className="output-text">
          {t.title && <h3>{t.title}</h3>}
          <pre className="code">{t.content}</pre>
        </div>
      ))}
    </Card>
  );
}
