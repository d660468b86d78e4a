import { randomBytes, randomUUID } from 'node:crypto';
import type { EventDataByType, EventType } from '@estia/contracts';
import type { TestIssuer } from '@estia/infra/auth/testIssuer.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { publicEvent } from '@estia/infra/processors/publicEvent.js';
import type { Projector } from '@estia/infra/projections/projector.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferralsApplication } from '../application/referralsApplication.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged } from '../testing/registryEvents.js';
import { applyMatchingEvent } from './matchingConsumer.js';
import { placementsOf } from './placementQueries.js';

const ORG_A = randomUUID();
const EMPLOYER = randomUUID();
const actorA = { actor: { organisationId: ORG_A, userId: 'officer-a', roles: ['referral_officer' as const] } };

let position = 0;
/** A matching event as matching's relay would publish it: a stored event through infra's publicEvent. */
function matchingEnvelope<T extends EventType>(type: T, subject: string, data: EventDataByType[T]) {
  const stored: StoredEvent = {
    id: randomUUID(),
    streamId: `matching-${subject}`,
    revision: 0,
    position: ++position,
    type: 'PrivateMatchingEvent',
    data: {},
    metadata: { correlationId: randomUUID(), causationId: null, actor: { organisationId: EMPLOYER, userId: 'coach' } },
    recordedAt: '2025-05-01T10:00:00.000Z',
    hash: '0'.repeat(64),
  } as unknown as StoredEvent;
  return publicEvent(stored, type, subject, data).envelope;
}

