/**
 * Integration-bus benchmark: `pnpm bench:bus [--rate 500] [--seconds 10]`, as a growth curve over the
 * backlog (BENCH_BUS_SIZES, default 20,000, 50,000, 100,000 events).
 * Three processes on one machine, as the services run: this one appends to a publishing service's
 * SQLite event store, a relay process publishes to the embedded bus, a consumer process handles each
 * message in its own SQLite database (inbox + effect + checkpoint in one transaction). Each event
 * carries the time it was appended; the consumer stores the time it handled it.
 *  1. throughput: a backlog of --events is appended first, then relay and consumer drain it;
 *  2. latency: with everything live, events are appended at --rate per second (one per transaction
 *     unless the appender's fsyncs fall behind; then the due events share one).
 * Prints the curve and writes bench/results/bus.json. Figures are what this shared machine gave at the time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSqliteEventStore } from '../infra/src/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '../infra/src/sql/sqliteDatabase.js';
import type { SqlDatabase } from '../infra/src/sql/types.js';
import { runCurve, type PointRecorder } from './curve.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
  },
});
const RATE = Number(args.rate);
const LATENCY_EVENTS = RATE * Number(args.seconds);
const STREAMS = 200;
const APPEND_BATCH = 50;

const here = dirname(fileURLToPath(import.meta.url));
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function body(BACKLOG: number, record: PointRecorder): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'estia-bench-bus-'));
  const paths = {
    BUS_PATH: join(dir, 'bus.sqlite'),
    STORE_PATH: join(dir, 'registry-events.sqlite'),
    RELAY_DB_PATH: join(dir, 'registry-read.sqlite'),
    CONSUMER_DB_PATH: join(dir, 'matching-read.sqlite'),
  };

  function startRole(role: 'relay' | 'consumer'): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'bus', 'roles.ts'), role], {
      cwd: join(here, '..'),
      env: { ...process.env, ...paths },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
    });
  }

  const stopRole = (child: ChildProcess): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  const store = createSqliteEventStore({ path: paths.STORE_PATH });
  let consumerDb: SqlDatabase | undefined;
  const handled = async (phase: string): Promise<number> =>
    consumerDb === undefined
      ? 0
      : Number(
          (
            await consumerDb.query<{ n: number }>('SELECT COUNT(*) AS n FROM bench_effects WHERE phase = $1', [phase])
          )[0]?.n,
        );

  async function waitHandled(phase: string, total: number): Promise<void> {
    let last = Date.now();
    for (;;) {
      const n = await handled(phase);
      if (n >= total) return;
      if (Date.now() - last >= 1000) {
        log(`  ${phase}: ${n}/${total} handled`);
        last = Date.now();
      }
      await sleep(50);
    }
  }

  const children: ChildProcess[] = [];
  try {
    log(`bench:bus — ${cpus().length} cores, node ${process.version}, data in ${dir}`);
    log(`1. throughput: appending a backlog of ${BACKLOG} events …`);
    await record.phase('append the backlog', async () => {
      for (let seq = 0; seq < BACKLOG; seq += APPEND_BATCH) {
        const events = Array.from({ length: Math.min(APPEND_BATCH, BACKLOG - seq) }, (_, i) => ({
          type: 'BenchCaseMoved',
          data: { phase: 'throughput', seq: seq + i, sentAt: now() },
        }));
        await store.append(`case-${(seq / APPEND_BATCH) % STREAMS}`, events);
        record.progress('backlog appended', seq + events.length, BACKLOG);
      }
    });
    log('   starting the relay and consumer processes …');
    children.push(await startRole('consumer'));
    consumerDb = await createSqliteDatabase({ path: paths.CONSUMER_DB_PATH });
    children.push(await startRole('relay'));
    await record.phase('relay and consume the backlog', () => waitHandled('throughput', BACKLOG));
    const [span] = await consumerDb.query<{ first: number; last: number }>(
      "SELECT MIN(handled_at) AS first, MAX(handled_at) AS last FROM bench_effects WHERE phase = 'throughput'",
    );
    if (span === undefined) throw new Error('no throughput rows');
    const throughput = (BACKLOG - 1) / ((span.last - span.first) / 1000);
    log(`   ${BACKLOG} events relayed and consumed at ${Math.round(throughput)} events/s`);

    log(`2. latency: appending ${LATENCY_EVENTS} events at ${RATE}/s …`);
    // One transaction per event while the appender keeps up; when an fsync makes it fall behind, the
    // events already due go in one append, so the offered rate stays at RATE on a slow or busy disk.
    const started = now();
    let appends = 0;
    for (let seq = 0; seq < LATENCY_EVENTS;) {
      const wait = started + (seq * 1000) / RATE - now();
      if (wait > 1) await sleep(wait);
      const due = Math.min(LATENCY_EVENTS, Math.floor(((now() - started) * RATE) / 1000) + 1);
      const n = Math.max(1, Math.min(APPEND_BATCH, due - seq));
      const sentAt = now();
      await store.append(
        `case-${appends % STREAMS}`,
        Array.from({ length: n }, (_, i) => ({
          type: 'BenchCaseMoved',
          data: { phase: 'latency', seq: seq + i, sentAt },
        })),
      );
      appends += 1;
      const before = seq;
      seq += n;
      if (Math.floor(seq / RATE) > Math.floor(before / RATE)) {
        log(`  appended ${seq}/${LATENCY_EVENTS} in ${appends} transactions, handled ${await handled('latency')}`);
      }
    }
    const appendSeconds = (now() - started) / 1000;
    await waitHandled('latency', LATENCY_EVENTS);
    const latencies = (
      await consumerDb.query<{ ms: number }>(
        "SELECT handled_at - sent_at AS ms FROM bench_effects WHERE phase = 'latency'",
      )
    ).map((r) => r.ms);
    record.latency(`end-to-end at ${RATE}/s`, latencies);
    record.figure('throughput events/s', throughput);
    record.figure('latency phase achieved rate', LATENCY_EVENTS / appendSeconds);
    record.figure('latency phase append transactions', appends);
  } finally {
    for (const child of children.reverse()) await stopRole(child);
    await consumerDb?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runCurve({
  name: 'bus',
  unit: 'events of backlog',
  sizesEnv: 'BENCH_BUS_SIZES',
  defaultSizes: [20_000, 50_000, 100_000],
  meta: {
    adapter: 'embedded',
    processes: ['appender (event store)', 'relay', 'consumer'],
    rate: RATE,
    targets: { eventsPerSecond: 3000, p99MsAt500PerSecond: 150 },
  },
  body,
  verdict: (points) =>
    points.map((p) => {
      const t = p.figures['throughput events/s'] ?? 0;
      const l = p.latencies[`end-to-end at ${RATE}/s`]?.p99 ?? Infinity;
      return `${p.size} events: ${Math.round(t)} events/s (target ≥ 3000: ${t >= 3000 ? 'met' : 'NOT met'}); p99 ${l} ms at ${RATE}/s (target ≤ 150: ${l <= 150 ? 'met' : 'NOT met'})`;
    }),
});
