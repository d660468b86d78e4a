import { AppError, type FieldError } from '@estia/infra/errors/appError.js';

export type FieldRule = Omit<FieldError, 'pointer' | 'detail'>;

/** A value that must be there (and, for a text, not blank). */
export const REQUIRED: FieldRule = { rule: 'required' };

/**
 * Collects field errors so that a command is refused once, naming every failing field (RFC 9457).
 * Commands mirror the request bodies, so a pointer into the command is reported under /body, as the
 * schema validator reports its own (and as the other services do).
 */
export class Problems {
  private readonly errors: FieldError[] = [];

  /** `rule` names the broken rule as the contract's FieldError does, for clients that word it themselves. */
  add(pointer: string, detail: string, rule?: FieldRule): this {
    this.errors.push({ pointer: `/body${pointer}`, detail, ...rule });
    return this;
  }

  check(ok: boolean, pointer: string, detail: string, rule?: FieldRule): this {
    return ok ? this : this.add(pointer, detail, rule);
  }

  throwIfAny(what: string): void {
    if (this.errors.length === 0) return;
    throw new AppError(
      'VALIDATION_FAILED',
      `${what}: ${this.errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')}`,
      {
        errors: this.errors,
      },
    );
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (YYYY-MM-DD) that exists. */
export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

/** An instant with a time zone (ISO 8601). */
export const isInstant = (value: unknown): value is string =>
  typeof value === 'string' && /T.*(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));

export const isNonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Reason codes are slugs: they go to reports in plaintext, so they cannot hold a sentence about a person. */
export const isReasonCode = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(value);

export const instantMs = (iso: string): number => Date.parse(iso);

export const addHours = (iso: string, hours: number): string =>
  new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
