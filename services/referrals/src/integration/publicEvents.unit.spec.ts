import { randomUUID } from 'node:crypto';
import { eventErrors } from '@estia/contracts';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { describe, expect, it } from 'vitest';
import { clientDecider, type ClientEvent } from '../domain/clients/clientDecider.js';
import { needsDecider } from '../domain/needs/needsDecider.js';
import { referralDecider } from '../domain/referrals/referralDecider.js';
import type { ReferralEvent } from '../domain/referrals/referralTypes.js';
import type { Actor } from '../domain/shared/actor.js';
import { referralsRelayMapper, toPublicEvent } from './publicEvents.js';

const now = '2025-06-01T10:00:00.000Z';
const clientId = randomUUID();
const referralId = randomUUID();
const orgA = randomUUID();
const orgB = randomUUID();
const officerA: Actor = { organisationId: orgA, userId: 'u-a', roles: ['referral_officer'] };
const officerB: Actor = { organisationId: orgB, userId: 'u-b', roles: ['referral_officer'] };

const stored = (event: { type: string; data: unknown }, revision = 0): StoredEvent => ({
  id: randomUUID(),
  streamId: 's',
  revision,
  position: revision + 1,
  type: event.type,
  data: event.data,
  metadata: { actor: { organisationId: orgA, userId: 'u-a' }, correlationId: randomUUID() },
  recordedAt: now,
  hash: '0'.repeat(64),
});

// Events produced by the real deciders, so the test follows the domain as it changes.
const decideAll = <S, C, E>(
  decider: { initialState: () => S; decide: (c: C, s: S) => E[]; evolve: (s: S, e: E) => S },
  commands: C[],
) => {
  const events: E[] = [];
  let state = decider.initialState();
  for (const command of commands)
    for (const event of decider.decide(command, state)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  return events;
};

const clientEvents: ClientEvent[] = decideAll(clientDecider, [
  {
    type: 'RegisterClient',
    clientId,
    now,
    actor: officerA,
    organisation: { approved: true },
    duplicateReview: { candidates: [], confirmedNew: true },
    personal: {
      givenNames: 'Amira',
      familyName: 'Haddad',
      dateOfBirth: '1990-05-04',
      nationalities: ['SY'],
      languages: [],
      legalStatus: { status: 'refugee' },
    },
  },
  {
    type: 'GiveConsent',
    clientId,
    now,
    actor: officerA,
    consentId: randomUUID(),
    purpose: 'referral',
    recipient: { serviceCategory: 'housing' },
    scope: ['needs'],
    method: 'written',
    expiresAt: null,
  },
]);
const consentId = (clientEvents[1]!.data as { consentId: string }).consentId;

const referralEvents: ReferralEvent[] = decideAll(referralDecider, [
  {
    type: 'SendReferral',
    referralId,
    now,
    actor: officerA,
    actorOrganisation: { mayExchange: true },
    clientId,
    receiver: { organisationId: orgB, mayExchange: true },
    serviceId: randomUUID(),
    category: 'housing',
    share: ['needs'],
    responseTimeHours: 24,
    client: { status: 'active', visibleToSender: true },
    consents: [
      {
        consentId,
        clientId,
        purpose: 'referral',
        recipient: { serviceCategory: 'housing' },
        scope: ['needs'],
        method: 'written',
        recordedBy: { organisationId: orgA, userId: 'u-a' },
        givenAt: now,
        expiresAt: null,
        withdrawnAt: null,
      },
    ],
    personal: { message: 'secret message' },
  },
  { type: 'AcceptReferral', referralId, now, actor: officerB, actorOrganisation: { mayExchange: true } },
  { type: 'StartReferral', referralId, now, actor: officerB, actorOrganisation: { mayExchange: true } },
  {
    type: 'PutReferralOnHold',
    referralId,
    now,
    actor: officerB,
    actorOrganisation: { mayExchange: true },
    reason: { code: 'waiting_documents', note: 'secret note' },
  },
  { type: 'ResumeReferral', referralId, now, actor: officerB, actorOrganisation: { mayExchange: true } },
  {
    type: 'PostReferralMessage',
    referralId,
    now,
    actor: officerB,
    actorOrganisation: { mayExchange: true },
    messageId: randomUUID(),
    personal: { text: 'secret text' },
  },
  {
    type: 'CompleteReferral',
    referralId,
    now,
    actor: officerB,
    actorOrganisation: { mayExchange: true },
    outcome: 'need_met',
    note: 'secret outcome',
  },
]);

const needsEvents = decideAll(needsDecider, [
  {
    type: 'AssessNeed',
    clientId,
    now,
    actor: officerA,
    client: { status: 'active', visibleToActor: true },
    needId: randomUUID(),
    assessmentId: randomUUID(),
    category: 'housing',
    priority: 'urgent',
    notes: 'secret notes',
  },
]);

describe('public events of the referrals service', () => {
  const all = [
    ...clientEvents,
    ...needsEvents,
    ...referralEvents,
    { type: 'ClientErased', data: { clientId, erasedAt: now, erasedBy: { organisationId: orgA, userId: 'u' } } },
  ];

  it('maps every public domain event to a contract-valid envelope, and keeps private ones private', () => {
    const mapped = all.map((e, i) => ({ type: e.type, message: referralsRelayMapper(stored(e, i)) }));
    expect(mapped.filter((m) => m.message === null).map((m) => m.type)).toEqual([
      'ClientRegistered',
      'ReferralMessagePosted',
    ]);
    for (const { message } of mapped)
      if (message) expect(eventErrors(message.envelope), message.envelope.type).toEqual([]);
    expect(mapped.map((m) => m.message?.envelope.type).filter(Boolean)).toEqual([
      'estia.referrals.client.consent-given.v1',
      'estia.referrals.client.need-assessed.v1',
      ...Array(6).fill('estia.referrals.referral.status-changed.v1'),
      'estia.referrals.client.erased.v1',
    ]);
  });

  it('follows the loop with previous and new status, including a resume back to in-progress', () => {
    const statuses = referralEvents
      .map((e) => toPublicEvent(stored(e))?.data)
      .filter(Boolean)
      .map((d) => `${String(d!.previousStatus)}→${String(d!.status)}`);
    expect(statuses).toEqual([
      'null→requested',
      'requested→accepted',
      'accepted→in-progress',
      'in-progress→on-hold',
      'on-hold→in-progress',
      'in-progress→completed',
    ]);
  });

  it('puts no personal data and no client id of a referral on the topic', () => {
    const payloads = JSON.stringify(all.map((e) => referralsRelayMapper(stored(e))));
    for (const secret of ['Amira', 'secret']) expect(payloads).not.toContain(secret);
    const referralPayloads = referralEvents.map((e) => toPublicEvent(stored(e))?.data).filter(Boolean);
    for (const data of referralPayloads) expect(data).not.toHaveProperty('clientId');
  });

  it('keys client events by client and referral events by referral (order per aggregate)', () => {
    expect(referralsRelayMapper(stored(clientEvents[1]!))?.key).toBe(clientId);
    expect(referralsRelayMapper(stored(referralEvents[0]!))?.key).toBe(referralId);
  });
});
