import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, epochDay } from '../domain/shared/dates.js';
import { CEFR_LEVELS, CONTRACT_TYPES, OPPORTUNITY_TYPES } from '../domain/shared/vocabulary.js';
import { sharedEsco } from '../esco/loadEsco.js';
import { ESCO, candidate, carpenterJob, carpenterProfile, refugeeInGreece } from '../testing/builders.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from '../rightToWork/sampleRules.js';
import { CandidateTable } from './candidateTable.js';
import { Interner } from './compiled.js';
import { MatchEngine } from './matchEngine.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';
import { OpportunityTable } from './opportunityTable.js';
import { checkPair, pairKm, scorePair } from './pairScore.js';
import { DEFAULT_TUNING, type MatchTuning } from './weights.js';

const esco = sharedEsco();
const asOf = '2026-11-10T09:00:00Z';

// Occupations around the carpenter's ISCO 7115 at every level (same unit group, minor, sub-major, major group,
// none), so the occupation groups the search opens in turn all hold someone.
const carpenterIsco = esco.occupation(ESCO.carpenter)!.isco;
const occupationsSharing = (digits: number) =>
  Array.from({ length: esco.occupationCount }, (_, k) => k)
    .filter((k) => {
      const isco = esco.occupationIscoAt(k);
      return isco.slice(0, digits) === carpenterIsco.slice(0, digits) && isco[digits] !== carpenterIsco[digits];
    })
    .slice(0, 3)
    .map((k) => esco.occupationAt(k).id);
const occupations = [ESCO.carpenter, ...[4, 3, 2, 1, 0].flatMap(occupationsSharing)];
// The skills those occupations ask for, so that overlaps of every size occur.
const skills = [
  ...new Set(
    occupations.flatMap((id) =>
      esco.dataset.essential[esco.occupationIndex(id)]!.slice(0, 4).map(esco.skillIdAt, esco),
    ),
  ),
];
const day = fc.integer({ min: -60, max: 60 }).map((d) => addDays('2026-11-10', d));
const place = fc.record({
  latitude: fc.double({ min: 37.5, max: 38.5, noNaN: true }),
  longitude: fc.double({ min: 23, max: 24, noNaN: true }),
});

const opportunityArb = fc
  .record({
    type: fc.constantFrom(...OPPORTUNITY_TYPES),
    occupation: fc.constantFrom(...occupations),
    essential: fc.uniqueArray(fc.constantFrom(...skills), { maxLength: 4 }),
    optional: fc.uniqueArray(fc.constantFrom(...skills), { maxLength: 3 }),
    language: fc.option(fc.constantFrom(...CEFR_LEVELS), { freq: 2 }),
    remote: fc.boolean(),
    place,
    contractType: fc.constantFrom(...CONTRACT_TYPES),
    hours: fc.integer({ min: 10, max: 40 }),
    start: day,
  })
  .map((r): Omit<MatchableOpportunity, 'id'> => ({
    status: 'open',
    details: carpenterJob({
      type: r.type,
      occupation: r.occupation,
      essentialSkills: r.essential,
      optionalSkills: r.optional.filter((s) => !r.essential.includes(s)),
      languages: r.language ? [{ language: 'el', minLevel: r.language }] : [],
      location: r.remote ? { remote: true } : { remote: false, ...r.place },
      contractType: r.contractType,
      hoursPerWeek: r.hours,
      startDate: r.start,
      closingDate: null,
    }),
  }));

const candidateArb = fc
  .record({
    practised: fc.uniqueArray(
      fc.record({ occupation: fc.constantFrom(...occupations), months: fc.integer({ min: 0, max: 30 }) }),
      { maxLength: 2, selector: (o) => o.occupation },
    ),
    preferred: fc.uniqueArray(fc.constantFrom(...occupations), { maxLength: 2 }),
    skills: fc.uniqueArray(fc.constantFrom(...skills), { maxLength: 6 }),
    level: fc.constantFrom(...CEFR_LEVELS),
    place,
    mobility: fc.integer({ min: 5, max: 150 }),
    from: day,
    hours: fc.integer({ min: 10, max: 45 }),
    remote: fc.constantFrom('no', 'also', 'only' as const),
    types: fc.subarray([...OPPORTUNITY_TYPES]),
    contracts: fc.subarray([...CONTRACT_TYPES]),
  })
  .map((r) =>
    carpenterProfile({
      occupations: r.practised,
      skills: r.skills,
      languages: [{ language: 'el', level: r.level }],
      location: r.place,
      mobilityKm: r.mobility,
      availability: { from: r.from, hoursPerWeek: r.hours },
      preferences: {
        opportunityTypes: r.types,
        contractTypes: r.contracts,
        occupations: r.preferred,
        remote: r.remote,
      },
    }),
  );

