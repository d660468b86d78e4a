import type { InsightsFilters } from '../figures/filters.js';
import type { Envelope } from './history.js';

/**
 * The figures computed the slow, obvious way straight from a list of public events, with no facts, no
 * read model and no shared code with the service's figures: the oracle of the property test.
 */
type D = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const t = (s: string) => Date.parse(s);
const inP = (f: InsightsFilters, x: number | undefined) => x !== undefined && x >= f.from && x < f.to;
const nearestRank = (xs: number[], q: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.max(0, Math.ceil(q * s.length) - 1)]! / 360_000) / 10;
};
export const dur = (xs: number[]) => ({ n: xs.length, median: nearestRank(xs, 0.5), p90: nearestRank(xs, 0.9) });

function context(events: readonly Envelope[]) {
  const region = new Map<string, string>();
  const services = new Map<string, D>();
  const erased = new Set<string>();
  for (const e of events) {
    const d = e.data as D;
    if (e.type === 'estia.registry.organisation.membership-changed.v1') region.set(d.organisationId, d.region);
    if (e.type === 'estia.registry.service.published.v1') services.set(d.serviceId, d);
    if (e.type === 'estia.referrals.client.erased.v1') erased.add(d.clientId);
  }
  return { region, services, erased };
}

export function bruteReferrals(events: readonly Envelope[]) {
  const byId = new Map<string, D[]>();
  for (const e of events)
    if (e.type === 'estia.referrals.referral.status-changed.v1') {
      const d = e.data as D;
      byId.set(d.referralId, [...(byId.get(d.referralId) ?? []), d]);
    }
  return [...byId.values()].map((list) => {
    const requested = list.filter((d) => d.status === 'requested').sort((a, b) => t(a.changedAt) - t(b.changedAt))[0];
    const answers = list
      .filter((d) => (d.status === 'accepted' || d.status === 'rejected') && d.previousStatus === 'requested')
      .sort((a, b) => t(a.changedAt) - t(b.changedAt));
    const terminal = list
      .filter((d) => ['rejected', 'completed', 'failed', 'cancelled', 'expired'].includes(d.status))
      .sort((a, b) => t(a.changedAt) - t(b.changedAt));
    return { first: list[0]!, requested, answer: answers[0], end: terminal[0] };
  });
}

export function bruteProviders(events: readonly Envelope[], f: InsightsFilters, groupBy: string) {
  const { region, services } = context(events);
  const groups = new Map<string, D>();
  const network: D = { items: [] };
  for (const r of bruteReferrals(events)) {
    if (!r.requested || !inP(f, t(r.requested.changedAt))) continue;
    if (f.category && r.first.category !== f.category) continue;
    if (f.area && (region.get(r.first.toOrganisationId) ?? 'unknown') !== f.area) continue;
    network.items.push(r);
    if (f.organisationId && r.first.toOrganisationId !== f.organisationId) continue;
    const key =
      groupBy === 'organisation'
        ? r.first.toOrganisationId
        : groupBy === 'service'
          ? String(r.first.serviceId)
          : r.first.category;
    const g = groups.get(key) ?? { key, items: [] };
    g.items.push(r);
    groups.set(key, g);
  }
  const figures = (items: ReturnType<typeof bruteReferrals>) => {
    const count = (p: (r: (typeof items)[number]) => boolean) => items.filter(p).length;
    const by = (status: string, field: string) => {
      const out: Record<string, number> = {};
      for (const r of items)
        if (r.end?.status === status)
          out[r.end[field] ?? 'unspecified'] = (out[r.end[field] ?? 'unspecified'] ?? 0) + 1;
      return out;
    };
    const req = (r: (typeof items)[number]) => t(r.requested!.changedAt);
    const deadline = (r: (typeof items)[number]) =>
      r.requested!.respondBy !== undefined
        ? t(r.requested!.respondBy)
        : services.has(r.first.serviceId)
          ? req(r) + services.get(r.first.serviceId)!.expectedResponseTimeHours * 3_600_000
          : null;
    const due = items.filter((r) => r.answer || r.end?.status === 'expired');
    return {
      received: items.length,
      accepted: count((r) => r.answer?.status === 'accepted'),
      rejected: count((r) => r.end?.status === 'rejected'),
      rejectedByReason: by('rejected', 'reasonCode'),
      expired: count((r) => r.end?.status === 'expired'),
      cancelled: count((r) => r.end?.status === 'cancelled'),
      completed: count((r) => r.end?.status === 'completed'),
      completedByOutcome: by('completed', 'outcome'),
      failed: count((r) => r.end?.status === 'failed'),
      failedByReason: by('failed', 'reasonCode'),
      firstAnswer: dur(items.filter((r) => r.answer).map((r) => t(r.answer!.changedAt) - req(r))),
      completion: dur(items.filter((r) => r.end?.status === 'completed').map((r) => t(r.end!.changedAt) - req(r))),
      due: due.length,
      answeredInTime: due.filter((r) => r.answer && deadline(r) !== null && t(r.answer.changedAt) <= deadline(r)!)
        .length,
    };
  };
  return {
    rows: new Map([...groups].map(([k, g]) => [k, figures(g.items)])),
    network: figures(network.items),
  };
}

