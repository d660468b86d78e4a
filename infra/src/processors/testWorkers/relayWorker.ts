/**
 * A publishing service reduced to its relay, run as a child process by the bus contract suite.
 * Env: BUS_CONFIG, STORE_PATH (SQLite event store), DB_PATH (checkpoint database), TOPIC, BATCH_SIZE,
 * CRASH_AFTER_BATCH (SIGKILLs itself after the bus acknowledged that batch, before the checkpoint).
 * Prints `caught-up <position>` whenever the checkpoint reaches the end of the log; exits on SIGTERM.
 */
import { createBus, type BusConfig } from '../../bus/createBus.js';
import { createSqliteDatabase } from '../../sql/sqliteDatabase.js';
import { createSqliteEventStore } from '../../eventStore/sqlite/sqliteEventStore.js';
import { startRelay } from '../relay.js';
import { testRelayMapper } from './testEnvelope.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const bus = createBus(JSON.parse(env('BUS_CONFIG')) as BusConfig);
const store = createSqliteEventStore({ path: env('STORE_PATH') });
const db = await createSqliteDatabase({ path: env('DB_PATH') });
const crashAfter = Number(process.env.CRASH_AFTER_BATCH ?? '0');
let batches = 0;

const relay = await startRelay({
  store,
  db,
  bus,
  name: 'test.relay',
  map: testRelayMapper(env('TOPIC')),
  batchSize: Number(process.env.BATCH_SIZE ?? '500'),
  backoff: { initialMs: 20, maxMs: 200 },
  afterPublish: () => {
    batches += 1;
    if (batches === crashAfter) process.kill(process.pid, 'SIGKILL');
  },
});
// Before any line is printed: the parent may signal as soon as it reads one.
process.once('SIGTERM', () => {
  void (async () => {
    await relay.stop();
    await bus.close();
    await store.close();
    await db.close();
    process.exit(0);
  })();
});
await relay.caughtUp;
const [last] = await store.readAll({ after: -1 }).then((events) => events.slice(-1));
process.stdout.write(`caught-up ${relay.position()} of ${last?.position}\n`);
