/**
 * `pnpm bench:webhooks` — webhook delivery, end to end, on the embedded default, as a growth curve over
 * the backlog (BENCH_WEBHOOKS_SIZES, default 10,000, 40,000, 160,000 deliveries): public events
 * published to the embedded bus, the real fan-out consumer (inbox + deliveries + checkpoint in one
 * SQLite transaction), the real delivery processor (claim, Standard Webhooks signature, HTTP POST over
 * keep-alive, attempt recorded) and a local receiver in its own process.
 *  1. throughput: `size` referral events for one subscribed organisation are published first, then
 *     consumer and processor drain them: deliveries per second until the last is recorded;
 *  2. latency: with everything live and `size` deliveries already in the tables, events are published
 *     one by one at BENCH_WEBHOOKS_RATE per second (default 100) for BENCH_WEBHOOKS_SECONDS (10): the
 *     time from publish to the recorded answer of the receiver (a bound on event-to-delivery).
 * Targets: ≥ 500 deliveries/s; p99 ≤ 1 s at 100 events/s, at every size. Writes
 * bench/results/webhooks.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sampleData, sampleEnvelope } from '@estia/contracts/testing/sampleEvents.js';
import type { EventEnvelope } from '@estia/contracts';
import { createBus } from '@estia/infra/bus/createBus.js';
import { topicFor } from '@estia/infra/bus/types.js';
import { systemClock } from '@estia/infra/clock/clock.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { startConsumer } from '@estia/infra/processors/consumer.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { runCurve, type PointRecorder } from '../../../bench/curve.js';
import { defaultContext } from '../src/application/context.js';
import { deliveryIdOf } from '../src/webhooks/fanOut.js';
import { createSecretBox } from '../src/webhooks/secretBox.js';
import { webhookSubscriptionsProjection } from '../src/webhooks/subscriptionProjection.js';
import { webhookModule } from '../src/webhooks/webhookModule.js';

const RATE = Number(process.env.BENCH_WEBHOOKS_RATE ?? 100);
const LIVE = RATE * Number(process.env.BENCH_WEBHOOKS_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOKS_CONCURRENCY ?? 128);
const TARGET_PER_SECOND = 500;
const TARGET_P99_MS = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const log = (line: string) => void process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The receiver in its own process, so its work does not share the delivery processor's event loop. */
async function startReceiver() {
  const receiver = spawn(process.execPath, ['--import', 'tsx', join(here, 'webhookReceiver.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: receiver.stdout! }).on('line', (line) => {
      const m = /^ready (\d+)$/.exec(line);
      if (m) resolve(m[1]!);
    });
    receiver.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  return { port, stop: () => receiver.kill('SIGTERM') };
}

async function measure(backlogSize: number, record: PointRecorder): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'estia-bench-webhooks-'));
  const receiver = await startReceiver();
  const port = receiver.port;
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  await ensureProcessorTables(db);
  await webhookSubscriptionsProjection.migrate(db);
  const bus = createBus({ kind: 'embedded', path: join(dir, 'bus.sqlite') });
  const ORG = randomUUID();
  const published = new Map<string, number>();
  const delivered = new Map<string, number>();
  const module = webhookModule({
    ctx: defaultContext(store),
    db,
    clock: systemClock,
    secrets: createSecretBox(randomBytes(32)),
    policy: { allowHttp: true, allowLoopback: true, allowPrivate: false },
    concurrency: CONCURRENCY,
    onAttempt: ({ deliveryId, status }) => {
      if (status !== null && status < 300) delivered.set(deliveryId, performance.now());
    },
    onError: (error) => log(`delivery error: ${String(error)}`),
  });
  const { subscriptionId } = await module.handlers.create(
    { principalId: 'bench', organisationId: ORG, roles: ['org_admin'] },
    { url: `http://127.0.0.1:${port}/hooks`, events: ['estia.referrals.referral.status-changed.v1'] },
  );
  await catchUpProjections(store, db, [webhookSubscriptionsProjection]);

  const event = (): EventEnvelope =>
    sampleEnvelope(
      'estia.referrals.referral.status-changed.v1',
      {
        ...sampleData['estia.referrals.referral.status-changed.v1']!,
        referralId: randomUUID(),
        fromOrganisationId: ORG,
      },
      randomUUID(),
    ) as EventEnvelope;
  const waitFor = async (ids: string[], what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    // From the first id not yet delivered on: scanning from the start every time made the bench's own
    // polling quadratic in the backlog.
    let first = 0;
    for (;;) {
      while (first < ids.length && delivered.has(ids[first]!)) first++;
      if (first === ids.length) return;
      if (Date.now() > deadline)
        throw new Error(`${what}: ${ids.filter((id) => !delivered.has(id)).length} not delivered`);
      await sleep(20);
    }
  };

  // 1. Throughput: a backlog, then drain.
  const backlog = Array.from({ length: backlogSize }, event);
  await record.phase('publish backlog', async () => {
    for (let i = 0; i < backlog.length; i += 500) {
      await bus.publish(
        topicFor('referrals'),
        backlog.slice(i, i + 500).map((e) => ({ key: e.subject!, value: e })),
      );
      record.progress('events published', Math.min(backlogSize, i + 500), backlogSize);
    }
  });
  const drainStart = performance.now();
  const consumer = await startConsumer({ ...module.consumer, bus, db });
  const processor = module.start();
  const fannedOut = (async () => {
    for (;;) {
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_deliveries');
      if (Number(row?.n) >= backlogSize) return (performance.now() - drainStart) / 1000;
      await sleep(50);
    }
  })();
  await record.phase('drain backlog (fan-out + delivery)', () =>
    waitFor(
      backlog.map((e) => deliveryIdOf(subscriptionId, e.id)),
      'throughput',
      30 * 60_000,
    ),
  );
  const drainSeconds = record.phaseSeconds('drain backlog (fan-out + delivery)');
  record.figure('deliveries/s', backlogSize / drainSeconds);
  record.figure('fan-out done after s', await fannedOut);
  log(`  [${backlogSize}] throughput ${(backlogSize / drainSeconds).toFixed(0)} deliveries/s`);

  // 2. Latency at a steady rate, over tables that hold the backlog's deliveries.
  const live: string[] = [];
  await record.phase(`publish ${LIVE} events at ${RATE}/s`, async () => {
    const t0 = performance.now();
    for (let i = 0; i < LIVE; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const e = event();
      const id = deliveryIdOf(subscriptionId, e.id);
      published.set(id, performance.now());
      live.push(id);
      await bus.publish(topicFor('referrals'), [{ key: e.subject!, value: e }]);
    }
    await waitFor(live, 'latency', 120_000);
  });
  record.latency(
    `event-to-delivery at ${RATE}/s`,
    live.map((id) => delivered.get(id)! - published.get(id)!),
  );

  await consumer.stop();
  await processor.stop();
  await bus.close();
  await db.close();
  await store.close();
  receiver.stop();
  rmSync(dir, { recursive: true, force: true });
}

