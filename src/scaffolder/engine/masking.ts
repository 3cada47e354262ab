/**
 * Secret masking for run logs: every secret value (and any rendered value a secret flowed into) is replaced by
 * `***` in every log line (after Backstage's task logger redactions).
 */

/** Replaces known secret strings in log lines. */
export interface Masker {
  /** Adds values to hide (empty strings are ignored). */
  add(values: Iterable<string>): void;
  /** `message` with every known value replaced by `***`. */
  mask(message: string): string;
}

/** A masker seeded with `secrets`' values. */
export function createMasker(secrets: Record<string, string>): Masker {
  const hidden = new Set<string>();
  let ordered: string[] = [];
  const masker: Masker = {
    add(values) {
      for (const v of values) {
        if (typeof v !== 'string' || v === '') continue;
        hidden.add(v);
        const escaped = JSON.stringify(v).slice(1, -1);
        if (escaped !== v) hidden.add(escaped);
      }
      ordered = [...hidden].sort((a, b) => b.length - a.length);
    },
    mask(message) {
      let out = String(message);
      for (const v of ordered) out = out.split(v).join('***');
      return out;
    },
  };
  masker.add(Object.values(secrets ?? {}));
  return masker;
}

/** Strings of `withSecrets` that differ from `withoutSecrets` at the same place (values secrets flowed into). */
export function secretInfluenced(withSecrets: unknown, withoutSecrets: unknown): string[] {
  if (typeof withSecrets === 'string') return withSecrets !== withoutSecrets ? [withSecrets] : [];
  if (Array.isArray(withSecrets)) {
    const other = Array.isArray(withoutSecrets) ? withoutSecrets : [];
    return withSecrets.flatMap((v, i) => secretInfluenced(v, other[i]));
  }
  if (withSecrets && typeof withSecrets === 'object') {
    const other = withoutSecrets && typeof withoutSecrets === 'object' ? (withoutSecrets as Record<string, unknown>) : {};
    return Object.entries(withSecrets).flatMap(([k, v]) => secretInfluenced(v, other[k]));
  }
  return [];
}
