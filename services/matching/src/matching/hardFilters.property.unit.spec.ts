import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LegalStatus } from '../domain/candidates/candidateProfile.js';
import {
  CEFR_LEVELS,
  CONTRACT_TYPES,
  DRIVING_LICENCES,
  LEGAL_STATUSES,
  OPPORTUNITY_TYPES,
} from '../domain/shared/vocabulary.js';
import { addDays } from '../domain/shared/dates.js';
import { sharedEsco } from '../esco/loadEsco.js';
import { ESCO, candidate, carpenterJob, carpenterProfile, refugeeInGreece } from '../testing/builders.js';
import { failedHardFilters } from './hardFilters.js';
import { MatchEngine } from './matchEngine.js';
import { DEFAULT_TUNING } from './weights.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';

const esco = sharedEsco();
// No score floor: every pair that passes the hard rules is listed, so the two sides can be compared.
const tuning = { ...DEFAULT_TUNING, scoreFloor: 0 };
const asOf = '2026-11-10T09:00:00Z';
const skills = Object.values(ESCO.skills);
const occupations = [ESCO.carpenter, ESCO.roofer, ESCO.welder, ESCO.cook, ESCO.softwareDeveloper];
const languages = ['el', 'en', 'ar'];

// Dates within ±400 days of asOf so every rule boundary (6-month waits, permit expiry, closing) gets crossed.
const day = fc.integer({ min: -400, max: 400 }).map((d) => addDays('2026-11-10', d));
const level = fc.constantFrom(...CEFR_LEVELS);
// Around the Gulf of Corinth: distances from 0 to ~250 km, some on either side of a mobility radius.
const place = fc.record({
  latitude: fc.double({ min: 37, max: 39, noNaN: true }),
  longitude: fc.double({ min: 21.5, max: 24, noNaN: true }),
});

const opportunityArb = fc
  .record({
    type: fc.constantFrom(...OPPORTUNITY_TYPES),
    occupation: fc.constantFrom(...occupations),
    essential: fc.uniqueArray(fc.constantFrom(...skills), { minLength: 1, maxLength: 4 }),
    languages: fc.uniqueArray(fc.record({ language: fc.constantFrom(...languages), minLevel: level }), {
      maxLength: 1,
      selector: (l) => l.language,
    }),
    remote: fc.boolean(),
    place,
    contractType: fc.constantFrom(...CONTRACT_TYPES),
    paid: fc.boolean(),
    hours: fc.integer({ min: 5, max: 40 }),
    start: day,
    closing: fc.option(day, { freq: 2 }),
    licence: fc.option(fc.constantFrom(...DRIVING_LICENCES), { freq: 2 }),
    status: fc.constantFrom('open', 'open', 'open', 'paused', 'filled', 'closed' as const),
  })
  .map((r): Omit<MatchableOpportunity, 'id'> => ({
    status: r.status,
    details: carpenterJob({
      type: r.type,
      occupation: r.occupation,
      essentialSkills: r.essential,
      optionalSkills: skills.filter((s) => !r.essential.includes(s)).slice(0, 2),
      languages: r.languages,
      location: r.remote ? { remote: true } : { remote: false, ...r.place },
      contractType: r.contractType,
      pay: r.paid ? { amount: 1000, currency: 'EUR', per: 'month' } : null,
      hoursPerWeek: r.hours,
      startDate: r.start,
      closingDate: r.closing,
      drivingLicence: r.licence,
    }),
  }));

const legalArb: fc.Arbitrary<LegalStatus | null> = fc.option(
  fc
    .record({
      status: fc.constantFrom(...LEGAL_STATUSES),
      country: fc.constantFrom('GR', 'DE', 'FR', 'PT'),
      applicationDate: fc.option(day),
      permit: fc.option(fc.tuple(day, fc.integer({ min: 0, max: 900 }))),
      workPermit: fc.option(fc.tuple(day, fc.integer({ min: 0, max: 400 }))),
    })
    .map((r): LegalStatus => ({
      status: r.status,
      country: r.country,
      ...(r.applicationDate ? { applicationDate: r.applicationDate } : {}),
      ...(r.permit
        ? { residencePermit: { validFrom: r.permit[0], validUntil: addDays(r.permit[0], r.permit[1]) } }
        : {}),
      ...(r.workPermit
        ? { workPermit: { validFrom: r.workPermit[0], validUntil: addDays(r.workPermit[0], r.workPermit[1]) } }
        : {}),
    })),
  { freq: 6 },
);

