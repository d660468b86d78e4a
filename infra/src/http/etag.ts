import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/appError.js';

/**
 * ETag of an aggregate = its stream revision. Strong by default ("3"): the representation is fully
 * determined by the revision. Pass `weak` for views that may differ by serialisation (W/"3").
 */
export const etagFor = (revision: number, options: { weak?: boolean } = {}): string =>
  `${options.weak ? 'W/' : ''}"${revision}"`;

/** Sets the ETag header; nothing for a stream that does not exist (null). */
export const setEtag = (
  reply: FastifyReply,
  revision: number | null,
  options: { weak?: boolean } = {},
): FastifyReply => (revision === null ? reply : reply.header('etag', etagFor(revision, options)));

/**
 * The expected version a request states through If-Match, for `handleCommand({ expectedVersion })`:
 * - no If-Match → undefined (the version read is expected; a concurrent change is still a 409);
 * - `"3"` or `W/"3"` → 3 (a stale one ends as 412 through the error handler);
 * - `*` → 'exists'.
 * Anything else is a 400 naming the header. Several tags cannot name one version: also a 400.
 */
export const expectedVersionFromIfMatch = (request: FastifyRequest): number | 'exists' | undefined => {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const value = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  if (value === '*') return 'exists';
  const match = /^(?:W\/)?"(0|[1-9]\d{0,15})"$/.exec(value);
  if (!match)
    throw new AppError('VALIDATION_FAILED', 'If-Match must be one entity tag such as "3" (the ETag last received)', {
      errors: [{ pointer: '/headers/if-match', detail: 'must be one entity tag such as "3"' }],
    });
  return Number(match[1]);
};

/** For routes that insist on optimistic concurrency (428 without If-Match). */
export const requireIfMatch = (request: FastifyRequest): number | 'exists' => {
  const expected = expectedVersionFromIfMatch(request);
  if (expected === undefined)
    throw new AppError('PRECONDITION_REQUIRED', 'This request needs an If-Match header with the ETag last received');
  return expected;
};
