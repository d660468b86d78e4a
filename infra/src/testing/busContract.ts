import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, type BusConfig } from '../bus/createBus.js';
import type { EventEnvelope } from '@estia/contracts';
import type { Bus, DeliveredMessage } from '../bus/types.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { startConsumer } from '../processors/consumer.js';
import { contractsEnvelopeValidator } from '../processors/envelopeValidator.js';
import { deadLetterStore } from '../processors/deadLetterStore.js';
import { checkpointStore } from '../processors/checkpointStore.js';
import { startRelay } from '../processors/relay.js';
import {
  EFFECTS_DDL,
  TEST_ERASED_TYPE,
  testEnvelope,
  testRelayMapper,
} from '../processors/testWorkers/testEnvelope.js';
import type { EventStore } from '../eventStore/types.js';

/**
 * The contract every bus adapter passes, with the processors on top: per-key order, a consumer process
 * SIGKILLed mid-batch, a relay process SIGKILLed between publish and checkpoint, and dead-lettering.
 */
export interface BusContractTarget {
  name: string;
  /** Why the suite cannot run here (printed as "skipped: …"), or null. */
  skipReason: string | null;
  /** A serializable config (child processes build their own bus from it); called once per test. */
  config(): BusConfig;
  /** How long a killed consumer's partitions stay with it (Kafka: the session timeout). */
  killedMemberGraceMs?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const workers = join(here, '..', 'processors', 'testWorkers');

interface Worker {
  child: ChildProcess;
  lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnWorker(script: string, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', join(workers, script)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const listener of listeners) listener(line);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitForLine: (pattern, timeoutMs = 60_000) =>
      new Promise<string>((resolve, reject) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen !== undefined) return resolve(seen);
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(
            new Error(`worker ${script} printed no ${pattern} in ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`),
          );
        }, timeoutMs);
        const listener = (line: string): void => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
        void exited.then(({ code, signal }) => {
          if (!listeners.has(listener)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          reject(
            new Error(`worker ${script} exited (${code ?? signal}) before ${pattern}; stderr: ${stderr.slice(-2000)}`),
          );
        });
      }),
  };
}

/** Polls until `probe` holds; the deadline only turns a hang into a readable failure. */
async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every message a fresh group reads from the beginning of `topic`, once `done` holds for what it read. */
async function readTopic(
  bus: Bus,
  topic: string,
  done: (seen: DeliveredMessage[]) => boolean,
  group = `read-${randomUUID()}`,
): Promise<DeliveredMessage[]> {
  const seen: DeliveredMessage[] = [];
  const consumer = await bus.consume({
    group,
    topics: [topic],
    fromBeginning: true,
    handler: async (batch) => void seen.push(...batch),
  });
  try {
    await eventually(
      async () => seen.map((m) => m.value.id),
      () => done(seen),
      `messages of ${topic} in group ${group}`,
    );
  } finally {
    await consumer.stop();
  }
  return seen;
}

