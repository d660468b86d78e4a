import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A session is 32 random bytes that only the browser keeps (in an httpOnly cookie). Everything the
 * server stores is derived from it one way: the row key is its hash, the token is sealed under a key
 * derived from it, and the CSRF token is an HMAC of it. A copy of the session file alone opens nothing.
 */
export interface SessionSecret {
  /** base64url, the cookie value. */
  readonly value: string;
  readonly bytes: Buffer;
}

const SECRET_BYTES = 32;

export const newSessionSecret = (): SessionSecret => {
  const bytes = randomBytes(SECRET_BYTES);
  return { value: bytes.toString('base64url'), bytes };
};

/** Null for anything that is not a well-formed secret (a forged or truncated cookie). */
export const parseSessionSecret = (value: string | undefined): SessionSecret | null => {
  if (value === undefined || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const bytes = Buffer.from(value, 'base64url');
  return bytes.byteLength === SECRET_BYTES ? { value, bytes } : null;
};

const derive = (secret: SessionSecret, purpose: string): Buffer =>
  createHmac('sha256', secret.bytes).update(`estia-console:${purpose}`).digest();

/** The stored row key: a hash, so the file does not hold usable cookies. */
export const sessionIdOf = (secret: SessionSecret): string =>
  createHash('sha256').update(secret.bytes).digest('base64url');

/** AES-256 key that seals this session's access token at rest. */
export const tokenKeyOf = (secret: SessionSecret): Buffer => derive(secret, 'token-key');

/** Sent to the page in the session answer; echoed in `x-csrf-token` on every state-changing call. */
export const csrfTokenOf = (secret: SessionSecret): string => derive(secret, 'csrf').toString('base64url');

export const csrfTokenMatches = (secret: SessionSecret, presented: string | undefined): boolean => {
  if (presented === undefined) return false;
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(presented);
  return given.byteLength === expected.byteLength && timingSafeEqual(given, expected);
};
