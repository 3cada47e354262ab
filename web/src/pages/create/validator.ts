/**
 * The form's JSON-Schema validator. rjsf's usual validator (Ajv) compiles schemas to functions at run time, which
 * Tarmac's Content-Security-Policy forbids on purpose (`script-src 'self'`, no `'unsafe-eval'`: an XSS that can call
 * `eval` is worse than a form that checks on submit). So the portal never compiles schemas: conditional fields work
 * through an interpreting matcher (schema-match.ts), and errors come from the server, which validates every answer
 * with the same schema before anything runs; its field errors are shown on the fields.
 */
import type { RJSFSchema, ValidatorType } from '@rjsf/utils';
import { schemaMatches } from './schema-match.js';

/** Reports no errors (the server checks instead) but matches schemas for rjsf's branch selection. */
export const formValidator: ValidatorType<unknown, RJSFSchema> = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: (schema, formData, rootSchema) => schemaMatches(schema as Record<string, unknown>, formData, rootSchema as Record<string, unknown>),
  rawValidation: () => ({ errors: [] }),
};
