import { AppError } from '@estia/infra/errors/appError.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An "as of" moment as an ISO instant in UTC. A calendar date means the END of that day (UTC): "as it
 * was on 3 March" includes what was recorded on 3 March. Instants need a zone, so the answer does not
 * depend on the machine the auditor runs it on.
 */
export function parseAsOf(raw: string, pointer: string): string {
  const bad = (detail: string): never => {
    throw new AppError('VALIDATION_FAILED', `${pointer} ${detail}`, { errors: [{ pointer, detail }] });
  };
  const value = raw.trim();
  if (DATE.test(value)) {
    const end = new Date(`${value}T23:59:59.999Z`);
    if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== value) bad('is not a calendar date');
    return end.toISOString();
  }
  if (!INSTANT.test(value)) bad('must be a date (YYYY-MM-DD) or a date-time with a zone (2025-03-01T12:00:00Z)');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) bad('is not a valid date-time');
  return new Date(ms).toISOString();
}
