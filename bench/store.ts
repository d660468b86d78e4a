/**
 * Event-store benchmark: `pnpm bench:store [--adapter sqlite|postgres] [--read-events 100000] [--scale 1]`.
 * `--scale 0.2` runs a fifth of every append phase (for profiling: `node --cpu-prof --import tsx …`).
 * Prints figures and writes bench/results/store-<adapter>.json. Figures are whatever this machine
 * gave at the time (it is shared): compare runs, do not tune the measurement.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PostgresEventStore } from '../infra/src/eventStore/postgres/postgresEventStore.js';
import { SqliteEventStore } from '../infra/src/eventStore/sqlite/sqliteEventStore.js';
import { commitLatencyProbe, dropSchema, serverSettings } from '../infra/src/testing/postgres.js';
import type { EventStore, NewEvent, StoredEvent } from '../infra/src/eventStore/types.js';

const { values: args } = parseArgs({
  options: {
    adapter: { type: 'string', default: 'sqlite' },
    'read-events': { type: 'string', default: '100000' },
    scale: { type: 'string', default: '1' },
  },
});
const adapter = args.adapter as 'sqlite' | 'postgres';
if (adapter !== 'sqlite' && adapter !== 'postgres') throw new Error(`--adapter sqlite|postgres, got ${adapter}`);
const READ_EVENTS = Number(args['read-events']);
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITERS = 8;
const SCALE = Number(args.scale);
if (!(SCALE > 0)) throw new Error(`--scale must be > 0, got ${args.scale}`);
const scaled = (n: number): number => Math.max(1, Math.round(n * SCALE));

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const payload = (i: number): NewEvent => ({
  type: 'BenchEventHappened',
  data: { i, organisationId: 'org-42', note: 'a short note typical of a referral event', tags: ['a', 'b'] },
  metadata: { correlationId: `c-${i}`, actor: { organisationId: 'org-42', userId: 'u-7' } },
});

/** Shows progress once a second while `total` units are produced by `work`. */
async function measure(
  label: string,
  total: number,
  work: (tick: (n: number) => void) => Promise<void>,
): Promise<{ count: number; seconds: number; perSecond: number }> {
  let done = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    log(`  ${label}: ${done}/${total} (${Math.round(done / s)}/s)`);
  }, 1000);
  try {
    await work((n) => {
      done += n;
    });
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = Math.round(done / seconds);
  log(`${label}: ${done} in ${seconds.toFixed(2)} s = ${perSecond}/s`);
  return { count: done, seconds: Number(seconds.toFixed(3)), perSecond };
}

/** `writers` tasks each appending `perWriter` batches of `batch` events to their own streams, with exact expected versions. */
async function appendLoad(
  store: EventStore,
  tag: string,
  writers: number,
  perWriter: number,
  batch: number,
  tick: (n: number) => void,
) {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const versions = new Map<string, number>();
      for (let i = 0; i < perWriter; i += 1) {
        const streamId = `${tag}-${w}-${i % 100}`;
        const events = Array.from({ length: batch }, (_, k) => payload(i * batch + k));
        const expected = versions.get(streamId);
        const result = await store.append(streamId, events, { expectedVersion: expected ?? 'no-stream' });
        versions.set(streamId, result.nextExpectedVersion);
        lastAppended = Math.max(lastAppended, result.lastPosition);
        tick(batch);
      }
    }),
  );
}

let lastAppended = -1;

const percentile = (sorted: number[], p: number): number =>
  Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(2));

