import Database from 'better-sqlite3';
import {
  asOneOfMany,
  checkExpected,
  prepareEvents,
  toIdempotencyRecord,
  toStoredEvent,
  validateAppends,
} from '../appendBatch.js';
import type { EventRow, IdempotencyRow, StreamHead } from '../appendBatch.js';
import { IdempotencyKeyTakenError } from '../errors.js';
import { ChangeSignal } from '../changeSignal.js';
import { verifyChain } from '../hashChain.js';
import { runSubscription, START } from '../subscription.js';
import type { LogPage } from '../subscription.js';
import { preparePrivateDatabaseFile } from '../../sql/privateFiles.js';
import { SQLITE_SCHEMA } from './schema.js';
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

export interface SqliteEventStoreOptions {
  /** The database file, e.g. `data/referrals/events.sqlite`; its directory is created if missing. */
  path: string;
  /**
   * How often a live subscription re-reads the file when nothing happened in this process, so appends
   * by another process are seen. Default 50 ms.
   */
  pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before failing. Default 5,000 ms. */
  busyTimeoutMs?: number;
}

const PAGE = 1000;

interface PendingAppend {
  appends: readonly StreamAppend[];
  idempotency: IdempotencyRecordInput | undefined;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; results: AppendResult[] } | { ok: false; error: unknown };
const MAX_REVISION = Number.MAX_SAFE_INTEGER;

