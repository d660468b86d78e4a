/**
 * A parameter's value as the text PostgreSQL reads it (or null): one rule for the statements that
 * inline their parameters as literals (writeBatch.ts) and for those that bind a column of values as
 * one array (multiRow.ts), so a row writes the same whichever way it went.
 */
export function parameterText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (value instanceof Date) return checked(value.toISOString());
  if (typeof value === 'object') return checked(JSON.stringify(value));
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot write ${value} to SQL`);
  return checked(String(value));
}

const checked = (text: string): string => {
  if (text.includes('\u0000')) throw new Error('text with a NUL character cannot be stored in PostgreSQL');
  return text;
};
