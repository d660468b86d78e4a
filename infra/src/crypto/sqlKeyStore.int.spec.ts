import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sqlBackends } from '../testing/sqlBackends.js';
import { parseKeyEncryptionKey } from './keyEncryptionKey.js';
import { describeKeyStoreContract } from './keyStoreContract.js';
import { decryptPersonal, encryptPersonal } from './personalData.js';
import { createSqlKeyStore } from './sqlKeyStore.js';

const newKek = () => parseKeyEncryptionKey(randomBytes(32).toString('base64'));
const backends = await sqlBackends('keys');

for (const backend of backends) {
  describe.skipIf(backend.skip)(`SqlKeyStore on ${backend.name}`, () => {
    describeKeyStoreContract(backend.name, async () => {
      const { db, close } = await backend.open();
      return { store: await createSqlKeyStore(db, { kek: newKek() }), close };
    });

    it('stores only wrapped keys: the table alone (or with another master key) opens nothing', async () => {
      const { db, close } = await backend.open();
      try {
        const kek = newKek();
        const store = await createSqlKeyStore(db, { kek });
        const key = await store.createKey('client-1');
        const [row] = await db.query<{ wrapped_key: string }>(
          'SELECT wrapped_key FROM estia_client_keys WHERE client_id = $1',
          ['client-1'],
        );
        expect(row!.wrapped_key).not.toContain(key.toString('base64'));
        expect(row!.wrapped_key).not.toContain(key.toString('hex'));

        const otherMaster = await createSqlKeyStore(db, { kek: newKek() });
        await expect(otherMaster.getKey('client-1')).rejects.toMatchObject({ name: 'DecryptionError' });
      } finally {
        await close();
      }
    });

    it("refuses a wrapped key copied onto another client's row", async () => {
      const { db, close } = await backend.open();
      try {
        const store = await createSqlKeyStore(db, { kek: newKek() });
        await store.createKey('client-a');
        await store.createKey('client-b');
        await db.execute(
          `UPDATE estia_client_keys SET wrapped_key = (SELECT wrapped_key FROM estia_client_keys WHERE client_id = $1) WHERE client_id = $2`,
          ['client-a', 'client-b'],
        );
        await expect(store.getKey('client-b')).rejects.toMatchObject({ name: 'DecryptionError' });
      } finally {
        await close();
      }
    });

    it('overwrites the wrapped key on destroy and makes earlier ciphertext unreadable', async () => {
      const { db, close } = await backend.open();
      try {
        const kek = newKek();
        const store = await createSqlKeyStore(db, { kek });
        const clientId = randomUUID();
        const sealed = await encryptPersonal(store, clientId, { name: 'Ana' });
        await store.destroyKey(clientId, '2025-06-01T00:00:00.000Z');
        const rows = await db.query<{ wrapped_key: string | null; kek_id: string | null; erased_at: string }>(
          'SELECT wrapped_key, kek_id, erased_at FROM estia_client_keys WHERE client_id = $1',
          [clientId],
        );
        expect(rows).toEqual([{ wrapped_key: null, kek_id: null, erased_at: '2025-06-01T00:00:00.000Z' }]);
        // A fresh store over the same table (a restarted process) sees the erasure too.
        const restarted = await createSqlKeyStore(db, { kek });
        expect(await decryptPersonal(restarted, clientId, sealed)).toEqual({
          erased: true,
          erasedAt: '2025-06-01T00:00:00.000Z',
        });
      } finally {
        await close();
      }
    });
  });
}
