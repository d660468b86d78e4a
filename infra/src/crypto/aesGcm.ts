import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './errors.js';
import { isSealed, type Sealed } from './sealed.js';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const assertKey = (key: Uint8Array): void => {
  if (key.byteLength !== KEY_BYTES)
    throw new RangeError(`AES-256 key must be ${KEY_BYTES} bytes, got ${key.byteLength}`);
};

/**
 * Encrypts `plaintext` under `key`. A fresh random IV per call: with 96-bit IVs the collision bound
 * (2^32 messages per key) is far beyond what one client's key will ever seal.
 * `aad` binds the ciphertext to its context (client, field), so it cannot be replayed elsewhere.
 */
export const seal = (key: Uint8Array, plaintext: Uint8Array, aad: string): Sealed => {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
};

/** Decrypts and authenticates; throws DecryptionError on any mismatch (bytes, key or aad). */
export const open = (key: Uint8Array, sealed: Sealed, aad: string): Buffer => {
  assertKey(key);
  if (!isSealed(sealed)) throw new DecryptionError('not a sealed value (unknown format or version)');
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.byteLength !== IV_BYTES || tag.byteLength !== TAG_BYTES) throw new DecryptionError('malformed iv or tag');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch (error) {
    throw new DecryptionError('authentication tag does not match (tampered, wrong key or wrong context)', error);
  }
};
