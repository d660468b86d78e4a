import { deliverMembership } from '../testing/membership.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATHENS, ESCO } from '../testing/builders.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';
import {
  DEMO_MATCHING_STREAM,
  seedDemoMatching,
  seedDemoMatchingWhenReady,
  type DemoMatchingDeps,
} from './seedDemoMatching.js';

const NGO = randomUUID();
const EMPLOYER = randomUUID();
const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let h: MatchingHarness;
let deps: DemoMatchingDeps;

const membership = (organisationId: string, kind: 'ngo' | 'employer') => deliverMembership(h, organisationId, kind);

/** A job seeker of the NGO in Athens, as the referrals demo shares them (with or without the permit dates). */
const jobSeeker = async (datesShared: boolean, occupation: string) => {
  const clientId = randomUUID();
  const consentId = randomUUID();
  const givenAt = new Date().toISOString();
  const scope = ['legal_status', 'languages', 'location', 'skills', 'occupations', 'availability'] as const;
  await h.deliver(
    'estia.referrals.client.consent-given.v1',
    clientId,
    {
      consentId,
      clientId,
      purpose: 'job_matching',
      recipient: {},
      scope: datesShared ? [...scope, 'legal_status_dates'] : [...scope],
      givenAt,
      expiresAt: null,
      recordedByOrganisationId: NGO,
    },
    NGO,
  );
  await h.deliver(
    'estia.referrals.client.consent-given.v1',
    clientId,
    {
      consentId: randomUUID(),
      clientId,
      purpose: 'employer_sharing',
      recipient: {},
      scope: ['languages', 'skills', 'occupations', 'availability'],
      givenAt,
      expiresAt: null,
      recordedByOrganisationId: NGO,
    },
    NGO,
  );
  const now = Date.now();
  await h.deliver(
    'estia.referrals.client.candidate-profile-shared.v1',
    clientId,
    {
      clientId,
      consentId,
      legalStatus: datesShared
        ? {
            status: 'refugee',
            decisionDate: isoDate(now - 300 * DAY),
            residencePermitValidFrom: isoDate(now - 330 * DAY),
            residencePermitValidUntil: isoDate(now + 600 * DAY),
          }
        : { status: 'refugee' },
      languages: [{ language: 'el', level: 'B2' }],
      location: {
        country: 'GR',
        region: 'EL30',
        coordinates: { lat: ATHENS.latitude, lon: ATHENS.longitude },
        maxTravelKm: 40,
      },
      skills: [`http://data.europa.eu/esco/skill/${ESCO.skills.installWood}`],
      occupations: [{ escoUri: `http://data.europa.eu/esco/occupation/${occupation}` }],
      drivingLicences: [],
      availability: { from: isoDate(now), hoursPerWeek: 40, opportunityKinds: ['job'] },
      sharedAt: givenAt,
    },
    NGO,
  );
  return clientId;
};

beforeAll(async () => {
  h = await startMatchingHarness();
  await membership(NGO, 'ngo');
  await membership(EMPLOYER, 'employer');
  deps = {
    store: h.store,
    db: h.db,
    esco: h.built.esco,
    engine: h.built.engine,
    waitFor: (position) => h.projector.waitFor(position, 10_000),
    log: () => undefined,
  };
});
afterAll(async () => h?.close());

describe('the matching demo', () => {
  it('gives a job coach opportunities, a hire with a follow-up due and an application, once', async () => {
    const hiredOrApplied = [await jobSeeker(true, ESCO.carpenter), await jobSeeker(true, ESCO.carpenter)];
    await jobSeeker(false, ESCO.carpenter);
    await h.settle();
    expect(await seedDemoMatchingWhenReady(deps, { quietMs: 500, timeoutMs: 20_000 })).toBeGreaterThan(0);
    await h.settle();

    const coach = await h.token(NGO, ['job_coach']);
    const get = async (url: string) =>
      (await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${coach}` } })).json();
    const opportunities = await get('/v1/opportunities?status=open');
    expect(opportunities.items.length).toBe(3);
    expect(opportunities.items.every((o: { organisationId: string }) => o.organisationId === EMPLOYER)).toBe(true);
    const pipeline = await get('/v1/placements');
    expect(pipeline.stages).toMatchObject({ hired: 1, applied: 1 });
    expect(pipeline.followUpsDue).toBe(1);
    const hired = pipeline.items.find((p: { stage: string }) => p.stage === 'hired');
    expect(hired.followUpSchedule.map((f: { state: string }) => f.state)).toEqual(['recorded', 'due', 'upcoming']);
    expect(hiredOrApplied).toContain(hired.clientId);
    // The candidate without the permit dates is listed with the reason it matches nothing.
    const candidates = await get('/v1/candidates');
    expect(candidates.items.filter((c: { notices: unknown[] }) => c.notices.length > 0)).toHaveLength(1);

    // Done is done: a restart seeds nothing more, and a rerun of the steps finds every one done.
    expect((await h.store.readStream(DEMO_MATCHING_STREAM)).some((e) => e.type === 'DemoMatchingSeeded')).toBe(true);
    expect(await seedDemoMatchingWhenReady(deps, { quietMs: 500 })).toBe(0);
    expect(await seedDemoMatching(deps)).toBe(0);
    await h.settle();
    expect((await get('/v1/opportunities')).items.length).toBe(3);
    expect((await get('/v1/placements')).items.length).toBe(2);
  }, 60_000);
});
