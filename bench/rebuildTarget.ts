import type { EventStore } from '../infra/src/eventStore/types.js';
import type { Projection } from '../infra/src/projections/projection.js';
import type { BenchStores } from './stores.js';

/**
 * One service for `pnpm bench:rebuild`: how to fill its log with a realistic mix of its own events,
 * and its projections wired as the service wires them (key store, engine…), on the bench's stores.
 */
export interface RebuildTarget {
  service: string;
  /** Appends at least `events` events of the service's log (measured); returns how many it appended. */
  seed(store: EventStore, events: number, progress?: (appended: number) => void): Promise<number>;
  projections(stores: BenchStores): Promise<Projection[]>;
}
