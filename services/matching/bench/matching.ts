/**
 * Matching quality and speed:  pnpm bench:matching
 * - quality on the hand-judged fixture (bench/fixture): precision@5 and nDCG@10, both directions;
 * - ESCO load and autocomplete latency;
 * - a growth curve: top-20 opportunities for a candidate and top-50 candidates for an opportunity over
 *   synthetic networks of three sizes (MATCHING_BENCH_SIZES, default 50000x100000,100000x200000,200000x400000
 *   opportunities × candidates), each built in a fresh process so its RSS is its own: build time, p50/p95
 *   latency, RSS, and the fitted exponent of each against size (1.0 = linear).
 * Prints the figures and writes bench/results/matching.json (repository root).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
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
import { fitExponent } from '../../../bench/curve.js';
import { curveTable } from './curve.js';
import type { Fixture, Judgments } from './fixture/fixtureTypes.js';
import { judgedQuality } from './fixture/quality.js';

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

// ---- latency at scale (synthetic), one size per process ----
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
/** Ids as long as the UUIDs the service uses, so the index's memory is what a real one needs. */
const uuidLike = (kind: number, i: number) => `${kind}0000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

function measureScale(esco: ReturnType<typeof loadEsco>, N_OPP: number, N_CAND: number) {
  const occupationCount = esco.occupationCount;
  const asOf = '2026-11-10T09:00:00Z';
  const today = asOf.slice(0, 10);
  const level = (): CefrLevel => pick(CEFR_LEVELS);
  const skillsOf = (occ: number, share: number) => {
    const ess = esco.dataset.essential[occ]!;
    return sample(ess, Math.max(1, Math.round(ess.length * share))).map((s) => esco.skillIdAt(s));
  };
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const big = new MatchEngine(esco);
  const tBuild = performance.now();
  for (let i = 0; i < N_OPP; i++) {
    const occ = int(0, occupationCount - 1);
    const remote = rand() < 0.08;
    const opt = esco.dataset.optional[occ]!;
    const type = pick(OPPORTUNITY_TYPES);
    const unpaid = type === 'volunteering' || type === 'mentoring';
    const o: MatchableOpportunity = {
      id: uuidLike(1, i),
      status: rand() < 0.9 ? 'open' : 'paused',
      details: {
        type,
        title: 'synthetic',
        occupation: esco.dataset.occupations[occ]![0],
        essentialSkills: skillsOf(occ, 0.35),
        optionalSkills: sample(opt, 3).map((s) => esco.skillIdAt(s)),
        languages: rand() < 0.8 ? [{ language: 'el', minLevel: pick(['A1', 'A2', 'B1', 'B2'] as const) }] : [],
        location: remote ? { remote: true } : { remote: false, ...near() },
        contractType: unpaid ? 'unpaid' : 'fixed_term',
        hoursPerWeek: pick([20, 30, 40]),
        pay: unpaid ? null : { amount: 1000, currency: 'EUR', per: 'month' },
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
      id: uuidLike(2, i),
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
        availability: { from: addDays(today, int(-30, 30)), hoursPerWeek: pick([20, 30, 40]) },
        preferences: {
          opportunityTypes: rand() < 0.3 ? ['job', 'volunteering', 'mentoring'] : [],
          contractTypes: [],
          occupations: [],
          remote: 'also',
        },
      },
    };
    big.upsertCandidate(c);
  }
  const candBuildMs = performance.now() - tBuildC;
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;

  const candidateQueries = Array.from({ length: 300 }, () => uuidLike(2, int(0, N_CAND - 1)));
  const opportunityQueries = Array.from({ length: 300 }, () => uuidLike(1, int(0, N_OPP - 1)));
  for (const id of candidateQueries.slice(0, 30)) big.opportunitiesFor(id, { asOf, limit: 20 }); // warm-up
  for (const id of opportunityQueries.slice(0, 30)) big.candidatesFor(id, { asOf, limit: 50 });
  // Wall time and this process's CPU time per query: on a shared machine the CPU time shows the query's own
  // cost when other processes take the cores.
  const cpuCandidate: number[] = [];
  const cpuOpportunity: number[] = [];
  const timed = (cpu: number[], run: () => number) => {
    const c0 = process.cpuUsage();
    const s = performance.now();
    const n = run();
    const wall = performance.now() - s;
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return { wall, n };
  };
  let found = 0;
  const forCandidate = candidateQueries.map((id) => {
    const r = timed(cpuCandidate, () => big.opportunitiesFor(id, { asOf, limit: 20 }).length);
    found += r.n;
    return r.wall;
  });
  let foundC = 0;
  const forOpportunity = opportunityQueries.map((id) => {
    const r = timed(cpuOpportunity, () => big.candidatesFor(id, { asOf, limit: 50 }).length);
    foundC += r.n;
    return r.wall;
  });
  const rssPeak = Math.max(rssAfter, process.memoryUsage().rss);
  return {
    opportunities: N_OPP,
    candidates: N_CAND,
    buildMs: { opportunities: ms(oppBuildMs), candidates: ms(candBuildMs) },
    top20OpportunitiesForCandidate: {
      ...stats(forCandidate),
      cpu: stats(cpuCandidate),
      meanResults: Math.round(found / candidateQueries.length),
    },
    top50CandidatesForOpportunity: {
      ...stats(forOpportunity),
      cpu: stats(cpuOpportunity),
      meanResults: Math.round(foundC / opportunityQueries.length),
    },
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
    memory: {
      rssBeforeIndexMB: mb(rssBefore),
      rssAfterIndexMB: mb(rssAfter),
      rssPeakMB: mb(rssPeak),
      indexMB: mb(rssAfter - rssBefore),
      heapUsedMB: mb(process.memoryUsage().heapUsed),
    },
  };
}

// A child measures one size (the parent reads its JSON from stdout).
const child = process.env.MATCHING_BENCH_SIZE;
if (child) {
  const [nOpp, nCand] = child.split('x').map(Number) as [number, number];
  const esco = loadEsco();
  // The service holds the autocomplete index beside the engine: so does the measured process.
  const autocomplete = new EscoAutocomplete(esco);
  const result = measureScale(esco, nOpp, nCand);
  void autocomplete;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

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
const quality = judgedQuality(new MatchEngine(esco), fixture, judgments);

const sizes = (process.env.MATCHING_BENCH_SIZES ?? '50000x100000,100000x200000,200000x400000').split(',');
const curve = sizes.map((size) => {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, MATCHING_BENCH_SIZE: size },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const result = JSON.parse(out.trim().split('\n').pop()!) as ReturnType<typeof measureScale>;
  console.error(`measured ${size}: RSS ${result.memory.rssAfterIndexMB} MB`);
  return result;
});
const sizeOf = (r: (typeof curve)[number]) => r.opportunities + r.candidates;
const exponent = (value: (r: (typeof curve)[number]) => number) => fitExponent(curve.map(sizeOf), curve.map(value));
const growth = {
  buildMs: exponent((r) => r.buildMs.opportunities + r.buildMs.candidates),
  top20P50: exponent((r) => r.top20OpportunitiesForCandidate.p50),
  top20P95: exponent((r) => r.top20OpportunitiesForCandidate.p95),
  top50P50: exponent((r) => r.top50CandidatesForOpportunity.p50),
  top50P95: exponent((r) => r.top50CandidatesForOpportunity.p95),
  indexMB: exponent((r) => r.memory.indexMB),
};
const largest = curve[curve.length - 1]!;
const targets = {
  at: `${largest.opportunities} opportunities × ${largest.candidates} candidates`,
  rssMB: 800,
  top20P95Ms: 20,
  top50P95Ms: 30,
  ndcgAt10: 0.95,
  escoStartMs: 2000,
  autocompleteP95Ms: 10,
};
const met = {
  rss: largest.memory.rssPeakMB <= targets.rssMB,
  top20P95: largest.top20OpportunitiesForCandidate.p95 <= targets.top20P95Ms,
  top50P95: largest.top50CandidatesForOpportunity.p95 <= targets.top50P95Ms,
  ndcgAt10: quality.ndcgAt10 >= targets.ndcgAt10 && quality.ndcgAt10CandidatesForOpportunity >= targets.ndcgAt10,
  memoryAtMostLinear: growth.indexMB !== null && growth.indexMB <= 1.05,
};

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
  quality,
  curve,
  growth,
  targets,
  met,
};
console.log(
  curveTable(
    [
      'opportunities',
      'candidates',
      'build ms',
      'top20 p50',
      'top20 p95',
      'top50 p50',
      'top50 p95',
      'RSS MB',
      'index MB',
    ],
    curve.map((r) => [
      r.opportunities,
      r.candidates,
      Math.round(r.buildMs.opportunities + r.buildMs.candidates),
      r.top20OpportunitiesForCandidate.p50,
      r.top20OpportunitiesForCandidate.p95,
      r.top50CandidatesForOpportunity.p50,
      r.top50CandidatesForOpportunity.p95,
      r.memory.rssPeakMB,
      r.memory.indexMB,
    ]),
  ),
);
console.log(`fitted exponents (1.0 = linear in opportunities + candidates): ${JSON.stringify(growth)}`);
console.log(
  `nDCG@10 on the judged fixture: ${quality.ndcgAt10} (candidate → opportunities), ${quality.ndcgAt10CandidatesForOpportunity} (opportunity → candidates)`,
);
console.log(JSON.stringify(results, null, 2));
const out = resolve(here, '../../../bench/results/matching.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
