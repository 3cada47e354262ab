/**
 * A Component's "Golden path" card (issue "Golden paths" › Versions and upgrades): which template made its
 * repository and at which version ("template X v3, latest v5"), and an "Upgrade" button that asks the server for
 * a three-way-merge upgrade on a new branch and shows the branch, the change request or the conflicting files.
 * Nothing is shown for components not made from a template.
 */
import { useState } from 'react';
import { scaffolderApi, type RepoRecord, type UpgradeResult } from '../../api-scaffolder.js';
import { api } from '../../api.js';
import { useApi } from '../../hooks.js';
import { Badge, Card, ErrorState, RefLink } from '../../components/ui.js';

/** "Golden path" card of a component made from a template: "template <title> v3, latest v5" and an Upgrade button showing the result (branch or conflicting files). Renders nothing for other components. */
export function GoldenPathCard({ componentRef }: { componentRef: string }) {
  const repos = useApi(
    (signal) =>
      scaffolderApi.repositories(componentRef, signal).then(
        (r) => (Array.isArray(r) ? r : r.items),
        () => [] as RepoRecord[], // no upgrades API, or not allowed: no card
      ),
    [componentRef],
  );
  const records = repos.data ?? [];
  const templateRefs = [...new Set(records.flatMap((r) => (r.templateRef ? [r.templateRef] : [])))];
  const titles = useApi(
    (signal) =>
      templateRefs.length
        ? api.entitiesByRefs(templateRefs, ['metadata.name', 'metadata.title'], signal).then((r) => r.items)
        : Promise.resolve([]),
    [templateRefs.join(',')],
  );
  if (records.length === 0) return null;
  const titleOf = (ref: string | undefined) => {
    const e = ref ? titles.data?.[templateRefs.indexOf(ref)] : undefined;
    return e?.metadata.title ?? e?.metadata.name;
  };
  return (
    <Card title="Golden path" id="golden-path">
      {records.map((r) => (
        <RepoRow key={r.repoUrl} record={r} templateTitle={titleOf(r.templateRef)} componentRef={componentRef} onUpgraded={repos.reload} />
      ))}
    </Card>
  );
}

function RepoRow(props: { record: RepoRecord; templateTitle: string | undefined; componentRef: string; onUpgraded(): void }) {
  const { record, componentRef, onUpgraded } = props;
  const [result, setResult] = useState<UpgradeResult | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const upgrade = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await scaffolderApi.upgrade(componentRef));
      onUpgraded();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const behind = record.behind;
  return (
    <div className="golden-path" data-testid="golden-path">
      <p data-testid="golden-path-version">
        template{' '}
        {record.templateRef ? (
          <RefLink entityRef={record.templateRef} defaultKind="template">
            {props.templateTitle}
          </RefLink>
        ) : (
          '?'
        )}{' '}
        v{record.versionNumber ?? '?'}, latest v{record.latestNumber ?? '?'}{' '}
        {behind ? <Badge tone="warn">behind</Badge> : <Badge tone="good">current</Badge>}
      </p>
      <p className="muted small mono">{record.remoteUrl ?? record.repoUrl}</p>
      {behind && (
        <button type="button" onClick={() => void upgrade()} disabled={busy} data-testid="upgrade">
          {busy ? 'Upgrading…' : `Upgrade to v${record.latestNumber ?? '?'}`}
        </button>
      )}
      {error && <ErrorState error={error} what="the upgrade" />}
      {result && (
        <div className="upgrade-result" data-testid="upgrade-result" role="status">
          <p>
            <Badge tone={result.conflicts?.length ? 'bad' : 'good'}>{result.status}</Badge>
            {result.branch && (
              <>
                {' '}
                on branch <code>{result.branch}</code>
              </>
            )}
            {result.changeRequestUrl && (
              <>
                {' '}
                · <a href={result.changeRequestUrl}>change request</a>
              </>
            )}
          </p>
          {typeof result.error === 'string' && <p className="muted">{result.error}</p>}
          {result.message && <p className="muted">{result.message}</p>}
          {result.conflicts?.length ? (
            <>
              <p>Conflicts to resolve by hand (nothing was overwritten):</p>
              <ul className="mono small" data-testid="upgrade-conflicts">
                {result.conflicts.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      )}
    </div>
  );
}
