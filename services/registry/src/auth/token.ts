import { createLocalJWKSet, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { CLAIMS } from '@estia/infra/auth/principal.js';
import type { Permission, Role } from '../domain/shared/actor.js';
import { ALG, privateKeyOf, type KeyRing } from './signingKeys.js';

export const TOKEN_TTL_SECONDS = 10 * 60;

/**
 * Every service's verifier (infra/auth/principal.ts) requires an organisation claim; network staff
 * without a member organisation act for the network operator.
 */
export const NETWORK_ORGANISATION_ID = 'estia-network';

export interface Principal {
  kind: 'person' | 'client';
  /** Person id or API client id. */
  id: string;
  organisationId: string | null;
  roles: readonly Role[];
  permissions: readonly Permission[];
  scopes: readonly string[];
}

/**
 * Claims of an ESTIA access token (RFC 9068 style: `scope` space-separated, `client_id`), named as in
 * infra's CLAIMS. Permissions (consent_override) travel in `roles`, as the verifiers expect them.
 */
export interface EstiaClaims extends JWTPayload {
  sub: string;
  org_id: string;
  roles: (Role | Permission)[];
  scope: string;
  principal_type: 'person' | 'client';
  client_id?: string;
  /** People only: when they signed in with their password (RFC 9068 §2.2.1); kept across refreshes. */
  auth_time?: number;
}

export interface IssueOptions {
  issuer: string;
  audience: string | string[];
  /** Seconds since epoch; passed in so issuing is deterministic and testable. */
  now: number;
  jti: string;
  ttlSeconds?: number;
  /** People only: when the password sign-in happened (seconds); defaults to `now`. */
  authTime?: number;
}

export const issueToken = async (
  ring: KeyRing,
  principal: Principal,
  options: IssueOptions,
): Promise<{ accessToken: string; expiresIn: number; tokenType: 'Bearer' }> => {
  const ttl = options.ttlSeconds ?? TOKEN_TTL_SECONDS;
  const claims: Omit<EstiaClaims, 'sub'> = {
    [CLAIMS.organisationId]: principal.organisationId ?? NETWORK_ORGANISATION_ID,
    [CLAIMS.roles]: [...principal.roles, ...principal.permissions],
    [CLAIMS.scope]: [...principal.scopes].join(' '),
    principal_type: principal.kind,
    ...(principal.kind === 'client'
      ? { [CLAIMS.clientId]: principal.id }
      : { auth_time: options.authTime ?? options.now }),
  };
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: ring.current.kid, typ: 'at+jwt' })
    .setSubject(principal.id)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(options.now)
    .setNotBefore(options.now)
    .setExpirationTime(options.now + ttl)
    .setJti(options.jti)
    .sign(await privateKeyOf(ring.current));
  return { accessToken, expiresIn: ttl, tokenType: 'Bearer' };
};

/**
 * Verification as every service does it: against the published JWKS only (never the private key).
 * `currentDate` lets tests check expiry without waiting.
 */
export const verifyToken = async (
  jwks: { keys: JWK[] },
  token: string,
  options: { issuer: string; audience: string; currentDate?: Date },
): Promise<EstiaClaims> => {
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: [ALG],
    typ: 'at+jwt',
    ...(options.currentDate ? { currentDate: options.currentDate } : {}),
  });
  return payload as EstiaClaims;
};
