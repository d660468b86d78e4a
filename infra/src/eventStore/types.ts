/**
 * The event-store port. Every adapter (SQLite, PostgreSQL, KurrentDB) implements exactly this and
 * passes the shared contract suite in `testing/eventStoreContract.ts`.
 */

/** Who caused an event and why; carried from the HTTP request into every event it produced. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** Acting organisation and user (ids only, never names). */
  actor?: { organisationId?: string; userId?: string; clientId?: string };
  /** Schema version of `data` for this event type. */
  schemaVersion?: number;
  [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Unique id; generated (UUID v4) when missing. Also the idempotency key for consumers. */
  id?: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

export interface StoredEvent<Type extends string = string, Data = unknown> {
  id: string;
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /**
   * Position in the store's global order. Strictly increasing in the order every reader sees; not
   * necessarily dense (PostgreSQL derives it from the transaction id so that readers never skip).
   */
  position: number;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  /** ISO-8601 UTC timestamp taken by the store when the event was appended. */
  recordedAt: string;
  /** sha256 hex of previous event's hash + canonical bytes of this event (see hashChain.ts). */
  hash: string;
}

/**
 * - 'no-stream': the stream must not exist yet;
 * - 'exists': the stream must have at least one event;
 * - 'any': no check;
 * - number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedVersion = 'no-stream' | 'exists' | 'any' | number;

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  /**
   * Commit this Idempotency-Key record in the same transaction as the events: both or neither. If the
   * key is already recorded, nothing is written and `IdempotencyKeyTakenError` is thrown.
   */
  idempotency?: IdempotencyRecordInput;
}

/** What the store knows of an append only while committing it: the answer recorded with it may use it. */
export interface Appended {
  streamId: string;
  /** Revision of the last event appended to this stream. */
  nextExpectedVersion: number;
  /** The store's timestamp of these events (their `recordedAt`). */
  recordedAt: string;
}

export interface IdempotencyRecordInput {
  /** Who used the key (organisation and caller): one caller's key never meets another's. */
  scope: string;
  key: string;
  /** Fingerprint of the request the key was first used for. */
  requestHash: string;
  /**
   * The answer to record, serialised by the caller (opaque to the store). Called while appending, with
   * one entry per stream written (in the order given), possibly more than once if the store retries.
   */
  response: (appended: readonly Appended[]) => string;
}

/** An Idempotency-Key record as committed with its events. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  response: string;
  /** When it was committed (the store's clock, like the events' recordedAt). */
  recordedAt: string;
}

/** One stream's part of an atomic multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** Revision of the last event appended (= the new stream version). */
  nextExpectedVersion: number;
  /** Global position of the last event appended. */
  lastPosition: number;
  /** The store's timestamp of the appended events (their `recordedAt`). */
  recordedAt: string;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards default 0; backwards default the last revision. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: from the very start. */
  after?: number;
  maxCount?: number;
  /** Optional filter on event type (applied by the store, order kept). */
  types?: readonly string[];
}

export interface SubscribeOptions {
  /** Checkpoint: deliver events strictly after this position. Default: from the very start. */
  after?: number;
  types?: readonly string[];
  /** Max events per handler call. */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Called with events in global order. The subscription waits for the returned promise before
 * delivering more, so a handler that stores its checkpoint resumes exactly where it stopped.
 */
export type SubscriptionHandler = (events: StoredEvent[]) => Promise<void> | void;

export interface Subscription {
  /** Resolves when the subscription has caught up with the log once (then it is live). */
  readonly caughtUp: Promise<void>;
  /** Resolves when stopped (by `stop()` or the signal); rejects if the handler or store failed. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export type ChainVerification =
  | { ok: true; streamId: string; events: number; lastHash: string | null }
  | {
      ok: false;
      streamId: string;
      events: number;
      /** Revision of the first event whose hash does not match. */
      brokenAt: number;
      expected: string;
      actual: string;
      reason: string;
    };

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'kurrentdb';
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams at once, all or nothing (one transaction on SQLite and PostgreSQL;
   * KurrentDB: see its adapter). Each stream keeps its own expected version; results in the same order.
   */
  appendMany(appends: readonly StreamAppend[], options?: Pick<AppendOptions, 'idempotency'>): Promise<AppendResult[]>;
  /** The record an append committed for this key, or null. */
  readIdempotencyRecord(scope: string, key: string): Promise<IdempotencyRecord | null>;
  /** Deletes records committed before `olderThan` (ISO-8601); returns how many. */
  pruneIdempotencyRecords(olderThan: string): Promise<number>;
  /** Returns [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Current revision of the stream's last event, or null if it does not exist. */
  streamVersion(streamId: string): Promise<number | null>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  subscribe(handler: SubscriptionHandler, options?: SubscribeOptions): Subscription;
  verifyStream(streamId: string): Promise<ChainVerification>;
  /** Every stream id, for `verify --all`; ordered by first appearance. */
  listStreams(options?: { prefix?: string; after?: string; limit?: number }): Promise<string[]>;
  /** Cheap liveness check for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
