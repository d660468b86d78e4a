import { STAGES, TERMINAL, type ServiceFact } from '../domain/facts.js';
import type { FactKind } from '../domain/facts.js';
import type { FactCache, Facts } from '../readModels/factStore.js';
import { UNKNOWN_AREA } from './filters.js';
import { monthOf } from './stats.js';

/** Strings as small integers, in the order first seen. */
export class Codes {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  code(name: string): number {
    let c = this.byName.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.byName.set(name, c);
    }
    return c;
  }
  /** The code of a name, or -1 when no fact has it (a filter that matches nothing). */
  find(name: string): number {
    return this.byName.get(name) ?? -1;
  }
}

/** Closing statuses as codes: TERMINAL's order, -1 while open. */
export const CLOSED = Object.fromEntries(TERMINAL.map((s, i) => [s, i])) as Record<(typeof TERMINAL)[number], number>;
export const NO_ANSWER = 0;
export const ACCEPTED = 1;
export const REJECTED = 2;

/** Columns of one kind of fact, one slot per fact key (kept when the fact goes), grown by doubling. */
abstract class Slots {
  n = 0;
  private readonly slots = new Map<string, number>();
  protected capacity = 0;
  slotOf(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.n === this.capacity) this.grow((this.capacity = Math.max(1024, this.capacity * 2)));
      this.slots.set(key, (slot = this.n++));
    }
    return slot;
  }
  protected abstract grow(capacity: number): void;
}

const grown = <T extends Float64Array | Int32Array | Uint8Array | Int8Array>(a: T, capacity: number, fill = 0): T => {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
};

/** No time: a slot whose fact is gone (or never sent, consented…) falls in no period. */
export const NEVER = Infinity;

/** The referrals, one slot each; requestedAt NEVER until the referral is sent. */
export class ReferralColumns extends Slots {
  requestedAt = new Float64Array(0);
  /** Month code (index into `months.names`) of requestedAt. */
  month = new Int32Array(0);
  category = new Int32Array(0);
  /** Receiving organisation (index into `organisations`). */
  to = new Int32Array(0);
  /** Service (index into `services`), -1 when the referral names none. */
  service = new Int32Array(0);
  /** NO_ANSWER, ACCEPTED or REJECTED, and when. */
  answer = new Uint8Array(0);
  answerAt = new Float64Array(0);
  /** CLOSED code or -1, when, reason and outcome codes. */
  closed = new Int8Array(0);
  closedAt = new Float64Array(0);
  reason = new Int32Array(0);
  outcome = new Int32Array(0);
  /** The deadline the referral was sent with (NaN: the service's response time applies). */
  respondBy = new Float64Array(0);
  protected grow(c: number): void {
    this.requestedAt = grown(this.requestedAt, c, NEVER);
    this.month = grown(this.month, c);
    this.category = grown(this.category, c);
    this.to = grown(this.to, c);
    this.service = grown(this.service, c);
    this.answer = grown(this.answer, c);
    this.answerAt = grown(this.answerAt, c);
    this.closed = grown(this.closed, c);
    this.closedAt = grown(this.closedAt, c);
    this.reason = grown(this.reason, c);
    this.outcome = grown(this.outcome, c);
    this.respondBy = grown(this.respondBy, c);
  }
}

/** The needs; assessedAt NEVER once erased. */
export class NeedColumns extends Slots {
  assessedAt = new Float64Array(0);
  category = new Int32Array(0);
  by = new Int32Array(0);
  /** NaN while open. */
  closedAt = new Float64Array(0);
  /** The earliest request of a referral for the need, and its earliest accepted first answer (NaN for none). */
  firstRequested = new Float64Array(0);
  firstAccepted = new Float64Array(0);
  protected grow(c: number): void {
    this.assessedAt = grown(this.assessedAt, c, NEVER);
    this.category = grown(this.category, c);
    this.by = grown(this.by, c);
    this.closedAt = grown(this.closedAt, c);
    this.firstRequested = grown(this.firstRequested, c);
    this.firstAccepted = grown(this.firstAccepted, c);
  }
}

/** Funnel stages as bits: a stage counts as reached when it or a later stage was. */
export const FUNNEL_BITS = {
  matched: 1,
  applied: 2,
  interviewed: 4,
  hired: 8,
  work1: 16,
  work3: 32,
  work6: 64,
} as const;

