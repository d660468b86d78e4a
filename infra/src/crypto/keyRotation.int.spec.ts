import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sqlBackends } from '../testing/sqlBackends.js';
import { masterKeyRing, parseKeyEncryptionKey } from './keyEncryptionKey.js';
import { masterKeyUsage, rewrapClientKeys, type RewrapProgress } from './keyRotation.js';
import { decryptPersonal, encryptPersonal } from './personalData.js';
import { createSqlKeyStore } from './sqlKeyStore.js';

const newKek = () => parseKeyEncryptionKey(randomBytes(32).toString('base64'));
const backends = await sqlBackends('rotate');

for (const backend of backends)
  describe.skipIf(backend.skip)(`master key rotation on ${backend.name}`, () => {
    it('re-wraps every client key under the new version; then the old master key can go', async () => {
      const { db, close } = await backend.open();
      try {
        const old = newKek();
        const next = newKek();
        const before = await createSqlKeyStore(db, { kek: old });
        const clients = Array.from({ length: 23 }, () => randomUUID());
        const sealed = new Map<string, unknown>();
        for (const clientId of clients)
          sealed.set(clientId, await encryptPersonal(before, clientId, { name: `person ${clientId.slice(0, 4)}` }));
        const erased = clients[0]!;
        await before.destroyKey(erased, '2025-06-01T00:00:00.000Z');
        const sealedBytes = JSON.stringify([...sealed]);

        // During the rotation every replica knows both: new keys under `next`, old ones still open.
        const ring = masterKeyRing(next, [old]);
        const during = await createSqlKeyStore(db, { kek: ring });
        const lateClient = randomUUID();
        const late = await encryptPersonal(during, lateClient, { name: 'late' });
        expect(await decryptPersonal(during, clients[1]!, sealed.get(clients[1]!) as never)).toEqual({
          name: `person ${clients[1]!.slice(0, 4)}`,
        });

        const progress: RewrapProgress[] = [];
        const result = await rewrapClientKeys(db, ring, { batchSize: 5, onProgress: (p) => progress.push(p) });
        expect(result).toEqual({ rewrapped: 22, total: 22 });
        expect(progress.map((p) => p.done)).toEqual([0, 5, 10, 15, 20, 22]);
        expect(await masterKeyUsage(db)).toEqual([{ version: next.id, keys: 23 }]);
        // Run again: nothing left to do.
        expect(await rewrapClientKeys(db, ring)).toEqual({ rewrapped: 0, total: 0 });

        // The old master key is gone: every client still opens, the erased one stays erased.
        const after = await createSqlKeyStore(db, { kek: next });
        for (const clientId of clients.slice(1))
          expect(await decryptPersonal(after, clientId, sealed.get(clientId) as never)).toEqual({
            name: `person ${clientId.slice(0, 4)}`,
          });
        expect(await decryptPersonal(after, lateClient, late)).toEqual({ name: 'late' });
        expect(await decryptPersonal(after, erased, sealed.get(erased) as never)).toMatchObject({ erased: true });
        // Only the wrapping changed: what the client keys sealed is the same bytes.
        expect(JSON.stringify([...sealed])).toBe(sealedBytes);
        await expect(createSqlKeyStore(db, { kek: old }).then((s) => s.getKey(clients[1]!))).rejects.toMatchObject({
          name: 'DecryptionError',
        });
      } finally {
        await close();
      }
    });

    it('a running store that started before the rotation reloads its master keys on a version it does not know', async () => {
      const { db, close } = await backend.open();
      try {
        const old = newKek();
        const next = newKek();
        let reloads = 0;
        const running = await createSqlKeyStore(db, {
          kek: old,
          reloadKeys: () => {
            reloads++;
            return masterKeyRing(next, [old]);
          },
        });
        const clientId = randomUUID();
        const sealed = await encryptPersonal(running, clientId, { name: 'Ana' });
        await rewrapClientKeys(db, masterKeyRing(next, [old]));
        expect(await decryptPersonal(running, clientId, sealed)).toEqual({ name: 'Ana' });
        expect(reloads).toBe(1);
      } finally {
        await close();
      }
    });

    it('refuses, writing nothing, when a key is wrapped by a master key the ring does not have', async () => {
      const { db, close } = await backend.open();
      try {
        const unknown = newKek();
        await (await createSqlKeyStore(db, { kek: unknown })).createKey(randomUUID());
        const ring = masterKeyRing(newKek(), [newKek()]);
        await expect(rewrapClientKeys(db, ring)).rejects.toThrow(/not configured/);
        expect(await masterKeyUsage(db)).toEqual([{ version: unknown.id, keys: 1 }]);
      } finally {
        await close();
      }
    });
  });
