import { setTimeout as sleep } from 'node:timers/promises';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import type { AllStreamResolvedEvent, ResolvedEvent } from '@kurrent/kurrentdb-client';
import { AppError } from '../../errors/appError.js';
import { asOneOfMany, checkExpected, validateAppends, type StreamHead } from '../appendBatch.js';
import { IdempotencyKeyTakenError, StreamVersionConflictError } from '../errors.js';
import { verifyChain } from '../hashChain.js';
import type {
  AppendOptions,
  AppendResult,
  ExpectedVersion,
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
import { subscribeToAllScoped } from './allSubscription.js';
import { commitPositionOf, decodeEvent, encodeBatch, toReadPosition, type EncodedEvent } from './eventMapping.js';
import {
  CLAIM_TIMEOUT_MS,
  RECORD_STREAM_PREFIX,
  claimEvent,
  isRecordStream,
  readClaim,
  recordStreamId,
  releaseEvent,
  type Claim,
} from './idempotencyStreams.js';
import { isWrongExpectedVersion, retryableExpectation, serverStreamState, toConflict } from './expectedVersion.js';
import { acceptedStreamId, serverFilter, type LogScope } from './logScope.js';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false`. Ignored when `client` is given. */
  connectionString?: string;
  /** An existing client; the store then does not dispose it on close. */
  client?: KurrentDBClient;
  /**
   * Physical stream names are `${streamPrefix}${streamId}` and the store sees only those streams.
   * Empty in production; tests use a random one so that they share a server yet start empty.
   */
  streamPrefix?: string;
  /** Re-reads after a lost race for 'any'/'exists' appends (default 50). */
  maxAppendRetries?: number;
  /** Events per server read while paging $all (default 1,000). */
  readPageSize?: number;
}

/**
 * The event-store port on KurrentDB. The server owns order, revisions and positions; the adapter adds
 * what the port demands beyond that: the per-stream hash chain (kept in event metadata, see
 * eventMapping.ts), exact expected-version semantics, and a view of $all without system events.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly client: KurrentDBClient;
  private readonly ownsClient: boolean;
  private readonly scope: LogScope;
  private readonly maxAppendRetries: number;
  private readonly readPageSize: number;
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    if (options.client !== undefined) {
      this.client = options.client;
      this.ownsClient = false;
    } else if (options.connectionString !== undefined) {
      this.client = KurrentDBClient.connectionString(options.connectionString);
      this.ownsClient = true;
    } else {
      throw new AppError('INTERNAL', 'KurrentDbEventStore needs a connectionString or a client');
    }
    this.scope = { prefix: options.streamPrefix ?? '' };
    this.maxAppendRetries = options.maxAppendRetries ?? 50;
    this.readPageSize = Math.max(1, options.readPageSize ?? 1000);
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return (await this.appendMany(...asOneOfMany(streamId, events, options)))[0]!;
  }

  /**
   * KurrentDB writes one stream per append, so several streams are written one after the other, in
   * the order given: not atomic. A command that must touch two aggregates should order them so that a
   * crash in between leaves a state the domain tolerates (and carry an Idempotency-Key: its claim,
   * made before the first write, makes the retry answer instead of writing again).
   */
  async appendMany(
    appends: readonly StreamAppend[],
    options: Pick<AppendOptions, 'idempotency'> = {},
  ): Promise<AppendResult[]> {
    this.assertOpen();
    validateAppends(appends);
    for (const a of appends) assertNotSystemStream(a.streamId);
    if (options.idempotency) return this.appendClaimed(appends, options.idempotency);
    const results: AppendResult[] = [];
    for (const a of appends) results.push(await this.appendStream(a.streamId, a.events, a.expectedVersion ?? 'any'));
    return results;
  }

  private async appendStream(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion) {
    for (let attempt = 0; ; attempt += 1) {
      const head = await this.readHead(this.physical(streamId));
      checkExpected(streamId, expected, head);
      // Our clock, not the server's `created`: it is part of the hashed bytes, so it must be known before the write.
      const recordedAt = new Date().toISOString();
      const encoded = encodeBatch(streamId, head, events, recordedAt);
      try {
        return await this.writeBatch(streamId, encoded, expected, head, recordedAt);
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError)) throw error;
        if (retryableExpectation(expected) && attempt < this.maxAppendRetries) {
          await backoff(attempt);
          continue;
        }
        throw error;
      }
    }
  }

  /** One write of an encoded batch at `head`; a lost race is the port's conflict. */
  private async writeBatch(
    streamId: string,
    encoded: readonly EncodedEvent[],
    expected: ExpectedVersion,
    head: StreamHead | null,
    recordedAt: string,
  ): Promise<AppendResult> {
    const name = this.physical(streamId);
    try {
      const result = await this.client.appendToStream(
        name,
        encoded.map((e) => e.eventData),
        { streamState: serverStreamState(expected, head?.version ?? null) },
      );
      if (!result.success) {
        // Only when the connection string sets throwOnAppendFailure=false; the client then omits the actual revision.
        throw new StreamVersionConflictError(streamId, expected, (await this.readHead(name))?.version ?? null);
      }
      const lastRevision = Number(result.nextExpectedRevision);
      return {
        nextExpectedVersion: lastRevision,
        lastPosition: await this.positionOfRevision(name, lastRevision),
        recordedAt,
      };
    } catch (error) {
      if (isWrongExpectedVersion(error)) throw toConflict(streamId, expected, error);
      throw error;
    }
  }

  /** The claim protocol of idempotencyStreams.ts: claim (no-stream or superseding), then the events. */
  private async appendClaimed(
    appends: readonly StreamAppend[],
    input: IdempotencyRecordInput,
  ): Promise<AppendResult[]> {
    const recordName = this.physical(recordStreamId(input.scope, input.key));
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.readRecordStream(recordName);
      if (current.claim && (await this.claimState(current.claim)) !== 'stale')
        throw new IdempotencyKeyTakenError(input.scope, input.key);
      const heads = await Promise.all(appends.map((a) => this.readHead(this.physical(a.streamId))));
      appends.forEach((a, i) => checkExpected(a.streamId, a.expectedVersion ?? 'any', heads[i]!));
      const recordedAt = new Date().toISOString();
      const batches = appends.map((a, i) => encodeBatch(a.streamId, heads[i]!, a.events, recordedAt));
      const appended = appends.map((a, i) => ({
        streamId: a.streamId,
        nextExpectedVersion: batches[i]![batches[i]!.length - 1]!.revision,
        recordedAt,
      }));
      const lastBatch = batches[batches.length - 1]!;
      const claim: Claim = {
        record: {
          scope: input.scope,
          key: input.key,
          requestHash: input.requestHash,
          response: input.response(appended),
          recordedAt,
        },
        // The last event written: the claim holds once it exists.
        streamId: appends[appends.length - 1]!.streamId,
        revision: lastBatch[lastBatch.length - 1]!.revision,
        eventId: lastBatch[lastBatch.length - 1]!.eventData.id!,
      };
      let claimRevision: bigint;
      try {
        const written = await this.client.appendToStream(recordName, claimEvent(claim), {
          streamState: current.revision === null ? NO_STREAM : current.revision,
        });
        claimRevision = written.nextExpectedRevision;
      } catch (error) {
        if (isWrongExpectedVersion(error)) throw new IdempotencyKeyTakenError(input.scope, input.key);
        throw error;
      }
      const results: AppendResult[] = [];
      try {
        for (const [i, a] of appends.entries())
          results.push(
            await this.writeBatch(a.streamId, batches[i]!, a.expectedVersion ?? 'any', heads[i]!, recordedAt),
          );
        return results;
      } catch (error) {
        // Nothing written: free the key at once. Something written: the claim stays, so a retry answers
        // rather than writing the first stream twice.
        if (results.length === 0)
          await this.client
            .appendToStream(recordName, releaseEvent(), { streamState: claimRevision })
            .catch(() => undefined);
        const retry =
          results.length === 0 &&
          error instanceof StreamVersionConflictError &&
          appends.every((a) => retryableExpectation(a.expectedVersion ?? 'any')) &&
          attempt < this.maxAppendRetries;
        if (!retry) throw error;
        await backoff(attempt);
      }
    }
  }

  async readIdempotencyRecord(scope: string, key: string): Promise<IdempotencyRecord | null> {
    this.assertOpen();
    const { claim } = await this.readRecordStream(this.physical(recordStreamId(scope, key)));
    if (!claim) return null;
    const state = await this.claimState(claim);
    if (state === 'in-progress')
      throw new AppError('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later');
    return state === 'holds' ? claim.record : null;
  }

  /** Deletes the record streams whose claim is older than `olderThan` (a scan of the record streams in $all). */
  async pruneIdempotencyRecords(olderThan: string): Promise<number> {
    this.assertOpen();
    const names = new Set<string>();
    for await (const resolved of this.client.readAll({
      filter: streamNameFilter({ prefixes: [this.physical(RECORD_STREAM_PREFIX)] }),
    })) {
      const recorded = resolved.event;
      if (recorded === undefined) continue;
      const claim = readClaim(recorded);
      if (claim !== null && claim.record.recordedAt < olderThan) names.add(recorded.streamId);
      else names.delete(recorded.streamId);
    }
    for (const name of names) await this.client.deleteStream(name).catch(() => undefined);
    return names.size;
  }

  private async readRecordStream(name: string): Promise<{ revision: bigint | null; claim: Claim | null }> {
    let found: { revision: bigint | null; claim: Claim | null } = { revision: null, claim: null };
    await this.forEachInStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }, (resolved) => {
      if (resolved.event !== undefined) found = { revision: resolved.event.revision, claim: readClaim(resolved.event) };
    });
    return found;
  }

  /** holds: its events exist; in-progress: not yet, and its writer may still be at it; stale: never will. */
  private async claimState(claim: Claim): Promise<'holds' | 'in-progress' | 'stale'> {
    let eventId: string | undefined;
    await this.forEachInStream(
      this.physical(claim.streamId),
      { direction: FORWARDS, fromRevision: BigInt(claim.revision), maxCount: 1 },
      (resolved) => {
        if (resolved.event !== undefined && Number(resolved.event.revision) === claim.revision)
          eventId = resolved.event.id;
      },
    );
    if (eventId === claim.eventId) return 'holds';
    if (eventId === undefined && Date.now() - Date.parse(claim.record.recordedAt) < CLAIM_TIMEOUT_MS)
      return 'in-progress';
    return 'stale';
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const from = options.fromRevision;
    // Nothing lies before revision 0: forwards starts there, backwards has nothing to return.
    if (from !== undefined && from < 0 && direction === 'backwards') return [];
    const fromRevision = from === undefined ? (direction === 'forwards' ? START : END) : BigInt(Math.max(0, from));
    const events: StoredEvent[] = [];
    await this.forEachInStream(
      this.physical(streamId),
      {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      },
      (resolved) => {
        // System records inside a stream (e.g. a deletion marker) are not port events; verifyStream then sees the gap.
        if (resolved.event !== undefined && !resolved.event.type.startsWith('$')) {
          events.push(this.decodeStreamEvent(streamId, resolved));
        }
      },
    );
    return events;
  }

  async streamVersion(streamId: string): Promise<number | null> {
    this.assertOpen();
    const head = await this.readHead(this.physical(streamId));
    return head?.version ?? null;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const page = await this.readAllPage(
      options.after ?? -1,
      options.maxCount ?? Number.POSITIVE_INFINITY,
      options.types,
    );
    return page.events;
  }

  subscribe(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    return subscribeToAllScoped(
      {
        client: this.client,
        scope: this.scope,
        positionOf: (resolved) => this.positionOfAll(resolved),
        decode: (resolved, position) => this.decodeAllEvent(resolved, position, options.types),
        lastPosition: () => this.lastPosition(options.types),
      },
      handler,
      options,
    );
  }

  async verifyStream(streamId: string): Promise<ChainVerification> {
    this.assertOpen();
    // A missing stream verifies trivially; readStream already returns [] for it.
    return verifyChain(streamId, await this.readStream(streamId));
  }

  /**
   * Scans $all for revision 0 of every stream in scope. The $streams system stream would be cheaper
   * but is written by a system projection, asynchronously and only when projections run; a stream
   * appended a moment ago must already be listed, so the log itself is the only consistent source.
   */
  async listStreams(options: { prefix?: string; after?: string; limit?: number } = {}): Promise<string[]> {
    this.assertOpen();
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const streams: string[] = [];
    if (limit <= 0) return streams;
    let passedAfter = options.after === undefined;
    let cursor = -1;
    for (;;) {
      const page = await this.readAllPage(cursor, this.readPageSize, undefined);
      for (const event of page.events) {
        if (event.revision !== 0) continue;
        if (!passedAfter) {
          passedAfter = event.streamId === options.after;
          continue;
        }
        if (options.prefix !== undefined && !event.streamId.startsWith(options.prefix)) continue;
        streams.push(event.streamId);
        if (streams.length >= limit) return streams;
      }
      if (page.events.length < this.readPageSize) return streams;
      cursor = page.scannedTo;
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    // One record (or none) from $all: proves connection, auth and a readable log without touching our streams.
    for await (const resolved of this.client.readAll({ maxCount: 1, direction: BACKWARDS, fromPosition: END })) {
      void resolved;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.client.dispose();
  }

  /** The physical stream name of a port stream id. */
  physical(streamId: string): string {
    return `${this.scope.prefix}${streamId}`;
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', 'The KurrentDB event store is closed');
  }

  private decodeStreamEvent(streamId: string, resolved: ResolvedEvent): StoredEvent {
    const recorded = resolved.event!;
    return decodeEvent(recorded, streamId, commitPositionOf(recorded, resolved.commitPosition));
  }

  private positionOfAll(resolved: AllStreamResolvedEvent): number {
    const recorded = resolved.event ?? resolved.link;
    if (recorded === undefined) throw new AppError('INTERNAL', 'KurrentDB returned an empty $all record');
    return commitPositionOf(recorded, resolved.commitPosition);
  }

  private decodeAllEvent(
    resolved: AllStreamResolvedEvent,
    position: number,
    types: readonly string[] | undefined,
  ): StoredEvent | null {
    const recorded = resolved.event;
    if (recorded === undefined) return null;
    const streamId = acceptedStreamId({ prefix: this.scope.prefix, types }, recorded);
    return streamId === null ? null : decodeEvent(recorded, streamId, position);
  }

  /**
   * Events strictly after `after`, in $all order, at most `maxCount`. Server reads are inclusive of
   * the start position and the server filter is coarser than the port's, so each page re-checks
   * both; a server page shorter than asked means the end of the log (the server keeps searching
   * past filtered-out records until it has the count or reaches the end).
   */
  private async readAllPage(
    after: number,
    maxCount: number,
    types: readonly string[] | undefined,
  ): Promise<{ events: StoredEvent[]; scannedTo: number }> {
    const events: StoredEvent[] = [];
    let cursor = after < 0 ? -1 : after;
    if (maxCount <= 0 || (types !== undefined && types.length === 0)) return { events, scannedTo: cursor };
    const filter = serverFilter({ prefix: this.scope.prefix, types });
    while (events.length < maxCount) {
      const wanted = Math.min(maxCount - events.length, this.readPageSize) + (cursor >= 0 ? 1 : 0);
      let got = 0;
      let full = false;
      for await (const resolved of this.client.readAll({
        fromPosition: toReadPosition(cursor),
        maxCount: wanted,
        filter,
      })) {
        got += 1;
        const position = this.positionOfAll(resolved);
        if (position <= cursor) continue;
        const event = this.decodeAllEvent(resolved, position, types);
        cursor = position;
        if (event !== null) events.push(event);
        if (events.length >= maxCount) {
          full = true;
          break;
        }
      }
      if (full || got < wanted) break;
    }
    return { events, scannedTo: cursor };
  }

  /** Newest in-scope position (the catch-up target of a new subscription), or null if there is none. */
  private async lastPosition(types: readonly string[] | undefined): Promise<number | null> {
    if (types !== undefined && types.length === 0) return null;
    const filter = serverFilter({ prefix: this.scope.prefix, types });
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter,
    })) {
      return this.positionOfAll(resolved);
    }
    return null;
  }

  private async readHead(name: string): Promise<StreamHead | null> {
    let head: StreamHead | null = null;
    await this.forEachInStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }, (resolved) => {
      const recorded = resolved.event;
      if (recorded === undefined) return;
      const decoded = decodeEvent(recorded, name, 0);
      head = { version: decoded.revision, lastHash: decoded.hash };
    });
    return head;
  }

  private async positionOfRevision(name: string, revision: number): Promise<number> {
    // The append response's position is not documented to be the *last* event's, so read that event back.
    let position: number | undefined;
    await this.forEachInStream(
      name,
      { direction: FORWARDS, fromRevision: BigInt(revision), maxCount: 1 },
      (resolved) => {
        if (resolved.event !== undefined) position = commitPositionOf(resolved.event, resolved.commitPosition);
      },
    );
    if (position === undefined) {
      throw new AppError(
        'INTERNAL',
        `KurrentDB stream ${name} has no event at revision ${revision} right after appending it`,
      );
    }
    return position;
  }

  /** Reads a stream; a stream that does not exist reads as empty, as the port requires. */
  private async forEachInStream(
    name: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: typeof START | typeof END | bigint;
      maxCount?: number;
    },
    visit: (resolved: ResolvedEvent) => void,
  ): Promise<void> {
    try {
      for await (const resolved of this.client.readStream(name, options)) visit(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }
}

/** Jittered, growing pause between retries of a lost race, so competing writers spread out. */
const backoff = (attempt: number): Promise<void> => sleep(Math.min(50, 1 + attempt * 2) * Math.random());

const assertNotSystemStream = (streamId: string): void => {
  if (streamId.startsWith('$') || isRecordStream(streamId)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `stream id "${streamId}" is reserved: KurrentDB system streams start with $, Idempotency-Key records with ${RECORD_STREAM_PREFIX}`,
    );
  }
};

/** Opens a store from a connection string. */
export const createKurrentDbEventStore = (options: KurrentDbEventStoreOptions): KurrentDbEventStore =>
  new KurrentDbEventStore(options);