await runCurve({
  name: 'webhooks',
  unit: 'deliveries',
  sizesEnv: 'BENCH_WEBHOOKS_SIZES',
  defaultSizes: [10_000, 40_000, 160_000],
  meta: {
    setup: `embedded bus + SQLite, real fan-out consumer and delivery processor (concurrency ${CONCURRENCY}), receiver in its own process`,
    rate: RATE,
    liveEvents: LIVE,
    targets: { deliveriesPerSecond: TARGET_PER_SECOND, p99MsAtRate: TARGET_P99_MS },
  },
  body: measure,
  verdict: (points) =>
    points.flatMap((p) => {
      const rate = p.figures['deliveries/s'] ?? 0;
      const p99 = p.latencies[`event-to-delivery at ${RATE}/s`]?.p99 ?? Infinity;
      return [
        `${p.size} deliveries: ${Math.round(rate)} deliveries/s (target ≥ ${TARGET_PER_SECOND}: ${rate >= TARGET_PER_SECOND ? 'met' : 'NOT met'})`,
        `${p.size} deliveries: event-to-delivery p99 ${p99} ms at ${RATE}/s (target ≤ ${TARGET_P99_MS}: ${p99 <= TARGET_P99_MS ? 'met' : 'NOT met'})`,
      ];
    }),
});
