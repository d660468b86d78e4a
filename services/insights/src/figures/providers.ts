import { ACCEPTED, CLOSED, NO_ANSWER, type FactIndex } from './factIndex.js';
import {
  publish,
  publishOver,
  suppressedCells,
  type Published,
  type SuppressionGroup,
} from '../privacy/suppression.js';
import type { InsightsFilters } from './filters.js';
import { durationFigures } from './stats.js';

export type ProviderGrouping = 'organisation' | 'service' | 'category';

/** Counts of one provider (or the network) over the referrals it received in the period. */
export interface ProviderCounts {
  received: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  expired: number;
  cancelled: number;
  completed: number;
  completedByOutcome: Record<string, number>;
  failed: number;
  failedByReason: Record<string, number>;
}

export interface ProviderRaw extends ProviderCounts {
  /** Milliseconds from request to first answer, and to completion, of each referral that had one. */
  firstAnswer: ArrayLike<number>;
  completion: ArrayLike<number>;
  /** Answered (accepted or rejected) or expired: the referrals whose deadline was put to the test. */
  due: number;
  answeredInTime: number;
}

export interface ProviderKey {
  organisationId: string | null;
  name: string | null;
  serviceId?: string | null;
  category?: string;
}

/** Counters per group (the network, then each row), FIELDS apart. */
const FIELDS = [
  'received',
  'accepted',
  'rejected',
  'expired',
  'cancelled',
  'completed',
  'failed',
  'due',
  'answeredInTime',
] as const;
const [RECEIVED, ACCEPTED_N, REJECTED_N, EXPIRED, CANCELLED, COMPLETED, FAILED, DUE, IN_TIME] = FIELDS.map(
  (_, i) => i,
) as [number, number, number, number, number, number, number, number, number];
const F = FIELDS.length;

/** Durations of each group, gathered in one buffer and split by group afterwards (a counting sort). */
class Durations {
  private readonly values: Float64Array;
  private readonly groups: Int32Array;
  private n = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
    this.groups = new Int32Array(capacity);
  }
  add(value: number, group: number): void {
    this.values[this.n] = value;
    this.groups[this.n++] = group;
  }
  /** All the durations (the network's), and each row's (group ≥ 1). */
  split(groups: number): { all: Float64Array; byGroup: Float64Array[] } {
    const counts = new Int32Array(groups + 1);
    for (let i = 0; i < this.n; i++) counts[this.groups[i]! + 1]! += 1;
    const starts = new Int32Array(groups + 1);
    for (let g = 1; g <= groups; g++) starts[g] = starts[g - 1]! + counts[g - 1]!;
    const sorted = new Float64Array(this.n);
    const at = Int32Array.from(starts);
    for (let i = 0; i < this.n; i++) sorted[at[this.groups[i]! + 1]!++] = this.values[i]!;
    return {
      all: this.values.subarray(0, this.n),
      byGroup: Array.from({ length: groups }, (_, g) =>
        sorted.subarray(starts[g + 1]!, starts[g + 1]! + counts[g + 1]!),
      ),
    };
  }
}

/** A breakdown's non-zero counts by name. */
const breakdown = (counts: Int32Array, offset: number, names: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (let k = 0; k < names.length; k++) if (counts[offset + k]! > 0) out[names[k]!] = counts[offset + k]!;
  return out;
};

export interface ProvidersRaw {
  rows: { key: ProviderKey; raw: ProviderRaw }[];
  network: ProviderRaw;
  months: { month: string; received: number; accepted: number; completed: number }[];
}

/**
 * Provider assessment: every referral received in the period (by its receiver, service or category), what
 * became of it, how fast it was answered and completed, and against the service's own response time.
 * The network's figures use the same filters except the organisation, so a provider sits beside it.
 * One pass over the index's referral columns, counting into typed arrays by group (0 the network, 1… the
 * rows in the order first met).
 */
