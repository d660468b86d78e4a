import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import { createHttpApp } from '../http/createHttpApp.js';
import { MetricsRegistry } from '../http/metrics.js';
import type { Projection } from '../projections/projection.js';
import { createSqliteDatabase } from '../sql/sqliteDatabase.js';
import type { SqlDatabase } from '../sql/types.js';
import { sqlBackends } from '../testing/sqlBackends.js';
import { deadLetterStore, STORE_SOURCE } from './deadLetterStore.js';
import { createSqlLeaseStore, type LeaseStore } from './leases.js';
import { projectionProcessors } from './projectionProcessors.js';
import { relayProcessor } from './relayProcessor.js';
import { createProcessorRuntime, type ProcessorDefinition, type ProcessorRuntime } from './runtime.js';
import { scheduleProcessor } from './scheduleProcessor.js';
import { testRelayMapper } from './testWorkers/testEnvelope.js';

const dir = mkdtempSync(join(tmpdir(), 'estia-runtime-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const eventually = async (probe: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const stateOf = async (runtime: ProcessorRuntime, name: string) =>
  (await runtime.status()).find((s) => s.name === name)!;

/** A lease store that can be cut off, like a replica that froze or lost its network. */
const cuttable = (inner: LeaseStore): LeaseStore & { cut(): void } => {
  let cut = false;
  const guard = <T>(call: () => Promise<T>): Promise<T> =>
    cut ? Promise.reject(new Error('lease store unreachable')) : call();
  return {
    owner: inner.owner,
    tryAcquire: (name, ttl) => guard(() => inner.tryAcquire(name, ttl)),
    renew: (name, ttl) => guard(() => inner.renew(name, ttl)),
    release: (name) => guard(() => inner.release(name)),
    holders: () => inner.holders(),
    cut: () => void (cut = true),
  };
};

/** Counts ticks per runtime owner in a table: who ran the job, and how often. */
const tickCounter = (db: SqlDatabase, name: string, owner: () => string): ProcessorDefinition =>
  scheduleProcessor({
    name,
    everyMs: 5,
    tick: async () => {
      await db.execute('INSERT INTO ticks (job, owner) VALUES ($1, $2)', [name, owner()]);
      return 1;
    },
  });

for (const backend of await sqlBackends('runtime')) {
  describe.skipIf(backend.skip)(`processor leases and takeover (${backend.name})`, () => {
    const open = async () => {
      const { db, close } = await backend.open();
      cleanups.push(close);
      await db.execute('CREATE TABLE IF NOT EXISTS ticks (job TEXT NOT NULL, owner TEXT NOT NULL)');
      return db;
    };

    it('a lease has one holder; it expires, is renewed only by its holder, and a dead holder loses it at once', async () => {
      const db = await open();
      let now = 1_000_000;
      const a = await createSqlLeaseStore(db, { now: () => now });
      const b = await createSqlLeaseStore(db, { now: () => now });
      expect(await a.tryAcquire('job', 1_000)).toBe(true);
      expect(await b.tryAcquire('job', 1_000)).toBe(false);
      expect(await a.tryAcquire('job', 1_000)).toBe(true);
      now += 999;
      expect(await b.tryAcquire('job', 1_000)).toBe(false);
      expect(await a.renew('job', 1_000)).toBe(true);
      now += 1_001;
      expect(await b.tryAcquire('job', 1_000)).toBe(true);
      expect(await a.renew('job', 1_000)).toBe(false);
      expect((await a.holders()).job!.owner).toBe(b.owner);
      await b.release('job');
      expect(await a.tryAcquire('job', 1_000)).toBe(true);

      // A holder on this host whose process is gone (SIGKILL) gives way before its lease expires.
      const ghost = await createSqlLeaseStore(db, { now: () => now, pid: 2 ** 22 + 12_345 });
      expect(await ghost.tryAcquire('other', 60_000)).toBe(true);
      expect(await a.tryAcquire('other', 60_000)).toBe(true);
    });

    it('two runtimes on one store: one runs the job, the other stands by and takes over when the first is cut off', async () => {
      const db = await open();
      const name = `job-${randomUUID().slice(0, 8)}`;
      const leasesA = cuttable(await createSqlLeaseStore(db));
      const leasesB = await createSqlLeaseStore(db);
      const ttl = 400;
      const a = createProcessorRuntime({ leases: leasesA, leaseTtlMs: ttl });
      const b = createProcessorRuntime({ leases: leasesB, leaseTtlMs: ttl });
      cleanups.push(
        () => a.stop(),
        () => b.stop(),
      );
      a.add(tickCounter(db, name, () => leasesA.owner));
      b.add(tickCounter(db, name, () => leasesB.owner));
      a.start();
      await a.whenRunning(name);
      b.start();
      await eventually(async () => (await stateOf(b, name)).state === 'standby', 'b standing by');
      const ticksBy = async (owner: string) =>
        Number(
          (
            await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM ticks WHERE job = $1 AND owner = $2', [
              name,
              owner,
            ])
          )[0]!.n,
        );
      await eventually(async () => (await ticksBy(leasesA.owner)) >= 3, 'a ticking');
      expect(await ticksBy(leasesB.owner)).toBe(0);
      expect((await stateOf(a, name)).leader).toBe(true);

      leasesA.cut();
      await b.whenRunning(name);
      await eventually(async () => (await ticksBy(leasesB.owner)) >= 3, 'b ticking');
      // The cut-off replica stopped its run once it could no longer be sure of its lease.
      await eventually(async () => (await stateOf(a, name)).leader === false, 'a gave up');
      const aTicks = await ticksBy(leasesA.owner);
      await eventually(async () => (await ticksBy(leasesB.owner)) >= 6, 'b ticking on');
      expect(await ticksBy(leasesA.owner)).toBe(aTicks);
      await b.stop();
      // A graceful stop releases the lease: nobody holds it afterwards.
      expect((await leasesB.holders())[name]).toBeUndefined();
    });
  });
}

