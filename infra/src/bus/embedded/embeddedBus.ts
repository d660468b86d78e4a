import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { EventEnvelope } from '@estia/contracts';
import type { Bus, BusConsumer, ConsumeOptions, DeliveredMessage, OutgoingMessage } from '../types.js';
import { silentLogger, type BusLogger } from '../logger.js';
import { Waker } from '../wakeableSleep.js';
import { preparePrivateDatabaseFile } from '../../sql/privateFiles.js';
import { openBusDatabase } from './schema.js';
import { GroupLeases } from './groupLease.js';

export interface EmbeddedBusOptions {
  /** SQLite file shared by every service process on the machine, e.g. `data/bus.sqlite`. */
  path: string;
  /** How often an idle consumer looks for messages published by other processes. */
  pollIntervalMs?: number;
  /** Max messages per handler call. */
  batchSize?: number;
  /** A consumer that stops renewing loses its topics after this long (a dead process loses them at once). */
  leaseTtlMs?: number;
  busyTimeoutMs?: number;
  /** Delay before redelivering a batch whose handler rejected; doubles up to `retryMaxMs`. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  logger?: BusLogger;
}

interface LogRow {
  offset: number;
  key: string;
  value: string;
}

const parseValue = (raw: string): EventEnvelope => {
  try {
    return JSON.parse(raw) as EventEnvelope;
  } catch {
    // Handed on as is: the consumer's envelope validation dead-letters it with a readable error.
    return raw as unknown as EventEnvelope;
  }
};

/**
 * The embedded, durable bus: a SQLite file in WAL mode that every service process on one machine opens.
 * Publishing appends to a per-topic log in one fsynced transaction; consumers poll their topics from the
 * group's committed offset and commit only after the handler resolved.
 */
export function createEmbeddedBus(options: EmbeddedBusOptions): Bus {
  const pollIntervalMs = options.pollIntervalMs ?? 10;
  const batchSize = options.batchSize ?? 500;
  const leaseTtlMs = options.leaseTtlMs ?? 10_000;
  const retryInitialMs = options.retryInitialMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const logger = options.logger ?? silentLogger;

  preparePrivateDatabaseFile(options.path);
  const db = new Database(options.path);
  openBusDatabase(db, options.busyTimeoutMs ?? 5_000);

  const nextOffset = db.prepare<[string], { next_offset: number }>(
    'SELECT next_offset FROM bus_topics WHERE topic = ?',
  );
  const setNextOffset = db.prepare<[string, number]>(
    'INSERT INTO bus_topics (topic, next_offset) VALUES (?, ?) ON CONFLICT (topic) DO UPDATE SET next_offset = excluded.next_offset',
  );
  const insert = db.prepare<[string, number, string, string, number]>(
    'INSERT INTO bus_log (topic, offset, key, value, published_at) VALUES (?, ?, ?, ?, ?)',
  );
  const append = db.transaction((topic: string, messages: readonly OutgoingMessage[]) => {
    let offset = nextOffset.get(topic)?.next_offset ?? 0;
    const now = Date.now();
    for (const message of messages) insert.run(topic, offset++, message.key, JSON.stringify(message.value), now);
    setNextOffset.run(topic, offset);
  });
  // Forgotten rows (value NULL) are passed over like a gap; the offset after the last row read still moves.
  const fetch = db.prepare<[string, number, number], LogRow>(
    'SELECT offset, key, value FROM bus_log WHERE topic = ? AND offset >= ? AND value IS NOT NULL ORDER BY offset LIMIT ?',
  );
  const committed = db.prepare<[string, string], { next_offset: number }>(
    'SELECT next_offset FROM bus_group_offsets WHERE grp = ? AND topic = ?',
  );
  const commitStmt = db.prepare<[string, string, number]>(
    `INSERT INTO bus_group_offsets (grp, topic, next_offset) VALUES (?, ?, ?)
     ON CONFLICT (grp, topic) DO UPDATE SET next_offset = excluded.next_offset`,
  );

  // CASE, not AND: SQLite may evaluate json_extract first, and a malformed value (kept for the
  // dead-letter path) would make it throw.
  const offsetOfEvent = db.prepare<[string, string, string], { offset: number | null }>(
    `SELECT MAX(offset) AS offset FROM bus_log WHERE topic = ? AND key = ?
       AND CASE WHEN json_valid(value) THEN json_extract(value, '$.id') END = ?`,
  );
  // Blanked in place, never deleted: see schema.ts (a delete rebalances pages and leaves stale copies).
  const blankBefore = db.prepare<[string, string, number]>(
    'UPDATE bus_log SET value = NULL WHERE topic = ? AND key = ? AND offset < ? AND value IS NOT NULL',
  );
  const forgetKey = db.transaction((topic: string, key: string, eventId: string): number => {
    // The last copy: a relay that crashed before its checkpoint published the whole batch again, so the
    // key's earlier messages may follow the first copy of the erasure too.
    const before = offsetOfEvent.get(topic, key, eventId)?.offset ?? null;
    // Not held: never published here, or forgotten since by a later forget of the key; either way
    // nothing of what preceded it is left to delete.
    return before === null ? 0 : blankBefore.run(topic, key, before).changes;
  });

  const lagOf = db.prepare<[string, number], { messages: number; oldest: number | null }>(
    `SELECT COUNT(*) AS messages, MIN(published_at) AS oldest FROM bus_log
     WHERE topic = ? AND offset >= ? AND value IS NOT NULL`,
  );
  const pruneBefore = db.prepare<[string, number]>('DELETE FROM bus_log WHERE topic = ? AND published_at < ?');

  /** A forget whose WAL truncation was refused: close() tries again before letting go of the file. */
  let walHoldsForgotten = false;
  const truncateWal = (context: Record<string, unknown>): boolean => {
    // A reader of another process still on an older snapshot makes it report busy (after busy_timeout);
    // the next forget, this handle's close, or SQLite's own checkpoint when the last handle closes (it
    // then deletes the WAL) finishes the job.
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    const done = result === undefined || result.busy === 0;
    if (!done) logger.warn({ ...context, ...result }, 'bus: forget could not truncate the WAL yet');
    return done;
  };

  const published = new Waker();
  const consumers = new Set<EmbeddedConsumer>();
  let closed = false;

  class EmbeddedConsumer implements BusConsumer {
    readonly ready: Promise<void>;
    private readonly leases: GroupLeases;
    /** Next offset to read, per owned topic; absent = not owned. */
    private readonly positions = new Map<string, number>();
    private readonly waker = new Waker();
    private stopping = false;
    private readonly loop: Promise<void>;
    private readonly renewTimer: NodeJS.Timeout;
    private markReady!: () => void;

    constructor(private readonly opts: ConsumeOptions) {
      this.leases = new GroupLeases(db, `${process.pid}:${randomUUID()}`, leaseTtlMs);
      this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
      // Renewed off the loop so that a long handler (retries with backoff) does not lose its topics.
      this.renewTimer = setInterval(() => this.renewLeases(), Math.max(50, Math.floor(leaseTtlMs / 3)));
      this.renewTimer.unref();
      opts.signal?.addEventListener('abort', () => void this.stop(), { once: true });
      this.loop = this.run();
    }

    private acquire(topic: string): void {
      if (!this.leases.tryAcquire(this.opts.group, topic)) return;
      let position = committed.get(this.opts.group, topic)?.next_offset;
      if (position === undefined) {
        position = this.opts.fromBeginning ? 0 : (nextOffset.get(topic)?.next_offset ?? 0);
        commitStmt.run(this.opts.group, topic, position);
      }
      this.positions.set(topic, position);
    }

    private renewLeases(): void {
      if (closed) return;
      for (const topic of [...this.positions.keys()]) {
        try {
          if (!this.leases.renew(this.opts.group, topic)) {
            logger.warn({ group: this.opts.group, topic }, 'bus: lease lost, another member took the topic');
            this.positions.delete(topic);
          }
        } catch (error) {
          // A timer's throw would end the process. The file stayed busy past busy_timeout: try again at
          // the next tick; a commit checks the lease first, so a lease lost meanwhile moves nothing.
          logger.warn({ err: error, group: this.opts.group, topic }, 'bus: lease renewal failed, retrying');
        }
      }
    }

    private async run(): Promise<void> {
      let failures = 0;
      let lastAcquire = 0;
      while (!this.stopping) {
        if (this.positions.size < this.opts.topics.length && Date.now() - lastAcquire >= pollIntervalMs * 10) {
          lastAcquire = Date.now();
          try {
            for (const topic of this.opts.topics) if (!this.positions.has(topic)) this.acquire(topic);
          } catch (error) {
            // Busy past busy_timeout: the next round tries again (a throw here would end the loop).
            logger.warn({ err: error, group: this.opts.group }, 'bus: taking a topic over failed, retrying');
          }
        }
        this.markReady();
        let progressed = false;
        for (const topic of this.opts.topics) {
          if (this.stopping) break;
          const position = this.positions.get(topic);
          if (position === undefined) continue;
          try {
            const rows = fetch.all(topic, position, this.opts.maxBatchSize ?? batchSize);
            if (rows.length === 0) continue;
            const batch: DeliveredMessage[] = rows.map((row) => ({
              topic,
              partition: 0,
              offset: String(row.offset),
              key: row.key,
              value: parseValue(row.value),
            }));
            // A rejection (or a failed commit) leaves the offset where it was: the batch comes again.
            await this.opts.handler(batch);
            this.commit(topic, rows[rows.length - 1]!.offset + 1);
            failures = 0;
          } catch (error) {
            failures += 1;
            const delay = Math.min(retryMaxMs, retryInitialMs * 2 ** (failures - 1));
            logger.error({ err: error, group: this.opts.group, topic, delay }, 'bus: batch failed, redelivering');
            if (!this.stopping) await this.waker.sleep(delay);
          }
          progressed = true;
        }
        if (!progressed && !this.stopping)
          await Promise.race([this.waker.sleep(pollIntervalMs), published.sleep(pollIntervalMs)]);
      }
    }

    private commit(topic: string, next: number): void {
      const still = db
        .transaction(() => {
          if (!this.leases.holds(this.opts.group, topic)) return false;
          commitStmt.run(this.opts.group, topic, next);
          return true;
        })
        .immediate();
      if (still) this.positions.set(topic, next);
      else this.positions.delete(topic);
    }

    async stop(): Promise<void> {
      if (this.stopping) return this.loop;
      this.stopping = true;
      this.waker.wakeAll();
      clearInterval(this.renewTimer);
      try {
        await this.loop;
      } finally {
        if (!closed) for (const topic of this.positions.keys()) this.leases.release(this.opts.group, topic);
        this.positions.clear();
        consumers.delete(this);
      }
    }
  }

  return {
    kind: 'embedded',
    async publish(topic, messages) {
      if (closed) throw new Error('bus is closed');
      if (messages.length === 0) return;
      append.immediate(topic, messages);
      published.wakeAll();
    },
    async forget(topic, key, { beforeEventId }) {
      if (closed) throw new Error('bus is closed');
      // Offsets stay as they were: the blanked rows are passed over by every consumer, like a gap.
      const deleted = forgetKey.immediate(topic, key, beforeEventId);
      // secure_delete zeroed the cells in the pages written now, but the frames of the WAL still hold the
      // pages as they were; TRUNCATE copies everything into the file and empties the WAL.
      // A successful truncation also settles any earlier forget whose truncation was refused.
      walHoldsForgotten = !truncateWal({ topic, deleted });
    },
    async consume(opts) {
      if (closed) throw new Error('bus is closed');
      const consumer = new EmbeddedConsumer(opts);
      consumers.add(consumer);
      await consumer.ready;
      return consumer;
    },
    async lag(group, topics) {
      let messages = 0;
      let oldest: number | null = null;
      for (const topic of topics) {
        const row = lagOf.get(topic, committed.get(group, topic)?.next_offset ?? 0);
        messages += Number(row?.messages ?? 0);
        if (row?.oldest != null) oldest = oldest === null ? row.oldest : Math.min(oldest, row.oldest);
      }
      return { messages, seconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000) };
    },
    async prune(topic, before) {
      if (closed) throw new Error('bus is closed');
      const deleted = db.transaction(() => pruneBefore.run(topic, before.getTime()).changes).immediate();
      if (deleted === 0) return 0;
      // A delete merges underfull pages, which can leave stale copies of the messages that stay in the
      // pages' free space (see schema.ts), where a later forget could not reach them. VACUUM rewrites the
      // file from the live rows only; TRUNCATE then empties the WAL that held the old pages.
      db.exec('VACUUM');
      walHoldsForgotten = !truncateWal({ topic, pruned: deleted });
      return deleted;
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (closed) return;
      await Promise.all([...consumers].map((c) => c.stop()));
      closed = true;
      if (walHoldsForgotten) truncateWal({ closing: true });
      db.close();
    },
  };
}
