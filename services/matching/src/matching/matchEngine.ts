import type { EscoCatalogue } from '../esco/catalogue.js';
import { epochDay } from '../domain/shared/dates.js';
import type { RightToWorkTable } from '../rightToWork/rules.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from '../rightToWork/sampleRules.js';
import { CandidateTable } from './candidateTable.js';
import { SlotList } from './columns.js';
import { Interner } from './compiled.js';
import { explain, type ExplainContext, type MatchResult } from './explain.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';
import { OpportunityTable } from './opportunityTable.js';
import { candidateBound, checkPair, pairKm, scorePair, scoreUpperBound } from './pairScore.js';
import { EXCLUDES, EXCLUDING_CODES, exclusionCounts, type ExcludingCode, type ExclusionCount } from './reasons.js';
import { PairSearch, type Scratch } from './pairSearch.js';
import { unskilledCandidates } from './unskilledCandidates.js';
import { DEFAULT_TUNING, type MatchTuning } from './weights.js';

export interface MatchQuery {
  /** The instant matching happens (decides "today" for closing dates and running opportunities). */
  asOf: string;
  limit?: number;
}

export interface MatchSearch {
  items: MatchResult[];
  /** Pairs each rule kept out (the first failing rule of each pair examined; pairs out of reach count as too far). */
  excluded: ExclusionCount[];
}

export interface PairVerdict {
  /** The explained match when every hard rule passes (also below the floor, so its score can be read). */
  match: MatchResult | null;
  /** Every hard rule the pair fails, in checking order (below_score_floor last). */
  excludedBy: ExcludingCode[];
}

/**
 * In-memory matching in both directions over flat columns (no object per candidate or opportunity): hard
 * rules first (cheapest first), then the weighted score, keeping the top k in a bounded heap; only the top k
 * are explained. Both sides sit in spatial cells, so a search meets only what is within reach.
 */
export class MatchEngine {
  private readonly languages = new Interner();
  private readonly countries = new Interner();
  private readonly opportunities: OpportunityTable;
  private readonly candidates: CandidateTable;
  private readonly marks: Uint8Array;
  private readonly context: ExplainContext;
  readonly tuning: MatchTuning;
  readonly rules: RightToWorkTable;

  constructor(esco: EscoCatalogue, options: { tuning?: MatchTuning; rules?: RightToWorkTable } = {}) {
    this.tuning = options.tuning ?? DEFAULT_TUNING;
    this.rules = options.rules ?? SAMPLE_RIGHT_TO_WORK_RULES;
    if (esco.skillCount > 65535) throw new RangeError('ESCO skill indices must fit 16 bits');
    this.marks = new Uint8Array(esco.skillCount);
    this.opportunities = new OpportunityTable(esco, this.languages);
    this.candidates = new CandidateTable(esco, this.languages, this.countries, this.rules);
    this.context = { esco, tuning: this.tuning, rules: this.rules, languages: this.languages };
  }

  get size(): { opportunities: number; candidates: number } {
    return { opportunities: this.opportunities.count, candidates: this.candidates.count };
  }

  hasCandidate(id: string): boolean {
    return this.candidates.slots.slotOf(id) !== undefined;
  }

  hasOpportunity(id: string): boolean {
    return this.opportunities.slots.slotOf(id) !== undefined;
  }

  upsertOpportunity(o: MatchableOpportunity): void {
    this.opportunities.upsert(o);
  }

  removeOpportunity(id: string): void {
    this.opportunities.remove(id);
  }

  upsertCandidate(c: MatchableCandidate): void {
    this.candidates.upsert(c);
  }

  /** Consent withdrawn or client erased: gone from every later match at once. */
  removeCandidate(id: string): void {
    this.candidates.remove(id);
  }

  opportunitiesFor(candidateId: string, query: MatchQuery): MatchResult[] {
    return this.searchOpportunities(candidateId, query).items;
  }

  candidatesFor(opportunityId: string, query: MatchQuery): MatchResult[] {
    return this.searchCandidates(opportunityId, query).items;
  }

  searchOpportunities(candidateId: string, query: MatchQuery): MatchSearch {
    const c = this.candidates;
    const i = c.slots.slotOf(candidateId);
    if (i === undefined) return { items: [], excluded: [] };
    const o = this.opportunities;
    const tuning = this.tuning;
    const today = epochDay(query.asOf);
    const skills = c.skillsOf(i);
    const marks = this.marks;
    for (const s of skills) marks[s] = 1;
    const search = new PairSearch(this.scratch(o.slots.capacity), query.limit ?? 20, tuning, o.idOf.bind(o));
    try {
      // Opportunities sharing a skill with the person, wherever they are (inverted index), counted per slot …
      for (const s of skills) {
        search.count(o.essentialPostings.list(s), true, o.alive);
        search.count(o.optionalPostings.list(s), false, o.alive);
      }
      search.rank(
        (j, ess, opt) => scoreUpperBound(o, j, ess, opt, tuning),
        (j) => {
          const start = o.startDay[j]!;
          const day = start > today ? start : today;
          const failed = checkPair(c, i, o, j, day, today, tuning);
          if (failed >= 0) return -1 - failed;
          const base = o.start[j]!;
          const nE = o.nEssential[j]!;
          const od = o.pool.data;
          let ess = 0;
          for (let k = base; k < base + nE; k++) ess += marks[od[k]!]!;
          let opt = 0;
          for (let k = base + nE; k < base + nE + o.nOptional[j]!; k++) opt += marks[od[k]!]!;
          return scorePair(c, i, o, j, ess, opt, pairKm, tuning).score;
        },
        // … then, only if one sharing no skill could still enter the list, those within reach.
        [
          {
            bound: this.unskilledBound(),
            lists: (visit) => {
              visit(o.cells.remote);
              o.cells.near(c.lat[i]!, c.lon[i]!, c.mobilityKm[i]!, visit);
            },
          },
        ],
      );
    } finally {
      for (const s of skills) marks[s] = 0;
      search.reset();
    }
    return {
      items: search.top.sorted().map(({ item }) => this.explainSlots(i, item.slot, today)),
      excluded: exclusionCounts(search.counts),
    };
  }

