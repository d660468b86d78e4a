import type { ErrorObject } from 'ajv';

/** One failing field, in the shape of the `errors` member of our problem+json (RFC 9457) bodies. */
export interface FieldError {
  /** JSON Pointer (RFC 6901) to the failing member, e.g. `/data/legalStatus`. */
  pointer: string;
  detail: string;
}

const escape = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Turns ajv errors into `{pointer, detail}` a person can act on: the pointer names the member itself
 * (also for a missing or unexpected property, which ajv reports on the parent) and enums list their values.
 */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // `if` failures only say "must match then schema"; the `then` error next to it is the useful one.
    if (e.keyword === 'if') continue;
    const { pointer, detail } = describe(e);
    const key = `${prefix}${pointer}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer: `${prefix}${pointer}`, detail });
  }
  return out;
}

function describe(e: ErrorObject): FieldError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { pointer: `${e.instancePath}/${escape(String(p.missingProperty))}`, detail: 'is required' };
    case 'additionalProperties':
      return { pointer: `${e.instancePath}/${escape(String(p.additionalProperty))}`, detail: 'is not allowed' };
    case 'enum':
      return { pointer: e.instancePath, detail: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { pointer: e.instancePath, detail: `must be ${JSON.stringify(p.allowedValue)}` };
    default:
      return { pointer: e.instancePath, detail: e.message ?? `fails ${e.keyword}` };
  }
}

/** `"/data/legalStatus must be one of ...; /time must match format \"date-time\""` — for logs and exceptions. */
export const formatFieldErrors = (errors: readonly FieldError[]): string =>
  errors.map((e) => `${e.pointer || '(root)'} ${e.detail}`).join('; ');
