import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { busContract } from '../../testing/busContract.js';
import { testEnvelope } from '../../processors/testWorkers/testEnvelope.js';
import type { EventEnvelope } from '@estia/contracts';
import type { DeliveredMessage } from '../types.js';
import { createEmbeddedBus } from './embeddedBus.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-embedded-bus-'));

busContract({
  name: 'embedded (SQLite)',
  skipReason: null,
  config: () => ({ kind: 'embedded', path: join(dir, `bus-${randomUUID()}.sqlite`), batchSize: 20 }),
});

describe('embedded bus: batch size', () => {
  it("a consumer's maxBatchSize overrides the bus's batch size, also upwards (a catching-up read model)", async () => {
    const bus = createEmbeddedBus({ path: join(dir, `batch-${randomUUID()}.sqlite`), batchSize: 20 });
    try {
      const topic = 'estia.referrals';
      await bus.publish(
        topic,
        Array.from({ length: 120 }, (_, seq) => ({ key: 'k', value: testEnvelope('k', { seq }) })),
      );
      const sizes: number[] = [];
      const consumer = await bus.consume({
        group: 'insights.x',
        topics: [topic],
        fromBeginning: true,
        maxBatchSize: 50,
        handler: async (batch) => void sizes.push(batch.length),
      });
      await waitUntil(() => sizes.reduce((a, b) => a + b, 0) === 120);
      await consumer.stop();
      expect(sizes).toEqual([50, 50, 20]);
    } finally {
      await bus.close();
    }
  });
});

describe('embedded bus: consumer groups across members', () => {
  it('gives a topic to one member of a group at a time, hands it over on stop, and serves every group', async () => {
    const path = join(dir, `groups-${randomUUID()}.sqlite`);
    const publisher = createEmbeddedBus({ path });
    // Two handles on one file stand for two service processes.
    const memberA = createEmbeddedBus({ path, pollIntervalMs: 5 });
    const memberB = createEmbeddedBus({ path, pollIntervalMs: 5 });
    const topic = 'estia.matching';
    const seenBy = { a: [] as string[], b: [] as string[], other: [] as string[] };
    const record = (who: keyof typeof seenBy) => async (batch: DeliveredMessage[]) =>
      void seenBy[who].push(...batch.map((m) => m.offset));
    try {
      const a = await memberA.consume({
        group: 'matching.x',
        topics: [topic],
        fromBeginning: true,
        handler: record('a'),
      });
      const b = await memberB.consume({
        group: 'matching.x',
        topics: [topic],
        fromBeginning: true,
        handler: record('b'),
      });
      const other = await memberB.consume({
        group: 'referrals.y',
        topics: [topic],
        fromBeginning: true,
        handler: record('other'),
      });
      await publisher.publish(
        topic,
        [0, 1, 2].map((seq) => ({ key: 'k', value: testEnvelope('k', { seq }) })),
      );
      await waitUntil(() => seenBy.a.length === 3 && seenBy.other.length === 3);
      expect(seenBy.b).toEqual([]);

      await a.stop();
      await publisher.publish(
        topic,
        [3, 4].map((seq) => ({ key: 'k', value: testEnvelope('k', { seq }) })),
      );
      await waitUntil(() => seenBy.b.length === 2);
      // B starts from A's committed offset: nothing redelivered, nothing skipped.
      expect(seenBy.b).toEqual(['3', '4']);
      expect(seenBy.a).toEqual(['0', '1', '2']);
      await b.stop();
      await other.stop();
    } finally {
      await Promise.all([publisher.close(), memberA.close(), memberB.close()]);
    }
  });
});

describe('embedded bus: forget zeroes what it deletes', () => {
  it('leaves no byte of forgotten keys in the file or WAL, across page splits and overflow pages', async () => {
    const path = join(dir, `forget-${randomUUID()}.sqlite`);
    const bus = createEmbeddedBus({ path });
    // Another process's handle, consuming meanwhile: the WAL truncation must wait for its reads, not fail.
    const other = createEmbeddedBus({ path, pollIntervalMs: 1 });
    const topic = 'estia.referrals';
    const secret = (key: string, seq: number): string => `secret-${key}-${seq}-${randomUUID()}`;
    const secrets = new Map<string, string[]>();
    const delivered = new Set<string>();
    const consumer = await other.consume({
      group: 'matching.candidates',
      topics: [topic],
      fromBeginning: true,
      handler: async (batch) => batch.forEach((m) => delivered.add(m.value.id)),
    });
    const erasures = new Map<string, string>();
    try {
      // Interleaved keys, some values far beyond a page: splits move cells, overflow chains hold the rest.
      for (let round = 0; round < 20; round++) {
        const messages = [];
        for (let k = 0; k < 25; k++) {
          const key = `client-${k}`;
          const value = secret(key, round);
          secrets.set(key, [...(secrets.get(key) ?? []), value]);
          const padding = round % 5 === 0 ? 'x'.repeat(9_000) : '';
          messages.push({ key, value: testEnvelope(key, { seq: round, legalStatusUntil: value, padding }) });
        }
        await bus.publish(topic, messages);
      }
      const erased = Array.from({ length: 25 }, (_, k) => `client-${k}`).filter((_, k) => k % 3 === 0);
      for (const key of erased) {
        const erasure = testEnvelope(key, { erased: true });
        erasures.set(key, erasure.id);
        await bus.publish(topic, [{ key, value: erasure }]);
        await bus.forget(topic, key, { beforeEventId: erasure.id });
      }
      // It reads up to the last erasure: it read the forgotten messages or skipped their gap, whichever came.
      await waitUntil(() => delivered.has(erasures.get(erased.at(-1)!)!));

      const onDisk = (): string =>
        [path, `${path}-wal`]
          .filter((file) => existsSync(file))
          .map((file) => readFileSync(file).toString('latin1'))
          .join('\n');
      const check = (bytes: string): void => {
        for (const [key, values] of secrets) {
          const kept = values.filter((value) => bytes.includes(value));
          expect(kept.length, key).toBe(erased.includes(key) ? 0 : values.length);
        }
      };
      check(onDisk());
      const fresh: DeliveredMessage[] = [];
      const reader = await bus.consume({
        group: 'fresh',
        topics: [topic],
        fromBeginning: true,
        handler: async (batch) => void fresh.push(...batch),
      });
      await waitUntil(() => fresh.length >= 500 - erased.length * 20 + erased.length);
      await reader.stop();
      for (const key of erased)
        expect(fresh.filter((m) => m.key === key).map((m) => m.value.id)).toEqual([erasures.get(key)]);
      expect(fresh.filter((m) => m.key === 'client-1')).toHaveLength(20);
      await consumer.stop();
      await Promise.all([bus.close(), other.close()]);
      check(onDisk());
    } finally {
      await Promise.all([bus.close(), other.close()]);
    }
  });
});

