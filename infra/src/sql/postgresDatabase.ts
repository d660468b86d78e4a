import pg from 'pg';
import type { SqlDatabase, SqlExecutor } from './types.js';
import { checkoutClient } from './checkoutClient.js';
import { guardPool } from './guardPool.js';

export interface PostgresDatabaseOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** Every connection's search_path; created if missing. One schema per service (and per test). */
  schema: string;
  /** Pool size. Default 10. */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

const INT8_OID = 20;

/**
 * SqlDatabase on a pg Pool. The search_path is set at connection start-up (a libpq option), so no
 * query can ever run against another service's schema. int8 columns (counts, positions) come back as
 * JavaScript numbers, as they do from SQLite; values above 2^53 are not expected in read models.
 */
export const createPostgresDatabase = async (options: PostgresDatabaseOptions): Promise<SqlDatabase> => {
  assertSchemaName(options.schema);
  const quoted = `"${options.schema}"`;

  // Schema creation needs a connection whose search_path does not depend on the schema existing yet.
  const setup = new pg.Client({ connectionString: options.url });
  await setup.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a unique violation.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await setup.end();
  }

  const pool = guardPool(
    new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      options: `-c search_path=${quoted}`,
      application_name: options.applicationName ?? 'estia',
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (value: string) => Number(value)
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    }),
  );

  const executorFor = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
    dialect: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query(sql, params as unknown[]);
      // Several statements in one string (migrations) yield an array of results.
      if (Array.isArray(result)) return [];
      return result.rows as Row[];
    },
    async execute(sql: string, params: readonly unknown[] = []): Promise<{ rowCount: number }> {
      const result = (await client.query(sql, params as unknown[])) as pg.QueryResult | pg.QueryResult[];
      if (Array.isArray(result)) return { rowCount: result.reduce((n, r) => n + (r.rowCount ?? 0), 0) };
      return { rowCount: result.rowCount ?? 0 };
    },
  });

  const poolExecutor = executorFor(pool);
  let closed = false;

  return {
    ...poolExecutor,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await checkoutClient(pool);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(executorFor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable; destroy it instead of returning it to the pool.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        client.done(broken);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
};

/** The schema name goes into DDL and a connection option, so only plain identifiers are accepted. */
const assertSchemaName = (schema: string): void => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}": use [a-z_][a-z0-9_]*`);
};
