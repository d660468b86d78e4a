import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/appError.js';
import { UnauthenticatedError } from './authErrors.js';
import { checkPermissions } from './requireAuth.js';
import { createTestIssuer, type TestIssuer } from './testIssuer.js';
import { createTokenVerifier, type TokenVerifier } from './tokenVerifier.js';

let issuer: TestIssuer;
let jwksServer: FastifyInstance;
let jwksUrl: string;
let jwksHits = 0;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await createTestIssuer({ issuer: 'https://registry.test', audience: 'referrals' });
  // A real HTTP JWKS endpoint, as the registry will serve it.
  jwksServer = Fastify();
  jwksServer.get('/.well-known/jwks.json', async () => {
    jwksHits++;
    return issuer.jwks;
  });
  const address = await jwksServer.listen({ port: 0, host: '127.0.0.1' });
  jwksUrl = `${address}/.well-known/jwks.json`;
  verifier = createTokenVerifier({ jwksUrl, issuer: 'https://registry.test', audience: 'referrals' });
});
afterAll(() => jwksServer.close());

const rejection = async (token: string, v = verifier): Promise<UnauthenticatedError> => {
  const error = await v.verify(token).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
};

describe('createTokenVerifier (remote JWKS)', () => {
  it('verifies a token and maps its claims to a principal; fetches the key set once', async () => {
    const token = await issuer.sign({
      subject: 'u-7',
      organisationId: 'org-9',
      roles: ['org_admin', 'auditor'],
      scopes: ['referrals:write', 'referrals:read'],
      clientId: 'cli-1',
    });
    const principal = await verifier.verify(token);
    expect(principal).toEqual({
      subject: 'u-7',
      organisationId: 'org-9',
      roles: ['org_admin', 'auditor'],
      scopes: ['referrals:write', 'referrals:read'],
      clientId: 'cli-1',
    });
    const hits = jwksHits;
    await verifier.verify(await issuer.sign());
    expect(jwksHits).toBe(hits);
    expect(hits).toBe(1);
  });

  it('rejects expired tokens, wrong audience or issuer, foreign keys and malformed claims', async () => {
    expect((await rejection(await issuer.sign({ expiresInSeconds: -120 }))).message).toBe('token expired');
    expect((await rejection(await issuer.sign({ audience: 'matching' }))).message).toBe('token claim aud is not valid');
    expect((await rejection(await issuer.sign({ issuer: 'https://evil.test' }))).message).toBe(
      'token claim iss is not valid',
    );
    const stranger = await createTestIssuer({
      kid: issuer.jwks.keys[0]!.kid!,
      issuer: 'https://registry.test',
      audience: 'referrals',
    });
    expect((await rejection(await stranger.sign())).message).toBe('token signature is not valid');
    const unknownKid = await createTestIssuer({ issuer: 'https://registry.test', audience: 'referrals' });
    expect((await rejection(await unknownKid.sign())).message).toBe('token signed by an unknown key');
    expect((await rejection(await issuer.sign({ extra: { org_id: undefined } }))).message).toBe('token has no org_id');
    expect((await rejection(await issuer.sign({ extra: { roles: ['god'] } }))).message).toBe('token has unknown roles');
    expect((await rejection('not.a.jwt')).message).toBe('token is not valid');
  });

  it('rejects an unsigned (alg none) token', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${b64({ alg: 'none' })}.${b64({ sub: 'u', org_id: 'o', roles: [], exp: Math.floor(Date.now() / 1000) + 60, iss: 'https://registry.test', aud: 'referrals' })}.`;
    await rejection(token);
  });

  it('answers 503 (our fault, retryable), not 401, when the JWKS endpoint is down', async () => {
    const down = createTokenVerifier({
      jwksUrl: 'http://127.0.0.1:9/jwks.json',
      timeoutMs: 500,
      issuer: 'https://registry.test',
      audience: 'referrals',
    });
    const error = await down.verify(await issuer.sign()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).not.toBeInstanceOf(UnauthenticatedError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });

  it('accepts a local key set', async () => {
    const local = createTokenVerifier(issuer.verifierOptions);
    expect((await local.verify(await issuer.sign({ organisationId: 'org-2' }))).organisationId).toBe('org-2');
  });
});

describe('checkPermissions', () => {
  const principal = { subject: 'u', organisationId: 'o', roles: ['job_coach' as const], scopes: ['a', 'b'] };
  it('needs one of the roles and all of the scopes', () => {
    expect(() => checkPermissions(principal, { roles: ['job_coach', 'org_admin'], scopes: ['a'] })).not.toThrow();
    expect(() => checkPermissions(principal, { roles: ['auditor'] })).toThrow(/roles: auditor/);
    expect(() => checkPermissions(principal, { scopes: ['a', 'c'] })).toThrow(/scopes: c/);
  });
});
