import type { EventEnvelope } from '@estia/contracts';

const ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'dataschema',
  'correlationid',
  'causationid',
  'actororganisation',
  'actoruser',
  'schemaversion',
] as const;

/**
 * CloudEvents Kafka binding, structured mode: the envelope is the JSON value, and its attributes are
 * repeated as `ce_*` headers so that brokers' tooling can route and filter without parsing the value.
 */
export function cloudEventHeaders(envelope: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json; charset=utf-8' };
  const record = envelope as unknown as Record<string, unknown>;
  for (const name of ATTRIBUTES) {
    const value = record[name];
    if (value !== undefined && value !== null) headers[`ce_${name}`] = String(value);
  }
  return headers;
}
