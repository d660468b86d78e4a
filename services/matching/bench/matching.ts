/**
 * Matching quality and speed:  pnpm bench:matching
 * - quality on the hand-judged fixture (bench/fixture): precision@5 and nDCG@10, both directions;
 * - ESCO load and autocomplete latency;
 * - latency of top-20 opportunities among 50,000 and top-50 candidates among 100,000 synthetic records, and RSS.
 * Prints the figures and writes bench/results/matching.json (repository root).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EscoAutocomplete } from '../src/esco/autocomplete.js';
import { loadEsco } from '../src/esco/loadEsco.js';
import type { LegalStatus } from '../src/domain/candidates/candidateProfile.js';
import { addDays } from '../src/domain/shared/dates.js';
import { CEFR_LEVELS, OPPORTUNITY_TYPES, type CefrLevel } from '../src/domain/shared/vocabulary.js';
import { MatchEngine } from '../src/matching/matchEngine.js';
import type { MatchableCandidate, MatchableOpportunity } from '../src/matching/model.js';
import type { Fixture, Judgments } from './fixture/fixtureTypes.js';

const here = dirname(fileURLToPath(import.meta.url));
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const ms = (x: number) => Math.round(x * 100) / 100;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const stats = (values: number[]) => ({
  n: values.length,
  p50: ms(percentile(values, 50)),
  p95: ms(percentile(values, 95)),
  p99: ms(percentile(values, 99)),
  max: ms(Math.max(...values)),
});

// Seeded, so every run measures the same data.
let seed = 424242;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const sample = <T>(list: readonly T[], n: number): T[] => {
  const out: T[] = [];
  for (let i = 0; i < n && list.length > 0; i++) out.push(pick(list));
  return [...new Set(out)];
};

// ---- ESCO load and autocomplete ----
const t0 = performance.now();
const esco = loadEsco();
const loadMs = performance.now() - t0;
const t1 = performance.now();
const autocomplete = new EscoAutocomplete(esco);
const indexMs = performance.now() - t1;

const typo = (word: string): string => {
  if (word.length < 5) return word;
  const i = int(1, word.length - 2);
  return pick([
    () => word.slice(0, i) + word.slice(i + 1), // missing letter
    () => word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2), // swapped letters
    () => word.slice(0, i) + 'e' + word.slice(i + 1), // wrong letter
  ])();
};
const queries: string[] = [];
for (let i = 0; i < 600; i++) {
  const rows = rand() < 0.4 ? esco.dataset.occupations : esco.dataset.skills;
  const row = pick(rows);
  const label = rand() < 0.7 ? row[2] : (pick(row[3]) ?? row[2]);
  const words = label.toLowerCase().split(/\s+/).slice(0, int(1, 3));
  const last = words.length - 1;
  words[last] = words[last]!.slice(0, Math.max(2, int(2, words[last]!.length))); // still typing
  if (rand() < 0.3) words[0] = typo(words[0]!);
  queries.push(words.join(' '));
}
for (const q of queries.slice(0, 50)) autocomplete.suggest(q); // warm-up
const acTimes = queries.map((q) => {
  const s = performance.now();
  autocomplete.suggest(q, { limit: 10 });
  return performance.now() - s;
});

// ---- quality on the judged fixture ----
const fixture = JSON.parse(readFileSync(join(here, 'fixture/fixture.json'), 'utf8')) as Fixture;
const judgments = JSON.parse(readFileSync(join(here, 'fixture/judgments.json'), 'utf8')) as Judgments;
const quality = new MatchEngine(esco);
fixture.opportunities.forEach((o) => quality.upsertOpportunity(o.opportunity));
fixture.candidates.forEach((c) => quality.upsertCandidate(c.candidate));
const dcg = (grades: number[]) => grades.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
const ndcgAt10 = (ranked: number[], all: number[]) => {
  const ideal = dcg([...all].sort((a, b) => b - a).slice(0, 10));
  return ideal === 0 ? null : dcg(ranked.slice(0, 10)) / ideal;
};
const mean = (xs: number[]) =>
  xs.length === 0 ? 0 : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;

const p5: number[] = [];
const p5capped: number[] = [];
const ndcgC: number[] = [];
for (const c of fixture.candidates) {
  const row = judgments[c.candidate.id] ?? {};
  const relevant = Object.values(row).filter((g) => g >= 2).length;
  if (relevant === 0) continue;
  const ranked = quality
    .opportunitiesFor(c.candidate.id, { asOf: fixture.asOf, limit: 10 })
    .map((r) => row[r.opportunityId] ?? 0);
  const hits = ranked.slice(0, 5).filter((g) => g >= 2).length;
  p5.push(hits / 5);
  p5capped.push(hits / Math.min(5, relevant));
  ndcgC.push(ndcgAt10(ranked, Object.values(row))!);
}
const byOpportunity: Record<string, Record<string, number>> = {};
for (const [cid, row] of Object.entries(judgments))
  for (const [oid, g] of Object.entries(row)) (byOpportunity[oid] ??= {})[cid] = g;
const ndcgO: number[] = [];
for (const [oid, row] of Object.entries(byOpportunity)) {
  if (!Object.values(row).some((g) => g >= 2)) continue;
  const ranked = quality.candidatesFor(oid, { asOf: fixture.asOf, limit: 10 }).map((r) => row[r.candidateId] ?? 0);
  ndcgO.push(ndcgAt10(ranked, Object.values(row))!);
}

// ---- latency at scale (synthetic) ----
const CITIES = [
  [37.98, 23.73],
  [40.64, 22.94],
  [38.25, 21.73],
  [35.34, 25.14],
  [39.64, 22.42],
  [39.67, 20.85],
  [41.12, 25.4],
  [36.43, 28.22],
] as const;
const near = (): { latitude: number; longitude: number } => {
  const [lat, lon] = pick(CITIES);
  return { latitude: lat + (rand() - 0.5) * 0.6, longitude: lon + (rand() - 0.5) * 0.6 };
};
const occupationCount = esco.occupationCount;
const asOf = '2026-11-10T09:00:00Z';
const today = asOf.slice(0, 10);
const level = (): CefrLevel => pick(CEFR_LEVELS);
const skillsOf = (occ: number, share: number) => {
  const ess = esco.dataset.essential[occ]!;
  return sample(ess, Math.max(1, Math.round(ess.length * share))).map((s) => esco.skillIdAt(s));
};

const rssBefore = process.memoryUsage().rss;
const N_OPP = 50_000;
const N_CAND = 100_000;
const big = new MatchEngine(esco);
const tBuild = performance.now();
for (let i = 0; i < N_OPP; i++) {
  const occ = int(0, occupationCount - 1);
  const remote = rand() < 0.08;
  const opt = esco.dataset.optional[occ]!;
  const o: MatchableOpportunity = {
    id: `o${i}`,
    status: rand() < 0.9 ? 'open' : 'paused',
    details: {
      type: pick(OPPORTUNITY_TYPES),
      title: 'synthetic',
      occupation: esco.dataset.occupations[occ]![0],
      essentialSkills: skillsOf(occ, 0.35),
      optionalSkills: sample(opt, 3).map((s) => esco.skillIdAt(s)),
      languages: rand() < 0.8 ? [{ language: 'el', minLevel: pick(['A1', 'A2', 'B1', 'B2'] as const) }] : [],
      location: remote ? { remote: true } : { remote: false, ...near() },
      contractType: 'fixed_term',
      hoursPerWeek: pick([20, 30, 40]),
      pay: { amount: 1000, currency: 'EUR', per: 'month' },
      positions: 1,
      startDate: addDays(today, int(-30, 60)),
      closingDate: null,
      drivingLicence: rand() < 0.1 ? 'B' : null,
    },
  };
  big.upsertOpportunity(o);
}
const oppBuildMs = performance.now() - tBuild;
const tBuildC = performance.now();
for (let i = 0; i < N_CAND; i++) {
  const occ = int(0, occupationCount - 1);
  const legal: LegalStatus =
    rand() < 0.8
      ? {
          status: 'refugee',
          country: 'GR',
          residencePermit: { validFrom: '2025-01-01', validUntil: addDays(today, int(-60, 900)) },
        }
      : { status: 'asylum_seeker', country: 'GR', applicationDate: addDays(today, -int(30, 400)) };
  const c: MatchableCandidate = {
    id: `c${i}`,
    legalStatus: legal,
    profile: {
      occupations: [{ occupation: esco.dataset.occupations[occ]![0], months: int(0, 120) }],
      skills: [
        ...skillsOf(occ, 0.6),
        ...sample(esco.dataset.essential[int(0, occupationCount - 1)]!, 3).map((s) => esco.skillIdAt(s)),
      ],
      educationLevel: int(1, 8),
      languages: [
        { language: 'ar', level: 'C2' },
        { language: 'el', level: level() },
        ...(rand() < 0.4 ? [{ language: 'en', level: level() }] : []),
      ],
      location: near(),
      mobilityKm: pick([10, 20, 40, 80]),
      drivingLicences: rand() < 0.4 ? ['B'] : [],
      availability: { from: addDays(today, int(-30, 30)), hoursPerWeek: pick([20, 40]) },
      preferences: { opportunityTypes: [], contractTypes: [], occupations: [], remote: 'also' },
    },
  };
  big.upsertCandidate(c);
}
const candBuildMs = performance.now() - tBuildC;
global.gc?.();
const rssAfter = process.memoryUsage().rss;

const candidateQueries = Array.from({ length: 300 }, () => `c${int(0, N_CAND - 1)}`);
const opportunityQueries = Array.from({ length: 200 }, () => `o${int(0, N_OPP - 1)}`);
for (const id of candidateQueries.slice(0, 20)) big.opportunitiesFor(id, { asOf, limit: 20 }); // warm-up
for (const id of opportunityQueries.slice(0, 10)) big.candidatesFor(id, { asOf, limit: 50 });
let found = 0;
const forCandidate = candidateQueries.map((id) => {
  const s = performance.now();
  found += big.opportunitiesFor(id, { asOf, limit: 20 }).length;
  return performance.now() - s;
});
let foundC = 0;
const forOpportunity = opportunityQueries.map((id) => {
  const s = performance.now();
  foundC += big.candidatesFor(id, { asOf, limit: 50 }).length;
  return performance.now() - s;
});
const rssPeak = Math.max(rssAfter, process.memoryUsage().rss);

const results = {
  at: new Date().toISOString(),
  node: process.version,
  esco: {
    loadMs: ms(loadMs),
    autocompleteIndexMs: ms(indexMs),
    startMs: ms(loadMs + indexMs),
    labels: autocomplete.labelCount,
  },
  autocomplete: stats(acTimes),
  quality: {
    fixture: {
      candidates: fixture.candidates.length,
      opportunities: fixture.opportunities.length,
      candidatesWithRelevant: p5.length,
    },
    precisionAt5: mean(p5),
    precisionAt5CappedByRelevant: mean(p5capped),
    ndcgAt10: mean(ndcgC),
    ndcgAt10CandidatesForOpportunity: mean(ndcgO),
    opportunitiesJudged: ndcgO.length,
  },
  scale: {
    opportunities: N_OPP,
    candidates: N_CAND,
    buildMs: { opportunities: ms(oppBuildMs), candidates: ms(candBuildMs) },
    top20OpportunitiesForCandidate: {
      ...stats(forCandidate),
      meanResults: Math.round(found / candidateQueries.length),
    },
    top50CandidatesForOpportunity: {
      ...stats(forOpportunity),
      meanResults: Math.round(foundC / opportunityQueries.length),
    },
  },
  memory: {
    rssBeforeIndexMB: mb(rssBefore),
    rssAfterIndexMB: mb(rssAfter),
    rssPeakMB: mb(rssPeak),
    heapUsedMB: mb(process.memoryUsage().heapUsed),
  },
  targets: { escoStartMs: 2000, autocompleteP95Ms: 10, candidateP95Ms: 50, opportunityP95Ms: 100, rssMB: 600 },
};
console.log(JSON.stringify(results, null, 2));
const out = resolve(here, '../../../bench/results/matching.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
