import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/appError.js';

/**
 * ETag of an aggregate = its stream revision, always strong ("3"): the representation is fully
 * determined by the revision, and If-Match compares strongly (RFC 9110 §13.1.1).
 */
export const etagFor = (revision: number): string => `"${revision}"`;

/** Sets the ETag header; nothing for a stream that does not exist (null). */
export const setEtag = (reply: FastifyReply, revision: number | null): FastifyReply =>
  revision === null ? reply : reply.header('etag', etagFor(revision));

/**
 * The expected version a request states through If-Match, for `handleCommand({ expectedVersion })`:
 * - no If-Match → undefined (the version read is expected; a concurrent change is still a 409);
 * - `"3"` → 3 (a stale one ends as 412 through the error handler, with the current ETag);
 * - `*` → 'exists';
 * - a weak tag (`W/"3"`) never matches under If-Match's strong comparison: 412 at once.
 * Anything else is a 400 naming the header. Several tags cannot name one version: also a 400.
 */
export const expectedVersionFromIfMatch = (request: FastifyRequest): number | 'exists' | undefined => {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const value = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  if (value === '*') return 'exists';
  if (/^W\/"(0|[1-9]\d{0,15})"$/.test(value))
    throw new AppError('PRECONDITION_FAILED', 'If-Match compares strongly: a weak entity tag (W/"…") never matches');
  const match = /^"(0|[1-9]\d{0,15})"$/.exec(value);
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
