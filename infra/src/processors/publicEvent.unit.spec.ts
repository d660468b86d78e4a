import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleData } from '@estia/contracts/testing/sampleEvents.js';
import type { OrganisationMembershipChangedV1 } from '@estia/contracts';
import type { StoredEvent } from '../eventStore/types.js';
import { publicEvent } from './publicEvent.js';

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

  it('refuses data that breaks the contract, naming the field', () => {
    const bad = { ...data, kind: 'club' } as unknown as OrganisationMembershipChangedV1;
    expect(() => publicEvent(stored, type, data.organisationId, bad)).toThrow(/kind/);
  });
});
