import type { ReferralFact } from '../domain/facts.js';
import type { Facts } from '../readModels/factStore.js';
import {
  publish,
  publishOver,
  suppressedCells,
  type Published,
  type SuppressionGroup,
} from '../privacy/suppression.js';
import { UNKNOWN_AREA, inPeriod, type InsightsFilters } from './filters.js';
import { durationFigures, monthOf } from './stats.js';

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
  firstAnswer: number[];
  completion: number[];
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

const emptyRaw = (): ProviderRaw => ({
  received: 0,
  accepted: 0,
  rejected: 0,
  rejectedByReason: {},
  expired: 0,
  cancelled: 0,
  completed: 0,
  completedByOutcome: {},
  failed: 0,
  failedByReason: {},
  firstAnswer: [],
  completion: [],
  due: 0,
  answeredInTime: 0,
});

const bump = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);

/** Adds one referral (received in the period) to a provider's figures. */
function add(raw: ProviderRaw, r: ReferralFact & { requestedAt: number }, responseHours: number | undefined): void {
  raw.received += 1;
  if (r.firstAnswer?.status === 'accepted') raw.accepted += 1;
  if (r.firstAnswer) raw.firstAnswer.push(r.firstAnswer.at - r.requestedAt);
  const closed = r.closed;
  if (closed) {
    const reason = closed.reasonCode ?? 'unspecified';
    if (closed.status === 'rejected') {
      raw.rejected += 1;
      bump(raw.rejectedByReason, reason);
    } else if (closed.status === 'expired') raw.expired += 1;
    else if (closed.status === 'cancelled') raw.cancelled += 1;
    else if (closed.status === 'failed') {
      raw.failed += 1;
      bump(raw.failedByReason, reason);
    } else if (closed.status === 'completed') {
      raw.completed += 1;
      bump(raw.completedByOutcome, closed.outcome ?? 'unspecified');
      raw.completion.push(closed.at - r.requestedAt);
    }
  }
  const deadline = r.respondBy ?? (responseHours === undefined ? null : r.requestedAt + responseHours * 3_600_000);
  if (r.firstAnswer || closed?.status === 'expired') {
    raw.due += 1;
    if (r.firstAnswer && deadline !== null && r.firstAnswer.at <= deadline) raw.answeredInTime += 1;
  }
}

export interface ProvidersRaw {
  rows: { key: ProviderKey; raw: ProviderRaw }[];
  network: ProviderRaw;
  months: { month: string; received: number; accepted: number; completed: number }[];
}

/**
 * Provider assessment: every referral received in the period (by its receiver, service or category), what
 * became of it, how fast it was answered and completed, and against the service's own response time.
 * The network's figures use the same filters except the organisation, so a provider sits beside it.
 */
export function providerFigures(facts: Facts, f: InsightsFilters, groupBy: ProviderGrouping): ProvidersRaw {
  const rows = new Map<string, { key: ProviderKey; raw: ProviderRaw }>();
  const network = emptyRaw();
  const months = new Map<string, { month: string; received: number; accepted: number; completed: number }>();
  for (const r of facts.referral.values()) {
    if (!inPeriod(f, r.requestedAt)) continue;
    if (f.category !== undefined && r.category !== f.category) continue;
    const org = facts.organisation.get(r.toOrganisationId);
    if (f.area !== undefined && (org?.region ?? UNKNOWN_AREA) !== f.area) continue;
    const service = r.serviceId === null ? undefined : facts.service.get(r.serviceId);
    const referral = r as ReferralFact & { requestedAt: number };
    add(network, referral, service?.responseTimeHours);
    if (f.organisationId !== undefined && r.toOrganisationId !== f.organisationId) continue;
    const id = groupBy === 'organisation' ? r.toOrganisationId : groupBy === 'service' ? `${r.serviceId}` : r.category;
    let row = rows.get(id);
    if (!row) {
      const key: ProviderKey =
        groupBy === 'category'
          ? { organisationId: null, name: null, category: r.category }
          : groupBy === 'service'
            ? {
                organisationId: r.toOrganisationId,
                name: service?.name ?? null,
                serviceId: r.serviceId,
                category: service?.category ?? r.category,
              }
            : { organisationId: r.toOrganisationId, name: org?.name ?? null };
      rows.set(id, (row = { key, raw: emptyRaw() }));
    }
    add(row.raw, referral, service?.responseTimeHours);
    const month = monthOf(referral.requestedAt);
    const m = months.get(month) ?? { month, received: 0, accepted: 0, completed: 0 };
    m.received += 1;
    if (r.firstAnswer?.status === 'accepted') m.accepted += 1;
    if (r.closed?.status === 'completed') m.completed += 1;
    months.set(month, m);
  }
  const byId = (a: string | null | undefined, b: string | null | undefined) => String(a).localeCompare(String(b));
  return {
    rows: [...rows.values()].sort(
      (a, b) =>
        byId(a.key.organisationId, b.key.organisationId) ||
        byId(a.key.serviceId ?? a.key.category, b.key.serviceId ?? b.key.category),
    ),
    network,
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
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
