import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleData } from '@estia/contracts/testing/sampleEvents.js';
import type { OrganisationMembershipChangedV1 } from '@estia/contracts';
import type { StoredEvent } from '../eventStore/types.js';
import { facetEventId, publicEvent } from './publicEvent.js';

const type = 'estia.registry.organisation.membership-changed.v1' as const;
const data = sampleData[type]!;
const stored: StoredEvent = {
  id: randomUUID(),
  streamId: `organisation-${data.organisationId}`,
  revision: 1,
  position: 42,
  type: 'OrganisationApproved',
  data: {},
  metadata: { correlationId: 'req-1', causationId: 'req-1', actor: { organisationId: 'network', userId: 'u-1' } },
  recordedAt: '2025-03-01T10:00:00.000Z',
  hash: 'x',
};

describe('publicEvent', () => {
  it('builds a valid CloudEvents envelope about the aggregate, keyed by its stream, with the stored id', () => {
    const message = publicEvent(stored, type, data.organisationId, data);
    expect(message.topic).toBe('estia.registry');
    expect(message.key).toBe(stored.streamId);
    expect(message.envelope.subject).toBe(data.organisationId);
    expect(message.envelope).toMatchObject({
      id: stored.id,
      source: '/estia/registry',
      type,
      subject: data.organisationId,
      time: stored.recordedAt,
      correlationid: 'req-1',
      actororganisation: 'network',
      actoruser: 'u-1',
      schemaversion: 1,
    });
  });

  it('a second public event of the same stored event gets its own id, the same on every republish', () => {
    const first = publicEvent(stored, type, data.organisationId, data, { facet: 'holder', key: 'k-1' });
    const again = publicEvent(stored, type, data.organisationId, data, { facet: 'holder', key: 'k-1' });
    expect(first.envelope.id).toBe(again.envelope.id);
    expect(first.envelope.id).not.toBe(stored.id);
    expect(first.envelope.id).not.toBe(facetEventId(stored.id, 'other'));
    expect(first.envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.key).toBe('k-1');
  });

  it('refuses data that breaks the contract, naming the field', () => {
    const bad = { ...data, kind: 'club' } as unknown as OrganisationMembershipChangedV1;
    expect(() => publicEvent(stored, type, data.organisationId, bad)).toThrow(/kind/);
  });
});
