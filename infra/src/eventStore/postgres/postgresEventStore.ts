import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../../errors/appError.js';
import {
  checkExpected,
  prepareEvents,
  toIdempotencyRecord,
  toStoredEvent,
  validateAppend,
  validateAppends,
} from '../appendBatch.js';
import type { EventRow, IdempotencyRow, PreparedEvent, StreamHead } from '../appendBatch.js';
import { ChangeSignal } from '../changeSignal.js';
import { IdempotencyKeyTakenError, StreamVersionConflictError } from '../errors.js';
import { verifyChain } from '../hashChain.js';
import { runSubscription, START } from '../subscription.js';
import type { LogPage } from '../subscription.js';
import { MAX_BATCH, ORDINAL_BITS, postgresSchemaSql } from './schema.js';
import { checkoutClient } from '../../sql/checkoutClient.js';
import { guardPool } from '../../sql/guardPool.js';
import type {
  Appended,
  AppendOptions,
  AppendResult,
  IdempotencyRecord,
  IdempotencyRecordInput,
  ChainVerification,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  StreamAppend,
  SubscriptionHandler,
} from '../types.js';

export interface PostgresEventStoreOptions {
  /** e.g. postgres://user@host:5432/db. Ignored when `pool` is given. */
  connectionString?: string;
  /** Share a pool with the service; the store then does not end it on close(). */
  pool?: pg.Pool;
  /** Schema holding the store's tables; created if missing. Default `estia_events`. */
  schema?: string;
  /** Pool size when the store creates its own pool (concurrent appends need one connection each). Default 10. */
  poolSize?: number;
  /** Safety-net poll of live subscriptions (NOTIFY is the fast path). Default 250 ms. */
  pollIntervalMs?: number;
  /**
   * Append statements in flight at once; appends arriving meanwhile queue and then go together as one
   * statement. Default 1: on a small server the commit is cheap next to the per-transaction work.
   */
  appendPipeline?: number;
}

const PAGE = 1000;
const UNIQUE_VIOLATION = '23505';
const ANY_RETRIES = 20;
const HEAD_CACHE = 10_000;
const NOTIFY_GAP_MS = 5;
/** Appends per grouped statement (bounds its row locks and the statement's size). */
const GROUP_MAX = 64;

/** An Idempotency-Key record with its answer already rendered for this attempt's revision. */
interface RecordRow {
  scope: string;
  key: string;
  requestHash: string;
  response: string;
}

interface QueuedAppend {
  streamId: string;
  head: StreamHead | null;
  prepared: PreparedEvent[];
  recordedAt: string;
  record: RecordRow | undefined;
  resolve: (lastPosition: number | null) => void;
  reject: (error: unknown) => void;
}