  searchCandidates(opportunityId: string, query: MatchQuery): MatchSearch {
    const o = this.opportunities;
    const j = o.slots.slotOf(opportunityId);
    if (j === undefined) return { items: [], excluded: [] };
    const c = this.candidates;
    const tuning = this.tuning;
    const today = epochDay(query.asOf);
    const start = o.startDay[j]!;
    const day = start > today ? start : today;
    if (o.open[j] === 0 || o.closingDay[j]! < today) {
      const counts = new Int32Array(EXCLUDING_CODES.length);
      counts[EXCLUDES.opportunity_not_open] = c.count;
      return { items: [], excluded: exclusionCounts(counts) };
    }
    const marks = this.marks;
    const skills = o.skillsOf(j);
    const nE = o.nEssential[j]!;
    skills.forEach((s, k) => (marks[s] = k < nE ? 1 : 2));
    const search = new PairSearch(this.scratch(c.slots.capacity), query.limit ?? 50, tuning, c.idOf.bind(c));
    try {
      // The people holding one of the skills asked (inverted index), counted per slot …
      skills.forEach((s, k) => search.count(c.postings.list(s), k < nE, c.alive));
      search.rank(
        (_i, ess, opt) => scoreUpperBound(o, j, ess, opt, tuning),
        (i) => {
          const failed = checkPair(c, i, o, j, day, today, tuning);
          if (failed >= 0) return -1 - failed;
          const cd = c.pool.data;
          let ess = 0;
          let opt = 0;
          for (let k = c.start[i]!, to = k + c.nSkills[i]!; k < to; k++) {
            const m = marks[cd[k]!]!;
            if (m === 1) ess++;
            else if (m === 2) opt++;
          }
          return scorePair(c, i, o, j, ess, opt, pairKm, tuning).score;
        },
        // … then those holding none of them, by how close their occupation is, only while one could still enter.
        unskilledCandidates(c, o, j, tuning),
        (i, ess, opt) => candidateBound(c, i, o, j, ess, opt, tuning),
      );
    } finally {
      for (const s of skills) marks[s] = 0;
      search.reset();
    }
    return {
      items: search.top.sorted().map(({ item }) => this.explainSlots(item.slot, j, today)),
      excluded: exclusionCounts(search.counts),
    };
  }

  /** Best score of an opportunity for someone sharing none of its skills (no essential skill listed: 1). */
  private unskilledBound(): number {
    if (this.opportunities.withoutEssential > 0) return 1;
    const w = this.tuning.weights;
    const total = w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
    return (w.occupation + w.languages + w.distance + w.preferences + w.optionalSkills * 0.5) / total;
  }

  private scratchSpace: Scratch | undefined;
  private scratch(capacity: number): Scratch {
    const s = this.scratchSpace;
    if (s && s.essential.length >= capacity) return s;
    return (this.scratchSpace = {
      essential: new Uint8Array(capacity),
      optional: new Uint8Array(capacity),
      touched: new SlotList(),
      stamps: new Uint32Array(capacity),
      epoch: 0,
    });
  }

  /** One pair: every hard rule it fails and, when none, its explained match (checked against the floor). */
  explainPair(candidateId: string, opportunityId: string, asOf: string): PairVerdict | null {
    const i = this.candidates.slots.slotOf(candidateId);
    const j = this.opportunities.slots.slotOf(opportunityId);
    if (i === undefined || j === undefined) return null;
    const today = epochDay(asOf);
    const start = this.opportunities.startDay[j]!;
    const failed: number[] = [];
    checkPair(this.candidates, i, this.opportunities, j, start > today ? start : today, today, this.tuning, failed);
    const excludedBy = [...new Set(failed)].map((k) => EXCLUDING_CODES[k]!);
    if (excludedBy.length > 0) return { match: null, excludedBy };
    const match = this.explainSlots(i, j, today);
    return { match, excludedBy: match.score < this.tuning.scoreFloor ? ['below_score_floor'] : [] };
  }

  private explainSlots(i: number, j: number, today: number): MatchResult {
    const c = this.candidates;
    const o = this.opportunities;
    const start = o.startDay[j]!;
    const day = start > today ? start : today;
    checkPair(c, i, o, j, day, today, this.tuning, []);
    const km = o.remote[j] === 1 ? 0 : pairKm;
    const held = new Set(c.pool.data.subarray(c.start[i]!, c.start[i]! + c.nSkills[i]!));
    const od = o.pool.data;
    const nE = o.nEssential[j]!;
    let ess = 0;
    for (let k = o.start[j]!; k < o.start[j]! + nE; k++) if (held.has(od[k]!)) ess++;
    let opt = 0;
    for (let k = o.start[j]! + nE; k < o.start[j]! + nE + o.nOptional[j]!; k++) if (held.has(od[k]!)) opt++;
    const parts = scorePair(c, i, o, j, ess, opt, km, this.tuning);
    return explain(c, i, o, j, parts, day, this.context);
  }
}