describe('takeover from a killed replica (SQLite file shared by two processes)', () => {
  it('SIGKILL of the holder: the standby on the same host runs the processor at once, not after the TTL', async () => {
    const path = join(dir, `replicas-${randomUUID()}.sqlite`);
    const db = await createSqliteDatabase({ path });
    cleanups.push(() => db.close());
    await db.execute('CREATE TABLE IF NOT EXISTS ticks (job TEXT NOT NULL, owner TEXT NOT NULL)');
    const script = fileURLToPath(new URL('./leaseHolder.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, 'job'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => child.kill('SIGKILL'));
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('running\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`replica exited early (${code})`)));
    });
    // The standby has the same long TTL: only the holder's death can hand it the lease in time.
    const standby = createProcessorRuntime({ leases: await createSqlLeaseStore(db), leaseTtlMs: 120_000 });
    cleanups.push(() => standby.stop());
    standby.add(tickCounter(db, 'job', () => 'standby'));
    standby.start();
    await eventually(async () => (await stateOf(standby, 'job')).state === 'standby', 'standing by');
    const ticks = async (owner: string) =>
      Number(
        (await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM ticks WHERE owner = $1', [owner]))[0]!.n,
      );
    await eventually(async () => (await ticks('child')) >= 2, 'the replica ticking');
    expect(await ticks('standby')).toBe(0);

    child.kill('SIGKILL');
    await once(child, 'exit');
    await standby.whenRunning('job');
    await eventually(async () => (await ticks('standby')) >= 2, 'the standby ticking');
  });
});

describe('supervision (SQLite)', () => {
  const openDb = async () => {
    const backend = (await sqlBackends('runtime'))[0]!;
    const { db, close } = await backend.open();
    cleanups.push(close);
    return db;
  };

  it('restarts a failing processor with backoff, reports it dead after the streak, and recovers', async () => {
    const db = await openDb();
    const metrics = new MetricsRegistry();
    let failing = true;
    const runtime = createProcessorRuntime({
      leases: await createSqlLeaseStore(db),
      deadAfterFailures: 3,
      backoff: { initialMs: 1, maxMs: 5 },
      metrics,
    });
    cleanups.push(() => runtime.stop());
    runtime.add(
      scheduleProcessor({
        name: 'flaky',
        everyMs: 5,
        tick: async () => {
          if (failing) throw new Error('downstream unavailable');
          return 1;
        },
      }),
    );
    runtime.start();
    await eventually(async () => (await stateOf(runtime, 'flaky')).state === 'dead', 'dead');
    const dead = await runtime.readiness();
    expect(dead.ok).toBe(false);
    expect(dead.failing).toEqual(['flaky']);
    expect((await stateOf(runtime, 'flaky')).lastError).toBe('Error: downstream unavailable');
    expect((await stateOf(runtime, 'flaky')).restarts).toBeGreaterThanOrEqual(3);

    failing = false;
    await eventually(async () => (await stateOf(runtime, 'flaky')).state === 'running', 'recovered');
    expect((await runtime.readiness()).ok).toBe(true);
    const text = await metrics.render();
    expect(text).toMatch(/^estia_processor_restarts_total\{processor="flaky"\} \d+$/m);
    expect(text).toMatch(/^estia_processor_processed_total\{processor="flaky"\} \d+$/m);
    expect(text).toContain('estia_processor_state{processor="flaky",state="running"} 1');
  });

  it('drains on stop: the unit in flight finishes before stop resolves', async () => {
    const db = await openDb();
    const runtime = createProcessorRuntime({ leases: await createSqlLeaseStore(db) });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    let finished = false;
    runtime.add(
      scheduleProcessor({
        name: 'slow',
        everyMs: 1_000,
        tick: async () => {
          started = true;
          await gate;
          finished = true;
          return 1;
        },
      }),
    );
    runtime.start();
    await eventually(() => started, 'tick started');
    const stopping = runtime.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
    expect((await stateOf(runtime, 'slow')).state).toBe('stopped');
  });

  it('parks a poison event of a projection after its attempts and goes on; the lag reaches 0', async () => {
    const db = await openDb();
    const store = createSqliteEventStore({ path: join(dir, `events-${randomUUID()}.sqlite`) });
    cleanups.push(() => store.close());
    const seen: string[] = [];
    const projection: Projection = {
      name: 'poisoned',
      types: ['Added', 'Poison'],
      migrate: async () => undefined,
      reset: async () => undefined,
      handle: async (_tx, events) => {
        for (const e of events) if (e.type === 'Poison') throw new Error('cannot apply');
        seen.push(...events.map((e) => e.streamId));
      },
    };
    const runtime = createProcessorRuntime({
      leases: await createSqlLeaseStore(db),
      backoff: { initialMs: 1, maxMs: 2 },
    });
    cleanups.push(() => runtime.stop());
    const { definitions, projector } = await projectionProcessors({
      store,
      db,
      projections: [projection],
      runtime,
      maxAttempts: 3,
    });
    definitions.forEach((d) => runtime.add(d));
    await store.append('a', [{ type: 'Added', data: {} }]);
    await store.append('bad', [{ type: 'Poison', data: {} }]);
    const { lastPosition } = await store.append('c', [{ type: 'Added', data: {} }]);
    runtime.start();
    await projector.waitFor(lastPosition, 20_000);
    expect(seen.filter((s) => s !== 'a')).toEqual(['c']);
    const [parked] = await deadLetterStore.list(db, { consumer: 'poisoned' });
    expect(parked).toMatchObject({
      topic: STORE_SOURCE,
      eventType: 'Poison',
      attempts: 3,
      error: 'Error: cannot apply',
    });
    expect(parked!.envelope).toMatchObject({ streamId: 'bad', revision: 0 });
    const status = await stateOf(runtime, 'poisoned');
    expect(status).toMatchObject({ parked: 1, lagEvents: 0, lagSeconds: 0 });
    // It went back to whole batches: later events are applied too.
    const more = await store.append('d', [{ type: 'Added', data: {} }]);
    await projector.waitFor(more.lastPosition, 20_000);
    expect(seen).toContain('d');
  });

  it('parks an event the relay cannot map and publishes the ones after it', async () => {
    const db = await openDb();
    const store = createSqliteEventStore({ path: join(dir, `events-${randomUUID()}.sqlite`) });
    const bus = createEmbeddedBus({ path: join(dir, `bus-${randomUUID()}.sqlite`), pollIntervalMs: 5 });
    cleanups.push(
      () => store.close(),
      () => bus.close(),
    );
    const runtime = createProcessorRuntime({
      leases: await createSqlLeaseStore(db),
      backoff: { initialMs: 1, maxMs: 2 },
    });
    cleanups.push(() => runtime.stop());
    runtime.add(
      relayProcessor({
        store,
        db,
        bus,
        name: 'test.relay',
        maxAttempts: 2,
        map: (event) => {
          if (event.streamId === 'sealed') throw new Error('key unavailable');
          return testRelayMapper('estia.test')(event);
        },
      }),
    );
    await store.append('one', [{ type: 'public.opened', data: { ticketId: 'one' } }]);
    await store.append('sealed', [{ type: 'public.opened', data: { ticketId: 'sealed' } }]);
    await store.append('two', [{ type: 'public.opened', data: { ticketId: 'two' } }]);
    runtime.start();
    await eventually(async () => (await stateOf(runtime, 'test.relay')).lagEvents === 0, 'relay caught up');
    expect(await deadLetterStore.count(db, 'test.relay')).toBe(1);
    expect((await bus.lag('nobody-yet', ['estia.test'])).messages).toBe(2);
  });

  it('/ready lists every processor and fails while one is dead; /metrics has the HTTP latency histogram', async () => {
    const db = await openDb();
    const metrics = new MetricsRegistry();
    let failing = true;
    const runtime = createProcessorRuntime({
      leases: await createSqlLeaseStore(db),
      deadAfterFailures: 2,
      backoff: { initialMs: 1, maxMs: 2 },
      metrics,
    });
    cleanups.push(() => runtime.stop());
    runtime.add(scheduleProcessor({ name: 'steady', everyMs: 5, tick: async () => 1 }));
    runtime.add(
      scheduleProcessor({
        name: 'broken',
        everyMs: 5,
        tick: async () => {
          if (failing) throw new Error('boom');
          return 0;
        },
      }),
    );
    const app = await createHttpApp({ service: 'test', auth: false, processors: () => runtime.readiness(), metrics });
    cleanups.push(() => app.close());
    runtime.start();
    await eventually(async () => (await stateOf(runtime, 'broken')).state === 'dead', 'broken dead');
    const notReady = await app.inject({ method: 'GET', url: '/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({
      detail: 'Not ready: processors (broken)',
      checks: { processors: 'failed' },
      processors: expect.arrayContaining([
        expect.objectContaining({ name: 'broken', state: 'dead', kind: 'schedule' }),
        expect.objectContaining({ name: 'steady', state: 'running', leader: true }),
      ]),
    });
    failing = false;
    await eventually(async () => (await app.inject({ method: 'GET', url: '/ready' })).statusCode === 200, 'ready');
    const ready = (await app.inject({ method: 'GET', url: '/ready' })).json();
    expect(ready.processors.map((p: { name: string }) => p.name)).toEqual(['steady', 'broken']);

    const scrape = await app.inject({ method: 'GET', url: '/metrics' });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scrape.body).toMatch(
      /^estia_http_request_duration_seconds_count\{method="GET",route="\/ready",status="503"\} [1-9]\d*$/m,
    );
    expect(scrape.body).toMatch(
      /^estia_http_request_duration_seconds_bucket\{method="GET",route="\/ready",status="200",le="\+Inf"\} [1-9]/m,
    );
    expect(scrape.body).toContain('# TYPE estia_processor_lag_events gauge');
  });
});
