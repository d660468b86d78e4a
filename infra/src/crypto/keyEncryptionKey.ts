import { createHash } from 'node:crypto';

/** The master key that wraps every client data key. Never stored next to the keys it wraps. */
export interface KeyEncryptionKey {
  /** Short fingerprint stored with each wrapped key, so a rotation knows which master sealed it. */
  readonly id: string;
  readonly bytes: Buffer;
}

/**
 * Parses KEY_ENCRYPTION_KEY (32 random bytes, base64). Fails loudly: a service that cannot protect
 * personal data must not start. Generate one with `openssl rand -base64 32`.
 */
export const parseKeyEncryptionKey = (value: string | undefined, name = 'KEY_ENCRYPTION_KEY'): KeyEncryptionKey => {
  if (value === undefined || value.trim() === '')
    throw new Error(`${name} is not set (32 bytes, base64; e.g. openssl rand -base64 32)`);
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new Error(`${name} is not valid base64`);
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.byteLength !== 32) throw new Error(`${name} must decode to 32 bytes, got ${bytes.byteLength}`);
  const id = createHash('sha256').update('estia:kek-id:').update(bytes).digest('hex').slice(0, 16);
  return { id, bytes };
};

export const keyEncryptionKeyFromEnv = (env: NodeJS.ProcessEnv = process.env): KeyEncryptionKey =>
  parseKeyEncryptionKey(env.KEY_ENCRYPTION_KEY);

/**
 * The master keys a key store knows: `current` wraps every new key and every key a rotation re-wraps;
 * `previous` ones only unwrap, until no key uses them and they are retired. A key's version is its
 * master key's `id` (stored with each wrapped key).
 */
export interface MasterKeyRing {
  readonly current: KeyEncryptionKey;
  readonly previous: readonly KeyEncryptionKey[];
}

export const masterKeyRing = (
  current: KeyEncryptionKey,
  previous: readonly KeyEncryptionKey[] = [],
): MasterKeyRing => ({
  current,
  previous: previous.filter((k) => k.id !== current.id),
});

export const isMasterKeyRing = (value: KeyEncryptionKey | MasterKeyRing): value is MasterKeyRing => 'current' in value;

/** The master key of a version, from the ring; undefined if it is not configured (retired, or missing). */
export const masterKeyOf = (ring: MasterKeyRing, version: string | null): KeyEncryptionKey | undefined =>
  [ring.current, ...ring.previous].find((k) => k.id === version);
