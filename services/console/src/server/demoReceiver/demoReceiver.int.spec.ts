import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { buildConsoleApp } from '../consoleApp.js';
import { openSessionStore, type SessionStore } from '../sessions/sessionStore.js';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const event = { specversion: '1.0', id: 'e-1', type: 'estia.referrals.referral.status-changed.v1', subject: 'r-1' };

describe('the built-in webhook receiver of the demo', () => {
  let dir: string;
  let sessions: SessionStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'estia-console-receiver-'));
    sessions = await openSessionStore({ path: join(dir, 'sessions.sqlite'), idleMs: 60_000 });
    app = await buildConsoleApp({
      sessions,
      verifier: createTokenVerifier((await createTestIssuer()).verifierOptions),
      upstream: {
        registry: 'http://127.0.0.1:9',
        referrals: 'http://127.0.0.1:9',
        matching: 'http://127.0.0.1:9',
        insights: 'http://127.0.0.1:9',
      },
      idleMs: 60_000,
      distDir: null,
      demoWebhookSecret: secret,
    });
  });
  afterAll(async () => {
    await app.close();
    await sessions.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = (body: string, signWith = secret, id = 'msg_1') => {
    const at = new Date();
    return app.inject({
      method: 'POST',
      url: '/demo-receiver/webhooks',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(signWith).sign(id, at, body),
      },
      payload: body,
    });
  };

  it('accepts a correctly signed delivery and refuses a forged one', async () => {
    expect((await deliver(JSON.stringify(event))).statusCode).toBe(204);
    const forged = await deliver(JSON.stringify(event), `whsec_${randomBytes(24).toString('base64')}`, 'msg_2');
    expect(forged.statusCode).toBe(400);
  });
  it('the list is for signed-in pages only', async () => {
    const anonymous = await app.inject({ url: '/api/demo-receiver' });
    expect(anonymous.statusCode).toBe(401);
  });
});
