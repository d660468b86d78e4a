import { STAGES, type CandidateFact } from '../domain/facts.js';
import type { Facts } from '../readModels/factStore.js';
import { publish, suppressedCells, type Published, type SuppressionGroup } from '../privacy/suppression.js';
import { UNKNOWN_AREA, inPeriod, type InsightsFilters } from './filters.js';
import { monthOf } from './stats.js';

export const FUNNEL_COLUMNS = [
  'consenting',
  'matched',
  'applied',
  'interviewed',
  'hired',
  'inWork1Month',
  'inWork3Months',
  'inWork6Months',
] as const;
export type FunnelColumn = (typeof FUNNEL_COLUMNS)[number];
export type FunnelCounts = Record<FunnelColumn, number>;

const empty = (): FunnelCounts => Object.fromEntries(FUNNEL_COLUMNS.map((c) => [c, 0])) as FunnelCounts;

/** A stage counts as reached when it or any later stage was (a hire without a recorded interview was one). */
function addCandidate(counts: FunnelCounts, c: CandidateFact): void {
  counts.consenting += 1;
  let later = false;
  for (let i = STAGES.length - 1; i >= 0; i--) {
    const stage = STAGES[i]!;
    later ||= c.reached[stage] !== undefined;
    if (later) counts[stage] += 1;
  }
  if (c.inWork['1'] === true) counts.inWork1Month += 1;
  if (c.inWork['3'] === true) counts.inWork3Months += 1;
  if (c.inWork['6'] === true) counts.inWork6Months += 1;
}

export interface FunnelRaw {
  rows: { organisationId: string; name: string | null; counts: FunnelCounts }[];
  months: { month: string; counts: FunnelCounts }[];
  network: FunnelCounts;
}

/**
 * The outcome funnel of the candidates who consented to job matching in the period (a cohort, so each
 * stage is a subset of the one before): how many were matched, applied, interviewed, hired and were still
 * in work 1, 3 and 6 months after starting; by the organisation that recorded their consent and by month.
 */
export function funnelFigures(facts: Facts, f: InsightsFilters): FunnelRaw {
  const rows = new Map<string, FunnelRaw['rows'][number]>();
  const months = new Map<string, FunnelRaw['months'][number]>();
  const network = empty();
  for (const c of facts.candidate.values()) {
    if (!inPeriod(f, c.consentedAt) || c.organisationId === null) continue;
    if (f.organisationId !== undefined && c.organisationId !== f.organisationId) continue;
    const org = facts.organisation.get(c.organisationId);
    if (f.area !== undefined && (org?.region ?? UNKNOWN_AREA) !== f.area) continue;
    addCandidate(network, c);
    let row = rows.get(c.organisationId);
    if (!row)
      rows.set(
        c.organisationId,
        (row = { organisationId: c.organisationId, name: org?.name ?? null, counts: empty() }),
      );
    addCandidate(row.counts, c);
    const month = monthOf(c.consentedAt);
    let m = months.get(month);
    if (!m) months.set(month, (m = { month, counts: empty() }));
    addCandidate(m.counts, c);
  }
  return {
    rows: [...rows.values()].sort((a, b) => a.organisationId.localeCompare(b.organisationId)),
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    network,
  };
}

export type PublishedFunnel = Record<FunnelColumn, Published>;

/** Every cell is people: hidden below the threshold, with complementary cells across organisations and months. */
export function publishFunnel(raw: FunnelRaw) {
  const counts = new Map<string, number>();
  const groups: SuppressionGroup[] = [];
  for (const c of FUNNEL_COLUMNS) {
    counts.set(`net.${c}`, raw.network[c]);
    raw.rows.forEach((r, i) => counts.set(`r${i}.${c}`, r.counts[c]));
    raw.months.forEach((m, i) => counts.set(`m${i}.${c}`, m.counts[c]));
    groups.push({ total: `net.${c}`, parts: raw.rows.map((_, i) => `r${i}.${c}`) });
    groups.push({ total: `net.${c}`, parts: raw.months.map((_, i) => `m${i}.${c}`) });
  }
  const hidden = suppressedCells({ counts, groups });
  const one = (prefix: string, counts: FunnelCounts) =>
    Object.fromEntries(FUNNEL_COLUMNS.map((c) => [c, publish(hidden, `${prefix}.${c}`, counts[c])])) as PublishedFunnel;
  return {
    rows: raw.rows.map((r, i) => ({ organisationId: r.organisationId, name: r.name, ...one(`r${i}`, r.counts) })),
    months: raw.months.map((m, i) => ({ month: m.month, ...one(`m${i}`, m.counts) })),
    network: one('net', raw.network),
  };
}
