import { silentLogger, type BusLogger } from '../bus/logger.js';
import type { MetricsRegistry } from '../http/metrics.js';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import type { LeaseStore } from './leases.js';

export type ProcessorKind = 'projection' | 'relay' | 'consumer' | 'schedule' | 'retention';

/**
 * - standby: another replica holds the lease (or none could be taken yet);
 * - running: this replica holds the lease and the run is live;
 * - restarting: the run failed, waiting out its backoff;
 * - dead: failed `deadAfterFailures` times in a row without progress (still retried, at the longest
 *   backoff, but /ready fails until it makes progress again);
 * - stopped: the runtime was stopped (drained).
 */
export type ProcessorState = 'standby' | 'running' | 'restarting' | 'dead' | 'stopped';

export interface ProcessorLag {
  /** Units (events, messages, due items) waiting; counted up to the processor's scan limit. */
  events: number;
  /** Age of the oldest waiting unit; 0 when caught up; null where the source cannot tell. */
  seconds: number | null;
}

export interface ProcessorRun {
  /**
   * Settles when the run ends by itself: rejects when it failed (restarted after a backoff), resolves
   * when it asks to be started again at once (e.g. to leave a one-event-at-a-time mode).
   */
  readonly done: Promise<void>;
  /** Graceful: the unit in flight finishes and checkpoints, then it resolves. */
  stop(): Promise<void>;
}

export interface ProcessorRunContext {
  readonly name: string;
  /** Failures in a row before this run (0 on a fresh start): poison handling counts attempts with it. */
  readonly failures: number;
  readonly logger: BusLogger;
  /** Report units done (0 for a pass that found nothing to do): counted in /metrics; ends a failure streak. */
  processed(count: number): void;
  /** Report units parked after their last attempt. */
  parked(count: number): void;
}

export interface ProcessorDefinition {
  /** Unique per service: the lease and (usually) checkpoint name, e.g. `referrals.relay`. */
  name: string;
  kind: ProcessorKind;
  start(context: ProcessorRunContext): Promise<ProcessorRun>;
  /** How far behind its source it is (read from the shared checkpoint: a standby reports it too). */
  lag?(): Promise<ProcessorLag>;
  /** Units parked so far (dead letters kept for an operator). */
  parkedCount?(): Promise<number>;
}

export interface ProcessorStatus {
  name: string;
  kind: ProcessorKind;
  state: ProcessorState;
  /** True when this replica holds the lease. */
  leader: boolean;
  lagEvents: number | null;
  lagSeconds: number | null;
  parked: number | null;
  processed: number;
  restarts: number;
  /** Failures in a row (0 when healthy). */
  failures: number;
  /** The last failure's class and message (no payloads). */
  lastError?: string;
}

export interface ProcessorRuntimeOptions {
  leases: LeaseStore;
  /** Lease time to live: a standby takes over at most this long after the holder stopped renewing. Default 10 s. */
  leaseTtlMs?: number;
  /** How often a standby tries to take a lease over. Default: a third of the TTL, at most 1 s. */
  acquireEveryMs?: number;
  /** /ready fails when a processor has more waiting units than this. Default 10,000. */
  maxLagEvents?: number;
  /** /ready fails when a processor's oldest waiting unit is older than this. Default 300 s. */
  maxLagSeconds?: number;
  /** Failures in a row after which a processor counts as dead. Default 10. */
  deadAfterFailures?: number;
  /** Restart delay: 200 ms doubling up to 30 s by default. */
  backoff?: BackoffOptions;
  logger?: BusLogger;
  /** Registers the processors' metrics here. */
  metrics?: MetricsRegistry;
  /** How long a lag reading is reused (probes and scrapes every few seconds). Default 1 s. */
  lagCacheMs?: number;
}

export interface ProcessorRuntime {
  readonly owner: string;
  add(definition: ProcessorDefinition): void;
  /** Starts supervising every processor added so far (and any added later). */
  start(): void;
  status(): Promise<ProcessorStatus[]>;
  /** Readiness: failing names the processors that are dead or beyond the configured lag. */
  readiness(): Promise<{ ok: boolean; failing: string[]; processors: ProcessorStatus[] }>;
  /** Resolves once `name` runs on this replica (tests, and callers that need it live). */
  whenRunning(name: string): Promise<void>;
  /** Stops `name`'s run and holds it (lease kept) until `resume`: maintenance such as a rebuild. */
  suspend(name: string): Promise<void>;
  resume(name: string): void;
  /** Graceful drain: every run finishes its unit and stops, leases are released. */
  stop(): Promise<void>;
}

