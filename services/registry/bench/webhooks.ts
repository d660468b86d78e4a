/**
 * `pnpm bench:webhooks [--events 10000] [--rate 100] [--seconds 10]` — webhook delivery, end to end,
 * on the embedded default: public events published to the embedded bus, the real fan-out consumer
 * (inbox + deliveries + checkpoint in one SQLite transaction), the real delivery processor (claim,
 * Standard Webhooks signature, HTTP POST over keep-alive, attempt recorded) and a local receiver in
 * its own process.
 *  1. throughput: --events referral events for one subscribed organisation are published first, then
 *     consumer and processor drain them: deliveries per second until the last is recorded;
 *  2. latency: with everything live, events are published one by one at --rate per second; the time
 *     from publish to the recorded answer of the receiver (a bound on event-to-delivery).
 * Targets: ≥ 500 deliveries/s; p99 ≤ 1 s at 100 events/s. Writes bench/results/webhooks.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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
import { defaultContext } from '../src/application/context.js';
import { deliveryIdOf } from '../src/webhooks/fanOut.js';
import { createSecretBox } from '../src/webhooks/secretBox.js';
import { webhookSubscriptionsProjection } from '../src/webhooks/subscriptionProjection.js';
import { webhookModule } from '../src/webhooks/webhookModule.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '128' },
  },
});
const BACKLOG = Number(args.events);
const RATE = Number(args.rate);
const LIVE = RATE * Number(args.seconds);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const log = (line: string) => void process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), 'estia-bench-webhooks-'));
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
  concurrency: Number(args.concurrency),
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
  while (ids.some((id) => !delivered.has(id))) {
    if (Date.now() > deadline)
      throw new Error(`${what}: ${ids.filter((id) => !delivered.has(id)).length} not delivered`);
    await sleep(20);
  }
};

// 1. Throughput: a backlog, then drain.
log(`publishing a backlog of ${BACKLOG} events…`);
const backlog = Array.from({ length: BACKLOG }, event);
for (let i = 0; i < backlog.length; i += 500)
  await bus.publish(
    topicFor('referrals'),
    backlog.slice(i, i + 500).map((e) => ({ key: e.subject!, value: e })),
  );
const drainStart = performance.now();
const consumer = await startConsumer({ ...module.consumer, bus, db });
const processor = module.start();
const fannedOut = (async () => {
  for (;;) {
    const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_deliveries');
    if (Number(row?.n) >= BACKLOG) return (performance.now() - drainStart) / 1000;
    await sleep(50);
  }
})();
await waitFor(
  backlog.map((e) => deliveryIdOf(subscriptionId, e.id)),
  'throughput',
  300_000,
);
const drainSeconds = (performance.now() - drainStart) / 1000;
const throughput = BACKLOG / drainSeconds;
const fanOutSeconds = await fannedOut;
log(
  `throughput: ${BACKLOG} deliveries in ${drainSeconds.toFixed(2)} s = ${throughput.toFixed(0)}/s (fan-out done after ${fanOutSeconds.toFixed(2)} s)`,
);

// 2. Latency at a steady rate.
log(`latency: ${LIVE} events at ${RATE}/s…`);
const live: string[] = [];
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
const latencies = live.map((id) => delivered.get(id)! - published.get(id)!).sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
const latency = { p50: pct(50), p95: pct(95), p99: pct(99), max: latencies.at(-1)! };
log(
  `event-to-delivery at ${RATE}/s: p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms, max ${latency.max.toFixed(0)} ms`,
);

await consumer.stop();
await processor.stop();
await bus.close();
await db.close();
await store.close();
receiver.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

const result = {
  benchmark: 'webhooks',
  at: new Date().toISOString(),
  machine: { cpus: availableParallelism(), loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
  setup: `embedded bus + SQLite, real fan-out consumer and delivery processor (concurrency ${args.concurrency}), receiver in its own process`,
  throughput: {
    deliveries: BACKLOG,
    seconds: Number(drainSeconds.toFixed(2)),
    perSecond: Math.round(throughput),
    fanOutSeconds: Number(fanOutSeconds.toFixed(2)),
    target: 500,
    met: throughput >= 500,
  },
  latency: {
    rate: RATE,
    events: LIVE,
    ms: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, Math.round(v)])),
    targetP99Ms: 1000,
    met: latency.p99 <= 1000,
  },
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'webhooks.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
