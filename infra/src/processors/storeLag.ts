import type { EventStore } from '../eventStore/types.js';
import type { ProcessorLag } from './runtime.js';

/** Lag readings count waiting events up to this many (a reading must stay cheap while far behind). */
export const LAG_SCAN_LIMIT = 10_000;

/**
 * How far a reader of the service's own log at checkpoint `after` is behind: the events after it (up to
 * LAG_SCAN_LIMIT) and the age of the first of them, by the store's recordedAt.
 */
export async function storeLag(
  store: EventStore,
  after: number | null,
  options: { types?: readonly string[]; now?: () => number } = {},
): Promise<ProcessorLag> {
  const waiting = await store.readAll({
    ...(after === null ? {} : { after }),
    ...(options.types === undefined ? {} : { types: options.types }),
    maxCount: LAG_SCAN_LIMIT,
  });
  const first = waiting[0];
  const now = (options.now ?? Date.now)();
  return {
    events: waiting.length,
    seconds: first === undefined ? 0 : Math.max(0, (now - Date.parse(first.recordedAt)) / 1000),
  };
}
