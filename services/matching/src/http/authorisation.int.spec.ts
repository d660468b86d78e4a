import { deliverMembership } from '../testing/membership.js';
import { randomUUID } from 'node:crypto';
import type { Role } from '@estia/infra/auth/principal.js';
import { tableCoverage } from '@estia/infra/testing/securityTable.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../domain/shared/dates.js';
import { ATHENS, ESCO, PIRAEUS, carpenterJob } from '../testing/builders.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';

/**
 * DESIGN §5 for matching as a table: every operation of contracts/openapi/matching.json × every role ×
 * every relationship (the opportunity's own organisation or another; the organisation holding the
 * candidate's case or not). An operation of the document without a row fails the first test.
 */
const NGO = randomUUID(); // holds the candidate's case (consent recorded, profile shared)
const EMPLOYER = randomUUID(); // publishes the opportunity: the placement's employer side
const OTHER = randomUUID(); // another approved member: no relationship to the case or the offer

type Who =
  | 'coach'
  | 'ngoAdmin'
  | 'ngoOfficer'
  | 'employer'
  | 'employerCoach'
  | 'strangerCoach'
  | 'strangerAdmin'
  | 'auditor'
  | 'networkAdmin'
  | 'funder';
const principal: Record<Who, { organisationId: string; roles: Role[] }> = {
  coach: { organisationId: NGO, roles: ['job_coach'] },
  ngoAdmin: { organisationId: NGO, roles: ['org_admin'] },
  ngoOfficer: { organisationId: NGO, roles: ['referral_officer'] },
  employer: { organisationId: EMPLOYER, roles: ['org_admin'] },
  employerCoach: { organisationId: EMPLOYER, roles: ['job_coach'] },
  strangerCoach: { organisationId: OTHER, roles: ['job_coach'] },
  strangerAdmin: { organisationId: OTHER, roles: ['org_admin'] },
  auditor: { organisationId: randomUUID(), roles: ['auditor'] },
  networkAdmin: { organisationId: randomUUID(), roles: ['network_admin'] },
  funder: { organisationId: randomUUID(), roles: ['funder'] },
};
const WHO = Object.keys(principal) as Who[];

/** ok: neither 403 nor 404; scope: 403 insufficient_scope; role: 403 forbidden; hidden: the 404 of a random id. */
type Outcome = 'ok' | 'scope' | 'role' | 'hidden';
interface Fixture {
  opportunityId: string;
  clientId: string;
  placementId: string;
}
type Request = { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: unknown; ifMatch?: string };
interface Row {
  public?: true;
  /** The request against the fixture; with `random`, the same request naming ids that do not exist. */
  request: (f: Fixture) => Request;
  outcomes: Record<Who, Outcome>;
}

const today = new Date().toISOString().slice(0, 10);
const SKILL = (id: string) => `http://data.europa.eu/esco/skill/${id}`;
const NO_MATCHING: Record<'ngoOfficer' | 'networkAdmin' | 'funder', Outcome> = {
  ngoOfficer: 'scope',
  networkAdmin: 'scope',
  funder: 'scope',
};
const everyone = (outcome: Outcome): Record<Who, Outcome> =>
  Object.fromEntries(WHO.map((w) => [w, outcome])) as Record<Who, Outcome>;

/** Reading opportunities and ESCO: every role with the scope, whatever the organisation. */
const OPPORTUNITY_READ: Record<Who, Outcome> = { ...everyone('ok'), ...NO_MATCHING };
/** Managing an opportunity: its own organisation's coaches and admins only. */
const OPPORTUNITY_WRITE: Record<Who, Outcome> = {
  ...everyone('role'),
  ...NO_MATCHING,
  employer: 'ok',
  employerCoach: 'ok',
};
/** A placement's steps the coach of the holding organisation records; the employer side sees it, refused. */
const COACH_STEP: Record<Who, Outcome> = {
  ...everyone('hidden'),
  ...NO_MATCHING,
  coach: 'ok',
  // The NGO's administrator alone works no case: it sees the placement, but may not act for the client.
  ngoAdmin: 'role',
  employer: 'role',
  employerCoach: 'role',
  auditor: 'scope',
};
const EITHER_STEP: Record<Who, Outcome> = { ...COACH_STEP, employer: 'ok', employerCoach: 'ok' };