const candidateArb = fc
  .record({
    occupation: fc.constantFrom(...occupations),
    months: fc.integer({ min: 0, max: 60 }),
    skills: fc.uniqueArray(fc.constantFrom(...skills), { maxLength: 5 }),
    languages: fc.uniqueArray(fc.record({ language: fc.constantFrom(...languages), level }), {
      minLength: 1,
      maxLength: 3,
      selector: (l) => l.language,
    }),
    place,
    mobility: fc.integer({ min: 0, max: 300 }),
    licences: fc.uniqueArray(fc.constantFrom(...DRIVING_LICENCES), { maxLength: 2 }),
    from: fc.integer({ min: -400, max: 60 }).map((d) => addDays('2026-11-10', d)),
    hours: fc.integer({ min: 5, max: 45 }),
    remote: fc.constantFrom('no', 'also', 'only' as const),
    types: fc.subarray([...OPPORTUNITY_TYPES]),
    unpaidOk: fc.boolean(),
    datesShared: fc.boolean(),
    // Half hold a long-valid permit so that enough pairs pass and the "misses none" half has work to do.
    legal: fc.oneof(legalArb, fc.constant(refugeeInGreece())),
  })
  .map((r) => ({
    legal: r.legal,
    datesShared: r.datesShared,
    profile: carpenterProfile({
      occupations: [{ occupation: r.occupation, months: r.months }],
      skills: r.skills,
      languages: r.languages,
      location: r.place,
      mobilityKm: r.mobility,
      drivingLicences: r.licences,
      availability: { from: r.from, hoursPerWeek: r.hours },
      preferences: {
        opportunityTypes: r.types,
        contractTypes: r.unpaidOk ? ['unpaid'] : [],
        occupations: [],
        remote: r.remote,
      },
    }),
  }));

describe('matching hard filters (property)', () => {
  it('never returns a pair that fails a hard filter, and misses no pair that passes them all', () => {
    let matches = 0;
    fc.assert(
      fc.property(
        fc.array(opportunityArb, { minLength: 1, maxLength: 25 }),
        fc.array(candidateArb, { minLength: 1, maxLength: 12 }),
        (opps, cands) => {
          const engine = new MatchEngine(esco, { tuning });
          const opportunities: MatchableOpportunity[] = opps.map((o, i) => ({ id: `o${i}`, ...o }));
          const candidates: MatchableCandidate[] = cands.map((c, i) => ({
            ...candidate(`c${i}`, c.profile, c.legal),
            datesShared: c.datesShared,
          }));
          opportunities.forEach((o) => engine.upsertOpportunity(o));
          candidates.forEach((c) => engine.upsertCandidate(c));

          for (const c of candidates) {
            const found = engine.opportunitiesFor(c.id, { asOf, limit: 1000 });
            const expected = opportunities
              .filter((o) => failedHardFilters(c, o, asOf, undefined, tuning).length === 0)
              .map((o) => o.id);
            // A why-not names the same rules as the reference, in the same order.
            for (const o of opportunities)
              expect(engine.explainPair(c.id, o.id, asOf)!.excludedBy).toEqual(
                failedHardFilters(c, o, asOf, undefined, tuning),
              );
            for (const r of found)
              expect(failedHardFilters(c, opportunities[Number(r.opportunityId.slice(1))]!, asOf)).toEqual([]);
            expect(found.map((r) => r.opportunityId).sort()).toEqual(expected.sort());
            matches += found.length;
            found.forEach((r, i) => i > 0 && expect(r.score).toBeLessThanOrEqual(found[i - 1]!.score));
          }
          for (const o of opportunities) {
            const found = engine.candidatesFor(o.id, { asOf, limit: 1000 }).map((r) => r.candidateId);
            const expected = candidates.filter((c) => failedHardFilters(c, o, asOf).length === 0).map((c) => c.id);
            expect(found.sort()).toEqual(expected.sort());
          }
        },
      ),
      { numRuns: 150 },
    );
    // The generators must produce passing pairs too, or the "misses none" half proves nothing.
    expect(matches).toBeGreaterThan(100);
  });
});
