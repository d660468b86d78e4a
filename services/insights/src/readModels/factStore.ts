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
  `CREATE INDEX IF NOT EXISTS insights_facts_client ON insights_facts (client) WHERE client IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS insights_sequence (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
  `INSERT INTO insights_sequence (name, value) VALUES ('facts', 0) ON CONFLICT (name) DO NOTHING`,
];

/**
 * Creates the tables and returns the read model's generation: a number drawn when the read model is
 * created. The consumer groups carry it, so an emptied read model (a deleted file, a new schema) is a new
 * generation whose consumers start again at the beginning of every topic: the rebuild.
 */
export async function migrateInsightsTables(db: SqlDatabase): Promise<string> {
  // A year's facts and inbox outgrow SQLite's default 2 MB page cache many times over; a rebuild's
  // random-key upserts then wait on page reads.
  if (db.dialect === 'sqlite') await db.execute('PRAGMA cache_size = -131072');
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

/** Takes `n` sequence numbers at once; returns the first. */
const takeSeqs = async (tx: SqlExecutor, n: number): Promise<number> => {
  const [row] = await tx.query<{ value: number | string }>(
    `UPDATE insights_sequence SET value = value + $1 WHERE name = 'facts' RETURNING value`,
    [n],
  );
  return Number(row!.value) - n + 1;
};

/** The pseudonym a fact is keyed by, so an erasure finds every fact of the client. */
const clientOf = (kind: FactKind, key: string, fact: unknown): string | null =>
  kind === 'candidate' ? key : kind === 'need' ? (fact as FactTypes['need']).client : null;

/** Keys (and rows) per multi-row statement: well under the parameter limits of SQLite and PostgreSQL. */
const CHUNK = 200;

/** A fact as the batch sees it: loaded once, evolved in memory, written once. */
interface Working {
  kind: FactKind;
  key: string;
  data: unknown;
  client: string | null;
  /** A removed row (an erased client's): no data, and a candidate stays gone. */
  removed: boolean;
  dirty: boolean;
}

const idOf = (kind: string, key: string) => `${kind}\u0000${key}`;

async function loadFacts(tx: SqlExecutor, working: Map<string, Working>, wanted: Map<FactKind, Set<string>>) {
  for (const [kind, keys] of wanted) {
    const all = [...keys];
    for (let start = 0; start < all.length; start += CHUNK) {
      const chunk = all.slice(start, start + CHUNK);
      const rows = await tx.query<{ fact_key: string; client: string | null; removed: number; data: string }>(
        `SELECT fact_key, client, removed, data FROM insights_facts
         WHERE kind = $1 AND fact_key IN (${chunk.map((_, i) => `$${i + 2}`).join(', ')})`,
        [kind, ...chunk],
      );
      for (const row of rows) {
        const removed = Boolean(Number(row.removed));
        working.set(idOf(kind, row.fact_key), {
          kind,
          key: row.fact_key,
          data: removed ? undefined : JSON.parse(row.data),
          client: row.client,
          removed,
          dirty: false,
        });
      }
    }
  }
}

/**
 * Applies the fact changes of several events, in order, with `tx` (the consumer's transaction: inbox and
 * checkpoint commit with it): every fact the batch touches is read in one query per kind, evolved in
 * memory, and written back once, in multi-row upserts with one range of sequence numbers. The effect is
 * that of applying the events one by one.
 */
export async function applyFactBatch(
  tx: SqlExecutor,
  batch: readonly (readonly FactChange[] | Forget)[],
): Promise<void> {
  const wanted = new Map<FactKind, Set<string>>();
  for (const changes of batch) {
    if (!Array.isArray(changes)) continue;
    for (const change of changes as readonly FactChange[]) {
      let keys = wanted.get(change.kind);
      if (!keys) wanted.set(change.kind, (keys = new Set()));
      keys.add(change.key);
    }
  }
  const working = new Map<string, Working>();
  await loadFacts(tx, working, wanted);
  for (const changes of batch) {
    if (!Array.isArray(changes)) {
      const { forgetClient } = changes as Forget;
      const rows = await tx.query<{ kind: FactKind; fact_key: string }>(
        'SELECT kind, fact_key FROM insights_facts WHERE client = $1',
        [forgetClient],
      );
      for (const row of rows) {
        const id = idOf(row.kind, row.fact_key);
        // What the batch holds is newer than the table.
        if (!working.has(id))
          working.set(id, {
            kind: row.kind,
            key: row.fact_key,
            data: undefined,
            client: forgetClient,
            removed: false,
            dirty: false,
          });
      }
      for (const w of working.values()) {
        if (w.client !== forgetClient || w.removed) continue;
        Object.assign(w, { data: undefined, client: null, removed: true, dirty: true });
      }
      continue;
    }
    for (const change of changes as readonly FactChange[]) {
      const id = idOf(change.kind, change.key);
      let w = working.get(id);
      if (!w)
        working.set(
          id,
          (w = { kind: change.kind, key: change.key, data: undefined, client: null, removed: false, dirty: false }),
        );
      // An erased candidate's later events (a follow-up in flight) do not bring the person back.
      if (w.removed && change.kind === 'candidate') continue;
      const previous = w.removed ? undefined : w.data;
      const next = (change.evolve as (p: unknown) => unknown)(previous);
      if (next === undefined || next === previous) continue;
      Object.assign(w, { data: next, client: clientOf(change.kind, change.key, next), removed: false, dirty: true });
    }
  }
  const dirty = [...working.values()].filter((w) => w.dirty);
  if (dirty.length === 0) return;
  let seq = await takeSeqs(tx, dirty.length);
  for (let start = 0; start < dirty.length; start += CHUNK) {
    const chunk = dirty.slice(start, start + CHUNK);
    const params: unknown[] = [];
    const values = chunk.map((w) => {
      params.push(w.kind, w.key, seq++, w.client, w.removed ? 1 : 0, w.removed ? '{}' : JSON.stringify(w.data));
      const n = params.length;
      return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await tx.execute(
      `INSERT INTO insights_facts (kind, fact_key, seq, client, removed, data) VALUES ${values.join(', ')}
       ON CONFLICT (kind, fact_key) DO UPDATE SET seq = excluded.seq, client = excluded.client,
         removed = excluded.removed, data = excluded.data`,
      params,
    );
  }
}

/** Applies one event's fact changes with `tx`: a batch of one. */
export const applyFactChanges = (tx: SqlExecutor, changes: readonly FactChange[] | Forget): Promise<void> =>
  applyFactBatch(tx, [changes]);

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
  /** Bumped whenever a sync changed something. */
  version = 0;
  private readonly listeners = new Set<(kind: FactKind, key: string) => void>();

  constructor(private readonly db: SqlExecutor) {}

  sync(): Promise<void> {
    this.syncing ??= this.load().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Calls `listener` with every fact a sync changes (set or removed), so a derived index can follow. */
  onChange(listener: (kind: FactKind, key: string) => void): void {
    this.listeners.add(listener);
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
      for (const listener of this.listeners) listener(row.kind, row.fact_key);
      this.seq = Math.max(this.seq, Number(row.seq));
    }
    if (rows.length > 0) this.version += 1;
  }
}
