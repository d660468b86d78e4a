/**
 * Event-store benchmark, as a growth curve over the size of the log: `pnpm bench:store`
 * (BENCH_ADAPTERS=sqlite,postgres; BENCH_STORE_SIZES=100000,250000,500000 events already in the log;
 * BENCH_STORE_SCALE=0.2 runs a fifth of every append phase, for profiling with `node --cpu-prof`).
 * At each size, in one run: the disk's fdatasync rate (pg_test_fsync when installed, and the same loop
 * on a file beside the SQLite store), then single appends from 1 and 8 writers with exact expected
 * versions, the peers' workload (one event to a new stream, no-stream expectation) from 1 and 8
 * writers, 10-event batches, read-all of the whole log, append→subscriber latency. Each rate is also
 * given as a share of the probe. Writes bench/results/store-<adapter>.json. Figures are whatever this
 * shared machine gave at the time: compare runs, do not tune the measurement.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresEventStore } from '../infra/src/eventStore/postgres/postgresEventStore.js';
import { SqliteEventStore } from '../infra/src/eventStore/sqlite/sqliteEventStore.js';
import type { CommitProbe } from '../infra/src/testing/commitProbe.js';
import { commitLatencyProbe, dropSchema, PG_URL, serverSettings } from '../infra/src/testing/postgres.js';
import { sqliteCommitProbe } from '../infra/src/testing/sqliteCommitProbe.js';
import type { EventStore, NewEvent, StoredEvent } from '../infra/src/eventStore/types.js';
import { runCurve, type PointRecorder } from './curve.js';
import { fileFdatasyncProbe, pgTestFsync } from './fsyncProbe.js';
import { adaptersFrom, type Adapter } from './stores.js';

const WRITERS = 8;
const SCALE = Number(process.env.BENCH_STORE_SCALE ?? 1);
if (!(SCALE > 0)) throw new Error(`BENCH_STORE_SCALE must be > 0, got ${SCALE}`);
const scaled = (n: number): number => Math.max(1, Math.round(n * SCALE));

const payload = (i: number): NewEvent => ({
  type: 'BenchEventHappened',
  data: { i, organisationId: 'org-42', note: 'a short note typical of a referral event', tags: ['a', 'b'] },
  metadata: { correlationId: `c-${i}`, actor: { organisationId: 'org-42', userId: 'u-7' } },
});

interface Load {
  store: EventStore;
  record: PointRecorder;
  lastAppended: number;
}

/**
 * `writers` tasks each appending `perWriter` batches of `batch` events. `streams: 'own'`: to 100
 * streams of their own, with exact expected versions; `'new'`: each append to a new stream, no-stream.
 * Returns events/s and per-append latency samples.
 */