export function providerFigures(x: FactIndex, f: InsightsFilters, groupBy: ProviderGrouping): ProvidersRaw {
  const r = x.referrals;
  // A filter naming something no fact has matches nothing (code -1 equals no slot).
  const category = f.category === undefined ? -2 : x.categories.find(f.category);
  const area = f.area === undefined ? -2 : x.areas.find(f.area);
  const organisation = f.organisationId === undefined ? -2 : x.organisations.find(f.organisationId);
  const domain =
    groupBy === 'organisation'
      ? x.organisations.names.length
      : groupBy === 'service'
        ? x.services.names.length + 1 // a referral without a service is a row of its own
        : x.categories.names.length;
  const groupOf = new Int32Array(domain).fill(0);
  const keys: ProviderKey[] = [];
  const counts = new Int32Array((domain + 1) * F);
  const R = x.reasons.names.length;
  const O = x.outcomes.names.length;
  const rejectedBy = new Int32Array((domain + 1) * R);
  const failedBy = new Int32Array((domain + 1) * R);
  const completedBy = new Int32Array((domain + 1) * O);
  const M = x.months.names.length;
  const months = new Int32Array(M * 3);
  const firstAnswer = new Durations(r.n);
  const completion = new Durations(r.n);
  const count = (g: number, i: number) => {
    const base = g * F;
    counts[base + RECEIVED]! += 1;
    const answer = r.answer[i]!;
    if (answer === ACCEPTED) counts[base + ACCEPTED_N]! += 1;
    const closed = r.closed[i]!;
    if (closed === CLOSED.rejected) {
      counts[base + REJECTED_N]! += 1;
      rejectedBy[g * R + r.reason[i]!]! += 1;
    } else if (closed === CLOSED.expired) counts[base + EXPIRED]! += 1;
    else if (closed === CLOSED.cancelled) counts[base + CANCELLED]! += 1;
    else if (closed === CLOSED.failed) {
      counts[base + FAILED]! += 1;
      failedBy[g * R + r.reason[i]!]! += 1;
    } else if (closed === CLOSED.completed) {
      counts[base + COMPLETED]! += 1;
      completedBy[g * O + r.outcome[i]!]! += 1;
    }
    if (answer !== NO_ANSWER || closed === CLOSED.expired) {
      counts[base + DUE]! += 1;
      const respondBy = r.respondBy[i]!;
      const service = r.service[i]!;
      const deadline =
        respondBy === respondBy
          ? respondBy
          : r.requestedAt[i]! + (service === -1 ? NaN : x.serviceResponseMs[service]!);
      // NaN (no deadline known) compares false: not in time.
      if (answer !== NO_ANSWER && r.answerAt[i]! <= deadline) counts[base + IN_TIME]! += 1;
    }
  };
  for (let i = 0; i < r.n; i++) {
    const at = r.requestedAt[i]!;
    if (at < f.from || at >= f.to) continue;
    if (category !== -2 && r.category[i] !== category) continue;
    const to = r.to[i]!;
    if (area !== -2 && x.organisationArea[to] !== area) continue;
    count(0, i);
    let g = -1; // durations of referrals outside the organisation filter count for the network only
    if (organisation === -2 || to === organisation) {
      const service = r.service[i]!;
      const id = groupBy === 'organisation' ? to : groupBy === 'service' ? service + 1 : r.category[i]!;
      g = groupOf[id]!;
      if (g === 0) {
        const fact = service === -1 ? undefined : x.serviceFact[service];
        keys.push(
          groupBy === 'category'
            ? { organisationId: null, name: null, category: x.categories.names[id]! }
            : groupBy === 'service'
              ? {
                  organisationId: x.organisations.names[to]!,
                  name: fact?.name ?? null,
                  serviceId: service === -1 ? null : x.services.names[service]!,
                  category: fact?.category ?? x.categories.names[r.category[i]!]!,
                }
              : { organisationId: x.organisations.names[to]!, name: x.organisationName[to] ?? null },
        );
        groupOf[id] = g = keys.length;
      }
      count(g, i);
      const m = r.month[i]! * 3;
      months[m]! += 1;
      if (r.answer[i] === ACCEPTED) months[m + 1]! += 1;
      if (r.closed[i] === CLOSED.completed) months[m + 2]! += 1;
    }
    if (r.answer[i] !== NO_ANSWER) firstAnswer.add(r.answerAt[i]! - at, g);
    if (r.closed[i] === CLOSED.completed) completion.add(r.closedAt[i]! - at, g);
  }
  const answers = firstAnswer.split(keys.length + 1);
  const completions = completion.split(keys.length + 1);
  const raw = (g: number, first: Float64Array, done: Float64Array): ProviderRaw => {
    const base = g * F;
    return {
      received: counts[base + RECEIVED]!,
      accepted: counts[base + ACCEPTED_N]!,
      rejected: counts[base + REJECTED_N]!,
      rejectedByReason: breakdown(rejectedBy, g * R, x.reasons.names),
      expired: counts[base + EXPIRED]!,
      cancelled: counts[base + CANCELLED]!,
      completed: counts[base + COMPLETED]!,
      completedByOutcome: breakdown(completedBy, g * O, x.outcomes.names),
      failed: counts[base + FAILED]!,
      failedByReason: breakdown(failedBy, g * R, x.reasons.names),
      firstAnswer: first,
      completion: done,
      due: counts[base + DUE]!,
      answeredInTime: counts[base + IN_TIME]!,
    };
  };
  const rows = keys.map((key, k) => ({
    key,
    raw: raw(k + 1, answers.byGroup[k + 1]!, completions.byGroup[k + 1]!),
  }));
  const byId = (a: string | null | undefined, b: string | null | undefined) => String(a).localeCompare(String(b));
  const monthRows = [];
  for (let m = 0; m < M; m++)
    if (months[m * 3]! > 0)
      monthRows.push({
        month: x.months.names[m]!,
        received: months[m * 3]!,
        accepted: months[m * 3 + 1]!,
        completed: months[m * 3 + 2]!,
      });
  return {
    rows: rows.sort(
      (a, b) =>
        byId(a.key.organisationId, b.key.organisationId) ||
        byId(a.key.serviceId ?? a.key.category, b.key.serviceId ?? b.key.category),
    ),
    network: raw(0, answers.all, completions.all),
    months: monthRows.sort((a, b) => a.month.localeCompare(b.month)),
  };
}

