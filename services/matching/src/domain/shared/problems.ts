import { AppError, type FieldError } from '@estia/infra/errors/appError.js';

/** Collects every field problem of a command so the caller hears about all of them at once. */
export class Problems {
  readonly errors: FieldError[] = [];

  add(pointer: string, detail: string): void {
    this.errors.push({ pointer, detail });
  }

  check(ok: boolean, pointer: string, detail: string): boolean {
    if (!ok) this.add(pointer, detail);
    return ok;
  }

  throwIfAny(what: string): void {
    if (this.errors.length === 0) return;
    const first = this.errors[0]!;
    const more = this.errors.length > 1 ? ` (and ${this.errors.length - 1} more)` : '';
    throw new AppError('VALIDATION_FAILED', `${what}: ${first.pointer} ${first.detail}${more}`, {
      errors: this.errors,
    });
  }
}

export const isIsoDate = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

export const isNonEmptyText = (value: unknown, max = 500): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max;

export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
