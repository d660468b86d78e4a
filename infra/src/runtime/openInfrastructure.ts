import { join } from 'node:path';
import type { BaseConfig } from '../config/baseConfig.js';
import type { EventStore } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import type { Bus } from '../bus/types.js';
import type { BusLogger } from '../bus/logger.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { createPostgresEventStore } from '../eventStore/postgres/postgresEventStore.js';
import { KurrentDbEventStore } from '../eventStore/kurrentdb/kurrentdbEventStore.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import { createPostgresDatabase } from '../sql/postgresDatabase.js';
import { createBus } from '../bus/createBus.js';
import type { ServiceName } from './serviceName.js';

export interface Infrastructure {
  store: EventStore;
  /** Read models, checkpoints, inbox, idempotency keys: the service's own tables. */
  db: SqlDatabase;
  bus: Bus;
  /** In start order; shut down in reverse. */
  closers: { name: string; close: () => Promise<void> }[];
  describe(): string;
}

/**
 * Picks the adapters the configuration asks for. Each service owns its data: its own SQLite files
 * (embedded) or its own PostgreSQL schemas (`<service>` for read models, `<service>_events` for the log).
 * Read models live in PostgreSQL whenever PG_URL is given, otherwise next to the embedded store.
 */
export async function openInfrastructure(
  service: ServiceName,
  config: BaseConfig & { PG_SCHEMA?: string | undefined },
  logger?: BusLogger,
): Promise<Infrastructure> {
  const dir = join(config.DATA_DIR, service);
  const schema = config.PG_SCHEMA ?? service;
  const closers: Infrastructure['closers'] = [];

  const store: EventStore =
    config.EVENT_STORE === 'postgres'
      ? await createPostgresEventStore({ connectionString: config.PG_URL!, schema: `${schema}_events` })
      : config.EVENT_STORE === 'kurrentdb'
        ? new KurrentDbEventStore({ connectionString: config.KURRENTDB_URL!, streamPrefix: `${service}-` })
        : createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  closers.push({ name: 'event store', close: () => store.close() });

  const db: SqlDatabase = config.PG_URL
    ? await createPostgresDatabase({ url: config.PG_URL, schema, applicationName: `estia-${service}` })
    : await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  closers.push({ name: 'read models', close: () => db.close() });

  const bus =
    config.BUS === 'kafka'
      ? createBus(
          {
            kind: 'kafka',
            brokers: config.KAFKA_BROKERS!,
            clientId: `estia-${service}`,
            retentionMs: config.RETENTION_BUS_HOURS * 3_600_000,
          },
          logger,
        )
      : createBus({ kind: 'embedded', path: join(config.DATA_DIR, 'bus.sqlite') }, logger);
  closers.push({ name: 'bus', close: () => bus.close() });

  return {
    store,
    db,
    bus,
    closers,
    describe: () =>
      `event store ${store.kind}, read models ${db.dialect}, bus ${bus.kind}` +
      (config.EVENT_STORE === 'sqlite' || !config.PG_URL ? ` (data in ${dir})` : ''),
  };
}
