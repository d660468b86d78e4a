/**
 * The referrals service: clients (encrypted personal data), consents, needs, referrals and their
 * thread, erasure. Embedded default: SQLite files under DATA_DIR/referrals; keys in their own file.
 */
import { join } from 'node:path';
import { str } from '@estia/infra/config/configSchema.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { startService } from '@estia/infra/runtime/startService.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { startExpiryScheduler } from './application/expiryScheduler.js';
import { loadMasterKey } from './application/masterKey.js';
import { createReferralsApplication } from './application/referralsApplication.js';
import { applyRegistryEvent } from './application/registryFacts.js';
import { referralsRoutes } from './http/referralsRoutes.js';
import { referralsRelayMapper } from './integration/publicEvents.js';
import { referralsReadModelProjection } from './projections/readModelProjection.js';

await startService({
  service: 'referrals',
  defaultPort: 3002,
  config: {
    PG_SCHEMA: str().withDefault('referrals'),
    KEY_ENCRYPTION_KEY: str().optionalField(),
  },
  async build({ config, logger, infra }) {
    const dir = join(config.DATA_DIR, 'referrals');
    const kek = loadMasterKey(config, config.PG_URL ? null : join(dir, 'master.key'), (m) => logger.warn(m));
    // Keys live apart from the read models (own file / schema): a different backup policy, and the
    // projector's transaction never waits on the key store's connection.
    const keysDb = config.PG_URL
      ? await createPostgresDatabase({
          url: config.PG_URL,
          schema: `${config.PG_SCHEMA}_keys`,
          applicationName: 'estia-referrals-keys',
        })
      : await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
    const keyStore = await createSqlKeyStore(keysDb, { kek });
    const app = createReferralsApplication({ store: infra.store, db: infra.db, keyStore });
    const scheduler = startExpiryScheduler(app, infra.db, {
      onError: (err) => logger.error({ err }, 'expiry run failed'),
    });
    return {
      projections: [referralsReadModelProjection(keyStore)],
      publicEvents: referralsRelayMapper,
      consumers: [{ group: 'referrals.registry-facts', topics: ['estia.registry'], handle: applyRegistryEvent }],
      routes: async (http, projector) => {
        await http.register(referralsRoutes, {
          prefix: '/v1',
          app,
          store: infra.store,
          db: infra.db,
          keyStore,
          projector,
        });
      },
      closers: [
        { name: 'expiry scheduler', close: () => scheduler.stop() },
        { name: 'key store', close: () => keysDb.close() },
      ],
    };
  },
});
