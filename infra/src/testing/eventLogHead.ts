import type { EventStore } from '../eventStore/types.js';

/**
 * The global position of the last event in a store (-1 when empty), read forward from the previous
 * answer so asking after every request stays cheap.
 */
export const eventLogHead = (store: EventStore): (() => Promise<number>) => {
  let last = -1;
  return async () => {
    for (;;) {
      const batch = await store.readAll({ after: last, maxCount: 1000 });
      if (batch.length === 0) return last;
      last = batch[batch.length - 1]!.position;
    }
  };
};
