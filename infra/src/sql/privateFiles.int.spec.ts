import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { writePrivateFile } from './privateFiles.js';
import { createSqliteDatabase } from './sqliteDatabase.js';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('data files are readable by their owner only', () => {
  const root = mkdtempSync(join(tmpdir(), 'private-files-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates SQLite databases 0600 (their WAL and SHM too) in 0700 folders', async () => {
    const path = join(root, 'new', 'nested', 'read.sqlite');
    const db = await createSqliteDatabase({ path });
    await db.execute('CREATE TABLE t (x TEXT)');
    await db.execute("INSERT INTO t VALUES ('x')");
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    expect([mode(join(root, 'new', 'nested')), mode(join(root, 'new'))]).toEqual(['700', '700']);
    await db.close();
  });

  it('tightens files and folders an earlier version left readable by others', async () => {
    const dir = join(root, 'old');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const name of ['events.sqlite', 'bus.sqlite', 'read.sqlite']) {
      writeFileSync(join(dir, name), '');
      chmodSync(join(dir, name), 0o644);
    }
    writeFileSync(join(dir, 'read.sqlite-wal'), '');
    chmodSync(join(dir, 'read.sqlite-wal'), 0o644);
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const bus = createEmbeddedBus({ path: join(dir, 'bus.sqlite') });
    const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    for (const name of ['events.sqlite', 'bus.sqlite', 'read.sqlite']) expect(mode(join(dir, name)), name).toBe('600');
    expect(mode(dir)).toBe('700');
    await db.close();
    await bus.close();
    await store.close();
  });

  it('writes secrets and credentials 0600, also over a file that was wider', () => {
    const path = join(root, 'secrets', 'demo-credentials.txt');
    writePrivateFile(path, 'first\n');
    chmodSync(path, 0o644);
    writePrivateFile(path, 'second\n');
    expect([mode(path), mode(join(root, 'secrets'))]).toEqual(['600', '700']);
  });
});