export function bruteDemand(events: readonly Envelope[], f: InsightsFilters) {
  const { region, services, erased } = context(events);
  const needs = new Map<string, D>();
  for (const e of events) {
    const d = e.data as D;
    if (e.type === 'estia.referrals.client.need-assessed.v1') {
      const n = needs.get(d.needId);
      if (!n) needs.set(d.needId, { ...d, at: t(d.assessedAt), closed: undefined });
      else n.at = Math.min(n.at, t(d.assessedAt));
    }
    if (e.type === 'estia.referrals.client.need-closed.v1') {
      const n = needs.get(d.needId);
      if (n) n.closed = Math.min(n.closed ?? Infinity, t(d.closedAt));
    }
  }
  const referrals = bruteReferrals(events).filter((r) => r.requested?.needId !== undefined);
  const rows = new Map<string, D>();
  const row = (k: string) =>
    rows.get(k) ??
    rows
      .set(k, {
        needs: 0,
        open: 0,
        unmatched: 0,
        waiting: [] as number[],
        servicesOpen: 0,
        servicesWaitlist: 0,
        capacityAvailable: 0,
        capacityMaximum: 0,
      })
      .get(k)!;
  for (const [id, n] of needs) {
    if (erased.has(n.clientId) || !inP(f, n.at)) continue;
    if (f.category && n.category !== f.category) continue;
    if (f.organisationId && n.assessedByOrganisationId !== f.organisationId) continue;
    const area = region.get(n.assessedByOrganisationId) ?? 'unknown';
    if (f.area && area !== f.area) continue;
    const mine = referrals.filter((r) => r.requested!.needId === id);
    const accepted = mine
      .filter((r) => r.answer?.status === 'accepted' && t(r.answer.changedAt) < f.to)
      .map((r) => t(r.answer!.changedAt));
    for (const k of [`${n.category}|${area}`, `${n.category}|*`]) {
      const r = row(k);
      r.needs += 1;
      if (n.closed === undefined || n.closed >= f.to) r.open += 1;
      if (!mine.some((x) => t(x.requested!.changedAt) < f.to)) r.unmatched += 1;
      if (accepted.length > 0) r.waiting.push(Math.min(...accepted) - n.at);
    }
  }
  for (const s of services.values()) {
    const category = s.category.topLevel;
    if (f.category && category !== f.category) continue;
    if (f.organisationId && s.organisationId !== f.organisationId) continue;
    const areas = [...new Set<string>(s.serviceAreas.map((a: D) => a.region ?? a.country))].filter(
      (a) => !f.area || a === f.area,
    );
    if (areas.length === 0) continue;
    for (const k of [...areas.map((a) => `${category}|${a}`), `${category}|*`]) {
      const r = row(k);
      if (s.capacity.intakeStatus === 'open') {
        r.servicesOpen += 1;
        r.capacityAvailable += s.capacity.available ?? 0;
        r.capacityMaximum += s.capacity.maximum ?? 0;
      } else if (s.capacity.intakeStatus === 'waitlist') r.servicesWaitlist += 1;
    }
  }
  return new Map([...rows].map(([k, r]) => [k, { ...r, waiting: dur(r.waiting) }]));
}

export function bruteFunnel(events: readonly Envelope[], f: InsightsFilters) {
  const { region, erased } = context(events);
  const people = new Map<string, D>();
  const person = (c: string) =>
    people.get(c) ?? people.set(c, { reached: new Set<string>(), inWork: new Set<number>() }).get(c)!;
  const STAGE: Record<string, string> = {
    proposed: 'matched',
    interested: 'matched',
    application_sent: 'applied',
    interview: 'interviewed',
    offer: 'interviewed',
    hired: 'hired',
  };
  for (const e of events) {
    const d = e.data as D;
    if (e.type === 'estia.referrals.client.consent-given.v1' && d.purpose === 'job_matching') {
      const p = person(d.clientId);
      p.org ??= d.recordedByOrganisationId;
      p.at = Math.min(p.at ?? Infinity, t(d.givenAt));
    }
    if (e.type === 'estia.matching.application.status-changed.v1' && STAGE[d.status])
      person(d.clientId).reached.add(STAGE[d.status]);
    if (e.type === 'estia.matching.placement.hired.v1') person(d.clientId).reached.add('hired');
    if (e.type === 'estia.matching.placement.follow-up-recorded.v1' && d.stillEmployed)
      person(d.clientId).inWork.add(d.monthsAfterStart);
  }
  const rows = new Map<string, Record<string, number>>();
  const order = ['matched', 'applied', 'interviewed', 'hired'];
  for (const [client, p] of people) {
    if (erased.has(client) || p.org === undefined || !inP(f, p.at)) continue;
    if (f.organisationId && p.org !== f.organisationId) continue;
    if (f.area && (region.get(p.org) ?? 'unknown') !== f.area) continue;
    const best = Math.max(-1, ...order.map((s, i) => (p.reached.has(s) ? i : -1)));
    const month = new Date(p.at).toISOString().slice(0, 7);
    for (const k of [p.org, `month:${month}`, 'network']) {
      const r = rows.get(k) ?? {
        consenting: 0,
        matched: 0,
        applied: 0,
        interviewed: 0,
        hired: 0,
        inWork1Month: 0,
        inWork3Months: 0,
        inWork6Months: 0,
      };
      r.consenting! += 1;
      order.forEach((s, i) => (r[s]! += best >= i ? 1 : 0));
      if (p.inWork.has(1)) r.inWork1Month! += 1;
      if (p.inWork.has(3)) r.inWork3Months! += 1;
      if (p.inWork.has(6)) r.inWork6Months! += 1;
      rows.set(k, r);
    }
  }
  return rows;
}
