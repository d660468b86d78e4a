import { deliverMembership } from '../testing/membership.js';
import { randomUUID } from 'node:crypto';
import type { ClientCandidateProfileSharedV1, EventEnvelope } from '@estia/contracts';
import { loadOpenApi, validateEnvelope } from '@estia/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opportunityStreamId } from '../domain/opportunities/opportunityDecider.js';
import { applicationStreamId } from '../domain/pipeline/pipelineDecider.js';
import { addDays, addMonths } from '../domain/shared/dates.js';
import { matchingPublicEvents } from '../integration/publicEvents.js';
import { ATHENS, ESCO, PIRAEUS, THESSALONIKI, carpenterJob } from '../testing/builders.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';

const NGO = randomUUID();
const EMPLOYER = randomUUID();
const PENDING = randomUUID();
const today = new Date().toISOString().slice(0, 10);
const SKILL = (id: string) => `http://data.europa.eu/esco/skill/${id}`;

let h: MatchingHarness;
let coach: string;
let employer: string;
let auditor: string;
let pending: string;

const json = { 'content-type': 'application/json' };
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, body?: unknown, headers = {}) =>
  h.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : json), ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

const job = () =>
  carpenterJob({
    startDate: addDays(today, 14),
    closingDate: addDays(today, 10),
    location: { remote: false, ...PIRAEUS, country: 'GR', locality: 'Piraeus' },
  });

const membership = (organisationId: string, kind: 'ngo' | 'employer', mayExchange: boolean) =>
  deliverMembership(h, organisationId, kind, mayExchange);

/** A client of the NGO who consents to job matching and to sharing skills/languages/occupations with employers. */
const consentingCarpenter = async (clientId: string, consentId = randomUUID()) => {
  const givenAt = new Date().toISOString();
  const consent = (purpose: 'job_matching' | 'employer_sharing', id: string) =>
    h.deliver(
      'estia.referrals.client.consent-given.v1',
      clientId,
      {
        consentId: id,
        clientId,
        purpose,
        recipient: {},
        scope: ['skills', 'languages', 'occupations', 'location', 'legal_status'],
        givenAt,
        expiresAt: null,
        recordedByOrganisationId: NGO,
      },
      NGO,
    );
  await consent('job_matching', consentId);
  await consent('employer_sharing', randomUUID());
  await shareProfile(clientId, consentId, givenAt);
  await h.settle();
  return consentId;
};

const shareProfile = (
  clientId: string,
  consentId: string,
  sharedAt = new Date().toISOString(),
  legalStatus: ClientCandidateProfileSharedV1['legalStatus'] = {
    status: 'refugee',
    decisionDate: '2025-03-01',
    residencePermitValidFrom: '2025-03-01',
    residencePermitValidUntil: '2028-02-29',
  },
) =>
  h.deliver(
    'estia.referrals.client.candidate-profile-shared.v1',
    clientId,
    {
      clientId,
      consentId,
      legalStatus,
      languages: [
        { language: 'ar', level: 'C2', native: true },
        { language: 'el', level: 'A2' },
      ],
      location: {
        country: 'GR',
        region: 'EL30',
        coordinates: { lat: ATHENS.latitude, lon: ATHENS.longitude },
        maxTravelKm: 30,
      },
      skills: [SKILL(ESCO.skills.installWood), SKILL(ESCO.skills.snapChalkLine), SKILL(ESCO.skills.workErgonomically)],
      occupations: [{ escoUri: `http://data.europa.eu/esco/occupation/${ESCO.carpenter}` }],
      drivingLicences: ['B'],
      availability: { from: today, hoursPerWeek: 40, opportunityKinds: ['job'] },
      sharedAt,
    },
    NGO,
  );

const eventCount = async () => (await h.store.readAll()).length;
const publicMessages = async (streamId: string) =>
  (await h.store.readStream(streamId)).map(matchingPublicEvents).filter((m) => m !== null);

beforeAll(async () => {
  h = await startMatchingHarness();
  coach = await h.token(NGO, ['job_coach']);
  employer = await h.token(EMPLOYER, ['org_admin']);
  auditor = await h.token(randomUUID(), ['auditor']);
  pending = await h.token(PENDING, ['org_admin']);
  await membership(NGO, 'ngo', true);
  await membership(EMPLOYER, 'employer', true);
  await membership(PENDING, 'employer', false);
});
afterAll(async () => h?.close());

