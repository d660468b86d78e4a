import { AppError } from '../errors/appError.js';

/**
 * Authentication of a sealed value failed: tampered bytes, a different client's key, a value moved
 * to another field, or the wrong master key. Never "best effort": the caller must not see garbage.
 */
export class DecryptionError extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('INTERNAL', `decryption failed: ${detail}`, cause === undefined ? {} : { cause });
    this.name = 'DecryptionError';
  }
}

/** A key for this client was destroyed (GDPR art. 17); nothing new may be sealed for them. */
export class ClientKeyErasedError extends AppError {
  readonly clientId: string;
  readonly erasedAt: string;

  constructor(clientId: string, erasedAt: string) {
    super('GONE', `client ${clientId} was erased at ${erasedAt}`, { extensions: { clientId, erasedAt } });
    this.name = 'ClientKeyErasedError';
    this.clientId = clientId;
    this.erasedAt = erasedAt;
  }
}

export const isDecryptionError = (e: unknown): e is DecryptionError => e instanceof DecryptionError;