/** The job-matching candidates; consentedAt NEVER until consent (and its organisation) is known, or once erased. */
export class CandidateColumns extends Slots {
  consentedAt = new Float64Array(0);
  month = new Int32Array(0);
  organisation = new Int32Array(0);
  bits = new Uint8Array(0);
  protected grow(c: number): void {
    this.consentedAt = grown(this.consentedAt, c, NEVER);
    this.month = grown(this.month, c);
    this.organisation = grown(this.organisation, c);
    this.bits = grown(this.bits, c);
  }
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The facts as typed columns with small-integer codes, so a query is one pass of integer comparisons over
 * the slots rather than a walk through objects, maps and date strings. Built once from the facts, then
 * kept up to date fact by fact (`update`) as syncs change them. Regions, names and response times are
 * looked up through the organisation and service codes, refreshed after every update (a hundred or so).
 */
export class FactIndex {
  readonly organisations = new Codes();
  readonly services = new Codes();
  readonly categories = new Codes();
  readonly areas = new Codes();
  readonly reasons = new Codes();
  readonly outcomes = new Codes();
  readonly months = new Codes();
  /** Per organisation code: its area code (UNKNOWN_AREA until its membership event) and name. */
  organisationArea = new Int32Array(0);
  organisationName: (string | null)[] = [];
  /** Per service code: its fact (undefined when only referrals named it) and response time (ms, NaN unknown). */
  serviceFact: (ServiceFact | undefined)[] = [];
  serviceResponseMs = new Float64Array(0);
  readonly referrals = new ReferralColumns();
  readonly needs = new NeedColumns();
  readonly candidates = new CandidateColumns();
  private readonly monthOfDay = new Map<number, number>();
  /** Which referral slots name which need, and the need each slot names. */
  private readonly referralsOfNeed = new Map<string, Set<number>>();
  private referralNeed: (string | null)[] = [];
  private readonly needMinima = new Map<string, { requested: number; accepted: number }>();

  constructor(readonly facts: Facts) {
    for (const key of facts.organisation.keys()) this.organisations.code(key);
    for (const key of facts.service.keys()) this.services.code(key);
    for (const key of facts.referral.keys()) this.update('referral', key);
    for (const key of facts.need.keys()) this.update('need', key);
    for (const key of facts.candidate.keys()) this.update('candidate', key);
    this.refresh();
  }

  private monthCode(ms: number): number {
    const day = Math.floor(ms / DAY);
    let c = this.monthOfDay.get(day);
    if (c === undefined) this.monthOfDay.set(day, (c = this.months.code(monthOf(ms))));
    return c;
  }

  /** Takes in the current fact of `kind` and `key` (set, changed or removed); call `refresh` after a run. */
  update(kind: FactKind, key: string): void {
    if (kind === 'organisation') this.organisations.code(key);
    else if (kind === 'service') this.services.code(key);
    else if (kind === 'referral') this.updateReferral(key);
    else if (kind === 'need') this.updateNeed(key);
    else this.updateCandidate(key);
  }

  /** Brings the per-organisation and per-service lookups up to date. */
  refresh(): void {
    for (const s of this.facts.service.values()) this.organisations.code(s.organisationId);
    this.organisationArea = new Int32Array(this.organisations.names.length);
    this.organisationName = this.organisations.names.map((id, o) => {
      const org = this.facts.organisation.get(id);
      this.organisationArea[o] = this.areas.code(org?.region ?? UNKNOWN_AREA);
      return org?.name ?? null;
    });
    this.serviceFact = this.services.names.map((id) => this.facts.service.get(id));
    this.serviceResponseMs = Float64Array.from(this.serviceFact, (s) =>
      s === undefined ? NaN : s.responseTimeHours * HOUR,
    );
  }