describe('placements from matching on the client overview (issue 7)', () => {
  let h: ReferralsHarness | undefined;
  let db: SqlDatabase;
  let projector: Projector;
  let http: FastifyInstance;
  let issuer: TestIssuer;
  let app: ReferralsApplication;

  beforeAll(async () => {
    h = await startReferralsHarness({ name: 'placements', facts: [membershipChanged(ORG_A)], logLevel: 'warn' });
    ({ db, projector, http, issuer, app } = h);
  });

  afterAll(async () => h?.close());

  const registered = async (): Promise<string> => {
    const clientId = randomUUID();
    const result = await app.registerClient(actorA, {
      clientId,
      personal: {
        givenNames: `Amira${randomBytes(3).toString('hex')}`,
        familyName: 'Haddad',
        dateOfBirth: '1990-05-04',
        nationalities: ['SY'],
        languages: [{ language: 'ar', level: 'C2' }],
        legalStatus: { status: 'refugee' },
      } as never,
      confirmedNew: true,
    });
    await projector.waitFor(result.lastPosition!);
    return clientId;
  };

  const caseOf = (clientId: string) => {
    const applicationId = randomUUID();
    const opportunityId = randomUUID();
    const placementId = randomUUID();
    const common = { applicationId, opportunityId, clientId, employerOrganisationId: EMPLOYER } as const;
    return {
      applicationId,
      placementId,
      interview: matchingEnvelope('estia.matching.application.status-changed.v1', applicationId, {
        ...common,
        opportunityKind: 'job',
        previousStatus: 'application_sent',
        status: 'interview',
        changedAt: '2025-03-10T09:00:00.000Z',
      }),
      offer: matchingEnvelope('estia.matching.application.status-changed.v1', applicationId, {
        ...common,
        opportunityKind: 'job',
        previousStatus: 'interview',
        status: 'offer',
        changedAt: '2025-03-20T09:00:00.000Z',
      }),
      hired: matchingEnvelope('estia.matching.placement.hired.v1', placementId, {
        ...common,
        placementId,
        opportunityKind: 'job',
        occupation: { iscoCode: '5120' },
        startDate: '2025-04-01',
        hoursPerWeek: 30,
        contractType: 'fixed_term',
        hiredAt: '2025-03-25T09:00:00.000Z',
      }),
      month1: matchingEnvelope('estia.matching.placement.follow-up-recorded.v1', placementId, {
        placementId,
        clientId,
        employerOrganisationId: EMPLOYER,
        monthsAfterStart: 1,
        stillEmployed: true,
        recordedAt: '2025-05-01T09:00:00.000Z',
      }),
      month3: matchingEnvelope('estia.matching.placement.follow-up-recorded.v1', placementId, {
        placementId,
        clientId,
        employerOrganisationId: EMPLOYER,
        monthsAfterStart: 3,
        stillEmployed: false,
        reasonCode: 'contract_ended_early',
        recordedAt: '2025-07-01T09:00:00.000Z',
      }),
    };
  };

  const deliver = (envelopes: ReturnType<typeof matchingEnvelope>[]) =>
    db.transaction(async (tx) => {
      for (const envelope of envelopes) await applyMatchingEvent(tx, envelope);
    });

  it('shows the application, the hire and its follow-ups on the overview; redelivery changes nothing', async () => {
    const clientId = await registered();
    const c = caseOf(clientId);
    await deliver([c.interview, c.offer, c.hired, c.month1, c.month3]);

    const response = await http.inject({
      method: 'GET',
      url: `/v1/clients/${clientId}`,
      headers: { authorization: `Bearer ${await issuer.sign({ organisationId: ORG_A, roles: ['referral_officer'] })}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const overview = response.json<{ placements: unknown[] }>();
    expect(overview.placements).toEqual([
      {
        applicationId: c.applicationId,
        opportunityId: expect.any(String),
        employerOrganisationId: EMPLOYER,
        opportunityKind: 'job',
        status: 'hired',
        reasonCode: null,
        statusChangedAt: '2025-03-25T09:00:00.000Z',
        placement: {
          placementId: c.placementId,
          startDate: '2025-04-01',
          hiredAt: '2025-03-25T09:00:00.000Z',
          hoursPerWeek: 30,
          contractType: 'fixed_term',
          occupation: { iscoCode: '5120' },
          followUps: [
            { monthsAfterStart: 1, stillEmployed: true, reasonCode: null, recordedAt: '2025-05-01T09:00:00.000Z' },
            {
              monthsAfterStart: 3,
              stillEmployed: false,
              reasonCode: 'contract_ended_early',
              recordedAt: '2025-07-01T09:00:00.000Z',
            },
          ],
        },
      },
    ]);

    // The bus delivers at least once, and across keys in any order: the same facts, the same case.
    await deliver([c.month3, c.hired, c.interview, c.month1, c.offer]);
    expect(await placementsOf(db, clientId)).toEqual(overview.placements);
    const [{ n }] = (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rf_placements WHERE client_id = $1', [
      clientId,
    ])) as [{ n: number }];
    expect(Number(n)).toBe(1);
  });

  it('keeps the latest status when an older change arrives after a newer one', async () => {
    const clientId = await registered();
    const c = caseOf(clientId);
    // The follow-up overtakes its hire (different bus keys): it waits for it by placement id.
    await deliver([c.month1, c.hired, c.interview]);
    const [row] = await placementsOf(db, clientId);
    expect(row?.status).toBe('hired');
    expect(row?.placement?.followUps.map((f) => f.monthsAfterStart)).toEqual([1]);
  });

  it('erasure purges the placements, and a hire published after it is not recorded', async () => {
    const clientId = await registered();
    const c = caseOf(clientId);
    await deliver([c.interview, c.hired, c.month1]);
    expect(await placementsOf(db, clientId)).toHaveLength(1);

    const erased = await app.eraseClient(
      { actor: { ...actorA.actor, roles: ['data_protection_officer'] } },
      { clientId, reason: { code: 'data_subject_request' } },
    );
    await projector.waitFor(erased.lastPosition!);
    const rowsOf = async (table: string) =>
      (await db.query(`SELECT * FROM ${table} WHERE client_id = $1`, [clientId])).length;
    expect(await rowsOf('rf_placements')).toBe(0);
    expect(await rowsOf('rf_placement_follow_ups')).toBe(0);

    // Matching had not seen the erasure yet: its late events leave nothing behind.
    await deliver([caseOf(clientId).hired, c.month3]);
    expect(await rowsOf('rf_placements')).toBe(0);
    expect(await rowsOf('rf_placement_follow_ups')).toBe(0);
  });

  it('zeroes deleted bytes in the read-model file from the start (secure_delete)', async () => {
    const [row] = await db.query<{ secure_delete: number }>('PRAGMA secure_delete');
    expect(Number(row?.secure_delete)).toBe(1);
  });
});