const TABLE: Record<string, Row> = {
  'GET /health': { public: true, request: () => ({ method: 'GET', url: '/health' }), outcomes: everyone('ok') },
  'GET /ready': { public: true, request: () => ({ method: 'GET', url: '/ready' }), outcomes: everyone('ok') },
  'GET /metrics': { public: true, request: () => ({ method: 'GET', url: '/metrics' }), outcomes: everyone('ok') },
  'GET /v1/esco/occupations': {
    request: () => ({ method: 'GET', url: '/v1/esco/occupations?q=carpent' }),
    outcomes: { ...everyone('ok'), funder: 'scope' },
  },
  'GET /v1/esco/skills': {
    request: () => ({ method: 'GET', url: '/v1/esco/skills?q=wood' }),
    outcomes: { ...everyone('ok'), funder: 'scope' },
  },
  'POST /v1/opportunities': {
    request: () => ({ method: 'POST', url: '/v1/opportunities', payload: job() }),
    outcomes: { ...everyone('ok'), ...NO_MATCHING, auditor: 'scope' },
  },
  'GET /v1/opportunities': {
    request: () => ({ method: 'GET', url: '/v1/opportunities' }),
    outcomes: OPPORTUNITY_READ,
  },
  'GET /v1/opportunities/:id': {
    request: (f) => ({ method: 'GET', url: `/v1/opportunities/${f.opportunityId}` }),
    outcomes: OPPORTUNITY_READ,
  },
  'PATCH /v1/opportunities/:id': {
    request: (f) => ({
      method: 'PATCH',
      url: `/v1/opportunities/${f.opportunityId}`,
      payload: { positions: 3 },
      ifMatch: '"0"',
    }),
    outcomes: { ...OPPORTUNITY_WRITE, auditor: 'scope' },
  },
  ...Object.fromEntries(
    (['pause', 'resume', 'fill', 'close'] as const).map((action) => [
      `POST /v1/opportunities/:id/${action}`,
      {
        request: (f: Fixture) => ({
          method: 'POST' as const,
          url: `/v1/opportunities/${f.opportunityId}/${action}`,
          payload: action === 'close' ? { reason: 'budget' } : {},
          ifMatch: '"0"',
        }),
        outcomes: { ...OPPORTUNITY_WRITE, auditor: 'scope' as const },
      },
    ]),
  ),
  'GET /v1/opportunities/:id/matches': {
    request: (f) => ({ method: 'GET', url: `/v1/opportunities/${f.opportunityId}/matches` }),
    outcomes: { ...everyone('ok'), ...NO_MATCHING },
  },
  'GET /v1/candidates': {
    request: () => ({ method: 'GET', url: '/v1/candidates' }),
    outcomes: { ...everyone('ok'), ...NO_MATCHING, ngoAdmin: 'role', employer: 'role', strangerAdmin: 'role' },
  },
  'GET /v1/candidates/:clientId': {
    request: (f) => ({ method: 'GET', url: `/v1/candidates/${f.clientId}` }),
    outcomes: { ...everyone('hidden'), ...NO_MATCHING, coach: 'ok', auditor: 'ok' },
  },
  'GET /v1/candidates/:clientId/matches': {
    request: (f) => ({ method: 'GET', url: `/v1/candidates/${f.clientId}/matches` }),
    outcomes: { ...everyone('hidden'), ...NO_MATCHING, coach: 'ok', auditor: 'ok' },
  },
  'GET /v1/candidates/:clientId/why-not/:opportunityId': {
    request: (f) => ({ method: 'GET', url: `/v1/candidates/${f.clientId}/why-not/${f.opportunityId}` }),
    outcomes: { ...everyone('hidden'), ...NO_MATCHING, coach: 'ok', auditor: 'ok' },
  },
  'POST /v1/placements': {
    request: (f) => ({
      method: 'POST',
      url: '/v1/placements',
      payload: { clientId: f.clientId, opportunityId: f.opportunityId },
    }),
    // The NGO's administrator may not read the candidate, so may not propose it either: it does not exist to them.
    outcomes: { ...everyone('hidden'), ...NO_MATCHING, coach: 'ok', auditor: 'scope' },
  },
  'GET /v1/placements': {
    request: () => ({ method: 'GET', url: '/v1/placements' }),
    outcomes: { ...everyone('ok'), ...NO_MATCHING },
  },
  'GET /v1/placements/:id': {
    request: (f) => ({ method: 'GET', url: `/v1/placements/${f.placementId}` }),
    outcomes: {
      ...everyone('hidden'),
      ...NO_MATCHING,
      coach: 'ok',
      ngoAdmin: 'ok',
      employer: 'ok',
      employerCoach: 'ok',
      auditor: 'ok',
    },
  },
  'POST /v1/placements/:id/interest': {
    request: (f) => ({
      method: 'POST',
      url: `/v1/placements/${f.placementId}/interest`,
      payload: { interested: true },
    }),
    outcomes: COACH_STEP,
  },
  'POST /v1/placements/:id/application': {
    request: (f) => ({
      method: 'POST',
      url: `/v1/placements/${f.placementId}/application`,
      payload: { fields: ['skills', 'languages'] },
    }),
    outcomes: COACH_STEP,
  },
  'POST /v1/placements/:id/interview': {
    request: (f) => ({
      method: 'POST',
      url: `/v1/placements/${f.placementId}/interview`,
      payload: { at: `${addDays(today, 3)}T10:00:00.000Z` },
    }),
    outcomes: EITHER_STEP,
  },
  'POST /v1/placements/:id/offer': {
    request: (f) => ({ method: 'POST', url: `/v1/placements/${f.placementId}/offer`, payload: {} }),
    outcomes: EITHER_STEP,
  },
  'POST /v1/placements/:id/hire': {
    request: (f) => ({ method: 'POST', url: `/v1/placements/${f.placementId}/hire`, payload: { startDate: today } }),
    outcomes: EITHER_STEP,
  },
  'POST /v1/placements/:id/not-hired': {
    request: (f) => ({
      method: 'POST',
      url: `/v1/placements/${f.placementId}/not-hired`,
      payload: { reason: 'not_selected' },
    }),
    outcomes: EITHER_STEP,
  },
  'POST /v1/placements/:id/follow-ups': {
    request: (f) => ({
      method: 'POST',
      url: `/v1/placements/${f.placementId}/follow-ups`,
      payload: { month: 1, stillEmployed: true },
    }),
    outcomes: EITHER_STEP,
  },
};

