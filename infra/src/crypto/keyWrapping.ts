import { randomBytes } from 'node:crypto';
import { open, seal } from './aesGcm.js';
import type { KeyEncryptionKey } from './keyEncryptionKey.js';
import type { Sealed } from './sealed.js';

// The client id is the AAD: a wrapped key copied onto another client's row does not unwrap.
const wrapContext = (clientId: string): string => `estia:client-key:v1:${clientId}`;

export const newDataKey = (): Buffer => randomBytes(32);

export const wrapKey = (kek: KeyEncryptionKey, clientId: string, dataKey: Buffer): Sealed =>
  seal(kek.bytes, dataKey, wrapContext(clientId));

export const unwrapKey = (kek: KeyEncryptionKey, clientId: string, wrapped: Sealed): Buffer =>
  open(kek.bytes, wrapped, wrapContext(clientId));
