import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { buildConsoleApp } from './consoleApp.js';
import { newSessionSecret } from './sessions/sessionSecret.js';
import { openSessionStore, type SessionStore } from './sessions/sessionStore.js';
import { tokenRefresher } from './sessions/tokenRefresh.js';

// The back end's own rules (cookie, CSRF, Origin, what passes, what never reaches the page), with a
// stand-in for the services that records what it was sent. The real network is driven end to end by
// src/e2e/officerJourney.e2e.spec.ts.
let dir: string;
let issuer: TestIssuer;
let upstream: FastifyInstance;
let upstreamUrl: string;
let sessions: SessionStore;
let app: FastifyInstance;
const seen: { method: string; url: string; authorization?: string; idempotencyKey?: string; body?: unknown }[] = [];
let answerUnauthorized = false;
const refreshedFrom: string[] = [];
const ORIGIN = 'http://console.test';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'estia-console-bff-'));
  issuer = await createTestIssuer();
  upstream = Fastify();
  upstream.addHook('onRequest', async (request) => {
    seen.push({
      method: request.method,
      url: request.url,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      ...(typeof request.headers['idempotency-key'] === 'string'
        ? { idempotencyKey: request.headers['idempotency-key'] }
        : {}),
    });
  });
  upstream.post('/auth/sign-in', async (request, reply) => {
    const { password } = request.body as { password: string };
    if (password === 'short-lived')
      return {
        access_token: await issuer.sign({ organisationId: 'org-a', roles: ['referral_officer'], subject: 'short' }),
        token_type: 'Bearer',
        expires_in: 60,
      };
    if (password !== 'right password')
      return reply.code(401).send({
        type: 'about:blank',
        title: 'Authentication required',
        status: 401,
        detail: 'wrong e-mail or password',
      });
    return {
      access_token: await issuer.sign({ organisationId: 'org-a', roles: ['referral_officer'] }),
      token_type: 'Bearer',
      expires_in: 600,
    };
  });
  upstream.post('/auth/refresh', async (request) => {
    refreshedFrom.push((request.body as { access_token: string }).access_token);
    return {
      access_token: await issuer.sign({ organisationId: 'org-a', roles: ['referral_officer'], subject: 'refreshed' }),
      token_type: 'Bearer',
      expires_in: 600,
    };
  });
  upstream.get('/v1/referrals/counts', async (_request, reply) =>
    answerUnauthorized ? reply.code(401).send({ status: 401 }) : { received: {}, sent: { requested: 2 } },
  );
  upstream.post('/v1/clients', async (request, reply) => {
    seen.at(-1)!.body = request.body;
    return reply.code(201).header('location', '/v1/clients/c1').header('etag', '"1"').send({ clientId: 'c1' });
  });
  upstream.get('/hsds/services', async () => ({ total_items: 0, contents: [] }));
  upstream.get('/metrics', async () => 'secret internals');
  upstream.get('/v1/insights/providers', async (request, reply) =>
    request.headers.accept === 'text/csv'
      ? reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="insights-providers-2026-01-31.csv"')
          .send('organisationId,name,received\r\n')
      : { rows: [] },
  );
  upstreamUrl = await upstream.listen({ port: 0, host: '127.0.0.1' });

  sessions = await openSessionStore({ path: join(dir, 'console', 'sessions.sqlite'), idleMs: 15 * 60_000 });
  app = await buildConsoleApp({
    sessions,
    verifier: createTokenVerifier(issuer.verifierOptions),
    upstream: { registry: upstreamUrl, referrals: upstreamUrl, matching: upstreamUrl, insights: upstreamUrl },
    idleMs: 15 * 60_000,
    publicOrigin: ORIGIN,
    distDir: null,
  });
});

afterAll(async () => {
  await app?.close();
  await sessions?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

const signIn = async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    payload: { email: 'officer@example.org', password: 'right password' },
  });
  expect(res.statusCode).toBe(201);
  const cookie = res.cookies.find((c) => c.name === 'estia_session')!;
  return {
    res,
    cookie: `estia_session=${cookie.value}`,
    csrf: (res.json() as { csrfToken: string }).csrfToken,
    raw: cookie,
  };
};