async function main(): Promise<void> {
  let store: EventStore;
  let extra: Record<string, unknown> = {};
  let teardown: () => Promise<void>;
  if (adapter === 'sqlite') {
    const dir = join(process.cwd(), 'data', 'bench');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `store-${process.pid}.sqlite`);
    store = new SqliteEventStore({ path });
    extra = { file: path, journal: 'WAL', synchronous: 'FULL', tmpdir: tmpdir() };
    teardown = async () => {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    };
  } else {
    const schema = `bench_${process.pid}`;
    const pgStore = new PostgresEventStore({ connectionString: PG_URL, schema, poolSize: WRITERS + 2 });
    await pgStore.init();
    store = pgStore;
    const settings = await serverSettings(
      ['server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay'],
      PG_URL,
    );
    const bareCommitMsBefore = await commitLatencyProbe(200, PG_URL);
    extra = { schema, settings, bareInsertCommitMedianMs: { before: bareCommitMsBefore } };
    log(`postgres: ${JSON.stringify(extra)}`);
    teardown = async () => {
      await store.close();
      await dropSchema(schema, PG_URL);
    };
  }

  try {
    log(`bench:store adapter=${adapter} cpus=${cpus().length} node=${process.version}`);
    await appendLoad(store, 'warmup', 1, 200, 1, () => undefined);

    const single1 = await measure('single-event appends, 1 writer', scaled(5_000), (tick) =>
      appendLoad(store, 'single1', 1, scaled(5_000), 1, tick),
    );
    const single8 = await measure(`single-event appends, ${WRITERS} writers`, WRITERS * scaled(2_000), (tick) =>
      appendLoad(store, 'single8', WRITERS, scaled(2_000), 1, tick),
    );
    const batch1 = await measure('10-event batches, 1 writer (events)', 10 * scaled(2_000), (tick) =>
      appendLoad(store, 'batch1', 1, scaled(2_000), 10, tick),
    );
    const batch8 = await measure(`10-event batches, ${WRITERS} writers (events)`, WRITERS * 10 * scaled(500), (tick) =>
      appendLoad(store, 'batch8', WRITERS, scaled(500), 10, tick),
    );

    // Round trips of the measured append phases: head reads the cache saved, NOTIFYs coalesced.
    const appendPath = store instanceof PostgresEventStore ? { ...store.stats } : undefined;
    if (appendPath) log(`append path: ${JSON.stringify(appendPath)}`);

    // Top the log up to READ_EVENTS, then read all of it in global order.
    const have = single1.count + single8.count + batch1.count + batch8.count + 200;
    if (have < READ_EVENTS) {
      const missing = READ_EVENTS - have;
      await measure('filling for read-all (100-event batches)', missing, (tick) =>
        appendLoad(store, 'fill', WRITERS, Math.ceil(missing / WRITERS / 100), 100, tick),
      );
    }
    // PostgreSQL readers wait for the oldest running transaction in the cluster (others share it):
    // start timing only once the last appended event is readable, so read-all covers every event.
    while ((await store.readAll({ after: lastAppended - 1, maxCount: 1 })).length === 0) {
      log('  waiting for the read watermark to pass the last append…');
      await new Promise((r) => setTimeout(r, 200));
    }
    const readAll = await measure(`read-all`, READ_EVENTS, async (tick) => {
      let after = -1;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 1000 });
        if (page.length === 0) break;
        after = page[page.length - 1]!.position;
        tick(page.length);
      }
    });

    // Append → live subscriber latency, under a steady load of 200 appends/s from 1 writer.
    const samples: number[] = [];
    const sent = new Map<string, number>();
    const tail = (await store.readAll({ after: -1 })).at(-1)?.position ?? -1;
    const sub = store.subscribe(
      (events: StoredEvent[]) => {
        const now = performance.now();
        for (const e of events) {
          const t = sent.get(e.id);
          if (t !== undefined) samples.push(now - t);
        }
      },
      { after: tail },
    );
    await sub.caughtUp;
    const LATENCY_SAMPLES = 1_000;
    await measure('append→subscriber latency samples', LATENCY_SAMPLES, async (tick) => {
      for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
        const id = crypto.randomUUID();
        sent.set(id, performance.now());
        await store.append(`latency-${i % 50}`, [{ ...payload(i), id }]);
        tick(1);
        await new Promise((r) => setTimeout(r, 5));
      }
      const deadline = Date.now() + 10_000;
      while (samples.length < LATENCY_SAMPLES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    });
    await sub.stop();
    const sorted = [...samples].sort((a, b) => a - b);
    const latency = {
      samples: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: percentile(sorted, 100),
    };
    log(`latency: ${JSON.stringify(latency)}`);

    if (adapter === 'postgres') {
      (extra.bareInsertCommitMedianMs as Record<string, number>).after = await commitLatencyProbe(200, PG_URL);
    }
    const results = {
      adapter,
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, sharedWithOtherWork: true },
      ...extra,
      scale: SCALE,
      ...(appendPath ? { appendPath } : {}),
      singleEventAppendsPerSecond: { writers1: single1, [`writers${WRITERS}`]: single8 },
      batch10EventsPerSecond: { writers1: batch1, [`writers${WRITERS}`]: batch8 },
      readAllEventsPerSecond: readAll,
      appendToSubscriberLatency: latency,
      targets:
        adapter === 'postgres'
          ? { single1: 2000, single8: 5000, batch10: 25000, readAll: 60000, p99Ms: 100 }
          : { single1: 5000 },
    };
    mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
    const out = join(process.cwd(), 'bench', 'results', `store-${adapter}.json`);
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
    log(`written ${out}`);
  } finally {
    await teardown();
  }
}

await main();
