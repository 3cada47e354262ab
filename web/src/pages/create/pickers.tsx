/**
 * The custom form fields Backstage templates name in `ui:field` (Backstage `plugins/scaffolder/src/components/fields`):
 * EntityPicker and OwnerPicker (catalog look-ups), RepoUrlPicker (`host?owner=o&repo=r`) and EntityNamePicker.
 * Each renders an input with the field's id so rjsf's label, help and errors attach to it.
 */
import { useId, useState } from 'react';
import type { FieldProps, RegistryFieldsType } from '@rjsf/utils';
import { api } from '../../api.js';
import { useApi, useDebounced } from '../../hooks.js';
import { entityParts, refString } from '../../refs.js';
import { catalogFilters, entityNameProblem, parseRepoUrl, serializeRepoUrl } from './picker-logic.js';

/**
 * The field's label and description (rjsf leaves both to a `ui:field` field): `ui:title`, else the schema title,
 * else the property name, with the required mark rjsf uses; then `ui:description`, else the schema description.
 */
function PickerLabel({ props, htmlFor }: { props: FieldProps; htmlFor?: string }) {
  const title = (props.uiSchema?.['ui:title'] as string | undefined) ?? props.schema.title ?? props.name;
  const description = (props.uiSchema?.['ui:description'] as string | undefined) ?? props.schema.description;
  return (
    <>
      <label className="control-label" htmlFor={htmlFor ?? props.fieldPathId.$id}>
        {title}
        {props.required && <span className="required">*</span>}
      </label>
      {description && <p className="field-description">{description}</p>}
    </>
  );
}

