/** The review page of a template's form: every answer by page, with password fields masked. */
import type { JsonObject } from '../../api-scaffolder.js';
import { Card } from '../../components/ui.js';
import type { FormPage } from './StepForm.js';

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A card listing the answers of each page (`title` of each property, else its name). */
export function Review({ pages, values }: { pages: FormPage[]; values: JsonObject }) {
  return (
    <Card title="Review">
      <table className="table table-kv" data-testid="review">
        <tbody>
          {pages.flatMap((page) =>
            Object.entries((page.schema.properties ?? {}) as Record<string, { title?: string }>).map(([key, prop]) => {
              const ui = (page.uiSchema[key] ?? {}) as Record<string, unknown>;
              const secret = ui['ui:widget'] === 'password' || ui['ui:field'] === 'Secret';
              return (
                <tr key={`${page.title}/${key}`}>
                  <th>{prop.title ?? key}</th>
                  <td className="mono">{secret && values[key] ? '••••••' : show(values[key])}</td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </Card>
  );
}
