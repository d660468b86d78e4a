import {
  EVENT_SCHEMA_IDS,
  eventSource,
  type EventDataByType,
  type EventEnvelope,
  type EventType,
} from '@estia/contracts';

/**
 * Histories of a network described by a few numbers per referral, need and candidate, turned into the
 * public events the three services publish. Shared by the property test (fast-check draws the numbers)
 * and the benchmark (a seeded generator draws them at a year's scale).
 */
export const CATEGORIES = ['housing', 'legal', 'medical', 'language', 'employment'] as const;
export const REJECT_REASONS = ['no_capacity', 'not_eligible', 'duplicate'] as const;
export const FAIL_REASONS = ['client_unreachable', 'service_stopped'] as const;
export const OUTCOMES = ['need_met', 'need_partially_met', 'need_not_met'] as const;
export const REGIONS = ['EL30', 'EL52', 'EL43'] as const;

export interface ReferralSpec {
  to: number;
  from: number;
  service: number;
  /** Hours after the start of the history. */
  requestedAt: number;
  /** Hours after the request; null: never answered. */
  answer: { status: 'accepted' | 'rejected'; after: number; reason: number } | null;
  /** What happened after an acceptance (or instead of an answer). */
  end: 'open' | 'completed' | 'failed' | 'cancelled' | 'expired';
  endAfter: number;
  outcome: number;
  reason: number;
  /** Index of the need it answers, if any. */
  need: number | null;
  /** Whether the request carried its deadline (older events did not). */
  withDeadline: boolean;
}

export interface NeedSpec {
  client: number;
  category: number;
  by: number;
  assessedAt: number;
  reassessedAfter: number | null;
  closedAfter: number | null;
}

export interface CandidateSpec {
  client: number;
  by: number;
  consentedAt: number;
  /** How far the best application got: 0 none, 1 proposed, 2 applied, 3 interview, 4 hired. */
  stage: number;
  stageAfter: number;
  /** Follow-ups after a hire: months recorded and whether still employed. */
  followUps: { month: 1 | 3 | 6; stillEmployed: boolean }[];
  /** A hire reported as placement.hired only (no application status hired). */
  hireOnlyByPlacement: boolean;
}

export interface HistorySpec {
  organisations: number;
  servicesPerOrganisation: number;
  referrals: ReferralSpec[];
  needs: NeedSpec[];
  candidates: CandidateSpec[];
  /** Clients erased at the end. */
  erased: number[];
}

export const START = Date.parse('2025-01-01T00:00:00.000Z');
const HOUR = 3_600_000;
export const at = (hours: number): string => new Date(START + Math.round(hours * 60) * 60_000).toISOString();

/** Deterministic ids (UUID-shaped), so a history is the same every time it is built. */
export const uuid = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const orgId = (i: number) => uuid(1, i);
export const serviceId = (org: number, s: number) => uuid(2, org * 100 + s);
export const referralId = (i: number) => uuid(3, i);
export const needId = (i: number) => uuid(4, i);
export const clientId = (i: number) => uuid(5, i);
const eventId = (i: number) => uuid(9, i);

export const serviceCategory = (org: number, s: number) => CATEGORIES[(org + s) % CATEGORIES.length]!;
export const serviceResponseHours = (org: number, s: number) => 24 + ((org * 7 + s) % 4) * 24;
export const orgRegion = (org: number) => REGIONS[org % REGIONS.length]!;

export type Envelope = EventEnvelope<Record<string, unknown>>;

