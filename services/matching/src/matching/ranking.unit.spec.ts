import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Fixture, Judgments } from '../../bench/fixture/fixtureTypes.js';
import { judgedQuality } from '../../bench/fixture/quality.js';
import { sharedEsco } from '../esco/loadEsco.js';
import { candidate, carpenterJob, carpenterProfile, openOpportunity } from '../testing/builders.js';
import { MatchEngine } from './matchEngine.js';

const asOf = '2026-11-10T09:00:00Z';
const esco = sharedEsco();
const fixtureFile = (name: string) => new URL(`../../bench/fixture/${name}`, import.meta.url);

describe('ranking as a coach would rank', () => {
  it('reaches nDCG@10 ≥ 0.95 on the judged fixture, both directions', () => {
    const fixture = JSON.parse(readFileSync(fixtureFile('fixture.json'), 'utf8')) as Fixture;
    const judgments = JSON.parse(readFileSync(fixtureFile('judgments.json'), 'utf8')) as Judgments;
    const quality = judgedQuality(new MatchEngine(esco), fixture, judgments);
    console.log(
      `judged fixture (${quality.fixture.candidates} candidates × ${quality.fixture.opportunities} opportunities): ` +
        `nDCG@10 ${quality.ndcgAt10} (opportunities for a candidate), ` +
        `${quality.ndcgAt10CandidatesForOpportunity} (candidates for an opportunity), P@5 ${quality.precisionAt5}`,
    );
    expect(quality.ndcgAt10).toBeGreaterThanOrEqual(0.95);
    expect(quality.ndcgAt10CandidatesForOpportunity).toBeGreaterThanOrEqual(0.95);
  });

  it('ranks someone offering somewhat fewer hours lower, flagged, and drops someone offering far fewer', () => {
    const engine = new MatchEngine(esco);
    engine.upsertOpportunity(openOpportunity('job', carpenterJob({ hoursPerWeek: 40 })));
    engine.upsertCandidate(candidate('full', carpenterProfile()));
    engine.upsertCandidate(
      candidate('thirty-two', carpenterProfile({ availability: { from: '2026-11-01', hoursPerWeek: 32 } })),
    );
    engine.upsertCandidate(
      candidate('twenty', carpenterProfile({ availability: { from: '2026-11-01', hoursPerWeek: 20 } })),
    );
    const found = engine.candidatesFor('job', { asOf });
    expect(found.map((m) => m.candidateId)).toEqual(['full', 'thirty-two']);
    expect(found[1]!.reasons).toContainEqual(
      expect.objectContaining({
        code: 'fewer_hours',
        effect: 'lowers',
        detail: 'offers 32 of the 40 hours a week asked',
      }),
    );
    expect(found[1]!.score).toBeLessThan(found[0]!.score);
    expect(engine.explainPair('twenty', 'job', asOf)!.excludedBy).toEqual(['not_enough_hours']);
  });

  it('shows unpaid work only to someone who accepts that kind', () => {
    const engine = new MatchEngine(esco);
    const unpaid = { type: 'volunteering' as const, contractType: 'unpaid' as const, pay: null };
    engine.upsertOpportunity(openOpportunity('volunteer', carpenterJob(unpaid)));
    engine.upsertCandidate(candidate('paid-only', carpenterProfile()));
    const willing = carpenterProfile();
    willing.preferences.opportunityTypes = ['job', 'volunteering'];
    engine.upsertCandidate(candidate('willing', willing));
    expect(engine.candidatesFor('volunteer', { asOf }).map((m) => m.candidateId)).toEqual(['willing']);
    expect(engine.explainPair('paid-only', 'volunteer', asOf)!.excludedBy).toEqual(['unpaid_not_accepted']);
  });

  it('ranks a part-time job below an equal full-time one for someone wanting full time', () => {
    const engine = new MatchEngine(esco);
    engine.upsertOpportunity(openOpportunity('a-part-time', carpenterJob({ hoursPerWeek: 20 })));
    engine.upsertOpportunity(openOpportunity('b-full-time', carpenterJob({ hoursPerWeek: 40 })));
    engine.upsertCandidate(candidate('wants-full-time', carpenterProfile()));
    engine.upsertCandidate(
      candidate('wants-part-time', carpenterProfile({ availability: { from: '2026-11-01', hoursPerWeek: 20 } })),
    );
    const forFull = engine.opportunitiesFor('wants-full-time', { asOf });
    expect(forFull.map((m) => m.opportunityId)).toEqual(['b-full-time', 'a-part-time']);
    expect(forFull[1]!.reasons.map((r) => r.code)).toContain('part_time');
    // Someone wanting part time is not penalised for it (and cannot do the 40 hours).
    expect(engine.opportunitiesFor('wants-part-time', { asOf }).map((m) => m.opportunityId)).toEqual(['a-part-time']);
  });

  it('does not list matches below the score floor: a truck driver is not shown nursing jobs', () => {
    const engine = new MatchEngine(esco);
    const nurse = '8d3e8aaa-791b-4c75-a465-f3f827028f50'; // nurse responsible for general care, ISCO 2221
    const driver = 'a504e79e-f146-4773-a1cf-2b15b9d614db'; // moving truck driver, ISCO 8332
    engine.upsertOpportunity(
      openOpportunity(
        'nursing',
        carpenterJob({
          occupation: nurse,
          essentialSkills: esco
            .essentialSkillIndices(nurse)
            .slice(0, 4)
            .map((s) => esco.skillIdAt(s)),
          optionalSkills: [],
        }),
      ),
    );
    engine.upsertCandidate(
      candidate(
        'driver',
        carpenterProfile({
          occupations: [{ occupation: driver, months: 60 }],
          skills: esco
            .essentialSkillIndices(driver)
            .slice(0, 6)
            .map((s) => esco.skillIdAt(s)),
          drivingLicences: ['CE'],
        }),
      ),
    );
    expect(engine.opportunitiesFor('driver', { asOf })).toEqual([]);
    const verdict = engine.explainPair('driver', 'nursing', asOf)!;
    expect(verdict.excludedBy).toEqual(['below_score_floor']);
    expect(verdict.match!.score).toBeLessThan(engine.tuning.scoreFloor);
  });
});
