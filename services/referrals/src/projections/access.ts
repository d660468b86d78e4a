import type { SqlExecutor } from '@estia/infra/sql/types.js';

/** Referral states in which the receiver works the case and so sees the client. */
const WORKING_STATES = ['accepted', 'in-progress', 'on-hold'];

export interface ClientAccess {
  allowed: boolean;
  /** How: registered it (or linked a registration), or holds an accepted referral under consent. */
  basis: 'registered' | 'referral' | null;
  /** For 'referral': what the consent lets this organisation see. */
  share: string[];
  /** Set when the client was erased and this organisation had registered them: it may learn when. */
  erasedAt?: string;
}

/**
 * DESIGN §5: an organisation sees a client only if it registered the client or holds an accepted
 * referral for them with consent (still in force at `now`, or an override while the referral is
 * being worked). Erased clients are seen by nobody.
 */
export async function clientAccess(
  db: SqlExecutor,
  organisationId: string,
  clientId: string,
  now: string,
): Promise<ClientAccess> {
  const denied: ClientAccess = { allowed: false, basis: null, share: [] };
  const [client] = await db.query<{ status: string; erased_at: string | null }>(
    'SELECT status, erased_at FROM rf_clients WHERE client_id = $1',
    [clientId],
  );
  if (!client) return denied;
  const registered = await db.query('SELECT 1 AS x FROM rf_client_orgs WHERE client_id = $1 AND organisation_id = $2', [
    clientId,
    organisationId,
  ]);
  // Existence is personal data: only an organisation that held the client learns that it was erased.
  if (client.status === 'erased')
    return registered.length > 0 && client.erased_at ? { ...denied, erasedAt: client.erased_at } : denied;
  if (client.status !== 'active') return denied;
  if (registered.length > 0) return { allowed: true, basis: 'registered', share: ['*'] };
  const rows = await db.query<{ share: string; consent_overridden: number | boolean }>(
    `SELECT r.share, r.consent_overridden FROM rf_referrals r
     LEFT JOIN rf_consents c ON c.consent_id = r.consent_id
     WHERE r.client_id = $1 AND r.receiver_org = $2 AND r.status IN ($3, $4, $5)
       AND (r.consent_overridden = 1 OR (c.consent_id IS NOT NULL AND c.given_at <= $6
            AND (c.expires_at IS NULL OR c.expires_at > $6) AND (c.withdrawn_at IS NULL OR c.withdrawn_at > $6)))`,
    [clientId, organisationId, ...WORKING_STATES, now],
  );
  if (rows.length === 0) return denied;
  const share = new Set<string>();
  for (const row of rows) for (const s of JSON.parse(row.share) as string[]) share.add(s);
  return { allowed: true, basis: 'referral', share: [...share].sort() };
}

/** An organisation sees a referral only as its sender or its receiver. */
export async function maySeeReferral(db: SqlExecutor, organisationId: string, referralId: string): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 AS x FROM rf_referrals WHERE referral_id = $1 AND (sender_org = $2 OR receiver_org = $2)',
    [referralId, organisationId],
  );
  return rows.length > 0;
}
