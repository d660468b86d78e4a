/**
 * `pnpm bench:rebuild` — every read model of every service with projections (referrals, registry,
 * matching) rebuilt from its service's event log, on SQLite and on PostgreSQL (BENCH_ADAPTERS), as a
 * growth curve over the log's size (BENCH_REBUILD_SIZES, default 250,000, 500,000, 1,000,000 events;
 * BENCH_REBUILD_SERVICES narrows to some services). Each log is a realistic mix of the service's own
 * events, appended (measured); each projection is then rebuilt from the first event by the catch-up
 * runner (one transaction per batch with its checkpoint; BENCH_REBUILD_BATCH events, by default the
 * services' own batch size), measured on its own. Target: each projection ≥ 50,000 events/s. With BENCH_CPU_PROFILE=<dir> each rebuild also
 * writes a CPU profile. Writes bench/results/rebuild-<adapter>.json.
 */
import { PROJECTION_BATCH_SIZE } from '../infra/src/projections/batchSize.js';
import { catchUpProjections } from '../infra/src/projections/catchUp.js';
import { matchingRebuild } from '../services/matching/bench/rebuildMatching.js';
import { referralsRebuild } from '../services/referrals/bench/rebuildReferrals.js';
import { registryRebuild } from '../services/registry/bench/rebuildRegistry.js';
import { profiled } from './cpuProfile.js';
import { runCurve, type PointRecorder } from './curve.js';
import type { RebuildTarget } from './rebuildTarget.js';
import { adaptersFrom, openBenchStores, type Adapter } from './stores.js';

const TARGET = 50_000;
const BATCH = Number(process.env.BENCH_REBUILD_BATCH ?? PROJECTION_BATCH_SIZE);
const ALL: readonly RebuildTarget[] = [referralsRebuild, registryRebuild, matchingRebuild];
const wanted = (process.env.BENCH_REBUILD_SERVICES ?? ALL.map((t) => t.service).join(',')).split(',');
const targets = ALL.filter((t) => wanted.includes(t.service));
if (targets.length === 0) throw new Error(`BENCH_REBUILD_SERVICES: none of ${ALL.map((t) => t.service).join(', ')}`);

async function rebuildService(adapter: Adapter, target: RebuildTarget, size: number, record: PointRecorder) {
  const stores = await openBenchStores(adapter, `rebuild_${target.service}`);
  try {
    const seeded = await record.phase(`${target.service}: seed (append)`, () =>
      target.seed(stores.store, size, (appended) =>
        record.progress(`${target.service} events appended`, appended, size),
      ),
    );
    record.figure(`${target.service}: events in the log`, seeded);
    for (const projection of await target.projections(stores)) {
      const phase = `rebuild ${projection.name}`;
      const applied = await record.phase(phase, () =>
        profiled(`${projection.name}-${adapter}-${size}`, () =>
          catchUpProjections(stores.store, stores.db, [projection], BATCH, (_, position) =>
            record.progress(phase, position, seeded),
          ),
        ),
      );
      record.figure(`${projection.name}: events applied`, applied);
      // Over the whole log: a projection reads (and skips) the events it does not project too.
      record.figure(`${projection.name} events/s`, seeded / record.phaseSeconds(phase));
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
    meta: {
      adapter,
      services: targets.map((t) => t.service),
      batchSize: BATCH,
      targetEventsPerSecond: TARGET,
    },
    body: async (size, record) => {
      for (const target of targets) await rebuildService(adapter, target, size, record);
    },
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
