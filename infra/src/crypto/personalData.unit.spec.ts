import { describe, expect, it } from 'vitest';
import { isDecryptionError } from './errors.js';
import { createMemoryKeyStore } from './memoryKeyStore.js';
import { decryptPersonal, encryptPersonal, isErased, type SealedFields } from './personalData.js';
import type { Sealed } from './sealed.js';

interface Person {
  givenName: string;
  dateOfBirth: string;
  languages: { code: string; level: string }[];
  phone?: string | null;
}

const person: Person = {
  givenName: 'Amira Ḥaddād',
  dateOfBirth: '1990-05-04',
  languages: [{ code: 'ar', level: 'C2' }],
  phone: null,
};

const flipFirstByte = (b64: string): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64');
};

const expectDecryptionError = async (promise: Promise<unknown>): Promise<void> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDecryptionError(error), `expected DecryptionError, got ${String(error)}`).toBe(true);
};

describe('encryptPersonal / decryptPersonal', () => {
  it('round-trips a record field by field, with no plaintext in the sealed form', async () => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', person);
    expect(Object.keys(sealed).sort()).toEqual(['dateOfBirth', 'givenName', 'languages', 'phone']);
    expect(sealed.givenName).toMatchObject({ v: 1 });
    const json = JSON.stringify(sealed);
    expect(json).not.toContain('Amira');
    expect(json).not.toContain('1990-05-04');
    expect(await decryptPersonal(keys, 'client-1', sealed)).toEqual(person);
  });

  it('uses a fresh IV each time, so equal values do not look equal', async () => {
    const keys = createMemoryKeyStore();
    const a = await encryptPersonal(keys, 'client-1', { givenName: 'Ali' });
    const b = await encryptPersonal(keys, 'client-1', { givenName: 'Ali' });
    expect(a.givenName.iv).not.toBe(b.givenName.iv);
    expect(a.givenName.ct).not.toBe(b.givenName.ct);
  });

  it.each(['ct', 'tag', 'iv'] as const)('refuses a record whose %s was tampered with', async (part) => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', person);
    const tampered: SealedFields<Person> = {
      ...sealed,
      givenName: { ...sealed.givenName, [part]: flipFirstByte(sealed.givenName[part]) },
    };
    await expectDecryptionError(decryptPersonal(keys, 'client-1', tampered));
  });

  it("refuses another client's ciphertext even when both keys are available (AAD binds the client)", async () => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', person);
    await encryptPersonal(keys, 'client-2', person);
    await expectDecryptionError(decryptPersonal(keys, 'client-2', sealed));
  });

  it('refuses a ciphertext moved to another field or read under another context', async () => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', person, { context: 'ClientRegistered' });
    const swapped = { ...sealed, givenName: sealed.dateOfBirth, dateOfBirth: sealed.givenName };
    await expectDecryptionError(decryptPersonal(keys, 'client-1', swapped, { context: 'ClientRegistered' }));
    await expectDecryptionError(decryptPersonal(keys, 'client-1', sealed, { context: 'MessagePosted' }));
    expect(await decryptPersonal(keys, 'client-1', sealed, { context: 'ClientRegistered' })).toEqual(person);
  });

  it('refuses a value that is not a known sealed format', async () => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', { givenName: 'Ali' });
    const v2 = { givenName: { ...sealed.givenName, v: 2 } as unknown as Sealed };
    await expectDecryptionError(decryptPersonal(keys, 'client-1', v2));
  });

  it('returns the erased marker after the key is destroyed, and refuses to seal anything new', async () => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', person);
    await keys.destroyKey('client-1', '2025-06-01T12:00:00.000Z');
    const result = await decryptPersonal(keys, 'client-1', sealed);
    expect(result).toEqual({ erased: true, erasedAt: '2025-06-01T12:00:00.000Z' });
    expect(isErased(result)).toBe(true);
    await expect(encryptPersonal(keys, 'client-1', person)).rejects.toMatchObject({ code: 'GONE' });
  });

  it('treats ciphertext for a client without any key as an integrity fault, not as erasure', async () => {
    const keys = createMemoryKeyStore();
    const sealed = await encryptPersonal(keys, 'client-1', person);
    await expectDecryptionError(decryptPersonal(createMemoryKeyStore(), 'client-1', sealed));
  });
});