describe('matching service over HTTP (real SQLite store and read models)', () => {
  let opportunityId: string;
  let placementId: string;
  const clientId = randomUUID();

  it('autocompletes ESCO occupations for authenticated callers only', async () => {
    const res = await inject('GET', '/v1/esco/occupations?q=carpent&limit=5', coach);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((s: { id: string }) => s.id)).toContain(ESCO.carpenter);
    expect((await h.app.inject({ method: 'GET', url: '/v1/esco/skills?q=wood' })).statusCode).toBe(401);
  });

  it('serves the API under /v1 only, as registry and referrals do; operations stay at the root', async () => {
    expect((await inject('GET', '/esco/occupations?q=carpent', coach)).statusCode).toBe(404);
    expect((await inject('GET', '/opportunities', coach)).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    // Every operation of the contract is routed where the contract says, so /openapi.json cannot drift.
    const paths = (loadOpenApi('matching') as { paths: Record<string, Record<string, unknown>> }).paths;
    const operations = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') })),
    );
    expect(operations.filter((o) => !o.url.startsWith('/v1/')).map((o) => o.url)).toEqual([
      '/health',
      '/ready',
      '/metrics',
    ]);
    expect(operations.filter((o) => !h.app.hasRoute(o as Parameters<typeof h.app.hasRoute>[0]))).toEqual([]);
  });

  it('publishes an opportunity of an approved organisation, refuses one that is not approved', async () => {
    const before = await eventCount();
    const refused = await inject('POST', '/v1/opportunities', pending, job());
    expect(refused.statusCode).toBe(403);
    expect(await eventCount()).toBe(before);

    const res = await inject('POST', '/v1/opportunities', employer, job());
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"0"');
    opportunityId = res.json().id;
    expect(res.headers.location).toBe(`/v1/opportunities/${opportunityId}`);
    expect(res.json()).toMatchObject({ status: 'open', organisationId: EMPLOYER });
    expect((await inject('GET', `/v1/opportunities/${opportunityId}`, auditor)).json().details.title).toBe(job().title);

    // A partner retrying with the same Idempotency-Key creates nothing twice.
    const key = { 'idempotency-key': randomUUID() };
    const first = await inject('POST', '/v1/opportunities', employer, job(), key);
    const count = await eventCount();
    const retry = await inject('POST', '/v1/opportunities', employer, job(), key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect(await eventCount()).toBe(count);
    expect(
      (await inject('POST', `/v1/opportunities/${first.json().id}/close`, employer, { reason: 'duplicate' }))
        .statusCode,
    ).toBe(428);
    expect(
      (
        await inject(
          'POST',
          `/v1/opportunities/${first.json().id}/close`,
          employer,
          { reason: 'duplicate' },
          { 'if-match': first.headers.etag },
        )
      ).statusCode,
    ).toBe(200);
  });

  it('revises with a merge patch under If-Match', async () => {
    const url = `/v1/opportunities/${opportunityId}`;
    const revised = await inject('PATCH', url, employer, { positions: 3 }, { 'if-match': '"0"' });
    expect(revised.statusCode).toBe(200);
    expect(revised.headers.etag).toBe('"1"');
    expect(revised.json().details).toMatchObject({ positions: 3, title: job().title });
    expect((await inject('PATCH', url, employer, { positions: 4 }, { 'if-match': '"0"' })).statusCode).toBe(412);
    expect(await h.store.streamVersion(opportunityStreamId(opportunityId))).toBe(1);
  });

  it('rejects bad input with problem+json naming the field, and writes nothing', async () => {
    const before = await eventCount();
    const unknownSkill = await inject('POST', '/v1/opportunities', employer, {
      ...job(),
      optionalSkills: [ESCO.skills.crosscutSaw, 'not-an-esco-skill'],
    });
    expect(unknownSkill.statusCode).toBe(400);
    expect(unknownSkill.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknownSkill.json().errors).toContainEqual({
      pointer: '/body/optionalSkills/1',
      detail: 'unknown ESCO skill "not-an-esco-skill"',
    });
    const badCoordinates = await inject('POST', '/v1/opportunities', employer, {
      ...job(),
      location: { remote: false, latitude: 123, longitude: 23.6 },
    });
    expect(badCoordinates.statusCode).toBe(400);
    expect(badCoordinates.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(
      '/body/location/latitude',
    );
    const unknownField = await inject('POST', '/v1/opportunities', employer, { ...job(), salary: 'lots' });
    expect(unknownField.statusCode).toBe(400);
    expect(await eventCount()).toBe(before);

    const blind = await inject('PATCH', `/v1/opportunities/${opportunityId}`, employer, { positions: 5 });
    expect(blind.statusCode).toBe(428);
    const patch = await inject(
      'PATCH',
      `/v1/opportunities/${opportunityId}`,
      employer,
      { occupation: 'nope' },
      { 'if-match': '*' },
    );
    expect(patch.statusCode).toBe(400);
    expect(patch.json().detail).toContain('unknown ESCO occupation "nope"');
    expect(await h.store.streamVersion(opportunityStreamId(opportunityId))).toBe(1);
  });

  it('matches a consenting candidate both ways; the employer sees a pseudonym', async () => {
    await consentingCarpenter(clientId);
    const mine = await inject('GET', `/v1/candidates/${clientId}/matches`, coach);
    expect(mine.statusCode).toBe(200);
    const match = mine.json().items[0];
    expect(match).toMatchObject({ opportunityId, candidateId: clientId });
    expect(match.skills.matchedEssential.map((s: { id: string }) => s.id)).toEqual([
      ESCO.skills.installWood,
      ESCO.skills.snapChalkLine,
    ]);
    expect(match.rightToWork.allowed).toBe(true);

    const theirs = await inject('GET', `/v1/opportunities/${opportunityId}/matches`, employer);
    const seen = theirs.json().items[0];
    expect(seen.pseudonymous).toBe(true);
    expect(seen.candidateId).not.toBe(clientId);
    expect(JSON.stringify(theirs.json())).not.toContain(clientId);
    expect((await inject('GET', `/v1/candidates/${clientId}`, employer)).statusCode).toBe(404);
    expect((await inject('GET', `/v1/candidates/${clientId}`, coach)).json().profile.skills).toHaveLength(3);
    // The holding organisation's administrator reads no case: the answer of a client who is no candidate.
    const ngoAdmin = await h.token(NGO, ['org_admin']);
    for (const url of [`/v1/candidates/${clientId}`, `/v1/candidates/${clientId}/matches`]) {
      const refused = await inject('GET', url, ngoAdmin);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('runs the pipeline to a published hire and follow-up, refusing illegal steps without writing', async () => {
    const proposed = await inject('POST', '/v1/placements', coach, { clientId, opportunityId });
    expect(proposed.statusCode).toBe(201);
    placementId = proposed.json().id;
    expect(proposed.headers.location).toBe(`/v1/placements/${placementId}`);
    const stream = applicationStreamId(placementId);
    expect((await inject('GET', `/v1/placements/${placementId}`, employer)).json().clientId).not.toBe(clientId);
    expect(
      (await inject('POST', `/v1/placements/${placementId}/interest`, employer, { interested: true })).statusCode,
    ).toBe(403);
    expect(
      (await inject('POST', `/v1/placements/${placementId}/interest`, coach, { interested: true })).statusCode,
    ).toBe(200);
    // The client agreed to apply: the employer may now know who it is.
    expect((await inject('GET', `/v1/placements/${placementId}`, employer)).json().clientId).toBe(clientId);

    const tooMuch = await inject('POST', `/v1/placements/${placementId}/application`, coach, {
      fields: ['skills', 'availability'],
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().detail).toContain('availability');
    expect(await h.store.streamVersion(stream)).toBe(1);
    expect(
      (await inject('POST', `/v1/placements/${placementId}/application`, coach, { fields: ['skills', 'languages'] }))
        .statusCode,
    ).toBe(200);
    const interview = await inject('POST', `/v1/placements/${placementId}/interview`, employer, {
      at: `${addDays(today, 3)}T10:00:00Z`,
    });
    expect(interview.statusCode).toBe(200);
    expect((await inject('POST', `/v1/placements/${placementId}/offer`, employer, {})).statusCode).toBe(200);
    const early = await inject('POST', `/v1/placements/${placementId}/hire`, employer, { startDate: today });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0]).toMatchObject({ pointer: '/body/startDate' });
    expect(await h.store.streamVersion(opportunityStreamId(opportunityId))).toBe(1);
    const startDate = addDays(today, 14);
    const hired = await inject('POST', `/v1/placements/${placementId}/hire`, employer, { startDate });
    expect(hired.statusCode).toBe(200);
    expect(hired.json()).toMatchObject({ status: 'hired', stage: 'hired', startDate });
    expect(hired.json().followUpSchedule).toEqual([
      { month: 1, dueDate: addMonths(startDate, 1), state: 'upcoming' },
      { month: 3, dueDate: addMonths(startDate, 3), state: 'upcoming' },
      { month: 6, dueDate: addMonths(startDate, 6), state: 'upcoming' },
    ]);
    // One of the two positions is taken: still open.
    const afterHire = await inject('GET', `/v1/opportunities/${opportunityId}`, coach);
    expect(afterHire.json()).toMatchObject({ status: 'open', hired: 1 });
    // Five weeks after the start, the 1-month follow-up is due and shows in the coach's pipeline.
    h.setNow(`${addDays(startDate, 35)}T09:00:00Z`);
    const pipeline = await inject('GET', '/v1/placements?followUpDue=true', coach);
    expect(pipeline.statusCode).toBe(200);
    expect(pipeline.json()).toMatchObject({ stages: { hired: 1 }, followUpsDue: 1 });
    expect(pipeline.json().items.map((p: { id: string }) => p.id)).toEqual([placementId]);

    const illegal = await inject('POST', `/v1/placements/${placementId}/offer`, employer, {});
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(illegal.json().detail).toContain('hired');
    const versionAfterHire = await h.store.streamVersion(stream);

    const noReason = await inject('POST', `/v1/placements/${placementId}/follow-ups`, coach, {
      month: 1,
      stillEmployed: false,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].pointer).toBe('/body/reasonCode');
    expect(await h.store.streamVersion(stream)).toBe(versionAfterHire);
    const followUp = await inject('POST', `/v1/placements/${placementId}/follow-ups`, coach, {
      month: 1,
      stillEmployed: true,
    });
    expect(followUp.statusCode).toBe(200);
    expect(followUp.json().followUps).toEqual([1]);
    expect(
      (
        await inject('POST', `/v1/placements/${placementId}/follow-ups`, coach, { month: 3, stillEmployed: true })
      ).json().code,
    ).toBe('BUSINESS_RULE_VIOLATED');

    const messages = await publicMessages(stream);
    for (const m of messages) expect(validateEnvelope(m.envelope).valid).toBe(true);
    expect(messages.map((m) => [m.envelope.type, (m.envelope.data as { status?: string }).status])).toEqual([
      ['estia.matching.application.status-changed.v1', 'proposed'],
      ['estia.matching.application.status-changed.v1', 'interested'],
      ['estia.matching.application.status-changed.v1', 'application_sent'],
      ['estia.matching.application.status-changed.v1', 'interview'],
      ['estia.matching.application.status-changed.v1', 'offer'],
      ['estia.matching.placement.hired.v1', undefined],
      ['estia.matching.placement.follow-up-recorded.v1', undefined],
    ]);
    const hire = messages[5]!.envelope as EventEnvelope<Record<string, unknown>>;
    expect(hire).toMatchObject({ subject: placementId, actororganisation: EMPLOYER });
    expect(hire.data).toMatchObject({
      placementId,
      clientId,
      opportunityId,
      employerOrganisationId: EMPLOYER,
      opportunityKind: 'job',
      startDate,
      hoursPerWeek: 40,
      contractType: 'fixed_term',
      occupation: { escoUri: `http://data.europa.eu/esco/occupation/${ESCO.carpenter}` },
    });
    expect(messages[1]!.envelope.data).toMatchObject({ previousStatus: 'proposed', status: 'interested' });
    h.setNow(null);
  });

  it('keeps the opportunity lifecycle with ETag / If-Match, naming the state on an illegal transition', async () => {
    const url = `/v1/opportunities/${opportunityId}`;
    // Published (0), revised (1), a position taken by the hire (2).
    const paused = await inject('POST', `${url}/pause`, employer, {}, { 'if-match': '"2"' });
    expect(paused.statusCode).toBe(200);
    expect(paused.headers.etag).toBe('"3"');
    expect((await inject('POST', `${url}/resume`, employer, {}, { 'if-match': '"2"' })).statusCode).toBe(412);
    expect((await inject('POST', `${url}/resume`, coach, {}, { 'if-match': '"3"' })).statusCode).toBe(403);
    expect((await inject('POST', `${url}/fill`, employer, undefined, { 'if-match': '"3"' })).json().status).toBe(
      'filled',
    );
    const closed = await inject('POST', `${url}/close`, employer, { reason: 'budget' }, { 'if-match': '"4"' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().detail).toBe('cannot close an opportunity that is filled');
    expect(await h.store.streamVersion(opportunityStreamId(opportunityId))).toBe(4);
    expect((await inject('POST', `${url}/pause`, auditor, {})).statusCode).toBe(403);
  });

  it('answers commands from their decision while the read models are held back, as the read models then show', async () => {
    await h.pauseProjections();
    const published = await inject('POST', '/v1/opportunities', employer, job());
    expect(published.statusCode).toBe(201);
    const id = published.json().id as string;
    expect(published.headers.location).toBe(`/v1/opportunities/${id}`);
    expect(published.headers.etag).toBe('"0"');
    const [stored] = await h.store.readStream(opportunityStreamId(id));
    expect(published.json()).toMatchObject({ status: 'open', revision: 0, updatedAt: stored!.recordedAt });
    const paused = await inject('POST', `/v1/opportunities/${id}/pause`, employer, {}, { 'if-match': '"0"' });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'paused', revision: 1 });
    await h.resumeProjections();
    await h.settle();
    const read = await inject('GET', `/v1/opportunities/${id}`, employer);
    expect(read.json()).toEqual(paused.json());
    expect(read.headers.etag).toBe(paused.headers.etag);
  });

  it('drops a candidate from matching at once when consent is withdrawn, and withdraws open applications', async () => {
    const other = await inject('POST', '/v1/opportunities', employer, job());
    const otherId = other.json().id as string;
    const client2 = randomUUID();
    const consentId = await consentingCarpenter(client2);
    const proposal = await inject('POST', '/v1/placements', coach, { clientId: client2, opportunityId: otherId });
    expect(proposal.statusCode).toBe(201);
    const ids = async () =>
      (await inject('GET', `/v1/opportunities/${otherId}/matches`, auditor))
        .json()
        .items.map((m: { candidateId: string }) => m.candidateId);
    expect(await ids()).toContain(client2);

    // With the read models held back, only the consumer itself can take the candidate out of matching.
    await h.pauseProjections();
    await h.deliver(
      'estia.referrals.client.consent-withdrawn.v1',
      client2,
      {
        consentId,
        clientId: client2,
        purpose: 'job_matching',
        recipient: {},
        withdrawnAt: new Date().toISOString(),
        recordedByOrganisationId: NGO,
      },
      NGO,
    );
    // No waiting for the read models: the engine forgot the candidate inside the consumer.
    expect(await ids()).not.toContain(client2);
    await h.resumeProjections();
    await h.settle();
    expect((await inject('GET', `/v1/candidates/${client2}`, coach)).statusCode).toBe(404);
    expect((await inject('GET', `/v1/placements/${proposal.json().id}`, coach)).json().status).toBe('withdrawn');
    const removed = (await publicMessages(`candidate-${client2}`)).map((m) => m.envelope);
    expect(removed).toMatchObject([
      { type: 'estia.matching.candidate-profile.removed.v1', data: { reason: 'consent_withdrawn' } },
    ]);
    const statuses = (await publicMessages(applicationStreamId(proposal.json().id))).map((m) => m.envelope.data);
    expect(statuses.at(-1)).toMatchObject({ status: 'withdrawn', reasonCode: 'consent_withdrawn' });
    // A profile shared after withdrawal is not kept.
    const version = await h.store.streamVersion(`candidate-${client2}`);
    await shareProfile(client2, consentId);
    expect(await h.store.streamVersion(`candidate-${client2}`)).toBe(version);
    await h.settle();
    expect(await ids()).not.toContain(client2);
  });

  it('a redelivered withdrawal closes the applications a crash left open, and a concurrent change is decided again', async () => {
    const opportunity = (await inject('POST', '/v1/opportunities', employer, job())).json().id as string;
    const client4 = randomUUID();
    const consentId = await consentingCarpenter(client4);
    const first = (
      await inject('POST', '/v1/placements', coach, { clientId: client4, opportunityId: opportunity })
    ).json();
    await h.settle();
    const withdrawn = {
      consentId,
      clientId: client4,
      purpose: 'job_matching' as const,
      recipient: {},
      withdrawnAt: new Date().toISOString(),
      recordedByOrganisationId: NGO,
    };
    // A crash after the consumer wrote the withdrawal to matching's log, before it closed the
    // applications and committed its inbox entry: the message is delivered again.
    await h.built.commands.candidate(
      { type: 'WithdrawMatchingConsent', clientId: client4, consentId, now: withdrawn.withdrawnAt },
      {},
    );
    await h.settle();
    // And someone changes the application while the consumer is at it: its first append conflicts.
    const { store } = h;
    const append = store.append.bind(store);
    let raced = false;
    store.append = async (streamId, events, options) => {
      if (!raced && streamId === applicationStreamId(first.id)) {
        raced = true;
        await h.built.commands.step(
          first.id,
          { organisationId: NGO, userId: 'coach' },
          { type: 'RecordClientInterest', interested: true },
          {},
        );
      }
      return append(streamId, events, options);
    };
    try {
      await h.deliver('estia.referrals.client.consent-withdrawn.v1', client4, withdrawn, NGO);
    } finally {
      store.append = append;
    }
    await h.settle();
    expect(raced).toBe(true);
    expect((await inject('GET', `/v1/placements/${first.id}`, coach)).json().status).toBe('withdrawn');
  });

  it('forgets an erased client everywhere and publishes the removal', async () => {
    const client3 = randomUUID();
    await consentingCarpenter(client3);
    expect((await inject('GET', `/v1/candidates/${client3}`, coach)).statusCode).toBe(200);
    await h.deliver(
      'estia.referrals.client.erased.v1',
      client3,
      { clientId: client3, erasedAt: new Date().toISOString() },
      NGO,
    );
    await h.settle();
    expect((await inject('GET', `/v1/candidates/${client3}`, auditor)).statusCode).toBe(404);
    expect(await h.db.query('SELECT * FROM matching_sharing_consents WHERE client_id = $1', [client3])).toEqual([]);
    const removed = (await publicMessages(`candidate-${client3}`)).map((m) => m.envelope);
    expect(removed).toMatchObject([
      { type: 'estia.matching.candidate-profile.removed.v1', data: { reason: 'client_erased' } },
    ]);
    // A late delivery about the erased client is absorbed, not dead-lettered.
    await expect(shareProfile(client3, randomUUID())).resolves.toBeUndefined();
  });

  it('rebuilds the same engine and read models after a restart or a projection rebuild', async () => {
    const before = h.built.engine.size;
    const asOf = new Date().toISOString();
    const restarted = await h.restart();
    expect(restarted.engine.size).toEqual(before);
    const [open] = await h.built.queries.opportunities({ status: 'open', limit: 1 });
    expect(restarted.engine.candidatesFor(open!.id, { asOf })).toEqual(
      h.built.engine.candidatesFor(open!.id, { asOf }),
    );
    const snapshot = async () => ({
      opportunities: await h.db.query('SELECT * FROM matching_opportunities ORDER BY opportunity_id'),
      candidates: await h.db.query('SELECT * FROM matching_candidates ORDER BY client_id'),
      applications: await h.db.query('SELECT * FROM matching_applications ORDER BY application_id'),
    });
    const tables = await snapshot();
    await h.projector.rebuild('matching.read-models.v1');
    expect(await snapshot()).toEqual(tables);
    expect(h.built.engine.size).toEqual(before);
  });

  it('says why a list is empty and why a pair is not matched, naming the rule and the field', async () => {
    const published = await inject('POST', '/v1/opportunities', employer, carpenterJob({ closingDate: null }));
    const job = published.json().id as string;
    const far = await inject(
      'POST',
      '/v1/opportunities',
      employer,
      carpenterJob({ closingDate: null, location: { remote: false, ...THESSALONIKI, country: 'GR' } }),
    );
    // A refugee whose consent to job matching leaves out the dates of the legal status: the profile comes
    // without the permit, so the right to work cannot be established.
    const withoutDates = randomUUID();
    const consentId = randomUUID();
    await h.deliver(
      'estia.referrals.client.consent-given.v1',
      withoutDates,
      {
        consentId,
        clientId: withoutDates,
        purpose: 'job_matching',
        recipient: {},
        scope: ['skills', 'languages', 'occupations', 'location', 'legal_status', 'availability'],
        givenAt: new Date().toISOString(),
        expiresAt: null,
        recordedByOrganisationId: NGO,
      },
      NGO,
    );
    await shareProfile(withoutDates, consentId, new Date().toISOString(), { status: 'refugee' });
    await h.settle();

    const matches = await inject('GET', `/v1/candidates/${withoutDates}/matches`, coach);
    expect(matches.statusCode).toBe(200);
    expect(matches.json().items).toEqual([]);
    expect(matches.json().notices).toEqual([
      expect.objectContaining({
        code: 'right_to_work_unknown',
        effect: 'excludes',
        pointer: '/candidate/consent/scope',
        detail: expect.stringContaining('legal_status_dates'),
      }),
    ]);
    expect(matches.json().excluded).toContainEqual({ code: 'right_to_work_unknown', count: expect.any(Number) });

    const whyNot = await inject('GET', `/v1/candidates/${withoutDates}/why-not/${job}`, coach);
    expect(whyNot.statusCode).toBe(200);
    expect(whyNot.json()).toMatchObject({ listed: false, match: null });
    expect(whyNot.json().reasons[0]).toMatchObject({ code: 'right_to_work_unknown', effect: 'excludes' });

    // The coach's list of candidates names both, the one without dates with the reason it matches nothing.
    const mineListed = await inject('GET', '/v1/candidates', coach);
    expect(mineListed.statusCode).toBe(200);
    const byId = new Map(
      mineListed.json().items.map((c: { clientId: string; notices: unknown[] }) => [c.clientId, c] as const),
    );
    expect(byId.get(withoutDates)).toMatchObject({
      legalStatus: 'refugee',
      notices: [expect.objectContaining({ code: 'right_to_work_unknown', pointer: '/candidate/consent/scope' })],
    });
    expect(byId.get(clientId)).toMatchObject({ notices: [] });
    expect((await inject('GET', '/v1/candidates', employer)).statusCode).toBe(403);

    // The consenting carpenter: listed for the Piraeus job (explained), too far for Thessaloniki.
    const listed = await inject('GET', `/v1/candidates/${clientId}/why-not/${job}`, coach);
    expect(listed.json()).toMatchObject({
      listed: true,
      match: { opportunityId: job, distanceKm: expect.any(Number) },
    });
    expect(listed.json().match.components.essentialSkills.weight).toBeGreaterThan(0);
    const tooFar = await inject('GET', `/v1/candidates/${clientId}/why-not/${far.json().id}`, coach);
    expect(tooFar.json().listed).toBe(false);
    expect(tooFar.json().reasons).toContainEqual(
      expect.objectContaining({ code: 'too_far', pointer: '/candidate/profile/mobilityKm' }),
    );
    // Someone who does not hold the case learns nothing: the same 404 as for a client who is no candidate.
    expect((await inject('GET', `/v1/candidates/${clientId}/why-not/${job}`, employer)).statusCode).toBe(404);
    // Without the scope of the operation, the token is refused.
    const noScope = await h.issuer.sign({
      organisationId: NGO,
      roles: ['job_coach'],
      subject: 'no-scope',
      scopes: ['directory:read'],
    });
    expect((await inject('GET', `/v1/candidates/${clientId}/why-not/${job}`, noScope)).statusCode).toBe(403);
  });
});
