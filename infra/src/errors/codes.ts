/**
 * Every named error of the network, with its HTTP status. The code is stable (clients switch on it);
 * the problem `type` URI is derived from it.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, title: 'Request is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  // RFC 6750 §3.1: the token is valid but lacks a scope the operation names in its OpenAPI document.
  INSUFFICIENT_SCOPE: { status: 403, title: 'Insufficient scope' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  STREAM_VERSION_CONFLICT: { status: 409, title: 'Concurrent change' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused with a different request' },
  GONE: { status: 410, title: 'Gone' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  PRECONDITION_REQUIRED: { status: 428, title: 'Precondition required' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  ILLEGAL_TRANSITION: { status: 409, title: 'Not allowed in the current state' },
  BUSINESS_RULE_VIOLATED: { status: 422, title: 'Business rule violated' },
  // A control or bidi formatting character in a text field (names display as what they store).
  UNSAFE_TEXT: { status: 422, title: 'Text holds characters that are not allowed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
  SCHEMA_VIOLATION: { status: 400, title: 'Message does not match its schema' },
  CHAIN_BROKEN: { status: 500, title: 'Hash chain broken' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

export const problemType = (code: ErrorCode): string =>
  `https://estia.network/problems/${code.toLowerCase().replaceAll('_', '-')}`;
