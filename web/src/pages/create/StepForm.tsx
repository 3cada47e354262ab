/** One page of a template's form, rendered by rjsf with Tarmac's pickers; "Next" validates the page first. */
import { useRef } from 'react';
import Form from '@rjsf/core';
import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import type { JsonObject } from '../../api-scaffolder.js';
import { PICKER_FIELDS } from './pickers.js';
import { validatePickers } from './picker-logic.js';
import { formValidator } from './validator.js';

/** A form page: its title, the JSON Schema without `ui:` keys, and the uiSchema split from it. */
export interface FormPage {
  title: string;
  description?: string;
  schema: JsonObject;
  uiSchema: UiSchema;
}

/**
 * The rjsf form of `page` over all `values` (answers of other pages ride along untouched). `serverErrors` (from a
 * rejected preview or create) show on their fields until the next "Next".
 */
export function StepForm(props: {
  page: FormPage;
  values: JsonObject;
  serverErrors: ErrorSchema | undefined;
  isFirst: boolean;
  /** Goes to the previous page keeping this page's answers so far. */
  onBack(values: JsonObject): void;
  onNext(values: JsonObject): void;
}) {
  const { page } = props;
  const latest = useRef(props.values);
  return (
    <section className="card form-card">
      <h2 className="form-title">{page.title}</h2>
      {page.description && <p className="muted">{page.description}</p>}
      <Form
        schema={{ ...page.schema, title: undefined, description: undefined }}
        uiSchema={page.uiSchema}
        formData={props.values}
        validator={formValidator}
        fields={PICKER_FIELDS}
        customValidate={validatePickers}
        extraErrors={props.serverErrors}
        showErrorList={false}
        noHtml5Validate
        onChange={(e) => {
          latest.current = (e.formData ?? {}) as JsonObject;
        }}
        onSubmit={(e) => props.onNext((e.formData ?? {}) as JsonObject)}
      >
        <div className="form-buttons">
          <button type="button" onClick={() => props.onBack(latest.current)} disabled={props.isFirst}>
            Back
          </button>
          <button type="submit" data-testid="next">
            Next
          </button>
        </div>
      </Form>
    </section>
  );
}
