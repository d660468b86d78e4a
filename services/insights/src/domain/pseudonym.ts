import { createHmac } from 'node:crypto';
import { AppError } from '@estia/infra/errors/appError.js';

/**
 * Client ids become keyed-HMAC pseudonyms before they reach a fact: without the key nobody can link a
 * pseudonym to a client id, and the key never leaves this service. The pseudonyms only join the events of
 * one person inside the read model, so a read model rebuilt under a new key gives the same figures.
 */
export const createPseudonymiser = (key: Buffer): ((clientId: string) => string) => {
  if (key.length < 32) throw new AppError('INTERNAL', 'the pseudonym key must be at least 32 bytes');
  return (clientId) => createHmac('sha256', key).update(clientId).digest('base64url').slice(0, 27);
};
