import type { FactIndex } from './factIndex.js';
import {
  publish,
  publishOver,
  suppressedCells,
  type Published,
  type SuppressionGroup,
} from '../privacy/suppression.js';
import type { InsightsFilters } from './filters.js';
import { durationFigures } from './stats.js';

export interface DemandRaw {
  category: string;
  area: string;
  /** Needs assessed in the period (one person each). */
  needs: number;
  /** Of those, still open at the end of the period. */
  open: number;
  /** Of those, none was referred anywhere before the end of the period. */
  unmatched: number;
  /** Assessment to the first accepted referral, of the needs that got one. */
  waiting: number[];
  /** Services in the directory now (not withdrawn) by intake status, and the capacity they state. */
  servicesOpen: number;
  servicesWaitlist: number;
  servicesClosed: number;
  capacityAvailable: number;
  capacityMaximum: number;
}

const emptyRow = (category: string, area: string): DemandRaw => ({
  category,
  area,
  needs: 0,
  open: 0,
  unmatched: 0,
  waiting: [],
  servicesOpen: 0,
  servicesWaitlist: 0,
  servicesClosed: 0,
  capacityAvailable: 0,
  capacityMaximum: 0,
});

/**
 * Demand against capacity by category and area. A need's area is the region of the organisation that
 * assessed it (the public events carry no address of the client); a service's areas are its service areas.
 * Rows are the (category, area) pairs that have needs or services; `totals` has one row per category
 * (area "*", services counted once) and the grand total.
 */
export function demandFigures(x: FactIndex, f: InsightsFilters): { rows: DemandRaw[]; totals: DemandRaw[] } {
  const rows = new Map<string, DemandRaw>();
  const totals = new Map<string, DemandRaw>();
  const row = (category: string, area: string) => {
    const id = `${category}|${area}`;
    let r = rows.get(id);
    if (!r) rows.set(id, (r = emptyRow(category, area)));
    return r;
  };
  const total = (category: string) => {
    let r = totals.get(category);
    if (!r) totals.set(category, (r = emptyRow(category, '*')));
    return r;
  };
  // A filter naming something no fact has matches nothing (code -1 equals no slot).
  const category = f.category === undefined ? -2 : x.categories.find(f.category);
  const area = f.area === undefined ? -2 : x.areas.find(f.area);
  const organisation = f.organisationId === undefined ? -2 : x.organisations.find(f.organisationId);
  const needs = x.needs;
  /** Rows by category and area code, so the pass over the needs builds no strings. */
  const cells = new Map<number, [DemandRaw, DemandRaw]>();
  const areaCount = x.areas.names.length;
  for (let i = 0; i < needs.n; i++) {
    const at = needs.assessedAt[i]!;
    if (at < f.from || at >= f.to) continue;
    const c = needs.category[i]!;
    if (category !== -2 && c !== category) continue;
    const by = needs.by[i]!;
    if (organisation !== -2 && by !== organisation) continue;
    const a = x.organisationArea[by]!;
    if (area !== -2 && a !== area) continue;
    const cell = c * areaCount + a;
    let pair = cells.get(cell);
    if (!pair) {
      const name = x.categories.names[c]!;
      cells.set(cell, (pair = [row(name, x.areas.names[a]!), total(name)]));
    }
    const closedAt = needs.closedAt[i]!;
    const open = !(closedAt < f.to); // NaN: still open
    const unmatched = !(needs.firstRequested[i]! < f.to);
    const accepted = needs.firstAccepted[i]!;
    const waits = accepted < f.to;
    for (const r of pair) {
      r.needs += 1;
      if (open) r.open += 1;
      if (unmatched) r.unmatched += 1;
      if (waits) r.waiting.push(accepted - at);
    }
  }
  for (const s of x.facts.service.values()) {
    if (s.withdrawn) continue;
    if (f.category !== undefined && s.category !== f.category) continue;
    if (f.organisationId !== undefined && s.organisationId !== f.organisationId) continue;
    const areas = f.area === undefined ? s.areas : s.areas.filter((a) => a === f.area);
    if (areas.length === 0) continue;
    for (const r of [...areas.map((a) => row(s.category, a)), total(s.category)]) {
      if (s.intakeStatus === 'open') {
        r.servicesOpen += 1;
        r.capacityAvailable += s.available ?? 0;
        r.capacityMaximum += s.maximum ?? 0;
      } else if (s.intakeStatus === 'waitlist') r.servicesWaitlist += 1;
      else r.servicesClosed += 1;
    }
  }
  const sort = (a: DemandRaw, b: DemandRaw) => a.category.localeCompare(b.category) || a.area.localeCompare(b.area);
  return { rows: [...rows.values()].sort(sort), totals: [...totals.values()].sort(sort) };
}

const PEOPLE = ['needs', 'open', 'unmatched'] as const;

export interface PublishedDemand {
  category: string;
  area: string;
  needs: Published;
  open: Published;
  unmatched: Published;
  waitingMedianHours: Published | null;
  waitingP90Hours: Published | null;
  servicesOpen: number;
  servicesWaitlist: number;
  servicesClosed: number;
  capacityAvailable: number;
  capacityMaximum: number;
}

/** Needs are people: small cells hidden, with complementary cells per category and across categories. */
export function publishDemand(raw: { rows: DemandRaw[]; totals: DemandRaw[] }) {
  const counts = new Map<string, number>();
  const groups: SuppressionGroup[] = [];
  const grand = { needs: 0, open: 0, unmatched: 0 };
  raw.rows.forEach((r, i) => PEOPLE.forEach((c) => counts.set(`r${i}.${c}`, r[c])));
  raw.totals.forEach((t, j) => {
    PEOPLE.forEach((c) => {
      counts.set(`t${j}.${c}`, t[c]);
      grand[c] += t[c];
      const parts = raw.rows.flatMap((r, i) => (r.category === t.category ? [`r${i}.${c}`] : []));
      groups.push({ total: `t${j}.${c}`, parts });
    });
  });
  PEOPLE.forEach((c) => {
    counts.set(`all.${c}`, grand[c]);
    groups.push({ total: `all.${c}`, parts: raw.totals.map((_, j) => `t${j}.${c}`) });
  });
  const hidden = suppressedCells({ counts, groups });
  const one = (prefix: string, r: DemandRaw): PublishedDemand => {
    const waiting = durationFigures(r.waiting);
    return {
      category: r.category,
      area: r.area,
      needs: publish(hidden, `${prefix}.needs`, r.needs),
      open: publish(hidden, `${prefix}.open`, r.open),
      unmatched: publish(hidden, `${prefix}.unmatched`, r.unmatched),
      waitingMedianHours: publishOver(waiting.n, waiting.median),
      waitingP90Hours: publishOver(waiting.n, waiting.p90),
      servicesOpen: r.servicesOpen,
      servicesWaitlist: r.servicesWaitlist,
      servicesClosed: r.servicesClosed,
      capacityAvailable: r.capacityAvailable,
      capacityMaximum: r.capacityMaximum,
    };
  };
  return {
    rows: raw.rows.map((r, i) => one(`r${i}`, r)),
    totals: raw.totals.map((t, j) => one(`t${j}`, t)),
    network: Object.fromEntries(PEOPLE.map((c) => [c, publish(hidden, `all.${c}`, grand[c])])) as Record<
      (typeof PEOPLE)[number],
      Published
    >,
  };
}
