import { createHash } from 'node:crypto';

/**
 * HSDS requires UUIDs for every object, including ones the registry does not store as entities
 * (languages, schedules, service areas, taxonomy terms). UUID v5 (RFC 9562) of a stable name gives
 * the same id on every rebuild and on every replica.
 */
const NAMESPACE = Buffer.from('6f1c5e52a3f44d0f9a8a6e3b0e5d2c11', 'hex');

export const uuidV5 = (name: string): string => {
  const bytes = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const locationUuid = (serviceId: string, locationKey: string): string =>
  uuidV5(`service/${serviceId}/location/${locationKey}`);
export const taxonomyTermUuid = (termId: string): string => uuidV5(`taxonomy-term/${termId}`);
export const serviceAtLocationUuid = (serviceId: string, locationId: string): string =>
  uuidV5(`sal/${serviceId}/${locationId}`);
