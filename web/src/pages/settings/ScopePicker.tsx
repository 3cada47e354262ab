/**
 * Token scopes: a checkbox per named action, grouped by area (`catalog`, `template`…), with "all of <area>"
 * (`<area>.*`). The action table is the server's own (src/auth/permissions/actions.ts, a plain data file), so the
 * list never drifts from what the authorizer checks.
 */
import { ACTIONS } from '../../../../src/auth/permissions/actions.js';

const AREAS = [...new Set(ACTIONS.map((a) => a.id.split('.')[0] ?? a.id))];

/** Checkboxes over the action names; `value` holds action ids and `<area>.*` patterns. */
export function ScopePicker({ value, onChange }: { value: string[]; onChange(scopes: string[]): void }) {
  const toggle = (scope: string, on: boolean) => onChange(on ? [...value, scope] : value.filter((s) => s !== scope));
  return (
    <fieldset className="scopes" aria-label="Scopes">
      <legend>Scopes (what the token may do)</legend>
      {AREAS.map((area) => {
        const all = value.includes(`${area}.*`);
        return (
          <div className="scope-area" key={area}>
            <label className="check scope-all">
              <input type="checkbox" checked={all} onChange={(e) => toggle(`${area}.*`, e.target.checked)} /> <strong>{area}.*</strong>
            </label>
            {ACTIONS.filter((a) => a.id.startsWith(`${area}.`)).map((a) => (
              <label className="check" key={a.id} title={a.description}>
                <input type="checkbox" checked={all || value.includes(a.id)} disabled={all} onChange={(e) => toggle(a.id, e.target.checked)} />{' '}
                <span className="mono">{a.id}</span>
              </label>
            ))}
          </div>
        );
      })}
    </fieldset>
  );
}