export function* historyEvents(spec: HistorySpec): Generator<Envelope> {
  let n = 0;
  const envelope = <T extends EventType>(
    type: T,
    subject: string,
    time: string,
    data: EventDataByType[T],
  ): Envelope => ({
    specversion: '1.0',
    id: eventId(n++),
    source: eventSource(type),
    type,
    subject,
    time,
    datacontenttype: 'application/json',
    dataschema: EVENT_SCHEMA_IDS[type],
    correlationid: eventId(0),
    causationid: eventId(0),
    actororganisation: 'system',
    schemaversion: 1,
    data: data as Record<string, unknown>,
  });
  for (let o = 0; o < spec.organisations; o++) {
    yield envelope('estia.registry.organisation.membership-changed.v1', orgId(o), at(0), {
      organisationId: orgId(o),
      name: `Organisation ${o + 1}`,
      kind: 'ngo',
      country: 'GR',
      region: orgRegion(o),
      status: 'approved',
      change: 'approved',
      licence: null,
      codeOfConductVersionAccepted: 1,
      currentCodeOfConductVersion: 1,
      mayExchange: true,
      changedAt: at(0),
    });
    for (let s = 0; s < spec.servicesPerOrganisation; s++) {
      const category = serviceCategory(o, s);
      yield envelope('estia.registry.service.published.v1', serviceId(o, s), at(0), {
        serviceId: serviceId(o, s),
        organisationId: orgId(o),
        organisationName: `Organisation ${o + 1}`,
        name: `Service ${o + 1}.${s + 1}`,
        category: { topLevel: category, term: { code: category, name: category }, ancestors: [] },
        eligibility: { legalStatuses: ['refugee'] },
        languages: ['el'],
        serviceAreas: [
          { country: 'GR', region: orgRegion(o) },
          ...(s % 2 === 1 ? [{ country: 'GR', region: orgRegion(o + 1) }] : []),
        ],
        locations: [],
        capacity: {
          available: s % 3 === 2 ? null : 3 + s,
          maximum: s % 3 === 2 ? null : 10 + s,
          intakeStatus: s % 4 === 3 ? 'waitlist' : 'open',
        },
        expectedResponseTimeHours: serviceResponseHours(o, s),
        revision: 1,
        changedAt: at(0),
      });
    }
  }
  // Interleaved by time, as the services would publish them.
  const timed: { t: number; make: () => Envelope }[] = [];
  spec.needs.forEach((need, i) => {
    const data = (assessmentId: number, when: number) => ({
      assessmentId: uuid(6, assessmentId),
      needId: needId(i),
      clientId: clientId(need.client),
      category: CATEGORIES[need.category % CATEGORIES.length]!,
      priority: 'medium' as const,
      assessedByOrganisationId: orgId(need.by % spec.organisations),
      assessedAt: at(when),
    });
    timed.push({
      t: need.assessedAt,
      make: () =>
        envelope(
          'estia.referrals.client.need-assessed.v1',
          clientId(need.client),
          at(need.assessedAt),
          data(i * 2, need.assessedAt),
        ),
    });
    if (need.reassessedAfter !== null) {
      const t = need.assessedAt + need.reassessedAfter;
      timed.push({
        t,
        make: () =>
          envelope('estia.referrals.client.need-assessed.v1', clientId(need.client), at(t), data(i * 2 + 1, t)),
      });
    }
    if (need.closedAfter !== null) {
      const t = need.assessedAt + need.closedAfter;
      timed.push({
        t,
        make: () =>
          envelope('estia.referrals.client.need-closed.v1', clientId(need.client), at(t), {
            needId: needId(i),
            clientId: clientId(need.client),
            reasonCode: 'need_met',
            closedByOrganisationId: orgId(need.by % spec.organisations),
            closedAt: at(t),
          }),
      });
    }
  });
  spec.referrals.forEach((r, i) => {
    const to = r.to % spec.organisations;
    const s = r.service % spec.servicesPerOrganisation;
    const base = {
      referralId: referralId(i),
      fromOrganisationId: orgId(r.from % spec.organisations),
      toOrganisationId: orgId(to),
      serviceId: serviceId(to, s),
      category: serviceCategory(to, s),
    };
    const need = r.need === null || spec.needs.length === 0 ? null : r.need % spec.needs.length;
    // A need is referred once it has been assessed.
    const requestedAt = need === null ? r.requestedAt : Math.max(r.requestedAt, spec.needs[need]!.assessedAt);
    const respondBy = requestedAt + serviceResponseHours(to, s);
    const change = (t: number, previousStatus: string | null, status: string, extra: Record<string, unknown> = {}) =>
      timed.push({
        t,
        make: () =>
          envelope('estia.referrals.referral.status-changed.v1', referralId(i), at(t), {
            ...base,
            previousStatus,
            status,
            ...extra,
            changedAt: at(t),
          } as EventDataByType['estia.referrals.referral.status-changed.v1']),
      });
    change(requestedAt, null, 'requested', {
      ...(need === null ? {} : { needId: needId(need) }),
      ...(r.withDeadline ? { respondBy: at(respondBy) } : {}),
    });
    const reason = (list: readonly string[]) => ({ reasonCode: list[r.reason % list.length]! });
    if (r.answer === null) {
      if (r.end === 'expired') change(respondBy, 'requested', 'expired');
      else if (r.end === 'cancelled')
        change(requestedAt + r.endAfter, 'requested', 'cancelled', { reasonCode: 'client_moved' });
      return;
    }
    const answeredAt = requestedAt + r.answer.after;
    if (r.answer.status === 'rejected') return change(answeredAt, 'requested', 'rejected', reason(REJECT_REASONS));
    change(answeredAt, 'requested', 'accepted');
    const endAt = answeredAt + r.endAfter;
    if (r.end === 'completed')
      change(endAt, 'accepted', 'completed', { outcome: OUTCOMES[r.outcome % OUTCOMES.length]! });
    else if (r.end === 'failed') change(endAt, 'accepted', 'failed', reason(FAIL_REASONS));
    else if (r.end === 'cancelled') change(endAt, 'accepted', 'cancelled', { reasonCode: 'client_moved' });
  });
  spec.candidates.forEach((c, i) => {
    const client = clientId(c.client);
    const by = orgId(c.by % spec.organisations);
    timed.push({
      t: c.consentedAt,
      make: () =>
        envelope('estia.referrals.client.consent-given.v1', client, at(c.consentedAt), {
          consentId: uuid(7, i),
          clientId: client,
          purpose: 'job_matching',
          recipient: {},
          scope: ['skills'],
          givenAt: at(c.consentedAt),
          expiresAt: null,
          recordedByOrganisationId: by,
        }),
    });
    const application = uuid(8, i);
    const statuses = ['proposed', 'application_sent', 'interview', 'hired'] as const;
    let previous: string | null = null;
    for (let k = 0; k < Math.min(c.stage, 4); k++) {
      const status = statuses[k]!;
      const t = c.consentedAt + c.stageAfter * (k + 1);
      if (status === 'hired') {
        if (!c.hireOnlyByPlacement) pushApplication(t, previous, status);
        timed.push({
          t,
          make: () =>
            envelope('estia.matching.placement.hired.v1', application, at(t), {
              placementId: application,
              applicationId: application,
              opportunityId: uuid(10, i),
              clientId: client,
              employerOrganisationId: orgId((c.by + 1) % spec.organisations),
              opportunityKind: 'job',
              startDate: at(t).slice(0, 10),
              hiredAt: at(t),
            }),
        });
        for (const f of c.followUps) {
          const ft = t + f.month * 30 * 24;
          timed.push({
            t: ft,
            make: () =>
              envelope('estia.matching.placement.follow-up-recorded.v1', application, at(ft), {
                placementId: application,
                clientId: client,
                employerOrganisationId: orgId((c.by + 1) % spec.organisations),
                monthsAfterStart: f.month,
                stillEmployed: f.stillEmployed,
                ...(f.stillEmployed ? {} : { reasonCode: 'contract_ended' }),
                recordedAt: at(ft),
              }),
          });
        }
      } else pushApplication(t, previous, status);
      previous = status;
    }
    function pushApplication(t: number, previousStatus: string | null, status: string) {
      timed.push({
        t,
        make: () =>
          envelope('estia.matching.application.status-changed.v1', application, at(t), {
            applicationId: application,
            opportunityId: uuid(10, i),
            clientId: client,
            employerOrganisationId: orgId((c.by + 1) % spec.organisations),
            opportunityKind: 'job',
            previousStatus: previousStatus as 'proposed' | null,
            status: status as 'proposed',
            changedAt: at(t),
          }),
      });
    }
  });
  timed.sort((a, b) => a.t - b.t);
  for (const e of timed) yield e.make();
  const end = timed.reduce((m, e) => Math.max(m, e.t), 0) + 1;
  for (const c of spec.erased)
    yield envelope('estia.referrals.client.erased.v1', clientId(c), at(end), {
      clientId: clientId(c),
      erasedAt: at(end),
    });
}

