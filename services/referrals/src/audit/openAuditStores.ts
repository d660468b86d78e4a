import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baseConfigSchema } from '@estia/infra/config/baseConfig.js';
import { str } from '@estia/infra/config/configSchema.js';
import { loadConfig } from '@estia/infra/config/loadConfig.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { KurrentDbEventStore } from '@estia/infra/eventStore/kurrentdb/kurrentdbEventStore.js';
import { createPostgresEventStore } from '@estia/infra/eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { loadMasterKey } from '../application/masterKey.js';

/** The referrals service's own variables (same names and defaults as main.ts). */
export const auditConfigSchema = {
  ...baseConfigSchema,
  PG_SCHEMA: str().withDefault('referrals'),
  KEY_ENCRYPTION_KEY: str().optionalField(),
  KEY_ENCRYPTION_KEYS_PREVIOUS: str().optionalField(),
};

/** A problem the auditor can fix (wrong DATA_DIR, no master key): printed as one line. */
export class AuditSetupError extends Error {}

export interface AuditStores {
  store: EventStore;
  /** Only when asked for (replay): verifying needs no key. */
  keyStore?: KeyStore;
  close(): Promise<void>;
}

/**
 * Opens the referrals event store (and, for replay, its key store) exactly where the service keeps
 * them — same variables, files and schemas as openInfrastructure/main.ts — but never creates one:
 * openInfrastructure would also open the bus and the read models for writing, and an auditor's tool
 * pointed at a wrong DATA_DIR must say so instead of leaving empty databases behind.
 */
export async function openAuditStores(
  env: Readonly<Record<string, string | undefined>>,
  options: { withKeys: boolean },
): Promise<AuditStores> {
  const config = loadConfig(auditConfigSchema, env);
  const dir = join(config.DATA_DIR, 'referrals');
  const mustExist = (path: string, what: string): string => {
    if (!existsSync(path)) throw new AuditSetupError(`no referrals ${what} at ${path} (check DATA_DIR)`);
    return path;
  };
  const store: EventStore =
    config.EVENT_STORE === 'postgres'
      ? await createPostgresEventStore({ connectionString: config.PG_URL!, schema: `${config.PG_SCHEMA}_events` })
      : config.EVENT_STORE === 'kurrentdb'
        ? new KurrentDbEventStore({ connectionString: config.KURRENTDB_URL!, streamPrefix: 'referrals-' })
        : createSqliteEventStore({ path: mustExist(join(dir, 'events.sqlite'), 'event store') });
  if (!options.withKeys) return { store, close: () => store.close() };

  let keysDb: SqlDatabase | undefined;
  try {
    const masterKeyFile = join(dir, 'master.key');
    if (!config.KEY_ENCRYPTION_KEY && (config.PG_URL || !existsSync(masterKeyFile)))
      throw new AuditSetupError(
        'KEY_ENCRYPTION_KEY is not set (and no embedded master.key): personal data cannot be opened',
      );
    const kek = loadMasterKey(config, config.PG_URL ? null : masterKeyFile, () => {});
    keysDb = config.PG_URL
      ? await createPostgresDatabase({
          url: config.PG_URL,
          schema: `${config.PG_SCHEMA}_keys`,
          applicationName: 'estia-referrals-audit',
        })
      : await createSqliteDatabase({ path: mustExist(join(dir, 'keys.sqlite'), 'key store') });
    const keyStore = await createSqlKeyStore(keysDb, { kek });
    const db = keysDb;
    return {
      store,
      keyStore,
      async close() {
        await store.close();
        await db.close();
      },
    };
  } catch (error) {
    await store.close();
    await keysDb?.close();
    throw error;
  }
}
