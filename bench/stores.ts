/**
 * The two stores a benchmark measures: the embedded default (SQLite files in a private temporary
 * folder) and PostgreSQL (a schema of its own, dropped afterwards). `BENCH_ADAPTERS=sqlite,postgres`
 * chooses (both by default).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresEventStore } from '../infra/src/eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '../infra/src/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '../infra/src/eventStore/types.js';
import { createPostgresDatabase } from '../infra/src/sql/postgresDatabase.js';
import { createSqliteDatabase } from '../infra/src/sql/sqliteDatabase.js';
import type { SqlDatabase } from '../infra/src/sql/types.js';
import { dropSchema, PG_URL, randomSchemaName } from '../infra/src/testing/postgres.js';

export type Adapter = 'sqlite' | 'postgres';

export function adaptersFrom(env = 'BENCH_ADAPTERS'): Adapter[] {
  const raw = (process.env[env] ?? 'sqlite,postgres').split(',').map((a) => a.trim());
  for (const a of raw) if (a !== 'sqlite' && a !== 'postgres') throw new Error(`${env}: sqlite|postgres, got ${a}`);
  return raw as Adapter[];
}

export interface BenchStores {
  adapter: Adapter;
  store: EventStore;
  /** The service's read-model database. */
  db: SqlDatabase;
  /** Another database on the same adapter (a second service's, a key store's). */
  openDatabase(name: string): Promise<SqlDatabase>;
  close(): Promise<void>;
}

export async function openBenchStores(adapter: Adapter, tag: string): Promise<BenchStores> {
  const closers: Array<() => Promise<void>> = [];
  if (adapter === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `estia-bench-${tag}-`));
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const openDatabase = async (name: string) => {
      const db = await createSqliteDatabase({ path: join(dir, `${name}.sqlite`) });
      closers.push(() => db.close());
      return db;
    };
    const db = await openDatabase('read');
    return {
      adapter,
      store,
      db,
      openDatabase,
      async close() {
        for (const c of closers.reverse()) await c();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schemas: string[] = [];
  const schema = (suffix: string) => {
    const name = `${randomSchemaName(`bench_${tag}`)}_${suffix}`;
    schemas.push(name);
    return name;
  };
  const store = await createPostgresEventStore({ connectionString: PG_URL, schema: schema('events'), poolSize: 10 });
  const openDatabase = async (name: string) => {
    const db = await createPostgresDatabase({ url: PG_URL, schema: schema(name), max: 4 });
    closers.push(() => db.close());
    return db;
  };
  const db = await openDatabase('read');
  return {
    adapter,
    store,
    db,
    openDatabase,
    async close() {
      for (const c of closers.reverse()) await c();
      await store.close();
      for (const s of schemas) await dropSchema(s, PG_URL);
    },
  };
}
