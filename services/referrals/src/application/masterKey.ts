import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseKeyEncryptionKey, type KeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';

/**
 * KEY_ENCRYPTION_KEY from the environment. Only the embedded single-machine mode may fall back to a
 * generated key file, and says so: a copy of the data directory then carries its own master key.
 */
export function loadMasterKey(
  env: { KEY_ENCRYPTION_KEY?: string | undefined },
  embeddedFallbackPath: string | null,
  warn: (message: string) => void,
): KeyEncryptionKey {
  if (env.KEY_ENCRYPTION_KEY !== undefined && env.KEY_ENCRYPTION_KEY !== '')
    return parseKeyEncryptionKey(env.KEY_ENCRYPTION_KEY);
  if (embeddedFallbackPath === null) return parseKeyEncryptionKey(undefined);
  if (!existsSync(embeddedFallbackPath)) {
    mkdirSync(dirname(embeddedFallbackPath), { recursive: true });
    writeFileSync(embeddedFallbackPath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  warn(`KEY_ENCRYPTION_KEY not set: using ${embeddedFallbackPath} (embedded mode only; set it in production)`);
  return parseKeyEncryptionKey(readFileSync(embeddedFallbackPath, 'utf8'), embeddedFallbackPath);
}
