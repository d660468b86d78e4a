import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '@estia/infra/sql/privateFiles.js';

/** INSIGHTS_PSEUDONYM_KEY (base64, 32 bytes) or, when unset, a key file created once, readable by its owner only. */
export function loadPseudonymKey(fromEnv: string | undefined, file: string): Buffer {
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) {
      console.error('config error: INSIGHTS_PSEUDONYM_KEY must be 32 bytes, base64');
      process.exit(2);
    }
    return key;
  }
  if (!existsSync(file)) writePrivateFile(file, `${randomBytes(32).toString('base64')}\n`, { exclusive: true });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
