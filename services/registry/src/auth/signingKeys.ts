import { TOKEN_ALGORITHM } from '@estia/infra/auth/tokenVerifier.js';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * ES256 signing keys with rotation. The JWKS publishes the current and the previous public key, so
 * tokens signed just before a rotation still verify until they expire (tokens live 10 minutes; rotate
 * no more often than that). `kid` is the RFC 7638 thumbprint: stable, derived, never guessed.
 */
export const ALG = TOKEN_ALGORITHM;

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: string;
}

export interface KeyRing {
  current: SigningKey;
  previous: SigningKey | null;
}

export const generateSigningKey = async (now: string): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
    createdAt: now,
  };
};

export const createKeyRing = async (now: string): Promise<KeyRing> => ({
  current: await generateSigningKey(now),
  previous: null,
});

/** The old current key stays published as `previous`; the one before it is dropped. */
export const rotateKeyRing = async (ring: KeyRing, now: string): Promise<KeyRing> => ({
  current: await generateSigningKey(now),
  previous: ring.current,
});

export const publicJwks = (ring: KeyRing): { keys: JWK[] } => ({
  keys: [ring.current.publicJwk, ...(ring.previous ? [ring.previous.publicJwk] : [])],
});

export const privateKeyOf = async (key: SigningKey): Promise<CryptoKey> =>
  (await importJWK(key.privateJwk, ALG)) as CryptoKey;

/** For persistence (a 0600 file or a secrets store): the private JWKs, as JSON. */
export const serialiseKeyRing = (ring: KeyRing): string => JSON.stringify(ring);

export const parseKeyRing = (json: string): KeyRing => {
  const ring = JSON.parse(json) as KeyRing;
  if (!ring?.current?.kid || !ring.current.privateJwk?.d) throw new Error('key ring file has no current private key');
  return ring;
};
