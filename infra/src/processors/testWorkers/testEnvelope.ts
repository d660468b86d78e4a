import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@estia/contracts';
import type { StoredEvent } from '../../eventStore/types.js';
import type { RelayMapper } from '../relay.js';

/** A well-formed CloudEvents envelope for bus tests; `data.seq` orders messages of one key. */
export const testEnvelope = (
  subject: string,
  data: Record<string, unknown>,
  id: string = randomUUID(),
): EventEnvelope => ({
  specversion: '1.0',
  id,
  source: '/estia/registry',
  type: 'estia.registry.test.happened.v1',
  subject,
  time: new Date().toISOString(),
  datacontenttype: 'application/json',
  dataschema: 'https://estia.network/schemas/events/registry/test.happened.v1.schema.json',
  correlationid: id,
  causationid: id,
  actororganisation: 'system',
  schemaversion: 1,
  data,
});

/** The test stand-in for `client.erased`: the relay makes the bus forget the stream's earlier messages. */
export const TEST_ERASED_TYPE = 'public.erased';

/** Maps every stored event whose type starts with `public.` to `topic`; the rest is private. */
export const testRelayMapper =
  (topic: string): RelayMapper =>
  (event: StoredEvent) =>
    event.type.startsWith('public.')
      ? {
          topic,
          key: event.streamId,
          envelope: testEnvelope(event.streamId, event.data as Record<string, unknown>, event.id),
          ...(event.type === TEST_ERASED_TYPE ? { forgetEarlier: true as const } : {}),
        }
      : null;

/** The consumer-side effect table the contract suite counts: one row per handler run. */
export const EFFECTS_DDL = `CREATE TABLE IF NOT EXISTS effects (event_id TEXT NOT NULL, subject TEXT NOT NULL, seq INTEGER NOT NULL)`;
