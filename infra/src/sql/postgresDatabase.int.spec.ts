import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '../testing/postgres.js';
import { isConnectionLost } from './connectionLost.js';
import { createPostgresDatabase } from './postgresDatabase.js';
import { describeSqlDatabaseContract } from './sqlDatabaseContract.js';
import type { SqlDatabase } from './types.js';

const available = await postgresAvailable();
const schemas = new WeakMap<SqlDatabase, string>();

describe.skipIf(!available)('PostgreSQL SqlDatabase', () => {
  describeSqlDatabaseContract(
    'postgres',
    async () => {
      const schema = randomSchemaName('sqldb');
      const db = await createPostgresDatabase({ url: PG_URL, schema, max: 4 });
      schemas.set(db, schema);
      return db;
    },
    async (db) => {
      await db.close();
      await dropSchema(schemas.get(db)!);
    },
  );

  it('creates the schema if missing and confines unqualified tables to it', async () => {
    const schema = randomSchemaName('sqldb');
    const db = await createPostgresDatabase({ url: PG_URL, schema });
    try {
      await db.execute('CREATE TABLE confined (x INT)');
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      const { rows } = await client.query(
        'SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2',
        ['confined', schema],
      );
      await client.end();
      expect(rows).toEqual([{ table_schema: schema }]);
      // Opening again on an existing schema is fine.
      const again = await createPostgresDatabase({ url: PG_URL, schema });
      expect(await again.query('SELECT count(*) AS c FROM confined')).toEqual([{ c: 0 }]);
      await again.close();
    } finally {
      await db.close();
      await dropSchema(schema);
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(createPostgresDatabase({ url: PG_URL, schema: 'x"; DROP SCHEMA public; --' })).rejects.toThrow(
      /invalid schema name/,
    );
  });

  it('a connection cut under a transaction is a recognisable, transient failure: the next query works', async () => {
    const schema = randomSchemaName('sqldb');
    const db = await createPostgresDatabase({ url: PG_URL, schema, max: 1 });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const cut = db.transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
        await tx.query('SELECT 1');
      });
      const error = await cut.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      expect(isConnectionLost(error)).toBe(true);
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await db.close();
      await dropSchema(schema);
    }
  });

  it('a statement error is not mistaken for a lost connection', async () => {
    const schema = randomSchemaName('sqldb');
    const db = await createPostgresDatabase({ url: PG_URL, schema });
    try {
      const error = await db.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
      expect(isConnectionLost(error)).toBe(false);
    } finally {
      await db.close();
      await dropSchema(schema);
    }
  });
});
