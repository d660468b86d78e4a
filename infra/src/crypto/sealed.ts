/**
 * A sealed (AES-256-GCM encrypted) value as it travels inside events and tables. Self-describing so
 * that a later format (`v: 2`, another algorithm) can be read side by side with this one.
 */
export interface Sealed {
  v: 1;
  /** 96-bit random IV, base64. */
  iv: string;
  /** 128-bit GCM authentication tag, base64. */
  tag: string;
  /** Ciphertext, base64. */
  ct: string;
}

export const isSealed = (value: unknown): value is Sealed => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.iv === 'string' && typeof v.tag === 'string' && typeof v.ct === 'string';
};
