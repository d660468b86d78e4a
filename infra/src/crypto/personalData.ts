import { open, seal } from './aesGcm.js';
import { ClientKeyErasedError, DecryptionError } from './errors.js';
import type { KeyStore } from './keyStore.js';
import type { Sealed } from './sealed.js';

/** Each field of a personal record sealed separately, so a reader can be given only the fields its consent scope covers. */
export type SealedFields<T> = { [K in keyof T]-?: Sealed };

/** What a reader gets once the client's key was destroyed: the fact of erasure, nothing else. */
export interface ErasedMarker {
  erased: true;
  erasedAt: string;
}

export const isErased = (value: unknown): value is ErasedMarker =>
  typeof value === 'object' && value !== null && (value as { erased?: unknown }).erased === true;

export interface FieldOptions {
  /**
   * Context prefixed to every field path in the AAD (e.g. the event type), so a ciphertext moved to
   * another field or another kind of record fails to open. Use the same prefix to decrypt.
   */
  context?: string;
}

// JSON array: unambiguous whatever characters the ids and paths contain.
const fieldAad = (clientId: string, path: string): string => JSON.stringify(['estia:field:v1', clientId, path]);
const pathOf = (options: FieldOptions | undefined, field: string): string =>
  options?.context ? `${options.context}/${field}` : field;

/** Seals every defined field of `data` with an already loaded key (batch use: one key lookup, many records). */
export const sealFields = <T extends object>(
  key: Buffer,
  clientId: string,
  data: T,
  options?: FieldOptions,
): SealedFields<T> => {
  const out: Record<string, Sealed> = {};
  for (const [field, value] of Object.entries(data)) {
    if (value === undefined) continue;
    out[field] = seal(key, Buffer.from(JSON.stringify(value), 'utf8'), fieldAad(clientId, pathOf(options, field)));
  }
  return out as SealedFields<T>;
};

/** Opens every field; throws DecryptionError if any field was tampered with or belongs elsewhere. */
export const openFields = <T extends object>(
  key: Buffer,
  clientId: string,
  sealed: SealedFields<T>,
  options?: FieldOptions,
): T => {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(sealed as Record<string, Sealed>)) {
    const bytes = open(key, value, fieldAad(clientId, pathOf(options, field)));
    try {
      out[field] = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new DecryptionError(`field ${field} is not JSON`, error);
    }
  }
  return out as T;
};

/**
 * Encrypts a client's personal record field by field with the client's data key (created on first
 * use). Refuses (ClientKeyErasedError, 410) once the client is erased: nothing new is kept about them.
 */
export async function encryptPersonal<T extends object>(
  keyStore: KeyStore,
  clientId: string,
  data: T,
  options?: FieldOptions,
): Promise<SealedFields<T>> {
  const current = await keyStore.getKey(clientId);
  if (current?.status === 'erased') throw new ClientKeyErasedError(clientId, current.erasedAt);
  const key = current?.key ?? (await keyStore.createKey(clientId));
  return sealFields(key, clientId, data, options);
}

/** Decrypts a record sealed by encryptPersonal, or returns the erased marker if the key was destroyed. */
export async function decryptPersonal<T extends object>(
  keyStore: KeyStore,
  clientId: string,
  sealed: SealedFields<T>,
  options?: FieldOptions,
): Promise<T | ErasedMarker> {
  const current = await keyStore.getKey(clientId);
  if (current === null) throw new DecryptionError(`no data key exists for client ${clientId}`);
  if (current.status === 'erased') return { erased: true, erasedAt: current.erasedAt };
  return openFields(current.key, clientId, sealed, options);
}