describe('embedded bus: forget leaves no stale copy behind page splits', () => {
  // Deterministic sizes (seeded): under the former clustered bus_log, seeds 20 and 62 left a forgotten
  // message in the unallocated gap of a leaf page that a split had rebuilt, where secure_delete never reaches.
  const seeded = (seed: number) => (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  it('keeps every other message and no byte of the forgotten ones, seeds 1 to 80', async () => {
    const leftovers: string[] = [];
    for (let seed = 1; seed <= 80; seed++) {
      const random = seeded(seed);
      const path = join(dir, `split-${seed}-${randomUUID()}.sqlite`);
      const bus = createEmbeddedBus({ path });
      const secrets: { key: string; value: string }[] = [];
      const messages = Array.from({ length: 120 }, (_, i) => {
        const key = `client-${Math.floor(random() * 6)}`;
        const value = `secret-${key}-${i}-`;
        secrets.push({ key, value });
        // Bare values, not envelopes: the bus stores any JSON, and these sizes are the ones that split badly.
        const data = value + 'x'.repeat(Math.floor(random() * 1500)) + value;
        return { key, value: { id: randomUUID(), data } as unknown as EventEnvelope };
      });
      await bus.publish('estia.referrals', messages);
      const erased = ['client-0', 'client-1'];
      for (const key of erased) {
        const erasure = testEnvelope(key, { erased: true });
        await bus.publish('estia.referrals', [{ key, value: erasure }]);
        await bus.forget('estia.referrals', key, { beforeEventId: erasure.id });
      }
      await bus.close();
      const bytes = [path, `${path}-wal`]
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('latin1'))
        .join('\n');
      for (const { key, value } of secrets)
        if (bytes.includes(value) !== !erased.includes(key)) leftovers.push(`seed ${seed}: ${value}`);
    }
    expect(leftovers).toEqual([]);
  });

  it('moves a file written with the clustered log to the rowid log, dropping the old pages', async () => {
    const path = join(dir, `clustered-${randomUUID()}.sqlite`);
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE bus_log (topic TEXT NOT NULL, offset INTEGER NOT NULL, key TEXT NOT NULL,
      value TEXT NOT NULL, published_at INTEGER NOT NULL, PRIMARY KEY (topic, offset)) WITHOUT ROWID;
      CREATE INDEX bus_log_by_key ON bus_log (topic, key);
      CREATE TABLE bus_topics (topic TEXT PRIMARY KEY, next_offset INTEGER NOT NULL) WITHOUT ROWID;`);
    const envelopes = [0, 1, 2].map((seq) => testEnvelope('client-9', { seq }));
    envelopes.forEach((envelope, offset) =>
      old
        .prepare('INSERT INTO bus_log VALUES (?, ?, ?, ?, ?)')
        .run('t', offset, 'client-9', JSON.stringify(envelope), Date.now()),
    );
    old.prepare('INSERT INTO bus_topics VALUES (?, ?)').run('t', 3);
    old.close();

    const bus = createEmbeddedBus({ path });
    try {
      const seen: string[] = [];
      const consumer = await bus.consume({
        group: 'g',
        topics: ['t'],
        fromBeginning: true,
        handler: async (batch) => void seen.push(...batch.map((m) => `${m.offset}:${m.value.id}`)),
      });
      await bus.publish('t', [{ key: 'client-9', value: testEnvelope('client-9', { seq: 3 }) }]);
      await waitUntil(() => seen.length === 4);
      await consumer.stop();
      expect(seen.slice(0, 3)).toEqual(envelopes.map((e, offset) => `${offset}:${e.id}`));
      expect(seen[3]).toMatch(/^3:/);
    } finally {
      await bus.close();
    }
    const after = new Database(path, { readonly: true });
    const tables = after
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE name LIKE 'bus_log%'")
      .all();
    after.close();
    expect(tables.map((t) => t.name).sort()).toEqual(['bus_log', 'bus_log_by_key']);
    expect(tables.find((t) => t.name === 'bus_log')!.sql).not.toMatch(/WITHOUT ROWID/i);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
