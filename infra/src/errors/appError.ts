import { ErrorCodes, type ErrorCode } from './codes.js';

export interface FieldError {
  /** JSON pointer into the request (e.g. "/body/address/latitude"). */
  pointer: string;
  /** In English, for people reading the answer. */
  detail: string;
  /** The rule broken, for clients that say it in their user's language (a JSON Schema keyword). */
  rule?: string;
  /** The bound of a length, size or range rule. */
  limit?: number;
  /** The values an `enum` rule allows. */
  allowed?: string[];
  /** The type or format a `type` or `format` rule expected. */
  expected?: string;
}

/**
 * A typed error that carries its HTTP meaning (RFC 9457 problem details), so the domain and
 * adapters can throw without knowing about HTTP and the http kit turns it into problem+json.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    const def = ErrorCodes[code];
    this.name = 'AppError';
    this.code = code;
    this.status = def.status;
    this.title = def.title;
    this.errors = options.errors;
    this.extensions = options.extensions;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
