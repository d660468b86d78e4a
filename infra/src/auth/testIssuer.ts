import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { CLAIMS, type Role } from './principal.js';

export interface TestTokenClaims {
  subject?: string;
  organisationId?: string;
  roles?: Role[];
  scopes?: string[];
  clientId?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Raw claims merged last (to build malformed tokens). */
  extra?: Record<string, unknown>;
}

export interface TestIssuer {
  /** The public key set a verifier trusts (serve it, or pass it as `jwks`). */
  jwks: JSONWebKeySet;
  sign(claims?: TestTokenClaims): Promise<string>;
}

/**
 * A throwaway signing key for tests (Ed25519, generated per call, never written anywhere).
 * Production tokens come from the registry's issuer.
 */
export const createTestIssuer = async (
  options: { kid?: string; issuer?: string; audience?: string } = {},
): Promise<TestIssuer> => {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = options.kid ?? randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    async sign(claims = {}) {
      const payload: Record<string, unknown> = {
        [CLAIMS.organisationId]: claims.organisationId ?? 'org-1',
        [CLAIMS.roles]: claims.roles ?? ['referral_officer'],
        [CLAIMS.scope]: (claims.scopes ?? []).join(' '),
        ...(claims.clientId === undefined ? {} : { [CLAIMS.clientId]: claims.clientId }),
        ...claims.extra,
      };
      const jwt = new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(claims.subject ?? 'user-1')
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresInSeconds ?? 300));
      const issuer = claims.issuer ?? options.issuer;
      const audience = claims.audience ?? options.audience;
      if (issuer) jwt.setIssuer(issuer);
      if (audience) jwt.setAudience(audience);
      return jwt.sign(privateKey);
    },
  };
};
