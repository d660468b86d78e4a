import { randomUUID } from 'node:crypto';
import { eventErrors } from '@estia/contracts';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { describe, expect, it } from 'vitest';
import { accessRequestDecider } from '../domain/accessRequests/accessRequestDecider.js';
import { clientDecider, clientStreamId, type ClientEvent } from '../domain/clients/clientDecider.js';
import { needsDecider } from '../domain/needs/needsDecider.js';
import { referralDecider } from '../domain/referrals/referralDecider.js';
import { referralStreamId, type ReferralEvent } from '../domain/referrals/referralTypes.js';
import type { Actor } from '../domain/shared/actor.js';
import { createMemoryKeyStore } from '@estia/infra/crypto/memoryKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { RelayMessage } from '@estia/infra/processors/relay.js';
import { sealPersonalPart } from '../application/personalCodec.js';
import { createReferralsRelayMapper, toPublicEvent } from './publicEvents.js';

// Events of this suite carry no personal part the mapper must open, except where a test appends them.
const store = createSqliteEventStore({ path: ':memory:' });
const keyStore = createMemoryKeyStore();
const skipped: string[] = [];
const mapper = createReferralsRelayMapper({ store, keyStore, onSkipped: (_id, why) => skipped.push(why) });
const mapAll = async (event: StoredEvent): Promise<RelayMessage[]> => {
  const mapped = await mapper(event);
  return mapped === null ? [] : Array.isArray(mapped) ? [...(mapped as RelayMessage[])] : [mapped as RelayMessage];
};
/** The first public event a stored event stands for (most stand for one). */
const referralsRelayMapper = async (event: StoredEvent): Promise<RelayMessage | null> =>
  (await mapAll(event))[0] ?? null;

const now = '2025-06-01T10:00:00.000Z';
const clientId = randomUUID();
const referralId = randomUUID();
const orgA = randomUUID();
const orgB = randomUUID();
const officerA: Actor = { organisationId: orgA, userId: 'u-a', roles: ['referral_officer'] };
const officerB: Actor = { organisationId: orgB, userId: 'u-b', roles: ['referral_officer'] };

/** The stream the real application appends the event to: its referral's, else its client's. */
const streamOf = (data: unknown): string => {
  const d = data as { referralId?: string; clientId?: string };
  return d.referralId ? referralStreamId(d.referralId) : d.clientId ? clientStreamId(d.clientId) : 's';
};

const stored = (event: { type: string; data: unknown }, revision = 0): StoredEvent => ({
  id: randomUUID(),
  streamId: streamOf(event.data),
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
    duplicateReview: { candidates: [], network: null, confirmedNew: true },
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

const needId = randomUUID();
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
    needId,
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
    needId,
    assessmentId: randomUUID(),
    category: 'housing',
    priority: 'urgent',
    notes: 'secret notes',
  },
  {
    type: 'CloseNeed',
    clientId,
    now,
    actor: officerA,
    client: { status: 'active', visibleToActor: true },
    needId,
    reason: { code: 'need_met', note: 'secret closing note' },
  },
]);

const accessRequestId = randomUUID();
const accessRequestEvents = decideAll(accessRequestDecider, [
  {
    type: 'RequestAccess',
    accessRequestId,
    now,
    actor: officerB,
    clientId,
    purpose: 'continuity_of_care',
    scope: ['needs'],
    organisation: { mayExchange: true },
    requester: { holdsClient: false, pendingRequestId: null },
  },
  {
    type: 'DeclineAccessRequest',
    accessRequestId,
    now,
    actor: officerA,
    actorIsHolder: true,
    reason: { code: 'client_refused', note: 'secret refusal' },
  },
]);

