import type { EscoCatalogue } from '../esco/catalogue.js';
import { epochDay } from '../domain/shared/dates.js';
import type { RightToWorkTable } from '../rightToWork/rules.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from '../rightToWork/sampleRules.js';
import {
  LanguageCodes,
  compileCandidate,
  compileOpportunity,
  type CompiledCandidate,
  type CompiledOpportunity,
} from './compiled.js';
import { CandidateColumns } from './candidateColumns.js';
import { explain, type MatchResult } from './explain.js';
import { distanceKm } from '../domain/shared/geo.js';
import { failedHardFilters, type HardFilter } from './hardFilters.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';
import { passesHardFilters, scorePair, scoreUpperBound } from './pairScore.js';
import { OpportunityGrid } from './opportunityGrid.js';
import { TopK } from './topK.js';
import { DEFAULT_TUNING, type MatchTuning } from './weights.js';

export interface MatchQuery {
  /** The instant matching happens (decides "today" for closing dates and running opportunities). */
  asOf: string;
  limit?: number;
}

/**
 * In-memory matching in both directions over compiled records: hard filters first (cheapest first), then the
 * weighted score, keeping the top k in a bounded heap; only the top k are explained.
 * Opportunities sit in a spatial grid (plus a remote list), so a candidate only meets work within reach.
 */
export class MatchEngine {
  private readonly languages = new LanguageCodes();
  private readonly opportunities = new Map<string, CompiledOpportunity>();
  private readonly candidates = new CandidateColumns();
  private readonly grid = new OpportunityGrid();
  private readonly marks: Uint8Array;
  readonly tuning: MatchTuning;
  readonly rules: RightToWorkTable;

  constructor(
    private readonly esco: EscoCatalogue,
    options: { tuning?: MatchTuning; rules?: RightToWorkTable } = {},
  ) {
    this.tuning = options.tuning ?? DEFAULT_TUNING;
    this.rules = options.rules ?? SAMPLE_RIGHT_TO_WORK_RULES;
    this.marks = new Uint8Array(esco.skillCount);
  }

  get size(): { opportunities: number; candidates: number } {
    return { opportunities: this.opportunities.size, candidates: this.candidates.count };
  }

  upsertOpportunity(o: MatchableOpportunity): void {
    this.removeOpportunity(o.id);
    const compiled = compileOpportunity(o, this.esco, this.languages);
    this.opportunities.set(o.id, compiled);
    this.grid.add(compiled);
  }

  removeOpportunity(id: string): void {
    const existing = this.opportunities.get(id);
    if (!existing) return;
    this.grid.remove(existing);
    this.opportunities.delete(id);
  }

  upsertCandidate(c: MatchableCandidate): void {
    this.candidates.upsert(compileCandidate(c, this.esco, this.languages, this.rules));
  }

  /** Consent withdrawn or client erased: gone from every later match at once. */
  removeCandidate(id: string): void {
    this.candidates.remove(id);
  }

  opportunitiesFor(candidateId: string, query: MatchQuery): MatchResult[] {
    const c = this.candidates.get(candidateId);
    if (!c) return [];
    const today = epochDay(query.asOf);
    const marks = this.marks;
    for (const s of c.skills) marks[s] = 1;
    const top = new TopK<CompiledOpportunity>(query.limit ?? 20);
    try {
      this.grid.within(c.lat, c.lon, c.mobilityKm, (o) => {
        const day = o.startDay > today ? o.startDay : today;
        const km = passesHardFilters(c, o, day, today);
        if (km < 0) return;
        let ess = 0;
        for (const s of o.essential) ess += marks[s]!;
        let opt = 0;
        for (const s of o.optional) opt += marks[s]!;
        if (!top.admits(scoreUpperBound(o, ess, opt, this.tuning) + 1e-9)) return;
        const parts = scorePair(c, o, ess, opt, km, this.tuning);
        if (top.admits(parts.score)) top.push(parts.score, o);
      });
    } finally {
      for (const s of c.skills) marks[s] = 0;
    }
    return top.sorted().map(({ item: o }) => this.explainCompiled(c, o, today));
  }

  candidatesFor(opportunityId: string, query: MatchQuery): MatchResult[] {
    const o = this.opportunities.get(opportunityId);
    if (!o) return [];
    const today = epochDay(query.asOf);
    const day = o.startDay > today ? o.startDay : today;
    if (!o.open || o.closingDay < today) return [];
    const marks = this.marks;
    for (const s of o.essential) marks[s] = 1;
    for (const s of o.optional) marks[s] = 2;
    const top = new TopK<CompiledCandidate>(query.limit ?? 50);
    try {
      const cols = this.candidates;
      const { lat, lon } = cols;
      const distance = (i: number) => distanceKm(lat[i]!, lon[i]!, o.lat, o.lon);
      for (let i = 0, n = cols.length; i < n; i++) {
        const km = cols.passes(i, o, day, distance);
        if (km < 0) continue;
        const c = cols.records[i]!;
        let ess = 0;
        let opt = 0;
        for (const s of c.skills) {
          const m = marks[s]!;
          if (m === 1) ess++;
          else if (m === 2) opt++;
        }
        if (!top.admits(scoreUpperBound(o, ess, opt, this.tuning) + 1e-9)) continue;
        const parts = scorePair(c, o, ess, opt, km, this.tuning);
        if (top.admits(parts.score)) top.push(parts.score, c);
      }
    } finally {
      for (const s of o.essential) marks[s] = 0;
      for (const s of o.optional) marks[s] = 0;
    }
    return top.sorted().map(({ item: c }) => this.explainCompiled(c, o, today));
  }

  /** One pair: its explained match, or the hard filters it fails. */
  explainPair(
    candidateId: string,
    opportunityId: string,
    asOf: string,
  ): MatchResult | { excludedBy: HardFilter[] } | null {
    const c = this.candidates.get(candidateId);
    const o = this.opportunities.get(opportunityId);
    if (!c || !o) return null;
    const failed = failedHardFilters(c.source, o.source, asOf, this.rules);
    if (failed.length > 0) return { excludedBy: failed };
    return this.explainCompiled(c, o, epochDay(asOf));
  }

  private explainCompiled(c: CompiledCandidate, o: CompiledOpportunity, today: number): MatchResult {
    const day = o.startDay > today ? o.startDay : today;
    const km = passesHardFilters(c, o, day, today);
    const held = new Set(c.skills);
    let ess = 0;
    for (const s of o.essential) if (held.has(s)) ess++;
    let opt = 0;
    for (const s of o.optional) if (held.has(s)) opt++;
    const parts = scorePair(c, o, ess, opt, Math.max(0, km), this.tuning);
    return explain(c, o, parts, day, this.esco, this.tuning, this.rules);
  }
}
