/** The action registry (after Backstage's TemplateActionRegistry). */
import { TarmacError } from '../../core/errors.js';
import { builtinActions } from '../actions/builtin.js';
import type { TemplateAction, TemplateEntity } from '../types.js';

/** The set of actions a run can use. */
export interface ActionRegistry {
  /** Adds an action. @throws TarmacError CONFLICT when the id is taken */
  register(action: TemplateAction): void;
  /** The action with this id, or undefined. */
  get(id: string): TemplateAction | undefined;
  /** Every action, sorted by id. */
  list(): TemplateAction[];
}

/**
 * A registry holding the built-in actions: fetch:template, fetch:template:file, fetch:plain, fetch:plain:file,
 * fs:rename, fs:delete, debug:log, catalog:write. Others (publish:*, catalog:register) are added with `register`.
 */
export function createActionRegistry(): ActionRegistry {
  const actions = new Map<string, TemplateAction>();
  const registry: ActionRegistry = {
    register(action) {
      if (actions.has(action.id)) throw new TarmacError('CONFLICT', `Action "${action.id}" is already registered`);
      actions.set(action.id, action);
    },
    get: (id) => actions.get(id),
    list: () => [...actions.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
  for (const action of builtinActions()) registry.register(action);
  return registry;
}

/** The action ids used in `spec.steps` that `registry` lacks, each once, in step order; [] when all are known. */
export function unknownActions(template: TemplateEntity, registry: ActionRegistry): string[] {
  const ids = (template.spec.steps ?? []).map((s) => s.action);
  return [...new Set(ids.filter((a) => !registry.get(a)))];
}
