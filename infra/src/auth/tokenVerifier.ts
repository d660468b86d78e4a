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

/** The one signature algorithm of the network's access tokens: the registry signs with it, every service pins it. */
export const TOKEN_ALGORITHM = 'ES256';
/** RFC 9068 `typ` of access tokens; a JWT of another kind (an ID token, a signed document) is not one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Each service's own audience: a token is accepted only where the registry meant it to be. */
export const audienceOf = (service: string): string => `estia:${service}`;
/** The audiences of people's tokens: the three services and the console (partner systems' omit the console). */
export const NETWORK_AUDIENCES = ['registry', 'referrals', 'matching', 'insights', 'console'].map(audienceOf);

export interface TokenVerifierOptions {
  /** The registry's JWKS endpoint (production). Keys are cached; unknown `kid`s trigger a refetch. */
  jwksUrl?: string | URL;
  /** A local key set instead of a URL (tests, single-process demo). */
  jwks?: JSONWebKeySet;
  /** Expected `iss` (the registry). Always checked. */
  issuer: string;
  /** Expected `aud`: this service's own (`audienceOf(service)`). Always checked. */
  audience: string;
  /** Accepted signature algorithm. Default and production: TOKEN_ALGORITHM (never `none`, never HMAC). */
  algorithm?: string;
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
  let keySet: JWTVerifyGetKey;
  if (options.jwks) keySet = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl)
    keySet = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.cooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: options.timeoutMs ?? 5_000,
    });
  else throw new TypeError('createTokenVerifier: give jwksUrl or jwks');
  // The key is the key set's entry named by the token's `kid`: never a lone key picked for a token naming none.
  const keys: JWTVerifyGetKey = (header, token) => {
    if (typeof header.kid !== 'string' || header.kid === '') throw new joseErrors.JWSInvalid('token names no kid');
    return keySet(header, token);
  };

  const algorithms = [options.algorithm ?? TOKEN_ALGORITHM];
  if (!options.issuer || !options.audience) throw new TypeError('createTokenVerifier: give issuer and audience');

  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms,
          clockTolerance: options.clockToleranceSeconds ?? 30,
          issuer: options.issuer,
          audience: options.audience,
          typ: ACCESS_TOKEN_TYPE,
          // The key comes from the key set by the header's `kid` (jose's key-set lookup), exp and nbf are checked.
          requiredClaims: ['exp', 'iat', 'sub'],
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

/**
 * How a service trusts the registry: keys from JWKS_URL by `kid`, TOKEN_ISSUER (default: JWKS_URL's origin,
 * where the registry serves it) and its own audience (TOKEN_AUDIENCE, default `estia:<service>`).
 */
export const verifierFromConfig = (
  service: string,
  config: { JWKS_URL: string; TOKEN_ISSUER?: string | undefined; TOKEN_AUDIENCE?: string | undefined },
  options: Partial<TokenVerifierOptions> = {},
): TokenVerifier =>
  createTokenVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.TOKEN_ISSUER ?? new URL(config.JWKS_URL).origin,
    audience: config.TOKEN_AUDIENCE ?? audienceOf(service),
    ...options,
  });

/** Short, fixed reasons: the client learns why, nothing about our keys or internals. */
const reasonFor = (error: unknown): string => {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim ${error.claim} is not valid`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'token signed by an unknown key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm is not accepted';
  return 'token is not valid';
};

const isKeySetUnavailable = (error: unknown): boolean =>
  error instanceof joseErrors.JWKSTimeout ||
  (error instanceof joseErrors.JOSEError &&
    error.code === 'ERR_JOSE_GENERIC' &&
    /fetch|status code/i.test(error.message)) ||
  (error instanceof TypeError && /fetch/i.test(error.message));
