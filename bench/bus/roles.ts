/**
 * The two child processes of `pnpm bench:bus`: a relay (the publishing service's event store → the
 * embedded bus) and a consumer (the bus → another service's SQLite database). Run as
 * `node --import tsx bench/bus/roles.ts relay|consumer` with paths in the environment.
 */
import { createEmbeddedBus } from '../../infra/src/bus/embedded/embeddedBus.js';
import { topicFor } from '../../infra/src/bus/types.js';
import { createSqliteEventStore } from '../../infra/src/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '../../infra/src/sql/sqliteDatabase.js';
import { startConsumer } from '../../infra/src/processors/consumer.js';
import { contractsEnvelopeValidator } from '../../infra/src/processors/envelopeValidator.js';
import { startRelay } from '../../infra/src/processors/relay.js';
import { testEnvelope } from '../../infra/src/processors/testWorkers/testEnvelope.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const now = (): number => performance.timeOrigin + performance.now();
const topic = topicFor('registry');
const bus = createEmbeddedBus({ path: env('BUS_PATH') });
const role = process.argv[2];
let stop: () => Promise<void>;

if (role === 'relay') {
  // The relay runs in its own process here, so it sees the appender's commits by polling the store file.
  const store = createSqliteEventStore({ path: env('STORE_PATH'), pollIntervalMs: 20 });
  const db = await createSqliteDatabase({ path: env('RELAY_DB_PATH') });
  const relay = await startRelay({
    store,
    db,
    bus,
    name: 'bench.relay',
    map: (event) => ({
      topic,
      key: event.streamId,
      envelope: testEnvelope(event.streamId, event.data as Record<string, unknown>, event.id),
    }),
  });
  stop = async () => {
    await relay.stop();
    await store.close();
    await db.close();
  };
} else if (role === 'consumer') {
  const db = await createSqliteDatabase({ path: env('CONSUMER_DB_PATH') });
  await db.execute(
    'CREATE TABLE IF NOT EXISTS bench_effects (event_id TEXT PRIMARY KEY, phase TEXT NOT NULL, seq INTEGER NOT NULL, sent_at REAL NOT NULL, handled_at REAL NOT NULL)',
  );
  const consumer = await startConsumer({
    // Test event types are not in the contracts catalogue: check the envelope schema only.
    validate: contractsEnvelopeValidator,
    bus,
    db,
    group: 'bench.consumer',
    topics: [topic],
    handle: async (tx, envelope) => {
      const data = envelope.data as { phase: string; seq: number; sentAt: number };
      await tx.execute(
        'INSERT INTO bench_effects (event_id, phase, seq, sent_at, handled_at) VALUES ($1, $2, $3, $4, $5)',
        [envelope.id, data.phase, data.seq, data.sentAt, now()],
      );
    },
  });
  stop = async () => {
    await consumer.stop();
    await db.close();
  };
} else {
  throw new Error(`role must be relay or consumer, got ${role}`);
}

process.once('SIGTERM', () => {
  void (async () => {
    await stop();
    await bus.close();
    process.exit(0);
  })();
});
process.stdout.write('ready\n');