const weight = fc.double({ min: 0.01, max: 1, noNaN: true });
const tuningArb: fc.Arbitrary<MatchTuning> = fc
  .record({
    weights: fc.record({
      essentialSkills: weight,
      optionalSkills: weight,
      occupation: weight,
      languages: weight,
      distance: weight,
      preferences: weight,
    }),
    scoreFloor: fc.constantFrom(0, 0.2, 0.35, 0.5),
    preferredOccupationFactor: fc.constantFrom(0.5, 0.8, 1),
  })
  .map((t) => ({ ...DEFAULT_TUNING, ...t }));

/**
 * The reference: every pair through the hard rules and the score on columns of its own, no index, no bound,
 * no early stop; best first, ties by id. Scores unrounded (the lists show them rounded to 3 digits).
 */
function exhaustive(
  people: readonly MatchableCandidate[],
  opportunity: MatchableOpportunity,
  tuning: MatchTuning,
  limit: number,
): { id: string; score: number }[] {
  const languages = new Interner();
  const c = new CandidateTable(esco, languages, new Interner(), SAMPLE_RIGHT_TO_WORK_RULES);
  const o = new OpportunityTable(esco, languages);
  o.upsert(opportunity);
  const j = o.slots.slotOf(opportunity.id)!;
  const today = epochDay(asOf);
  const start = o.startDay[j]!;
  const essential = new Set(o.skillsOf(j).subarray(0, o.nEssential[j]!));
  const optional = new Set(o.skillsOf(j).subarray(o.nEssential[j]!));
  const scored: { id: string; score: number }[] = [];
  for (const person of people) {
    c.upsert(person);
    const i = c.slots.slotOf(person.id)!;
    if (checkPair(c, i, o, j, start > today ? start : today, today, tuning) >= 0) continue;
    const held = [...c.skillsOf(i)];
    const ess = held.filter((s) => essential.has(s)).length;
    const opt = held.filter((s) => optional.has(s)).length;
    const score = scorePair(c, i, o, j, ess, opt, o.remote[j] === 1 ? 0 : pairKm, tuning).score;
    if (score >= tuning.scoreFloor) scored.push({ id: person.id, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
    .map(({ id, score }) => ({ id, score: Math.round(score * 1000) / 1000 }));
}

/** Later edits: a candidate's profile replaced, or the candidate removed (the indexes then hold stale entries). */
const editArb = fc.record({ at: fc.nat(), profile: fc.option(candidateArb, { freq: 3 }) });

describe('candidates for an opportunity (property)', () => {
  it('lists exactly the top k of every pair scored, in the same order with the same scores', () => {
    let listed = 0;
    let full = 0;
    fc.assert(
      fc.property(
        tuningArb,
        fc.array(opportunityArb, { minLength: 1, maxLength: 6 }),
        fc.array(candidateArb, { minLength: 1, maxLength: 40 }),
        fc.array(editArb, { maxLength: 10 }),
        fc.integer({ min: 1, max: 8 }),
        (tuning, opps, cands, edits, limit) => {
          const engine = new MatchEngine(esco, { tuning });
          const opportunities = opps.map((o, i): MatchableOpportunity => ({ id: `o${i}`, ...o }));
          opportunities.forEach((o) => engine.upsertOpportunity(o));
          const people = new Map<string, MatchableCandidate>();
          cands.forEach((profile, i) => people.set(`c${i}`, candidate(`c${i}`, profile, refugeeInGreece())));
          people.forEach((c) => engine.upsertCandidate(c));
          for (const edit of edits) {
            const id = `c${edit.at % cands.length}`;
            if (edit.profile) {
              people.set(id, candidate(id, edit.profile, refugeeInGreece()));
              engine.upsertCandidate(people.get(id)!);
            } else if (people.delete(id)) engine.removeCandidate(id);
          }

          for (const o of opportunities) {
            const expected = exhaustive([...people.values()], o, tuning, limit);
            const found = engine
              .candidatesFor(o.id, { asOf, limit })
              .map((m) => ({ id: m.candidateId, score: m.score }));
            expect(found).toEqual(expected);
            listed += found.length;
            if (found.length === limit) full++;
          }
        },
      ),
      { numRuns: 300 },
    );
    // The generators must let pairs through, or the equality proves nothing.
    expect(listed).toBeGreaterThan(300);
    // … and fill the list often enough that the bound of the k-th entry prunes.
    expect(full).toBeGreaterThan(100);
  });
});
