/**
 * The aggregate facts insights keeps, one per organisation, service, referral, need and candidate, each
 * folded from the public integration events alone. No names, no contact data, no free text, no client id:
 * needs and candidates are keyed by a keyed-HMAC pseudonym of the client that only this service can
 * compute and nobody can reverse. Pure functions: the consumer loads a fact, evolves it, writes it back.
 */
import type {
  ApplicationStatusChangedV1,
  ClientConsentGivenV1,
  ClientNeedAssessedV1,
  ClientNeedClosedV1,
  EventEnvelope,
  OrganisationMembershipChangedV1,
  PlacementFollowUpRecordedV1,
  PlacementHiredV1,
  ReferralStatusChangedV1,
  ServiceCapacityChangedV1,
  ServicePublishedV1,
  ServiceWithdrawnV1,
} from '@estia/contracts';

export interface OrganisationFact {
  name: string;
  kind: string;
  country: string;
  region: string;
  changedAt: number;
}

export interface ServiceFact {
  organisationId: string;
  name: string;
  category: string;
  /** Region codes the service takes clients from (the country code where an area names no region). */
  areas: string[];
  intakeStatus: 'open' | 'waitlist' | 'closed';
  available: number | null;
  maximum: number | null;
  responseTimeHours: number;
  withdrawn: boolean;
  revision: number;
}

