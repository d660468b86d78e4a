import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  masterKeyRing,
  parseKeyEncryptionKey,
  type KeyEncryptionKey,
  type MasterKeyRing,
} from '@estia/infra/crypto/keyEncryptionKey.js';
import { PRIVATE_FILE_MODE, writePrivateFile } from '@estia/infra/sql/privateFiles.js';

export interface MasterKeyEnv {
  /** The current master key: wraps every new client key and every key a rotation re-wraps. */
  KEY_ENCRYPTION_KEY?: string | undefined;
  /** Older master keys (comma-separated, base64) that still unwrap, during a rotation; removed once retired. */
  KEY_ENCRYPTION_KEYS_PREVIOUS?: string | undefined;
}

/**
 * The master keys from the environment. Only the embedded single-machine mode may fall back to a
 * generated key file, and says so: a copy of the data directory then carries its own master keys.
 * The file holds one base64 key per line, oldest first; the last line is the current key.
 */
export function loadMasterKey(
  env: MasterKeyEnv,
  embeddedFallbackPath: string | null,
  warn: (message: string) => void,
): MasterKeyRing {
  if (env.KEY_ENCRYPTION_KEY !== undefined && env.KEY_ENCRYPTION_KEY !== '')
    return masterKeyRing(
      parseKeyEncryptionKey(env.KEY_ENCRYPTION_KEY),
      (env.KEY_ENCRYPTION_KEYS_PREVIOUS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== '')
        .map((k, i) => parseKeyEncryptionKey(k, `KEY_ENCRYPTION_KEYS_PREVIOUS[${i}]`)),
    );
  if (embeddedFallbackPath === null) return masterKeyRing(parseKeyEncryptionKey(undefined));
  if (!existsSync(embeddedFallbackPath))
    writePrivateFile(embeddedFallbackPath, `${randomBytes(32).toString('base64')}\n`, { exclusive: true });
  // A file an earlier version wrote with a wider mode is tightened, not trusted as it was.
  else chmodSync(embeddedFallbackPath, PRIVATE_FILE_MODE);
  warn(`KEY_ENCRYPTION_KEY not set: using ${embeddedFallbackPath} (embedded mode only; set it in production)`);
  return readMasterKeyFile(embeddedFallbackPath);
}

const fileKeys = (path: string): KeyEncryptionKey[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, i) => parseKeyEncryptionKey(line, `${path} line ${i + 1}`));

export const readMasterKeyFile = (path: string): MasterKeyRing => {
  const keys = fileKeys(path);
  if (keys.length === 0) throw new Error(`${path} holds no master key`);
  return masterKeyRing(keys[keys.length - 1]!, keys.slice(0, -1));
};

/** Replaces the file in one rename (0600), so a crash leaves the old file or the new one, never half. */
const writeKeys = (path: string, keys: readonly string[]): void => {
  const next = `${path}.next`;
  writeFileSync(next, `${keys.join('\n')}\n`, { mode: PRIVATE_FILE_MODE });
  renameSync(next, path);
};

/** Embedded mode: appends a new master key, which becomes the current one; the older ones still unwrap. */
export const addMasterKeyVersion = (path: string): MasterKeyRing => {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  writeKeys(path, [...lines, randomBytes(32).toString('base64')]);
  return readMasterKeyFile(path);
};

/** Embedded mode: forgets a previous master key version (the caller checked that no key uses it). */
export const removeMasterKeyVersion = (path: string, version: string): void => {
  const ring = readMasterKeyFile(path);
  if (ring.current.id === version) throw new Error(`master key ${version} is the current one: rotate first`);
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && parseKeyEncryptionKey(l).id !== version);
  writeKeys(path, kept);
};

/** BLIND_INDEX_KEY: the network secret of the search indexes (a different secret from the master key). */
export function loadBlindIndexKey(
  env: { BLIND_INDEX_KEY?: string | undefined },
  embeddedFallbackPath: string | null,
  warn: (message: string) => void,
): KeyEncryptionKey {
  const value = env.BLIND_INDEX_KEY;
  if (value !== undefined && value !== '') return parseKeyEncryptionKey(value, 'BLIND_INDEX_KEY');
  if (embeddedFallbackPath === null) return parseKeyEncryptionKey(undefined, 'BLIND_INDEX_KEY');
  if (!existsSync(embeddedFallbackPath))
    writePrivateFile(embeddedFallbackPath, `${randomBytes(32).toString('base64')}\n`, { exclusive: true });
  else chmodSync(embeddedFallbackPath, PRIVATE_FILE_MODE);
  warn(`BLIND_INDEX_KEY not set: using ${embeddedFallbackPath} (embedded mode only; set it in production)`);
  return parseKeyEncryptionKey(readFileSync(embeddedFallbackPath, 'utf8'), embeddedFallbackPath);
}
