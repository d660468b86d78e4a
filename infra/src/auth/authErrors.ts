import { AppError } from '../errors/appError.js';

const REALM = 'estia';

const quote = (value: string): string => value.replace(/["\\]/g, '');

/**
 * 401 with the RFC 6750 challenge. The http kit copies `headers` onto the problem response.
 * Without a token the challenge carries no error code, as RFC 6750 §3.1 asks.
 */
export class UnauthenticatedError extends AppError {
  readonly headers: Record<string, string>;
  constructor(detail: string, tokenPresented: boolean) {
    super('UNAUTHENTICATED', detail);
    this.name = 'UnauthenticatedError';
    this.headers = {
      'www-authenticate': tokenPresented
        ? `Bearer realm="${REALM}", error="invalid_token", error_description="${quote(detail)}"`
        : `Bearer realm="${REALM}"`,
    };
  }
}

/**
 * 403. For missing scopes it is RFC 6750's `insufficient_scope`: code INSUFFICIENT_SCOPE, the challenge
 * naming the scopes the operation needs, and `scope` in the problem body.
 */
export class ForbiddenError extends AppError {
  readonly headers: Record<string, string>;
  constructor(detail: string, missingScopes: readonly string[] = []) {
    super(
      missingScopes.length > 0 ? 'INSUFFICIENT_SCOPE' : 'FORBIDDEN',
      detail,
      missingScopes.length > 0 ? { extensions: { error: 'insufficient_scope', scope: missingScopes.join(' ') } } : {},
    );
    this.name = 'ForbiddenError';
    this.headers =
      missingScopes.length > 0
        ? {
            'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${quote(missingScopes.join(' '))}"`,
          }
        : {};
  }
}
