import { ErrorCodes, type ErrorCode } from './codes.js';

export interface FieldError {
  /** JSON pointer into the request (e.g. "/body/address/latitude"). */
  pointer: string;
  detail: string;
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