/**
 * Embedded event store: one SQLite file, WAL + synchronous=FULL, so every resolved append is on disk
 * (a crash or power loss after `append` resolves loses nothing). Several processes may open the same
 * file: writes serialise on SQLite's write lock, readers poll.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly changes = new ChangeSignal();
  private readonly subscriptions = new Set<Subscription>();
  private readonly pollIntervalMs: number;
  private closed = false;
  private readonly groupTx: (pending: PendingAppend[]) => Outcome[];
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;

  constructor(options: SqliteEventStoreOptions) {
    preparePrivateDatabaseFile(options.path);
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5_000 });
    this.db.pragma('journal_mode = WAL');
    // FULL (not NORMAL): in WAL mode NORMAL may lose the last commits on power failure.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SQLITE_SCHEMA);
    this.stmt = this.prepare();
    // Nested inside the group transaction below, so better-sqlite3 runs it as a SAVEPOINT: a failing
    // append rolls back alone (all its streams and its idempotency record) and the others in the group
    // still commit.
    const appendOne = this.db.transaction((pending: PendingAppend): AppendResult[] => {
      const recordedAt = new Date().toISOString();
      const results: AppendResult[] = [];
      const appended: Appended[] = [];
      for (const { streamId, events, expectedVersion } of pending.appends) {
        const row = this.stmt.head.get(streamId) as { version: number; last_hash: string } | undefined;
        const head: StreamHead | null = row ? { version: row.version, lastHash: row.last_hash } : null;
        checkExpected(streamId, expectedVersion ?? 'any', head);
        const prepared = prepareEvents(streamId, events, head, recordedAt);
        let lastPosition = 0;
        for (const e of prepared) {
          const info = this.stmt.insert.run(
            streamId,
            e.revision,
            e.id,
            e.type,
            e.dataJson,
            e.metadataJson,
            recordedAt,
            e.hash,
          );
          lastPosition = Number(info.lastInsertRowid);
        }
        const last = prepared[prepared.length - 1]!;
        if (head === null) this.stmt.createStream.run(streamId, last.revision, last.hash);
        else this.stmt.moveStream.run(last.revision, last.hash, streamId);
        results.push({ nextExpectedVersion: last.revision, lastPosition, recordedAt });
        appended.push({ streamId, nextExpectedVersion: last.revision, recordedAt });
      }
      const record = pending.idempotency;
      if (record) {
        const inserted = this.stmt.insertRecord.run(
          record.scope,
          record.key,
          record.requestHash,
          record.response(appended),
          recordedAt,
        );
        if (inserted.changes === 0) throw new IdempotencyKeyTakenError(record.scope, record.key);
      }
      return results;
    });
    const group = this.db.transaction((pending: PendingAppend[]): Outcome[] =>
      pending.map((p): Outcome => {
        try {
          return { ok: true, results: appendOne(p) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    // IMMEDIATE: take the write lock before reading heads, so another process cannot slip in between.
    this.groupTx = group.immediate;
  }

  private prepare() {
    const db = this.db;
    return {
      head: db.prepare('SELECT version, last_hash FROM streams WHERE stream_id = ?'),
      insert: db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      createStream: db.prepare('INSERT INTO streams (stream_id, version, last_hash) VALUES (?, ?, ?)'),
      moveStream: db.prepare('UPDATE streams SET version = ?, last_hash = ? WHERE stream_id = ?'),
      forwards: db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?'),
      backwards: db.prepare(
        'SELECT * FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      maxPosition: db.prepare('SELECT COALESCE(MAX(position), 0) AS wm FROM events').pluck(),
      page: db.prepare('SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?'),
      version: db.prepare('SELECT version FROM streams WHERE stream_id = ?').pluck(),
      insertRecord: db.prepare(
        `INSERT INTO idempotency_records (scope, idem_key, request_hash, response, recorded_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      readRecord: db.prepare(
        'SELECT scope, idem_key, request_hash, response, recorded_at FROM idempotency_records WHERE scope = ? AND idem_key = ?',
      ),
      pruneRecords: db.prepare('DELETE FROM idempotency_records WHERE recorded_at < ?'),
      ping: db.prepare('SELECT 1').pluck(),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteEventStore is closed');
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return (await this.appendMany(...asOneOfMany(streamId, events, options)))[0]!;
  }

  async appendMany(
    appends: readonly StreamAppend[],
    options: Pick<AppendOptions, 'idempotency'> = {},
  ): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppends(appends);
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.pending.push({ appends, idempotency: options.idempotency, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readIdempotencyRecord(scope: string, key: string): Promise<IdempotencyRecord | null> {
    this.assertOpen();
    const row = this.stmt.readRecord.get(scope, key) as IdempotencyRow | undefined;
    return row ? toIdempotencyRecord(row) : null;
  }

  async pruneIdempotencyRecords(olderThan: string): Promise<number> {
    this.assertOpen();
    return this.stmt.pruneRecords.run(olderThan).changes;
  }

  /**
   * Group commit: appends that arrived while the previous fsync ran share one transaction and one
   * fsync. Each still resolves only after that commit is on disk, each keeps its own version check.
   */
  private flush(): void {
    this.flushScheduled = false;
    const pending = this.pending;
    this.pending = [];
    if (pending.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.groupTx(pending);
    } catch (error) {
      for (const p of pending) p.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) pending[i]!.resolve(outcome.results);
      else pending[i]!.reject(outcome.error);
    });
    if (outcomes.some((o) => o.ok)) this.changes.notify();
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.backwards.all(streamId, options.fromRevision ?? MAX_REVISION, limit)
        : this.stmt.forwards.all(streamId, options.fromRevision ?? 0, limit);
    return (rows as EventRow[]).map(toStoredEvent);
  }

  async streamVersion(streamId: string): Promise<number | null> {
    this.assertOpen();
    const version = this.stmt.version.get(streamId) as number | undefined;
    return version ?? null;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: StoredEvent[] = [];
    let after = options.after ?? START;
    while (out.length < wanted) {
      const limit = Math.min(PAGE, wanted - out.length);
      const page = this.readPage(after, limit, options.types);
      out.push(...page.events);
      if (page.events.length < limit) break;
      after = page.scannedTo;
    }
    return out;
  }

  private readPage(after: number, maxCount: number, types: readonly string[] | undefined): LogPage {
    // Bound by the max position first: the page query runs in its own snapshot, and anything at or below
    // the bound is committed, so `scannedTo` never claims an event this page did not see.
    const watermark = this.stmt.maxPosition.get() as number;
    if (watermark <= after) return { events: [], scannedTo: after };
    const typeSet = types ? new Set(types) : undefined;
    const events: StoredEvent[] = [];
    let cursor = after;
    while (events.length < maxCount && cursor < watermark) {
      const rows = this.stmt.page.all(cursor, watermark, typeSet ? PAGE : maxCount - events.length) as EventRow[];
      if (rows.length === 0) {
        cursor = watermark;
        break;
      }
      for (const row of rows) {
        cursor = row.position as number;
        if (typeSet && !typeSet.has(row.type)) continue;
        events.push(toStoredEvent(row));
        if (events.length === maxCount) break;
      }
    }
    return {
      events,
      scannedTo: events.length === maxCount ? events[events.length - 1]!.position : Math.max(cursor, watermark),
    };
  }

  subscribe(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const source = {
      readPage: async (after: number, maxCount: number, types: readonly string[] | undefined) =>
        this.closed ? { events: [], scannedTo: after } : this.readPage(after, maxCount, types),
      changes: this.changes,
      pollIntervalMs: this.pollIntervalMs,
    };
    const subscription = runSubscription(source, handler, options);
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async verifyStream(streamId: string): Promise<ChainVerification> {
    this.assertOpen();
    const stmt = this.stmt.forwards;
    async function* pages() {
      let from = 0;
      for (;;) {
        const rows = stmt.all(streamId, from, PAGE) as EventRow[];
        for (const row of rows) yield toStoredEvent(row);
        if (rows.length < PAGE) return;
        from = Number(rows[rows.length - 1]!.revision) + 1;
      }
    }
    return verifyChain(streamId, pages());
  }

  async listStreams(options: { prefix?: string; after?: string; limit?: number } = {}): Promise<string[]> {
    this.assertOpen();
    const prefix = options.prefix ?? '';
    return this.db
      .prepare(
        `SELECT stream_id FROM streams
          WHERE substr(stream_id, 1, ?) = ?
            AND seq > COALESCE((SELECT seq FROM streams WHERE stream_id = ?), 0)
          ORDER BY seq LIMIT ?`,
      )
      .pluck()
      .all(prefix.length, prefix, options.after ?? null, options.limit ?? -1) as string[];
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.flush();
    this.closed = true;
    this.db.close();
  }
}

export const createSqliteEventStore = (options: SqliteEventStoreOptions): SqliteEventStore =>
  new SqliteEventStore(options);
