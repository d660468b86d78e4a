import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@estia/contracts';
import { cloudEventHeaders } from './cloudEventHeaders.js';

describe('cloudEventHeaders', () => {
  it('repeats the CloudEvents attributes as ce_ headers and leaves absent ones out', () => {
    const envelope = {
      specversion: '1.0',
      id: '5f0c8f3e-1b7a-4c55-9b8e-2d2f6b0f5a11',
      source: '/estia/registry',
      type: 'estia.registry.service.published.v1',
      subject: 'svc-1',
      time: '2026-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'https://estia.network/schemas/events/registry/service.published.v1.schema.json',
      correlationid: 'c-1',
      causationid: 'k-1',
      actororganisation: 'system',
      schemaversion: 1,
      data: {},
    } as EventEnvelope;
    const headers = cloudEventHeaders(envelope);
    expect(headers).toMatchObject({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      ce_id: envelope.id,
      ce_type: 'estia.registry.service.published.v1',
      ce_subject: 'svc-1',
      ce_schemaversion: '1',
    });
    expect(headers).not.toHaveProperty('ce_actoruser');
    expect(headers).not.toHaveProperty('ce_data');
  });
});
