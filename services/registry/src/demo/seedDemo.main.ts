/**
 * `tsx services/registry/src/demo/seedDemo.main.ts [dataDir]` — writes the demo network into the
 * embedded stores (default data/registry) and prints the demo credentials. Refuses a non-empty log.
 */
import { join } from 'node:path';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { defaultContext } from '../application/context.js';
import { catchUpRegistryReadModels } from '../projections/registryProjections.js';
import { searchServices } from '../projections/directoryQueries.js';
import { seedDemo } from './seedDemo.js';

const dataDir = process.argv[2] ?? join('data', 'registry');
const store = createSqliteEventStore({ path: join(dataDir, 'events.sqlite') });
const db = await createSqliteDatabase({ path: join(dataDir, 'read.sqlite') });
try {
  if ((await store.readAll({ maxCount: 1 })).length > 0) {
    console.error(`${dataDir} already holds events; the demo is seeded only into an empty log`);
    process.exitCode = 1;
  } else {
    const started = performance.now();
    const result = await seedDemo(defaultContext(store), db, {
      credentials: process.env.DEMO_CREDENTIALS === 'sample' ? 'sample' : 'all',
    });
    await catchUpRegistryReadModels(store, db);
    const { total } = await searchServices(db, {}, { page: 1, perPage: 1 });
    console.log(
      `seeded ${result.organisations} organisations, ${result.services} services (${total} in the directory) in ${Math.round(performance.now() - started)} ms`,
    );
    console.log('\nDemo credentials (fictional; every password is the same):');
    for (const c of result.credentials)
      console.log(
        `  ${c.email.padEnd(52)} ${c.password}  ${c.roles.join(',').padEnd(34)} ${c.organisation ?? 'network'}`,
      );
    console.log(
      `\nDemo API client: client_id=${result.apiClient.clientId} client_secret=${result.apiClient.clientSecret} (demo: fixed)`,
    );
  }
} finally {
  await db.close();
  await store.close();
}
