import { createPostgresDatabase } from '../sql/postgresDatabase.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from './postgres.js';

export interface SqlBackend {
  name: 'sqlite' | 'postgres';
  /** PostgreSQL unreachable (outside CI; under CI=true postgresAvailable fails instead). */
  skip: boolean;
  /** A fresh, empty database (SQLite in memory, or its own PostgreSQL schema); `close` removes it. */
  open: () => Promise<{ db: SqlDatabase; close: () => Promise<void> }>;
}

/** Both SqlDatabase adapters, for specs that run the same tests against each. */
export async function sqlBackends(schemaPrefix: string): Promise<SqlBackend[]> {
  const pgUp = await postgresAvailable();
  return [
    {
      name: 'sqlite',
      skip: false,
      open: async () => {
        const db = await createSqliteDatabase({ path: ':memory:' });
        return { db, close: () => db.close() };
      },
    },
    {
      name: 'postgres',
      skip: !pgUp,
      open: async () => {
        const schema = randomSchemaName(schemaPrefix);
        const db = await createPostgresDatabase({ url: PG_URL, schema, max: 4 });
        return {
          db,
          close: async () => {
            await db.close();
            await dropSchema(schema);
          },
        };
      },
    },
  ];
}
