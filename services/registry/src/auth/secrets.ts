import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time tokens (invitations) and API client secrets: 256 random bits, so a fast hash (SHA-256) is
 * enough — unlike passwords there is nothing to guess — and the token endpoint stays cheap.
 */
const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export const newInvitationToken = (): { token: string; tokenHash: string } => {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
};

/** Hex, as the person stream stores it. */
export const hashInvitationToken = (token: string): string => sha256(token).toString('hex');

const SECRET_PREFIX = 'estia_cs_';

/** The secret is returned to the caller once and never stored. */
export const newClientSecret = (): { secret: string; secretHash: string } => {
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  return { secret, secretHash: hashClientSecret(secret) };
};

export const hashClientSecret = (secret: string): string => `sha256:${sha256(secret).toString('hex')}`;

export const verifyClientSecret = (secret: string, storedHash: string | null): boolean => {
  // Hash even when there is no client, so both paths cost the same.
  const presented = Buffer.from(hashClientSecret(secret));
  const stored = Buffer.from(storedHash ?? hashClientSecret(''));
  return presented.length === stored.length && timingSafeEqual(presented, stored) && storedHash !== null;
};
