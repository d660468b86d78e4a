import { AppError } from '@estia/infra/errors/appError.js';
import type { PageCursor } from '../projections/queries.js';

/** Which list a cursor belongs to: a cursor of one list must not be replayed against another's keys. */
export type CursorList = 'box' | 'overdue' | 'caseload' | 'access-requests' | 'erasure-notices';

/** Opaque to callers (base64url JSON): the keyset may change without breaking their code. */
export const encodeCursor = (list: CursorList, cursor: PageCursor | null): string | null =>
  cursor === null ? null : Buffer.from(JSON.stringify([list, cursor.at, cursor.id])).toString('base64url');

export function decodeCursor(list: CursorList, token: string | undefined): PageCursor | undefined {
  if (token === undefined) return undefined;
  const invalid = () =>
    new AppError('VALIDATION_FAILED', 'cursor is not a cursor of this list', {
      errors: [{ pointer: '/querystring/cursor', detail: 'is not a cursor of this list (use nextCursor as given)' }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== list ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string'
  )
    throw invalid();
  return { at: parsed[1], id: parsed[2] };
}
