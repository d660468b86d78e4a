import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { ACCESS_TOKEN_TYPE, TOKEN_ALGORITHM, type TokenVerifierOptions } from './tokenVerifier.js';
import { CLAIMS, type Role } from './principal.js';
import { scopesForRoles } from './scopes.js';

export interface TestTokenClaims {
  subject?: string;
  organisationId?: string;
  roles?: Role[];
  /** Default: the scopes the registry gives the roles. */
  scopes?: string[];
  clientId?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresInSeconds?: number;
  /** Seconds from now the token becomes valid (`nbf`). Default 0. */
  notBeforeSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Raw claims merged last (to build malformed tokens). */
  extra?: Record<string, unknown>;
}

export interface TestIssuer {
  /** The public key set a verifier trusts (serve it, or pass it as `jwks`). */
  jwks: JSONWebKeySet;
  /** What a service's verifier is given to trust this issuer's tokens (its issuer, audience and keys). */
  verifierOptions: TokenVerifierOptions & { jwks: JSONWebKeySet };
  sign(claims?: TestTokenClaims): Promise<string>;
}

export const TEST_TOKEN_ISSUER = 'https://registry.test';

/**
 * A throwaway signing key for tests (the network's algorithm, generated per call, never written anywhere),
 * signing tokens shaped like the registry's: `typ` at+jwt, `kid`, iss, aud, iat, nbf, exp.
 * Production tokens come from the registry's issuer.
 */
export const createTestIssuer = async (
  options: { kid?: string; issuer?: string; audience?: string } = {},
): Promise<TestIssuer> => {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM);
  const kid = options.kid ?? randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  const defaultIssuer = options.issuer ?? TEST_TOKEN_ISSUER;
  const defaultAudience = options.audience ?? 'estia:test';
  return {
    jwks: { keys: [jwk] },
    verifierOptions: { jwks: { keys: [jwk] }, issuer: defaultIssuer, audience: defaultAudience },
    async sign(claims = {}) {
      const roles = claims.roles ?? ['referral_officer'];
      const payload: Record<string, unknown> = {
        [CLAIMS.organisationId]: claims.organisationId ?? 'org-1',
        [CLAIMS.roles]: roles,
        [CLAIMS.scope]: (claims.scopes ?? scopesForRoles(roles)).join(' '),
        ...(claims.clientId === undefined ? {} : { [CLAIMS.clientId]: claims.clientId }),
        ...claims.extra,
      };
      const jwt = new SignJWT(payload)
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
        .setSubject(claims.subject ?? 'user-1')
        .setIssuedAt()
        .setNotBefore(Math.floor(Date.now() / 1000) + (claims.notBeforeSeconds ?? 0))
        .setJti(randomUUID())
        .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresInSeconds ?? 300))
        .setIssuer(claims.issuer ?? defaultIssuer)
        .setAudience(claims.audience ?? defaultAudience);
      return jwt.sign(privateKey);
    },
  };
};
