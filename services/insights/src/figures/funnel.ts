import { FUNNEL_STAGES, type FunnelStage } from '@estia/contracts/insights/funnelStages.js';
import { FUNNEL_BITS, type FactIndex } from './factIndex.js';
import { publish, suppressedCells, type Published, type SuppressionGroup } from '../privacy/suppression.js';
import type { InsightsFilters } from './filters.js';

export const FUNNEL_COLUMNS = FUNNEL_STAGES;
export type FunnelColumn = FunnelStage;
export type FunnelCounts = Record<FunnelColumn, number>;

const empty = (): FunnelCounts => Object.fromEntries(FUNNEL_COLUMNS.map((c) => [c, 0])) as FunnelCounts;

/** Adds a candidate's stage bits (see FUNNEL_BITS) to the counts. */
function addCandidate(counts: FunnelCounts, bits: number): void {
  counts.consenting += 1;
  if (bits & FUNNEL_BITS.matched) counts.matched += 1;
  if (bits & FUNNEL_BITS.applied) counts.applied += 1;
  if (bits & FUNNEL_BITS.interviewed) counts.interviewed += 1;
  if (bits & FUNNEL_BITS.hired) counts.hired += 1;
  if (bits & FUNNEL_BITS.work1) counts.inWork1Month += 1;
  if (bits & FUNNEL_BITS.work3) counts.inWork3Months += 1;
  if (bits & FUNNEL_BITS.work6) counts.inWork6Months += 1;
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
export function funnelFigures(x: FactIndex, f: InsightsFilters): FunnelRaw {
  const rows = new Map<number, FunnelRaw['rows'][number]>();
  const months = new Map<number, FunnelRaw['months'][number]>();
  const network = empty();
  const c = x.candidates;
  const area = f.area === undefined ? -2 : x.areas.find(f.area);
  const organisation = f.organisationId === undefined ? -2 : x.organisations.find(f.organisationId);
  for (let i = 0; i < c.n; i++) {
    const at = c.consentedAt[i]!;
    if (at < f.from || at >= f.to) continue;
    const o = c.organisation[i]!;
    if (organisation !== -2 && o !== organisation) continue;
    if (area !== -2 && x.organisationArea[o] !== area) continue;
    const bits = c.bits[i]!;
    addCandidate(network, bits);
    let row = rows.get(o);
    if (!row)
      rows.set(
        o,
        (row = { organisationId: x.organisations.names[o]!, name: x.organisationName[o] ?? null, counts: empty() }),
      );
    addCandidate(row.counts, bits);
    const month = c.month[i]!;
    let m = months.get(month);
    if (!m) months.set(month, (m = { month: x.months.names[month]!, counts: empty() }));
    addCandidate(m.counts, bits);
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
