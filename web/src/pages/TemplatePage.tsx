/**
 * `/create/:namespace/:name`: a golden path's form. The template's parameter schema (one page per step) is rendered
 * with rjsf (`@rjsf/core`; answers checked by the server, see create/validator.ts) and Tarmac's pickers, then a review page offers "Preview" (a
 * dry-run: file tree, file content, log) and "Create" (starts the run and opens `/create/tasks/:id`).
 * Server-side field errors (400 VALIDATION_FAILED) are shown on the fields they name.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api.js';
import { scaffolderApi, type DryRunResult, type JsonObject, type ParameterSchema } from '../api-scaffolder.js';
import { useApi } from '../hooks.js';
import { ErrorState, Loading } from '../components/ui.js';
import { problemsToErrorSchema, splitUiSchema, topField } from './create/picker-logic.js';
import { StepForm, type FormPage } from './create/StepForm.js';
import { Review } from './create/Review.js';
import { DryRunPreview } from './create/DryRunPreview.js';
import type { ErrorSchema } from '@rjsf/utils';

/** `/create/:namespace/:name`: the template form (see the module comment). */
export default function TemplatePage() {
  const params = useParams();
  const namespace = params.namespace ?? 'default';
  const name = params.name ?? '';
  const schema = useApi((signal) => scaffolderApi.parameterSchema(namespace, name, signal), [namespace, name]);
  if (schema.error) {
    return (
      <div className="page">
        <Crumbs title={name} />
        <h1>{name}</h1>
        <ErrorState error={schema.error} what="Template" />
      </div>
    );
  }
  if (!schema.data) return <Loading what="template" />;
  return <Wizard key={`${namespace}/${name}`} templateRef={`template:${namespace}/${name}`} parameters={schema.data} />;
}

function Crumbs({ title }: { title: string }) {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/create">Create</Link> / <span>{title}</span>
    </nav>
  );
}

function Wizard({ templateRef, parameters }: { templateRef: string; parameters: ParameterSchema }) {
  const navigate = useNavigate();
  const pages: FormPage[] = parameters.steps.map((s) => ({ title: s.title, description: s.description, ...splitUiSchema(s.schema) }));
  const [index, setIndex] = useState(0);
  const [values, setValues] = useState<JsonObject>({});
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [failure, setFailure] = useState<Error | undefined>();
  const [busy, setBusy] = useState<'preview' | 'create' | undefined>();
  const [preview, setPreview] = useState<DryRunResult | undefined>();

  /** Shows a server answer: field problems go to the page holding the first named field; anything else above the form. */
  const showError = (err: unknown) => {
    const problems = err instanceof ApiError ? err.fieldProblems : [];
    if (err instanceof ApiError && err.code === 'VALIDATION_FAILED' && problems.length) {
      const field = topField(problems[0]?.path ?? '');
      const page = pages.findIndex((p) => Object.hasOwn((p.schema.properties ?? {}) as object, field));
      setServerErrors(problemsToErrorSchema(problems));
      setIndex(page === -1 ? 0 : page);
      setFailure(undefined);
    } else {
      setFailure(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const run = async (what: 'preview' | 'create') => {
    setBusy(what);
    setFailure(undefined);
    try {
      if (what === 'preview') {
        // The server reads the template and its files from the catalog by ref.
        setPreview(await scaffolderApi.dryRun({ templateRef, values }));
      } else {
        const { id } = await scaffolderApi.createTask({ templateRef, values });
        navigate(`/create/tasks/${encodeURIComponent(id)}`);
      }
    } catch (err) {
      showError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const onReview = index >= pages.length;
  const current = pages[index];
  return (
    <div className="page">
      <Crumbs title={parameters.title} />
      <h1>{parameters.title}</h1>
      {parameters.description && <p className="description">{parameters.description}</p>}
      <ol className="stepper" aria-label="Steps">
        {[...pages.map((p) => p.title), 'Review'].map((title, i) => (
          <li key={`${i}-${title}`} className={i === index ? 'step-current' : i < index ? 'step-done' : ''} aria-current={i === index ? 'step' : undefined}>
            <span className="step-num">{i + 1}</span> {title}
          </li>
        ))}
      </ol>
      <p className="muted small" data-testid="server-checks-only">
        Answers are checked by the server when you preview or create.
      </p>
      {failure && <ErrorState error={failure} what="this run" />}
      {current && (
        <StepForm
          key={index}
          page={current}
          values={values}
          serverErrors={serverErrors}
          isFirst={index === 0}
          onBack={(v) => {
            setValues(v);
            setIndex((i) => Math.max(0, i - 1));
          }}
          onNext={(v) => {
            setValues(v);
            setServerErrors(undefined);
            setIndex((i) => i + 1);
          }}
        />
      )}
      {onReview && (
        <>
          <Review pages={pages} values={values} />
          <div className="form-buttons">
            <button type="button" onClick={() => setIndex(pages.length - 1)} disabled={!!busy || pages.length === 0}>
              Back
            </button>
            <button type="button" onClick={() => void run('preview')} disabled={!!busy} data-testid="preview">
              {busy === 'preview' ? 'Rendering…' : 'Preview'}
            </button>
            <button type="submit" onClick={() => void run('create')} disabled={!!busy} data-testid="create">
              {busy === 'create' ? 'Starting…' : 'Create'}
            </button>
          </div>
          {preview && <DryRunPreview result={preview} />}
        </>
      )}
    </div>
  );
}
