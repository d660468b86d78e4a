import type { Bus } from '../bus/types.js';
import type { Clock } from '../clock/clock.js';
import type { EventStore } from '../eventStore/types.js';
import type { SqlDatabase } from '../sql/types.js';
import { deadLetterStore } from './deadLetterStore.js';
import type { ProcessorDefinition } from './runtime.js';
import { scheduleProcessor } from './scheduleProcessor.js';

export interface RetentionWindows {
  /** Inbox entries (de-duplication by event id). Must be at least `busMs`: a message still on the bus may come again. */
  inboxMs: number;
  /** The service's own topic on the embedded bus (Kafka: the topics' retention.ms does it). */
  busMs: number;
  idempotencyMs: number;
  parkedMs: number;
}

export interface RetentionOptions {
  name: string;
  store: EventStore;
  db: SqlDatabase;
  bus: Bus;
  /** The topic this service publishes: each service prunes its own (none for a service that only consumes). */
  topic: string | undefined;
  windows: RetentionWindows;
  everyMs: number;
  clock?: Clock;
}

export interface PruneCounts {
  inbox: number;
  bus: number;
  idempotency: number;
  parked: number;
}

/** Throws when the inbox would forget an event id the bus may still deliver again. */
export function checkRetentionWindows(windows: RetentionWindows): void {
  if (windows.inboxMs < windows.busMs)
    throw new Error(
      'RETENTION_INBOX_HOURS must be at least RETENTION_BUS_HOURS: a message still on the bus could be applied twice',
    );
}

/** One retention pass: deletes what is older than its window, each in its own statement. */
export async function pruneOnce(options: Omit<RetentionOptions, 'name' | 'everyMs'>): Promise<PruneCounts> {
  const now = (options.clock ?? (() => new Date()))().getTime();
  const before = (ms: number): Date => new Date(now - ms);
  const { windows } = options;
  const inbox = (
    await options.db.execute('DELETE FROM estia_inbox WHERE handled_at < $1', [before(windows.inboxMs).toISOString()])
  ).rowCount;
  const parked = await deadLetterStore.prune(options.db, before(windows.parkedMs).toISOString());
  const idempotency = await options.store.pruneIdempotencyRecords(before(windows.idempotencyMs).toISOString());
  const bus = options.topic === undefined ? 0 : await options.bus.prune(options.topic, before(windows.busMs));
  return { inbox, bus, idempotency, parked };
}

/**
 * Bounded growth: a retention processor that prunes the inbox, the service's bus topic (embedded),
 * Idempotency-Key records and parked events by their configured windows, so that disk grows with events,
 * not with deliveries × time.
 */
export function retentionProcessor(options: RetentionOptions): ProcessorDefinition {
  checkRetentionWindows(options.windows);
  return scheduleProcessor({
    name: options.name,
    kind: 'retention',
    everyMs: options.everyMs,
    tick: async () => {
      const counts = await pruneOnce(options);
      return counts.inbox + counts.bus + counts.idempotency + counts.parked;
    },
  });
}
