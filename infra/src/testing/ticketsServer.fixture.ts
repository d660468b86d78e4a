/**
 * A child process for crash tests: the tickets service (testing/ticketsApp.ts) on a real event store
 * and a real HTTP port (0: the OS picks; the line "listening <url>" says which). With CRASH_ON=n the
 * process kills itself with SIGKILL right after the n-th append commits, before it answers.
 *   STORE=sqlite EVENTS_PATH=… | STORE=postgres PG_URL=… PG_SCHEMA=…;  JWKS=<json>
 */
import { createTokenVerifier } from '../auth/tokenVerifier.js';
import { TEST_TOKEN_ISSUER } from '../auth/testIssuer.js';
import { createPostgresEventStore } from '../eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '../eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '../eventStore/types.js';
import { createHttpApp } from '../http/createHttpApp.js';
import { createLogger } from '../http/logger.js';
import { crashAfterCommit } from './crashAfterCommit.js';
import { ticketsRoutes } from './ticketsApp.js';

const env = process.env;
const real: EventStore =
  env.STORE === 'postgres'
    ? await createPostgresEventStore({ connectionString: env.PG_URL!, schema: env.PG_SCHEMA! })
    : createSqliteEventStore({ path: env.EVENTS_PATH! });
const store = env.CRASH_ON ? crashAfterCommit(real, Number(env.CRASH_ON)) : real;
const app = await createHttpApp({
  service: 'tickets',
  logger: createLogger({ service: 'tickets', level: 'silent' }),
  auth: {
    verifier: createTokenVerifier({ jwks: JSON.parse(env.JWKS!), issuer: TEST_TOKEN_ISSUER, audience: 'estia:test' }),
  },
  store,
  rateLimit: false,
});
await ticketsRoutes(app, store);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${url}`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => real.close())
      .then(() => process.exit(0)),
);
