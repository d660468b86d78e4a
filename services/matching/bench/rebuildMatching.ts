import type { NewEvent } from '@estia/infra/eventStore/types.js';
import type { RebuildTarget } from '../../../bench/rebuildTarget.js';
import { PLACEMENT_FACTS } from '../src/application/placementFacts.js';
import { loadEsco } from '../src/esco/loadEsco.js';
import { MatchEngine } from '../src/matching/matchEngine.js';
import { matchingReadModels } from '../src/readModels/readModelProjection.js';

// Seeded, so every run and every store gets the same log.
let seed = 4242;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const id = (kind: number, i: number) => `${kind}0000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const at = '2026-11-10T09:00:00.000Z';
const coach = { organisationId: id(7, 1), userId: 'coach' };
const employer = { organisationId: id(7, 2), userId: 'employer' };

type Esco = ReturnType<typeof loadEsco>;

/**
 * Unit `i` of the log: a candidate (consent, legal status, profile) proposed for an opportunity and
 * moved along the pipeline (interested, applied, some hired, a follow-up); every second unit also
 * publishes an opportunity, some revised or paused.
 */
function unitEvents(esco: Esco, i: number): Array<{ streamId: string; events: NewEvent[] }> {
  const streams: Array<{ streamId: string; events: NewEvent[] }> = [];
  const occupationAt = (occ: number) => esco.dataset.occupations[occ]![0];
  const skillsOf = (occ: number) => esco.dataset.essential[occ]!.slice(0, 6).map((s) => esco.skillIdAt(s));
  const opportunityId = id(1, Math.floor(i / 2));
  if (i % 2 === 0) {
    const occ = int(0, esco.occupationCount - 1);
    const details = {
      type: 'job',
      title: 'synthetic',
      occupation: occupationAt(occ),
      essentialSkills: skillsOf(occ),
      optionalSkills: [],
      languages: [{ language: 'el', minLevel: pick(['A1', 'A2', 'B1'] as const) }],
      location: { remote: false, latitude: 37.98 + rand() / 10, longitude: 23.72 + rand() / 10 },
      contractType: 'fixed_term',
      hoursPerWeek: 40,
      pay: { amount: 1000, currency: 'EUR', per: 'month' },
      positions: 2,
      startDate: '2026-12-01',
      closingDate: null,
      drivingLicence: null,
    };
    const events: NewEvent[] = [
      { type: 'OpportunityPublished', data: { opportunityId, publishedBy: employer, publishedAt: at, details } },
    ];
    if (i % 10 === 0)
      events.push({ type: 'OpportunityRevised', data: { opportunityId, revisedBy: employer, revisedAt: at, details } });
    if (i % 20 === 0)
      events.push({ type: 'OpportunityPaused', data: { opportunityId, by: employer, at, reason: null } });
    streams.push({ streamId: `opportunity-${opportunityId}`, events });
  }
  const clientId = id(2, i);
  const occ = int(0, esco.occupationCount - 1);
  const metadata = { actor: coach };
  streams.push({
    streamId: `candidate-${clientId}`,
    events: [
      { type: 'MatchingConsentRecorded', data: { clientId, consentId: id(3, i), scope: ['profile'], at }, metadata },
      {
        type: 'CandidateLegalStatusUpdated',
        data: {
          clientId,
          legalStatus: {
            status: 'refugee',
            country: 'GR',
            residencePermit: { validFrom: '2025-01-01', validUntil: '2028-01-01' },
          },
          at,
        },
      },
      {
        type: 'CandidateProfileUpdated',
        data: {
          clientId,
          by: coach,
          at,
          profile: {
            occupations: [{ occupation: occupationAt(occ), months: int(0, 120) }],
            skills: skillsOf(occ),
            educationLevel: int(1, 8),
            languages: [{ language: 'el', level: 'B1' }],
            location: { latitude: 37.98, longitude: 23.72 },
            mobilityKm: 40,
            drivingLicences: [],
            availability: { from: '2026-11-01', hoursPerWeek: 40 },
            preferences: { opportunityTypes: [], contractTypes: [], occupations: [], remote: 'also' },
          },
        },
      },
    ],
  });
  const applicationId = id(4, i);
  const stamp = { applicationId, by: coach, at };
  const pipeline: NewEvent[] = [
    {
      type: 'OpportunityProposed',
      data: { ...stamp, clientId, opportunityId, match: { score: 0.8 } },
      metadata: { [PLACEMENT_FACTS]: { employerOrganisationId: employer.organisationId } },
    },
    { type: 'ClientInterested', data: { ...stamp, note: null } },
  ];
  if (i % 2 === 0) pipeline.push({ type: 'ApplicationSent', data: { ...stamp, fields: ['skills'] } });
  if (i % 6 === 0) {
    pipeline.push({ type: 'Hired', data: { ...stamp, startDate: '2026-12-01' } });
    pipeline.push({ type: 'FollowUpRecorded', data: { ...stamp, month: 3, stillEmployed: true } });
  }
  streams.push({ streamId: `application-${applicationId}`, events: pipeline });
  return streams;
}

/** Matching: opportunities, candidates and applications in one projection that also feeds the engine. */
export const matchingRebuild: RebuildTarget = {
  service: 'matching',
  async seed(store, wanted, progress = () => undefined) {
    seed = 4242;
    const esco = loadEsco();
    let events = 0;
    for (let i = 0; events < wanted; i += 200) {
      const appends: Promise<unknown>[] = [];
      for (let k = i; k < i + 200 && events < wanted; k++)
        for (const { streamId, events: batch } of unitEvents(esco, k)) {
          events += batch.length;
          appends.push(store.append(streamId, batch, { expectedVersion: 'no-stream' }));
        }
      await Promise.all(appends);
      progress(events);
    }
    return events;
  },
  projections: async () => [matchingReadModels(new MatchEngine(loadEsco()))],
};
