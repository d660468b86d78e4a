import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type FieldError } from '../errors/appError.js';
import { ErrorCodes, problemType, type ErrorCode } from '../errors/codes.js';
import { isStreamVersionConflict } from '../eventStore/errors.js';
import { isConnectionLost } from '../sql/connectionLost.js';
import { etagFor } from './etag.js';
import { fieldErrorsFrom, type ValidationIssue } from './validationErrors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with our stable `code` and the request id as extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
  /** True for failures of ours (5xx): log them with the request id. */
  internal: boolean;
  /** A dependency was out of reach (503): worth a warning, not an error report. */
  unavailable?: boolean;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', 'errors']);

const build = (
  code: ErrorCode,
  detail: string,
  extra: Partial<Problem> = {},
  extensions: Record<string, unknown> = {},
): Problem => {
  const def = ErrorCodes[code];
  const problem: Problem = { type: problemType(code), title: def.title, status: def.status, detail, code };
  for (const [key, value] of Object.entries(extensions)) if (!RESERVED.has(key)) problem[key] = value;
  return { ...problem, ...extra };
};

/** Fastify's own client errors whose messages are safe and useful to show. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: 'INTERNAL',
};

const codeForStatus = (status: number): ErrorCode => {
  const found = (Object.keys(ErrorCodes) as ErrorCode[]).find((code) => ErrorCodes[code].status === status);
  return found ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
};

/** Maps anything thrown in a request to a problem; never exposes internal messages or stacks. */
export const toProblem = (error: unknown, request: FastifyRequest): ProblemResponse => {
  const headers: Record<string, string> = { ...headersOf(error) };
  const common = { instance: request.url.split('?')[0], requestId: request.id };

  if (isStreamVersionConflict(error) && request.headers['if-match'] !== undefined) {
    const detail = `If-Match does not match the current version${error.actual === null ? '' : ` (${error.actual})`}: reload and retry`;
    return {
      problem: build('PRECONDITION_FAILED', detail, common, { currentVersion: error.actual }),
      // The current ETag, so the client can re-read (or knowingly retry) without a round trip to find it.
      headers: error.actual === null ? headers : { ...headers, etag: etagFor(error.actual) },
      internal: false,
    };
  }
  if (isAppError(error)) {
    const extra = error.errors ? { ...common, errors: error.errors } : common;
    const internal = error.status >= 500;
    const detail = internal ? 'An internal error occurred; quote the request id when reporting it' : error.message;
    return { problem: build(error.code, detail, extra, internal ? {} : error.extensions), headers, internal };
  }
  if (isConnectionLost(error)) {
    // The database dropped us (restart, failover, cut connection): a retry with the same key is safe.
    return {
      problem: build('SERVICE_UNAVAILABLE', 'The service lost its database connection; retry shortly', common),
      headers: { ...headers, 'retry-after': '1' },
      internal: false,
      unavailable: true,
    };
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const errors = fieldErrorsFrom(fastifyError.validation, fastifyError.validationContext ?? 'body');
    const detail =
      errors.length === 1 ? `${errors[0]!.pointer} ${errors[0]!.detail}` : `${errors.length} fields are not valid`;
    return { problem: build('VALIDATION_FAILED', detail, { ...common, errors }), headers, internal: false };
  }
  const mapped = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (mapped && mapped !== 'INTERNAL') {
    const extra =
      mapped === 'VALIDATION_FAILED'
        ? { ...common, errors: [{ pointer: '/body', detail: fastifyError.message ?? 'is not valid' }] }
        : common;
    return {
      problem: build(mapped, fastifyError.message ?? ErrorCodes[mapped].title, extra),
      headers,
      internal: false,
    };
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // JSON syntax errors carry statusCode 400; other client errors keep their status, not their text.
    const code = codeForStatus(status);
    if (error instanceof SyntaxError) {
      return {
        problem: build('VALIDATION_FAILED', 'Body is not valid JSON', {
          ...common,
          errors: [{ pointer: '/body', detail: 'is not valid JSON' }],
        }),
        headers,
        internal: false,
      };
    }
    const detail = fastifyError.code?.startsWith('FST_')
      ? (fastifyError.message ?? ErrorCodes[code].title)
      : ErrorCodes[code].title;
    return { problem: { ...build(code, detail, common), status }, headers, internal: false };
  }
  return {
    problem: build('INTERNAL', 'An internal error occurred; quote the request id when reporting it', common),
    headers: {},
    internal: true,
  };
};

const headersOf = (error: unknown): Record<string, string> => {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (headers === null || typeof headers !== 'object') return {};
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
};

export const sendProblem = (
  reply: FastifyReply,
  problem: Problem,
  headers: Record<string, string> = {},
): FastifyReply => reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));

/** fastify error handler: problem+json for everything, 5xx logged with the error (never sent). */
export const problemErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  const { problem, headers, internal, unavailable } = toProblem(error, request);
  if (internal) request.log.error({ err: error }, 'request failed');
  else if (unavailable)
    request.log.warn({ code: problem.code, cause: (error as Error).message }, 'dependency unavailable');
  else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
  return sendProblem(reply, problem, headers);
};

/**
 * fastify `frameworkErrors`: a URL fastify cannot route (bad percent-encoding, a path parameter over
 * the length limit). The detail never echoes the URL, which may carry anything.
 */
export const frameworkProblem = (
  error: { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply => {
  const path = { instance: request.url.split('?')[0]!.slice(0, 200), requestId: request.id };
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? build('URI_TOO_LONG', 'A path parameter is longer than the service accepts', path)
      : build('VALIDATION_FAILED', 'The URL is not valid', {
          ...path,
          errors: [{ pointer: '/url', detail: 'is not a valid URL' }],
        });
  request.log.info({ code: problem.code, status: problem.status }, 'request refused');
  return sendProblem(reply, problem);
};

/**
 * The 404 of every unknown route; a known path asked with a method it does not have is 405 with `Allow`
 * (`allowedMethods` knows the routes' templates).
 */
export const notFoundHandler =
  (allowedMethods: (path: string) => readonly string[] = () => []) =>
  (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0]!;
    const common = { instance: path.slice(0, 200), requestId: request.id };
    const allowed = allowedMethods(path);
    if (allowed.length > 0)
      return sendProblem(
        reply,
        build('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`, common),
        { allow: allowed.join(', ') },
      );
    return sendProblem(reply, build('NOT_FOUND', `No route for ${request.method} ${path.slice(0, 200)}`, common));
  };

/**
 * node's own refusals before fastify sees a request (headers or URL over the server's limit, a request
 * that is not HTTP): problem+json on the raw socket, with the headers every answer carries.
 */
export const clientErrorProblem = (error: NodeJS.ErrnoException, socket: Duplex): void => {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? build('HEADERS_TOO_LARGE', 'The request line or headers are longer than the service accepts')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? { ...build('BAD_REQUEST', 'The request was not received in time'), status: 408, title: 'Request timeout' }
        : build('BAD_REQUEST', 'The request is not valid HTTP');
  const body = JSON.stringify(problem);
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
        `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-content-type-options: nosniff\r\ncache-control: no-store\r\n` +
        `content-security-policy: default-src 'none'; frame-ancestors 'none'\r\nconnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
};