describe('the console back end', () => {
  it('signs in through the registry and gives the page a cookie and a CSRF token, never the token', async () => {
    const { res, raw } = await signIn();
    expect(raw).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(raw.secure ?? false).toBe(false);
    expect(res.body).not.toMatch(/eyJ|access_token/);
    expect(res.json()).toMatchObject({ organisationId: 'org-a', roles: ['referral_officer'], idleTimeoutSeconds: 900 });
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('marks the cookie Secure when the console is served over TLS', async () => {
    const tls = await buildConsoleApp({
      sessions,
      verifier: createTokenVerifier(issuer.verifierOptions),
      upstream: { registry: upstreamUrl, referrals: upstreamUrl, matching: upstreamUrl, insights: upstreamUrl },
      idleMs: 60_000,
      publicOrigin: 'https://console.test',
      distDir: null,
    });
    const res = await tls.inject({
      method: 'POST',
      url: '/api/session',
      headers: { origin: 'https://console.test', 'content-type': 'application/json' },
      payload: { email: 'officer@example.org', password: 'right password' },
    });
    expect(res.cookies.find((c) => c.name === 'estia_session')).toMatchObject({ secure: true, httpOnly: true });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    await tls.close();
  });

  it("passes the registry's refusal on in its own words, and sets no cookie", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: { email: 'officer@example.org', password: 'wrong' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ detail: 'wrong e-mail or password' });
    expect(res.cookies).toEqual([]);
  });

  it('refuses a sign-in from another origin, and names missing fields', async () => {
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: { email: 'a@b.c', password: 'right password' },
    });
    expect(foreign.statusCode).toBe(403);
    const empty = await app.inject({ method: 'POST', url: '/api/session', headers: { origin: ORIGIN }, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/email', '/password']);
  });

  it('forwards contract operations with the bearer token; the answer carries no token', async () => {
    const { cookie } = await signIn();
    const res = await app.inject({ method: 'GET', url: '/api/referrals/v1/referrals/counts', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: {}, sent: { requested: 2 } });
    expect(seen.at(-1)!.authorization).toMatch(/^Bearer eyJ/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('state-changing calls need the CSRF token and the console origin', async () => {
    const { cookie, csrf } = await signIn();
    const body = { personal: { givenNames: 'A' } };
    const headers = { cookie, origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': 'key-12345678' };
    const noToken = await app.inject({ method: 'POST', url: '/api/referrals/v1/clients', headers, payload: body });
    expect(noToken.statusCode).toBe(403);
    const wrongOrigin = await app.inject({
      method: 'POST',
      url: '/api/referrals/v1/clients',
      headers: { ...headers, origin: 'https://evil.example', 'x-csrf-token': csrf },
      payload: body,
    });
    expect(wrongOrigin.statusCode).toBe(403);
    const before = seen.length;
    const ok = await app.inject({
      method: 'POST',
      url: '/api/referrals/v1/clients',
      headers: { ...headers, 'x-csrf-token': csrf },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.headers).toMatchObject({ location: '/v1/clients/c1', etag: '"1"' });
    expect(seen.length).toBe(before + 1);
    expect(seen.at(-1)).toMatchObject({ idempotencyKey: 'key-12345678', body });
  });

  it('only what the contracts declare passes; the public directory needs no session; private calls do', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/registry/metrics' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/registry/auth/sign-in' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/registry/hsds/services?region=EL30' })).statusCode).toBe(200);
    expect(seen.at(-1)).toMatchObject({ url: '/hsds/services?region=EL30' });
    expect(seen.at(-1)!.authorization).toBeUndefined();
    const anonymous = await app.inject({ method: 'GET', url: '/api/referrals/v1/referrals/counts' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('forwards the insights reports with the session, CSV with its file name', async () => {
    const { cookie } = await signIn();
    const res = await app.inject({
      method: 'GET',
      url: '/api/insights/v1/insights/providers?from=2026-01-01&to=2026-01-31',
      headers: { cookie, accept: 'text/csv' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="insights-providers-2026-01-31.csv"');
    expect(res.body).toBe('organisationId,name,received\r\n');
    expect(seen.at(-1)).toMatchObject({ url: '/v1/insights/providers?from=2026-01-01&to=2026-01-31' });
    expect(seen.at(-1)!.authorization).toMatch(/^Bearer /);
    expect((await app.inject({ method: 'GET', url: '/api/insights/v1/insights/providers' })).statusCode).toBe(401);
  });

  it("a service's 401 (token expired) ends the session", async () => {
    const { cookie } = await signIn();
    answerUnauthorized = true;
    try {
      const res = await app.inject({ method: 'GET', url: '/api/referrals/v1/referrals/counts', headers: { cookie } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ session: 'ended' });
    } finally {
      answerUnauthorized = false;
    }
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('sign-out forgets the session on the server', async () => {
    const { cookie, csrf } = await signIn();
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('the session store', () => {
  it('is a file only its owner reads, holding no usable token', async () => {
    const path = join(dir, 'console', 'sessions.sqlite');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const token = await issuer.sign();
    await sessions.create(newSessionSecret(), token, Date.now() + 60_000);
    for (const file of [path, `${path}-wal`]) {
      const bytes = readFileSync(file).toString('latin1');
      expect(bytes).not.toContain(token.slice(0, 40));
      for (const part of token.split('.')) expect(bytes).not.toContain(part);
      // No token of any session: a JWT's shape, not its 'eyJ' prefix alone, which the sealed tokens'
      // base64 holds now and then by chance.
      expect(bytes).not.toMatch(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./);
    }
  });

  it('ends a session after the idle timeout and at the token expiry, and forgets it', async () => {
    let now = Date.parse('2026-06-01T10:00:00Z');
    const store = await openSessionStore({ path: ':memory:', idleMs: 15 * 60_000, now: () => now });
    const idle = newSessionSecret();
    await store.create(idle, 'token-a', now + 3_600_000);
    now += 14 * 60_000;
    expect(await store.touch(idle)).toMatchObject({ accessToken: 'token-a' });
    now += 14 * 60_000; // used 14 minutes ago: still alive
    expect(await store.touch(idle)).not.toBeNull();
    now += 16 * 60_000;
    expect(await store.touch(idle)).toBeNull();
    const expiring = newSessionSecret();
    await store.create(expiring, 'token-b', now + 5 * 60_000);
    now += 6 * 60_000;
    expect(await store.touch(expiring)).toBeNull();
    expect(await store.count()).toBe(0);
    // A cookie that was never issued opens nothing.
    expect(await store.touch(newSessionSecret())).toBeNull();
    await store.close();
  });

  it('swaps a token close to its expiry for a fresh one at the registry, so working people stay signed in', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: { email: 'officer@example.org', password: 'short-lived' },
    });
    const cookie = `estia_session=${res.cookies.find((c) => c.name === 'estia_session')!.value}`;
    const before = refreshedFrom.length;
    const call = await app.inject({ method: 'GET', url: '/api/referrals/v1/referrals/counts', headers: { cookie } });
    expect(call.statusCode).toBe(200);
    expect(refreshedFrom.length).toBe(before + 1);
    // The service got the new token, not the one about to expire; the next call needs no refresh.
    const sentWith = seen.at(-1)!.authorization!.slice('Bearer '.length);
    expect(sentWith).not.toBe(refreshedFrom.at(-1));
    expect(JSON.parse(Buffer.from(sentWith.split('.')[1]!, 'base64url').toString()).sub).toBe('refreshed');
    await app.inject({ method: 'GET', url: '/api/referrals/v1/referrals/counts', headers: { cookie } });
    expect(refreshedFrom.length).toBe(before + 1);
    const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(session.json().endsAt).toBeGreaterThan(Date.now() + 9 * 60_000);
  });

  it('refreshes once per session at a time, and keeps the old token when the registry refuses', async () => {
    let now = Date.parse('2026-06-01T10:00:00Z');
    const store = await openSessionStore({ path: ':memory:', idleMs: 15 * 60_000, now: () => now });
    const calls: string[] = [];
    let refuse = false;
    const fakeFetch = (async (_url: URL, init: RequestInit) => {
      calls.push(JSON.parse(String(init.body)).access_token);
      await new Promise((r) => setTimeout(r, 5));
      return refuse
        ? new Response(JSON.stringify({ status: 401 }), { status: 401 })
        : new Response(JSON.stringify({ access_token: `fresh-${calls.length}`, expires_in: 600 }), { status: 200 });
    }) as typeof fetch;
    const refresh = tokenRefresher({
      sessions: store,
      registryUrl: 'http://registry.test',
      idleMs: 15 * 60_000,
      fetch: fakeFetch,
      now: () => now,
    });
    const secret = newSessionSecret();
    await store.create(secret, 'old', now + 10 * 60_000);
    // Plenty of life left: nothing to do.
    expect((await refresh(secret, (await store.touch(secret))!)).accessToken).toBe('old');
    now += 7 * 60_000;
    const open = (await store.touch(secret))!;
    const [a, b] = await Promise.all([refresh(secret, open), refresh(secret, open)]);
    expect(calls).toEqual(['old']);
    expect([a.accessToken, b.accessToken]).toEqual(['fresh-1', 'fresh-1']);
    expect(await store.touch(secret)).toMatchObject({ accessToken: 'fresh-1', tokenExpiresAt: now + 600_000 });
    now += 7 * 60_000;
    refuse = true;
    const kept = await refresh(secret, (await store.touch(secret))!);
    expect(kept.accessToken).toBe('fresh-1');
    now += 4 * 60_000;
    expect(await store.touch(secret)).toBeNull();
    await store.close();
  });
});