let h: MatchingHarness;
const tokens = new Map<Who, string>();

const job = () =>
  carpenterJob({
    startDate: addDays(today, 14),
    closingDate: addDays(today, 10),
    location: { remote: false, ...PIRAEUS, country: 'GR', locality: 'Piraeus' },
  });

const membership = (organisationId: string, kind: 'ngo' | 'employer') => deliverMembership(h, organisationId, kind);

/** A client of the NGO consenting to job matching and employer sharing, with a shared profile. */
const consentingCandidate = async (clientId: string): Promise<void> => {
  const givenAt = new Date().toISOString();
  const consentId = randomUUID();
  for (const [purpose, id] of [
    ['job_matching', consentId],
    ['employer_sharing', randomUUID()],
  ] as const)
    await h.deliver(
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
  await h.deliver(
    'estia.referrals.client.candidate-profile-shared.v1',
    clientId,
    {
      clientId,
      consentId,
      legalStatus: {
        status: 'refugee',
        decisionDate: '2025-03-01',
        residencePermitValidFrom: '2025-03-01',
        residencePermitValidUntil: '2028-02-29',
      },
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
      sharedAt: givenAt,
    },
    NGO,
  );
  await h.settle();
};

const send = (who: Who | null, r: Request) =>
  h.app.inject({
    method: r.method,
    url: r.url,
    headers: {
      ...(who === null ? {} : { authorization: `Bearer ${tokens.get(who)!}` }),
      ...(r.payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...(r.ifMatch === undefined ? {} : { 'if-match': r.ifMatch }),
    },
    ...(r.payload === undefined ? {} : { payload: JSON.stringify(r.payload) }),
  });

/** A fresh opportunity, candidate and proposed placement: each writing cell starts from the same state. */
const fixture = async (): Promise<Fixture> => {
  const clientId = randomUUID();
  await consentingCandidate(clientId);
  const opportunity = await send('employer', { method: 'POST', url: '/v1/opportunities', payload: job() });
  expect(opportunity.statusCode, opportunity.body).toBe(201);
  const opportunityId = (opportunity.json() as { id: string }).id;
  const placement = await send('coach', {
    method: 'POST',
    url: '/v1/placements',
    payload: { clientId, opportunityId },
  });
  expect(placement.statusCode, placement.body).toBe(201);
  return { opportunityId, clientId, placementId: (placement.json() as { id: string }).id };
};

/** A problem body without what differs per request, with the ids it names replaced. */
const comparable = (body: string, ids: string[]): unknown => {
  const {
    requestId: _r,
    instance: _i,
    ...rest
  } = JSON.parse(ids.reduce((text, id) => text.split(id).join(':id'), body)) as Record<string, unknown>;
  return rest;
};

beforeAll(async () => {
  h = await startMatchingHarness();
  for (const who of WHO)
    tokens.set(who, await h.token(principal[who].organisationId, principal[who].roles, `user-${who}`));
  await membership(NGO, 'ngo');
  await membership(EMPLOYER, 'employer');
  await membership(OTHER, 'employer');
  await h.settle();
});
afterAll(async () => h?.close());

describe('matching authorisation table: operation × role × relationship', () => {
  it('has a row for every operation of the OpenAPI document, and none for an operation it lacks', () => {
    expect(tableCoverage('matching', TABLE)).toEqual({ missing: [], unknown: [], publicMismatch: [] });
  });

  const cells = Object.entries(TABLE).flatMap(([key, row]) => WHO.map((who) => [key, who, row] as const));
  it.each(cells)('%s as %s', async (_key, who, row) => {
    const f = await fixture();
    const request = row.request(f);
    const answer = await send(row.public ? null : who, request);
    const expected = row.outcomes[who];
    const problem = answer.statusCode >= 400 ? (JSON.parse(answer.body) as { code?: string }) : {};
    if (expected === 'ok') {
      expect([401, 403, 404], answer.body).not.toContain(answer.statusCode);
      expect(answer.statusCode, answer.body).toBeLessThan(500);
      return;
    }
    if (expected === 'scope' || expected === 'role') {
      expect(answer.statusCode, answer.body).toBe(403);
      if (expected === 'scope') expect(problem.code).toBe('INSUFFICIENT_SCOPE');
      else expect(problem.code).not.toBe('INSUFFICIENT_SCOPE');
      return;
    }
    // Hidden: indistinguishable from ids that do not exist.
    expect(answer.statusCode, answer.body).toBe(404);
    const random = { opportunityId: randomUUID(), clientId: randomUUID(), placementId: randomUUID() };
    const unknown = await send(who, row.request(random));
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(comparable(answer.body, Object.values(f))).toEqual(comparable(unknown.body, Object.values(random)));
  });
});