describe('public events of the referrals service', () => {
  const all = [
    ...clientEvents,
    ...needsEvents,
    ...referralEvents,
    ...accessRequestEvents,
    { type: 'ClientErased', data: { clientId, erasedAt: now, erasedBy: { organisationId: orgA, userId: 'u' } } },
  ];

  it('maps every public domain event to a contract-valid envelope, and keeps private ones private', async () => {
    const mapped = await Promise.all(
      all.map(async (e, i) => ({ type: e.type, message: await referralsRelayMapper(stored(e, i)) })),
    );
    expect(mapped.filter((m) => m.message === null).map((m) => m.type)).toEqual([
      'ClientRegistered',
      'ReferralMessagePosted',
    ]);
    for (const { message } of mapped)
      if (message) expect(eventErrors(message.envelope), message.envelope.type).toEqual([]);
    expect(mapped.map((m) => m.message?.envelope.type).filter(Boolean)).toEqual([
      'estia.referrals.client.consent-given.v1',
      'estia.referrals.client.need-assessed.v1',
      'estia.referrals.client.need-closed.v1',
      ...Array(6).fill('estia.referrals.referral.status-changed.v1'),
      ...Array(2).fill('estia.referrals.access-request.status-changed.v1'),
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

  it('names the need on the assessment, its closing, and the request that answers it, with the request deadline', () => {
    const [assessed, closed] = needsEvents.map((e) => toPublicEvent(stored(e))?.data);
    expect(assessed).toMatchObject({ needId, category: 'housing' });
    expect(closed).toEqual({
      needId,
      clientId,
      reasonCode: 'need_met',
      closedByOrganisationId: orgA,
      closedAt: now,
    });
    const [requested, accepted] = referralEvents.map((e) => toPublicEvent(stored(e))?.data);
    const sent = referralEvents[0]!.data as { respondBy: string; needId?: string };
    expect(requested).toMatchObject({ respondBy: sent.respondBy });
    expect(requested).toMatchObject({ needId });
    expect(sent.needId).toBe(needId);
    expect(accepted).not.toHaveProperty('respondBy');
  });

  it('puts no personal data and no client id of a referral on the topic', async () => {
    const payloads = JSON.stringify(await Promise.all(all.map((e) => referralsRelayMapper(stored(e)))));
    for (const secret of ['Amira', 'secret']) expect(payloads).not.toContain(secret);
    const referralPayloads = referralEvents.map((e) => toPublicEvent(stored(e))?.data).filter(Boolean);
    for (const data of referralPayloads) expect(data).not.toHaveProperty('clientId');
  });

  it('tells the requester of an access request its answer, naming neither the client nor the holder', () => {
    const payloads = accessRequestEvents.map((e) => toPublicEvent(stored(e))?.data);
    expect(payloads).toEqual([
      { accessRequestId, requesterOrganisationId: officerB.organisationId, status: 'requested', changedAt: now },
      {
        accessRequestId,
        requesterOrganisationId: officerB.organisationId,
        status: 'declined',
        reasonCode: 'client_refused',
        changedAt: now,
      },
    ]);
    expect(JSON.stringify(payloads)).not.toContain(officerA.organisationId);
  });

  it("tells the holder that a request arrived, by the request's id only, as a second event of its own id", async () => {
    const holderStore = createSqliteEventStore({ path: ':memory:' });
    const registered = clientEvents[0]!;
    expect(registered.type).toBe('ClientRegistered');
    await holderStore.append(
      clientStreamId(clientId),
      [{ type: registered.type, data: await sealPersonalPart(keyStore, registered), metadata: {} }],
      { expectedVersion: 'no-stream' },
    );
    const holderMapper = createReferralsRelayMapper({ store: holderStore, keyStore });
    const event = stored(accessRequestEvents[0]!);
    const mapped = await holderMapper(event);
    const again = await holderMapper(event);
    expect(Array.isArray(mapped)).toBe(true);
    const [requester, holder] = mapped as RelayMessage[];
    expect(requester!.envelope).toMatchObject({
      id: event.id,
      type: 'estia.referrals.access-request.status-changed.v1',
    });
    expect(holder!.envelope.type).toBe('estia.referrals.access-request.received.v1');
    expect(holder!.envelope.data).toEqual({ accessRequestId, holderOrganisationId: orgA, receivedAt: now });
    expect(eventErrors(holder!.envelope)).toEqual([]);
    expect(holder!.envelope.id).not.toBe(event.id);
    expect(holder!.envelope.id).toBe((again as RelayMessage[])[1]!.envelope.id);
    // Neither names the other party nor the client.
    expect(JSON.stringify(requester!.envelope.data)).not.toContain(orgA);
    expect(JSON.stringify(holder!.envelope.data)).not.toContain(orgB);
    expect(JSON.stringify(holder!.envelope)).not.toContain(clientId);
    // Only the request itself is announced to the holder, not its answers.
    expect(await mapAll(stored(accessRequestEvents[1]!))).toHaveLength(1);
    await holderStore.close();
  });

  it("tells the holding organisation that a client's deadline is near: reminder id and kind, no client, no date", async () => {
    const reminderId = randomUUID();
    const reminder = stored({
      type: 'DeadlineReminderIssued',
      data: {
        reminderId,
        clientId,
        organisationId: orgA,
        deadline: 'work_permit',
        thresholdDays: 30,
        issuedAt: now,
        personal: { sealed: 'x' },
      },
    });
    const [message, ...more] = await mapAll({ ...reminder, streamId: `client-deadlines-${clientId}` });
    expect(more).toEqual([]);
    expect(message!.envelope.type).toBe('estia.referrals.deadline.approaching.v1');
    expect(message!.envelope.data).toEqual({
      reminderId,
      organisationId: orgA,
      deadline: 'work_permit',
      issuedAt: now,
    });
    expect(eventErrors(message!.envelope)).toEqual([]);
    expect(message!.key).toBe(reminderId);
    expect(JSON.stringify(message)).not.toContain(clientId);
  });

  it('keys each message by its stream (order per stream), never by the client alone', async () => {
    const client = await referralsRelayMapper(stored(clientEvents[1]!));
    expect(client?.key).toBe(clientStreamId(clientId));
    expect(client?.envelope.subject).toBe(clientId);
    expect((await referralsRelayMapper(stored(referralEvents[0]!)))?.key).toBe(referralStreamId(referralId));
  });

  it('asks the bus to forget the earlier messages of an erased client, and only then', async () => {
    const mapped = await Promise.all(all.map((e, i) => referralsRelayMapper(stored(e, i))));
    expect(mapped.filter((m) => m?.forgetEarlier).map((m) => [m!.envelope.type, m!.key])).toEqual([
      ['estia.referrals.client.erased.v1', clientStreamId(clientId)],
    ]);
  });
});

describe('candidate profile for job matching', () => {
  const id = randomUUID();
  const jmConsentId = randomUUID();
  const events = decideAll(clientDecider, [
    {
      type: 'RegisterClient',
      clientId: id,
      now,
      actor: officerA,
      organisation: { approved: true },
      duplicateReview: { candidates: [], network: null, confirmedNew: true },
      personal: {
        givenNames: 'Amira',
        familyName: 'Haddad',
        dateOfBirth: '1990-05-04',
        nationalities: ['SY'],
        languages: [{ language: 'ar', level: 'C2', native: true }],
        contact: { phone: '+30 690 000 0000' },
        legalStatus: {
          status: 'refugee',
          decisionDate: '2025-05-20',
          workPermit: { validFrom: '2025-05-20', validUntil: '2028-05-19' },
        },
        location: { country: 'GR', region: 'EL30', coordinates: { lat: 37.98381, lon: 23.72754 } },
        employment: {
          skills: ['http://data.europa.eu/esco/skill/abc'],
          occupations: [{ iscoCode: '7112' }],
          drivingLicences: ['B'],
          availability: { from: '2025-07-01', opportunityKinds: ['job'] },
        },
      },
    },
    {
      type: 'GiveConsent',
      clientId: id,
      now,
      actor: officerA,
      consentId: jmConsentId,
      purpose: 'job_matching',
      recipient: {},
      scope: ['legal_status', 'location', 'availability', 'languages'],
      method: 'written',
      expiresAt: null,
    },
  ]);
  const append = async (list: { type: string; data: unknown }[]) => {
    const sealed = [];
    for (const e of list) sealed.push({ type: e.type, data: await sealPersonalPart(keyStore, e) });
    await store.append(`client-${id}`, sealed, { expectedVersion: 'any' });
    return store.readStream(`client-${id}`);
  };

  it('opens the sealed data and publishes only what the consent scope allows', async () => {
    const log = await append(events);
    expect(log.map((e) => e.type)).toEqual(['ClientRegistered', 'ConsentGiven', 'CandidateProfileShared']);
    expect(JSON.stringify(log)).not.toContain('Amira');
    const message = await referralsRelayMapper(log[2]!);
    expect(message).not.toBeNull();
    expect(eventErrors(message!.envelope)).toEqual([]);
    expect(message!.envelope.data).toEqual({
      clientId: id,
      consentId: jmConsentId,
      // No legal_status_dates in scope: the status only.
      legalStatus: { status: 'refugee' },
      languages: [{ language: 'ar', level: 'C2', native: true }],
      location: { country: 'GR', region: 'EL30', coordinates: { lat: 37.98, lon: 23.73 } },
      skills: [],
      occupations: [],
      drivingLicences: [],
      availability: { from: '2025-07-01', opportunityKinds: ['job'] },
      sharedAt: now,
    });
    const text = JSON.stringify(message);
    for (const secret of ['Amira', 'Haddad', '+30 690 000 0000', '1990-05-04']) expect(text).not.toContain(secret);
  });

  it('publishes nothing personal once the consent is withdrawn or the key destroyed', async () => {
    const log = await store.readStream(`client-${id}`);
    const due = log.find((e) => e.type === 'CandidateProfileShared')!;
    await append([
      {
        type: 'ConsentWithdrawn',
        data: {
          clientId: id,
          consentId: jmConsentId,
          purpose: 'job_matching',
          recipient: {},
          withdrawnAt: now,
          recordedBy: { organisationId: orgA, userId: 'u-a' },
        },
      },
    ]);
    expect(await referralsRelayMapper(due)).toBeNull();
    expect(skipped).toContain('consent withdrawn');
    await keyStore.destroyKey(id, now);
    const erasedLog = await append([
      { type: 'ClientErased', data: { clientId: id, erasedAt: now, erasedBy: { organisationId: orgA, userId: 'u' } } },
    ]);
    expect(await referralsRelayMapper(due)).toBeNull();
    expect(skipped).toContain('client erased');
    expect((await referralsRelayMapper(erasedLog[erasedLog.length - 1]!))?.envelope.type).toBe(
      'estia.referrals.client.erased.v1',
    );
  });
});