/** Entity refs matching `ui:options` (catalogFilter / allowedKinds) as a datalist; typed values are kept as typed. */
function EntityRefField(props: FieldProps & { defaultKinds: string[] }) {
  const options = (props.uiSchema?.['ui:options'] ?? {}) as Record<string, unknown>;
  const filters = catalogFilters(options, props.defaultKinds);
  const value = typeof props.formData === 'string' ? props.formData : '';
  const term = useDebounced(value, 250);
  const listId = useId();
  const found = useApi(
    (signal) =>
      api.queryEntities(
        { filter: filters, fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'], limit: 50, fullTextFilterTerm: term.includes(':') ? '' : term },
        signal,
      ),
    [filters.join('|'), term],
  );
  return (
    <>
      <PickerLabel props={props} />
      <input
        id={props.fieldPathId.$id}
        name={props.fieldPathId.name ?? props.name}
        list={listId}
        value={value}
        required={props.required}
        disabled={props.disabled || props.readonly}
        autoFocus={props.autofocus}
        autoComplete="off"
        placeholder={filters.length ? `e.g. ${(filters[0]?.replace(/^kind=/, '').split(',')[0] ?? '').toLowerCase()}:default/name` : ''}
        onChange={(e) => props.onChange(e.target.value || undefined, props.fieldPathId.path)}
        onBlur={() => props.onBlur(props.fieldPathId.$id, value)}
      />
      <datalist id={listId}>
        {(found.data?.items ?? []).map((e) => {
          const ref = refString(entityParts(e));
          return (
            <option key={ref} value={ref}>
              {e.metadata.title ?? e.metadata.name}
            </option>
          );
        })}
      </datalist>
    </>
  );
}

/** `ui:field: EntityPicker`: any entity, narrowed by `ui:options.catalogFilter` or `allowedKinds`. */
export function EntityPicker(props: FieldProps) {
  return <EntityRefField {...props} defaultKinds={[]} />;
}

/** `ui:field: OwnerPicker`: a Group or User (unless `ui:options` narrows it). */
export function OwnerPicker(props: FieldProps) {
  return <EntityRefField {...props} defaultKinds={['Group', 'User']} />;
}

/** `ui:field: EntityNamePicker`: a name checked as Backstage checks entity names (see picker-logic). */
export function EntityNamePicker(props: FieldProps) {
  const value = typeof props.formData === 'string' ? props.formData : '';
  return (
    <>
      <PickerLabel props={props} />
      <input
        id={props.fieldPathId.$id}
        name={props.fieldPathId.name ?? props.name}
        value={value}
        required={props.required}
        disabled={props.disabled || props.readonly}
        autoFocus={props.autofocus}
        autoComplete="off"
        aria-invalid={(value !== '' && entityNameProblem(value) !== undefined) || (props.rawErrors?.length ?? 0) > 0}
        onChange={(e) => props.onChange(e.target.value || undefined, props.fieldPathId.path)}
        onBlur={() => props.onBlur(props.fieldPathId.$id, value)}
      />
    </>
  );
}

/** `ui:field: RepoUrlPicker`: host (from `ui:options.allowedHosts`), owner and repository → `host?owner=o&repo=r`. */
export function RepoUrlPicker(props: FieldProps) {
  const options = (props.uiSchema?.['ui:options'] ?? {}) as { allowedHosts?: string[]; allowedOwners?: string[] };
  const hosts = options.allowedHosts?.length ? options.allowedHosts : [window.location.hostname];
  const current = parseRepoUrl(typeof props.formData === 'string' ? props.formData : '');
  const [parts, setParts] = useState({ host: current.host || hosts[0] || '', owner: current.owner, repo: current.repo });
  const id = props.fieldPathId.$id;
  const update = (patch: Partial<typeof parts>) => {
    const next = { ...parts, ...patch };
    setParts(next);
    props.onChange(next.owner || next.repo ? serializeRepoUrl(next) : undefined, props.fieldPathId.path);
  };
  const disabled = props.disabled || props.readonly;
  return (
    <div className="repo-picker" id={id} role="group" aria-label={String(props.schema.title ?? props.name)}>
      <span className="control-label repo-picker-title">
        {props.schema.title ?? props.name}
        {props.required && <span className="required">*</span>}
      </span>
      <label>
        Host
        <select id={`${id}-host`} value={parts.host} disabled={disabled} onChange={(e) => update({ host: e.target.value })}>
          {hosts.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <label>
        Owner
        {options.allowedOwners?.length ? (
          <select id={`${id}-owner`} value={parts.owner} disabled={disabled} onChange={(e) => update({ owner: e.target.value })}>
            <option value="" />
            {options.allowedOwners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : (
          <input id={`${id}-owner`} value={parts.owner} disabled={disabled} autoComplete="off" onChange={(e) => update({ owner: e.target.value.trim() })} />
        )}
      </label>
      <label>
        Repository
        <input id={`${id}-repo`} value={parts.repo} disabled={disabled} autoComplete="off" onChange={(e) => update({ repo: e.target.value.trim() })} />
      </label>
    </div>
  );
}

/**
 * `ui:field: Secret` (Backstage): a password input. The answer travels with the values; the server masks secret
 * fields in stored runs and leaves them out of the repository's origin file.
 */
export function SecretField(props: FieldProps) {
  const value = typeof props.formData === 'string' ? props.formData : '';
  return (
    <>
      <PickerLabel props={props} />
      <input
        type="password"
        id={props.fieldPathId.$id}
        name={props.fieldPathId.name ?? props.name}
        value={value}
        required={props.required}
        disabled={props.disabled || props.readonly}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value || undefined, props.fieldPathId.path)}
        onBlur={() => props.onBlur(props.fieldPathId.$id, value)}
      />
    </>
  );
}

/** `ui:field: MyGroupsPicker` (Backstage): a Group; here any Group the catalog shows, not only the caller's. */
export function GroupPicker(props: FieldProps) {
  return <EntityRefField {...props} defaultKinds={['Group']} />;
}

/**
 * The fields to hand to rjsf's `fields` prop, by the names templates use in `ui:field`. Backstage's
 * OwnedEntityPicker is served by EntityPicker (ownership is checked by the server when the run acts).
 */
export const PICKER_FIELDS: RegistryFieldsType = {
  EntityPicker,
  OwnedEntityPicker: EntityPicker,
  OwnerPicker,
  MyGroupsPicker: GroupPicker,
  EntityNamePicker,
  RepoUrlPicker,
  Secret: SecretField,
};