export const TERMINAL = ['rejected', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type TerminalStatus = (typeof TERMINAL)[number];

export interface ReferralFact {
  fromOrganisationId: string;
  toOrganisationId: string;
  serviceId: string | null;
  category: string;
  needId: string | null;
  /** When the referral was sent; null while only later events were seen. */
  requestedAt: number | null;
  respondBy: number | null;
  /** The receiver's first answer (accepted or rejected) and when. */
  firstAnswer: { status: 'accepted' | 'rejected'; at: number } | null;
  /** Where the loop ended (the first terminal status). */
  closed: { status: TerminalStatus; at: number; reasonCode: string | null; outcome: string | null } | null;
}

export interface NeedFact {
  client: string;
  category: string;
  assessedByOrganisationId: string;
  assessedAt: number;
  closedAt: number | null;
}

export const STAGES = ['matched', 'applied', 'interviewed', 'hired'] as const;
export type Stage = (typeof STAGES)[number];
export const FOLLOW_UP_MONTHS = [1, 3, 6] as const;

export interface CandidateFact {
  /** The organisation that recorded the job-matching consent (the candidate's organisation). */
  organisationId: string | null;
  consentedAt: number | null;
  /** When the candidate first reached each stage (in any of their applications). */
  reached: Partial<Record<Stage, number>>;
  /** Still in work at 1, 3, 6 months after a start (true once any placement says so). */
  inWork: Partial<Record<'1' | '3' | '6', boolean>>;
}

export interface FactTypes {
  organisation: OrganisationFact;
  service: ServiceFact;
  referral: ReferralFact;
  need: NeedFact;
  candidate: CandidateFact;
}
export type FactKind = keyof FactTypes;

/** One fact to change: its kind and key, and how (null: the fact is removed). */
export type FactChange = {
  [K in FactKind]: { kind: K; key: string; evolve: (previous: FactTypes[K] | undefined) => FactTypes[K] | undefined };
}[FactKind];

/** Removes everything keyed by one client's pseudonym (erasure). */
export interface Forget {
  forgetClient: string;
}

/** Times are kept as epoch milliseconds: offsets in the events' RFC 3339 strings compare correctly. */
export const timeOf = (iso: string): number => Date.parse(iso);
const min = (a: number | null | undefined, b: number): number => (a != null && a <= b ? a : b);

const STAGE_OF: Partial<Record<ApplicationStatusChangedV1['status'], Stage>> = {
  proposed: 'matched',
  interested: 'matched',
  application_sent: 'applied',
  interview: 'interviewed',
  offer: 'interviewed',
  hired: 'hired',
};

const emptyCandidate = (): CandidateFact => ({ organisationId: null, consentedAt: null, reached: {}, inWork: {} });

const reach = (key: string, stage: Stage, at: number): FactChange => ({
  kind: 'candidate',
  key,
  evolve: (c = emptyCandidate()) => ({ ...c, reached: { ...c.reached, [stage]: min(c.reached[stage], at) } }),
});

const serviceFromEntry = (d: ServicePublishedV1, previous: ServiceFact | undefined): ServiceFact => {
  if (previous && previous.revision > d.revision) return previous;
  return {
    organisationId: d.organisationId,
    name: d.name,
    category: d.category.topLevel,
    areas: [...new Set(d.serviceAreas.map((a) => a.region ?? a.country))].sort(),
    intakeStatus: d.capacity.intakeStatus,
    available: d.capacity.available ?? null,
    maximum: d.capacity.maximum ?? null,
    responseTimeHours: d.expectedResponseTimeHours,
    withdrawn: false,
    revision: d.revision,
  };
};

/**
 * The fact changes one public event stands for. `pseudonym` maps a client id to the keyed pseudonym;
 * the client id itself never reaches a fact.
 */
export function factChanges(envelope: EventEnvelope, pseudonym: (clientId: string) => string): FactChange[] | Forget {
  switch (envelope.type) {
    case 'estia.registry.organisation.membership-changed.v1': {
      const d = envelope.data as OrganisationMembershipChangedV1;
      return [
        {
          kind: 'organisation',
          key: d.organisationId,
          evolve: (o) =>
            o && o.changedAt > timeOf(d.changedAt)
              ? o
              : { name: d.name, kind: d.kind, country: d.country, region: d.region, changedAt: timeOf(d.changedAt) },
        },
      ];
    }
    case 'estia.registry.service.published.v1':
    case 'estia.registry.service.updated.v1': {
      const d = envelope.data as ServicePublishedV1;
      return [{ kind: 'service', key: d.serviceId, evolve: (s) => serviceFromEntry(d, s) }];
    }
    case 'estia.registry.service.capacity-changed.v1': {
      const d = envelope.data as ServiceCapacityChangedV1;
      return [
        {
          kind: 'service',
          key: d.serviceId,
          evolve: (s) =>
            s && {
              ...s,
              intakeStatus: d.capacity.intakeStatus,
              available: d.capacity.available ?? null,
              maximum: d.capacity.maximum ?? null,
            },
        },
      ];
    }
    case 'estia.registry.service.withdrawn.v1': {
      const d = envelope.data as ServiceWithdrawnV1;
      return [{ kind: 'service', key: d.serviceId, evolve: (s) => s && { ...s, withdrawn: true } }];
    }
    case 'estia.referrals.referral.status-changed.v1': {
      const d = envelope.data as ReferralStatusChangedV1;
      return [{ kind: 'referral', key: d.referralId, evolve: (r) => evolveReferral(r, d) }];
    }
    case 'estia.referrals.client.need-assessed.v1': {
      const d = envelope.data as ClientNeedAssessedV1;
      // Before needs were named, each assessment stood for its own need.
      const key = d.needId ?? d.assessmentId;
      return [
        {
          kind: 'need',
          key,
          evolve: (n) => ({
            client: pseudonym(d.clientId),
            category: d.category,
            assessedByOrganisationId: n?.assessedByOrganisationId ?? d.assessedByOrganisationId,
            assessedAt: min(n?.assessedAt, timeOf(d.assessedAt)),
            closedAt: n?.closedAt ?? null,
          }),
        },
      ];
    }
    case 'estia.referrals.client.need-closed.v1': {
      const d = envelope.data as ClientNeedClosedV1;
      return [
        { kind: 'need', key: d.needId, evolve: (n) => n && { ...n, closedAt: min(n.closedAt, timeOf(d.closedAt)) } },
      ];
    }
    case 'estia.referrals.client.consent-given.v1': {
      const d = envelope.data as ClientConsentGivenV1;
      if (d.purpose !== 'job_matching') return [];
      return [
        {
          kind: 'candidate',
          key: pseudonym(d.clientId),
          evolve: (c = emptyCandidate()) => ({
            ...c,
            organisationId: c.organisationId ?? d.recordedByOrganisationId,
            consentedAt: min(c.consentedAt, timeOf(d.givenAt)),
          }),
        },
      ];
    }
    case 'estia.referrals.client.erased.v1':
      return { forgetClient: pseudonym((envelope.data as { clientId: string }).clientId) };
    case 'estia.matching.application.status-changed.v1': {
      const d = envelope.data as ApplicationStatusChangedV1;
      const stage = STAGE_OF[d.status];
      return stage ? [reach(pseudonym(d.clientId), stage, timeOf(d.changedAt))] : [];
    }
    case 'estia.matching.placement.hired.v1': {
      const d = envelope.data as PlacementHiredV1;
      return [reach(pseudonym(d.clientId), 'hired', timeOf(d.hiredAt))];
    }
    case 'estia.matching.placement.follow-up-recorded.v1': {
      const d = envelope.data as PlacementFollowUpRecordedV1;
      const month = String(d.monthsAfterStart) as '1' | '3' | '6';
      return [
        {
          kind: 'candidate',
          key: pseudonym(d.clientId),
          evolve: (c = emptyCandidate()) => ({
            ...c,
            inWork: { ...c.inWork, [month]: c.inWork[month] === true || d.stillEmployed },
          }),
        },
      ];
    }
    default:
      return [];
  }
}

function evolveReferral(r: ReferralFact | undefined, d: ReferralStatusChangedV1): ReferralFact {
  const base: ReferralFact = r ?? {
    fromOrganisationId: d.fromOrganisationId,
    toOrganisationId: d.toOrganisationId,
    serviceId: d.serviceId ?? null,
    category: d.category,
    needId: null,
    requestedAt: null,
    respondBy: null,
    firstAnswer: null,
    closed: null,
  };
  const next: ReferralFact = { ...base };
  const at = timeOf(d.changedAt);
  if (d.status === 'requested') {
    next.requestedAt = min(base.requestedAt, at);
    next.respondBy = d.respondBy === undefined ? base.respondBy : timeOf(d.respondBy);
    next.needId = d.needId ?? base.needId;
    next.serviceId = d.serviceId ?? base.serviceId;
  }
  if ((d.status === 'accepted' || d.status === 'rejected') && d.previousStatus === 'requested') {
    if (!base.firstAnswer || at < base.firstAnswer.at) next.firstAnswer = { status: d.status, at };
  }
  if ((TERMINAL as readonly string[]).includes(d.status) && (!base.closed || at < base.closed.at)) {
    next.closed = {
      status: d.status as TerminalStatus,
      at,
      reasonCode: d.reasonCode ?? null,
      outcome: d.outcome ?? null,
    };
  }
  return next;
}
