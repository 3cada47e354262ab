import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { TarmacError } from '../../core/errors.js';

/**
 * Builds a run's values from `--values file.yaml` (a YAML/JSON mapping) and `--set key=value` flags (later wins;
 * `a.b=1` sets a nested key; values are read as YAML scalars, so `true`, `3` and `[a, b]` keep their types — quote
 * to keep a string: `--set 'port="8080"'`).
 * @throws TarmacError BAD_REQUEST naming the file or flag that is wrong
 */
export async function buildValues(valuesFile: string | undefined, sets: readonly string[]): Promise<Record<string, unknown>> {
  let values: Record<string, unknown> = {};
  if (valuesFile) {
    let parsed: unknown;
    try {
      parsed = YAML.parse(await readFile(valuesFile, 'utf8'));
    } catch (err) {
      throw new TarmacError('BAD_REQUEST', `${valuesFile}: ${(err as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new TarmacError('BAD_REQUEST', `${valuesFile}: expected a mapping of parameter names to values`);
    }
    values = (parsed as Record<string, unknown> | null) ?? {};
  }
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new TarmacError('BAD_REQUEST', `--set ${set}: expected key=value`);
    const keys = set.slice(0, eq).split('.');
    const raw = set.slice(eq + 1);
    let value: unknown;
    try {
      value = raw === '' ? '' : YAML.parse(raw);
    } catch {
      value = raw;
    }
    let target = values;
    for (const k of keys.slice(0, -1)) {
      const next = target[k];
      target = (target[k] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    target[keys[keys.length - 1] as string] = value ?? raw;
  }
  return values;
}
