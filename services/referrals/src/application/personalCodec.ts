import type { EventCodec } from '@estia/infra/commandHandling/handleCommand.js';
import { decryptPersonal, encryptPersonal, type ErasedMarker } from '@estia/infra/crypto/personalData.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isSealed } from '@estia/infra/crypto/sealed.js';

interface EventLike {
  type: string;
  data: unknown;
}

interface WithPersonal {
  clientId?: unknown;
  personal?: Record<string, unknown>;
}

/**
 * Seals `data.personal` of every event with the client's key before it reaches the store (the only
 * way our events are written). The field path in the AAD is `<event type>/<field>`, so a ciphertext
 * cannot be moved to another event or field. Throws (410) once the client is erased.
 */
export const sealPersonalPart = async (keyStore: KeyStore, event: EventLike): Promise<unknown> => {
  const data = event.data as WithPersonal;
  if (typeof data !== 'object' || data === null || data.personal === undefined) return event.data;
  if (typeof data.clientId !== 'string') throw new Error(`${event.type} carries personal data but names no client`);
  const personal = await encryptPersonal(keyStore, data.clientId, data.personal, { context: event.type });
  return { ...data, personal };
};

/**
 * The codec for handleCommand. Decoding does not decrypt: evolve is typed so that it cannot read
 * `personal` (see domain/shared/personal.ts), so folding a stream needs no key and no plaintext.
 */
export const personalEventCodec = <Event extends EventLike>(keyStore: KeyStore): EventCodec<Event> => ({
  decode: (stored) => ({ type: stored.type, data: stored.data }) as Event,
  encode: async (event, metadata) => ({ type: event.type, data: await sealPersonalPart(keyStore, event), metadata }),
});

/**
 * The plaintext personal part of a stored event: undefined when it has none, the erased marker when
 * the client's key was destroyed. Throws DecryptionError if it was tampered with.
 */
export const openPersonalPart = async <P extends object>(
  keyStore: KeyStore,
  event: EventLike,
): Promise<P | ErasedMarker | undefined> => {
  const data = event.data as WithPersonal;
  if (typeof data !== 'object' || data === null || data.personal === undefined) return undefined;
  if (typeof data.clientId !== 'string') throw new Error(`${event.type} carries personal data but names no client`);
  return decryptPersonal<P>(keyStore, data.clientId, data.personal as never, { context: event.type });
};

/** True if every value under `data.personal` is sealed: the invariant the log must always satisfy. */
export const personalPartIsSealed = (event: EventLike): boolean => {
  const personal = (event.data as WithPersonal | null)?.personal;
  return personal === undefined || Object.values(personal).every(isSealed);
};
