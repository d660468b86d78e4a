import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from '../errors/appError.js';
import { UnauthenticatedError } from './authErrors.js';
import { principalFromClaims, type Principal } from './principal.js';

export interface TokenVerifierOptions {
  /** The registry's JWKS endpoint (production). Keys are cached; unknown `kid`s trigger a refetch. */
  jwksUrl?: string | URL;
  /** A local key set instead of a URL (tests, single-process demo). */
  jwks?: JSONWebKeySet;
  /** Expected `iss`. Checked when given. */
  issuer?: string;
  /** Expected `aud` (this service). Checked when given. */
  audience?: string | string[];
  /** Accepted signature algorithms. Default: EdDSA, ES256, RS256 (never `none`, never HMAC). */
  algorithms?: string[];
  /** Seconds of clock skew tolerated on exp/nbf. Default 30. */
  clockToleranceSeconds?: number;
  /** Remote key set: minimum time between refetches for unknown kids. Default 30 s. */
  cooldownMs?: number;
  /** Remote key set: how long fetched keys are trusted before refetch. Default 10 min. */
  cacheMaxAgeMs?: number;
  /** Remote key set: fetch timeout. Default 5 s. */
  timeoutMs?: number;
}

export interface TokenVerifier {
  /** Verifies a compact JWS and returns the principal; throws UnauthenticatedError otherwise. */
  verify(token: string): Promise<Principal>;
}

export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  let keys: JWTVerifyGetKey;
  if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl)
    keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.cooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: options.timeoutMs ?? 5_000,
    });
  else throw new TypeError('createTokenVerifier: give jwksUrl or jwks');

  const algorithms = options.algorithms ?? ['EdDSA', 'ES256', 'RS256'];

  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms,
          clockTolerance: options.clockToleranceSeconds ?? 30,
          ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
          ...(options.audience === undefined ? {} : { audience: options.audience }),
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        // Keys we cannot fetch are our outage, not the caller's bad token: 503, retryable.
        if (isKeySetUnavailable(error))
          throw new AppError('SERVICE_UNAVAILABLE', 'Token keys are unavailable; retry later', { cause: error });
        throw new UnauthenticatedError(reasonFor(error), true);
      }
      const principal = principalFromClaims(payload);
      if (typeof principal === 'string') throw new UnauthenticatedError(principal, true);
      return principal;
    },
  };
};

/** Short, fixed reasons: the client learns why, nothing about our keys or internals. */
const reasonFor = (error: unknown): string => {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim ${error.claim} is not valid`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'token signed by an unknown key';
  return 'token is not valid';
};

const isKeySetUnavailable = (error: unknown): boolean =>
  error instanceof joseErrors.JWKSTimeout ||
  (error instanceof joseErrors.JOSEError &&
    error.code === 'ERR_JOSE_GENERIC' &&
    /fetch|status code/i.test(error.message)) ||
  (error instanceof TypeError && /fetch/i.test(error.message));
