/**
 * The registry service: organisations, services, people, API clients; the public HSDS directory;
 * the token issuer (JWKS, client credentials, sign-in). Embedded default: SQLite files under DATA_DIR.
 */
import { join } from 'node:path';
import { baseConfigSchema } from '@estia/infra/config/baseConfig.js';
import { int, port, str } from '@estia/infra/config/configSchema.js';
import { loadConfigOrExit } from '@estia/infra/config/loadConfig.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { runService } from '@estia/infra/http/runService.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createPostgresEventStore } from '@estia/infra/eventStore/postgres/postgresEventStore.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createBus } from '@estia/infra/bus/createBus.js';
import { startRelay } from '@estia/infra/processors/relay.js';
import { registryRelayMapper } from './application/relayMapper.js';
import { defaultContext } from './application/context.js';
import { apiClientHandlers } from './application/apiClientHandlers.js';
import { organisationHandlers } from './application/organisationHandlers.js';
import { peopleHandlers } from './application/peopleHandlers.js';
import { serviceHandlers } from './application/serviceHandlers.js';
import { loadOrCreateKeyRing } from './auth/keyRingFile.js';
import { publicJwks } from './auth/signingKeys.js';
import { seedDemo } from './demo/seedDemo.js';
import { authRoutes } from './http/authRoutes.js';
import { hsdsRoutes } from './http/hsdsRoutes.js';
import { managementRoutes } from './http/managementRoutes.js';
import { catchUpRegistryReadModels, startRegistryProjections } from './projections/registryProjections.js';

const config = loadConfigOrExit({
  ...baseConfigSchema,
  PORT: port().withDefault(3001),
  PG_SCHEMA: str().withDefault('registry'),
  PUBLIC_BASE_URL: str().optionalField(),
  TOKEN_ISSUER: str().optionalField(),
  TOKEN_AUDIENCE: str().withDefault('estia'),
  SIGNING_KEY_MAX_AGE_DAYS: int({ min: 1, max: 365 }).withDefault(30),
});

const logger = createLogger({ service: 'registry', level: config.LOG_LEVEL });
const dataDir = join(config.DATA_DIR, 'registry');
const baseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
const issuer = config.TOKEN_ISSUER ?? baseUrl;

if (config.EVENT_STORE === 'kurrentdb') {
  // The registry's read model and checkpoints need SQL; KurrentDB as its log is not wired yet.
  logger.fatal('EVENT_STORE=kurrentdb is not supported by the registry yet; use sqlite or postgres');
  process.exit(2);
}

const store: EventStore =
  config.EVENT_STORE === 'postgres'
    ? await createPostgresEventStore({ connectionString: config.PG_URL!, schema: `${config.PG_SCHEMA}_events` })
    : createSqliteEventStore({ path: join(dataDir, 'events.sqlite') });
const db =
  config.EVENT_STORE === 'postgres'
    ? await createPostgresDatabase({ url: config.PG_URL!, schema: config.PG_SCHEMA, applicationName: 'estia-registry' })
    : await createSqliteDatabase({ path: join(dataDir, 'read.sqlite') });

const { ring, rotated } = await loadOrCreateKeyRing(join(dataDir, 'signing-keys.json'), {
  now: new Date(),
  maxAgeDays: config.SIGNING_KEY_MAX_AGE_DAYS,
});
if (rotated) logger.info({ kid: ring.current.kid }, 'signing key rotated');

const ctx = defaultContext(store);
if (config.DEMO_DATA && (await store.readAll({ maxCount: 1 })).length === 0) {
  const demo = await seedDemo(ctx, db);
  await catchUpRegistryReadModels(store, db);
  // Fictional accounts, printed on purpose: this is the demo's front door.
  logger.info({ organisations: demo.organisations, services: demo.services }, 'demo network seeded');
  for (const c of demo.credentials) console.log(`demo login: ${c.email} / ${c.password} (${c.roles.join(',')})`);
  console.log(`demo API client: ${demo.apiClient.clientId} / ${demo.apiClient.clientSecret}`);
}

const projections = await startRegistryProjections(store, db);
// The log is the outbox: public events go to the bus from the relay's checkpoint, never from a request.
const bus = createBus(
  config.BUS === 'kafka'
    ? { kind: 'kafka', brokers: config.KAFKA_BROKERS!, clientId: 'estia-registry' }
    : { kind: 'embedded', path: join(config.DATA_DIR, 'bus.sqlite') },
);
const relay = await startRelay({ store, db, bus, name: 'registry.relay', map: registryRelayMapper });
const tokens = { issuer, audience: config.TOKEN_AUDIENCE, keyRing: () => ring };
const app = await createHttpApp({
  service: 'registry',
  logger,
  auth: { verifier: createTokenVerifier({ jwks: publicJwks(ring) as never, issuer, audience: config.TOKEN_AUDIENCE }) },
  db,
  readiness: { store: () => store.ping(), db: () => db.query('SELECT 1'), bus: () => bus.ping() },
});
const people = peopleHandlers(ctx, db);
const clients = apiClientHandlers(ctx);
await app.register(hsdsRoutes, { db, publicBaseUrl: baseUrl });
await app.register(authRoutes, { tokens, people, clients });
await app.register(managementRoutes, {
  prefix: '/v1',
  organisations: organisationHandlers(ctx),
  services: serviceHandlers(ctx),
  people,
  clients,
});

await runService({
  app,
  port: config.PORT,
  host: config.HOST,
  closers: [
    { name: 'event store', close: () => store.close() },
    { name: 'read model', close: () => db.close() },
    { name: 'bus', close: () => bus.close() },
    { name: 'projections', close: () => Promise.all(projections.map((p) => p.stop())) },
    { name: 'relay', close: () => relay.stop() },
  ],
});
