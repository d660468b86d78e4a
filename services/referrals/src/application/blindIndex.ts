import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Keyed blind indexes: a search term (a folded name token, a date of birth) becomes an HMAC under a
 * secret of the network (BLIND_INDEX_KEY, kept like the master key), so the read models can be
 * searched by equality without holding the term. Without the secret a stored index says nothing: a
 * dictionary of names or dates cannot be tried against it.
 */
export interface BlindIndex {
  /** The stored form of one term (22 characters, base64url of 128 bits). */
  term(plaintext: string): string;
  /**
   * Seals a small value for a caller to hand back later (the access-request token): AES-256-GCM
   * under a key derived from the same secret, so nothing else has to be kept.
   */
  seal(value: unknown): string;
  /** The value sealed by `seal`, or null if the text was not sealed with this secret (or altered). */
  open(sealed: string): unknown;
}

const derive = (secret: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `estia referrals ${purpose}`, 32));

export function createBlindIndex(secret: Buffer): BlindIndex {
  if (secret.byteLength !== 32) throw new Error('the blind-index secret must be 32 bytes');
  const hmacKey = derive(secret, 'blind index v1');
  const sealKey = derive(secret, 'opaque tokens v1');
  return {
    term: (plaintext) =>
      createHmac('sha256', hmacKey).update(plaintext, 'utf8').digest().subarray(0, 16).toString('base64url'),
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(sealed) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.byteLength < 12 + 16 + 1) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(bytes.byteLength - 16));
        const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.byteLength - 16)), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as unknown;
      } catch {
        return null;
      }
    },
  };
}
