import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { consentCovers } from '../domain/consent/consent.js';
import type { Actor } from '../domain/shared/actor.js';
import { consentsOf } from './queries.js';

/** Referral states in which the receiver works the case and so sees the client. */
const WORKING_STATES = ['accepted', 'in-progress', 'on-hold'];

export interface ClientAccess {
  allowed: boolean;
  /**
   * How: registered the client; holds an accepted referral under consent; was granted access by the
   * holder (an approved access request, with the client's consent); or (a job coach) under the client's
   * job-matching consent.
   */
  basis: 'registered' | 'referral' | 'access_request' | 'job_matching' | null;
  /** Unless registered: what the consent(s) let this organisation see. */
  share: string[];
  /** Set when the client was erased and this organisation held or worked the case: it may learn when. */
  erasedAt?: string;
}

const denied: ClientAccess = { allowed: false, basis: null, share: [] };

/**
 * DESIGN §5: an organisation sees a client only if it registered the client, holds an accepted
 * referral for them with consent (still in force at `now`, or an override while the referral is being
 * worked), or the holder approved its access request (the consent recorded then, while in force).
 * Knowing an id, a name or a date of birth grants nothing. Erased clients are seen by nobody.
 */
export async function clientAccess(
  db: SqlExecutor,
  organisationId: string,
  clientId: string,
  now: string,
): Promise<ClientAccess> {
  const [client] = await db.query<{ status: string; erased_at: string | null }>(
    'SELECT status, erased_at FROM rf_clients WHERE client_id = $1',
    [clientId],
  );
  if (!client) return denied;
  const registered = await holdsClient(db, organisationId, clientId);
  // Existence is personal data: only an organisation that held or worked the case learns of the erasure.
  if (client.status === 'erased') {
    if (!client.erased_at) return denied;
    const told =
      registered ||
      (
        await db.query('SELECT 1 AS x FROM rf_erasure_notices WHERE client_id = $1 AND organisation_id = $2', [
          clientId,
          organisationId,
        ])
      ).length > 0;
    return told ? { ...denied, erasedAt: client.erased_at } : denied;
  }
  if (client.status !== 'active') return denied;
  if (registered) return { allowed: true, basis: 'registered', share: ['*'] };
  const share = new Set<string>();
  const granted = await db.query<{ consent_scope: string }>(
    `SELECT consent_scope FROM rf_access_requests
     WHERE client_id = $1 AND requester_org = $2 AND status = 'approved'
       AND (consent_expires_at IS NULL OR consent_expires_at > $3)`,
    [clientId, organisationId, now],
  );
  for (const row of granted) for (const s of JSON.parse(row.consent_scope) as string[]) share.add(s);
  const referred = await db.query<{ share: string }>(
    `SELECT r.share FROM rf_referrals r
     LEFT JOIN rf_consents c ON c.consent_id = r.consent_id
     WHERE r.client_id = $1 AND r.receiver_org = $2 AND r.status IN ($3, $4, $5)
       AND (r.consent_overridden = 1 OR (c.consent_id IS NOT NULL AND c.given_at <= $6
            AND (c.expires_at IS NULL OR c.expires_at > $6) AND (c.withdrawn_at IS NULL OR c.withdrawn_at > $6)))`,
    [clientId, organisationId, ...WORKING_STATES, now],
  );
  for (const row of referred) for (const s of JSON.parse(row.share) as string[]) share.add(s);
  if (granted.length === 0 && referred.length === 0) return denied;
  return { allowed: true, basis: granted.length > 0 ? 'access_request' : 'referral', share: [...share].sort() };
}

/**
 * What a person sees of a case their organisation has access to: the organisation's access narrowed
 * by their role. Referral officers work the case. A job coach sees only what the client's job-matching
 * consent shares (nothing without one). Org admins manage people, services and credentials, data
 * protection officers erase: neither reads a case file unless also an officer.
 */
export async function clientAccessFor(
  db: SqlExecutor,
  actor: Pick<Actor, 'organisationId' | 'roles'>,
  clientId: string,
  now: string,
): Promise<ClientAccess> {
  const access = await clientAccess(db, actor.organisationId, clientId, now);
  if (!access.allowed || actor.roles.includes('referral_officer')) return access;
  if (!actor.roles.includes('job_coach')) return denied;
  const consent = consentCovers(await consentsOf(db, clientId), 'job_matching', {}, now);
  if (!consent) return denied;
  const share = access.share.includes('*') ? [...consent.scope] : consent.scope.filter((s) => access.share.includes(s));
  return { allowed: true, basis: 'job_matching', share: [...share].sort() };
}

/** The organisations holding the case: those that registered the client. They answer access requests. */
export async function holdsClient(db: SqlExecutor, organisationId: string, clientId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 AS x FROM rf_client_orgs WHERE client_id = $1 AND organisation_id = $2', [
    clientId,
    organisationId,
  ]);
  return rows.length > 0;
}

/**
 * Everyone besides the registering organisations who held or worked the case — granted access, sent
 * or received a referral — and is therefore told when the client is erased (GDPR art. 19).
 */
export async function otherHoldersOf(db: SqlExecutor, clientId: string): Promise<string[]> {
  const rows = await db.query<{ organisation_id: string }>(
    `SELECT requester_org AS organisation_id FROM rf_access_requests WHERE client_id = $1 AND status IN ('approved', 'revoked')
     UNION SELECT sender_org FROM rf_referrals WHERE client_id = $1
     UNION SELECT receiver_org FROM rf_referrals WHERE client_id = $1
     UNION SELECT organisation_id FROM rf_client_orgs WHERE client_id = $1`,
    [clientId],
  );
  return rows.map((r) => r.organisation_id).sort();
}

/** An organisation sees a referral only as its sender or its receiver. */
export async function maySeeReferral(db: SqlExecutor, organisationId: string, referralId: string): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 AS x FROM rf_referrals WHERE referral_id = $1 AND (sender_org = $2 OR receiver_org = $2)',
    [referralId, organisationId],
  );
  return rows.length > 0;
}
