import { mkdtempSync } from 'node:fs';
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

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
