import { mayExchangeAt, type ExchangeTerms } from '@estia/contracts';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { CandidateProfileData, LegalStatus } from '../domain/candidates/candidateProfile.js';
import type { OpportunityDetails, OpportunityStatus } from '../domain/opportunities/opportunity.js';
import type { PipelineStatus } from '../domain/pipeline/pipelineDecider.js';

export interface OrganisationFacts {
  organisationId: string;
  kind: string;
  status: string;
  mayExchange: boolean;
}

export interface OpportunityView {
  id: string;
  organisationId: string;
  status: OpportunityStatus;
  revision: number;
  details: OpportunityDetails;
  publishedAt: string;
  updatedAt: string;
  /** Placements hired for it. */
  hired: number;
}

export interface CandidateView {
  clientId: string;
  consentScope: string[];
  consentOrganisationId: string | null;
  legalStatus: LegalStatus | null;
  profile: CandidateProfileData | null;
  sharedByOrganisationId: string | null;
  updatedAt: string;
}

export interface PlacementView {
  id: string;
  clientId: string;
  opportunityId: string;
  status: PipelineStatus;
  coachOrganisationId: string;
  employerOrganisationId: string;
  startDate: string | null;
  followUps: number[];
  revision: number;
  updatedAt: string;
}

/** Statuses in which an application is still running (withdrawn at once when consent goes). */
export const OPEN_APPLICATION_STATUSES: readonly PipelineStatus[] = [
  'proposed',
  'interested',
  'applied',
  'interviewing',
  'offered',
];
/** From here on the client has agreed to apply: the employer may know who it is. */
export const AGREED_STATUSES: readonly PipelineStatus[] = [
  'interested',
  'applied',
  'interviewing',
  'offered',
  'hired',
  'not_hired',
  'employment_ended',
];

type Row = Record<string, unknown>;

/** An opportunity row with the number of placements hired for it. */
const OPPORTUNITY_SELECT = `SELECT o.*, (SELECT COUNT(*) FROM matching_applications a
  WHERE a.opportunity_id = o.opportunity_id AND a.status IN ('hired', 'employment_ended')) AS hired
  FROM matching_opportunities o`;
const toOpportunity = (r: Row): OpportunityView => ({
  id: String(r.opportunity_id),
  organisationId: String(r.organisation_id),
  status: r.status as OpportunityStatus,
  revision: Number(r.revision),
  details: JSON.parse(String(r.details)) as OpportunityDetails,
  publishedAt: String(r.published_at),
  updatedAt: String(r.updated_at),
  hired: Number(r.hired ?? 0),
});
const toPlacement = (r: Row): PlacementView => ({
  id: String(r.application_id),
  clientId: String(r.client_id),
  opportunityId: String(r.opportunity_id),
  status: r.status as PipelineStatus,
  coachOrganisationId: String(r.coach_organisation_id),
  employerOrganisationId: String(r.employer_organisation_id),
  startDate: r.start_date === null ? null : String(r.start_date),
  followUps: JSON.parse(String(r.follow_ups)) as number[],
  revision: Number(r.revision),
  updatedAt: String(r.updated_at),
});
const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(String(v)) as T));
const toCandidate = (r: Row): CandidateView => ({
  clientId: String(r.client_id),
  consentScope: JSON.parse(String(r.consent_scope)) as string[],
  consentOrganisationId: (r.consent_organisation_id as string | null) ?? null,
  legalStatus: json<LegalStatus>(r.legal_status),
  profile: json<CandidateProfileData>(r.profile),
  sharedByOrganisationId: (r.shared_by_organisation_id as string | null) ?? null,
  updatedAt: String(r.updated_at),
});

