/**
 * `pnpm seed` — writes the demo network into the registry's configured store (the same variables as
 * the service: EVENT_STORE sqlite|postgres|kurrentdb, DATA_DIR, PG_URL, KURRENTDB_URL, PG_SCHEMA),
 * catches the read models up and prints the demo credentials. Refuses a network that already has
 * organisations (the demo would mix with real members); finishes a demo an earlier run left half-done.
 */
import { baseConfigSchema } from '@estia/infra/config/baseConfig.js';
import { str } from '@estia/infra/config/configSchema.js';
import { loadConfigOrExit } from '@estia/infra/config/loadConfig.js';
import { openInfrastructure } from '@estia/infra/runtime/openInfrastructure.js';
import { defaultContext } from '../application/context.js';
import { ensureCodeOfConduct } from '../application/networkBootstrap.js';
import { catchUpRegistryReadModels } from '../projections/registryProjections.js';
import { searchServices } from '../projections/directoryQueries.js';
import { demoState, seedDemo } from './seedDemo.js';

const config = loadConfigOrExit({ ...baseConfigSchema, PG_SCHEMA: str().withDefault('registry') });
const infra = await openInfrastructure('registry', config);
const { store, db } = infra;
try {
  const state = await demoState(store);
  if (state === 'foreign' || state === 'complete') {
    console.error(
      state === 'complete'
        ? `the registry store (${infra.describe()}) already holds the whole demo`
        : `the registry store (${infra.describe()}) already has organisations; the demo goes only into an empty network`,
    );
    process.exitCode = 1;
  } else {
    const started = performance.now();
    const ctx = defaultContext(store);
    const result = await seedDemo(ctx, db, {
      credentials: process.env.DEMO_CREDENTIALS === 'sample' ? 'sample' : 'all',
    });
    await ensureCodeOfConduct(ctx);
    await catchUpRegistryReadModels(store, db);
    const { total } = await searchServices(db, {}, { page: 1, perPage: 1 });
    console.log(
      `seeded ${result.organisations} organisations, ${result.services} services (${total} in the directory) in ${Math.round(performance.now() - started)} ms into ${infra.describe()}`,
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
  for (const closer of [...infra.closers].reverse()) await closer.close();
}