/**
 * PostgreSQL event store. An append is one round trip when the stream head is cached (else two) and
 * no lock is held across commit: compute hashes in Node from the head, then ONE statement that moves
 * the stream row only if it is still at that head (compare-and-set) and inserts the events. Appends
 * that arrive while a statement is in flight go together in the next one (one transaction for many
 * streams, each with its own compare-and-set). The unique (stream_id, revision) is the last guard.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly channel: string;
  private readonly changes = new ChangeSignal();
  private readonly subscriptions = new Set<Subscription>();
  private readonly pollIntervalMs: number;
  private readonly sql: ReturnType<typeof statements>;
  private ready: Promise<void> | undefined;
  private listener: Promise<pg.Client> | undefined;
  private readonly heads = new Map<string, StreamHead>();
  private notifyInFlight = false;
  private notifyPending = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private notifyDone: Promise<void> = Promise.resolve();
  /** NOTIFY payload: lets this instance's listener skip its own hints (local subscribers already woke). */
  private readonly instanceId = randomUUID();
  /** Round trips the append path made, for benchmarks (head reads avoided by the cache, hints coalesced). */
  readonly stats = {
    appends: 0,
    headReads: 0,
    conflictRetries: 0,
    notifies: 0,
    groups: 0,
    groupedAppends: 0,
    groupFallbacks: 0,
  };
  private readonly pipeline: number;
  private inFlight = 0;
  private queue: QueuedAppend[] = [];
  private readonly busyStreams = new Set<string>();
  private closed = false;

  constructor(options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? 'estia_events';
    this.ownsPool = options.pool === undefined;
    this.pool =
      options.pool ??
      guardPool(new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 }));
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.pipeline = Math.max(1, options.appendPipeline ?? 1);
    this.channel = `estia_events.${this.schema}`;
    this.sql = statements(pg.escapeIdentifier(this.schema));
  }

  /** Creates the schema and tables if missing. Called by every operation; idempotent and concurrent-safe. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      const client = await checkoutClient(this.pool);
      try {
        await client.query('BEGIN');
        // Concurrent CREATE … IF NOT EXISTS can still collide in the catalogue; serialise per schema.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`estia_events:${this.schema}`]);
        await client.query(postgresSchemaSql(this.schema));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        this.ready = undefined;
        throw error;
      } finally {
        client.done();
      }
    })();
    return this.ready;
  }

  private async query<Row extends pg.QueryResultRow>(
    statement: string | pg.QueryConfig,
    values?: unknown[],
  ): Promise<Row[]> {
    if (this.closed) throw new Error('PostgresEventStore is closed');
    await this.init();
    const config = typeof statement === 'string' ? { text: statement, values } : { ...statement, values };
    return (await this.pool.query<Row>(config)).rows;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedVersion ?? 'any';
    validateAppend(streamId, events, expected);
    if (events.length > MAX_BATCH) {
      throw new AppError(
        'VALIDATION_FAILED',
        `append of ${events.length} events to ${streamId}: at most ${MAX_BATCH} per call`,
      );
    }
    for (let attempt = 0; ; attempt += 1) {
      // A guess (cache, or "new stream" for 'no-stream') saves a round trip; the compare-and-set below
      // checks it, and a wrong guess only costs a retry with the real head.
      const guess = attempt === 0 ? this.guessHead(streamId, expected) : undefined;
      if (guess === undefined) this.stats.headReads += 1;
      const head = guess === undefined ? await this.head(streamId) : guess;
      checkExpected(streamId, expected, head);
      const recordedAt = new Date().toISOString();
      const prepared = prepareEvents(streamId, events, head, recordedAt);
      const record = renderRecord(options.idempotency, [
        { streamId, nextExpectedVersion: prepared[prepared.length - 1]!.revision, recordedAt },
      ]);
      const lastPosition = await this.tryAppend(streamId, head, prepared, recordedAt, record);
      if (lastPosition !== null) {
        const last = prepared[prepared.length - 1]!;
        this.remember(streamId, { version: last.revision, lastHash: last.hash });
        this.stats.appends += 1;
        this.hint();
        return { nextExpectedVersion: last.revision, lastPosition, recordedAt };
      }
      this.heads.delete(streamId);
      this.stats.conflictRetries += 1;
      // Someone moved the stream between our read and our write. Only 'any' (or a wrong guess) retries.
      if ((guess === undefined && expected !== 'any') || attempt >= ANY_RETRIES) {
        throw new StreamVersionConflictError(streamId, expected, await this.streamVersion(streamId));
      }
    }
  }

  private guessHead(streamId: string, expected: AppendOptions['expectedVersion'] & {}): StreamHead | null | undefined {
    if (expected === 'no-stream') return null;
    const cached = this.heads.get(streamId);
    if (cached === undefined) return undefined;
    return typeof expected === 'number' && cached.version !== expected ? undefined : cached;
  }

  /** Last known heads of streams this instance wrote or read to the end (bounded; insertion order = age). */
  private remember(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > HEAD_CACHE) this.heads.delete(this.heads.keys().next().value as string);
  }

  private async head(streamId: string): Promise<StreamHead | null> {
    const rows = await this.query<{ version: string; last_hash: string }>(this.sql.head, [streamId]);
    const row = rows[0];
    return row ? { version: Number(row.version), lastHash: row.last_hash } : null;
  }

  /**
   * The compare-and-set append; null when the head moved (nothing was written). While `appendPipeline`
   * statements are already in flight, appends wait and then go together as one statement (one
   * transaction, one commit): under concurrent writers PostgreSQL spends most of an append on the
   * per-transaction work, not on the rows.
   */
  private tryAppend(
    streamId: string,
    head: StreamHead | null,
    prepared: PreparedEvent[],
    recordedAt: string,
    record: RecordRow | undefined,
  ): Promise<number | null> {
    const attempt: QueuedAppend = {
      streamId,
      head,
      prepared,
      recordedAt,
      record,
      resolve: () => undefined,
      reject: () => undefined,
    };
    if (this.inFlight < this.pipeline && !this.busyStreams.has(streamId))
      return this.track([attempt], this.appendAlone(attempt));
    return new Promise<number | null>((resolve, reject) => {
      attempt.resolve = resolve;
      attempt.reject = reject;
      this.queue.push(attempt);
    });
  }

  /** Runs one statement for `attempts`, then sends what queued meanwhile. */
  private track<T>(attempts: QueuedAppend[], statement: Promise<T>): Promise<T> {
    this.inFlight += 1;
    for (const a of attempts) this.busyStreams.add(a.streamId);
    const finish = (): void => {
      this.inFlight -= 1;
      for (const a of attempts) this.busyStreams.delete(a.streamId);
      this.drain();
    };
    statement.then(finish, finish);
    return statement;
  }

  private drain(): void {
    while (this.inFlight < this.pipeline && this.queue.length > 0) {
      // One append per stream per statement (the next one's head depends on this one), and streams
      // still in flight wait: statements of this process never wait on each other's row locks.
      const group: QueuedAppend[] = [];
      const rest: QueuedAppend[] = [];
      const streams = new Set<string>();
      let events = 0;
      for (const a of this.queue) {
        const fits = events + a.prepared.length <= MAX_BATCH && group.length < GROUP_MAX;
        if (fits && !streams.has(a.streamId) && !this.busyStreams.has(a.streamId)) {
          group.push(a);
          streams.add(a.streamId);
          events += a.prepared.length;
        } else rest.push(a);
      }
      this.queue = rest;
      if (group.length === 0) return;
      if (group.length === 1) {
        const a = group[0]!;
        this.track(group, this.appendAlone(a)).then(a.resolve, a.reject);
      } else {
        void this.track(group, this.appendGroup(group));
      }
    }
  }

  /** Several appends (distinct streams) in one statement; each resolves with its position or null. */
  private async appendGroup(group: QueuedAppend[]): Promise<void> {
    this.stats.groups += 1;
    this.stats.groupedAppends += group.length;
    const values = [
      group.map((a) => a.streamId),
      group.map((a) => (a.head === null ? null : a.head.version)),
      group.map((a) => a.prepared[a.prepared.length - 1]!.revision),
      group.map((a) => a.prepared[a.prepared.length - 1]!.hash),
      group.flatMap((a) => a.prepared.map(() => a.streamId)),
      group.flatMap((a) => a.prepared.map((e) => e.revision)),
      group.flatMap((a) => a.prepared.map((e) => e.id)),
      group.flatMap((a) => a.prepared.map((e) => e.type)),
      group.flatMap((a) => a.prepared.map((e) => e.dataJson)),
      group.flatMap((a) => a.prepared.map((e) => e.metadataJson)),
      group.flatMap((a) => a.prepared.map(() => a.recordedAt)),
      group.flatMap((a) => a.prepared.map((e) => e.hash)),
    ];
    const records = group.filter((a) => a.record !== undefined);
    if (records.length > 0)
      values.push(
        records.map((a) => a.streamId),
        records.map((a) => a.record!.scope),
        records.map((a) => a.record!.key),
        records.map((a) => a.record!.requestHash),
        records.map((a) => a.record!.response),
        records.map((a) => a.recordedAt),
      );
    let rows: { stream_id: string; last: string }[];
    try {
      rows = await this.query<{ stream_id: string; last: string }>(
        records.length > 0 ? this.sql.groupWithRecords : this.sql.group,
        values,
      );
    } catch {
      // A unique violation or a deadlock with another process's group: each append on its own
      // decides (conflict → retry path, persistent failure → its own error).
      this.stats.groupFallbacks += 1;
      await Promise.all(group.map((a) => this.appendAlone(a).then(a.resolve, a.reject)));
      return;
    }
    const last = new Map(rows.map((r) => [r.stream_id, Number(r.last)]));
    for (const a of group) a.resolve(last.get(a.streamId) ?? null);
  }

  private async appendAlone({ streamId, head, prepared, recordedAt, record }: QueuedAppend): Promise<number | null> {
    const last = prepared[prepared.length - 1]!;
    const values: unknown[] = [streamId, last.revision, last.hash, recordedAt];
    let statement: pg.QueryConfig;
    const sql = record ? this.sql.withRecord : this.sql;
    if (prepared.length === 1) {
      // Most appends carry one event: scalar parameters spare both sides building and parsing arrays.
      values.push(last.id, last.type, last.dataJson, last.metadataJson);
      statement = head === null ? sql.createOne : sql.moveOne;
    } else {
      values.push(
        prepared.map((e) => e.revision),
        prepared.map((e) => e.id),
        prepared.map((e) => e.type),
        prepared.map((e) => e.dataJson),
        prepared.map((e) => e.metadataJson),
        prepared.map((e) => e.hash),
      );
      statement = head === null ? sql.create : sql.move;
    }
    if (head !== null) values.push(head.version);
    if (record) values.push(record.scope, record.key, record.requestHash, record.response);
    try {
      const rows = await this.query<{ last: string | null }>(statement, values);
      const lastPosition = rows[0]?.last;
      return lastPosition === null || lastPosition === undefined ? null : Number(lastPosition);
    } catch (error) {
      if (isRecordTaken(error)) throw new IdempotencyKeyTakenError(record!.scope, record!.key);
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /**
   * All streams or none, in one transaction holding their rows (locked in stream_id order, as the
   * grouped statement does, so two multi-stream appends never deadlock). Rare (a command touching two
   * aggregates), so a few round trips; one stream goes through the one-statement path instead.
   */
  async appendMany(
    appends: readonly StreamAppend[],
    options: Pick<AppendOptions, 'idempotency'> = {},
  ): Promise<AppendResult[]> {
    validateAppends(appends);
    if (appends.length === 1) {
      const { streamId, events, expectedVersion } = appends[0]!;
      return [
        await this.append(streamId, events, {
          ...options,
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
        }),
      ];
    }
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    if (total > MAX_BATCH)
      throw new AppError('VALIDATION_FAILED', `append of ${total} events: at most ${MAX_BATCH} per call`);
    if (this.closed) throw new Error('PostgresEventStore is closed');
    await this.init();
    const client = await checkoutClient(this.pool);
    const ids = appends.map((a) => a.streamId);
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ stream_id: string; version: string; last_hash: string }>(this.sql.lockHeads, [
        ids,
      ]);
      const heads = new Map(
        locked.rows.map((r) => [r.stream_id, { version: Number(r.version), lastHash: r.last_hash } as StreamHead]),
      );
      const recordedAt = new Date().toISOString();
      const batches = appends.map((a) => {
        const head = heads.get(a.streamId) ?? null;
        checkExpected(a.streamId, a.expectedVersion ?? 'any', head);
        return { streamId: a.streamId, head, prepared: prepareEvents(a.streamId, a.events, head, recordedAt) };
      });
      const fresh = batches.filter((b) => b.head === null);
      if (fresh.length > 0) {
        // A concurrent creator of one of them committed after our lock read: no row back for it.
        const created = await client.query(this.sql.createHeads, [
          fresh.map((b) => b.streamId),
          fresh.map((b) => b.prepared[b.prepared.length - 1]!.revision),
          fresh.map((b) => b.prepared[b.prepared.length - 1]!.hash),
        ]);
        if (created.rowCount !== fresh.length) {
          const lost = fresh.find((b) => !created.rows.some((r: { stream_id: string }) => r.stream_id === b.streamId))!;
          throw new StreamVersionConflictError(
            lost.streamId,
            appends.find((a) => a.streamId === lost.streamId)!.expectedVersion ?? 'any',
            await this.streamVersion(lost.streamId),
          );
        }
      }
      const moved = batches.filter((b) => b.head !== null);
      if (moved.length > 0)
        await client.query(this.sql.moveHeads, [
          moved.map((b) => b.streamId),
          moved.map((b) => b.prepared[b.prepared.length - 1]!.revision),
          moved.map((b) => b.prepared[b.prepared.length - 1]!.hash),
        ]);
      const all = batches.flatMap((b) => b.prepared.map((e) => ({ streamId: b.streamId, e })));
      const inserted = await client.query<{ stream_id: string; last: string }>(this.sql.insertMany, [
        all.map((x) => x.streamId),
        all.map((x) => x.e.revision),
        all.map((x) => x.e.id),
        all.map((x) => x.e.type),
        all.map((x) => x.e.dataJson),
        all.map((x) => x.e.metadataJson),
        recordedAt,
        all.map((x) => x.e.hash),
      ]);
      const record = renderRecord(
        options.idempotency,
        batches.map((b) => ({
          streamId: b.streamId,
          nextExpectedVersion: b.prepared[b.prepared.length - 1]!.revision,
          recordedAt,
        })),
      );
      if (record) {
        try {
          await client.query(this.sql.insertRecord, [
            record.scope,
            record.key,
            record.requestHash,
            record.response,
            recordedAt,
          ]);
        } catch (error) {
          if (isRecordTaken(error)) throw new IdempotencyKeyTakenError(record.scope, record.key);
          throw error;
        }
      }
      await client.query('COMMIT');
      const last = new Map(inserted.rows.map((r) => [r.stream_id, Number(r.last)]));
      for (const b of batches) {
        const tail = b.prepared[b.prepared.length - 1]!;
        this.remember(b.streamId, { version: tail.revision, lastHash: tail.hash });
      }
      this.hint();
      return batches.map((b) => ({
        nextExpectedVersion: b.prepared[b.prepared.length - 1]!.revision,
        lastPosition: last.get(b.streamId)!,
        recordedAt,
      }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      for (const id of ids) this.heads.delete(id);
      throw error;
    } finally {
      client.done();
    }
  }

  async readIdempotencyRecord(scope: string, key: string): Promise<IdempotencyRecord | null> {
    const [row] = await this.query<IdempotencyRow>(this.sql.readRecord, [scope, key]);
    return row ? toIdempotencyRecord(row) : null;
  }

  async pruneIdempotencyRecords(olderThan: string): Promise<number> {
    if (this.closed) throw new Error('PostgresEventStore is closed');
    await this.init();
    return (await this.pool.query(this.sql.pruneRecords, [olderThan])).rowCount ?? 0;
  }

  /** Wakes local subscriptions now and other processes' through NOTIFY (coalesced, see sendHint). */
  private hint(): void {
    this.changes.notify();
    if (this.notifyInFlight) {
      this.notifyPending = true;
      return;
    }
    this.sendHint();
  }

  /**
   * One NOTIFY in flight, then a short pause gathering the appends that follow into the next one:
   * under load that is one NOTIFY transaction per few ms instead of one per append (each takes an
   * xid and the global notify lock), for at most NOTIFY_GAP_MS more latency across processes.
   */
  private sendHint(): void {
    this.notifyInFlight = true;
    this.notifyPending = false;
    this.stats.notifies += 1;
    // Sent after our commit, in its own statement: pg_notify inside the append would take the
    // notify-queue lock through commit and serialise every append's fsync.
    this.notifyDone = this.pool
      .query({ ...this.sql.notify, values: [this.channel, this.instanceId] })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.notifyTimer = setTimeout(() => {
          this.notifyTimer = undefined;
          this.notifyInFlight = false;
          if (this.notifyPending && !this.closed) this.sendHint();
        }, NOTIFY_GAP_MS);
      });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const limit = options.maxCount ?? null;
    const rows =
      options.direction === 'backwards'
        ? await this.query<EventRow>(this.sql.backwards, [streamId, options.fromRevision ?? null, limit])
        : await this.query<EventRow>(this.sql.forwards, [streamId, options.fromRevision ?? 0, limit]);
    const events = rows.map(toStoredEvent);
    const last = events[events.length - 1];
    // A full forward read ends at the head: the usual load → decide → append then needs one round trip.
    if (last && options.direction !== 'backwards' && limit === null) {
      this.remember(streamId, { version: last.revision, lastHash: last.hash });
    }
    return events;
  }

  async streamVersion(streamId: string): Promise<number | null> {
    const head = await this.head(streamId);
    return head?.version ?? null;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: StoredEvent[] = [];
    let after = options.after ?? START;
    while (out.length < wanted) {
      const limit = Math.min(PAGE, wanted - out.length);
      const page = await this.readPage(after, limit, options.types);
      out.push(...page.events);
      if (page.events.length < limit) break;
      after = page.scannedTo;
    }
    return out;
  }

  /** One statement: the watermark and the rows come from the same snapshot. */
  private async readPage(after: number, maxCount: number, types: readonly string[] | undefined): Promise<LogPage> {
    const rows = await this.query<EventRow & { watermark: string; position: string | null }>(
      types ? this.sql.pageTyped : this.sql.page,
      types ? [after, maxCount, types] : [after, maxCount],
    );
    const watermark = Number(rows[0]!.watermark);
    const events = rows[0]!.position === null ? [] : rows.map(toStoredEvent);
    const scannedTo = events.length === maxCount ? events[events.length - 1]!.position : Math.max(after, watermark - 1);
    return { events, scannedTo };
  }

  subscribe(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new Error('PostgresEventStore is closed');
    void this.listen().catch(() => undefined);
    const subscription = runSubscription(
      {
        readPage: (after, maxCount, types) => this.readPage(after, maxCount, types),
        changes: this.changes,
        pollIntervalMs: this.pollIntervalMs,
      },
      handler,
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** One LISTEN connection per store instance, fanned out to its subscriptions; re-made if it drops. */
  private listen(): Promise<pg.Client> {
    this.listener ??= (async () => {
      const client = new pg.Client(
        this.ownsPool ? { connectionString: this.pool.options.connectionString } : { ...this.pool.options },
      );
      const reset = (): void => {
        this.listener = undefined;
        client.removeAllListeners('notification');
        void client.end().catch(() => undefined);
        if (!this.closed && this.subscriptions.size > 0)
          setTimeout(() => void this.listen().catch(() => undefined), 1_000);
      };
      client.on('error', reset);
      client.on('notification', (message) => {
        if (message.payload !== this.instanceId) this.changes.notify();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
      } catch (error) {
        reset();
        throw error;
      }
      // Anything appended while we were connecting is picked up by this extra wake-up.
      this.changes.notify();
      return client;
    })();
    return this.listener;
  }

  async verifyStream(streamId: string): Promise<ChainVerification> {
    const read = (from: number): Promise<EventRow[]> => this.query<EventRow>(this.sql.forwards, [streamId, from, PAGE]);
    async function* pages() {
      let from = 0;
      for (;;) {
        const rows = await read(from);
        for (const row of rows) yield toStoredEvent(row);
        if (rows.length < PAGE) return;
        from = Number(rows[rows.length - 1]!.revision) + 1;
      }
    }
    return verifyChain(streamId, pages());
  }

  async listStreams(options: { prefix?: string; after?: string; limit?: number } = {}): Promise<string[]> {
    const rows = await this.query<{ stream_id: string }>(this.sql.listStreams, [
      options.prefix ?? '',
      options.after ?? null,
      options.limit ?? null,
    ]);
    return rows.map((r) => r.stream_id);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    // A hint still gathering appends goes out now: other processes should not wait for their poll.
    clearTimeout(this.notifyTimer);
    await this.notifyDone;
    if (this.notifyPending) {
      this.notifyPending = false;
      await this.pool.query({ ...this.sql.notify, values: [this.channel, this.instanceId] }).catch(() => undefined);
    }
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.then((c) => c.end()).catch(() => undefined);
    if (this.ownsPool) await this.pool.end();
  }
}

/**
 * Named, so each pooled connection parses and plans the statement once instead of on every append.
 * The name is derived from the text: stores on different schemas can share a pool without clashing.
 */
const named = (text: string): pg.QueryConfig => ({
  name: `estia_es_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
  text,
});

/** The unique index of idempotency_records: its violation means "key already used", not a lost race. */
const RECORD_KEY_CONSTRAINT = 'idempotency_records_pkey';

const isRecordTaken = (error: unknown): boolean =>
  (error as { code?: string }).code === UNIQUE_VIOLATION &&
  (error as { constraint?: string }).constraint === RECORD_KEY_CONSTRAINT;

const renderRecord = (
  input: IdempotencyRecordInput | undefined,
  appended: readonly Appended[],
): RecordRow | undefined =>
  input && { scope: input.scope, key: input.key, requestHash: input.requestHash, response: input.response(appended) };

function statements(s: string) {
  // Qualify `ev.position` in WHERE/ORDER BY: a bare name would bind to this text alias and sort as text.
  const cols = 'position::text AS position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash';
  const position = `(pg_current_xact_id()::text::bigint << ${ORDINAL_BITS})`;
  // Events of the batch, in order, positioned from this transaction's id. $4 = recordedAt, $5…$10 arrays.
  const insertEvents = `
    INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
    SELECT ${position} + e.ord, $1, e.revision, e.id, e.type, e.data, e.metadata, $4::timestamptz, e.hash
      FROM unnest($5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           WITH ORDINALITY AS e(revision, id, type, data, metadata, hash, ord)
     WHERE EXISTS (SELECT 1 FROM moved)
     ORDER BY e.ord
    RETURNING position`;
  // One event: $2 = its revision, $3 = its hash, $5…$8 = id, type, data, metadata.
  const insertOne = `
    INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
    SELECT ${position} + 1, $1, $2, $5, $6, $7, $8, $4::timestamptz, $3
     WHERE EXISTS (SELECT 1 FROM moved)
    RETURNING position`;
  // The Idempotency-Key record, written only if the stream moved: no ON CONFLICT on purpose, so a key
  // already used aborts the whole statement (nothing written) with a unique violation on its key.
  const recordAfter = (first: number): string => `, rec AS (
        INSERT INTO ${s}.idempotency_records (scope, idem_key, request_hash, response, recorded_at)
        SELECT $${first}, $${first + 1}, $${first + 2}, $${first + 3}, $4::timestamptz WHERE EXISTS (SELECT 1 FROM moved)
      )`;
  // ON CONFLICT DO NOTHING waits for a concurrent creator and then yields no row: exactly one creator wins.
  const create = (insert: string, record = ''): pg.QueryConfig =>
    named(`
      WITH moved AS (
        INSERT INTO ${s}.streams (stream_id, version, last_hash) VALUES ($1, $2, $3)
        ON CONFLICT (stream_id) DO NOTHING RETURNING 1
      ), ins AS (${insert})${record}
      SELECT max(position)::text AS last FROM ins`);
  // Under READ COMMITTED a concurrent update makes this re-check the expected version on the new row.
  const move = (insert: string, expectedParam: string, record = ''): pg.QueryConfig =>
    named(`
      WITH moved AS (
        UPDATE ${s}.streams SET version = $2, last_hash = $3 WHERE stream_id = $1 AND version = ${expectedParam} RETURNING 1
      ), ins AS (${insert})${record}
      SELECT max(position)::text AS last FROM ins`);
  // Several streams at once: $1 streams, $2 expected versions (null: create), $3 new versions, $4 last
  // hashes; $5…$12 the events of all of them in order. Existing streams are all locked first (the
  // InitPlan on `locked`), in stream_id order, and new ones inserted in that order, so two processes'
  // groups do not deadlock on each other.
  const groupSql = (record: string) => `
    WITH req AS (
      SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS r(stream_id, expected, version, last_hash)
    ), locked AS (
      SELECT stream_id FROM ${s}.streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE
    ), moved AS (
      UPDATE ${s}.streams st SET version = r.version, last_hash = r.last_hash
        FROM req r
       WHERE st.stream_id = ANY($1::text[]) AND r.stream_id = st.stream_id AND st.version = r.expected
         AND (SELECT count(*) FROM locked) >= 0
      RETURNING st.stream_id
    ), created AS (
      INSERT INTO ${s}.streams (stream_id, version, last_hash)
      SELECT stream_id, version, last_hash FROM req WHERE expected IS NULL ORDER BY stream_id
      ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id
    ), ok AS (SELECT stream_id FROM moved UNION ALL SELECT stream_id FROM created),
    ins AS (
      INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
      SELECT ${position} + e.ord, e.stream_id, e.revision, e.id, e.type, e.data, e.metadata, e.recorded_at::timestamptz, e.hash
        FROM unnest($5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
             WITH ORDINALITY AS e(stream_id, revision, id, type, data, metadata, recorded_at, hash, ord)
       WHERE e.stream_id IN (SELECT stream_id FROM ok)
       ORDER BY e.ord
      RETURNING stream_id, position
    )${record}
    SELECT stream_id, max(position)::text AS last FROM ins GROUP BY stream_id`;
  // $13… the records of the appends that carry one, by stream: written for the streams that moved.
  const groupRecords = `, rec AS (
      INSERT INTO ${s}.idempotency_records (scope, idem_key, request_hash, response, recorded_at)
      SELECT r.scope, r.idem_key, r.request_hash, r.response, r.recorded_at::timestamptz
        FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
             AS r(stream_id, scope, idem_key, request_hash, response, recorded_at)
       WHERE r.stream_id IN (SELECT stream_id FROM ok)
    )`;
  const watermark = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${ORDINAL_BITS})`;
  return {
    // A hint needs no durability: don't make it wait for (and compete for) an fsync of its own.
    notify: named("SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)"),
    head: named(`SELECT version::text AS version, last_hash FROM ${s}.streams WHERE stream_id = $1`),
    create: create(insertEvents),
    move: move(insertEvents, '$11'),
    createOne: create(insertOne),
    moveOne: move(insertOne, '$9'),
    group: named(groupSql('')),
    groupWithRecords: named(groupSql(groupRecords)),
    // The same statements with the record's four parameters after their own.
    withRecord: {
      create: create(insertEvents, recordAfter(11)),
      move: move(insertEvents, '$11', recordAfter(12)),
      createOne: create(insertOne, recordAfter(9)),
      moveOne: move(insertOne, '$9', recordAfter(10)),
    },
    // appendMany, inside its own transaction.
    lockHeads: `SELECT stream_id, version::text AS version, last_hash FROM ${s}.streams
                 WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE`,
    createHeads: `INSERT INTO ${s}.streams (stream_id, version, last_hash)
                  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ORDER BY 1
                  ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`,
    moveHeads: `UPDATE ${s}.streams st SET version = r.version, last_hash = r.last_hash
                  FROM unnest($1::text[], $2::bigint[], $3::text[]) AS r(stream_id, version, last_hash)
                 WHERE st.stream_id = r.stream_id`,
    insertMany: `WITH ins AS (
      INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
      SELECT ${position} + e.ord, e.stream_id, e.revision, e.id, e.type, e.data, e.metadata, $7::timestamptz, e.hash
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $8::text[])
             WITH ORDINALITY AS e(stream_id, revision, id, type, data, metadata, hash, ord)
       ORDER BY e.ord
      RETURNING stream_id, position
    ) SELECT stream_id, max(position)::text AS last FROM ins GROUP BY stream_id`,
    insertRecord: `INSERT INTO ${s}.idempotency_records (scope, idem_key, request_hash, response, recorded_at)
                   VALUES ($1, $2, $3, $4, $5::timestamptz)`,
    readRecord: named(`SELECT scope, idem_key, request_hash, response, recorded_at FROM ${s}.idempotency_records
                        WHERE scope = $1 AND idem_key = $2`),
    pruneRecords: `DELETE FROM ${s}.idempotency_records WHERE recorded_at < $1::timestamptz`,
    forwards: `SELECT ${cols} FROM ${s}.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision ASC LIMIT $3`,
    backwards: `SELECT ${cols} FROM ${s}.events WHERE stream_id = $1 AND ($2::bigint IS NULL OR revision <= $2)
                ORDER BY revision DESC LIMIT $3`,
    // The watermark filter sits outside the LIMIT on purpose: with only a lower bound the planner walks
    // the primary key in order and stops after $2 rows; as an index bound (unknown at plan time) it
    // chose a bitmap scan + sort of the whole tail. Rows cut by the filter are all above the kept ones.
    page: `SELECT w.watermark::text AS watermark, e.* FROM (SELECT ${watermark} AS watermark) w
           LEFT JOIN LATERAL (SELECT * FROM (SELECT ${cols}, ev.position AS n FROM ${s}.events ev
                                              WHERE ev.position > $1 ORDER BY ev.position LIMIT $2) p
                               WHERE p.n < w.watermark) e ON true
           ORDER BY e.n`,
    pageTyped: `SELECT w.watermark::text AS watermark, e.* FROM (SELECT ${watermark} AS watermark) w
           LEFT JOIN LATERAL (SELECT * FROM (SELECT ${cols}, ev.position AS n FROM ${s}.events ev
                                              WHERE ev.position > $1 AND ev.type = ANY($3::text[])
                                              ORDER BY ev.position LIMIT $2) p
                               WHERE p.n < w.watermark) e ON true
           ORDER BY e.n`,
    listStreams: `SELECT stream_id FROM ${s}.streams
                   WHERE starts_with(stream_id, $1)
                     AND seq > COALESCE((SELECT seq FROM ${s}.streams WHERE stream_id = $2), 0)
                   ORDER BY seq LIMIT $3`,
  };
}

export const createPostgresEventStore = async (options: PostgresEventStoreOptions): Promise<PostgresEventStore> => {
  const store = new PostgresEventStore(options);
  await store.init();
  return store;
};
