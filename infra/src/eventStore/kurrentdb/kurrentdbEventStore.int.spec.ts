import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent, streamNameFilter } from '@kurrent/kurrentdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipLine } from '../../testing/containerRuntime.js';
import { eventStoreContract } from '../../testing/eventStoreContract.js';
import { ESTIA_METADATA_KEY } from './eventMapping.js';
import { KurrentDbEventStore } from './kurrentdbEventStore.js';
import { kurrentDbUnavailableReason, startKurrentDbForTests, type KurrentDbTestServer } from './testServer.js';

const unavailable = await kurrentDbUnavailableReason();
if (unavailable !== null) skipLine('KurrentDB adapter contract suite', unavailable);

// Each store gets its own stream namespace, so tests share one server yet each starts with an empty store.
const namespace = (): string => `estia-test-${randomUUID()}-`;

describe.skipIf(unavailable !== null)('KurrentDbEventStore', () => {
  let server: KurrentDbTestServer;
  // Writes around the adapter, as a forger with direct server access would.
  let raw: KurrentDBClient;

  beforeAll(async () => {
    server = await startKurrentDbForTests();
    raw = KurrentDBClient.connectionString(server.url);
  }, 180_000);

  afterAll(async () => {
    await raw?.dispose();
    await server?.stop();
  });

  // KurrentDB's log is immutable: an event cannot be altered in place, so the contract's tamper test does
  // not apply; the forged-append tests below cover what an attacker with server access can actually do.
  eventStoreContract(
    'kurrentdb',
    async () => {
      const streamPrefix = namespace();
      const store = new KurrentDbEventStore({ connectionString: server.url, streamPrefix });
      return {
        store,
        reopen: async () => new KurrentDbEventStore({ connectionString: server.url, streamPrefix }),
        cleanup: () => store.close(),
      };
    },
    { tamper: false },
  );

  describe('beyond the contract', () => {
    const withStore = async (fn: (store: KurrentDbEventStore) => Promise<void>): Promise<void> => {
      const store = new KurrentDbEventStore({ connectionString: server.url, streamPrefix: namespace() });
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    };

    it('reports an event appended around the adapter with a forged stamp', () =>
      withStore(async (store) => {
        await store.append('case', [
          { type: 'Opened', data: { n: 1 } },
          { type: 'Noted', data: { n: 2 } },
        ]);
        const [, last] = await store.readStream('case');
        // Plausible-looking forgery: reuses the previous hash and a fresh timestamp.
        await raw.appendToStream(
          store.physical('case'),
          jsonEvent({
            type: 'Closed',
            data: { n: 3 },
            metadata: { [ESTIA_METADATA_KEY]: { hash: last!.hash, recordedAt: new Date().toISOString() } },
          }),
          { streamState: 1n },
        );
        const result = await store.verifyStream('case');
        expect(result).toMatchObject({ ok: false, streamId: 'case', brokenAt: 2, events: 2, actual: last!.hash });
      }));

    it('reports an event written without any stamp, and hides system-typed records', () =>
      withStore(async (store) => {
        await store.append('case', [{ type: 'Opened', data: {} }]);
        await raw.appendToStream(store.physical('case'), jsonEvent({ type: 'Foreign', data: { x: 1 } }));
        await raw.appendToStream(store.physical('case'), jsonEvent({ type: '$internal', data: {} }));
        const events = await store.readStream('case');
        expect(events.map((e) => e.type)).toEqual(['Opened', 'Foreign']);
        expect(events[1]!.hash).toBe('');
        expect((await store.readAll()).map((e) => e.type)).toEqual(['Opened', 'Foreign']);
        expect(await store.verifyStream('case')).toMatchObject({ ok: false, brokenAt: 1, actual: '' });
      }));

    it('keeps non-UUID event ids and reports positions equal to the commit positions in $all', () =>
      withStore(async (store) => {
        const result = await store.append('case', [{ id: 'request-42/event-1', type: 'Opened', data: {} }]);
        const [event] = await store.readStream('case');
        expect(event!.id).toBe('request-42/event-1');
        expect((await store.verifyStream('case')).ok).toBe(true);
        const commits: bigint[] = [];
        const filter = streamNameFilter({ prefixes: [store.physical('case')] });
        for await (const resolved of raw.readAll({ filter })) {
          if (resolved.event !== undefined) commits.push(resolved.event.position.commit);
        }
        expect(commits).toEqual([BigInt(event!.position)]);
        expect(result.lastPosition).toBe(event!.position);
      }));

    it('refuses stream ids reserved for system streams', () =>
      withStore(async (store) => {
        await expect(store.append('$settings', [{ type: 'X', data: {} }])).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        });
      }));
  });
});
