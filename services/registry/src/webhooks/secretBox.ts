import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { open, seal } from '@estia/infra/crypto/aesGcm.js';
import { writePrivateFile } from '@estia/infra/sql/privateFiles.js';

/**
 * Webhook signing secrets are HMAC keys: they must be usable, so they cannot be hashed like client
 * secrets. They are sealed (AES-256-GCM) with a key kept outside the event log and the read models:
 * WEBHOOK_SECRETS_KEY (32 bytes, base64) or, embedded, DATA_DIR/registry/webhook-secrets.key (0600).
 */
export interface SecretBox {
  seal(subscriptionId: string, secret: string): string;
  open(subscriptionId: string, sealed: string): string;
}

const aad = (subscriptionId: string) => `webhook-secret:${subscriptionId}`;

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.byteLength !== 32) throw new RangeError('the webhook secrets key must be 32 bytes');
  return {
    seal: (subscriptionId, secret) => JSON.stringify(seal(key, Buffer.from(secret, 'utf8'), aad(subscriptionId))),
    open: (subscriptionId, sealed) => open(key, JSON.parse(sealed), aad(subscriptionId)).toString('utf8'),
  };
}

/** From the variable, else from the file (created on first start). */
export function loadSecretBoxKey(value: string | undefined, file: string | null): Uint8Array {
  if (value) {
    const key = Buffer.from(value, 'base64');
    if (key.byteLength !== 32) {
      console.error('config error: WEBHOOK_SECRETS_KEY must be 32 bytes, base64');
      process.exit(2);
    }
    return key;
  }
  if (file === null) {
    console.error('config error: WEBHOOK_SECRETS_KEY is required with PG_URL (32 bytes, base64)');
    process.exit(2);
  }
  if (!existsSync(file)) writePrivateFile(file, randomBytes(32).toString('base64') + '\n', { exclusive: true });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** A Standard Webhooks secret: `whsec_` and 24 random bytes, base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
