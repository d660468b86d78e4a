/**
 * Per-client data keys, kept OUTSIDE the event log: destroying a key erases the person (GDPR art. 17)
 * while events, their hashes and the chain stay intact.
 */
export type ClientKey = { status: 'active'; key: Buffer } | { status: 'erased'; erasedAt: string };

export interface KeyStore {
  /**
   * Creates the client's data key, or returns the existing one (so a retried command is harmless).
   * Throws ClientKeyErasedError if the client was erased: a key is never re-created.
   */
  createKey(clientId: string): Promise<Buffer>;
  /** The key, the erasure tombstone, or null if no key was ever created. */
  getKey(clientId: string): Promise<ClientKey | null>;
  /**
   * Overwrites the key and keeps a tombstone with the time. Idempotent: a second call keeps the first
   * erasure time. Works even if no key existed (the tombstone then blocks a later createKey).
   */
  destroyKey(clientId: string, at: Date | string): Promise<void>;
}
