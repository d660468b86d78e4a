import { describe, it, expect } from 'vitest';
import { createKeyRing, parseKeyRing, publicJwks, rotateKeyRing, serialiseKeyRing } from './signingKeys.js';
import { scopesForRoles } from '@estia/infra/auth/scopes.js';
import { issueToken, verifyToken, type Principal } from './token.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { hashClientSecret, newClientSecret, verifyClientSecret } from './secrets.js';

const issuer = 'https://registry.estia.test';
const audience = 'estia';
const now = Date.parse('2025-03-01T10:00:00Z') / 1000;
const at = (seconds: number): Date => new Date((now + seconds) * 1000);
const officer: Principal = {
  kind: 'person',
  id: 'person-1',
  organisationId: 'org-1',
  roles: ['referral_officer'],
  permissions: ['consent_override'],
  scopes: scopesForRoles(['referral_officer']),
};

describe('tokens', () => {
  it('issues an ES256 token with kid, organisation, roles and scopes, valid 10 minutes', async () => {
    const ring = await createKeyRing('2025-03-01T00:00:00Z');
    const { accessToken, expiresIn } = await issueToken(ring, officer, { issuer, audience, now, jti: 'jti-1' });
    expect(expiresIn).toBe(600);
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', kid: ring.current.kid, typ: 'at+jwt' });
    const claims = await verifyToken(publicJwks(ring), accessToken, { issuer, audience, currentDate: at(60) });
    expect(claims).toMatchObject({
      sub: 'person-1',
      org_id: 'org-1',
      roles: ['referral_officer', 'consent_override'],
      principal_type: 'person',
      iat: now,
      exp: now + 600,
      jti: 'jti-1',
    });
    expect(claims.scope.split(' ')).toContain('referrals:write');
    await expect(
      verifyToken(publicJwks(ring), accessToken, { issuer, audience, currentDate: at(601) }),
    ).rejects.toThrow(/exp/);
    await expect(
      verifyToken(publicJwks(ring), accessToken, { issuer, audience: 'other', currentDate: at(1) }),
    ).rejects.toThrow();
  });

  it('the JWKS holds public keys only', async () => {
    const ring = await rotateKeyRing(await createKeyRing('t0'), 't1');
    const { keys } = publicJwks(ring);
    expect(keys.map((k) => k.kid)).toEqual([ring.current.kid, ring.previous!.kid]);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });

  it('after one rotation old tokens still verify; after two they do not', async () => {
    const ring0 = await createKeyRing('t0');
    const { accessToken } = await issueToken(ring0, officer, { issuer, audience, now, jti: 'j' });
    const ring1 = await rotateKeyRing(ring0, 't1');
    await expect(
      verifyToken(publicJwks(ring1), accessToken, { issuer, audience, currentDate: at(1) }),
    ).resolves.toBeTruthy();
    const ring2 = await rotateKeyRing(ring1, 't2');
    await expect(
      verifyToken(publicJwks(ring2), accessToken, { issuer, audience, currentDate: at(1) }),
    ).rejects.toThrow();
  });

  it('a tampered token fails', async () => {
    const ring = await createKeyRing('t0');
    const { accessToken } = await issueToken(ring, officer, { issuer, audience, now, jti: 'j' });
    const [h, p, s] = accessToken.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), roles: ['network_admin'] }),
    ).toString('base64url');
    await expect(
      verifyToken(publicJwks(ring), `${h}.${forged}.${s}`, { issuer, audience, currentDate: at(1) }),
    ).rejects.toThrow(/signature/);
  });

  it('client tokens carry client_id; the key ring survives serialisation', async () => {
    const ring = parseKeyRing(serialiseKeyRing(await createKeyRing('t0')));
    const client: Principal = {
      kind: 'client',
      id: 'client-9',
      organisationId: 'org-1',
      roles: [],
      permissions: [],
      scopes: ['referrals:read'],
    };
    const { accessToken } = await issueToken(ring, client, { issuer, audience, now, jti: 'j' });
    expect(await verifyToken(publicJwks(ring), accessToken, { issuer, audience, currentDate: at(1) })).toMatchObject({
      client_id: 'client-9',
      scope: 'referrals:read',
      principal_type: 'client',
    });
  });
});

describe('interoperability', () => {
  it("every service's verifier (infra) accepts registry tokens, for people and for network staff", async () => {
    const ring = await createKeyRing('t0');
    const verifier = createTokenVerifier({ jwks: publicJwks(ring) as never, issuer, audience });
    const { accessToken } = await issueToken(ring, officer, {
      issuer,
      audience,
      now: Math.floor(Date.now() / 1000),
      jti: 'j',
    });
    expect(await verifier.verify(accessToken)).toMatchObject({
      subject: 'person-1',
      organisationId: 'org-1',
      roles: ['referral_officer', 'consent_override'],
    });
    const auditor: Principal = {
      kind: 'person',
      id: 'aud-1',
      organisationId: null,
      roles: ['auditor'],
      permissions: [],
      scopes: ['referrals:read'],
    };
    const staff = await issueToken(ring, auditor, { issuer, audience, now: Math.floor(Date.now() / 1000), jti: 'k' });
    expect(await verifier.verify(staff.accessToken)).toMatchObject({
      organisationId: 'estia-network',
      roles: ['auditor'],
    });
  });
});

describe('client secrets', () => {
  it('only the hash is kept; verification is exact', () => {
    const { secret, secretHash } = newClientSecret();
    expect(secretHash).toBe(hashClientSecret(secret));
    expect(secretHash).not.toContain(secret);
    expect(verifyClientSecret(secret, secretHash)).toBe(true);
    expect(verifyClientSecret(`${secret}x`, secretHash)).toBe(false);
    expect(verifyClientSecret('', null)).toBe(false);
  });
});
