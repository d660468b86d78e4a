// Run by runtime.int.spec.ts in a child process: a replica that runs one ticking processor on a shared
// SQLite file until it is killed.
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import { createSqlLeaseStore } from './leases.js';
import { createProcessorRuntime } from './runtime.js';
import { scheduleProcessor } from './scheduleProcessor.js';

const [path, name] = process.argv.slice(2) as [string, string];
const db = await createSqliteDatabase({ path });
await db.execute('CREATE TABLE IF NOT EXISTS ticks (job TEXT NOT NULL, owner TEXT NOT NULL)');
const leases = await createSqlLeaseStore(db);
// A long TTL: the standby may only take over this fast because the holder's process is gone.
const runtime = createProcessorRuntime({ leases, leaseTtlMs: 120_000 });
runtime.add(
  scheduleProcessor({
    name,
    everyMs: 5,
    tick: async () => {
      await db.execute('INSERT INTO ticks (job, owner) VALUES ($1, $2)', [name, 'child']);
      return 1;
    },
  }),
);
runtime.start();
await runtime.whenRunning(name);
console.log('running');
