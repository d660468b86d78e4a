import { ClientKeyErasedError } from './errors.js';
import type { ClientKey, KeyStore } from './keyStore.js';
import { newDataKey } from './keyWrapping.js';

/** In-process KeyStore for unit specs and throw-away demos; keys die with the process. */
export const createMemoryKeyStore = (): KeyStore => {
  const keys = new Map<string, ClientKey>();
  return {
    async createKey(clientId) {
      const existing = keys.get(clientId);
      if (existing?.status === 'erased') throw new ClientKeyErasedError(clientId, existing.erasedAt);
      if (existing) return Buffer.from(existing.key);
      const key = newDataKey();
      keys.set(clientId, { status: 'active', key });
      return Buffer.from(key);
    },
    async getKey(clientId) {
      const entry = keys.get(clientId);
      // Copies: a caller holding a key must not see it zeroed under its feet, nor be able to alter ours.
      return entry?.status === 'active' ? { status: 'active', key: Buffer.from(entry.key) } : (entry ?? null);
    },
    async destroyKey(clientId, at) {
      const existing = keys.get(clientId);
      if (existing?.status === 'erased') return;
      if (existing) existing.key.fill(0);
      keys.set(clientId, { status: 'erased', erasedAt: new Date(at).toISOString() });
    },
  };
};
