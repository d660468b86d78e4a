import { describe, expect, it } from 'vitest';
import type { DeliveredMessage } from '../types.js';
import { processKafkaBatch, type BatchProcessorDeps, type KafkaBatchLike } from './batchProcessor.js';

const batchOf = (offsets: number[]): KafkaBatchLike => ({
  topic: 'estia.registry',
  partition: 2,
  messages: offsets.map((offset) => ({
    offset: String(offset),
    key: Buffer.from(`k-${offset % 2}`),
    value: Buffer.from(JSON.stringify({ id: `e-${offset}` })),
  })),
});

function recorder(overrides: Partial<BatchProcessorDeps> = {}) {
  const log: string[] = [];
  const deps: BatchProcessorDeps = {
    handler: async (messages: DeliveredMessage[]) => void log.push(`handle ${messages.map((m) => m.offset).join(',')}`),
    maxBatchSize: 2,
    canContinue: () => true,
    backoff: async (failures) => void log.push(`backoff ${failures}`),
    heartbeat: async () => undefined,
    commit: async (next) => void log.push(`commit ${next}`),
    ...overrides,
  };
  return { log, deps };
}

describe('processKafkaBatch', () => {
  it('handles slices in order and commits the offset after each slice, Kafka-style (last + 1)', async () => {
    const { log, deps } = recorder();
    await processKafkaBatch(batchOf([7, 8, 9]), deps);
    expect(log).toEqual(['handle 7,8', 'commit 9', 'handle 9', 'commit 10']);
  });

  it('retries a failing slice with growing backoff and commits only once it succeeded', async () => {
    let calls = 0;
    const { log, deps } = recorder({
      handler: async (messages) => {
        calls += 1;
        if (calls <= 2) throw new Error('db down');
        log.push(`handle ${messages.map((m) => m.offset).join(',')}`);
      },
      maxBatchSize: 10,
    });
    await processKafkaBatch(batchOf([1, 2]), deps);
    expect(log).toEqual(['backoff 1', 'backoff 2', 'handle 1,2', 'commit 3']);
  });

  it('stops without committing when the partition is revoked or the consumer stops', async () => {
    let running = true;
    const { log, deps } = recorder({
      handler: async () => {
        running = false;
        throw new Error('failed while being revoked');
      },
      canContinue: () => running,
    });
    await processKafkaBatch(batchOf([1, 2, 3]), deps);
    expect(log).toEqual(['backoff 1']);
  });

  it('passes keys, partition and parsed values; an unparsable value is handed on as text', async () => {
    const seen: DeliveredMessage[] = [];
    const { deps } = recorder({ handler: async (m) => void seen.push(...m), maxBatchSize: 10 });
    const batch = batchOf([4]);
    await processKafkaBatch(
      { ...batch, messages: [...batch.messages, { offset: '5', key: null, value: Buffer.from('not json') }] },
      deps,
    );
    expect(seen).toEqual([
      { topic: 'estia.registry', partition: 2, offset: '4', key: 'k-0', value: { id: 'e-4' } },
      { topic: 'estia.registry', partition: 2, offset: '5', key: '', value: 'not json' },
    ]);
  });

  it('passes tombstones (null values) over without handling them, yet commits past them', async () => {
    const { log, deps } = recorder({ maxBatchSize: 2 });
    const batch = batchOf([1, 2, 3, 4, 5]);
    const tombstone = (offset: number) => ({ offset: String(offset), key: Buffer.from('k-gone'), value: null });
    await processKafkaBatch(
      { ...batch, messages: [batch.messages[0]!, tombstone(2), tombstone(3), tombstone(4), batch.messages[4]!] },
      deps,
    );
    // Slices of two raw messages: [1, t2] handles 1; [t3, t4] only commits; [5] handles 5.
    expect(log).toEqual(['handle 1', 'commit 3', 'commit 5', 'handle 5', 'commit 6']);
  });
});
