/**
 * The rules a FieldError's `limit` bounds (common.json): the services fill it for these and clients word
 * them with that bound, so both sides read the one list.
 */
export const BOUNDED_RULES: ReadonlySet<string> = new Set([
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
]);
