/**
 * The referrals service: clients (encrypted personal data), consents, needs, referrals and their
 * thread, erasure. Embedded default: SQLite files under DATA_DIR/referrals; keys in their own file.
 */
import { join } from 'node:path';
import { topicFor } from '@estia/infra/bus/types.js';
import { int, str } from '@estia/infra/config/configSchema.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { startService } from '@estia/infra/runtime/startService.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { expiryProcessor } from './application/expiryScheduler.js';
import { createBlindIndex } from './application/blindIndex.js';
import { loadBlindIndexKey, loadMasterKey, readMasterKeyFile } from './application/masterKey.js';
import { createReferralsApplication } from './application/referralsApplication.js';
import { auditRoutes } from './audit/auditRoutes.js';
import { deadlineReminderProcessor } from './deadlines/scheduler.js';
import { deadlineConfigSchema } from './deadlines/deadlineConfig.js';
import { remindersProjection } from './deadlines/remindersProjection.js';
import { reminderScheduleProjection } from './deadlines/reminderSchedule.js';
import { REGISTRY_FACTS_GROUP, applyRegistryEvent } from './directory/registryConsumer.js';
import { referralsRoutes } from './http/referralsRoutes.js';
import { MATCHING_PLACEMENTS_GROUP, applyMatchingEvent } from './placements/matchingConsumer.js';
import { createReferralsRelayMapper } from './integration/publicEvents.js';
import { referralsReadModelProjection } from './projections/readModelProjection.js';
import { seedDemoCaseloads } from './demo/demoStart.js';

await startService({
  service: 'referrals',
  defaultPort: 3002,
  config: {
    PG_SCHEMA: str().withDefault('referrals'),
    KEY_ENCRYPTION_KEY: str().optionalField(),
    BLIND_INDEX_KEY: str().optionalField(),
    KEY_ENCRYPTION_KEYS_PREVIOUS: str().optionalField(),
    ...deadlineConfigSchema,
    /** How long an unanswered referral stays overdue (answerable, badged) before it expires. */
    REFERRAL_EXPIRY_GRACE_HOURS: int({ min: 0, max: 24 * 90 }).withDefault(72),
    /** The registry, whose demo network the demo caseloads wait for (DEMO_DATA=true). */
    REGISTRY_URL: str().withDefault('http://127.0.0.1:3001'),
  },
  async build({ config, logger, infra }) {
    const dir = join(config.DATA_DIR, 'referrals');
    // Production (PostgreSQL) refuses to start without KEY_ENCRYPTION_KEY; embedded mode generates
    // DATA_DIR/referrals/master.key (0600) once and warns.
    const masterKeyFile = config.PG_URL ? null : join(dir, 'master.key');
    const kek = loadMasterKey(config, masterKeyFile, (m) => logger.warn(m));
    // The network secret of the search indexes, kept like the master key (DATA_DIR/referrals/blind-index.key).
    const blindIndex = createBlindIndex(
      loadBlindIndexKey(config, config.PG_URL ? null : join(dir, 'blind-index.key'), (m) => logger.warn(m)).bytes,
    );
    // Keys live apart from the read models (own file / schema): a different backup policy, and the
    // projector's transaction never waits on the key store's connection.
    const keysDb = config.PG_URL
      ? await createPostgresDatabase({
          url: config.PG_URL,
          schema: `${config.PG_SCHEMA}_keys`,
          applicationName: 'estia-referrals-keys',
        })
      : await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
    const keyStore = await createSqlKeyStore(keysDb, {
      kek,
      // Embedded mode: `pnpm run keys rotate` may add a master key version to the file while we run.
      ...(masterKeyFile && !config.KEY_ENCRYPTION_KEY ? { reloadKeys: () => readMasterKeyFile(masterKeyFile) } : {}),
    });
    const deadlines = {
      permitDays: config.REMINDER_PERMIT_DAYS,
      receptionDays: config.REMINDER_RECEPTION_DAYS,
      intervalMs: config.REMINDER_INTERVAL_SECONDS * 1000,
    };
    const app = createReferralsApplication({ store: infra.store, db: infra.db, keyStore, blindIndex });

    return {
      projections: [
        referralsReadModelProjection(keyStore, blindIndex),
        remindersProjection(keyStore),
        reminderScheduleProjection(keyStore, deadlines),
      ],
      publicEvents: createReferralsRelayMapper({
        store: infra.store,
        keyStore,
        onSkipped: (eventId, why) => logger.info({ eventId, why }, 'candidate profile not published'),
      }),
      consumers: [
        { group: REGISTRY_FACTS_GROUP, topics: [topicFor('registry')], handle: applyRegistryEvent },
        // Hires and follow-ups shown on the client's case (issue 7).
        { group: MATCHING_PLACEMENTS_GROUP, topics: [topicFor('matching')], handle: applyMatchingEvent },
      ],
      routes: async (http, projector) => {
        await http.register(referralsRoutes, {
          prefix: '/v1',
          app,
          store: infra.store,
          db: infra.db,
          keyStore,
          blindIndex,
          projector,
        });
        await http.register(auditRoutes, { prefix: '/v1', store: infra.store, db: infra.db, keyStore, projector });
      },
      afterStart: async (projector) => {
        if (!config.DEMO_DATA) return;
        const seeded = await seedDemoCaseloads({
          registryUrl: config.REGISTRY_URL,
          deps: {
            store: infra.store,
            db: infra.db,
            keyStore,
            blindIndex,
            waitFor: (position) => projector.waitFor(position, 30_000),
          },
          log: (message) => logger.info(message),
        });
        if (seeded > 0) logger.info({ cases: seeded }, 'demo caseloads seeded');
      },
      // Supervised by the processor runtime (one replica, restart with backoff, lag in /ready); they
      // stop before the key store closes (the processors drain first).
      processors: [
        expiryProcessor(app, infra.db, { graceMs: config.REFERRAL_EXPIRY_GRACE_HOURS * 3_600_000 }),
        deadlineReminderProcessor({ store: infra.store, db: infra.db, keyStore, config: deadlines }),
      ],
      closers: [{ name: 'key store', close: () => keysDb.close() }],
    };
  },
});
