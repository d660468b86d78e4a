import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyStore } from './keyStore.js';

/** The behaviour every KeyStore adapter must show; run by each adapter's spec. */
export function describeKeyStoreContract(
  name: string,
  open: () => Promise<{ store: KeyStore; close: () => Promise<void> }>,
): void {
  describe(`KeyStore contract: ${name}`, () => {
    const withStore = async (fn: (store: KeyStore) => Promise<void>): Promise<void> => {
      const { store, close } = await open();
      try {
        await fn(store);
      } finally {
        await close();
      }
    };

    it('knows no key before one is created', () =>
      withStore(async (store) => {
        expect(await store.getKey(randomUUID())).toBeNull();
      }));

    it('creates a 32-byte key once and returns the same key afterwards', () =>
      withStore(async (store) => {
        const clientId = randomUUID();
        const key = await store.createKey(clientId);
        expect(key.byteLength).toBe(32);
        expect((await store.createKey(clientId)).equals(key)).toBe(true);
        const got = await store.getKey(clientId);
        expect(got?.status === 'active' && got.key.equals(key)).toBe(true);
      }));

    it('gives different clients different keys', () =>
      withStore(async (store) => {
        const a = await store.createKey(randomUUID());
        const b = await store.createKey(randomUUID());
        expect(a.equals(b)).toBe(false);
      }));

    it('hands concurrent creators one and the same key', () =>
      withStore(async (store) => {
        const clientId = randomUUID();
        const keys = await Promise.all([1, 2, 3, 4].map(() => store.createKey(clientId)));
        for (const key of keys) expect(key.equals(keys[0]!)).toBe(true);
      }));

    it('destroys a key, keeps a tombstone with the first erasure time, and never re-creates it', () =>
      withStore(async (store) => {
        const clientId = randomUUID();
        await store.createKey(clientId);
        await store.destroyKey(clientId, '2025-03-01T10:00:00.000Z');
        await store.destroyKey(clientId, new Date('2025-04-01T10:00:00.000Z'));
        expect(await store.getKey(clientId)).toEqual({ status: 'erased', erasedAt: '2025-03-01T10:00:00.000Z' });
        await expect(store.createKey(clientId)).rejects.toMatchObject({ code: 'GONE' });
      }));

    it('records a tombstone even for a client that never had a key', () =>
      withStore(async (store) => {
        const clientId = randomUUID();
        await store.destroyKey(clientId, '2025-03-01T10:00:00.000Z');
        expect(await store.getKey(clientId)).toEqual({ status: 'erased', erasedAt: '2025-03-01T10:00:00.000Z' });
        await expect(store.createKey(clientId)).rejects.toMatchObject({ code: 'GONE' });
      }));

    it('leaves other clients untouched by an erasure', () =>
      withStore(async (store) => {
        const [a, b] = [randomUUID(), randomUUID()];
        const keyB = await store.createKey(b);
        await store.createKey(a);
        await store.destroyKey(a, '2025-03-01T10:00:00.000Z');
        const got = await store.getKey(b);
        expect(got?.status === 'active' && got.key.equals(keyB)).toBe(true);
      }));
  });
}
