/**
 * A consuming service reduced to its bus consumer, run as a real child process by the bus contract
 * suite so that it can be SIGKILLed in the middle of a batch. Env: BUS_CONFIG (JSON BusConfig), DB_PATH,
 * GROUP, TOPIC, DELAY_MS (per message, to make batches slow enough to be killed inside).
 * Prints `handling <offset>` inside the handler's transaction; exits cleanly on SIGTERM.
 */
import { createBus, type BusConfig } from '../../bus/createBus.js';
import { createSqliteDatabase } from '../../sql/sqliteDatabase.js';
import { startConsumer } from '../consumer.js';
import { contractsEnvelopeValidator } from '../envelopeValidator.js';
import { EFFECTS_DDL } from './testEnvelope.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const bus = createBus(JSON.parse(env('BUS_CONFIG')) as BusConfig);
const db = await createSqliteDatabase({ path: env('DB_PATH') });
await db.execute(EFFECTS_DDL);
const delayMs = Number(process.env.DELAY_MS ?? '0');

const consumer = await startConsumer({
  // Test event types are not in the contracts catalogue: check the envelope schema only.
  validate: contractsEnvelopeValidator,
  bus,
  db,
  group: env('GROUP'),
  topics: [env('TOPIC')],
  backoff: { initialMs: 10, maxMs: 100 },
  handle: async (tx, envelope, context) => {
    // Printed inside the open transaction: a kill right after this line lands mid-batch.
    process.stdout.write(`handling ${context.offset}\n`);
    const data = envelope.data as { seq: number };
    await tx.execute('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
      envelope.id,
      envelope.subject,
      data.seq,
    ]);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  },
});
// Before any line is printed: the parent may signal as soon as it reads one.
process.once('SIGTERM', () => {
  void (async () => {
    await consumer.stop();
    await bus.close();
    await db.close();
    process.exit(0);
  })();
});
process.stdout.write('ready\n');
