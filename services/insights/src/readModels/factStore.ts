import { randomInt } from 'node:crypto';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';
import type { FactChange, FactKind, FactTypes, Forget } from '../domain/facts.js';

/**
 * The read model: one row per fact (kind + key), its JSON, and a sequence number taken from a counter row
 * in the writing transaction, so rows become visible in sequence order (the counter's row lock orders
 * concurrent writers on PostgreSQL; SQLite has one writer). Queries keep an in-memory copy and fetch only
 * the rows with a higher sequence number. An erased client's facts become removed rows (no data, no
 * pseudonym) so every copy learns of the removal.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS insights_facts (
    kind TEXT NOT NULL,
    fact_key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    client TEXT,
    removed INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, fact_key)
  )`,
  `CREATE INDEX IF NOT EXISTS insights_facts_seq ON insights_facts (seq)`,
  `CREATE INDEX IF NOT EXISTS insights_facts_client ON insights_facts (client)`,
  `CREATE TABLE IF NOT EXISTS insights_sequence (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
  `INSERT INTO insights_sequence (name, value) VALUES ('facts', 0) ON CONFLICT (name) DO NOTHING`,
];

/**
 * Creates the tables and returns the read model's generation: a number drawn when the read model is
 * created. The consumer groups carry it, so an emptied read model (a deleted file, a new schema) is a new
 * generation whose consumers start again at the beginning of every topic: the rebuild.
 */
export async function migrateInsightsTables(db: SqlDatabase): Promise<string> {
  await applyDdl(db, DDL);
  await db.execute(
    `INSERT INTO insights_sequence (name, value) VALUES ('generation', $1) ON CONFLICT (name) DO NOTHING`,
    [randomInt(1, 2 ** 47)],
  );
  const [row] = await db.query<{ value: number | string }>(
    `SELECT value FROM insights_sequence WHERE name = 'generation'`,
  );
  return Number(row!.value).toString(36);
}

const nextSeq = async (tx: SqlExecutor): Promise<number> => {
  const [row] = await tx.query<{ value: number | string }>(
    `UPDATE insights_sequence SET value = value + 1 WHERE name = 'facts' RETURNING value`,
  );
  return Number(row!.value);
};

/** The pseudonym a fact is keyed by, so an erasure finds every fact of the client. */
const clientOf = (kind: FactKind, key: string, fact: unknown): string | null =>
  kind === 'candidate' ? key : kind === 'need' ? (fact as FactTypes['need']).client : null;

/** Applies one event's fact changes with `tx` (the consumer's transaction: inbox and checkpoint commit with it). */
export async function applyFactChanges(tx: SqlExecutor, changes: readonly FactChange[] | Forget): Promise<void> {
  if (!Array.isArray(changes)) {
    const { forgetClient } = changes as Forget;
    const rows = await tx.query<{ kind: string; fact_key: string }>(
      'SELECT kind, fact_key FROM insights_facts WHERE client = $1',
      [forgetClient],
    );
    for (const row of rows) {
      await tx.execute(
        `UPDATE insights_facts SET removed = 1, client = NULL, data = '{}', seq = $3 WHERE kind = $1 AND fact_key = $2`,
        [row.kind, row.fact_key, await nextSeq(tx)],
      );
    }
    return;
  }
  for (const change of changes as readonly FactChange[]) {
    const [row] = await tx.query<{ data: string; removed: number }>(
      'SELECT data, removed FROM insights_facts WHERE kind = $1 AND fact_key = $2',
      [change.kind, change.key],
    );
    const previous = row && !Number(row.removed) ? (JSON.parse(row.data) as never) : undefined;
    // An erased candidate's later events (a follow-up in flight) do not bring the person back.
    if (row && Number(row.removed) && change.kind === 'candidate') continue;
    const next = (change.evolve as (p: unknown) => unknown)(previous);
    if (next === undefined || next === previous) continue;
    await tx.execute(
      `INSERT INTO insights_facts (kind, fact_key, seq, client, removed, data) VALUES ($1, $2, $3, $4, 0, $5)
       ON CONFLICT (kind, fact_key) DO UPDATE SET seq = excluded.seq, client = excluded.client,
         removed = 0, data = excluded.data`,
      [change.kind, change.key, await nextSeq(tx), clientOf(change.kind, change.key, next), JSON.stringify(next)],
    );
  }
}

export type Facts = { [K in FactKind]: Map<string, FactTypes[K]> };

/**
 * The query side's copy of the facts, brought up to date from the database before every query (one indexed
 * read when nothing changed), so every process serving queries sees what the consumer committed.
 */
export class FactCache {
  readonly facts: Facts = {
    organisation: new Map(),
    service: new Map(),
    referral: new Map(),
    need: new Map(),
    candidate: new Map(),
  };
  private seq = 0;
  private syncing: Promise<void> | undefined;
  /** Bumped whenever a sync changed something: derived indexes key their caches by it. */
  version = 0;

  constructor(private readonly db: SqlExecutor) {}

  sync(): Promise<void> {
    this.syncing ??= this.load().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async load(): Promise<void> {
    const rows = await this.db.query<{
      kind: FactKind;
      fact_key: string;
      seq: number | string;
      removed: number;
      data: string;
    }>('SELECT kind, fact_key, seq, removed, data FROM insights_facts WHERE seq > $1 ORDER BY seq', [this.seq]);
    for (const row of rows) {
      const map = this.facts[row.kind] as Map<string, unknown> | undefined;
      if (!map) continue;
      if (Number(row.removed)) map.delete(row.fact_key);
      else map.set(row.fact_key, JSON.parse(row.data));
      this.seq = Math.max(this.seq, Number(row.seq));
    }
    if (rows.length > 0) this.version += 1;
  }
}