/** The embedded bus file and its WAL, as bytes on disk. */
function busFileBytes(config: BusConfig): string {
  if (config.kind !== 'embedded') throw new Error('only the embedded bus has a file');
  return [config.path, `${config.path}-wal`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

/**
 * The case of an erasure: A1 and A2 under key k carry a distinctive secret, B1 under key j another, and
 * E (the erasure, key k) makes the relay forget k's earlier messages.
 */
async function appendErasureCase(
  store: EventStore,
): Promise<{ secretA: string; secretB: string; erasedId: string; lastPosition: number }> {
  const secretA = `a1-plaintext-${randomUUID()}`;
  const secretB = `b1-plaintext-${randomUUID()}`;
  await store.append('k', [
    { type: 'public.case-moved', data: { seq: 0, legalStatusUntil: secretA } },
    { type: 'public.case-moved', data: { seq: 1, note: `a2 of ${secretA}` } },
  ]);
  await store.append('j', [{ type: 'public.case-moved', data: { seq: 0, legalStatusUntil: secretB } }]);
  await store.append('k', [{ type: TEST_ERASED_TYPE, data: { seq: 2 } }]);
  const all = await store.readAll();
  return { secretA, secretB, erasedId: all.at(-1)!.id, lastPosition: all.at(-1)!.position };
}

const countRows = async (db: SqlDatabase, sql: string): Promise<number> =>
  Number((await db.query<{ n: number | string }>(sql))[0]?.n ?? 0);

export function busContract(target: BusContractTarget): void {
  if (target.skipReason !== null) console.log(`[bus contract: ${target.name}] skipped: ${target.skipReason}`);

  describe.skipIf(target.skipReason !== null)(`bus contract: ${target.name}`, () => {
    let dir: string;
    const opened: { close(): Promise<void> }[] = [];
    const track = <T extends { close(): Promise<void> }>(resource: T): T => {
      opened.push(resource);
      return resource;
    };
    const newTopic = (): string => `estia.test-${randomUUID().slice(0, 8)}`;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'estia-bus-contract-'));
    });
    afterAll(async () => {
      for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps order per key across publish calls and delivers everything once to a fresh group', async () => {
      const config = target.config();
      const bus = track(createBus(config));
      const topic = newTopic();
      const keys = ['org-a', 'org-b', 'org-c'];
      const perKey = 60;
      for (let round = 0; round < 6; round++) {
        const messages = [];
        for (let i = 0; i < perKey / 6; i++) {
          for (const key of keys) {
            const seq = round * (perKey / 6) + i;
            messages.push({ key, value: testEnvelope(key, { seq }) });
          }
        }
        await bus.publish(topic, messages);
      }
      const seen = new Map<string, number[]>();
      const consumer = await bus.consume({
        group: `order-${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        handler: async (batch: DeliveredMessage[]) => {
          for (const message of batch) {
            expect(message.key).toBe(message.value.subject);
            const list = seen.get(message.key) ?? [];
            list.push((message.value.data as { seq: number }).seq);
            seen.set(message.key, list);
          }
        },
      });
      await eventually(
        async () => [...seen.values()].reduce((n, list) => n + list.length, 0),
        (n) => n >= keys.length * perKey,
        'all messages',
      );
      await consumer.stop();
      for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i));
    });

    it('hands a consumer at most its maxBatchSize messages at a time, all of them in order', async () => {
      const config = target.config();
      const bus = track(createBus(config));
      const topic = newTopic();
      await bus.publish(
        topic,
        Array.from({ length: 45 }, (_, seq) => ({ key: 'org-a', value: testEnvelope('org-a', { seq }) })),
      );
      const sizes: number[] = [];
      const seqs: number[] = [];
      const consumer = await bus.consume({
        group: `batch-${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        maxBatchSize: 7,
        handler: async (batch: DeliveredMessage[]) => {
          sizes.push(batch.length);
          for (const message of batch) seqs.push((message.value.data as { seq: number }).seq);
        },
      });
      await eventually(
        async () => seqs.length,
        (n) => n >= 45,
        'all messages',
      );
      await consumer.stop();
      expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
      expect(seqs).toEqual(Array.from({ length: 45 }, (_, i) => i));
    });

    it('a consumer process killed mid-batch resumes with nothing lost and no effect applied twice', async () => {
      const config = target.config();
      const bus = track(createBus(config));
      const topic = newTopic();
      const group = `kill-${randomUUID()}`;
      const total = 200;
      await bus.publish(
        topic,
        Array.from({ length: total }, (_, seq) => ({
          key: `case-${seq % 7}`,
          value: testEnvelope(`case-${seq % 7}`, { seq }),
        })),
      );
      const dbPath = join(dir, `${group}.sqlite`);
      const db = track(await createSqliteDatabase({ path: dbPath }));
      await db.execute(EFFECTS_DDL);
      const env = { BUS_CONFIG: JSON.stringify(config), DB_PATH: dbPath, GROUP: group, TOPIC: topic, DELAY_MS: '3' };

      const first = spawnWorker('consumerWorker.ts', env);
      await eventually(
        () => countRows(db, 'SELECT COUNT(*) AS n FROM effects'),
        (n) => n >= 40,
        'first commits',
      );
      // Each line is printed inside an open transaction (the handler then sleeps): the kill lands mid-batch.
      const before = first.lines.length;
      await first.waitForLine(/^handling /);
      await eventually(
        async () => first.lines.length,
        (n) => n > before,
        'a handler in flight',
      );
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const afterKill = await countRows(db, 'SELECT COUNT(*) AS n FROM effects');
      expect(afterKill).toBeLessThan(total);

      const second = spawnWorker('consumerWorker.ts', { ...env, DELAY_MS: '0' });
      await eventually(
        () => countRows(db, 'SELECT COUNT(*) AS n FROM effects'),
        (n) => n >= total,
        'every effect after the restart',
        60_000 + (target.killedMemberGraceMs ?? 0),
      );
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);

      expect(await countRows(db, 'SELECT COUNT(*) AS n FROM effects')).toBe(total);
      expect(await countRows(db, 'SELECT COUNT(DISTINCT event_id) AS n FROM effects')).toBe(total);
      expect(await countRows(db, `SELECT COUNT(*) AS n FROM estia_inbox WHERE consumer = '${group}'`)).toBe(total);
      // Order per key held across the kill: within each key the effects were written in seq order.
      const rows = await db.query<{ subject: string; seq: number }>('SELECT subject, seq FROM effects ORDER BY rowid');
      const lastSeq = new Map<string, number>();
      for (const row of rows) {
        expect(row.seq).toBeGreaterThan(lastSeq.get(row.subject) ?? -1);
        lastSeq.set(row.subject, row.seq);
      }
    });

    it('a relay process killed between publish and checkpoint only causes duplicates the inbox absorbs', async () => {
      const config = target.config();
      const topic = newTopic();
      const storePath = join(dir, `store-${randomUUID()}.sqlite`);
      const relayDbPath = join(dir, `relay-${randomUUID()}.sqlite`);
      const store = track(createSqliteEventStore({ path: storePath }));
      const total = 50;
      const batchSize = 10;
      for (let seq = 0; seq < total; seq++) {
        const events = [{ type: 'public.case-moved', data: { seq } }];
        // Private events in between must be passed over without disturbing the checkpoint.
        if (seq % 5 === 0) events.push({ type: 'private.note-added', data: { seq } });
        await store.append(`case-${seq % 4}`, events);
      }
      const lastPosition = (await store.readAll()).at(-1)!.position;
      const relayDb = track(await createSqliteDatabase({ path: relayDbPath }));
      const env = {
        BUS_CONFIG: JSON.stringify(config),
        STORE_PATH: storePath,
        DB_PATH: relayDbPath,
        TOPIC: topic,
        BATCH_SIZE: String(batchSize),
      };

      const crashing = spawnWorker('relayWorker.ts', { ...env, CRASH_AFTER_BATCH: '3' });
      expect((await crashing.exited).signal).toBe('SIGKILL');
      const checkpoint = await checkpointStore.load(relayDb, 'test.relay');
      expect(checkpoint).not.toBeNull();
      expect(checkpoint!).toBeLessThan(lastPosition);
      // What the crashed batch published without checkpointing: it is published again on resume.
      const republished = (await store.readAll({ after: checkpoint!, maxCount: batchSize })).filter((e) =>
        e.type.startsWith('public.'),
      ).length;
      expect(republished).toBeGreaterThan(0);

      const resumed = spawnWorker('relayWorker.ts', env);
      await resumed.waitForLine(/^caught-up /);
      resumed.child.kill('SIGTERM');
      expect((await resumed.exited).code).toBe(0);
      expect(await checkpointStore.load(relayDb, 'test.relay')).toBe(lastPosition);

      const bus = track(createBus(config));
      // The raw log: the batch published before the crash was published again.
      let raw = 0;
      const rawConsumer = await bus.consume({
        group: `raw-${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        handler: async (batch) => void (raw += batch.length),
      });
      const db = track(await createSqliteDatabase({ path: join(dir, `consumer-${randomUUID()}.sqlite`) }));
      await db.execute(EFFECTS_DDL);
      const consumer = await startConsumer({
        // Test event types are not in the contracts catalogue: check the envelope schema only.
        validate: contractsEnvelopeValidator,
        bus,
        db,
        group: `relay-${randomUUID()}`,
        topics: [topic],
        handle: async (tx, envelope) => {
          await tx.execute('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
            envelope.id,
            envelope.subject,
            (envelope.data as { seq: number }).seq,
          ]);
        },
      });
      await eventually(
        async () => raw,
        (n) => n >= total + republished,
        'the raw log with duplicates',
      );
      await eventually(
        () => countRows(db, 'SELECT COUNT(*) AS n FROM estia_inbox'),
        (n) => n >= total,
        'the consumer',
      );
      await consumer.stop();
      await rawConsumer.stop();
      expect(raw).toBe(total + republished);
      expect(await countRows(db, 'SELECT COUNT(*) AS n FROM effects')).toBe(total);
      expect(await countRows(db, 'SELECT COUNT(DISTINCT event_id) AS n FROM effects')).toBe(total);
    });

    it('erasure: the relay makes the bus forget a key before its checkpoint; the rest and the erasure stay', async () => {
      const config = target.config();
      const bus = track(createBus(config));
      const topic = newTopic();
      const store = track(createSqliteEventStore({ path: join(dir, `store-${randomUUID()}.sqlite`) }));
      const relayDb = track(await createSqliteDatabase({ path: join(dir, `relay-${randomUUID()}.sqlite`) }));
      const embedded = config.kind === 'embedded';

      // A group that read up to a message published before the case, then stopped: its committed offset
      // lies before the messages the forget deletes.
      const early = `early-${randomUUID()}`;
      const p0 = testEnvelope('p', { seq: 0 });
      await bus.publish(topic, [{ key: 'p', value: p0 }]);
      await readTopic(bus, topic, (seen) => seen.some((m) => m.value.id === p0.id), early);

      const { secretA, secretB, erasedId, lastPosition } = await appendErasureCase(store);
      const order: string[] = [];
      const relay = await startRelay({
        store,
        db: relayDb,
        bus,
        name: 'erasure.relay',
        map: testRelayMapper(topic),
        batchSize: 10,
        afterPublish: async () => {
          // Recorded, not asserted: a throw here would only make the relay retry the batch.
          order.push(embedded && busFileBytes(config).includes(secretA) ? 'A1 still on disk' : 'published and forgot');
          order.push(`checkpoint ${String(await checkpointStore.load(relayDb, 'erasure.relay'))}`);
        },
      });
      await eventually(
        async () => relay.position(),
        (position) => position === lastPosition,
        'the relay checkpoint',
      );
      await relay.stop();
      // The forget ran before the checkpoint moved (the one batch found no checkpoint yet).
      expect(order).toEqual(['published and forgot', 'checkpoint null']);

      const hasBoth = (seen: DeliveredMessage[]): boolean =>
        seen.some((m) => m.value.id === erasedId) && seen.some((m) => m.key === 'j');
      const resumed = await readTopic(bus, topic, hasBoth, early);
      const fresh = await readTopic(bus, topic, hasBoth);
      for (const seen of [resumed, fresh]) {
        const underK = seen.filter((m) => m.key === 'k').map((m) => m.value.id);
        // Kafka keeps them until the topic's retention.ms (cleanup.policy=delete): there, only the order is the contract.
        if (embedded) expect(underK).toEqual([erasedId]);
        else expect(underK.at(-1)).toBe(erasedId);
        expect(
          seen.filter((m) => m.key === 'j').map((m) => (m.value.data as { legalStatusUntil: string }).legalStatusUntil),
        ).toEqual([secretB]);
      }
      expect(resumed.some((m) => m.value.id === p0.id)).toBe(false);
      expect(fresh.map((m) => m.value.id)).toContain(p0.id);

      // Idempotent: repeated, and for an id the bus does not hold, nothing more goes.
      await bus.forget(topic, 'k', { beforeEventId: erasedId });
      await bus.forget(topic, 'k', { beforeEventId: erasedId });
      await bus.forget(topic, 'k', { beforeEventId: randomUUID() });
      const again = await readTopic(bus, topic, hasBoth);
      expect(again.map((m) => m.value.id)).toEqual(fresh.map((m) => m.value.id));

      if (embedded) {
        const open = busFileBytes(config);
        expect(open).toContain(secretB);
        expect(open).not.toContain(secretA);
        await bus.close();
        const closed = busFileBytes(config);
        expect(closed).toContain(secretB);
        expect(closed).not.toContain(secretA);
      }
    });

    it('erasure: a relay killed after the forget and before its checkpoint repeats it harmlessly', async () => {
      const config = target.config();
      const topic = newTopic();
      const storePath = join(dir, `store-${randomUUID()}.sqlite`);
      const relayDbPath = join(dir, `relay-${randomUUID()}.sqlite`);
      const store = track(createSqliteEventStore({ path: storePath }));
      const relayDb = track(await createSqliteDatabase({ path: relayDbPath }));
      const embedded = config.kind === 'embedded';
      const { secretA, secretB, erasedId, lastPosition } = await appendErasureCase(store);
      const env = {
        BUS_CONFIG: JSON.stringify(config),
        STORE_PATH: storePath,
        DB_PATH: relayDbPath,
        TOPIC: topic,
        BATCH_SIZE: '10',
      };

      const crashing = spawnWorker('relayWorker.ts', { ...env, CRASH_AFTER_BATCH: '1' });
      expect((await crashing.exited).signal).toBe('SIGKILL');
      expect(await checkpointStore.load(relayDb, 'test.relay')).toBeNull();
      if (embedded) expect(busFileBytes(config)).not.toContain(secretA);

      // The resumed relay publishes the whole batch again (A1 and A2 included) and forgets again.
      const resumed = spawnWorker('relayWorker.ts', env);
      await resumed.waitForLine(/^caught-up /);
      resumed.child.kill('SIGTERM');
      expect((await resumed.exited).code).toBe(0);
      expect(await checkpointStore.load(relayDb, 'test.relay')).toBe(lastPosition);

      const bus = track(createBus(config));
      const seen = await readTopic(
        bus,
        topic,
        (all) =>
          all.filter((m) => m.value.id === erasedId).length >= (embedded ? 1 : 2) && all.some((m) => m.key === 'j'),
      );
      const underK = seen.filter((m) => m.key === 'k').map((m) => m.value.id);
      if (embedded) expect(underK).toEqual([erasedId]);
      else expect(underK.at(-1)).toBe(erasedId);
      // B1 was published twice (the inbox absorbs that); it was never forgotten.
      expect(seen.filter((m) => m.key === 'j')).toHaveLength(2);
      if (embedded) {
        await bus.close();
        const bytes = busFileBytes(config);
        expect(bytes).toContain(secretB);
        expect(bytes).not.toContain(secretA);
      }
    });

    it('dead-letters a poison message after maxAttempts and a schema-invalid one at once, then moves on', async () => {
      const config = target.config();
      const bus: Bus = track(createBus(config));
      const topic = newTopic();
      const poison = testEnvelope('case-1', { seq: 1, poison: true });
      const invalid = { ...testEnvelope('case-1', { seq: 2 }), specversion: '0.3' } as unknown as EventEnvelope;
      await bus.publish(topic, [
        { key: 'case-1', value: testEnvelope('case-1', { seq: 0 }) },
        { key: 'case-1', value: poison },
        { key: 'case-1', value: invalid },
        { key: 'case-1', value: testEnvelope('case-1', { seq: 3 }) },
        { key: 'case-1', value: testEnvelope('case-1', { seq: 4 }) },
      ]);
      const db = track(await createSqliteDatabase({ path: join(dir, `dlq-${randomUUID()}.sqlite`) }));
      await db.execute(EFFECTS_DDL);
      const group = `dlq-${randomUUID()}`;
      const attempts: number[] = [];
      const consumer = await startConsumer({
        // Test event types are not in the contracts catalogue: check the envelope schema only.
        validate: contractsEnvelopeValidator,
        bus,
        db,
        group,
        topics: [topic],
        maxAttempts: 3,
        backoff: { initialMs: 5, maxMs: 20 },
        handle: async (tx, envelope, context) => {
          const data = envelope.data as { seq: number; poison?: boolean };
          // The write happens first, so a rollback is what keeps it out.
          await tx.execute('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
            envelope.id,
            envelope.subject,
            data.seq,
          ]);
          if (data.poison) {
            attempts.push(context.attempt);
            throw new Error('cannot handle poison');
          }
        },
      });
      await eventually(
        () => countRows(db, 'SELECT COUNT(*) AS n FROM effects'),
        (n) => n >= 3,
        'the healthy messages',
      );
      await eventually(
        () => deadLetterStore.count(db, group),
        (n) => n >= 2,
        'two dead letters',
      );
      await consumer.stop();

      const rows = await db.query<{ seq: number }>('SELECT seq FROM effects ORDER BY rowid');
      expect(rows.map((r) => Number(r.seq))).toEqual([0, 3, 4]);
      expect(attempts.slice(-3)).toEqual([1, 2, 3]);
      const letters = await deadLetterStore.list(db, { consumer: group });
      const poisoned = letters.find((l) => l.eventId === poison.id);
      expect(poisoned).toMatchObject({ attempts: 3, topic, eventType: poison.type });
      expect(poisoned!.error).toContain('cannot handle poison');
      expect(poisoned!.envelope).toEqual(poison);
      const rejected = letters.find((l) => l.eventId === invalid.id);
      expect(rejected).toMatchObject({ attempts: 0 });
      expect(rejected!.error).toMatch(/^schema: .*specversion/);
    });
  });
}
