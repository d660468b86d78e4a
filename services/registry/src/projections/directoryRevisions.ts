import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import { insertRows, into, type Column } from '@estia/infra/sql/multiRow.js';

/**
 * Change tracking for the in-memory search index (directoryIndexCache.ts). Every projected batch bumps
 * one revision and stamps the organisations and services it touched with it, in the projection's own
 * transaction; a reader holding revision R reloads just the rows stamped after R. Because the database
 * says what changed, the index stays right whichever process projects (this one, a CLI seeder, another
 * replica on the same PostgreSQL) and across a rebuild (`rebuilt_at` tells readers to start over).
 */
export const REVISION_DDL = [
  `CREATE TABLE IF NOT EXISTS registry_directory_meta (
    id INTEGER PRIMARY KEY,
    revision BIGINT NOT NULL,
    rebuilt_at BIGINT NOT NULL
  )`,
  `INSERT INTO registry_directory_meta (id, revision, rebuilt_at) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING`,
  `CREATE TABLE IF NOT EXISTS registry_directory_revisions (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
  )`,
  `CREATE INDEX IF NOT EXISTS registry_directory_revisions_revision ON registry_directory_revisions (revision)`,
];

export type ChangedKind = 'organisation' | 'service';

export async function ensureRevisionTables(db: SqlDatabase): Promise<void> {
  for (const statement of REVISION_DDL) await db.execute(statement);
}

/** What an event changes, for the index: its organisation or its service. */
export const changedBy = (event: StoredEvent): { kind: ChangedKind; id: string } | null => {
  const data = event.data as { organisationId?: unknown; serviceId?: unknown };
  if (event.type.startsWith('Service') && typeof data.serviceId === 'string')
    return { kind: 'service', id: data.serviceId };
  if (typeof data.organisationId === 'string') return { kind: 'organisation', id: data.organisationId };
  return null;
};

const REVISION_COLUMNS: readonly Column[] = [
  ['kind', 'TEXT'],
  ['id', 'TEXT'],
  ['revision', 'BIGINT'],
];

/**
 * Records one batch's changes. The UPDATE comes first so that, on PostgreSQL, concurrent projecting
 * transactions queue on the meta row and their revisions are ordered as they commit.
 */
export async function stampChanges(
  tx: SqlExecutor,
  changes: readonly { kind: ChangedKind; id: string }[],
): Promise<void> {
  if (changes.length === 0) return;
  await tx.execute('UPDATE registry_directory_meta SET revision = revision + 1 WHERE id = 1');
  const [meta] = await tx.query<{ revision: number | string }>(
    'SELECT revision FROM registry_directory_meta WHERE id = 1',
  );
  const revision = Number(meta!.revision);
  const unique = new Map<string, unknown[]>();
  for (const c of changes) unique.set(`${c.kind}/${c.id}`, [c.kind, c.id, revision]);
  await insertRows(
    tx,
    into('registry_directory_revisions', REVISION_COLUMNS),
    [...unique.values()],
    'ON CONFLICT (kind, id) DO UPDATE SET revision = excluded.revision',
  );
}

/** Before a rebuild: readers must drop what they hold and load again. */
export async function resetRevisions(tx: SqlExecutor): Promise<void> {
  await tx.execute('DELETE FROM registry_directory_revisions');
  await tx.execute(
    'UPDATE registry_directory_meta SET revision = revision + 1, rebuilt_at = revision + 1 WHERE id = 1',
  );
}

export async function readRevision(db: SqlExecutor): Promise<{ revision: number; rebuiltAt: number }> {
  const [meta] = await db.query<{ revision: number | string; rebuilt_at: number | string }>(
    'SELECT revision, rebuilt_at FROM registry_directory_meta WHERE id = 1',
  );
  return { revision: Number(meta?.revision ?? 0), rebuiltAt: Number(meta?.rebuilt_at ?? 0) };
}

export async function changedSince(
  db: SqlExecutor,
  revision: number,
): Promise<{ organisations: string[]; services: string[] }> {
  const rows = await db.query<{ kind: ChangedKind; id: string }>(
    'SELECT kind, id FROM registry_directory_revisions WHERE revision > $1',
    [revision],
  );
  return {
    organisations: rows.filter((r) => r.kind === 'organisation').map((r) => r.id),
    services: rows.filter((r) => r.kind === 'service').map((r) => r.id),
  };
}
