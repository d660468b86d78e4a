import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInThrottle } from '../auth/signInThrottle.js';
import { DEMO_PASSWORD } from '../demo/demoData.js';
import { startRegistryTestApp, type RegistryTestApp } from './registryTestApp.js';

/**
 * Sign-in cannot be used to lock people out, nor to learn who has an account: failures from one address
 * are throttled with growing delays (429 + Retry-After), the right password from another address still
 * works, and an unknown account gets exactly the wrong password's answer (and its throttling).
 */
let t: RegistryTestApp;
let clockMs = Date.parse('2026-06-01T09:00:00Z');
let officer: string;

beforeAll(async () => {
  t = await startRegistryTestApp({
    signIn: { throttle: createSignInThrottle({ freeFailures: 3, baseDelayMs: 1_000 }), nowMs: () => clockMs },
  });
  officer = t.seeded.credentials.find((c) => c.roles.includes('referral_officer'))!.email;
}, 120_000);
afterAll(async () => t?.close());

const signIn = (email: string, password: string, address = '192.0.2.10') =>
  t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password }, remoteAddress: address });

/** The answer without what differs per request by design. */
const shape = (response: Awaited<ReturnType<typeof signIn>>) => {
  const { requestId: _requestId, ...body } = response.json() as Record<string, unknown>;
  const headers = Object.fromEntries(
    Object.entries(response.headers).filter(
      ([name]) => !['x-request-id', 'x-correlation-id', 'date', 'content-length'].includes(name),
    ),
  );
  return { status: response.statusCode, headers, body };
};

describe('POST /auth/sign-in', () => {
  it('an unknown account and a wrong password get the same answer', async () => {
    const wrong = await signIn(officer, 'not the password at all', '192.0.2.1');
    const unknown = await signIn('nobody-here@example.org', 'not the password at all', '192.0.2.2');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shape(unknown)).toEqual(shape(wrong));
  });

  it('throttles failures per account and address with growing delays, and never locks the account', async () => {
    const attacker = '198.51.100.7';
    for (let i = 0; i < 3; i++) expect((await signIn(officer, `guess ${i} of many`, attacker)).statusCode).toBe(401);
    // The fourth failure sets the first delay: 1 s, then 2 s, 4 s, ...
    expect((await signIn(officer, 'guess 3 of many', attacker)).statusCode).toBe(401);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const throttled = await signIn(officer, DEMO_PASSWORD, attacker);
      expect(throttled.statusCode).toBe(429);
      expect(throttled.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      const retryAfter = Number(throttled.headers['retry-after']);
      delays.push(retryAfter);
      clockMs += retryAfter * 1000;
      // After the wait, one more try is allowed; it fails and doubles the delay.
      expect((await signIn(officer, `late guess ${i}`, attacker)).statusCode).toBe(401);
    }
    expect(delays).toEqual([1, 2, 4, 8]);

    // Meanwhile the officer, from their own address, signs in at once: no lock-out.
    const own = await signIn(officer, DEMO_PASSWORD, '203.0.113.5');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('an unknown account is throttled exactly like a known one', async () => {
    const address = '198.51.100.99';
    const answers = async (email: string) => {
      const seen: ReturnType<typeof shape>[] = [];
      for (let i = 0; i < 5; i++) seen.push(shape(await signIn(email, 'not the password at all', address)));
      return seen.map(({ status, headers, body }) => ({ status, retryAfter: headers['retry-after'], body }));
    };
    const known = await answers(officer);
    const unknown = await answers('nobody-else@example.org');
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 429]);
    expect(unknown).toEqual(known);
  });

  it('the right password clears the pair: the next mistake starts afresh', async () => {
    const address = '192.0.2.77';
    for (let i = 0; i < 3; i++) await signIn(officer, `mistyped ${i} password`, address);
    expect((await signIn(officer, DEMO_PASSWORD, address)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await signIn(officer, `again ${i} mistyped`, address)).statusCode).toBe(401);
  });
});
