import { join } from 'node:path';
import { createPostgresEventStore } from '../../infra/src/eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '../../infra/src/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '../../infra/src/eventStore/types.js';
import { createPostgresDatabase } from '../../infra/src/sql/postgresDatabase.js';
import { createSqliteDatabase } from '../../infra/src/sql/sqliteDatabase.js';
import type { SqlDatabase } from '../../infra/src/sql/types.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface StoreLocation {
  kind: StoreKind;
  dataDir: string;
  pgUrl?: string;
}

/** A service's log and read models where the service keeps them (see infra's openInfrastructure). */
export async function openServiceStores(
  at: StoreLocation,
  service: string,
): Promise<{ store: EventStore; db: SqlDatabase; close(): Promise<void> }> {
  const store =
    at.kind === 'postgres'
      ? await createPostgresEventStore({ connectionString: at.pgUrl!, schema: `${service}_events` })
      : createSqliteEventStore({ path: join(at.dataDir, service, 'events.sqlite') });
  const db = await openDatabase(at, service, service === 'referrals' ? 'read' : 'read');
  return {
    store,
    db,
    close: async () => {
      await db.close();
      await store.close();
    },
  };
}

/** A database of the service: `read` (its read models), `keys`, or a fresh `rebuild` one. */
export async function openDatabase(at: StoreLocation, service: string, name: string): Promise<SqlDatabase> {
  if (at.kind === 'postgres')
    return createPostgresDatabase({ url: at.pgUrl!, schema: name === 'read' ? service : `${service}_${name}` });
  return createSqliteDatabase({ path: join(at.dataDir, service, `${name}.sqlite`) });
}
