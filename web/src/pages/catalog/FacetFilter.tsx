/** A filter control filled from `entity-facets`: a select for short lists, or a text box with suggestions. */
import { useEffect, useId, useState } from 'react';

/** One value of a facet with how many entities have it, as in `GET /api/catalog/entity-facets`. */
export interface FacetValue {
  value: string;
  count: number;
}

/** How many suggestions a long facet (owner, tag) offers; the user can still type any value. */
const TOP_VALUES = 100;

interface Props {
  label: string;
  value: string;
  values: readonly FacetValue[] | undefined;
  onChange: (value: string) => void;
  /** `select` for short closed lists (kind, lifecycle); `combo` lets the user type any value. */
  mode: 'select' | 'combo';
}

/**
 * A labelled filter showing `value` and calling `onChange` with the new one (`''` = all); options are the facet's
 * `values` (fetched by the caller from `GET /api/catalog/entity-facets`), most frequent first.
 */
export function FacetFilter({ label, value, values, onChange, mode }: Props) {
  const id = useId();
  const top = [...(values ?? [])].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, TOP_VALUES);
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);

  if (mode === 'select') {
    // The URL may hold another case than the facet (`kind=component` vs `Component`): filters are case-insensitive.
    const selected = top.find((v) => v.value.toLowerCase() === value.toLowerCase())?.value ?? value;
    const options = top.some((v) => v.value === selected) || !value ? top : [{ value, count: 0 }, ...top];
    return (
      <label className="filter">
        <span>{label}</span>
        <select value={selected} onChange={(e) => onChange(e.target.value)} aria-label={label}>
          <option value="">All</option>
          {options.map((v) => (
            <option key={v.value} value={v.value}>
              {v.value}
              {v.count ? ` (${v.count.toLocaleString()})` : ''}
            </option>
          ))}
        </select>
      </label>
    );
  }

  const commit = (v: string) => {
    if (v.trim() !== value) onChange(v.trim());
  };
  return (
    <label className="filter">
      <span>{label}</span>
      <span className="combo">
        <input
          aria-label={label}
          list={`${id}-values`}
          value={text}
          placeholder="Any"
          onChange={(e) => {
            setText(e.target.value);
            if (top.some((v) => v.value === e.target.value)) commit(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit(text);
          }}
          onBlur={() => commit(text)}
        />
        {value && (
          <button type="button" className="combo-clear" aria-label={`Clear ${label}`} onClick={() => onChange('')}>
            ×
          </button>
        )}
      </span>
      <datalist id={`${id}-values`}>
        {top.map((v) => (
          <option key={v.value} value={v.value}>
            {v.count.toLocaleString()}
          </option>
        ))}
      </datalist>
    </label>
  );
}
