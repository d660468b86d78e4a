import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { parseKeyEncryptionKey, type KeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { PRIVATE_FILE_MODE, writePrivateFile } from '@estia/infra/sql/privateFiles.js';

/**
 * A 32-byte secret from the environment. Only the embedded single-machine mode may fall back to a
 * generated file (0600), and says so: a copy of the data directory then carries its own secret.
 */
export function loadSecret(
  name: 'KEY_ENCRYPTION_KEY' | 'BLIND_INDEX_KEY',
  value: string | undefined,
  embeddedFallbackPath: string | null,
  warn: (message: string) => void,
): KeyEncryptionKey {
  if (value !== undefined && value !== '') return parseKeyEncryptionKey(value, name);
  if (embeddedFallbackPath === null) return parseKeyEncryptionKey(undefined, name);
  if (!existsSync(embeddedFallbackPath))
    writePrivateFile(embeddedFallbackPath, `${randomBytes(32).toString('base64')}\n`, { exclusive: true });
  // A file an earlier version wrote with a wider mode is tightened, not trusted as it was.
  else chmodSync(embeddedFallbackPath, PRIVATE_FILE_MODE);
  warn(`${name} not set: using ${embeddedFallbackPath} (embedded mode only; set it in production)`);
  return parseKeyEncryptionKey(readFileSync(embeddedFallbackPath, 'utf8'), embeddedFallbackPath);
}

/** KEY_ENCRYPTION_KEY: wraps every client's data key. */
export const loadMasterKey = (
  env: { KEY_ENCRYPTION_KEY?: string | undefined },
  embeddedFallbackPath: string | null,
  warn: (message: string) => void,
): KeyEncryptionKey => loadSecret('KEY_ENCRYPTION_KEY', env.KEY_ENCRYPTION_KEY, embeddedFallbackPath, warn);

/** BLIND_INDEX_KEY: the network secret of the search indexes (a different secret from the master key). */
export const loadBlindIndexKey = (
  env: { BLIND_INDEX_KEY?: string | undefined },
  embeddedFallbackPath: string | null,
  warn: (message: string) => void,
): KeyEncryptionKey => loadSecret('BLIND_INDEX_KEY', env.BLIND_INDEX_KEY, embeddedFallbackPath, warn);
