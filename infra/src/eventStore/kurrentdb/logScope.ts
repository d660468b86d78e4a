import { eventTypeFilter, streamNameFilter } from '@kurrent/kurrentdb-client';
import type { Filter, RecordedEvent } from '@kurrent/kurrentdb-client';
import { isRecordStream } from './idempotencyStreams.js';

/**
 * Which part of $all belongs to this store: streams under `prefix` (empty in production; a random
 * namespace per test so that suites share one server yet each sees an empty store), never system
 * streams, system event types or Idempotency-Key record streams, optionally only some event types.
 */
export interface LogScope {
  prefix: string;
  types?: readonly string[] | undefined;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The server applies one filter (stream name or event type), so it gets the most selective one and
 * `acceptedStreamId` re-checks everything client-side: the page loops rely on the server filter only
 * to skip bulk, never for correctness.
 */
export function serverFilter(scope: LogScope): Filter {
  if (scope.prefix !== '') return streamNameFilter({ prefixes: [scope.prefix] });
  if (scope.types !== undefined && scope.types.length > 0) {
    return eventTypeFilter({ regex: `^(?:${scope.types.map(escapeRegex).join('|')})$` });
  }
  return streamNameFilter({ regex: '^[^$]' });
}

/** The port's stream id if the record is in scope, otherwise null. */
export function acceptedStreamId(scope: LogScope, recorded: RecordedEvent): string | null {
  if (recorded.type.startsWith('$')) return null;
  if (scope.types !== undefined && !scope.types.includes(recorded.type)) return null;
  if (!recorded.streamId.startsWith(scope.prefix)) return null;
  const streamId = recorded.streamId.slice(scope.prefix.length);
  if (streamId === '' || streamId.startsWith('$') || isRecordStream(streamId)) return null;
  return streamId;
}
