import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { RegistryContext } from '../application/context.js';
import { createSecretBox, type SecretBox } from './secretBox.js';
import { webhookSubscriptionsProjection } from './subscriptionProjection.js';
import { ensureWebhookTables } from './webhookTables.js';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Whether the signature verified with the secret the receiver was given. */
  verified: boolean;
}

export interface TestReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** What the next requests are answered with (default 204). */
  answer: (request: IncomingMessage, body: string) => { status: number; body?: string; delayMs?: number };
  secrets: string[];
  close(): Promise<void>;
}

/** A local receiver that verifies Standard Webhooks signatures, as a partner's would. */
export async function startTestReceiver(): Promise<TestReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: TestReceiver = {
    url: '',
    received,
    secrets: [],
    answer: () => ({ status: 204 }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      };
      const verified = receiver.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      received.push({
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body,
        verified,
      });
      const answer = receiver.answer(request, body);
      const reply = () => response.writeHead(answer.status).end(answer.body ?? '');
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

export interface WebhookHarness {
  store: EventStore;
  db: SqlDatabase;
  ctx: RegistryContext;
  secrets: SecretBox;
  /** The injected clock; tests move it. */
  clock: { now: Date; (): Date; advance(ms: number): void };
  project(): Promise<void>;
  close(): Promise<void>;
}

/** A SQLite store and database with the webhook tables, and a clock the test moves. */
export async function startWebhookHarness(start = new Date()): Promise<WebhookHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'estia-webhooks-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  await ensureProcessorTables(db);
  await ensureWebhookTables(db);
  const clock = Object.assign(() => new Date(clock.now), {
    now: start,
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  });
  return {
    store,
    db,
    clock,
    ctx: { store, now: () => clock().toISOString(), newId: () => randomUUID() },
    secrets: createSecretBox(randomBytes(32)),
    project: async () => void (await catchUpProjections(store, db, [webhookSubscriptionsProjection])),
    async close() {
      await db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `condition` holds (polling), or fails after `timeoutMs` naming what it waited for. */
export async function eventually<T>(
  what: string,
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
