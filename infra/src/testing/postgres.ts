import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { commitProbe, type CommitProbe } from './commitProbe.js';

/** The test server (override with PG_URL). */
export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True if a connection to `url` succeeds within `timeoutMs`. */
export async function isPostgresReachable(url = PG_URL, timeoutMs = 3_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * For `describe.skipIf(!(await postgresAvailable()))`: under CI=true an unreachable server is a failure
 * (throws, so the file fails), elsewhere it prints a "skipped:" line and returns false.
 */
export async function postgresAvailable(url = PG_URL): Promise<boolean> {
  if (await isPostgresReachable(url)) return true;
  const where = url.replace(/\/\/[^@/]*@/, '//');
  if (process.env.CI === 'true')
    throw new Error(`PostgreSQL unreachable at ${where} and CI=true: failing, not skipping`);
  console.log(`skipped: PostgreSQL unreachable at ${where} (set PG_URL)`);
  return false;
}

/** A schema name unique to one test (parallel test files never share one). */
export const randomSchemaName = (prefix = 'test'): string => `${prefix}_${randomBytes(6).toString('hex')}`;

/** Drops `schema` and everything in it. */
export async function dropSchema(schema: string, url = PG_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Selected pg_settings of the server (for benchmark reports). */
export async function serverSettings(names: readonly string[], url = PG_URL): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      'SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])',
      [names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}

/**
 * A bare one-row INSERT commit on this server right now: the floor under any durable single-event
 * append, recorded next to benchmark figures so they can be read on a shared disk.
 */
export async function commitLatencyProbe(samples = 2_000, url = PG_URL): Promise<CommitProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const table = pg.escapeIdentifier(`probe_${randomBytes(4).toString('hex')}`);
  try {
    await client.query(`CREATE TABLE ${table} (id int)`);
    const times: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const started = performance.now();
      await client.query(`INSERT INTO ${table} VALUES ($1)`, [i]);
      times.push(performance.now() - started);
    }
    return commitProbe(times);
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client.end();
  }
}
