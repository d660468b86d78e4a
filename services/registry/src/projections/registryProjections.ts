import type { EventStore, Subscription } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { projectDirectoryEvent, DIRECTORY_EVENT_TYPES } from './directoryProjection.js';
import { DIRECTORY_TABLES, ensureDirectoryTables } from './directorySchema.js';
import { ensurePeopleTables, PEOPLE_EVENT_TYPES, PEOPLE_TABLES, projectPersonEvent } from './peopleProjection.js';
import { catchUpProjection, resetProjection, startProjection, type ProjectionOptions } from './runProjection.js';

/** The registry's read models, each with its own checkpoint so one can be rebuilt without the other. */
const directory = (store: EventStore, db: SqlDatabase): ProjectionOptions => ({
  store,
  db,
  name: 'registry.directory',
  types: DIRECTORY_EVENT_TYPES,
  project: projectDirectoryEvent,
});
const people = (store: EventStore, db: SqlDatabase): ProjectionOptions => ({
  store,
  db,
  name: 'registry.people',
  types: PEOPLE_EVENT_TYPES,
  project: projectPersonEvent,
});

export async function ensureRegistryReadModels(db: SqlDatabase): Promise<void> {
  await ensureDirectoryTables(db);
  await ensurePeopleTables(db);
}

export async function projectPeople(store: EventStore, db: SqlDatabase): Promise<void> {
  await ensurePeopleTables(db);
  await catchUpProjection(people(store, db));
}

export async function catchUpRegistryReadModels(store: EventStore, db: SqlDatabase): Promise<void> {
  await ensureRegistryReadModels(db);
  await catchUpProjection(directory(store, db));
  await catchUpProjection(people(store, db));
}

export async function startRegistryProjections(store: EventStore, db: SqlDatabase): Promise<Subscription[]> {
  await ensureRegistryReadModels(db);
  return [await startProjection(directory(store, db)), await startProjection(people(store, db))];
}

/** Drops both read models and their checkpoints; the next catch-up rebuilds them from the log. */
export async function resetRegistryReadModels(db: SqlDatabase): Promise<void> {
  await ensureRegistryReadModels(db);
  await resetProjection(db, 'registry.directory', DIRECTORY_TABLES);
  await resetProjection(db, 'registry.people', PEOPLE_TABLES);
}
