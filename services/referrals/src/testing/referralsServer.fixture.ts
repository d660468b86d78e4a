/**
 * A child process for crash tests: the referrals API (real routes, application, SQLite stores, key
 * store, projector) over DATA_DIR, listening on a port the OS picks ("listening <url>"). Registry facts
 * come from FACTS (JSON envelopes, applied idempotently). With CRASH_ON=n the process SIGKILLs itself
 * right after the n-th append commits, before answering.   DATA_DIR, KEK (base64), JWKS, FACTS
 */
import { loadOpenApi } from '@estia/contracts';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { EventEnvelope } from '@estia/contracts';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { TEST_TOKEN_ISSUER } from '@estia/infra/auth/testIssuer.js';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { crashAfterCommit } from '@estia/infra/testing/crashAfterCommit.js';
import { createReferralsApplication } from '../application/referralsApplication.js';
import { referralsRoutes } from '../http/referralsRoutes.js';
import { referralsReadModelProjection } from '../projections/readModelProjection.js';
import { applyRegistryFacts } from './registryEvents.js';
import { createBlindIndex } from '../application/blindIndex.js';

const env = process.env;
const dir = env.DATA_DIR!;
const real = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
const store = env.CRASH_ON ? crashAfterCommit(real, Number(env.CRASH_ON)) : real;
const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
const keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
const keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(env.KEK!) });
// Derived from KEK so that every restart of the crashed process indexes alike.
const blindIndex = createBlindIndex(createHash('sha256').update(`blind-index:${env.KEK!}`).digest());
const projector = await startProjector({
  store: real,
  db,
  projections: [referralsReadModelProjection(keyStore, blindIndex)],
});
await applyRegistryFacts(db, JSON.parse(env.FACTS!) as EventEnvelope[]);
const http = await createHttpApp({
  service: 'referrals',
  logger: createLogger({ service: 'referrals', level: 'silent' }),
  auth: {
    verifier: createTokenVerifier({ jwks: JSON.parse(env.JWKS!), issuer: TEST_TOKEN_ISSUER, audience: 'estia:test' }),
  },
  store,
  openapi: loadOpenApi('referrals') as unknown as Record<string, unknown>,
  rateLimit: false,
});
const app = createReferralsApplication({ store, db, keyStore, blindIndex });
await http.register(referralsRoutes, { prefix: '/v1', app, store: real, db, keyStore, blindIndex, projector });
const url = await http.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${url}`);
process.on('SIGTERM', () => {
  void (async () => {
    await http.close();
    await projector.stop();
    await real.close();
    await db.close();
    await keysDb.close();
    process.exit(0);
  })();
});