async function appendLoad(
  load: Load,
  label: string,
  writers: number,
  perWriter: number,
  batch: number,
  streams: 'own' | 'new',
): Promise<{ perSecond: number; samples: number[] }> {
  const samples: number[] = [];
  let done = 0;
  const total = writers * perWriter * batch;
  const tag = `${label.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const versions = new Map<string, number>();
      for (let i = 0; i < perWriter; i += 1) {
        const streamId = streams === 'new' ? `${tag}-${w}-${i}` : `${tag}-${w}-${i % 100}`;
        const events = Array.from({ length: batch }, (_, k) => payload(i * batch + k));
        const expected = streams === 'new' ? undefined : versions.get(streamId);
        const t = performance.now();
        const result = await load.store.append(streamId, events, { expectedVersion: expected ?? 'no-stream' });
        samples.push(performance.now() - t);
        versions.set(streamId, result.nextExpectedVersion);
        load.lastAppended = Math.max(load.lastAppended, result.lastPosition);
        done += batch;
        load.record.progress(label, done, total);
      }
    }),
  );
  const perSecond = Math.round(done / ((performance.now() - started) / 1000));
  load.record.figure(`${label} events/s`, perSecond);
  return { perSecond, samples };
}

async function body(adapter: Adapter, size: number, record: PointRecorder): Promise<void> {
  const dir = join(process.cwd(), 'data', 'bench');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(dir, 'store-'));
  // Both probes every run, on the disk the stores write to, before the appends.
  const pgProbe = await pgTestFsync(work);
  const fileProbe = fileFdatasyncProbe(work);
  if (pgProbe) record.figure('pg_test_fsync fdatasync ops/s', pgProbe.opsPerSecond);
  record.figure('file fdatasync probe ops/s', fileProbe.opsPerSecond);
  const probe = adapter === 'postgres' && pgProbe ? pgProbe.opsPerSecond : fileProbe.opsPerSecond;
  const probeName = adapter === 'postgres' && pgProbe ? 'pg_test_fsync fdatasync' : 'file fdatasync probe';

  let store: EventStore;
  let teardown: () => Promise<void>;
  const detail: Record<string, unknown> = { probe: { name: probeName, opsPerSecond: probe, pgProbe, fileProbe } };
  if (adapter === 'sqlite') {
    const path = join(work, 'store.sqlite');
    store = new SqliteEventStore({ path });
    detail.sqlite = { journal: 'WAL', synchronous: 'FULL' };
    detail.bareCommit = sqliteCommitProbe(work);
    teardown = async () => {
      await store.close();
      rmSync(work, { recursive: true, force: true });
    };
  } else {
    const schema = `bench_store_${process.pid}`;
    const pgStore = new PostgresEventStore({ connectionString: PG_URL, schema, poolSize: WRITERS + 2 });
    await pgStore.init();
    store = pgStore;
    detail.settings = await serverSettings(
      ['server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay'],
      PG_URL,
    );
    detail.bareCommit = await commitLatencyProbe(2_000, PG_URL);
    teardown = async () => {
      await store.close();
      await dropSchema(schema, PG_URL);
      rmSync(work, { recursive: true, force: true });
    };
  }
  const load: Load = { store, record, lastAppended: -1 };
  try {
    const filled = await record.phase('fill the log (100-event batches, 8 writers)', async () => {
      await appendLoad(load, 'fill', WRITERS, Math.ceil(size / WRITERS / 100), 100, 'own');
      return WRITERS * Math.ceil(size / WRITERS / 100) * 100;
    });
    record.figure('events in the log', filled);
    await appendLoad(load, 'warm-up', 1, 200, 1, 'own');

    // The engine's own floor: a bare one-row commit, one after another (an append cannot beat it).
    const floor = (detail.bareCommit as CommitProbe).perSecond;
    record.figure('bare one-row commits/s', floor);
    record.figure('bare one-row commits / probe', floor / probe);
    const share = (name: string, perSecond: number) => {
      record.figure(`${name} / probe`, perSecond / probe);
      record.figure(`${name} / bare commits`, perSecond / floor);
    };
    const single1 = await appendLoad(load, 'single appends, 1 writer', 1, scaled(3_000), 1, 'own');
    record.latency('single append, 1 writer', single1.samples);
    share('single appends, 1 writer', single1.perSecond);
    const single8 = await appendLoad(load, `single appends, ${WRITERS} writers`, WRITERS, scaled(1_000), 1, 'own');
    record.latency(`single append, ${WRITERS} writers`, single8.samples);
    share(`single appends, ${WRITERS} writers`, single8.perSecond);
    const peers1 = await appendLoad(load, 'new stream each, 1 writer', 1, scaled(3_000), 1, 'new');
    record.latency('new-stream append, 1 writer', peers1.samples);
    share('new stream each, 1 writer', peers1.perSecond);
    const peers8 = await appendLoad(load, `new stream each, ${WRITERS} writers`, WRITERS, scaled(1_000), 1, 'new');
    record.latency(`new-stream append, ${WRITERS} writers`, peers8.samples);
    share(`new stream each, ${WRITERS} writers`, peers8.perSecond);
    await appendLoad(load, '10-event batches, 1 writer', 1, scaled(1_000), 10, 'own');
    await appendLoad(load, `10-event batches, ${WRITERS} writers`, WRITERS, scaled(300), 10, 'own');
    if (store instanceof PostgresEventStore) detail.appendPath = { ...store.stats };

    // PostgreSQL readers wait for the oldest running transaction in the cluster (others share it):
    // start timing only once the last appended event is readable, so read-all covers every event.
    while ((await store.readAll({ after: load.lastAppended - 1, maxCount: 1 })).length === 0)
      await new Promise((r) => setTimeout(r, 200));
    const read = await record.phase('read-all', async () => {
      let after = -1;
      let count = 0;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 1000 });
        if (page.length === 0) break;
        after = page[page.length - 1]!.position;
        count += page.length;
        record.progress('read-all', count, count);
      }
      return count;
    });
    record.figure('read-all events', read);
    record.figure('read-all events/s', read / record.phaseSeconds('read-all'));

    // Append → live subscriber latency, under a steady load of 200 appends/s from 1 writer.
    const samples: number[] = [];
    const sent = new Map<string, number>();
    const sub = store.subscribe(
      (events: StoredEvent[]) => {
        const now = performance.now();
        for (const e of events) {
          const t = sent.get(e.id);
          if (t !== undefined) samples.push(now - t);
        }
      },
      { after: load.lastAppended },
    );
    await sub.caughtUp;
    const LATENCY_SAMPLES = 1_000;
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const id = crypto.randomUUID();
      sent.set(id, performance.now());
      await store.append(`latency-${i % 50}`, [{ ...payload(i), id }]);
      record.progress('append→subscriber samples', i + 1, LATENCY_SAMPLES);
      await new Promise((r) => setTimeout(r, 5));
    }
    const deadline = Date.now() + 10_000;
    while (samples.length < LATENCY_SAMPLES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await sub.stop();
    record.latency('append→subscriber', samples);
    record.detail(detail);
  } finally {
    await teardown();
  }
}

for (const adapter of adaptersFrom())
  await runCurve({
    name: `store-${adapter}`,
    unit: 'events in the log',
    sizesEnv: 'BENCH_STORE_SIZES',
    defaultSizes: [100_000, 250_000, 500_000],
    meta: {
      adapter,
      scale: SCALE,
      targets: {
        'single appends, 1 writer / probe': 0.9,
        [`single appends, ${WRITERS} writers / probe`]: 3,
        'read-all events/s': adapter === 'postgres' ? 60_000 : undefined,
        'append→subscriber p99 ms': 100,
      },
    },
    body: (size, record) => body(adapter, size, record),
    verdict: (points) =>
      points.flatMap((p) => {
        const f = p.figures;
        const one = f['single appends, 1 writer / probe'] ?? 0;
        const eight = f[`single appends, ${WRITERS} writers / probe`] ?? 0;
        const peers = f['new stream each, 1 writer / probe'] ?? 0;
        return [
          `${p.size} events: 1 writer ${f['single appends, 1 writer events/s']}/s = ${Math.round(one * 100)} % of the probe (target ≥ 90 %: ${one >= 0.9 ? 'met' : 'NOT met'}); ` +
            `${WRITERS} writers ${f[`single appends, ${WRITERS} writers events/s`]}/s = ${eight.toFixed(2)}× (target ≥ 3×: ${eight >= 3 ? 'met' : 'NOT met'}); ` +
            `new stream each, 1 writer = ${Math.round(peers * 100)} % of the probe; ` +
            `a bare one-row commit reaches ${Math.round((f['bare one-row commits / probe'] ?? 0) * 100)} % of the probe, 1 writer ${Math.round((f['single appends, 1 writer / bare commits'] ?? 0) * 100)} % of that`,
        ];
      }),
  });
