import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '../generated/eventCatalogue.js';
import { listEventSchemaFiles } from '../schemas/schemaFiles.js';
import { sampleData, sampleEnvelope } from '../testing/sampleEvents.js';
import { getEventAjv } from './eventAjv.js';
import {
  EventValidationError,
  assertValidEvent,
  eventErrors,
  schemaFor,
  validateEnvelope,
  validateEventData,
} from './validateEvent.js';

const membership = 'estia.registry.organisation.membership-changed.v1';
const validMembership = () =>
  sampleEnvelope(membership, sampleData[membership]!, sampleData[membership]!.organisationId);

describe('event schemas', () => {
  it('every schema file compiles with ajv 2020-12 in strict mode', () => {
    const files = listEventSchemaFiles();
    expect(files.length).toBe(EVENT_TYPES.length + 2);
    for (const f of files) expect(getEventAjv().getSchema(f.id), f.relPath).toBeTypeOf('function');
  });

  it('every event type has a schema whose $id is the stable URI', () => {
    for (const type of EVENT_TYPES) expect(schemaFor(type).$id).toMatch(/^https:\/\/estia\.network\/schemas\/events\//);
  });

  it.each(Object.keys(sampleData) as EventType[])('a valid %s event passes', (type) => {
    const data = sampleData[type]!;
    const envelope = sampleEnvelope(type, data as never, 'agg-1');
    expect(eventErrors(envelope)).toEqual([]);
    expect(() => assertValidEvent(envelope)).not.toThrow();
  });
});

describe('refusals name the failing field', () => {
  it('a wrong enum value in data', () => {
    const envelope = sampleEnvelope(
      'estia.referrals.client.candidate-profile-shared.v1',
      {
        ...sampleData['estia.referrals.client.candidate-profile-shared.v1']!,
        legalStatus: { status: 'tourist' as never },
      },
      'c',
    );
    expect(() => assertValidEvent(envelope)).toThrow(
      '/data/legalStatus/status must be one of asylum_seeker, refugee, subsidiary_protection, resettled, humanitarian_admission, other',
    );
  });

  it('a missing data field, pointed at the field itself', () => {
    const { mayExchange: _drop, ...data } = sampleData[membership]!;
    const result = validateEventData(membership, data);
    expect(result).toEqual({ valid: false, errors: [{ pointer: '/mayExchange', detail: 'is required' }] });
  });

  it('an envelope without subject and with a bad specversion', () => {
    const { subject: _drop, ...envelope } = { ...validMembership(), specversion: '0.3' };
    const result = validateEnvelope(envelope);
    expect(result.valid).toBe(false);
    if (!result.valid) {
      expect(result.errors).toContainEqual({ pointer: '/subject', detail: 'is required' });
      expect(result.errors).toContainEqual({ pointer: '/specversion', detail: 'must be "1.0"' });
    }
  });

  it('an extension attribute that is not lowercase alphanumeric is not allowed', () => {
    const result = validateEnvelope({ ...validMembership(), correlation_id: 'x' });
    expect(result).toMatchObject({ valid: false, errors: [{ pointer: '/correlation_id', detail: 'is not allowed' }] });
  });

  it('dataschema and schemaversion must agree with the type', () => {
    const envelope = { ...validMembership(), dataschema: 'https://example.org/x', schemaversion: 2 };
    expect(eventErrors(envelope).map((e) => e.pointer)).toEqual(['/dataschema', '/schemaversion']);
  });

  it('an unknown event type', () => {
    const envelope = { ...validMembership(), type: 'estia.registry.organisation.renamed.v1' };
    expect(eventErrors(envelope)).toEqual([
      { pointer: '/type', detail: expect.stringContaining('not a known event type') },
    ]);
  });

  it('a rejected referral needs a reason code; a completed one an outcome', () => {
    const type = 'estia.referrals.referral.status-changed.v1';
    const { reasonCode: _r, ...rejected } = sampleData[type]!;
    expect(validateEventData(type, rejected)).toMatchObject({ valid: false, errors: [{ pointer: '/reasonCode' }] });
    expect(validateEventData(type, { ...rejected, status: 'completed' })).toMatchObject({
      valid: false,
      errors: [{ pointer: '/outcome', detail: 'is required' }],
    });
    expect(validateEventData(type, { ...rejected, status: 'completed', outcome: 'need_met' }).valid).toBe(true);
  });

  it('coordinates out of range are refused', () => {
    const type = 'estia.referrals.client.candidate-profile-shared.v1';
    const data = sampleData[type]!;
    const result = validateEventData(type, {
      ...data,
      location: { ...data.location, coordinates: { lat: 91, lon: 0 } },
    });
    expect(result).toMatchObject({
      valid: false,
      errors: [{ pointer: '/location/coordinates/lat', detail: 'must be <= 90' }],
    });
  });

  it('assertValidEvent throws a typed error carrying {pointer, detail}[]', () => {
    const envelope = { ...validMembership(), data: { ...sampleData[membership]!, kind: 'club' } };
    try {
      assertValidEvent(envelope);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EventValidationError);
      expect((e as EventValidationError).code).toBe('SCHEMA_VIOLATION');
      expect((e as EventValidationError).errors).toEqual([
        { pointer: '/data/kind', detail: expect.stringMatching(/^must be one of ngo, municipality/) },
      ]);
    }
  });
});
