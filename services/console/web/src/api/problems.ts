import type { components } from '@estia/contracts/generated/openapi.common.js';

type Problem = components['schemas']['Problem'];

type FieldError = NonNullable<Problem['errors']>[number];

/** A failed call: the service's RFC 9457 problem (or one made up for a network failure). */
export class ApiError extends Error {
  readonly problem: Problem & Record<string, unknown>;
  constructor(problem: Problem & Record<string, unknown>) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/**
 * JSON pointers as the forms know them. Services point into the request (`/body/personal/givenNames`,
 * sometimes without the `/body` prefix, or `/querystring/...` for searches); forms name fields by the
 * pointer into the body they send.
 */
export const normalisePointer = (pointer: string): string =>
  pointer.replace(/^\/(body|querystring|params)(?=\/|$)/, '') || '/';

/**
 * The problem's field errors by normalised pointer, in the order the service listed them, each in words
 * of `say` (the reader's language; default: the service's English detail).
 */
export const fieldErrorsOf = (
  error: unknown,
  say: (item: FieldError) => string = (item) => item.detail,
): Map<string, string[]> => {
  const errors = new Map<string, string[]>();
  if (!isApiError(error)) return errors;
  for (const item of (error.problem.errors ?? []) as FieldError[]) {
    const pointer = normalisePointer(item.pointer);
    errors.set(pointer, [...(errors.get(pointer) ?? []), say(item)]);
  }
  return errors;
};

/**
 * Errors no field of the form claims: shown at the top of the form, with the pointer in words, so that
 * nothing the service said is lost.
 */
export const unclaimedErrors = (
  errors: Map<string, string[]>,
  claimed: readonly string[],
): { pointer: string; detail: string }[] => {
  const out: { pointer: string; detail: string }[] = [];
  for (const [pointer, details] of errors) {
    if (claimed.includes(pointer)) continue;
    for (const detail of details) out.push({ pointer, detail });
  }
  return out;
};