export const matchingQueries = (db: SqlExecutor) => ({
  /**
   * What the registry told us of an organisation, with whether it may exchange at `now` (from the terms
   * it sent; a row from before terms were kept keeps the answer its event gave until the next one).
   */
  async organisation(id: string, now: string): Promise<OrganisationFacts | null> {
    const [r] = await db.query<Row>(
      `SELECT o.organisation_id, o.kind, o.status, o.may_exchange, t.terms FROM matching_organisations o
       LEFT JOIN matching_exchange_terms t ON t.organisation_id = o.organisation_id WHERE o.organisation_id = $1`,
      [id],
    );
    return r
      ? {
          organisationId: id,
          kind: String(r.kind),
          status: String(r.status),
          mayExchange:
            r.terms === null || r.terms === undefined
              ? Number(r.may_exchange) === 1
              : mayExchangeAt(JSON.parse(String(r.terms)) as ExchangeTerms, now),
        }
      : null;
  },
  async opportunity(id: string): Promise<OpportunityView | null> {
    const [r] = await db.query<Row>(`${OPPORTUNITY_SELECT} WHERE o.opportunity_id = $1`, [id]);
    return r ? toOpportunity(r) : null;
  },
  async opportunities(filter: { status?: string; organisationId?: string; limit: number }): Promise<OpportunityView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`o.status = $${params.push(filter.status)}`);
    if (filter.organisationId) where.push(`o.organisation_id = $${params.push(filter.organisationId)}`);
    const rows = await db.query<Row>(
      `${OPPORTUNITY_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY o.published_at DESC, o.opportunity_id LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toOpportunity);
  },
  async candidate(clientId: string): Promise<CandidateView | null> {
    const [r] = await db.query<Row>('SELECT * FROM matching_candidates WHERE client_id = $1', [clientId]);
    return r ? toCandidate(r) : null;
  },
  /** The candidates whose case an organisation holds (all for null), most recently updated first. */
  async candidates(filter: { organisationId: string | null; limit: number }): Promise<CandidateView[]> {
    const params: unknown[] = [];
    const where =
      filter.organisationId === null
        ? ''
        : `WHERE shared_by_organisation_id = $${params.push(filter.organisationId)} OR consent_organisation_id = $1`;
    const rows = await db.query<Row>(
      `SELECT * FROM matching_candidates ${where} ORDER BY updated_at DESC, client_id LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toCandidate);
  },
  async placement(id: string): Promise<PlacementView | null> {
    const [r] = await db.query<Row>('SELECT * FROM matching_applications WHERE application_id = $1', [id]);
    return r ? toPlacement(r) : null;
  },
  /** The pipeline of an organisation (as coach or employer; all for null), most recently changed first. */
  async placements(filter: {
    organisationId: string | null;
    opportunityId?: string;
    clientId?: string;
    statuses?: readonly PipelineStatus[];
    limit: number;
  }): Promise<PlacementView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.organisationId !== null) {
      const n = params.push(filter.organisationId);
      where.push(`(coach_organisation_id = $${n} OR employer_organisation_id = $${n})`);
    }
    if (filter.opportunityId) where.push(`opportunity_id = $${params.push(filter.opportunityId)}`);
    if (filter.clientId) where.push(`client_id = $${params.push(filter.clientId)}`);
    if (filter.statuses) where.push(`status IN (${filter.statuses.map((st) => `$${params.push(st)}`).join(', ')})`);
    const rows = await db.query<Row>(
      `SELECT * FROM matching_applications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY updated_at DESC, application_id LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toPlacement);
  },
  async openApplicationsOf(clientId: string): Promise<PlacementView[]> {
    const rows = await db.query<Row>('SELECT * FROM matching_applications WHERE client_id = $1', [clientId]);
    return rows.map(toPlacement).filter((p) => OPEN_APPLICATION_STATUSES.includes(p.status));
  },
  /** Clients who agreed to apply for this opportunity: the employer sees who they are. */
  async agreedClients(opportunityId: string): Promise<Set<string>> {
    const rows = await db.query<Row>('SELECT client_id, status FROM matching_applications WHERE opportunity_id = $1', [
      opportunityId,
    ]);
    return new Set(
      rows.filter((r) => AGREED_STATUSES.includes(r.status as PipelineStatus)).map((r) => String(r.client_id)),
    );
  },
  /** Union of the scopes of the client's active employer_sharing consents that cover this employer. */
  async sharingScope(clientId: string, employerOrganisationId: string): Promise<string[]> {
    const rows = await db.query<Row>(
      `SELECT scope FROM matching_sharing_consents
       WHERE client_id = $1 AND active = 1 AND (organisation_id IS NULL OR organisation_id = $2)`,
      [clientId, employerOrganisationId],
    );
    return [...new Set(rows.flatMap((r) => JSON.parse(String(r.scope)) as string[]))];
  },
});

export type MatchingQueries = ReturnType<typeof matchingQueries>;
