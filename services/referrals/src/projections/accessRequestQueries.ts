import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { effectiveStatus, type AccessRequestStatus } from '../domain/accessRequests/accessRequestDecider.js';
import type { PageCursor } from './queries.js';

interface Raw {
  access_request_id: string;
  client_id: string;
  requester_org: string;
  purpose: string;
  scope: string;
  status: AccessRequestStatus;
  requested_at: string;
  expires_at: string;
  updated_at: string;
  answered_by_org: string | null;
  reason_code: string | null;
  consent_id: string | null;
  consent_purpose: string | null;
  consent_scope: string | null;
  consent_method: string | null;
  consent_expires_at: string | null;
}

export interface AccessRequestView {
  accessRequestId: string;
  status: AccessRequestStatus;
  /** Incoming: always. Outgoing: only once approved (before that the requester must not learn it). */
  clientId?: string;
  requesterOrganisationId: string;
  /** Outgoing: the holder that approved; a declined request does not say who holds the person. */
  answeredByOrganisationId?: string;
  purpose: string;
  scope: string[];
  requestedAt: string;
  expiresAt: string;
  updatedAt: string;
  reasonCode?: string;
  consent?: { consentId: string; purpose: string; scope: string[]; method: string; expiresAt: string | null };
}

const toView = (r: Raw, side: 'incoming' | 'outgoing', now: string): AccessRequestView => {
  const status = effectiveStatus(r.status, r.expires_at, now);
  const granted = status === 'approved' || status === 'revoked';
  const shows = side === 'incoming' || granted;
  return {
    accessRequestId: r.access_request_id,
    status,
    ...(shows ? { clientId: r.client_id } : {}),
    requesterOrganisationId: r.requester_org,
    ...(r.answered_by_org !== null && shows ? { answeredByOrganisationId: r.answered_by_org } : {}),
    purpose: r.purpose,
    scope: JSON.parse(r.scope) as string[],
    requestedAt: r.requested_at,
    expiresAt: r.expires_at,
    updatedAt: r.updated_at,
    ...(r.reason_code === null ? {} : { reasonCode: r.reason_code }),
    ...(r.consent_id === null
      ? {}
      : {
          consent: {
            consentId: r.consent_id,
            purpose: r.consent_purpose!,
            scope: JSON.parse(r.consent_scope!) as string[],
            method: r.consent_method!,
            expiresAt: r.consent_expires_at,
          },
        }),
  };
};

export async function accessRequestRow(
  db: SqlExecutor,
  accessRequestId: string,
): Promise<{ clientId: string; requesterOrganisationId: string } | null> {
  const [row] = await db.query<{ client_id: string; requester_org: string }>(
    'SELECT client_id, requester_org FROM rf_access_requests WHERE access_request_id = $1',
    [accessRequestId],
  );
  return row ? { clientId: row.client_id, requesterOrganisationId: row.requester_org } : null;
}

/** The request of this organisation for this client still waiting for an answer, if any. */
export async function pendingAccessRequest(
  db: SqlExecutor,
  organisationId: string,
  clientId: string,
  now: string,
): Promise<string | null> {
  const [row] = await db.query<{ access_request_id: string }>(
    `SELECT access_request_id FROM rf_access_requests
     WHERE client_id = $1 AND requester_org = $2 AND status = 'requested' AND expires_at > $3
     ORDER BY requested_at LIMIT 1`,
    [clientId, organisationId, now],
  );
  return row?.access_request_id ?? null;
}

/** One access request as the requester or a holder sees it (the caller checked which it is). */
export async function accessRequestById(
  db: SqlExecutor,
  accessRequestId: string,
  side: 'incoming' | 'outgoing',
  now: string,
): Promise<AccessRequestView | null> {
  const [row] = await db.query<Raw>('SELECT * FROM rf_access_requests WHERE access_request_id = $1', [accessRequestId]);
  return row ? toView(row, side, now) : null;
}

/**
 * One page of an organisation's access requests, newest first (keyset on requested_at, id): `incoming`
 * = for clients it registered; `outgoing` = those it made. `status` is the status as of `now`.
 */
export async function accessRequestPage(
  db: SqlExecutor,
  organisationId: string,
  side: 'incoming' | 'outgoing',
  now: string,
  options: { status?: AccessRequestStatus; limit: number; after?: PageCursor },
): Promise<{ items: AccessRequestView[]; next: PageCursor | null }> {
  const params: unknown[] = [organisationId];
  let where =
    side === 'outgoing'
      ? 'a.requester_org = $1'
      : 'a.client_id IN (SELECT client_id FROM rf_client_orgs WHERE organisation_id = $1)';
  if (options.status !== undefined) {
    const stored = options.status === 'expired' ? 'requested' : options.status;
    params.push(stored);
    where += ` AND a.status = $${params.length}`;
    if (stored === 'requested') {
      params.push(now);
      where += ` AND a.expires_at ${options.status === 'expired' ? '<=' : '>'} $${params.length}`;
    }
  }
  if (options.after) {
    params.push(options.after.at, options.after.id);
    where += ` AND (a.requested_at, a.access_request_id) < ($${params.length - 1}, $${params.length})`;
  }
  params.push(options.limit + 1);
  const rows = await db.query<Raw>(
    `SELECT a.* FROM rf_access_requests a WHERE ${where}
     ORDER BY a.requested_at DESC, a.access_request_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toView(r, side, now)),
    next: rows.length > options.limit && last ? { at: last.requested_at, id: last.access_request_id } : null,
  };
}

/** Erasures of cases this organisation held or worked (GDPR art. 19), newest first; one page. */
export async function erasureNoticePage(
  db: SqlExecutor,
  organisationId: string,
  options: { limit: number; after?: PageCursor },
): Promise<{
  items: { clientId: string; erasedAt: string; erasedByOrganisationId: string; reasonCode: string }[];
  next: PageCursor | null;
}> {
  const params: unknown[] = [organisationId];
  let where = 'organisation_id = $1';
  if (options.after) {
    params.push(options.after.at, options.after.id);
    where += ' AND (erased_at, client_id) < ($2, $3)';
  }
  params.push(options.limit + 1);
  const rows = await db.query<{ client_id: string; erased_at: string; erased_by_org: string; reason_code: string }>(
    `SELECT client_id, erased_at, erased_by_org, reason_code FROM rf_erasure_notices WHERE ${where}
     ORDER BY erased_at DESC, client_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      clientId: r.client_id,
      erasedAt: r.erased_at,
      erasedByOrganisationId: r.erased_by_org,
      reasonCode: r.reason_code,
    })),
    next: rows.length > options.limit && last ? { at: last.erased_at, id: last.client_id } : null,
  };
}
