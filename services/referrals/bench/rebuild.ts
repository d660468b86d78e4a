/**
 * `pnpm bench:rebuild` — every read model of the referrals service rebuilt from its event log, on
 * SQLite and on PostgreSQL (BENCH_ADAPTERS), as a growth curve over the log's size
 * (BENCH_REBUILD_SIZES, default 250,000, 500,000, 1,000,000 events). The log is made by the real
 * decider and appended (measured); each projection is then rebuilt from the first event by the
 * catch-up runner (one transaction per batch with its checkpoint), measured on its own. Target: each
 * projection ≥ 50,000 events/s. Writes bench/results/rebuild-<adapter>.json.
 */
import { randomBytes } from 'node:crypto';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import { runCurve, type PointRecorder } from '../../../bench/curve.js';
import { adaptersFrom, openBenchStores, type Adapter } from '../../../bench/stores.js';
import { createBlindIndex } from '../src/application/blindIndex.js';
import { remindersProjection } from '../src/deadlines/remindersProjection.js';
import { referralsReadModelProjection } from '../src/projections/readModelProjection.js';
import { appendReferrals, referralTraffic } from './referralEvents.js';

const TARGET = 50_000;
const BATCH = Number(process.env.BENCH_REBUILD_BATCH ?? 1000);

async function body(adapter: Adapter, size: number, record: PointRecorder): Promise<void> {
  const stores = await openBenchStores(adapter, 'rebuild');
  try {
    const keysDb = await stores.openDatabase('keys');
    const keyStore = await createSqlKeyStore(keysDb, {
      kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')),
    });
    const projections: Projection[] = [
      referralsReadModelProjection(keyStore, createBlindIndex(randomBytes(32))),
      remindersProjection(keyStore),
    ];
    const traffic = referralTraffic(200);
    const seeded = await record.phase('seed (append)', () =>
      appendReferrals(stores.store, traffic, { events: size }, (events) =>
        record.progress('events appended', events, size),
      ),
    );
    record.figure('events in the log', seeded.events);
    record.figure('referrals', seeded.referrals);
    for (const projection of projections) {
      const phase = `rebuild ${projection.name}`;
      await record.phase(phase, () =>
        catchUpProjections(stores.store, stores.db, [projection], BATCH, (_, position) =>
          record.progress(phase, position + 1, seeded.events),
        ),
      );
      record.figure(`${projection.name} events/s`, seeded.events / record.phaseSeconds(phase));
    }
  } finally {
    await stores.close();
  }
}

for (const adapter of adaptersFrom())
  await runCurve({
    name: `rebuild-${adapter}`,
    unit: 'events',
    sizesEnv: 'BENCH_REBUILD_SIZES',
    defaultSizes: [250_000, 500_000, 1_000_000],
    meta: { adapter, service: 'referrals', batchSize: BATCH, targetEventsPerSecond: TARGET },
    body: (size, record) => body(adapter, size, record),
    verdict: (points) =>
      points.flatMap((p) =>
        Object.entries(p.figures)
          .filter(([k]) => k.endsWith(' events/s'))
          .map(
            ([k, v]) =>
              `${p.size} events: ${k.replace(' events/s', '')} ${Math.round(v)} events/s (target ≥ ${TARGET}: ${v >= TARGET ? 'met' : 'NOT met'})`,
          ),
      ),
  });
