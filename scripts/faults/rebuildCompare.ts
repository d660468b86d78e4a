import { join } from 'node:path';
import { createSqlKeyStore } from '../../infra/src/crypto/sqlKeyStore.js';
import type { EventStore } from '../../infra/src/eventStore/types.js';
import { catchUpProjections } from '../../infra/src/projections/catchUp.js';
import type { Projection } from '../../infra/src/projections/projection.js';
import type { SqlDatabase } from '../../infra/src/sql/types.js';
import { createBlindIndex } from '../../services/referrals/src/application/blindIndex.js';
import { loadBlindIndexKey, loadMasterKey } from '../../services/referrals/src/application/masterKey.js';
import { remindersProjection } from '../../services/referrals/src/deadlines/remindersProjection.js';
import { reminderScheduleProjection } from '../../services/referrals/src/deadlines/reminderSchedule.js';
import { referralsReadModelProjection } from '../../services/referrals/src/projections/readModelProjection.js';
import { registryProjections } from '../../services/registry/src/projections/registryProjections.js';
import { webhookSubscriptionsProjection } from '../../services/registry/src/webhooks/subscriptionProjection.js';
import { openDatabase, type StoreLocation } from './openStores.js';

export interface RebuildComparison {
  service: string;
  tables: string[];
  rows: number;
  /** Tables whose row sets differ, with how many rows each side has that the other lacks. */
  differences: { table: string; onlyLive: number; onlyRebuilt: number; example?: string }[];
}

/**
 * Tables that the same migrations create but that consumers of other services' events fill (the
 * directory, placements, webhook deliveries), or that count batches: not a function of the log, so not compared.
 */
const FED_BY_CONSUMERS: Record<string, readonly string[]> = {
  referrals: ['rf_organisations', 'rf_exchange_terms', 'rf_directory', 'rf_placements', 'rf_placement_follow_ups'],
  registry: [
    'webhook_attempts',
    'webhook_deliveries',
    'webhook_health',
    'webhook_messages',
    // Change counters of the in-memory search index: they number projected batches, not events, so a
    // rebuild numbers them differently by design (readers start over on `rebuilt_at`).
    'registry_directory_meta',
    'registry_directory_revisions',
  ],
};

async function projectionsOf(service: string, at: StoreLocation, env: Record<string, string>) {
  if (service === 'registry')
    return { projections: [...registryProjections, webhookSubscriptionsProjection], close: async () => {} };
  const dir = join(at.dataDir, 'referrals');
  const embedded = at.kind === 'sqlite';
  const warn = () => undefined;
  const keysDb = await openDatabase(at, 'referrals', 'keys');
  const keyStore = await createSqlKeyStore(keysDb, {
    kek: loadMasterKey(env, embedded ? join(dir, 'master.key') : null, warn),
  });
  const blindIndex = createBlindIndex(
    loadBlindIndexKey(env, embedded ? join(dir, 'blind-index.key') : null, warn).bytes,
  );
  const projections: Projection[] = [
    referralsReadModelProjection(keyStore, blindIndex),
    remindersProjection(keyStore),
    reminderScheduleProjection(keyStore, { permitDays: 30, receptionDays: 14 }),
  ];
  return { projections, close: () => keysDb.close() };
}

const listTables = async (db: SqlDatabase): Promise<string[]> =>
  (db.dialect === 'sqlite'
    ? await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
    : await db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
      )
  ).map((r) => r.name);

const canonicalRow = (row: Record<string, unknown>): string =>
  JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => {
        const v = row[k];
        if (v instanceof Uint8Array) return [k, Buffer.from(v).toString('hex')];
        if (v instanceof Date) return [k, v.toISOString()];
        if (typeof v === 'bigint') return [k, Number(v)];
        return [k, v];
      }),
  );

const rowsOf = async (db: SqlDatabase, table: string): Promise<string[]> =>
  (await db.query<Record<string, unknown>>(`SELECT * FROM ${table}`)).map(canonicalRow).sort();

/** Multiset difference of two sorted lists. */
const missingFrom = (a: string[], b: string[]): string[] => {
  const counts = new Map<string, number>();
  for (const row of b) counts.set(row, (counts.get(row) ?? 0) + 1);
  return a.filter((row) => {
    const n = counts.get(row) ?? 0;
    if (n === 0) return true;
    counts.set(row, n - 1);
    return false;
  });
};

/**
 * Rebuilds the service's read models from its log into a fresh database (the projections' own code,
 * the catch-up runner) and compares every table they own, row set against row set, with the live one.
 */
export async function compareWithRebuild(
  service: 'referrals' | 'registry',
  at: StoreLocation,
  env: Record<string, string>,
  store: EventStore,
  live: SqlDatabase,
): Promise<RebuildComparison> {
  const fresh = await openDatabase(at, service, 'rebuild');
  const { projections, close } = await projectionsOf(service, at, env);
  try {
    await catchUpProjections(store, fresh, projections, 1000);
    const excluded = new Set(FED_BY_CONSUMERS[service] ?? []);
    const tables = (await listTables(fresh)).filter((t) => !t.startsWith('estia_') && !excluded.has(t)).sort();
    const differences: RebuildComparison['differences'] = [];
    let rows = 0;
    for (const table of tables) {
      const [a, b] = await Promise.all([rowsOf(live, table), rowsOf(fresh, table)]);
      rows += b.length;
      const onlyLive = missingFrom(a, b);
      const onlyRebuilt = missingFrom(b, a);
      if (onlyLive.length > 0 || onlyRebuilt.length > 0)
        differences.push({
          table,
          onlyLive: onlyLive.length,
          onlyRebuilt: onlyRebuilt.length,
          example: (onlyLive[0] ?? onlyRebuilt[0])!.slice(0, 300),
        });
    }
    return { service, tables, rows, differences };
  } finally {
    await close();
    await fresh.close();
  }
}
