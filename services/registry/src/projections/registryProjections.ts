import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import { projectDirectoryEvents, DIRECTORY_EVENT_TYPES } from './directoryProjection.js';
import { DIRECTORY_DEFERRED_INDEXES, DIRECTORY_TABLES, ensureDirectoryTables } from './directorySchema.js';
import { changedBy, ensureRevisionTables, resetRevisions, stampChanges } from './directoryRevisions.js';
import { dropOutdatedDirectory } from './directoryReshape.js';
import { administrationProjection } from './administrationProjection.js';
import { ensurePeopleTables, PEOPLE_EVENT_TYPES, PEOPLE_TABLES, projectPersonEvent } from './peopleProjection.js';

const emptyTables = (tables: readonly string[]) => async (tx: SqlExecutor) => {
  for (const table of tables) await tx.execute(`DELETE FROM ${table}`);
};

const DIRECTORY = 'registry.directory';

/** The public directory (organisations, services, locations): what HSDS and search read. */
export const directoryProjection: Projection = {
  name: DIRECTORY,
  batchWrites: true,
  deferredIndexes: DIRECTORY_DEFERRED_INDEXES,
  analyzeAfterRebuild: DIRECTORY_TABLES,
  types: DIRECTORY_EVENT_TYPES,
  migrate: async (db) => {
    const reshaped = await dropOutdatedDirectory(db, DIRECTORY);
    await ensureDirectoryTables(db);
    await ensureRevisionTables(db);
    if (reshaped) await db.transaction(resetRevisions);
  },
  reset: async (tx) => {
    await emptyTables(DIRECTORY_TABLES)(tx);
    await resetRevisions(tx);
  },
  handle: async (tx, events) => {
    await projectDirectoryEvents(tx, events);
    // Same transaction: the search index never sees a change the tables do not have, nor misses one.
    await stampChanges(
      tx,
      events.map(changedBy).filter((c) => c !== null),
    );
  },
};

/** People by e-mail (sign-in, invitation uniqueness); never public. */
export const peopleProjection: Projection = {
  name: 'registry.people',
  batchWrites: true,
  types: PEOPLE_EVENT_TYPES,
  migrate: ensurePeopleTables,
  reset: emptyTables(PEOPLE_TABLES),
  handle: async (tx, events) => {
    for (const event of events) await projectPersonEvent(tx, event);
  },
};

/** Each read model has its own checkpoint, so one can be rebuilt without the other. */
export const registryProjections: readonly Projection[] = [
  directoryProjection,
  peopleProjection,
  administrationProjection,
];

export async function ensureRegistryReadModels(db: SqlDatabase): Promise<void> {
  for (const p of registryProjections) await p.migrate(db);
}

/** Seeder: the people read model must be current before the next invitation checks e-mail uniqueness. */
export async function projectPeople(store: EventStore, db: SqlDatabase): Promise<void> {
  await catchUpProjections(store, db, [peopleProjection]);
}

/** For CLIs, seeders and tests: applies the log to both read models, then returns. */
export async function catchUpRegistryReadModels(store: EventStore, db: SqlDatabase): Promise<void> {
  await catchUpProjections(store, db, registryProjections);
}

/** Drops both read models and their checkpoints; the next catch-up rebuilds them from the log. */
export async function resetRegistryReadModels(db: SqlDatabase): Promise<void> {
  await ensureProcessorTables(db);
  await ensureRegistryReadModels(db);
  await db.transaction(async (tx) => {
    for (const p of registryProjections) {
      await p.reset(tx);
      await tx.execute('DELETE FROM estia_checkpoints WHERE name = $1', [p.name]);
    }
  });
}
