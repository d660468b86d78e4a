/**
 * Forged and misdirected tokens against every service as `pnpm start` runs them (real processes, each
 * verifying through the registry's JWKS over HTTP). The registry's own signing key is read from the data
 * directory, so a token can be correctly signed and wrong in exactly one claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type RunningNetwork } from '../../../console/src/e2e/network.js';

let network: RunningNetwork;
let kid: string;
let signingKey: CryptoKey;
let organisationId: string;
let claims: Record<string, unknown>;
let officerToken: string;

const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  network = await startNetwork();
  const ring = JSON.parse(readFileSync(join(network.dataDir, 'registry', 'signing-keys.json'), 'utf8')) as {
    current: { kid: string; privateJwk: JWK };
  };
  kid = ring.current.kid;
  signingKey = (await importJWK(ring.current.privateJwk, 'ES256')) as CryptoKey;
  const response = await fetch(`${network.registry}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'officer@open-doors-0.demo.estia.example', password: 'estia-demo-password' }),
  });
  expect(response.status).toBe(200);
  officerToken = ((await response.json()) as { access_token: string }).access_token;
  claims = JSON.parse(Buffer.from(officerToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  organisationId = claims.org_id as string;
}, 180_000);

afterAll(async () => {
  await network?.stop();
});

/** An authenticated read of each service the officer's scopes allow. */
const reads = () => [
  { service: 'registry', url: `${network.registry}/v1/organisations/${organisationId}/exchange-status` },
  { service: 'referrals', url: `${network.referrals}/v1/referrals/counts` },
  { service: 'matching', url: `${network.matching}/v1/esco/skills?q=carp` },
];

/** The officer's claims, re-signed with the registry's real key after `change`. */
const resigned = async (
  change: (payload: Record<string, unknown>) => Record<string, unknown>,
  header: Record<string, unknown> = {},
  key: CryptoKey = signingKey,
) => {
  const payload = change({ ...claims, iat: now(), nbf: now(), exp: now() + 300 });
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header } as never).sign(key);
};

const unsigned = (payload: Record<string, unknown>): string =>
  [
    Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid })).toString('base64url'),
    Buffer.from(JSON.stringify(payload)).toString('base64url'),
    '',
  ].join('.');

describe('every service refuses forged and misdirected tokens (401 with the bearer challenge)', () => {
  it('the genuine token is accepted by each service (the control)', async () => {
    for (const read of reads()) {
      const response = await fetch(read.url, { headers: { authorization: `Bearer ${officerToken}` } });
      expect(response.status, `${read.service}: ${await response.text()}`).toBe(200);
    }
  });

  it('other key, alg none, HMAC with the public key, other aud, other iss, expired, not yet valid, no kid', async () => {
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const jwks = (await (await fetch(`${network.registry}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const forged: Record<string, string> = {
      'another key under the same kid': await resigned((p) => p, {}, otherKey as CryptoKey),
      'alg none': unsigned({ ...claims, exp: now() + 300 }),
      'HS256 keyed with the public key': await new SignJWT({ ...claims, exp: now() + 300 })
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
        .sign(publicKeyBytes),
      'another audience': await resigned((p) => ({ ...p, aud: 'estia:elsewhere' })),
      'another issuer': await resigned((p) => ({ ...p, iss: 'https://attacker.example' })),
      expired: await resigned((p) => ({ ...p, iat: now() - 1200, nbf: now() - 1200, exp: now() - 600 })),
      'not yet valid': await resigned((p) => ({ ...p, nbf: now() + 600, exp: now() + 900 })),
      'no kid': await new SignJWT({ ...claims, exp: now() + 300 })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .sign(signingKey),
      'not an access token (typ)': await resigned((p) => p, { typ: 'JWT' }),
    };
    for (const read of reads())
      for (const [what, token] of Object.entries(forged)) {
        const response = await fetch(read.url, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status, `${read.service} accepted a token with ${what}`).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="estia"/);
      }
  });

  it('each service accepts only its own audience: a token for one service alone is refused by the others', async () => {
    for (const target of ['registry', 'referrals', 'matching'])
      for (const read of reads()) {
        const token = await resigned((p) => ({ ...p, aud: `estia:${target}` }));
        const response = await fetch(read.url, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status, `${read.service} with a token for ${target}`).toBe(read.service === target ? 200 : 401);
      }
  });
});
