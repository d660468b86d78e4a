import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleData, sampleEnvelope } from '@estia/contracts/testing/sampleEvents.js';
import type { EventEnvelope } from '@estia/contracts';
import { createBus } from '@estia/infra/bus/createBus.js';
import { topicFor, type Bus } from '@estia/infra/bus/types.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { defaultContext } from '../application/context.js';
import { deliveryIdOf } from './fanOut.js';
import { createSecretBox } from './secretBox.js';
import { webhookHandlers } from './webhookHandlers.js';
import { eventually, startTestReceiver, type TestReceiver } from './webhookTestKit.js';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const ORG_A = randomUUID();
const EVENTS = 300;

interface Registry {
  process: ChildProcess;
  exited: Promise<NodeJS.Signals | number | null>;
}

/** The real registry process (main.ts) on the embedded store and bus; resolves once it listens. */
const startRegistry = (env: Record<string, string>): Promise<Registry> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | number | null>((done) =>
      child.once('exit', (code, signal) => done(signal ?? code)),
    );
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4_000)));
    void exited.then((how) => reject(new Error(`registry exited (${how}) before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (/"msg":"registry listening/.test(line)) resolve({ process: child, exited });
    });
  });

/**
 * At least once, across a crash: the registry is killed with SIGKILL while deliveries are in flight
 * (sent but not yet recorded, claimed, or not yet fanned out); after a restart every event reaches the
 * receiver, signed, under its one webhook-id. Duplicates are allowed (receivers de-duplicate by id).
 */
describe('webhook delivery: kill -9 of the registry, then restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'registry-webhooks-crash-'));
  const key = randomBytes(32);
  let receiver: TestReceiver;
  let bus: Bus;
  let subscriptionId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    receiver = await startTestReceiver();
    // Slow enough that the kill lands with deliveries in flight.
    receiver.answer = () => ({ status: 200, delayMs: 15 });
    env = {
      DATA_DIR: dir,
      PORT: '0',
      LOG_LEVEL: 'info',
      DEMO_DATA: 'false',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      WEBHOOK_SECRETS_KEY: key.toString('base64'),
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_CONCURRENCY: '8',
    };
    const store = createSqliteEventStore({ path: join(dir, 'registry', 'events.sqlite') });
    const created = await webhookHandlers(defaultContext(store), {
      secrets: createSecretBox(key),
      policy: { allowHttp: true, allowLoopback: true, allowPrivate: false },
    }).create(
      { principalId: 'admin', organisationId: ORG_A, roles: ['org_admin'] },
      { url: receiver.url, events: ['estia.referrals.referral.status-changed.v1'] },
    );
    await store.close();
    subscriptionId = created.subscriptionId;
    receiver.secrets.push(created.secret);
    bus = createBus({ kind: 'embedded', path: join(dir, 'bus.sqlite') });
  });
  afterAll(async () => {
    await bus?.close();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every event at least once', async () => {
    const first = await startRegistry(env);
    const events: EventEnvelope[] = Array.from(
      { length: EVENTS },
      () =>
        sampleEnvelope(
          'estia.referrals.referral.status-changed.v1',
          {
            ...sampleData['estia.referrals.referral.status-changed.v1']!,
            referralId: randomUUID(),
            fromOrganisationId: ORG_A,
          },
          randomUUID(),
        ) as EventEnvelope,
    );
    for (let i = 0; i < EVENTS; i += 50)
      await bus.publish(
        topicFor('referrals'),
        events.slice(i, i + 50).map((e) => ({ key: e.subject!, value: e })),
      );

    await eventually('the first deliveries', () => receiver.received.length >= 40, 60_000);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const beforeRestart = new Set(receiver.received.map((r) => r.id)).size;
    expect(beforeRestart).toBeLessThan(EVENTS);

    const second = await startRegistry(env);
    const expected = new Set(events.map((e) => deliveryIdOf(subscriptionId, e.id)));
    await eventually(
      'every event delivered',
      () => [...expected].every((id) => receiver.received.some((r) => r.id === id)),
      90_000,
    );
    second.process.kill('SIGTERM');
    await second.exited;

    expect(new Set(receiver.received.map((r) => r.id))).toEqual(expected);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // Each body is the event its id stands for.
    const byId = new Map(events.map((e) => [deliveryIdOf(subscriptionId, e.id), e]));
    for (const r of receiver.received) expect(JSON.parse(r.body)).toEqual(byId.get(r.id));
  });
});
