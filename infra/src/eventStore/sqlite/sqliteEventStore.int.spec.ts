import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventStoreContract } from '../../testing/eventStoreContract.js';
import type { StoredEvent } from '../types.js';
import { SqliteEventStore } from './sqliteEventStore.js';

const tempFile = (): { path: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'estia-es-'));
  return { path: join(dir, 'events.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

eventStoreContract('sqlite', async () => {
  const file = tempFile();
  const store = new SqliteEventStore({ path: file.path });
  return {
    store,
    tamper: async (streamId, revision) => {
      const raw = new Database(file.path);
      raw
        .prepare(`UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE stream_id = ? AND revision = ?`)
        .run(streamId, revision);
      raw.close();
    },
    reopen: async () => new SqliteEventStore({ path: file.path }),
    cleanup: async () => {
      await store.close();
      file.remove();
    },
  };
});

describe('SqliteEventStore on a shared file', () => {
  it('opens WAL with synchronous=FULL so every resolved append is durable', async () => {
    const file = tempFile();
    const store = new SqliteEventStore({ path: file.path });
    await store.append('s', [{ type: 'A', data: {} }]);
    const raw = new Database(file.path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    // synchronous is per connection: read it on the store's own connection.
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
    file.remove();
  });

  it('a second connection on the same file sees appends live and can append itself', async () => {
    const file = tempFile();
    const writer = new SqliteEventStore({ path: file.path });
    const reader = new SqliteEventStore({ path: file.path, pollIntervalMs: 20 });
    try {
      const seen: StoredEvent[] = [];
      const sub = reader.subscribe((events) => void seen.push(...events));
      await sub.caughtUp;
      await writer.append('s', [{ type: 'FromWriter', data: { n: 1 } }]);
      const deadline = Date.now() + 5_000;
      while (seen.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(seen.map((e) => e.type)).toEqual(['FromWriter']);
      await reader.append('s', [{ type: 'FromReader', data: {} }], { expectedVersion: 0 });
      expect((await writer.readStream('s')).map((e) => e.type)).toEqual(['FromWriter', 'FromReader']);
      expect((await writer.verifyStream('s')).ok).toBe(true);
      await sub.stop();
    } finally {
      await reader.close();
      await writer.close();
      file.remove();
    }
  });
});
