import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryProjection } from './registryProjections.js';

describe('a directory read model of the shape before locations were keyed by service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'registry-reshape-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is dropped with its checkpoint, so the projection rebuilds it', async () => {
    const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    await ensureProcessorTables(db);
    await db.execute(`CREATE TABLE registry_location_schedules (
      location_id TEXT NOT NULL, weekday INTEGER NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,
      PRIMARY KEY (location_id, weekday, opens))`);
    await db.execute(`INSERT INTO registry_location_schedules VALUES ('l', 1, '09:00', '17:00')`);
    await db.execute(
      `INSERT INTO estia_checkpoints (name, position, updated_at) VALUES ('registry.directory', 42, 'x')`,
    );

    await directoryProjection.migrate(db);

    const columns = await db.query<{ name: string }>(
      `SELECT name FROM pragma_table_info('registry_location_schedules')`,
    );
    expect(columns.map((c) => c.name)).toContain('service_id');
    expect(await db.query('SELECT * FROM registry_location_schedules')).toEqual([]);
    expect(await db.query(`SELECT * FROM estia_checkpoints WHERE name = 'registry.directory'`)).toEqual([]);
    // Once in the new shape, a restart keeps it.
    await db.execute(
      `INSERT INTO estia_checkpoints (name, position, updated_at) VALUES ('registry.directory', 43, 'x')`,
    );
    await directoryProjection.migrate(db);
    expect(await db.query(`SELECT position FROM estia_checkpoints WHERE name = 'registry.directory'`)).toHaveLength(1);
    await db.close();
  });
});
