import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@estia/infra/config/loadConfig.js';
import { masterKeyUsage, rewrapClientKeys } from '@estia/infra/crypto/keyRotation.js';
import type { MasterKeyRing } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import {
  addMasterKeyVersion,
  loadMasterKey,
  readMasterKeyFile,
  removeMasterKeyVersion,
} from '../application/masterKey.js';
import { auditConfigSchema } from '../audit/openAuditStores.js';

export const KEYS_USAGE = `usage:
  pnpm run keys status              which master key version wraps how many client keys
  pnpm run keys rotate              re-wrap every client key under the current master key version
  pnpm run keys retire <version>    forget a master key version once no client key uses it
Embedded mode (no KEY_ENCRYPTION_KEY): rotate first adds a new version to DATA_DIR/referrals/master.key;
the running service picks it up. With KEY_ENCRYPTION_KEY: set the new key there and the old one in
KEY_ENCRYPTION_KEYS_PREVIOUS on every replica, then rotate, then retire the old one.
Only the wrapping changes: events and everything sealed with the client keys stay byte for byte.
Exit codes: 0 ok, 1 refused (a version still in use, or the current one), 2 bad arguments or setup.`;

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

class UsageError extends Error {}

interface KeysSetup {
  db: SqlDatabase;
  ring: MasterKeyRing;
  /** Embedded mode only: the key file the versions live in. */
  file: string | null;
}

const openKeys = async (env: Readonly<Record<string, string | undefined>>): Promise<KeysSetup> => {
  const config = loadConfig(auditConfigSchema, env);
  const dir = join(config.DATA_DIR, 'referrals');
  const embedded = !config.PG_URL && !config.KEY_ENCRYPTION_KEY;
  const file = embedded ? join(dir, 'master.key') : null;
  if (file && !existsSync(file)) throw new UsageError(`no master key at ${file} and KEY_ENCRYPTION_KEY is not set`);
  if (!config.PG_URL && !existsSync(join(dir, 'keys.sqlite')))
    throw new UsageError(`no referrals key store at ${join(dir, 'keys.sqlite')} (check DATA_DIR)`);
  const ring = loadMasterKey(config, file, () => undefined);
  const db = config.PG_URL
    ? await createPostgresDatabase({
        url: config.PG_URL,
        schema: `${config.PG_SCHEMA}_keys`,
        applicationName: 'estia-referrals-keys',
      })
    : await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
  return { db, ring, file };
};

const describeUsage = async (setup: KeysSetup, io: Output): Promise<void> => {
  const usage = await masterKeyUsage(setup.db);
  const known = [setup.ring.current, ...setup.ring.previous].map((k) => k.id);
  for (const version of new Set([...known, ...usage.map((u) => u.version)])) {
    const keys = usage.find((u) => u.version === version)?.keys ?? 0;
    const role =
      version === setup.ring.current.id ? 'current' : known.includes(version) ? 'previous' : 'NOT CONFIGURED';
    io.out(`master key ${version}  ${role.padEnd(14)}  ${keys} client key(s)`);
  }
};

/** `pnpm run keys …`; returns the exit code. */
export async function runKeysCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Output,
): Promise<number> {
  const [command, ...args] = argv;
  let setup: KeysSetup | undefined;
  try {
    if (command === undefined || command === '--help') throw new UsageError('no command given');
    if (!['status', 'rotate', 'retire'].includes(command)) throw new UsageError(`unknown command ${command}`);
    if (command === 'retire' ? args.length !== 1 : args.length !== 0)
      throw new UsageError(command === 'retire' ? 'retire needs one master key version' : `unexpected ${args[0]}`);
    setup = await openKeys(env);

    if (command === 'status') {
      await describeUsage(setup, io);
      return 0;
    }

    if (command === 'rotate') {
      if (setup.file) {
        setup.ring = addMasterKeyVersion(setup.file);
        io.out(`new master key version ${setup.ring.current.id} added to ${setup.file}`);
      }
      const { rewrapped, total } = await rewrapClientKeys(setup.db, setup.ring, {
        onProgress: ({ done, total: all }) => io.out(`re-wrapping client keys: ${done}/${all}`),
      });
      io.out(`re-wrapped ${rewrapped} of ${total} client key(s) under master key ${setup.ring.current.id}`);
      await describeUsage(setup, io);
      for (const old of setup.ring.previous)
        if (!(await masterKeyUsage(setup.db)).some((u) => u.version === old.id))
          io.out(`master key ${old.id} is no longer used: pnpm run keys retire ${old.id}`);
      return 0;
    }

    const version = args[0]!;
    if (version === setup.ring.current.id) {
      io.err(`master key ${version} is the current one: rotate to a new version first`);
      return 1;
    }
    const inUse = (await masterKeyUsage(setup.db)).find((u) => u.version === version)?.keys ?? 0;
    if (inUse > 0) {
      io.err(`master key ${version} still wraps ${inUse} client key(s): run pnpm run keys rotate first`);
      return 1;
    }
    if (setup.file) {
      removeMasterKeyVersion(setup.file, version);
      io.out(
        `master key ${version} removed from ${setup.file}; ${readMasterKeyFile(setup.file).previous.length} previous version(s) left`,
      );
    } else
      io.out(`no client key uses master key ${version}: remove it from KEY_ENCRYPTION_KEYS_PREVIOUS and destroy it`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      io.err(KEYS_USAGE);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    io.err(`keys ${command ?? ''} failed: ${(error as Error).message}`);
    return 2;
  } finally {
    await setup?.db.close();
  }
}
