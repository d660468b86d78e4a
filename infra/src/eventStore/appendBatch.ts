import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/appError.js';
import { canonicalJson } from './canonicalJson.js';
import { StreamVersionConflictError } from './errors.js';
import { chainHashFromJson } from './hashChain.js';
import type {
  AppendOptions,
  ExpectedVersion,
  IdempotencyRecord,
  NewEvent,
  StoredEvent,
  StreamAppend,
} from './types.js';

/** The stream's last event as the store knows it (null: stream does not exist). */
export interface StreamHead {
  version: number;
  lastHash: string;
}

/** An event ready to insert: payloads in canonical JSON text (that is what is stored and hashed). */
export interface PreparedEvent {
  id: string;
  revision: number;
  type: string;
  dataJson: string;
  metadataJson: string;
  hash: string;
}

export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): void {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'streamId must be a non-empty string');
  }
  if (events.length === 0) throw new AppError('VALIDATION_FAILED', `append to ${streamId} needs at least one event`);
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new AppError('VALIDATION_FAILED', `expected version must be a revision ≥ 0, got ${expected}`);
  }
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new AppError('VALIDATION_FAILED', `every event appended to ${streamId} needs a type`);
    }
    if (event.id !== undefined && (typeof event.id !== 'string' || event.id.length === 0)) {
      throw new AppError('VALIDATION_FAILED', `event id must be a non-empty string`);
    }
  }
}

/** Every stream of an atomic multi-stream append, checked as a single append is; each stream once. */
export function validateAppends(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new AppError('VALIDATION_FAILED', 'an append needs at least one stream');
  const seen = new Set<string>();
  for (const { streamId, events, expectedVersion } of appends) {
    validateAppend(streamId, events, expectedVersion ?? 'any');
    if (seen.has(streamId)) throw new AppError('VALIDATION_FAILED', `stream ${streamId} appears twice in one append`);
    seen.add(streamId);
  }
}

/** A single-stream append as the arguments of `appendMany` (for adapters whose append is the one-stream case). */
export const asOneOfMany = (
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
): [StreamAppend[], Pick<AppendOptions, 'idempotency'>] => [
  [
    {
      streamId,
      events,
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    },
  ],
  options.idempotency ? { idempotency: options.idempotency } : {},
];

/** Throws the conflict if `expected` does not hold against `head`. */
export function checkExpected(streamId: string, expected: ExpectedVersion, head: StreamHead | null): void {
  const actual = head?.version ?? null;
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === null) ||
    (expected === 'exists' && actual !== null) ||
    (typeof expected === 'number' && actual === expected);
  if (!ok) throw new StreamVersionConflictError(streamId, expected, actual);
}

/** Assigns ids and revisions after `head` and links each event to the previous hash. */
export function prepareEvents(
  streamId: string,
  events: readonly NewEvent[],
  head: StreamHead | null,
  recordedAt: string,
): PreparedEvent[] {
  let previous = head?.lastHash ?? null;
  let revision = head === null ? 0 : head.version + 1;
  return events.map((event) => {
    const id = event.id ?? randomUUID();
    const dataJson = canonicalJson(event.data === undefined ? null : event.data);
    const metadataJson = canonicalJson(event.metadata ?? {});
    const hash = chainHashFromJson(
      previous,
      { streamId, revision, id, type: event.type, recordedAt },
      dataJson,
      metadataJson,
    );
    previous = hash;
    return { id, revision: revision++, type: event.type, dataJson, metadataJson, hash };
  });
}

/** Columns every SQL adapter stores; mapped back to the port's shape. */
export interface EventRow {
  position: number | string;
  stream_id: string;
  revision: number | string;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string | Date;
  hash: string;
}

export const toStoredEvent = (row: EventRow): StoredEvent => ({
  id: row.event_id,
  streamId: row.stream_id,
  revision: Number(row.revision),
  position: Number(row.position),
  type: row.type,
  data: JSON.parse(row.data) as unknown,
  metadata: JSON.parse(row.metadata) as StoredEvent['metadata'],
  recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : row.recorded_at,
  hash: row.hash,
});

/** Columns of the SQL adapters' idempotency_records table. */
export interface IdempotencyRow {
  scope: string;
  idem_key: string;
  request_hash: string;
  response: string;
  recorded_at: string | Date;
}

export const toIdempotencyRecord = (row: IdempotencyRow): IdempotencyRecord => ({
  scope: row.scope,
  key: row.idem_key,
  requestHash: row.request_hash,
  response: row.response,
  recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : row.recorded_at,
});