  private updateReferral(key: string): void {
    const r = this.facts.referral.get(key);
    const c = this.referrals;
    const i = c.slotOf(key);
    if (r === undefined || r.requestedAt === null) c.requestedAt[i] = NEVER;
    else {
      c.requestedAt[i] = r.requestedAt;
      c.month[i] = this.monthCode(r.requestedAt);
    }
    if (r !== undefined) {
      c.category[i] = this.categories.code(r.category);
      c.to[i] = this.organisations.code(r.toOrganisationId);
      c.service[i] = r.serviceId === null ? -1 : this.services.code(r.serviceId);
      c.answer[i] = r.firstAnswer === null ? NO_ANSWER : r.firstAnswer.status === 'accepted' ? ACCEPTED : REJECTED;
      c.answerAt[i] = r.firstAnswer === null ? NaN : r.firstAnswer.at;
      c.closed[i] = r.closed === null ? -1 : CLOSED[r.closed.status];
      c.closedAt[i] = r.closed === null ? NaN : r.closed.at;
      c.reason[i] = r.closed === null ? -1 : this.reasons.code(r.closed.reasonCode ?? 'unspecified');
      c.outcome[i] = r.closed === null ? -1 : this.outcomes.code(r.closed.outcome ?? 'unspecified');
      c.respondBy[i] = r.respondBy ?? NaN;
    }
    const before = this.referralNeed[i] ?? null;
    const need = r?.needId ?? null;
    if (before !== need) {
      if (before !== null) this.referralsOfNeed.get(before)!.delete(i);
      if (need !== null) {
        let slots = this.referralsOfNeed.get(need);
        if (!slots) this.referralsOfNeed.set(need, (slots = new Set()));
        slots.add(i);
      }
      this.referralNeed[i] = need;
      if (before !== null) this.needReferralsChanged(before);
    }
    if (need !== null) this.needReferralsChanged(need);
  }

  /** Recounts the earliest request and acceptance of a need's referrals. */
  private needReferralsChanged(needId: string): void {
    const c = this.referrals;
    let requested = NaN;
    let accepted = NaN;
    for (const i of this.referralsOfNeed.get(needId) ?? []) {
      if (c.requestedAt[i] !== NEVER && !(requested <= c.requestedAt[i]!)) requested = c.requestedAt[i]!;
      if (c.answer[i] === ACCEPTED && !(accepted <= c.answerAt[i]!)) accepted = c.answerAt[i]!;
    }
    this.needMinima.set(needId, { requested, accepted });
    if (this.facts.need.has(needId)) this.updateNeed(needId);
  }

  private updateNeed(key: string): void {
    const need = this.facts.need.get(key);
    const c = this.needs;
    const i = c.slotOf(key);
    if (need === undefined) {
      c.assessedAt[i] = NEVER;
      return;
    }
    c.assessedAt[i] = need.assessedAt;
    c.category[i] = this.categories.code(need.category);
    c.by[i] = this.organisations.code(need.assessedByOrganisationId);
    c.closedAt[i] = need.closedAt ?? NaN;
    const minima = this.needMinima.get(key);
    c.firstRequested[i] = minima?.requested ?? NaN;
    c.firstAccepted[i] = minima?.accepted ?? NaN;
  }

  private updateCandidate(key: string): void {
    const candidate = this.facts.candidate.get(key);
    const c = this.candidates;
    const i = c.slotOf(key);
    if (candidate === undefined || candidate.consentedAt === null || candidate.organisationId === null) {
      c.consentedAt[i] = NEVER;
      return;
    }
    c.consentedAt[i] = candidate.consentedAt;
    c.month[i] = this.monthCode(candidate.consentedAt);
    c.organisation[i] = this.organisations.code(candidate.organisationId);
    let bits = 0;
    let later = false;
    for (let k = STAGES.length - 1; k >= 0; k--) {
      later ||= candidate.reached[STAGES[k]!] !== undefined;
      if (later) bits |= 1 << k;
    }
    if (candidate.inWork['1'] === true) bits |= FUNNEL_BITS.work1;
    if (candidate.inWork['3'] === true) bits |= FUNNEL_BITS.work3;
    if (candidate.inWork['6'] === true) bits |= FUNNEL_BITS.work6;
    c.bits[i] = bits;
  }
}

/** A full index of the facts as they are. */
export const indexFacts = (facts: Facts): FactIndex => new FactIndex(facts);

/**
 * The index of a fact cache: built on first use, then following the cache's changes, taken in before
 * each query (only the facts a sync changed are indexed again).
 */
const indexes = new WeakMap<FactCache, { index: FactIndex; pending: Map<string, [FactKind, string]> }>();
export function factIndexOf(cache: FactCache): FactIndex {
  let entry = indexes.get(cache);
  if (!entry) {
    const pending = new Map<string, [FactKind, string]>();
    cache.onChange((kind, key) => pending.set(`${kind}\u0000${key}`, [kind, key]));
    indexes.set(cache, (entry = { index: new FactIndex(cache.facts), pending }));
  } else if (entry.pending.size > 0) {
    for (const [kind, key] of entry.pending.values()) entry.index.update(kind, key);
    entry.pending.clear();
    entry.index.refresh();
  }
  return entry.index;
}