export type PublishedCounts = {
  [K in keyof ProviderCounts]: ProviderCounts[K] extends number ? Published : Record<string, Published>;
};

export interface PublishedProvider extends PublishedCounts {
  firstAnswerMedianHours: Published | null;
  firstAnswerP90Hours: Published | null;
  completionMedianHours: Published | null;
  completionP90Hours: Published | null;
  /** Of the referrals answered or expired, the share answered within the service's own response time (0–1). */
  answeredWithinResponseTime: Published | null;
}

const SCALARS = ['received', 'accepted', 'rejected', 'expired', 'cancelled', 'completed', 'failed'] as const;
const BREAKDOWNS = [
  ['rejected', 'rejectedByReason'],
  ['completed', 'completedByOutcome'],
  ['failed', 'failedByReason'],
] as const;

/**
 * The figures as published: every count below the threshold hidden, and complementary cells hidden so that
 * no hidden count follows from a total (network = sum of the rows when they partition it; each breakdown
 * sums to its count; the months sum to the rows).
 */
export function publishProviders(raw: ProvidersRaw, partitioned: boolean) {
  const counts = new Map<string, number>();
  const groups: SuppressionGroup[] = [];
  const reasons = Object.fromEntries(BREAKDOWNS.map(([, b]) => [b, Object.keys(raw.network[b]).sort()])) as Record<
    (typeof BREAKDOWNS)[number][1],
    string[]
  >;
  const tables = [...raw.rows.map((r, i) => [`r${i}`, r.raw] as const), ['net', raw.network] as const];
  for (const [prefix, r] of tables) {
    for (const c of SCALARS) counts.set(`${prefix}.${c}`, r[c]);
    for (const [total, b] of BREAKDOWNS) {
      for (const k of reasons[b]) counts.set(`${prefix}.${b}.${k}`, r[b][k] ?? 0);
      groups.push({ total: `${prefix}.${total}`, parts: reasons[b].map((k) => `${prefix}.${b}.${k}`) });
    }
  }
  const columns = [...SCALARS, ...BREAKDOWNS.flatMap(([, b]) => reasons[b].map((k) => `${b}.${k}`))];
  if (partitioned)
    for (const c of columns) groups.push({ total: `net.${c}`, parts: raw.rows.map((_, i) => `r${i}.${c}`) });
  const monthColumns = ['received', 'accepted', 'completed'] as const;
  raw.months.forEach((m, i) => monthColumns.forEach((c) => counts.set(`m${i}.${c}`, m[c])));
  // The months split the rows' referrals: with one row (or a partition) they sum to a published total.
  const monthTotal = raw.rows.length === 1 ? 'r0' : partitioned ? 'net' : null;
  if (monthTotal)
    for (const c of monthColumns)
      groups.push({ total: `${monthTotal}.${c}`, parts: raw.months.map((_, i) => `m${i}.${c}`) });
  const hidden = suppressedCells({ counts, groups });

  const one = (prefix: string, r: ProviderRaw): PublishedProvider => {
    const first = durationFigures(r.firstAnswer);
    const completion = durationFigures(r.completion);
    const late = r.due - r.answeredInTime;
    return {
      ...(Object.fromEntries(SCALARS.map((c) => [c, publish(hidden, `${prefix}.${c}`, r[c])])) as Record<
        (typeof SCALARS)[number],
        Published
      >),
      ...(Object.fromEntries(
        BREAKDOWNS.map(([, b]) => [
          b,
          Object.fromEntries(reasons[b].map((k) => [k, publish(hidden, `${prefix}.${b}.${k}`, r[b][k] ?? 0)])),
        ]),
      ) as Record<(typeof BREAKDOWNS)[number][1], Record<string, Published>>),
      firstAnswerMedianHours: publishOver(first.n, first.median),
      firstAnswerP90Hours: publishOver(first.n, first.p90),
      completionMedianHours: publishOver(completion.n, completion.median),
      completionP90Hours: publishOver(completion.n, completion.p90),
      // Both the in-time and the late count must reach the threshold, or the share would tell either.
      answeredWithinResponseTime:
        r.due === 0
          ? null
          : publishOver(Math.min(r.answeredInTime, late), Math.round((r.answeredInTime / r.due) * 1000) / 1000),
    };
  };
  return {
    rows: raw.rows.map((r, i) => ({ ...r.key, ...one(`r${i}`, r.raw) })),
    network: one('net', raw.network),
    months: raw.months.map((m, i) => ({
      month: m.month,
      ...Object.fromEntries(monthColumns.map((c) => [c, publish(hidden, `m${i}.${c}`, m[c])])),
    })) as { month: string; received: Published; accepted: Published; completed: Published }[],
  };
}
