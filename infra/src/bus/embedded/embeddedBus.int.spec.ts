import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { busContract } from '../../testing/busContract.js';
import { testEnvelope } from '../../processors/testWorkers/testEnvelope.js';
import type { DeliveredMessage } from '../types.js';
import { createEmbeddedBus } from './embeddedBus.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-embedded-bus-'));

busContract({
  name: 'embedded (SQLite)',
  skipReason: null,
  config: () => ({ kind: 'embedded', path: join(dir, `bus-${randomUUID()}.sqlite`), batchSize: 20 }),
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

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