interface Entry {
  definition: ProcessorDefinition;
  state: ProcessorState;
  leader: boolean;
  processed: number;
  restarts: number;
  failures: number;
  parkedHere: number;
  lastError?: string;
  lastRenewal: number;
  /** Ends the current run: its lease was lost, or it is being suspended. */
  interrupt?: (why: 'lost' | 'suspend') => void;
  run?: ProcessorRun;
  suspended?: { resume: () => void; resumed: Promise<void> };
  wake?: () => void;
  runningWaiters: (() => void)[];
  lag?: { at: number; value: Promise<ProcessorLag | null> };
  loop?: Promise<void>;
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);

/**
 * Runs every background processor of a service (projections, relay, consumers, schedules, retention)
 * under one supervisor: a named lease so that of several replicas exactly one runs each processor and a
 * standby takes over within the lease TTL, restart with exponential backoff, a failure streak that turns
 * into `dead` (and a failing /ready), lag and counters for /ready and /metrics, and a graceful drain.
 */
export function createProcessorRuntime(options: ProcessorRuntimeOptions): ProcessorRuntime {
  const { leases } = options;
  const ttl = options.leaseTtlMs ?? 10_000;
  const renewEvery = Math.max(20, Math.floor(ttl / 3));
  const acquireEvery = options.acquireEveryMs ?? Math.min(1_000, renewEvery);
  const maxLagEvents = options.maxLagEvents ?? 10_000;
  const maxLagSeconds = options.maxLagSeconds ?? 300;
  const deadAfter = Math.max(1, options.deadAfterFailures ?? 10);
  const backoff = options.backoff ?? { initialMs: 200, maxMs: 30_000 };
  const lagCacheMs = options.lagCacheMs ?? 1_000;
  const logger = options.logger ?? silentLogger;
  const entries = new Map<string, Entry>();
  const stopper = new AbortController();
  let started = false;
  let renewTimer: NodeJS.Timeout | undefined;
  const stopped = new Promise<'stop'>((resolve) =>
    stopper.signal.addEventListener('abort', () => resolve('stop'), { once: true }),
  );

  const markRunning = (entry: Entry): void => {
    entry.state = 'running';
    for (const resolve of entry.runningWaiters.splice(0)) resolve();
  };

  const context = (entry: Entry): ProcessorRunContext => ({
    name: entry.definition.name,
    failures: entry.failures,
    logger,
    processed: (count) => {
      if (count > 0) {
        entry.processed += count;
        processedTotal?.inc({ processor: entry.definition.name }, count);
      }
      if (entry.failures > 0) {
        entry.failures = 0;
        if (entry.state === 'dead' || entry.state === 'restarting') markRunning(entry);
      }
    },
    parked: (count) => {
      entry.parkedHere += count;
      parkedTotal?.inc({ processor: entry.definition.name }, count);
    },
  });

  const pause = (entry: Entry, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const done = (value: boolean): void => {
        entry.wake = undefined;
        resolve(value);
      };
      entry.wake = () => done(true);
      void sleep(ms, stopper.signal).then(done);
    });

  const supervise = async (entry: Entry): Promise<void> => {
    const { name } = entry.definition;
    while (!stopper.signal.aborted) {
      if (!entry.leader) {
        let acquired = false;
        try {
          acquired = await leases.tryAcquire(name, ttl);
        } catch (error) {
          logger.warn({ processor: name, err: error }, 'processor: lease store unavailable');
        }
        if (!acquired) {
          if (entry.state !== 'dead') entry.state = 'standby';
          await pause(entry, acquireEvery);
          continue;
        }
        entry.leader = true;
        entry.lastRenewal = Date.now();
        logger.info({ processor: name, owner: leases.owner }, 'processor: lease acquired');
      }
      if (entry.suspended) {
        await Promise.race([entry.suspended.resumed, stopped]);
        continue;
      }
      const interrupted = new Promise<'lost' | 'suspend'>((resolve) => (entry.interrupt = resolve));
      let outcome: { kind: 'ended' | 'lost' | 'suspend' | 'stop' } | { kind: 'failed'; error: unknown };
      try {
        const run = await entry.definition.start(context(entry));
        entry.run = run;
        if (entry.failures < deadAfter) markRunning(entry);
        else for (const resolve of entry.runningWaiters.splice(0)) resolve();
        outcome = await Promise.race([
          run.done.then(
            () => ({ kind: 'ended' }) as const,
            (error: unknown) => ({ kind: 'failed', error }) as const,
          ),
          interrupted.then((kind) => ({ kind })),
          stopped.then((kind) => ({ kind })),
        ]);
        if (outcome.kind !== 'failed') {
          try {
            await run.stop();
          } catch (error) {
            logger.warn({ processor: name, err: error }, 'processor: stop failed');
          }
        }
      } catch (error) {
        outcome = { kind: 'failed', error };
      }
      entry.run = undefined;
      entry.interrupt = undefined;

      if (outcome.kind === 'stop') break;
      if (outcome.kind === 'lost') {
        entry.leader = false;
        entry.state = 'standby';
        logger.warn({ processor: name }, 'processor: lease lost to another replica, standing by');
        continue;
      }
      if (outcome.kind === 'suspend') continue;
      if (outcome.kind === 'ended') {
        entry.restarts += 1;
        restartsTotal?.inc({ processor: name });
        continue;
      }
      if (outcome.kind !== 'failed') continue;
      entry.failures += 1;
      entry.restarts += 1;
      entry.lastError = describe(outcome.error);
      restartsTotal?.inc({ processor: name });
      entry.state = entry.failures >= deadAfter ? 'dead' : 'restarting';
      const delay = backoffDelay(entry.failures, backoff);
      logger.error(
        { processor: name, err: outcome.error, failures: entry.failures, delay },
        entry.state === 'dead'
          ? 'processor: failing repeatedly (dead), still retrying'
          : 'processor: failed, restarting',
      );
      await sleep(delay, stopper.signal);
    }
    if (entry.leader) {
      try {
        await leases.release(name);
      } catch (error) {
        logger.warn({ processor: name, err: error }, 'processor: lease release failed');
      }
      entry.leader = false;
    }
    entry.state = 'stopped';
  };

  const renewAll = async (): Promise<void> => {
    for (const entry of entries.values()) {
      if (!entry.leader || stopper.signal.aborted) continue;
      try {
        if (await leases.renew(entry.definition.name, ttl)) {
          entry.lastRenewal = Date.now();
          continue;
        }
        entry.leader = false;
        entry.interrupt?.('lost');
      } catch (error) {
        // The store did not answer: keep working while the lease is surely still ours, then give up.
        if (Date.now() - entry.lastRenewal > ttl - renewEvery) {
          entry.leader = false;
          entry.interrupt?.('lost');
        }
        logger.warn({ processor: entry.definition.name, err: error }, 'processor: lease renewal failed');
      }
    }
  };

  const launch = (entry: Entry): void => {
    entry.loop = supervise(entry).catch((error: unknown) => {
      entry.state = 'dead';
      entry.lastError = describe(error);
      logger.error({ processor: entry.definition.name, err: error }, 'processor: supervisor crashed');
    });
  };

  const lagOf = (entry: Entry): Promise<ProcessorLag | null> => {
    const { lag } = entry.definition;
    if (!lag) return Promise.resolve(null);
    const now = Date.now();
    if (entry.lag && now - entry.lag.at < lagCacheMs) return entry.lag.value;
    const value = lag.call(entry.definition).catch(() => null);
    entry.lag = { at: now, value };
    return value;
  };

  const statusOf = async (entry: Entry): Promise<ProcessorStatus> => {
    const [lag, parked] = await Promise.all([
      lagOf(entry),
      entry.definition.parkedCount
        ? entry.definition.parkedCount().catch(() => null)
        : Promise.resolve(entry.parkedHere),
    ]);
    return {
      name: entry.definition.name,
      kind: entry.definition.kind,
      state: entry.state,
      leader: entry.leader,
      lagEvents: lag?.events ?? null,
      lagSeconds: lag === null || lag.seconds === null ? null : Math.round(lag.seconds * 1000) / 1000,
      parked,
      processed: entry.processed,
      restarts: entry.restarts,
      failures: entry.failures,
      ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
    };
  };

  let latest: ProcessorStatus[] = [];
  const status = async (): Promise<ProcessorStatus[]> => {
    latest = await Promise.all([...entries.values()].map(statusOf));
    return latest;
  };

  const metrics = options.metrics;
  const processedTotal = metrics?.counter(
    'estia_processor_processed_total',
    'Units (events, messages, due items) a processor handled on this replica.',
  );
  const restartsTotal = metrics?.counter(
    'estia_processor_restarts_total',
    'Restarts of a processor on this replica (after a failure or on request).',
  );
  const parkedTotal = metrics?.counter(
    'estia_processor_parked_total',
    'Units a processor parked on this replica after their last attempt.',
  );
  if (metrics) {
    metrics.gauge('estia_processor_lag_events', 'Units waiting for a processor (from its shared checkpoint).', () =>
      latest.filter((s) => s.lagEvents !== null).map((s) => ({ labels: { processor: s.name }, value: s.lagEvents! })),
    );
    metrics.gauge('estia_processor_lag_seconds', 'Age of the oldest unit waiting for a processor.', () =>
      latest.filter((s) => s.lagSeconds !== null).map((s) => ({ labels: { processor: s.name }, value: s.lagSeconds! })),
    );
    metrics.gauge('estia_processor_parked', 'Parked units (dead letters) of a processor kept for an operator.', () =>
      latest.filter((s) => s.parked !== null).map((s) => ({ labels: { processor: s.name }, value: s.parked! })),
    );
    metrics.gauge('estia_processor_leader', "1 when this replica holds the processor's lease.", () =>
      latest.map((s) => ({ labels: { processor: s.name }, value: s.leader ? 1 : 0 })),
    );
    metrics.gauge('estia_processor_state', "The processor's state on this replica (1 for the current one).", () =>
      latest.flatMap((s) =>
        (['standby', 'running', 'restarting', 'dead', 'stopped'] as const).map((state) => ({
          labels: { processor: s.name, state },
          value: s.state === state ? 1 : 0,
        })),
      ),
    );
    metrics.addCollector(async () => void (await status()));
  }

  return {
    owner: leases.owner,
    add(definition) {
      if (entries.has(definition.name)) throw new Error(`processor ${definition.name} added twice`);
      const entry: Entry = {
        definition,
        state: 'standby',
        leader: false,
        processed: 0,
        restarts: 0,
        failures: 0,
        parkedHere: 0,
        lastRenewal: 0,
        runningWaiters: [],
      };
      entries.set(definition.name, entry);
      if (started) launch(entry);
    },
    start() {
      if (started) return;
      started = true;
      renewTimer = setInterval(() => void renewAll(), renewEvery);
      renewTimer.unref();
      for (const entry of entries.values()) launch(entry);
    },
    status,
    async readiness() {
      const processors = await status();
      const failing = processors
        .filter(
          (p) =>
            p.state === 'dead' ||
            (p.lagEvents !== null && p.lagEvents > maxLagEvents) ||
            (p.lagSeconds !== null && p.lagSeconds > maxLagSeconds),
        )
        .map((p) => p.name);
      return { ok: failing.length === 0, failing, processors };
    },
    whenRunning(name) {
      const entry = entries.get(name);
      if (!entry) return Promise.reject(new Error(`unknown processor ${name}`));
      if (entry.state === 'running' && entry.run) return Promise.resolve();
      return new Promise((resolve) => entry.runningWaiters.push(resolve));
    },
    async suspend(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`unknown processor ${name}`);
      if (!entry.suspended) {
        let resume!: () => void;
        const resumed = new Promise<void>((r) => (resume = r));
        entry.suspended = { resume, resumed };
      }
      entry.interrupt?.('suspend');
      // The supervisor stops the run gracefully; wait until it did.
      while (entry.run && !stopper.signal.aborted) await sleep(10);
    },
    resume(name) {
      const entry = entries.get(name);
      const suspended = entry?.suspended;
      if (!entry || !suspended) return;
      entry.suspended = undefined;
      suspended.resume();
    },
    async stop() {
      stopper.abort();
      clearInterval(renewTimer);
      for (const entry of entries.values()) entry.wake?.();
      await Promise.all([...entries.values()].map((e) => e.loop));
    },
  };
}
