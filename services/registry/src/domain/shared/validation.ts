import { AppError, type FieldError } from '@estia/infra/errors/appError.js';

/**
 * Collects every problem of a command before refusing it, so a caller fixes its request in one
 * round trip. Pointers are JSON pointers into the request body, which commands mirror field by field.
 */
export class Validation {
  readonly errors: FieldError[] = [];

  constructor(private readonly base = '/body') {}

  at(path: string): string {
    return `${this.base}${path}`;
  }

  /** `rule` names the broken rule as the contract's FieldError does, for clients that word it themselves. */
  fail(path: string, detail: string, rule?: Omit<FieldError, 'pointer' | 'detail'>): void {
    this.errors.push({ pointer: this.at(path), detail, ...rule });
  }

  check(condition: boolean, path: string, detail: string, rule?: Omit<FieldError, 'pointer' | 'detail'>): boolean {
    if (!condition) this.fail(path, detail, rule);
    return condition;
  }

  text(value: unknown, path: string, options: { max?: number; required?: boolean } = {}): void {
    const { max = 500, required = true } = options;
    if (value === undefined || value === null) {
      if (required) this.fail(path, 'is required', { rule: 'required' });
      return;
    }
    if (typeof value !== 'string' || value.trim().length === 0) {
      this.fail(path, 'must be a non-empty text', { rule: 'required' });
      return;
    }
    if (value.length > max) this.fail(path, `must be at most ${max} characters`, { rule: 'maxLength', limit: max });
  }

  integer(value: unknown, path: string, min: number, max: number): boolean {
    const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
    return this.check(ok, path, `must be an integer between ${min} and ${max}`);
  }

  timestamp(value: unknown, path: string): boolean {
    return this.check(typeof value === 'string' && isTimestamp(value), path, 'must be an ISO-8601 date-time');
  }

  /** Throws VALIDATION_FAILED naming the first problem, with all of them in `errors`. */
  throwIfInvalid(what: string): void {
    const [first] = this.errors;
    if (first) {
      throw new AppError('VALIDATION_FAILED', `${what}: ${first.pointer} ${first.detail}`, { errors: this.errors });
    }
  }
}

export const isTimestamp = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) &&
  !Number.isNaN(Date.parse(value));

export const isEmail = (value: unknown): boolean =>
  typeof value === 'string' && value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

export const isUrl = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/** Time comparisons on ISO strings with offsets must go through Date, not string order. */
export const isAfter = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

export const addMinutes = (at: string, minutes: number): string =>
  new Date(Date.parse(at) + minutes * 60_000).toISOString();