export const HOURS = HOUR;

/** A small deterministic generator (mulberry32), so a benchmark's network is the same on every run. */
export const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
};

/** A network of `organisations` over `days`, with about `referrals` referrals and proportionate needs and candidates. */
export function randomHistory(options: {
  seed: number;
  organisations: number;
  referrals: number;
  days: number;
  /** Needs and job-matching candidates per referral (default 0.8 and 0.25). */
  needsPerReferral?: number;
  candidatesPerReferral?: number;
}): HistorySpec {
  const random = seeded(options.seed);
  const int = (n: number) => Math.floor(random() * n);
  const span = options.days * 24;
  const needs = Math.round(options.referrals * (options.needsPerReferral ?? 0.8));
  const clients = Math.round(options.referrals * 0.6);
  return {
    organisations: options.organisations,
    servicesPerOrganisation: 3,
    needs: Array.from({ length: needs }, () => ({
      client: int(clients),
      category: int(CATEGORIES.length),
      by: int(options.organisations),
      assessedAt: random() * span,
      reassessedAfter: random() < 0.2 ? random() * 500 : null,
      closedAfter: random() < 0.5 ? random() * 2000 : null,
    })),
    referrals: Array.from({ length: options.referrals }, () => {
      const answered = random();
      return {
        to: int(options.organisations),
        from: int(options.organisations),
        service: int(3),
        requestedAt: random() * span,
        answer:
          answered < 0.85
            ? { status: random() < 0.8 ? 'accepted' : 'rejected', after: random() * 120, reason: int(5) }
            : null,
        end: (['completed', 'completed', 'completed', 'failed', 'cancelled', 'open', 'expired'] as const)[int(7)]!,
        endAfter: random() * 1500,
        outcome: int(3),
        reason: int(3),
        need: random() < 0.7 ? int(needs) : null,
        withDeadline: true,
      };
    }),
    candidates: Array.from({ length: Math.round(options.referrals * (options.candidatesPerReferral ?? 0.25)) }, () => ({
      client: int(clients),
      by: int(options.organisations),
      consentedAt: random() * span,
      stage: int(5),
      stageAfter: 24 + random() * 200,
      followUps: ([1, 3, 6] as const)
        .filter(() => random() < 0.6)
        .map((month) => ({ month, stillEmployed: random() < 0.75 })),
      hireOnlyByPlacement: false,
    })),
    erased: Array.from({ length: Math.round(clients * 0.01) }, () => int(clients)),
  };
}
